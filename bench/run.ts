/**
 * `npm run bench`: runs every benchmark and writes bench/results/latest.json and
 * bench/results/latest.md (the figures closing notes quote). `npm run bench -- NAME` runs one
 * and writes bench/results/NAME.{json,md} only, so areas never overwrite each other's figures.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Bench, BenchResult } from './harness';

const benches: Record<string, () => Promise<{ bench: Bench }>> = {
  walk: () => import('./walk'),
  lab: () => import('./lab'),
  ui: () => import('./ui'),
  'ui-animation': () => import('./ui').then((m) => ({ bench: m.animation })),
  netbuild: () => import('./netbuild'),
  reach: () => import('./reach'),
  netfilter: () => import('./netfilter'),
  controlplane: () => import('./controlplane'),
  kubeproxy: () => import('./kubeproxy'),
  layout: () => import('./layout'),
  story: () => import('./story'),
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
