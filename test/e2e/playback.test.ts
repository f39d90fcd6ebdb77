/**
 * Replaying traces in Chromium: reduced motion, several packets at once, and the player and
 * event list driven from the keyboard. What the page must show comes from the same engine run
 * in-process on the same YAML and seed.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { buildSim, walk, type Trace } from '../../src/engine';
import { locate, toFlow } from '../../src/app/canvas/flow';
import { snapshot } from '../../src/worker/snapshot';
import { allEvents, clickEvent, hasChromium, openApp } from './harness';
import { browserSuite } from './suite';

const DEFAULT = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8');
const FROM = 'pod/default/client';

/** The default scenario's Service, the walk the UI will replay and the canvas ids. */
function expected(): { to: string; trace: Trace; ids: Set<string> } {
  const { sim } = buildSim(DEFAULT, { seed: 1, file: 'scenario.yaml' });
  const ids = new Set(toFlow(snapshot(sim, 1), { kind: 'cluster' }, {}).nodes.map((n) => n.id));
  const svc = sim.model.services.find((s) => s.meta.name === 'my-nginx');
  const to = svc?.clusterIP ? `${svc.clusterIP}:80` : 'my-nginx:80';
  return { to, trace: walk(sim, { from: FROM, to, protocol: 'tcp' }), ids };
}

async function send(page: Page, to: string, count = 1): Promise<void> {
  const form = page.locator('[data-testid=send-packet]');
  await form.locator('select[name=from]').selectOption(FROM);
  await form.locator('input[name=to]').fill(to);
  await form.locator('input[name=count]').fill(String(count));
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('[data-testid=event-list] [data-verdict]', { timeout: 30_000 });
  await page.click('[data-testid=trace-pause]');
  // These tests replay event by event, as the "all events" view does.
  await allEvents(page);
}

/** The event list's current row (its event index), or -1. */
const current = (page: Page): Promise<number> =>
  page.evaluate(() => Number(document.querySelector('[data-testid=event-list] .knp-event.current')?.getAttribute('data-index') ?? -1));

/** Makes event `i` current by clicking its row (the virtual list is scrolled there first). */
async function jumpTo(page: Page, i: number): Promise<void> {
  await clickEvent(page, i);
  await page.waitForFunction((n) => document.querySelector('[data-testid=event-list] .knp-event.current')?.getAttribute('data-index') === String(n), i);
}

/** The first event after which the packet moves to another canvas node. */
function firstHop(trace: Trace, ids: Set<string>): number {
  for (let i = 0; i + 1 < trace.events.length; i++) {
    const a = locate(trace.events[i]!.where, ids);
    const b = locate(trace.events[i + 1]!.where, ids);
    if (a && b && a !== b) return i;
  }
  return -1;
}

