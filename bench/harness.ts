/** Benchmark helpers: time a function over repeated runs and report the median, with the target beside it. */
import { performance } from 'node:perf_hooks';

export interface BenchResult {
  readonly name: string;
  /** Median milliseconds per run. */
  readonly ms: number;
  readonly runs: number;
  /** Fastest and slowest run (ms). */
  readonly min?: number;
  readonly max?: number;
  /** What the figure measures when it is not milliseconds (e.g. 'MB'); `ms` then holds that value. */
  readonly unit?: string;
  /** The scale suite's size (S, M, L) and figure id, for docs/performance.md. */
  readonly size?: string;
  readonly figure?: string;
  /** Target in milliseconds, when the issue names one. */
  readonly targetMs?: number;
  readonly note?: string;
}

export function time(name: string, fn: () => void, opts: { runs?: number; warmup?: number; targetMs?: number; note?: string } = {}): BenchResult {
  const runs = opts.runs ?? 10;
  for (let i = 0; i < (opts.warmup ?? 2); i++) fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const ms = samples[Math.floor(samples.length / 2)]!;
  return { name, ms, runs, min: samples[0]!, max: samples[samples.length - 1]!, ...(opts.targetMs !== undefined ? { targetMs: opts.targetMs } : {}), ...(opts.note ? { note: opts.note } : {}) };
}

export type Bench = () => Promise<BenchResult[]> | BenchResult[];
