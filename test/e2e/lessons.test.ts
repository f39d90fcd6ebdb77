/**
 * Lessons, challenges and the gallery in a real browser, done as a learner would: commands typed
 * in the terminal, the packet form's Send button, the YAML edited in the editor. What counts as
 * done is decided by the engine's checks (the worker), and shows as data-done / data-pass.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { loadLesson } from '../../src/engine/lessons/load';
import { expandVariables } from '../../src/engine/scenario/variables';
import { engineIdle, hasChromium, openApp, runInTerminal, setEditorText, wholeSteps } from './harness';
import { browserSuite } from './suite';

const read = (p: string): string => readFileSync(new URL(`../../content/${p}`, import.meta.url), 'utf8');
const LESSON = '02-veth-pair';
const lesson = loadLesson({ id: LESSON, en: read(`lessons/${LESSON}/lesson.en.md`), zh: read(`lessons/${LESSON}/lesson.zh-CN.md`), scenario: read(`lessons/${LESSON}/scenario.yaml`), steps: read(`lessons/${LESSON}/steps.yaml`) }).lesson!;

const doneFlags = (page: Page): Promise<string[]> => page.$$eval('[data-testid=lesson-panel] [data-testid=lesson-step]', (els) => els.map((e) => e.getAttribute('data-done') ?? ''));
const waitDone = (page: Page, n: number) => page.waitForFunction((k) => document.querySelectorAll('[data-testid=lesson-step][data-done=true]').length >= k, n, { timeout: 20_000 });

describe.runIf(hasChromium)('lessons and challenges in Chromium', () => {
  const env = browserSuite();

  it('the header opens the course; the first three steps of a lesson, done through the UI, advance its progress', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.click('[data-testid=open-lessons]');
    await page.click(`[data-testid=lesson-panel] [data-lesson="${LESSON}"]`);
    await page.waitForSelector('[data-testid=lesson-panel] [data-testid=lesson-step]');
    await engineIdle(page);
    const steps = lesson.steps.steps;
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(await doneFlags(page)).toEqual(steps.map(() => 'false'));
    expect(await page.locator('[data-testid=lesson-panel] h2').textContent()).toBe(lesson.en.title);
    // The editor (folded to its bar while a lesson is open, until the learner opens it) shows the lesson's scenario.
    expect(await page.getAttribute('[data-testid=editor-fold]', 'aria-expanded')).toBe('false');
    await page.click('[data-testid=editor-fold]');
    await page.waitForFunction(() => document.querySelector('[data-testid=editor] .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes('kind: Host'), null, { timeout: 15_000 });

    for (const [i, step] of steps.slice(0, 3).entries()) {
      await page.click('[data-testid=lesson-next]');
      for (const a of step.solution) {
        if ('run' in a) {
          expect(await page.locator('[data-testid=terminal]').evaluate(() => document.querySelector<HTMLSelectElement>('.knp-terminal select')?.value)).toBe(a.run.target);
          await runInTerminal(page, a.run.line);
        } else if ('send' in a) {
          // "Show me where" filled the form from the step; the learner presses Send.
          expect(await page.locator('[data-testid=send-packet] select[name=from]').inputValue()).toBe(a.send.from);
          await page.locator('[data-testid=send-packet] input[name=to]').fill(a.send.to);
          await page.click('[data-testid=send-packet] button[type=submit]');
        } else throw new Error(`lesson ${LESSON} step ${step.id}: this test plays commands and packets only`);
      }
      await waitDone(page, i + 1);
      expect(await doneFlags(page)).toEqual(steps.map((_, k) => (k <= i ? 'true' : 'false')));
    }
    // Progress survives a reload (localStorage) in the course list.
    await page.reload();
    await page.waitForSelector('[data-testid=open-lessons]');
    await page.click('[data-testid=open-lessons]');
    const mark = page.locator(`[data-testid=lesson-panel] [data-lesson="${LESSON}"] .knp-course-progress`);
    await mark.waitFor();
    expect(await mark.textContent()).toBe(steps.length === 3 ? '✓' : `3/${steps.length}`);
    await page.context().close();
  });

  for (const lang of ['en', 'zh-CN'] as const) {
    it(`at 1280×720 a lesson docks over the editor (${lang}): a wide terminal, the whole header, several story steps; the editor opens folded`, async () => {
      const page = await openApp(env.browser, env.site.url, { lang });
      await page.click('[data-testid=open-lessons]');
      await page.click('[data-testid=lesson-panel] [data-lesson="10-clusterip-iptables"]');
      await page.waitForSelector('[data-testid=lesson-step]');
      await engineIdle(page);
      await page.click('[data-testid=send-packet] button[type=submit]');
      await page.waitForSelector('[data-testid=story-step]', { timeout: 20_000 });
      const box = (sel: string) => page.locator(sel).first().boundingBox().then((b) => b!);
      // The lesson's text has the column: the editor is folded to its bar until the learner opens it.
      expect(await page.getAttribute('[data-testid=editor-fold]', 'aria-expanded'), lang).toBe('false');
      expect(await page.$eval('[data-testid=editor]', (e) => (e as HTMLElement).offsetParent === null), lang).toBe(true);
      const [tall, bar, term] = await Promise.all([box('[data-testid=lesson-panel]'), box('[data-testid=editor-fold]'), box('[data-testid=terminal]')]);
      // The lesson, the editor's bar and the terminal share one column; the terminal is as wide as it.
      expect(Math.abs(tall.x - term.x), lang).toBeLessThan(2);
      expect(Math.abs(bar.x - term.x), lang).toBeLessThan(2);
      expect(term.width, lang).toBeGreaterThanOrEqual(480);
      expect(tall.height, lang).toBeGreaterThan(300);
      // Every header control is on screen, none clipped (the Cluster/Kernel switch was).
      const header = await page.$eval('.knp-header', (h) => ({ over: h.scrollWidth - h.clientWidth, seg: h.querySelector('.knp-seg')!.scrollWidth - h.querySelector('.knp-seg')!.clientWidth }));
      expect(header, lang).toEqual({ over: 0, seg: 0 });
      // The story list shows five whole steps or more.
      expect(await wholeSteps(page), lang).toBeGreaterThanOrEqual(5);
      // Opening the editor takes height from the lesson; folding it gives it back.
      await page.click('[data-testid=editor-fold]');
      await page.waitForSelector('[data-testid=editor] .view-lines', { state: 'visible' });
      const [short, editor] = await Promise.all([box('[data-testid=lesson-panel]'), box('[data-testid=editor]')]);
      expect(Math.abs(editor.x - term.x), lang).toBeLessThan(2);
      expect(short.height, lang).toBeLessThan(tall.height - 100);
      await page.click('[data-testid=editor-fold]');
      await page.waitForFunction(() => (document.querySelector('[data-testid=editor]') as HTMLElement | null)?.offsetParent === null);
      await page.context().close();
    }, 120_000);
  }

  it('a challenge: its goals fail on the start and pass after the fix is typed into the editor', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.click('[data-testid=open-gallery]');
    await page.click('[data-testid=scenario-gallery] [data-challenge="selector-typo"]');
    await page.waitForSelector('[data-testid=challenge-goal]', { timeout: 20_000 });
    await engineIdle(page);
    const passes = () => page.$$eval('[data-testid=challenge-goal]', (els) => els.map((e) => e.getAttribute('data-pass')));
    expect(await passes()).toContain('false');
    expect(await page.locator('[data-testid=challenge-hint]').count()).toBe(0);
    await page.click('[data-testid=challenge-hint-more]');
    expect(await page.locator('[data-testid=challenge-hint]').count()).toBe(1);
    // The app draws the challenge's variables with seed 1, as the engine does here.
    const fixed = expandVariables('selector-typo.yaml', read('challenges/selector-typo.solution.yaml'), 1).text;
    await setEditorText(page, fixed);
    await page.waitForFunction(() => {
      const g = [...document.querySelectorAll('[data-testid=challenge-goal]')];
      return g.length > 0 && g.every((e) => e.getAttribute('data-pass') === 'true');
    }, null, { timeout: 20_000 });
    await page.context().close();
  });

  it('a challenge\'s lockedKinds hold across edits: changing the locked Deployment shows as a failing goal, as knp grade says', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.click('[data-testid=open-gallery]');
    await page.click('[data-testid=scenario-gallery] [data-challenge="selector-typo"]');
    const locked = page.locator('[data-testid=challenge-goal][data-kind=unchanged]');
    await locked.waitFor({ timeout: 20_000 });
    await engineIdle(page);
    expect(await locked.getAttribute('data-pass')).toBe('true');
    // The learner "fixes" it by relabelling the locked Deployment's Pods to match the typo.
    const start = expandVariables('selector-typo.yaml', read('challenges/selector-typo.yaml'), 1).text;
    const cheat = start.replace(/matchLabels: \{app: /, 'matchLabels: {ap: ').replace(/labels: \{app: /, 'labels: {ap: ');
    expect(cheat).not.toBe(start);
    await setEditorText(page, cheat);
    await page.waitForFunction(() => document.querySelector('[data-testid=challenge-goal][data-kind=unchanged]')?.getAttribute('data-pass') === 'false', null, { timeout: 20_000 });
    expect(await locked.textContent()).toMatch(/Deployment changed: Deployment\/default\/\w+/);
    // A second edit still compares with the challenge as opened; undoing the cheat passes again.
    await setEditorText(page, start);
    await page.waitForFunction(() => document.querySelector('[data-testid=challenge-goal][data-kind=unchanged]')?.getAttribute('data-pass') === 'true', null, { timeout: 20_000 });
    await page.context().close();
  });

  it('the gallery opens every example scenario', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.click('[data-testid=open-gallery]');
    await page.waitForSelector('[data-testid=scenario-gallery] [data-scenario]');
    const names = await page.$$eval('[data-testid=scenario-gallery] [data-scenario]', (els) => els.map((e) => e.getAttribute('data-scenario')));
    expect(names).toEqual(expect.arrayContaining(['default', 'hostport', 'nodeport', 'no-selector-endpoints']));
    await page.click('[data-testid=scenario-gallery] [data-scenario="hostport"]');
    // Picking a scenario closes the gallery (after React's next render, which a loaded machine can delay).
    await page.waitForSelector('[data-testid=scenario-gallery]', { state: 'detached', timeout: 5_000 });
    expect(await page.locator('[data-testid=scenario-gallery]').count()).toBe(0);
    const first = read('scenarios/hostport.yaml').split('\n')[0]!;
    await page.waitForFunction((line) => document.querySelector('[data-testid=editor] .view-lines')?.textContent?.replace(/\u00a0/g, ' ').includes(line.slice(0, 40)), first, { timeout: 15_000 });
    await page.context().close();
  });
});
