/**
 * The scale suite (issue #19): the generated S/M/L scenarios (bench/scenarios/generate.ts), end
 * to end, each figure against the issue's target:
 *
 * - cold: YAML → live simulation (buildSim);
 * - edit: a one-line edit of the YAML → the new simulation (buildSim with the previous Sim, as the
 *   worker rebuilds after an edit);
 * - apply: the same edit applied to the running cluster (`keepRunning`, what `kubectl apply` does):
 *   Pods that did not change stay where they run; no target of its own (the issue's edit target is
 *   for the editor's edit, a cold build of the new text), shown to say where the edit's time goes;
 * - scale: `kubectl scale` of one Deployment (runLine → rebuildSim);
 * - trace: one cross-node HTTP exchange to a Service by name, with the DNS lookup first, through
 *   the full ruleset (warm caches, as a second curl finds them);
 * - memory: heap held by one live simulation after GC (needs node --expose-gc; `npm run bench` has it);
 * - cli: `knp exec L node/node-2 -- iptables-save` minus the same for S (wall time of the process).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildSim, runLine, walk, type Sim } from '../src/engine/index';
import type { Bench, BenchResult } from './harness';
import { generate, SIZES, traceTarget, type Size } from './scenarios/generate';

export const TARGETS: Record<string, Partial<Record<Size, number>>> = {
  cold: { S: 20, M: 100, L: 1000 },
  edit: { S: 5, M: 20, L: 100 },
  scale: { S: 2, M: 10, L: 50 },
  trace: { S: 1, M: 2, L: 5 },
  memory: { M: 30, L: 150 },
  cli: { L: 1500 },
};

export const FIGURES: Record<string, string> = {
  cold: 'YAML → live simulation, cold',
  edit: 'one-line edit → new simulation',
  apply: 'the same edit applied to the running cluster (keepRunning)',
  scale: '`kubectl scale` of one Deployment',
  trace: 'one cross-node trace with DNS through the full ruleset',
  memory: 'engine memory held (MB, heap after GC)',
  cli: 'CLI: build + one node\'s `iptables-save`, L minus S',
};

export interface ScaleOptions {
  readonly sizes?: readonly Size[];
  /** Timed runs per figure and size (default: S 20, M 7, L 3). */
  readonly runs?: Partial<Record<Size, number>>;
  /** Run the CLI figure (spawns `node bin/knp.mjs`; needs S and L). */
  readonly cli?: boolean;
  readonly log?: (line: string) => void;
}

const DEFAULT_RUNS: Record<Size, number> = { S: 20, M: 7, L: 3 };

/**
 * Times `fn`: wall milliseconds per run, with this process's CPU milliseconds per run in the note
 * (on a shared machine the wall time includes waiting for a core; CPU time does not, but counts
 * the GC's helper threads too).
 */
function sample(name: string, size: Size, figure: string, runs: number, warmup: number, fn: () => void, note?: string): BenchResult {
  for (let i = 0; i < warmup; i++) fn();
  const samples: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  cpu.sort((a, b) => a - b);
  const c = cpu[Math.floor(cpu.length / 2)]!;
  return summary(name, size, figure, samples, `cpu ${c < 10 ? c.toFixed(2) : c.toFixed(0)} ms${note ? `; ${note}` : ''}`);
}

function summary(name: string, size: Size, figure: string, samples: number[], note?: string, unit?: string): BenchResult {
  const s = [...samples].sort((a, b) => a - b);
  const target = TARGETS[figure]?.[size];
  return {
    name, size, figure, runs: s.length, ms: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]!,
    ...(target !== undefined ? { targetMs: target } : {}), ...(note ? { note } : {}), ...(unit ? { unit } : {}),
  };
}

/** The same YAML with one line changed: the first Deployment's replicas (a real change to the cluster). */
export function editedText(text: string): string {
  return text.replace(/replicas: (\d+)/, (_, n: string) => `replicas: ${Number(n) + 1}`);
}

