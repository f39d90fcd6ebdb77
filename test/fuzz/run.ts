/**
 * Runs the three fuzz surfaces with fast-check and reports what it tried. A failure comes back
 * shrunk, with the seed and path that replay it (`npm run fuzz -- --seed S --path P`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  LiveSim, ROOT, checkCommands, checkLink, checkScenario, commandArb, commandNames, corpus, encodeCorpus, linkArb,
  newStats, scenarioArb, targetArb, type Stats,
} from './harness';

export interface SurfaceReport {
  readonly surface: 'scenarios' | 'commands' | 'links';
  /** Property runs (a command run is a sequence of lines; `inputs` counts the lines). */
  readonly runs: number;
  readonly inputs: number;
  readonly ms: number;
  readonly stats: Stats;
  readonly failure?: { readonly seed: number; readonly path: string; readonly counterexample: string; readonly error: string; readonly shrinks: number };
  readonly extra?: string;
}

export interface FuzzOptions {
  readonly seed: number;
  readonly scenarios: number;
  readonly commands: number;
  readonly links: number;
  /** Size of the hostile scenario generators (1 in CI: up to 100 documents, 50 KB values). */
  readonly scale: number;
  /** Replay one failing case (from a report) instead of searching. */
  readonly path?: string;
}

function failureOf(d: fc.RunDetails<unknown>, show: (c: unknown) => string): SurfaceReport['failure'] {
  if (!d.failed || !d.counterexample) return undefined;
  const err = d.errorInstance instanceof Error ? d.errorInstance.message : String(d.errorInstance);
  return { seed: d.seed, path: d.counterexamplePath ?? '', counterexample: show(d.counterexample), error: err.split('\n')[0] ?? '', shrinks: d.numShrinks };
}

function params(o: FuzzOptions, numRuns: number): fc.Parameters<unknown> {
  return { seed: o.seed, numRuns, ...(o.path ? { path: o.path } : {}), endOnFailure: false };
}

export function fuzzScenarios(o: FuzzOptions): SurfaceReport {
  const texts = corpus();
  const stats = newStats();
  const t0 = performance.now();
  const d = fc.check(fc.property(scenarioArb(texts, o.scale), (s) => { checkScenario(s.text, stats, s.label); }), params(o, o.scenarios) as fc.Parameters<[{ label: string; text: string }]>);
  const ms = performance.now() - t0;
  const failure = failureOf(d as fc.RunDetails<unknown>, (c) => {
    const [s] = c as [{ label: string; text: string }];
    return `${s.label}:\n${s.text.length > 4000 ? `${s.text.slice(0, 4000)}\n… (${s.text.length} chars)` : s.text}`;
  });
  return { surface: 'scenarios', runs: d.numRuns, inputs: stats.tried, ms, stats, ...(failure ? { failure } : {}), extra: `${texts.length} corpus files` };
}

export function fuzzCommands(o: FuzzOptions): SurfaceReport {
  const live = new LiveSim(readFileSync(join(ROOT, 'content', 'scenarios', 'default.yaml'), 'utf8'));
  const names = commandNames();
  const stats = newStats();
  const seqArb = fc.array(fc.record({ target: targetArb, line: commandArb(names) }), { minLength: 1, maxLength: 12 });
  const t0 = performance.now();
  // About 6.5 lines per run: aim the run count a little over the number of lines asked for.
  const runs = Math.max(1, Math.round(o.commands / 6));
  const d = fc.check(fc.property(seqArb, (seq) => { checkCommands(live, seq, stats); }), params(o, runs) as fc.Parameters<[{ target: unknown; line: string }[]]>);
  const ms = performance.now() - t0;
  const failure = failureOf(d as fc.RunDetails<unknown>, (c) => {
    const [seq] = c as [{ target: unknown; line: string }[]];
    return seq.map((s) => `${JSON.stringify(s.target)} $ ${s.line}`).join('\n');
  });
  return { surface: 'commands', runs: d.numRuns, inputs: stats.tried, ms, stats, ...(failure ? { failure } : {}), extra: `${names.length} commands in the registry` };
}

export async function fuzzLinks(o: FuzzOptions): Promise<SurfaceReport> {
  const texts = corpus().filter((c) => c.path.startsWith('content/'));
  const encoded = await encodeCorpus(texts);
  const stats = newStats();
  const decoded = { decoded: 0 };
  const t0 = performance.now();
  const d = await fc.check(fc.asyncProperty(linkArb(encoded), async (h) => { await checkLink(h, stats, decoded); }), params(o, o.links) as fc.Parameters<[string]>);
  const ms = performance.now() - t0;
  const failure = failureOf(d as fc.RunDetails<unknown>, (c) => JSON.stringify((c as [string])[0]));
  return { surface: 'links', runs: d.numRuns, inputs: stats.tried, ms, stats, ...(failure ? { failure } : {}), extra: `${decoded.decoded} decoded to text and were built` };
}

export function formatReport(rs: readonly SurfaceReport[], o: FuzzOptions): string {
  const out: string[] = [`knp fuzz: seed ${o.seed}`];
  for (const r of rs) {
    out.push(`${r.surface}: ${r.inputs} inputs in ${r.runs} runs, ${(r.ms / 1000).toFixed(1)} s, ${r.failure ? 'FAILED' : '0 failures'}${r.extra ? ` (${r.extra})` : ''}`);
    for (const [k, v] of [...r.stats.slowest].sort((a, b) => a[1].bytes - b[1].bytes)) {
      out.push(`  slowest ${k.padEnd(12)} ${v.ms.toFixed(1).padStart(8)} ms CPU  ${v.bytes} bytes  ${v.label.replace(/\s+/g, ' ').slice(0, 90)}`);
    }
    if (r.failure) {
      out.push(`  error: ${r.failure.error}`);
      out.push(`  shrunk ${r.failure.shrinks} times; replay: npm run fuzz -- --only ${r.surface} --seed ${r.failure.seed} --path ${r.failure.path}`);
      out.push(r.failure.counterexample.split('\n').map((l) => `  | ${l}`).join('\n'));
    }
  }
  return out.join('\n');
}
