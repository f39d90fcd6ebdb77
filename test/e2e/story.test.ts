/**
 * The story view in Chromium: the default Send told in a few dozen steps, badges that name what
 * happened at each hop only, the in/out packet view, and the sentences in Chinese. What the page
 * must show is checked against the same engine run in-process on the same YAML and seed.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildSim, walk } from '../../src/engine';
import { deriveStory } from '../../src/engine/trace/story';
import { hasChromium, openApp } from './harness';
import { browserSuite } from './suite';

const DEFAULT = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8');
const FROM = 'pod/default/client';

/** Sends from the client to `to` (empty: the form's default, the scenario's probe) and pauses. */
async function send(page: Page, to?: string): Promise<void> {
  const form = page.locator('[data-testid=send-packet]');
  await form.locator('select[name=from]').selectOption(FROM);
  if (to !== undefined) await form.locator('input[name=to]').fill(to);
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('[data-testid=event-list] [data-verdict]', { timeout: 30_000 });
  await page.click('[data-testid=trace-pause]');
  await page.waitForSelector('[data-testid=story-step]');
}

const NAT = '[data-testid=badge-dnat], [data-testid=badge-snat], [data-testid=badge-reverse-nat]';

describe.runIf(hasChromium)('the story in Chromium', () => {
  const env = browserSuite();

  it('is the default view: the default Send (DNS, then HTTP to a ClusterIP) in at most 40 steps, each with phase, machine and leg', async () => {
    const page = await openApp(env.browser, env.site.url);
    await send(page);
    const steps = page.locator('[data-testid=story-step]');
    const n = await steps.count();
    expect(n).toBeGreaterThan(10);
    expect(n).toBeLessThanOrEqual(40);
    const events = Number(await page.getAttribute('[data-testid=event-list]', 'data-count'));
    expect(events).toBeGreaterThan(n * 10);
    const phases = await steps.evaluateAll((els) => els.map((e) => e.getAttribute('data-phase')));
    expect(phases[0]).toBe('dns');
    expect(phases).toContain('handshake');
    for (const el of await steps.all()) {
      expect(await el.getAttribute('data-machine')).toMatch(/^(pod|node|host|infra)\//);
      expect(['request', 'reply']).toContain(await el.getAttribute('data-leg'));
    }
    // Step forward moves one story step; the toggle shows every event.
    await page.locator('[data-testid=story-step] .knp-step-main').first().click();
    await page.click('[data-testid=trace-step-forward]');
    expect(await page.getAttribute('[data-testid=story-step][aria-current=step]', 'data-step')).toBe('1');
    await page.locator('[data-testid=story-toggle]').uncheck();
    await page.waitForSelector('[data-testid=event-list][data-view=events] .knp-event');
    await page.locator('[data-testid=story-toggle]').check();
    expect(await page.locator('[data-testid=story-step]').count()).toBe(n);
    await page.close();
  });

  it('a Pod-to-Pod exchange has no NAT badge on any step, the reply included', async () => {
    const { sim } = buildSim(DEFAULT, { seed: 1 });
    const web = sim.model.pods.find((p) => p.meta.name.startsWith('my-nginx-'))!.podIP!;
    const page = await openApp(env.browser, env.site.url);
    await send(page, `http://${web}/`);
    const replies = page.locator('[data-testid=story-step][data-leg=reply]');
    expect(await replies.count()).toBeGreaterThan(1);
    expect(await page.locator(`[data-testid=story-step] :is(${NAT})`).count()).toBe(0);
    // The SYN-ACK's steps, opened in the inspector, show in and out without a NAT badge.
    const synAck = page.locator('[data-testid=story-step][data-leg=reply] .knp-step-main');
    for (let i = 0; i < Math.min(3, await synAck.count()); i++) {
      await synAck.nth(i).click();
      await page.waitForSelector('[data-testid=packet-inspector] [data-testid=inspector-out]');
      expect(await page.locator(`[data-testid=packet-inspector] :is(${NAT})`).count()).toBe(0);
    }
    await page.close();
  });

  it('a ClusterIP request has badge-dnat at the KUBE-SEP step and badge-reverse-nat on the reply, with in/out packets', async () => {
    const { sim } = buildSim(DEFAULT, { seed: 1 });
    const svc = sim.model.services.find((s) => s.meta.name === 'my-nginx')!;
    const to = `http://${svc.clusterIP}/`;
    const expected = deriveStory(walk(buildSim(DEFAULT, { seed: 1 }).sim, { from: FROM, to }));
    const page = await openApp(env.browser, env.site.url);
    await send(page, to);
    expect(await page.locator('[data-testid=story-step]').count()).toBe(expected.length);
    const dnat = page.locator('[data-testid=story-step][data-leg=request]', { has: page.locator('[data-testid=badge-dnat]') }).first();
    expect(await dnat.locator('.knp-step-text').textContent()).toMatch(/KUBE-SEP-\w+ rewrites the destination [\d.]+:80 to 10\.244\.\d+\.\d+:80 \(DNAT\)/);
    await dnat.locator('.knp-step-main').click();
    const inspector = page.locator('[data-testid=packet-inspector]');
    await inspector.locator('[data-testid=badge-dnat]').waitFor();
    expect(await inspector.locator('[data-testid=inspector-in]').textContent()).toContain(svc.clusterIP!);
    const out = inspector.locator('[data-testid=inspector-out]');
    expect(await out.textContent()).not.toContain(svc.clusterIP!);
    expect(await out.locator('tr[data-changed=true]').count()).toBeGreaterThan(0);
    const reverse = page.locator('[data-testid=story-step][data-leg=reply]', { has: page.locator('[data-testid=badge-reverse-nat]') }).first();
    expect(await reverse.locator('.knp-step-text').textContent()).toContain('reverse NAT');
    expect(await reverse.locator('[data-testid=badge-snat]').count()).toBe(0);
    await reverse.locator('.knp-step-main').click();
    await inspector.locator('[data-testid=badge-reverse-nat]').waitFor();
    expect(await inspector.locator('[data-testid=inspector-out]').textContent()).toContain(svc.clusterIP!);
    await page.close();
  });

  it('tells the story in Chinese on the zh-CN page', async () => {
    const page = await openApp(env.browser, env.site.url, { lang: 'zh-CN' });
    await send(page);
    const texts = await page.locator('[data-testid=story-step] .knp-step-text').allTextContents();
    expect(texts[0]).toMatch(/发出/);
    expect(texts.join('\n')).toMatch(/改写为 .*（DNAT）/);
    expect(texts.join('\n')).toContain('反向 NAT');
    expect(await page.locator('[data-testid=story-step] .knp-step-leg').first().textContent()).toBe('去程');
    // The packet on the canvas names its event in Chinese ("UDP 发送"), from the typed event.
    await page.locator('[data-testid=story-step] .knp-step-main').first().click();
    await page.waitForSelector('.knp-packet.lead .knp-packet-label');
    expect(await page.locator('.knp-packet.lead .knp-packet-label').textContent()).toMatch(/^[A-Z]* ?[\u4e00-\u9fff]/);
    // Every event's line in the event list and the inspector is the event's message in Chinese.
    await page.locator('[data-testid=story-toggle]').uncheck();
    await page.waitForSelector('[data-testid=event-list][data-view=events] [data-testid=event-summary]');
    const lines = await page.locator('[data-testid=event-list] [data-testid=event-summary]').allTextContents();
    expect(lines.length).toBeGreaterThan(5);
    for (const l of lines) {
      expect(l).not.toMatch(/\{\{/);
      expect(l).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(lines.join('\n')).toMatch(/查路由 \S+：/);
    expect(await page.locator('[data-testid=packet-inspector] [data-testid=event-summary]').textContent()).toMatch(/[\u4e00-\u9fff]/);
    if (process.env['KNP_SHOT']) await page.screenshot({ path: process.env['KNP_SHOT'] });
    await page.close();
  });
});