describe.runIf(hasChromium)('packet replay in Chromium', () => {
  const env = browserSuite();

  it('glides packets between nodes, and with prefers-reduced-motion makes them jump', async () => {
    const { to, trace, ids } = expected();
    const hop = firstHop(trace, ids);
    if (hop < 0) return; // a walk that never leaves its first node has nothing to animate
    const target = locate(trace.events[hop + 1]!.where, ids)!;
    for (const reduce of [false, true]) {
      const page = await openApp(env.browser, env.site.url);
      if (reduce) await page.emulateMedia({ reducedMotion: 'reduce' });
      await send(page, to);
      // The slowest speed: a glide then lasts seconds, so a loaded machine cannot miss it.
      await page.locator('.knp-player select').selectOption('0.25');
      await jumpTo(page, hop);
      await page.waitForTimeout(2500); // any glide to the hop's node has ended
      await page.click('[data-testid=trace-step-forward]');
      const packet = page.locator('[data-knp-packet="0"]');
      await page.waitForSelector(`[data-knp-packet="0"][data-knp-at="${target}"]`, { state: 'attached' });
      expect(await packet.getAttribute('data-motion')).toBe(reduce ? 'jump' : 'glide');
      // Gliding is a running transform animation on the packet; jumping leaves none.
      const animating = await page.waitForFunction(() => (document.querySelector('[data-knp-packet="0"]')?.getAnimations().length ?? 0) > 0, null, { timeout: 1000 })
        .then(() => true, () => false);
      expect(animating).toBe(!reduce);
      await page.context().close();
    }
  });

  it('ten packets to a Service spread over its endpoints: none hides another, and the list follows the one picked', async () => {
    const { to, ids } = expected();
    const { sim } = buildSim(DEFAULT, { seed: 1, file: 'scenario.yaml' });
    const responders = new Set(Array.from({ length: 10 }, () => walk(sim, { from: FROM, to, protocol: "tcp" }).responder ?? ''));
    const page = await openApp(env.browser, env.site.url);
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await send(page, to, 10);
    // The spread over the endpoints, as the engine chose them.
    expect(await page.locator('[data-testid=event-list] [data-spread] .knp-badge').count()).toBe(responders.size);
    // At the first event all ten stand on the client; each one is still visible on its own.
    await jumpTo(page, 0);
    const client = locate(expected().trace.events[0]!.where, ids);
    await page.waitForFunction((n) => document.querySelectorAll(`[data-knp-packet][data-knp-at="${n}"]`).length === 10, client);
    const centres = await page.$$eval('[data-knp-packet] .knp-packet-dot', (els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }));
    expect(centres).toHaveLength(10);
    for (let a = 0; a < centres.length; a++) {
      for (let b = a + 1; b < centres.length; b++) {
        expect(Math.hypot(centres[a]!.x - centres[b]!.x, centres[a]!.y - centres[b]!.y), `packets ${a} and ${b}`).toBeGreaterThanOrEqual(8);
      }
    }
    // Picking another packet shows its events and makes it the labelled one on the canvas.
    const picker = page.locator('[data-testid=event-list] select[aria-label]').first();
    expect(await picker.locator('option').count()).toBe(10);
    await picker.selectOption('3');
    await page.waitForSelector('[data-knp-packet="3"].lead', { state: 'attached' });
    expect(await page.locator('.knp-packet.lead').count()).toBe(1);
    await page.context().close();
  });

  it('plays, pauses, steps, jumps, changes speed and loops from the keyboard', async () => {
    const { to, trace } = expected();
    if (trace.events.length < 3) return;
    const page = await openApp(env.browser, env.site.url);
    await send(page, to);
    const play = page.locator('[data-testid=trace-play]');

    // Every control is a Tab stop, in order.
    await page.focus('[data-testid=trace-step-back]');
    const order: string[] = [];
    for (let i = 0; i < 7; i++) {
      order.push(await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        return el.dataset['testid'] ?? el.getAttribute('aria-label') ?? (el as HTMLInputElement).type;
      }));
      await page.keyboard.press('Tab');
    }
    expect(order.slice(0, 4)).toEqual(['trace-step-back', 'trace-play', 'trace-pause', 'trace-step-forward']);
    expect(order.slice(4)).toEqual(['Jump to event', 'Speed', 'checkbox']);
    expect(await page.locator('.knp-player select option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['0.25', '0.5', '1', '2', '4']);

    // Outside the editor and the terminal: ←/→ step, Space plays and pauses.
    await jumpTo(page, 1);
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.press('ArrowRight');
    expect(await current(page)).toBe(2);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    expect(await current(page)).toBe(0);
    await page.keyboard.press('Space');
    expect(await play.getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('Space');
    expect(await play.getAttribute('aria-pressed')).toBe('false');
    // In the terminal a space is a space.
    await page.click('[data-testid=terminal] .xterm-screen');
    await page.keyboard.press('Space');
    expect(await play.getAttribute('aria-pressed')).toBe('false');

    // The event list: arrows move through the events, End and Home jump to either end.
    await page.focus('[data-testid=event-list] [role=listbox]');
    await page.keyboard.press('ArrowDown');
    expect(await current(page)).toBe(1);
    await page.keyboard.press('End');
    await page.waitForFunction((n) => document.querySelector('[data-testid=event-list] .knp-event.current')?.getAttribute('data-index') === String(n), trace.events.length - 1);
    expect(await page.getAttribute('[data-testid=event-list] [role=listbox]', 'aria-activedescendant')).toBe(`knp-ev-${trace.events.length - 1}`);
    await page.keyboard.press('Home');
    expect(await current(page)).toBe(0);

    // Loop at 4×: played from near the end, the replay wraps around to the first events.
    await page.locator('.knp-player select').selectOption('4');
    await page.focus('.knp-player input[type=checkbox]');
    await page.keyboard.press('Space');
    expect(await page.isChecked('.knp-player input[type=checkbox]')).toBe(true);
    await jumpTo(page, trace.events.length - 3);
    await page.click('[data-testid=trace-play]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=event-list] .knp-event.current')?.getAttribute('data-index') ?? -1) < 3, null, { timeout: 15_000 });
    expect(await play.getAttribute('aria-pressed')).toBe('true');
    await page.context().close();
  });
});
