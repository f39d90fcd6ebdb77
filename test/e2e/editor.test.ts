/**
 * The editor's schema features in a real browser: hover shows our explanation (and follows the
 * UI language), completion offers a Service's fields, and a misspelt field gets a schema marker
 * next to the engine's own. Driven as a user would: mouse over a token, Ctrl+Space.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { EXPLAIN } from '../../src/app/editor/explain';
import { hasChromium, openApp, setEditorText } from './harness';
import { browserSuite } from './suite';

/** The screen position of the first occurrence of `word` among the rendered lines, or null. */
function locateWord(page: Page, word: string): Promise<{ x: number; y: number; right: number } | null> {
  return page.evaluate((w) => {
    const host = document.querySelector('[data-testid=editor] .monaco-editor')!.getBoundingClientRect();
    for (const line of document.querySelectorAll('[data-testid=editor] .view-line')) {
      // A line is several token spans: find the word in the whole line, then map it back.
      const nodes: Text[] = [];
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
      const text = nodes.map((n) => n.data).join('').replace(/\u00a0/g, ' ');
      const i = text.indexOf(w);
      if (i < 0) continue;
      const r = document.createRange();
      let at = 0;
      for (const n of nodes) {
        if (i >= at && i <= at + n.length) r.setStart(n, i - at);
        if (i + w.length >= at && i + w.length <= at + n.length) { r.setEnd(n, i + w.length - at); break; }
        at += n.length;
      }
      const b = r.getBoundingClientRect();
      if (b.top < host.top || b.bottom > host.bottom) continue;
      // Rendered but covered (the pane clips a taller editor): only a word the pointer can reach counts.
      const hit = document.elementFromPoint(b.x + b.width / 2, b.y + b.height / 2);
      if (!hit || !line.contains(hit)) continue;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2, right: b.right };
    }
    return null;
  }, word);
}

/** Puts the cursor at the top, then pages down until `word` is on screen. */
async function scrollTo(page: Page, word: string): Promise<{ x: number; y: number; right: number }> {
  // Click near the left edge: the lines are wider than the pane, a click in their middle scrolls sideways.
  await page.click('[data-testid=editor] .view-lines', { position: { x: 5, y: 5 } });
  await page.keyboard.press('Control+Home');
  for (let i = 0; i < 12; i++) {
    const at = await locateWord(page, word);
    if (at) return at;
    await page.keyboard.press('PageDown');
  }
  throw new Error(`"${word}" never appeared in the editor`);
}

/**
 * Hovers the word and returns the text of the hover widget once it shows every `expected`
 * string. Markers can arrive after the hover opened (the engine rebuilds after a debounce), so
 * the hover is reopened a few times before giving up.
 */
async function hoverText(page: Page, word: string, ...expected: string[]): Promise<string> {
  const at = await scrollTo(page, word);
  for (let attempt = 0; attempt < 5; attempt++) {
    await page.mouse.move(at.x - 40, at.y + 60);
    await page.mouse.move(at.x, at.y, { steps: 4 });
    const shown = await page.waitForFunction((want) => {
      const text = [...document.querySelectorAll('.monaco-hover')].map((h) => h.textContent ?? '').join('\n');
      return want.every((w) => text.includes(w));
    }, expected, { timeout: 4_000 }).then(() => true, () => false);
    if (shown) break;
  }
  return (await page.locator('.monaco-hover').allInnerTexts()).join('\n');
}

