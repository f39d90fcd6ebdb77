/**
 * The trace as readable text: one line per event, then the verdict. Used by `knp trace`,
 * golden files and the terminal. Columns: seq, time (µs since the walk started), flow (which
 * leg of the exchange), where (namespace and device), event type, summary.
 */
import type { Hop, Trace, TraceEvent } from './types';

export function formatWhere(e: TraceEvent): string {
  return e.where.dev !== undefined ? `${e.where.ns} ${e.where.dev}` : e.where.ns;
}

export function formatEvent(e: TraceEvent): string {
  return `${String(e.seq).padStart(3)} ${String(e.t).padStart(7)}us  ${`[${e.flow}]`.padEnd(16)} ${formatWhere(e).padEnd(30)} ${e.type.padEnd(14)} ${e.summary}`;
}

export function formatPath(hops: readonly Hop[]): string {
  return hops.length ? hops.map((h) => (h.dev ? `${h.machine} (${h.dev})` : h.machine)).join(' -> ') : '(none)';
}

export function formatTrace(t: Trace): string {
  const lines = [`trace ${t.from} -> ${t.to} (${t.protocol})`];
  for (const e of t.events) lines.push(formatEvent(e));
  lines.push(`verdict: ${t.verdict}`);
  if (t.reason) lines.push(`reason: ${t.reason}`);
  lines.push(`responder: ${t.responder ?? '-'}`);
  lines.push(`seen source: ${t.seenSource ?? '-'}`);
  lines.push(`path: ${formatPath(t.path)}`);
  lines.push(`reply path: ${formatPath(t.replyPath)}`);
  lines.push(`rules evaluated: ${t.rulesEvaluated}`);
  return `${lines.join('\n')}\n`;
}
