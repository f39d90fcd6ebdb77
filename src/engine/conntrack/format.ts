/**
 * Conntrack entries as conntrack-tools prints them (`conntrack -L`):
 *
 *   tcp      6 431999 ESTABLISHED src=10.244.1.2 dst=10.96.0.10 sport=40000 dport=53 \
 *            src=10.244.2.3 dst=10.244.1.2 sport=53 dport=40000 [ASSURED] mark=0 use=1
 */
import { IPPROTO_ICMP } from '../net/packet';
import type { CtEntry, Tuple } from './types';

export const CONNTRACK_VERSION = 'conntrack v1.4.7 (conntrack-tools)';

const PROTO_NAMES: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 58: 'icmpv6', 132: 'sctp' };

export function ctProtoName(n: number): string {
  return PROTO_NAMES[n] ?? 'unknown';
}

function tuple(t: Tuple, isReply: boolean): string {
  const base = `src=${t.src} dst=${t.dst}`;
  if (t.proto === IPPROTO_ICMP) return `${base} type=${isReply ? 0 : 8} code=0 id=${t.sport}`;
  if (t.proto === 58) return `${base} type=${isReply ? 129 : 128} code=0 id=${t.sport}`;
  if (t.proto === 6 || t.proto === 17 || t.proto === 132) return `${base} sport=${t.sport} dport=${t.dport}`;
  return base;
}

/** Seconds left, as the kernel reports them (a fresh 5-day entry shows 431999). */
export function secondsLeft(e: CtEntry, now: number): number {
  return Math.max(0, Math.ceil((e.expires - now) / 1000) - 1);
}

export function formatEntry(e: CtEntry, now: number): string {
  const name = ctProtoName(e.orig.proto);
  const parts = [`${name.padEnd(8)} ${e.orig.proto} ${secondsLeft(e, now)}`];
  if (e.tcp) parts.push(e.tcp);
  parts.push(tuple(e.orig, false));
  if (!e.seenReply) parts.push('[UNREPLIED]');
  parts.push(tuple(e.reply, true));
  if (e.assured) parts.push('[ASSURED]');
  parts.push(`mark=${e.mark}`, 'use=1');
  return parts.join(' ');
}