/** Checks the scenario built as generated: the sizes are what the table says, nothing is wrong. */
export function checkBuilt(size: Size, sim: Sim, diagnostics: readonly { severity: string; code: string }[]): void {
  const spec = SIZES[size];
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`scale ${size}: ${errors.length} errors (${errors[0]!.code})`);
  const user = sim.model.pods.filter((p) => !p.system);
  if (sim.model.nodes.length !== spec.nodes) throw new Error(`scale ${size}: ${sim.model.nodes.length} nodes`);
  if (user.length !== spec.pods) throw new Error(`scale ${size}: ${user.length} Pods, not ${spec.pods}`);
  if (user.some((p) => !p.podIP || !p.nodeName)) throw new Error(`scale ${size}: a Pod was not scheduled`);
  const svcs = sim.model.services.filter((s) => s.meta.name.startsWith('app-'));
  if (svcs.length !== spec.services) throw new Error(`scale ${size}: ${svcs.length} Services`);
  if (sim.model.networkPolicies.length !== spec.policies) throw new Error(`scale ${size}: ${sim.model.networkPolicies.length} policies`);
}

/** The walk the trace figure times: client → the last app's Service by name, its Pods on other nodes. */
export function traceRequest(size: Size): { from: string; to: string } {
  const t = traceTarget(size);
  return { from: 'pod/default/client', to: `http://${t.name}.${t.ns}.svc.cluster.local/` };
}

/** Throws unless the trace resolved the name, crossed nodes and was answered. */
export function checkTrace(size: Size, sim: Sim): void {
  const req = traceRequest(size);
  const tr = walk(sim, req);
  if (tr.verdict !== 'delivered') throw new Error(`scale ${size} trace: ${tr.verdict} (${tr.reason ?? ''})`);
  const client = sim.model.pods.find((p) => p.meta.name === 'client')!;
  const t = traceTarget(size);
  const backends = sim.model.pods.filter((p) => p.meta.namespace === t.ns && p.meta.labels.app === t.name);
  if (backends.some((p) => p.nodeName === client.nodeName)) throw new Error(`scale ${size}: a backend shares the client's node`);
  const text = JSON.stringify(tr.events);
  if (!text.includes('"dport":53') && !text.includes('dns')) throw new Error(`scale ${size} trace: no DNS lookup in the trace`);
}

function gc(): boolean {
  const g = (globalThis as { gc?: () => void }).gc;
  if (!g) return false;
  g(); g();
  return true;
}

function cliMs(file: string, runs: number): number[] {
  const bin = new URL('../bin/knp.mjs', import.meta.url).pathname;
  const out: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [bin, 'exec', file, 'node/node-2', '--', 'iptables-save'], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const ms = performance.now() - t0;
    if (r.status !== 0 || !r.stdout.includes('*nat')) throw new Error(`knp exec ${file}: exit ${r.status} ${r.stderr.slice(0, 200)}`);
    if (i > 0) out.push(ms); // the first run warms tsx's compile cache
  }
  return out;
}

