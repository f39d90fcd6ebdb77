/**
 * `npm run bench`: runs every benchmark and writes bench/results/latest.json and
 * bench/results/latest.md (the figures closing notes quote). `npm run bench -- NAME` runs one
 * and writes bench/results/NAME.{json,md} only, so areas never overwrite each other's figures.
 */
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Bench, BenchResult } from './harness';

const benches: Record<string, () => Promise<{ bench: Bench }>> = {
  walk: () => import('./walk'),
  lab: () => import('./lab'),
  ui: () => import('./ui'),
  'ui-animation': () => import('./ui').then((m) => ({ bench: m.animation })),
  'ui-scale': () => import('./ui').then((m) => ({ bench: m.uiScale })),
  netbuild: () => import('./netbuild'),
  reach: () => import('./reach'),
  netfilter: () => import('./netfilter'),
  controlplane: () => import('./controlplane'),
  kubeproxy: () => import('./kubeproxy'),
  layout: () => import('./layout'),
  story: () => import('./story'),
  scale: () => import('./scale'),
};

/** Parts of another module, run only when named (the full run has them through that module). */
const PARTS = new Set(['ui-animation']);

const only = process.argv.slice(2);
const results: BenchResult[] = [];
for (const [name, load] of Object.entries(benches)) {
  if (only.length ? !only.includes(name) : PARTS.has(name)) continue;
  process.stderr.write(`bench: ${name}\n`);
  const { bench } = await load();
  results.push(...(await bench()));
}
const machine = `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`;
const md = ['| benchmark | median ms | target ms | ok |', '| --- | ---: | ---: | --- |',
  ...results.map((r) => `| ${r.name}${r.note ? ` (${r.note})` : ''} | ${r.ms.toFixed(3)} | ${r.targetMs ?? ''} | ${r.targetMs === undefined ? '' : r.ms <= r.targetMs ? 'yes' : 'NO'} |`)];
const out = only.length ? only.join('+') : 'latest';
writeFileSync(new URL(`./results/${out}.json`, import.meta.url), `${JSON.stringify({ machine, results }, null, 2)}\n`);
writeFileSync(new URL(`./results/${out}.md`, import.meta.url), `Machine: ${machine}\n\n${md.join('\n')}\n`);
process.stdout.write(`${md.join('\n')}\n`);

// bench/results.json (every figure with min/median/max, the machine, the commit) and the scale
// table in docs/performance.md, whenever the scale suite ran.
if (results.some((r) => r.figure)) {
  let commit = 'unknown';
  try { commit = execSync('git rev-parse HEAD', { encoding: 'utf8' }).trim(); } catch { /* not a checkout */ }
  const { scaleTable } = await import('./report');
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify({
    machine, commit, date: new Date().toISOString(),
    results: results.map((r) => ({ name: r.name, ...(r.size ? { size: r.size, figure: r.figure } : {}), unit: r.unit ?? 'ms', min: r.min ?? r.ms, median: r.ms, max: r.max ?? r.ms, runs: r.runs, ...(r.targetMs !== undefined ? { target: r.targetMs } : {}), ...(r.note ? { note: r.note } : {}) })),
  }, null, 2)}\n`);
  const docUrl = new URL('../docs/performance.md', import.meta.url);
  const doc = readFileSync(docUrl, 'utf8');
  const begin = '<!-- bench:scale:begin -->';
  // The UI's figures alone (npm run bench -- ui-scale) leave the scale table as it is.
  if (results.some((r) => r.figure && !r.figure.startsWith('ui-'))) {
  const end = '<!-- bench:scale:end -->';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error('docs/performance.md: the bench:scale markers are missing');
  writeFileSync(docUrl, `${doc.slice(0, i + begin.length)}\n${scaleTable(results, machine, commit)}\n${doc.slice(j)}`);
  }
}
// The UI's figures at scale (bench/ui.ts uiScale) in their own table of docs/performance.md.
if (results.some((r) => r.figure?.startsWith('ui-'))) {
  let commit = 'unknown';
  try { commit = execSync('git rev-parse HEAD', { encoding: 'utf8' }).trim(); } catch { /* not a checkout */ }
  const { uiScaleTable } = await import('./report');
  const docUrl = new URL('../docs/performance.md', import.meta.url);
  const doc = readFileSync(docUrl, 'utf8');
  const begin = '<!-- bench:ui-scale:begin -->';
  const end = '<!-- bench:ui-scale:end -->';
  const i = doc.indexOf(begin);
  const j = doc.indexOf(end);
  if (i < 0 || j < i) throw new Error('docs/performance.md: the bench:ui-scale markers are missing');
  writeFileSync(docUrl, `${doc.slice(0, i + begin.length)}\n${uiScaleTable(results, machine, commit)}\n${doc.slice(j)}`);
}
