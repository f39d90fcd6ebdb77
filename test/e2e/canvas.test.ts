/**
 * The canvas in Chromium: the layout stays put across an edit, the lab.sh download, the kernel
 * view's netfilter pipeline opening into rules with counters, and the zoom/fit controls and
 * minimap. Expected values come from the engine run in-process on the same YAML and seed.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildSim, walk } from '../../src/engine';
import { toFlow } from '../../src/app/canvas/flow';
import { snapshot } from '../../src/worker/snapshot';
import { clickEvent, engineIdle, hasChromium, openApp, paste } from './harness';
import { browserSuite } from './suite';
import { detailRecord } from '../../src/engine/trace/types';

const DEFAULT = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8');
const HOOKS = ['PREROUTING', 'routing', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

const clusterIds = (yaml: string) => toFlow(snapshot(buildSim(yaml, { seed: 1, file: 'scenario.yaml' }).sim, 1), { kind: 'cluster' }, {}).nodes.map((n) => n.id);

/** Every drawn node's position on the flow plane (React Flow's `translate(x, y)`), by model id. */
function positions(page: Page): Promise<Record<string, string>> {
  return page.$$eval('[data-testid=canvas] .react-flow__node', (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-id')!, (e as HTMLElement).style.transform])));
}

const viewport = (page: Page) => page.$eval('[data-testid=canvas] .react-flow__viewport', (e) => (e as HTMLElement).style.transform);

describe.runIf(hasChromium)('canvas in Chromium', () => {
  const env = browserSuite();

  it('adding a replica in the editor draws the new Pod and moves nothing that was drawn', async () => {
    const page = await openApp(env.browser, env.site.url);
    const before = clusterIds(DEFAULT);
    const edited = DEFAULT.replace('replicas: 2', 'replicas: 3');
    const added = clusterIds(edited).filter((id) => !before.includes(id));
    expect(added).toHaveLength(1);
    await page.waitForFunction((ids) => ids.every((id) => document.querySelector(`[data-testid=canvas] .react-flow__node[data-id="${id}"]`)), before, { timeout: 15_000 });
    const was = await positions(page);
    await page.click('[data-testid=editor] .view-lines');
    await page.keyboard.press('Control+A');
    await paste(page, edited);
    await page.waitForSelector(`[data-testid=canvas] .react-flow__node[data-id="${added[0]}"]`, { timeout: 15_000 });
    await engineIdle(page);
    const now = await positions(page);
    for (const id of before) expect(now[id], id).toBe(was[id]);
    expect(now[added[0]!]).toMatch(/translate/);
    await page.context().close();
  });

  it('the lab.sh button downloads a bash script that builds the namespaces', async () => {
    const page = await openApp(env.browser, env.site.url);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15_000 }), page.click('[data-testid=lab-download]')]);
    expect(download.suggestedFilename()).toBe('lab.sh');
    const path = await download.path();
    const text = readFileSync(path!, 'utf8');
    expect(text.startsWith('#!')).toBe(true);
    expect(text).toContain('ip netns add');
    await page.context().close();
  });

  it('the kernel view draws the hook pipeline; a hook opens its tables, chains and rules with counters; a replay marks the rule that fired', async () => {
    const page = await openApp(env.browser, env.site.url);
    const { sim } = buildSim(DEFAULT, { seed: 1, file: 'scenario.yaml' });
    const snap = snapshot(sim, 1);
    const node = snap.pods.find((p) => p.id === 'pod/default/client')!.node!;
    const ns = snap.namespaces.find((n) => n.id === `node/${node}`)!;

    await page.click('.knp-seg [role=tab]:nth-child(2)');
    await page.selectOption('.knp-header select[aria-label]', node);
    const nf = `node/${node}/netfilter`;
    await page.waitForSelector(`[data-testid=canvas] [data-knp-id="${nf}/PREROUTING"]`, { timeout: 10_000 });
    for (const h of HOOKS) expect(await page.locator(`[data-testid=canvas] [data-knp-id="${nf}/${h}"]`).count(), h).toBe(1);

    // PREROUTING: its tables in kernel order, the nat chain's rules with their counters.
    await page.click(`[data-knp-id="${nf}/PREROUTING"]`);
    await page.waitForSelector(`[data-knp-inspect="${nf}/PREROUTING"] .knp-nf-inspect`);
    const tables = await page.$$eval('.knp-nf-inspect [data-table]', (els) => els.map((e) => e.getAttribute('data-table')));
    const want = ['raw', 'mangle', 'nat'].filter((t) => ns.chains?.some((c) => c.table === t && c.name === 'PREROUTING'));
    expect(tables).toEqual(want);
    const natPre = ns.chains!.find((c) => c.table === 'nat' && c.name === 'PREROUTING')!;
    const rules = page.locator('.knp-nf-inspect [data-chain="nat/PREROUTING"] .knp-rules li');
    expect(await rules.count()).toBe(natPre.rules.length);
    expect(await rules.first().locator('.knp-counter').textContent()).toMatch(/^\d+$/);
    // Counters say what they count: packets, then bytes, with a legend above the rules.
    expect(await rules.first().locator('.knp-counter-bytes').textContent()).toMatch(/^\d+$/);
    expect(await page.getByTestId('counter-legend').first().textContent()).toMatch(/packets and bytes/);
    // A user chain it jumps to opens on click.
    const jump = /-j (\S+)/.exec(natPre.rules[0]!.text)?.[1];
    if (jump) {
      await page.click(`.knp-nf-inspect [data-chain="nat/${jump}"] > summary`);
      expect(await page.locator(`.knp-nf-inspect [data-chain="nat/${jump}"] .knp-rules li`).first().isVisible()).toBe(true);
    }

    // Replay a Service packet: at the DNAT hook the canvas lights the hook and the inspector marks the rule.
    const to = `${snap.services.find((s) => s.name === 'my-nginx')!.clusterIP}:80`;
    const trace = walk(sim, { from: 'pod/default/client', to, protocol: 'tcp' });
    const at = trace.events.findIndex((e) => e.type === 'netfilter' && e.where.ns === ns.id && detailRecord(e)['hook'] === 'PREROUTING' && detailRecord(e)['matchedRule']);
    expect(at).toBeGreaterThan(0);
    const form = page.locator('[data-testid=send-packet]');
    await form.locator('select[name=from]').selectOption('pod/default/client');
    await form.locator('input[name=to]').fill(to);
    await form.locator('button[type=submit]').click();
    await page.waitForSelector('[data-testid=event-list] [data-verdict]', { timeout: 20_000 });
    await page.click('[data-testid=trace-pause]');
    await clickEvent(page, at);
    await page.waitForSelector(`[data-testid=canvas] [data-knp-id="${nf}/PREROUTING"].active`, { timeout: 5_000 });
    const ev = trace.events[at]!;
    const fired = page.locator(`.knp-nf-inspect [data-chain="${String(detailRecord(ev)['table'])}/${String(detailRecord(ev)['chain'])}"] li.fired`);
    await fired.waitFor({ timeout: 5_000 });
    expect(await fired.count()).toBe(1);
    await page.context().close();
  });

  it('has zoom and fit controls; a minimap once zoomed past the fitted view; fit brings the graph back', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.waitForSelector('[data-testid=canvas] .react-flow__controls-fitview');
    for (const c of ['zoomin', 'zoomout', 'fitview']) expect(await page.locator(`[data-testid=canvas] .react-flow__controls-${c}`).count(), c).toBe(1);
    await page.waitForTimeout(300);
    const fitted = await viewport(page);
    // At the fitted view the whole graph is on screen: no minimap covers a device.
    expect(await page.locator('[data-testid=canvas] .react-flow__minimap').count()).toBe(0);
    await page.click('[data-testid=canvas] .react-flow__controls-zoomin');
    await page.waitForFunction((v) => (document.querySelector('[data-testid=canvas] .react-flow__viewport') as HTMLElement).style.transform !== v, fitted);
    // Zoomed in, part of the graph is off screen: the minimap shows where the view is.
    await page.waitForSelector('[data-testid=canvas] .react-flow__minimap svg');
    await page.click('[data-testid=canvas] .react-flow__controls-fitview');
    await page.waitForFunction((v) => (document.querySelector('[data-testid=canvas] .react-flow__viewport') as HTMLElement).style.transform === v, fitted, { timeout: 5_000 });
    await page.context().close();
  });
});