/** The first sentence of our explanation, as the hover renders it (Markdown stripped). */
const firstSentence = (md: string) => md.replace(/\*\*|`|\*/g, '').split(/(?<=[.。])\s*/)[0]!;

describe.runIf(hasChromium)('editor schemas in Chromium', () => {
  const env = browserSuite();

  const targetPort = EXPLAIN['core.v1.ServicePort.targetPort']!;

  it('hovering targetPort in the default scenario shows our explanation, then upstream\'s', async () => {
    const page = await openApp(env.browser, env.site.url);
    const want = firstSentence(targetPort.en);
    const text = await hoverText(page, 'targetPort', want);
    expect(text).toContain(want);
    expect(text).toContain('Number or name of the port to access on the pods');
    await page.context().close();
  });

  it('switching the UI language to zh-CN shows the Chinese explanation', async () => {
    const page = await openApp(env.browser, env.site.url);
    await page.locator('select:has(option[value="zh-CN"])').selectOption('zh-CN');
    const want = firstSentence(targetPort['zh-CN']);
    const text = await hoverText(page, 'targetPort', want);
    expect(text).toContain(want);
    expect(text).toContain('Kubernetes API 原文');
    await page.context().close();
  });

  it('completion inside a Service\'s spec offers externalTrafficPolicy', async () => {
    const page = await openApp(env.browser, env.site.url);
    const at = await scrollTo(page, 'type: NodePort');
    // Click on the word itself (its end may lie past a narrow editor's right edge), then go to the line's end.
    await page.mouse.click(at.x + 2, at.y);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('externalTr');
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('.suggest-widget.visible', { timeout: 15_000 });
    await page.waitForFunction(() => (document.querySelector('.suggest-widget.visible')?.textContent ?? '').includes('externalTrafficPolicy'), null, { timeout: 15_000 })
      .catch(() => undefined);
    expect(await page.locator('.suggest-widget.visible').innerText()).toContain('externalTrafficPolicy');
    await page.context().close();
  });

  it('a new document that names only its kind is completed as that kind', async () => {
    const page = await openApp(env.browser, env.site.url);
    await setEditorText(page, 'kind: NetworkPolicy\nspec:\n  ');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('policyT');
    await page.keyboard.press('Control+Space');
    await page.waitForFunction(() => (document.querySelector('.suggest-widget.visible')?.textContent ?? '').includes('policyTypes'), null, { timeout: 15_000 })
      .catch(() => undefined);
    expect(await page.locator('.suggest-widget.visible').innerText()).toContain('policyTypes');
    await page.context().close();
  });

  it('an empty document offers whole objects to start from, in the UI language', async () => {
    const page = await openApp(env.browser, env.site.url, { lang: 'zh-CN' });
    await setEditorText(page, 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('Netw');
    await page.keyboard.press('Control+Space');
    await page.waitForFunction(() => (document.querySelector('.suggest-widget.visible')?.textContent ?? '').includes('NetworkPolicy：'), null, { timeout: 15_000 })
      .catch(() => undefined);
    expect(await page.locator('.suggest-widget.visible').innerText()).toContain('NetworkPolicy：拒绝所有入站');
    // Accepting one inserts a whole, well-indented document.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => (document.querySelector('[data-testid=editor] .view-lines')?.textContent ?? '').replace(/\u00a0/g, ' ').includes('kind: NetworkPolicy'), null, { timeout: 10_000 })
      .catch(() => undefined);
    const text = (await page.locator('[data-testid=editor] .view-lines').innerText()).replace(/\u00a0/g, ' ');
    expect(text).toContain('kind: NetworkPolicy');
    expect(text).toContain('\n  podSelector: {}\n  policyTypes:\n    - Ingress');
    await page.context().close();
  });

  it('a misspelt field gets a schema marker alongside the engine\'s', async () => {
    const page = await openApp(env.browser, env.site.url);
    await setEditorText(page, [
      'apiVersion: v1', 'kind: Service', 'metadata: {name: web}', 'spec:', '  selector: {app: web}', '  ports:', '    - port: 80', '      targetPrt: 8080', '',
    ].join('\n'));
    const text = await hoverText(page, 'targetPrt', 'is not allowed', 'unknown field');
    expect(text).toContain('Property targetPrt is not allowed');
    expect(text).toContain('unknown field');
    await page.context().close();
  });
});
