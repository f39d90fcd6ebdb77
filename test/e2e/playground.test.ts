/**
 * The playground in a real browser (Debian's Chromium, headless) against the production build.
 * What the page must show is computed by running the same engine in-process on the same YAML
 * and seed, so these tests follow the engine as it grows instead of hard-coding today's output.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildSim, parseTarget, runLine, walk, type Sim, type Trace } from '../../src/engine';
import { commandNames } from '../../src/engine/shell/registry';
import { locate, toFlow } from '../../src/app/canvas/flow';
import { snapshot } from '../../src/worker/snapshot';
import { canvasIds, clickEvent, engineIdle, hasChromium, openApp, paste, runInTerminal, setEditorText } from './harness';
import { browserSuite } from './suite';
import { detailRecord } from '../../src/engine/trace/types';

const DEFAULT = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8');

function expectedIds(yaml: string): string[] {
  const { sim } = buildSim(yaml, { seed: 1, file: 'scenario.yaml' });
  return toFlow(snapshot(sim, 1), { kind: 'cluster' }, {}).nodes.map((n) => n.id).sort();
}

/** Waits until the canvas shows exactly these ids (or 15 s pass), then returns what it shows. */
async function waitForIds(page: Page, ids: readonly string[]): Promise<string[]> {
  await engineIdle(page);
  const want = JSON.stringify([...ids].sort());
  await page.waitForFunction((w) => JSON.stringify([...document.querySelectorAll('[data-testid=canvas] .react-flow__node [data-knp-id]')]
    .map((e) => e.getAttribute('data-knp-id')!).filter((id) => !id.includes('/netfilter/') && !id.startsWith('chain/')).sort()) === w, want, { timeout: 15_000 }).catch(() => undefined);
  return (await canvasIds(page)).sort();
}

/** The Service the default scenario's client talks to, and the same walk the UI will do. */
function serviceWalk(sim: Sim): { to: string; trace: Trace } {
  const svc = sim.model.services.find((s) => s.meta.name === 'my-nginx');
  const to = svc?.clusterIP ? `${svc.clusterIP}:80` : 'my-nginx:80';
  return { to, trace: walk(sim, { from: 'pod/default/client', to, protocol: 'tcp' }) };
}

async function sendPacket(page: Page, from: string, to: string): Promise<void> {
  const form = page.locator('[data-testid=send-packet]');
  await form.locator('select[name=from]').selectOption(from);
  await form.locator('input[name=to]').fill(to);
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('[data-testid=event-list] [data-verdict]', { timeout: 20_000 });
}

