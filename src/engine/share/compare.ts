/**
 * Two configurations side by side (`knp diff`, the compare view): for every node the diff of
 * `ip route` and `iptables-save`, the Pod-to-Pod reachability cells that changed, and the
 * trace of the same Send in both. Works on two built Sims; the caller builds them (YAML +
 * seed + journal), so the same code serves the CLI and the worker.
 */
import { reachability } from '../clients/reach';
import { runLine } from '../shell/run';
import type { Sim } from '../sim';
import { walk, type WalkRequest } from '../stack/walk';
import { formatTrace } from '../trace/format';

export type DiffLine = { readonly op: ' ' | '-' | '+'; readonly text: string };

export interface CompareSection {
  /** e.g. "node/node-1: ip route". */
  readonly title: string;
  readonly lines: readonly DiffLine[];
  readonly changed: boolean;
}

export interface ReachChange {
  readonly from: string;
  readonly to: string;
  /** null: the Pod is not in that configuration. */
  readonly a: boolean | null;
  readonly b: boolean | null;
}

export interface CompareResult {
  readonly sections: readonly CompareSection[];
  readonly reach: { readonly port: number; readonly protocol: string; readonly changes: readonly ReachChange[] };
  readonly trace: { readonly request: WalkRequest; readonly a: string; readonly b: string; readonly lines: readonly DiffLine[] } | null;
  readonly changed: boolean;
}

export interface CompareOptions {
  readonly port?: number;
  readonly protocol?: 'TCP' | 'UDP' | 'SCTP';
  readonly send?: WalkRequest;
}

export function compareSims(a: Sim, b: Sim, opts: CompareOptions = {}): CompareResult {
  const nodes = [...new Set([...a.model.nodes.map((n) => n.name), ...b.model.nodes.map((n) => n.name)])].sort();
  const sections: CompareSection[] = [];
  for (const node of nodes) {
    for (const cmd of ['ip route', 'iptables-save']) {
      const out = (sim: Sim) => (sim.model.nodes.some((n) => n.name === node) ? runLine(sim, { kind: 'node', name: node }, cmd).stdout : '');
      const lines = diffLines(stable(out(a)), stable(out(b)));
      sections.push({ title: `node/${node}: ${cmd}`, lines, changed: lines.some((l) => l.op !== ' ') });
    }
  }
  const port = opts.port ?? 80;
  const protocol = opts.protocol ?? 'TCP';
  const ra = reachability(a, { port, protocol });
  const rb = reachability(b, { port, protocol });
  const cell = (r: typeof ra, f: string, t: string): boolean | null => {
    const i = r.pods.indexOf(f);
    const j = r.pods.indexOf(t);
    return i < 0 || j < 0 ? null : r.matrix[i]![j]!;
  };
  const pods = [...new Set([...ra.pods, ...rb.pods])].sort();
  const changes: ReachChange[] = [];
  for (const f of pods) for (const t of pods) {
    const x = cell(ra, f, t);
    const y = cell(rb, f, t);
    if (x !== y) changes.push({ from: f, to: t, a: x, b: y });
  }
  let trace: CompareResult['trace'] = null;
  if (opts.send) {
    const ta = walk(a, opts.send);
    const tb = walk(b, opts.send);
    trace = { request: opts.send, a: ta.verdict, b: tb.verdict, lines: diffLines(formatTrace(ta), formatTrace(tb)) };
  }
  const changed = sections.some((s) => s.changed) || changes.length > 0 || (trace !== null && trace.lines.some((l) => l.op !== ' '));
  return { sections, reach: { port, protocol, changes }, trace, changed };
}

/** Drops iptables-save's timestamp comments and packet counters, which differ between any two runs. */
function stable(text: string): string {
  return text.split('\n').filter((l) => !/^# (Generated|Completed)\b/.test(l)).map((l) => l.replace(/^(:\S+ \S+) \[\d+:\d+\]$/, '$1')).join('\n');
}

/** A line diff (longest common subsequence); large inputs fall back to a cheaper set-based diff. */
export function diffLines(a: string, b: string): DiffLine[] {
  const x = a.split('\n');
  const y = b.split('\n');
  if (x.at(-1) === '') x.pop();
  if (y.at(-1) === '') y.pop();
  const n = x.length;
  const m = y.length;
  if (n * m > 4_000_000) {
    const inB = new Set(y);
    const inA = new Set(x);
    return [...x.map((t): DiffLine => ({ op: inB.has(t) ? ' ' : '-', text: t })), ...y.filter((t) => !inA.has(t)).map((t): DiffLine => ({ op: '+', text: t }))];
  }
  const w = m + 1;
  const L = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) {
    L[i * w + j] = x[i] === y[j] ? L[(i + 1) * w + j + 1]! + 1 : Math.max(L[(i + 1) * w + j]!, L[i * w + j + 1]!);
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) { out.push({ op: ' ', text: x[i]! }); i++; j++; }
    else if (L[(i + 1) * w + j]! >= L[i * w + j + 1]!) out.push({ op: '-', text: x[i++]! });
    else out.push({ op: '+', text: y[j++]! });
  }
  while (i < n) out.push({ op: '-', text: x[i++]! });
  while (j < m) out.push({ op: '+', text: y[j++]! });
  return out;
}

/** `knp diff`'s text: changed lines with 2 lines of context per section, then reachability and the trace. */
export function formatCompare(r: CompareResult, names: { a: string; b: string }): string {
  const out: string[] = [`--- ${names.a}`, `+++ ${names.b}`];
  for (const s of r.sections) {
    out.push(`== ${s.title}${s.changed ? '' : ' (same)'}`);
    if (s.changed) out.push(...context(s.lines, 2));
  }
  out.push(`== reachability ${r.reach.protocol}/${r.reach.port}${r.reach.changes.length ? '' : ' (same)'}`);
  const word = (v: boolean | null) => (v === null ? 'absent' : v ? 'allowed' : 'denied');
  for (const c of r.reach.changes) out.push(`  ${c.from} -> ${c.to}: ${word(c.a)} -> ${word(c.b)}`);
  if (r.trace) {
    const same = !r.trace.lines.some((l) => l.op !== ' ');
    out.push(`== trace ${r.trace.request.from} -> ${r.trace.request.to}${same ? ' (same)' : ''}`);
    out.push(`  verdict: ${r.trace.a} -> ${r.trace.b}`);
    if (!same) out.push(...context(r.trace.lines, 1));
  }
  return `${out.join('\n')}\n`;
}

function context(lines: readonly DiffLine[], n: number): string[] {
  const keep = new Set<number>();
  lines.forEach((l, i) => { if (l.op !== ' ') for (let k = i - n; k <= i + n; k++) keep.add(k); });
  const out: string[] = [];
  let last = -1;
  lines.forEach((l, i) => {
    if (!keep.has(i)) return;
    if (last >= 0 && i > last + 1) out.push('  ...');
    out.push(`${l.op} ${l.text}`);
    last = i;
  });
  return out;
}
