/**
 * The playground in headless Chromium, against the production build:
 *  - JavaScript before first paint: gzip size of the entry chunk and its static imports
 *    (Monaco, xterm, the packet layer and the engine worker load later);
 *  - time to interactive: navigation start → the graph drawn from the engine's answer (the
 *    page responds: canvas, send form, panes); reported beside it, the lazily loaded editor
 *    (Monaco) and terminal (xterm) being ready;
 *  - edit → graph update: the rebuild after the 250 ms typing debounce → the canvas showing it;
 *  - 20 packets animating together on a 10-node, 300-Pod cluster: the longest main-thread task
 *    and the share of frames later than 1.5 × 16.7 ms while they play, each the median of
 *    ANIMATION_RUNS fresh pages (the bench machine is shared; the worst run is in the note).
 *    `npm run bench -- ui-animation` runs only this part.
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
      results.push(...(await animationRuns(browser, site.url)));
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

/** A 10-node cluster with 300 web Pods behind one Service, and a client. */
export function bigScenario(): string {
  const nodes = Array.from({ length: 10 }, (_, i) => `    - {name: node-${i + 1}, ip: 192.168.1.${11 + i}}`).join('\n');
  return `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: big}
spec:
  network: {plugin: flannel, backend: vxlan}
  nodes:
${nodes}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 300
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node-1
  containers: [{name: c, image: busybox}]
`;
}

/**
 * The UI at scale (`npm run bench -- ui-scale`, issue #19), on the generated scenarios
 * (bench/scenarios/generate.ts): per size, edit → graph updated (the one-line edit of
 * bench/scale.ts, from the rebuild request to the canvas showing it) and the share of late frames
 * while 20 packets (a curl by name, 20 times) animate; beside them the worker → UI bytes per
 * edit (bench/uibytes.ts, in node). L in the browser only with KNP_BENCH_UI_L=1 (it takes
 * minutes); the page is opened with `?knp-watchdog=WATCHDOG_S`, since an L build is longer than
 * the watchdog's budget for a learner's load until the engine's L target is met.
 */
const WATCHDOG_S = 600;
export const uiScale: Bench = async () => {
  const { workerBytes, BYTES_TARGET_MB } = await import('./uibytes');
  const { generate } = await import('./scenarios/generate');
  const { editedText, traceRequest } = await import('./scale');
  const sizes = (process.env.KNP_BENCH_SIZES ?? 'S,M,L').split(',') as ('S' | 'M' | 'L')[];
  const results: BenchResult[] = [];
  for (const size of sizes) {
    const b = workerBytes(size);
    const target = BYTES_TARGET_MB[size];
    results.push({
      name: `ui: worker → UI data per edit (${size})`, size, figure: 'ui-bytes', unit: 'MB', ms: b.edit / 2 ** 20, runs: 1,
      ...(target !== undefined ? { targetMs: target } : {}),
      note: `load ${(b.load / 2 ** 20).toFixed(2)} MB; a curl by name (trace + snapshot) ${(b.trace / 2 ** 20).toFixed(2)} MB; protocol 2 sent ${(b.whole / 2 ** 20).toFixed(1)} MB after every request`,
    });
  }
  if (!hasChromium) return results;
  const site = await buildAndServe();
  try {
    const browser = await launch();
    try {
      const { encodeFragment } = await import('../src/engine/share/link');
      for (const size of sizes) {
        if (size === 'L' && !process.env.KNP_BENCH_UI_L) continue;
        const text = generate(size);
        const graph: number[] = [];
        const late: number[] = [];
        for (let i = 0; i < (size === 'S' ? 3 : 1); i++) {
          const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
          const page = await ctx.newPage();
          // The watchdog's budget as a page option: an L build takes longer than a learner's load may.
          await page.goto(`${site.url}?knp-watchdog=${WATCHDOG_S}#${encodeFragment({ yaml: text, journal: [] })}`);
          await page.waitForSelector('[data-testid=editor][data-ready=true]', { timeout: 120_000 });
          await page.waitForSelector('.knp-status.status-ready', { timeout: WATCHDOG_S * 1000 });
          await page.waitForFunction(() => performance.getEntriesByName('knp:graph').length > 0, null, { timeout: WATCHDOG_S * 1000 });
          await page.click('[data-testid=editor] .view-lines');
          await page.keyboard.press('Control+A');
          await page.evaluate(() => performance.clearMarks());
          await paste(page, editedText(text));
          await page.waitForFunction(() => performance.getEntriesByName('knp:load').length > 0 && performance.getEntriesByName('knp:graph').length > 0, null, { timeout: WATCHDOG_S * 1000 });
          graph.push(await page.evaluate(() => performance.getEntriesByName('knp:graph')[0]!.startTime - performance.getEntriesByName('knp:load')[0]!.startTime));
          await page.waitForSelector('.knp-status.status-ready', { timeout: WATCHDOG_S * 1000 });
          const req = traceRequest(size);
          const form = page.locator('[data-testid=send-packet]');
          await form.locator('select[name=from]').selectOption(req.from);
          await form.locator('input[name=to]').fill(req.to);
          await form.locator('input[name=count]').fill('20');
          await form.locator('button[type=submit]').click();
          await page.waitForSelector('[data-testid=event-list] [data-verdict]', { timeout: WATCHDOG_S * 1000 });
          await page.locator('.knp-player select').selectOption('4');
          late.push(100 * ((await page.evaluate(`(async () => {
    document.querySelector('[data-testid=trace-play]')?.click();
${LATE_FRAMES_4S}
    return late;
  })()`)) as number));
          await ctx.close();
        }
        const med = (xs: number[]) => median(xs);
        results.push({ name: `ui: edit → graph updated (${size})`, size, figure: 'ui-graph', ms: med(graph), min: Math.min(...graph), max: Math.max(...graph), runs: graph.length, targetMs: ({ S: 100, M: 150, L: 400 } as const)[size], note: 'rebuild request → canvas (after the 250 ms typing debounce)' });
        results.push({ name: `ui: late frames, 20 packets in flight (${size})`, size, figure: 'ui-frames', unit: '%', ms: med(late), min: Math.min(...late), max: Math.max(...late), runs: late.length, targetMs: size === 'L' ? 1 : 0, note: 'percent of frames over 25 ms, 4 s at 4×' });
      }
    } finally {
      await browser.close();
    }
  } finally {
    await site.close();
  }
  return results;
};

