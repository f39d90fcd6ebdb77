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

const EXPLAINED = new Set(['route', 'forward', 'encap', 'decap', 'userspace', 'nat', 'deliver', 'app', 'drop', 'icmp-error', 'bridge-forward', 'bridge-flood', 'veth', 'netfilter', 'policy', 'ipvs']);

/** `knp trace --explain`: the decisive steps of the first leg, its answer and the data legs, in words. */
export function explainTrace(t: Trace): string {
  const first = t.events[0]?.flow;
  const flows = new Set<string>();
  if (first) flows.add(first);
  const replyStart = t.events.find((e) => e.flow !== first && e.flow !== 'arp' && e.flow !== 'ndisc' && e.type === 'send');
  if (replyStart) flows.add(replyStart.flow);
  // For TCP, the request and its response are the legs that carry the application's data.
  flows.add('request');
  flows.add('response');
  const lines: string[] = ['', 'explanation:'];
  let flow = '';
  for (const e of t.events) {
    if (!flows.has(e.flow) || !EXPLAINED.has(e.type)) continue;
    if (e.flow !== flow) { flow = e.flow; lines.push(`  ${flow}:`); }
    const what = e.type === 'veth' ? `crosses the veth pair into ${e.where.ns}` : e.summary;
    lines.push(`    in ${e.where.ns}${e.where.dev ? ` (${e.where.dev})` : ''}: ${what}`);
  }
  lines.push(`  => ${t.verdict}${t.reason ? `: ${t.reason}` : ''}`);
  return `${lines.join('\n')}\n`;
}