describe.runIf(hasChromium)('playground in Chromium', () => {
  const env = browserSuite();

  it('renders the default scenario: every node, Pod and device the engine built, with the test ids', async () => {
    const page = await openApp(env.browser, env.site.url);
    for (const id of ['editor', 'canvas', 'trace-play', 'trace-pause', 'trace-step-forward', 'trace-step-back', 'event-list', 'packet-inspector', 'terminal', 'share-button', 'send-packet']) {
      expect(await page.locator(`[data-testid=${id}]`).count(), id).toBe(1);
    }
    const want = expectedIds(DEFAULT);
    expect(await waitForIds(page, want)).toEqual(want);
    const { sim } = buildSim(DEFAULT, { seed: 1 });
    if (sim.model.nodes.length) expect(want).toContain('node/node-1');
    if (sim.model.pods.length) expect(want).toContain('pod/default/client');
    if (sim.net.namespaces.get('node/node-1')?.links.some((l) => l.name === 'cni0')) expect(want).toEqual(expect.arrayContaining(['node/node-1/cni0', 'node/node-1/flannel.1']));
    await page.context().close();
  });

  it('editing the YAML updates the graph', async () => {
    const page = await openApp(env.browser, env.site.url);
    const edited = DEFAULT.replace('replicas: 2', 'replicas: 3').replace('    - {name: node-2, ip: 192.168.1.12}\n', '    - {name: node-2, ip: 192.168.1.12}\n    - {name: node-3, ip: 192.168.1.13}\n');
    expect(edited).not.toBe(DEFAULT);
    await setEditorText(page, edited);
    const want = expectedIds(edited);
    expect(await waitForIds(page, want)).toEqual(want);
    await page.context().close();
  });

  it('invalid YAML shows a marker where it is wrong and loses nothing', async () => {
    const page = await openApp(env.browser, env.site.url);
    const before = await waitForIds(page, expectedIds(DEFAULT));
    await page.click('[data-testid=editor] .view-lines');
    await page.keyboard.press('Control+End');
    await paste(page, '\nbroken: [unclosed\n');
    await page.waitForSelector('.knp-status.has-errors', { timeout: 15_000 });
    // F8 goes to the problem: the squiggle and the message are where the YAML is wrong.
    await page.keyboard.press('F8');
    await page.waitForSelector('[data-testid=editor] .squiggly-error', { timeout: 15_000 });
    const line = await page.$eval('[data-testid=editor] .view-overlays .squiggly-error', (el) => el.closest('div[style*="top"]')?.getAttribute('style') ?? '');
    expect(line).toMatch(/top/);
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Home');
    // The text is still all there, and the graph still shows the last good model's objects.
    const text = await page.$eval('[data-testid=editor] .view-lines', (el) => el.textContent ?? '');
    expect(text.replace(/\u00a0/g, ' ')).toContain('kind: Cluster');
    expect((await canvasIds(page)).sort()).toEqual(expect.arrayContaining(before.filter((id) => !id.startsWith('host/'))));
    await page.context().close();
  });

  it('a terminal command prints what the engine prints', async () => {
    const page = await openApp(env.browser, env.site.url);
    expect(await runInTerminal(page, 'echo hello from knp')).toBe('hello from knp');
    if (commandNames().includes('kubectl')) {
      const { sim } = buildSim(DEFAULT, { seed: 1, file: 'scenario.yaml' });
      const target = (await page.locator('.knp-terminal select').inputValue());
      const want = runLine(sim, parseTarget(target)!, 'kubectl get nodes').stdout.trimEnd().split('\n')[0]!;
      expect((await runInTerminal(page, 'kubectl get nodes')).split('\n')[0]!.trimEnd()).toBe(want.trimEnd());
    }
    await page.context().close();
  });

  it('a Pod → Service packet replays the engine trace; the inspector shows the DNAT; a DROP rule typed in the terminal stops the next one', async () => {
    const page = await openApp(env.browser, env.site.url);
    const { sim } = buildSim(DEFAULT, { seed: 1, file: 'scenario.yaml' });
    const ids = expectedIds(DEFAULT);
    if (!ids.includes('pod/default/client')) return; // no Pods yet: nothing to send from
    const { to, trace } = serviceWalk(sim);
    await sendPacket(page, 'pod/default/client', to);
    expect(await page.getAttribute('[data-testid=event-list] [data-verdict]', 'data-verdict')).toBe(trace.verdict);
    // The list is virtual: it states how many events the trace has.
    expect(await page.getAttribute('[data-testid=event-list]', 'data-count')).toBe(String(trace.events.length));
    if (!trace.events.length) return; // the walk is not built yet: the verdict is all there is

    // Jump to the last event: the packet stands where the engine says it ended.
    await page.click('[data-testid=trace-pause]');
    const last = trace.events[trace.events.length - 1];
    if (last) {
      await clickEvent(page, trace.events.length - 1);
      const at = locate(last.where, new Set(ids));
      if (at) await page.waitForSelector(`[data-knp-packet="0"][data-knp-at="${at}"]`, { state: "attached", timeout: 10_000 });
      if (trace.verdict === 'delivered' && trace.responder) expect(trace.responder).toMatch(/^pod\/default\/my-nginx-/);
    }
    // The DNAT hop, when the engine made one, is labelled in the inspector.
    const dnat = trace.events.findIndex((e, i) => i > 0 && e.packet?.ip && trace.events.slice(0, i).reverse().find((p) => p.packet?.ip)?.packet?.ip?.dst !== e.packet.ip.dst && !e.packet.inner);
    // A ClusterIP answered by a Pod means kube-proxy's DNAT happened somewhere on the way.
    if (trace.verdict === 'delivered' && trace.responder?.startsWith('pod/')) expect(dnat).toBeGreaterThan(0);
    if (dnat > 0) {
      await clickEvent(page, dnat);
      await page.waitForSelector('[data-testid=packet-inspector] [data-change=dnat]', { timeout: 5_000 });
    }

    // A netfilter event lists the rules its chain evaluated, the one that matched marked.
    const nfAt = trace.events.findIndex((e) => e.type === 'netfilter' && Array.isArray(detailRecord(e)['rules']) && (detailRecord(e)['rules'] as { matched?: boolean }[]).some((r) => r.matched));
    expect(nfAt).toBeGreaterThan(0);
    await clickEvent(page, nfAt);
    const matched = page.locator('[data-testid=packet-inspector] .knp-rule[data-matched=true]');
    await matched.waitFor({ timeout: 5_000 });
    const rule = (detailRecord(trace.events[nfAt])['rules'] as { matched?: boolean; text: string }[]).find((r) => r.matched)!;
    expect(await matched.textContent()).toContain(rule.text);

    // Stepping moves one event at a time.
    await clickEvent(page, 0);
    await page.click('[data-testid=trace-step-forward]');
    expect(await page.locator('[data-testid=event-list] .knp-event.current').getAttribute('data-event-type')).toBe(trace.events[1]?.type ?? trace.events[0]?.type);
    await page.click('[data-testid=trace-step-back]');
    expect(await page.locator('[data-testid=event-list] .knp-event.current').getAttribute('data-event-type')).toBe(trace.events[0]?.type);

    // A DROP rule on the client's node, typed in the terminal, changes the next walk as the engine says.
    const backend = sim.model.pods.find((p) => p.meta.name.startsWith('my-nginx-'));
    const node = sim.model.pods.find((p) => p.meta.name === 'client')?.nodeName;
    if (backend?.podIP && node) {
      const rule = `iptables -I FORWARD -s ${sim.model.pods.find((p) => p.meta.name === 'client')!.podIP} -j DROP`;
      const r = runLine(sim, { kind: 'node', name: node }, rule);
      const next = serviceWalk(sim).trace;
      await page.locator('.knp-terminal select').selectOption(`node/${node}`);
      await runInTerminal(page, rule);
      await sendPacket(page, 'pod/default/client', to);
      await page.waitForFunction((v) => document.querySelector('[data-testid=event-list] [data-verdict]')?.getAttribute('data-verdict') === v, next.verdict, { timeout: 10_000 });
      if (r.exitCode === 0 && commandNames().includes('iptables')) expect(next.verdict).not.toBe('delivered');
    }
    await page.context().close();
  });

  it('the share link carries the scenario and restores it', async () => {
    const page = await openApp(env.browser, env.site.url);
    await setEditorText(page, DEFAULT.replace('name: playground', 'name: shared-one'));
    await page.waitForTimeout(400);
    await engineIdle(page);
    await page.click('[data-testid=share-button]');
    // The link is offered in a box (and copied), not left in the address bar: links are read once.
    const url = await page.locator('[data-testid=share-link]').inputValue();
    expect(url).toMatch(/#v=1&d=/);
    const again = await page.context().newPage();
    await again.goto(url);
    await again.waitForSelector('[data-testid=editor][data-ready=true]');
    await again.waitForFunction(() => (document.querySelector('[data-testid=editor] .view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ').includes('name: shared-one'), null, { timeout: 10_000 });
    await page.context().close();
  });

  it('an engine worker that crashes is restarted with a visible message, and commands work again', async () => {
    const page = await openApp(env.browser, env.site.url);
    const worker = page.workers().find((w) => w.url().includes('engine.worker'));
    expect(worker).toBeTruthy();
    await worker!.evaluate(() => { setTimeout(() => { throw new Error('simulated engine crash'); }, 0); });
    await page.waitForSelector('[data-notice=restarted]', { timeout: 15_000 });
    await engineIdle(page);
    expect(await runInTerminal(page, 'echo still here')).toBe('still here');
    await page.context().close();
  });
});