/** Fresh pages the packet animation is measured on; the figures are their medians. */
const ANIMATION_RUNS = 5;

/** Only the packet animation figures (`npm run bench -- ui-animation`). */
export const animation: Bench = async () => {
  if (!hasChromium) return [];
  const site = await buildAndServe();
  try {
    const browser = await launch();
    try {
      return await animationRuns(browser, site.url);
    } finally {
      await browser.close();
    }
  } finally {
    await site.close();
  }
};

async function animationRuns(browser: Awaited<ReturnType<typeof launch>>, url: string): Promise<BenchResult[]> {
  const runs: { longest: number; late: number; idleLate: number }[] = [];
  for (let i = 0; i < ANIMATION_RUNS; i++) runs.push(await animationBench(browser, url));
  process.stderr.write(`ui animation runs: ${runs.map((r) => `longest ${r.longest.toFixed(0)} ms, late ${(r.late * 100).toFixed(1)}% (paused: ${(r.idleLate * 100).toFixed(1)}%)`).join('; ')}\n`);
  const longest = runs.map((r) => r.longest);
  const late = runs.map((r) => r.late * 100);
  const idle = runs.map((r) => r.idleLate * 100);
  return [
    // The floor: the same page, paused, for as long. Headless Chromium without a GPU misses the
    // odd frame with nothing to do; the figure below is only as good as this one.
    { name: 'ui: late frames on the same page, paused (the floor)', ms: median(idle), runs: runs.length, note: `percent of frames over 25 ms; median of ${runs.length} pages, worst ${Math.max(...idle).toFixed(1)}%` },
    { name: 'ui: longest task while 20 packets animate', ms: median(longest), runs: runs.length, targetMs: 50, note: `10 nodes, 300 Pods; median of ${runs.length} pages, worst ${Math.max(...longest).toFixed(0)} ms` },
    { name: 'ui: late frames while 20 packets animate', ms: median(late), runs: runs.length, targetMs: 0, note: `percent of frames over 25 ms; median of ${runs.length} pages, worst ${Math.max(...late).toFixed(1)}%` },
  ];
}

/**
 * Page script: 4 s of animation frames; leaves in "late" the share of frames later than 25 ms
 * (1.5 × 16.7 ms). A string, not a function: tsx would add helpers (__name) the page does not have.
 */
const LATE_FRAMES_4S = `
    const frames = [];
    let last = performance.now();
    const end = last + 4000;
    await new Promise((done) => {
      const step = (t) => { frames.push(t - last); last = t; if (t < end) requestAnimationFrame(step); else done(); };
      requestAnimationFrame(step);
    });
    const late = frames.filter((d) => d > 25).length / Math.max(1, frames.length);`;

async function animationBench(browser: Awaited<ReturnType<typeof launch>>, url: string): Promise<{ longest: number; late: number; idleLate: number }> {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await ctx.newPage();
  const { encodeFragment } = await import('../src/engine/share/link');
  await page.goto(`${url}#${encodeFragment({ yaml: bigScenario(), journal: [] })}`);
  await page.waitForFunction(() => performance.getEntriesByName('knp:graph').length > 0, null, { timeout: 60_000 });
  await page.waitForSelector('.knp-status.status-ready', { timeout: 60_000 });
  await page.waitForSelector('[data-testid=editor][data-ready=true]', { timeout: 60_000 });
  await page.waitForTimeout(500);
  const form = page.locator('[data-testid=send-packet]');
  await form.locator('select[name=from]').selectOption('pod/default/client');
  await form.locator('input[name=to]').fill('web.default.svc.cluster.local:80');
  await form.locator('input[name=count]').fill('20');
  await form.locator('button[type=submit]').click();
  await page.waitForSelector('[data-testid=event-list] [data-verdict]', { timeout: 120_000 });
  // The floor first: 4 s paused on the same page.
  await page.click('[data-testid=trace-pause]');
  await page.waitForTimeout(300);
  const idleLate = (await page.evaluate(`(async () => {
${LATE_FRAMES_4S}
    return late;
  })()`)) as number;
  // Play for 4 s at 4× while recording long tasks and frame times.
  await page.locator('.knp-player select').selectOption('4');
  const m = (await page.evaluate(`(async () => {
    const longs = [];
    const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longs.push(e.duration); });
    obs.observe({ type: 'longtask', buffered: false });
    const at = () => Number(document.querySelector('[data-testid=event-list] .knp-event.current')?.getAttribute('data-index') ?? -1);
    const from = at();
    document.querySelector('[data-testid=trace-play]').click();
${LATE_FRAMES_4S}
    obs.disconnect();
    return { longest: Math.max(0, ...longs), late, steps: at() - from };
  })()`)) as { longest: number; late: number; steps: number };
  // The figure means something only if the packets moved the whole time.
  if (m.steps < 20) throw new Error(`the replay advanced only ${m.steps} events in 4 s at 4×`);
  process.stderr.write(`ui animation: ${m.steps} events replayed in 4 s\n`);
  await ctx.close();
  return { ...m, idleLate };
}
