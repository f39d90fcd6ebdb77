/**
 * The playground in headless Chromium, against the production build:
 *  - JavaScript before first paint: gzip size of the entry chunk and its static imports
 *    (Monaco, xterm, framer-motion and the engine worker load later);
 *  - time to interactive: navigation start → the graph drawn from the engine's answer (the
 *    page responds: canvas, send form, panes); reported beside it, the lazily loaded editor
 *    (Monaco) and terminal (xterm) being ready;
 *  - edit → graph update: the rebuild after the 250 ms typing debounce → the canvas showing it.
 * Sizes are reported in the "ms" column as KiB (see the note).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Bench, BenchResult } from './harness';
import { buildAndServe, hasChromium, launch, paste } from '../test/e2e/harness';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** The entry module and every module it imports statically, transitively. */
function firstPaintJs(dir: string): { files: string[]; gzip: number } {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\.?\/?([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error('no entry script in index.html');
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const f = queue.shift()!;
    if (seen.has(f)) continue;
    seen.add(f);
    const code = readFileSync(join(dir, f), 'utf8');
    // Static imports only: `import … from "./x.js"` and `import "./x.js"`; import() is lazy.
    for (const m of code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+from\s*)?["'](\.\/[^"']+\.js)["']/g)) {
      queue.push(join(f, '..', m[1]!).replace(/^\.\//, ''));
    }
  }
  const files = [...seen];
  return { files, gzip: files.reduce((a, f) => a + gzipSync(readFileSync(join(dir, f))).length, 0) };
}

export const bench: Bench = async () => {
  const results: BenchResult[] = [];
  const site = await buildAndServe();
  try {
    const js = firstPaintJs(site.dir);
    results.push({ name: 'ui: JS before first paint', ms: js.gzip / 1024, runs: 1, targetMs: 250, note: `KiB gzip, ${js.files.length} files` });
    if (!hasChromium) return results;
    const browser = await launch();
    try {
      const tti: number[] = [];
      const full: number[] = [];
      const edit: number[] = [];
      const DEFAULT = readFileSync(new URL('../content/scenarios/default.yaml', import.meta.url), 'utf8');
      for (let i = 0; i < 5; i++) {
        const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
        const page = await ctx.newPage();
        await page.goto(site.url);
        await page.waitForFunction(() => performance.getEntriesByName('knp:graph').length > 0);
        tti.push(await page.evaluate(() => performance.getEntriesByName('knp:graph')[0]!.startTime));
        await page.waitForSelector('[data-testid=editor][data-ready=true]');
        await page.waitForSelector('[data-testid=terminal][data-ready=true]');
        await page.waitForSelector('.knp-status.status-ready');
        full.push(await page.evaluate(() => performance.now()));
        // One edit: a third replica. Measured from the rebuild request to the graph on screen.
        await page.click('[data-testid=editor] .view-lines');
        await page.keyboard.press('Control+A');
        await page.evaluate(() => performance.clearMarks());
        await paste(page, DEFAULT.replace('replicas: 2', 'replicas: 3'));
        await page.waitForFunction(() => performance.getEntriesByName('knp:load').length > 0 && performance.getEntriesByName('knp:graph').length > 0, null, { timeout: 10_000 });
        edit.push(await page.evaluate(() => performance.getEntriesByName('knp:graph')[0]!.startTime - performance.getEntriesByName('knp:load')[0]!.startTime));
        await ctx.close();
      }
      results.push({ name: 'ui: time to interactive', ms: median(tti), runs: tti.length, targetMs: 1500, note: 'graph drawn from the engine' });
      results.push({ name: 'ui: editor and terminal ready', ms: median(full), runs: full.length, note: 'Monaco and xterm, loaded lazily' });
      results.push({ name: 'ui: edit → graph update', ms: median(edit), runs: edit.length, targetMs: 150, note: 'after the 250 ms typing debounce' });
    } finally {
      await browser.close();
    }
  } finally {
    await site.close();
  }
  return results;
};