export async function scaleBench(opts: ScaleOptions = {}): Promise<BenchResult[]> {
  const sizes = opts.sizes ?? ['S', 'M', 'L'];
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const out: BenchResult[] = [];
  for (const size of sizes) {
    const runs = opts.runs?.[size] ?? DEFAULT_RUNS[size];
    const text = generate(size);
    const edited = editedText(text);
    const label = (f: string): string => `scale ${size}: ${FIGURES[f]}`;
    log(`scale ${size}: ${text.length} bytes of YAML`);

    // Memory first, from a clean heap: the one Sim the other figures then use.
    const hadGc = gc();
    const base = process.memoryUsage().heapUsed;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const built = buildSim(text, { seed: 1, file: `scale-${size}.yaml` });
    // The first build is a cold sample too (the only one when runs is 1).
    const firstMs = performance.now() - t0;
    const firstCpu = process.cpuUsage(c0);
    checkBuilt(size, built.sim, built.diagnostics);
    let sim = built.sim;
    if (hadGc) {
      gc();
      const mb = (process.memoryUsage().heapUsed - base) / 2 ** 20;
      out.push(summary(label('memory'), size, 'memory', [mb], `${sim.model.pods.length} Pods incl. system`, 'MB'));
    } else {
      log('scale: no global gc (run node with --expose-gc): memory not measured');
    }

    if (runs > 1) out.push(sample(label('cold'), size, 'cold', runs, size === 'L' ? 0 : 1, () => { buildSim(text, { seed: 1 }); }));
    else out.push(summary(label('cold'), size, 'cold', [firstMs], `cpu ${((firstCpu.user + firstCpu.system) / 1000).toFixed(0)} ms`));
    const warm = runs > 1 ? 1 : 0;

    let flip = false;
    let prev: Sim = sim;
    out.push(sample(label('edit'), size, 'edit', runs, warm, () => {
      flip = !flip;
      prev = buildSim(flip ? edited : text, { seed: 1, previous: prev }).sim;
    }));

    let flipApplied = false;
    let applied: Sim = sim;
    out.push(sample(label('apply'), size, 'apply', runs, warm, () => {
      flipApplied = !flipApplied;
      applied = buildSim(flipApplied ? edited : text, { seed: 1, previous: applied, keepRunning: true }).sim;
    }));

    // kubectl scale: one Deployment one replica up, then back down.
    const spec = SIZES[size];
    const ns = spec.namespaces === 1 ? 'default' : 'team-0';
    const reps = Number(/replicas: (\d+)/.exec(text)![1]);
    let up = false;
    out.push(sample(label('scale'), size, 'scale', size === 'L' ? runs : runs * 2, size === 'L' ? warm : 2, () => {
      up = !up;
      const r = runLine(sim, { kind: 'workstation' }, `kubectl scale deployment app-0 -n ${ns} --replicas=${up ? reps + 1 : reps}`);
      if (r.exitCode !== 0) throw new Error(`kubectl scale: ${r.stderr}`);
    }));

    // A fresh simulation for the trace (with one run: the scaled one, its trace target untouched).
    if (runs > 1) sim = buildSim(text, { seed: 1 }).sim;
    checkTrace(size, sim);
    const req = traceRequest(size);
    out.push(sample(label('trace'), size, 'trace', runs * 10, 3, () => { walk(sim, req); }, 'curl by name: DNS over UDP, then TCP SYN..FIN'));
  }

  if (opts.cli && sizes.includes('S') && sizes.includes('L')) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'knp-scale-'));
    try {
      const s = path.join(dir, 's.yaml');
      const l = path.join(dir, 'l.yaml');
      writeFileSync(s, generate('S'));
      writeFileSync(l, generate('L'));
      const runs = opts.runs?.L ?? DEFAULT_RUNS.L;
      const sMs = cliMs(s, runs).sort((a, b) => a - b);
      const lMs = cliMs(l, runs).sort((a, b) => a - b);
      const diff = lMs.map((v, i) => v - sMs[Math.min(i, sMs.length - 1)]!);
      out.push(summary(`scale L: ${FIGURES.cli}`, 'L', 'cli', diff, `S alone ${sMs[Math.floor(sMs.length / 2)]!.toFixed(0)} ms`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return out;
}

/** `SCALE_RUNS=S=20,M=7,L=1 npm run bench -- scale`: fewer runs on a busy machine. */
function runsFromEnv(): Partial<Record<Size, number>> {
  const out: Partial<Record<Size, number>> = {};
  for (const part of (process.env.SCALE_RUNS ?? '').split(',')) {
    const [k, v] = part.split('=');
    if ((k === 'S' || k === 'M' || k === 'L') && Number(v) >= 1) out[k] = Number(v);
  }
  return out;
}

export const bench: Bench = () => scaleBench({ cli: true, runs: runsFromEnv() });
