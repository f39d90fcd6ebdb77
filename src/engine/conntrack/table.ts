/**
 * The conntrack table of one namespace: tuple extraction, lookup, creation, the per-packet
 * state update (nf_conntrack_in), confirmation, timeouts on the simulated clock.
 */
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, type Packet } from '../net/packet';
import type { NetNs } from '../net/types';
import { GENERIC_TIMEOUT, ICMP_TIMEOUT, TCP_TIMEOUTS, UDP_STREAM_TIMEOUT, UDP_TIMEOUT, tcpNext, tcpStart } from './tcp';
import type { ConntrackTable, CtDir, CtEntry, CtRef, Tuple } from './types';

export function newConntrackTable(): ConntrackTable {
  return { entries: new Map(), byTuple: new Map(), byMid: new Map(), nextId: 1, nextExpiry: Infinity };
}

export function conntrackOf(ns: NetNs): ConntrackTable {
  if (!ns.conntrack) ns.conntrack = newConntrackTable();
  return ns.conntrack;
}

export const tupleKey = (t: Tuple): string => `${t.proto}|${t.src}|${t.sport}|${t.dst}|${t.dport}`;
export const invert = (t: Tuple): Tuple => ({ proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport });

/** ICMP types that are errors carrying the offending packet (destination unreachable, time exceeded, ...). */
export const isIcmpError = (type: number): boolean => type === 3 || type === 4 || type === 5 || type === 11 || type === 12;

/** An ICMP or ICMPv6 error quoting the packet that caused it (ICMPv6: every type below 128). */
const isErrorPacket = (p: Packet): boolean => !!p.icmp && (p.ip?.version === 6 ? p.icmp.type < 128 : isIcmpError(p.icmp.type));

/** Echo, timestamp, info and address-mask requests. */
const ICMP_REQUESTS: readonly number[] = [8, 13, 15, 17, 128];

/** The tuple of a packet as the kernel extracts it (nf_ct_get_tuple). Null for non-IP or ICMP errors. */
export function tupleOf(p: Packet): Tuple | null {
  const ip = p.ip;
  if (!ip) return null;
  if (p.tcp) return { proto: IPPROTO_TCP, src: ip.src, dst: ip.dst, sport: p.tcp.sport, dport: p.tcp.dport };
  if (p.udp) return { proto: IPPROTO_UDP, src: ip.src, dst: ip.dst, sport: p.udp.sport, dport: p.udp.dport };
  if (p.icmp && ip.version === 6) {
    // ICMPv6: errors (types below 128) and neighbour discovery are not tracked as connections.
    if (p.icmp.type < 128 || p.icmp.type > 129) return null;
    const id = p.icmp.id ?? 0;
    return { proto: ip.protocol, src: ip.src, dst: ip.dst, sport: id, dport: id };
  }
  if (p.icmp) {
    if (isIcmpError(p.icmp.type)) return null;
    const id = p.icmp.id ?? 0;
    return { proto: IPPROTO_ICMP, src: ip.src, dst: ip.dst, sport: id, dport: id };
  }
  return { proto: ip.protocol, src: ip.src, dst: ip.dst, sport: 0, dport: 0 };
}

const key = (proto: number, src: string, sport: number, dst: string, dport: number): string => `${proto}|${src}|${sport}|${dst}|${dport}`;

/** tupleKey(tupleOf(p)) without the tuple (null where tupleOf gives null): a lookup between hooks needs only the key. */
function packetKey(p: Packet): string | null {
  const ip = p.ip;
  if (!ip) return null;
  if (p.tcp) return key(IPPROTO_TCP, ip.src, p.tcp.sport, ip.dst, p.tcp.dport);
  if (p.udp) return key(IPPROTO_UDP, ip.src, p.udp.sport, ip.dst, p.udp.dport);
  if (p.icmp && ip.version === 6) {
    if (p.icmp.type < 128 || p.icmp.type > 129) return null;
    const id = p.icmp.id ?? 0;
    return key(ip.protocol, ip.src, id, ip.dst, id);
  }
  if (p.icmp) {
    if (isIcmpError(p.icmp.type)) return null;
    const id = p.icmp.id ?? 0;
    return key(IPPROTO_ICMP, ip.src, id, ip.dst, id);
  }
  return key(ip.protocol, ip.src, 0, ip.dst, 0);
}

/** The four keys an entry is found by: ORIGINAL, REPLY, and the two between-hooks forms. */
function keysOf(e: CtEntry): [string, string, string, string] {
  const o = e.orig; const r = e.reply;
  // ICMP echo has one id for both "ports": a half-translated packet carries the id of the side
  // rewritten last (the DNAT side going out, the un-SNAT side coming back).
  const icmp = o.proto === IPPROTO_ICMP || o.proto === 58;
  return [
    key(o.proto, o.src, o.sport, o.dst, o.dport),
    key(o.proto, r.src, r.sport, r.dst, r.dport),
    icmp ? key(o.proto, o.src, r.sport, r.src, r.sport) : key(o.proto, o.src, o.sport, r.src, r.sport),
    icmp ? key(o.proto, r.src, o.sport, o.src, o.sport) : key(o.proto, r.src, r.sport, o.src, o.sport),
  ];
}

function register(t: ConntrackTable, e: CtEntry): void {
  const [ko, kr, mo, mr] = keysOf(e);
  // An unconfirmed entry is not in the kernel's hash yet: it must not hide a confirmed one whose
  // tuple it shares (a packet looping back through the node that masqueraded it has, as its
  // reply tuple, the reply tuple of the masqueraded connection; the ICMP time exceeded it then
  // causes must still find that connection, RELATED, to reach the sender).
  const put = (m: Map<string, { readonly id: number; readonly dir: CtDir }>, k: string, dir: CtDir): void => {
    const had = m.get(k);
    if (had && had.id !== e.id && !e.confirmed && t.entries.get(had.id)?.confirmed) return;
    m.set(k, { id: e.id, dir });
  };
  put(t.byTuple, ko, 'original');
  put(t.byTuple, kr, 'reply');
  put(t.byMid, mo, 'original');
  put(t.byMid, mr, 'reply');
}

function unregister(t: ConntrackTable, e: CtEntry): void {
  const [ko, kr, mo, mr] = keysOf(e);
  if (t.byTuple.get(ko)?.id === e.id) t.byTuple.delete(ko);
  if (t.byTuple.get(kr)?.id === e.id) t.byTuple.delete(kr);
  if (t.byMid.get(mo)?.id === e.id) t.byMid.delete(mo);
  if (t.byMid.get(mr)?.id === e.id) t.byMid.delete(mr);
}

export function deleteEntry(t: ConntrackTable, id: number): void {
  const e = t.entries.get(id);
  if (!e) return;
  unregister(t, e);
  t.entries.delete(id);
}

/** Re-keys an entry after NAT changed its reply tuple. */
export function setReply(t: ConntrackTable, e: CtEntry, reply: Tuple): void {
  unregister(t, e);
  e.reply = reply;
  register(t, e);
}

/** Whether a reply tuple is already in use by another connection (NAT must then pick another port). */
export function tupleTaken(t: ConntrackTable, tuple: Tuple, self: number): boolean {
  const hit = t.byTuple.get(tupleKey(tuple));
  const hitInv = t.byTuple.get(tupleKey(invert(tuple)));
  return (hit !== undefined && hit.id !== self) || (hitInv !== undefined && hitInv.id !== self);
}

/** Drops expired entries; a no-op until the clock passes the earliest expiry (kept as a lower bound). */
export function sweep(t: ConntrackTable, now: number): void {
  if (now < t.nextExpiry) return;
  let next = Infinity;
  for (const e of [...t.entries.values()]) {
    if (e.expires <= now) deleteEntry(t, e.id);
    else if (e.expires < next) next = e.expires;
  }
  t.nextExpiry = next;
}

function alive(t: ConntrackTable, id: number, now: number): CtEntry | undefined {
  const e = t.entries.get(id);
  if (!e) return undefined;
  if (e.expires <= now) { deleteEntry(t, id); return undefined; }
  return e;
}

export function lookupTuple(t: ConntrackTable, tuple: Tuple, now: number, mid = false): { entry: CtEntry; dir: CtDir } | undefined {
  const k = tupleKey(tuple);
  const hit = (mid ? t.byMid.get(k) : undefined) ?? t.byTuple.get(k);
  if (!hit) return undefined;
  const entry = alive(t, hit.id, now);
  return entry ? { entry, dir: hit.dir } : undefined;
}

function timeoutFor(e: CtEntry): number {
  if (e.tcp) return TCP_TIMEOUTS[e.tcp];
  if (e.orig.proto === IPPROTO_UDP) return e.assured ? UDP_STREAM_TIMEOUT : UDP_TIMEOUT;
  if (e.orig.proto === IPPROTO_ICMP || e.orig.proto === 58) return ICMP_TIMEOUT;
  return GENERIC_TIMEOUT;
}

export type CtInResult =
  | { readonly kind: 'tracked'; readonly ref: CtRef; readonly entry: CtEntry; readonly created: boolean }
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * nf_conntrack_in: at PREROUTING (received) and OUTPUT (locally sent). Finds or creates the
 * entry for the packet, advances its state, and says what -m conntrack will see.
 */
export function conntrackIn(t: ConntrackTable, p: Packet, now: number): CtInResult {
  sweep(t, now);
  if (isErrorPacket(p)) {
    // An ICMP error belongs to the connection of the packet it quotes (RELATED).
    const inner = p.icmp?.original ? tupleOf(p.icmp.original) : null;
    if (!inner) return { kind: 'invalid', reason: 'ICMP error without a quoted packet' };
    const hit = lookupTuple(t, invert(inner), now);
    if (!hit || !hit.entry.confirmed) return { kind: 'invalid', reason: 'ICMP error for no known connection' };
    return { kind: 'tracked', ref: { id: hit.entry.id, dir: hit.dir, state: 'RELATED' }, entry: hit.entry, created: false };
  }
  const tuple = tupleOf(p);
  if (!tuple) return { kind: 'invalid', reason: 'not an IP packet' };
  let hit = lookupTuple(t, tuple, now);
  if (hit && !hit.entry.confirmed) {
    // A leftover of a first packet that never made it out: the kernel would not have it.
    deleteEntry(t, hit.entry.id);
    hit = undefined;
  }
  if (!hit) {
    let tcp: CtEntry['tcp'];
    if (p.tcp) {
      const s = tcpStart(p.tcp.flags);
      if (s.invalid) return { kind: 'invalid', reason: 'TCP segment cannot start a connection' };
      tcp = s.state;
    }
    const reply = invert(tuple);
    // Only requests open an ICMP "connection" (icmp_new): a reply without one is INVALID.
    if (p.icmp && !ICMP_REQUESTS.includes(p.icmp.type)) return { kind: 'invalid', reason: `ICMP type ${p.icmp.type} without a request` };
    const e: CtEntry = {
      id: t.nextId++, orig: tuple, reply, seenReply: false, assured: tcp === 'ESTABLISHED', confirmed: false,
      srcNat: false, dstNat: false, natDoneSrc: false, natDoneDst: false, ...(tcp ? { tcp } : {}), expires: 0, mark: p.mark ?? 0,
    };
    e.expires = now + timeoutFor(e) * 1000;
    if (e.expires < t.nextExpiry) t.nextExpiry = e.expires;
    t.entries.set(e.id, e);
    register(t, e);
    return { kind: 'tracked', ref: { id: e.id, dir: 'original', state: tcp === 'ESTABLISHED' ? 'ESTABLISHED' : 'NEW' }, entry: e, created: true };
  }
  const { entry: e, dir } = hit;
  if (e.tcp && p.tcp) {
    const step = tcpNext(e.tcp, dir, p.tcp.flags, e.finFrom);
    if (step.invalid) return { kind: 'invalid', reason: `TCP ${flagText(p.tcp.flags)} does not fit ${e.tcp}` };
    if (step.state === 'SYN_SENT' && (e.tcp === 'TIME_WAIT' || e.tcp === 'CLOSE')) {
      // Reopened: start over as a brand new connection on the same tuple.
      deleteEntry(t, e.id);
      return conntrackIn(t, p, now);
    }
    e.tcp = step.state;
    if (step.finFrom) e.finFrom = step.finFrom;
    if (step.state === 'ESTABLISHED' && dir === 'original' && e.seenReply) e.assured = true;
  }
  if (dir === 'reply') e.seenReply = true;
  else if (e.seenReply && e.orig.proto === IPPROTO_UDP) e.assured = true;
  if ((e.orig.proto === IPPROTO_ICMP || e.orig.proto === 58) && dir === 'reply') e.assured = false;
  e.expires = now + timeoutFor(e) * 1000;
  if (e.expires < t.nextExpiry) t.nextExpiry = e.expires;
  const state = dir === 'reply' || e.seenReply ? 'ESTABLISHED' : 'NEW';
  return { kind: 'tracked', ref: { id: e.id, dir, state }, entry: e, created: false };
}

function flagText(f: { syn?: boolean; ack?: boolean; fin?: boolean; rst?: boolean }): string {
  return [f.syn && 'SYN', f.ack && 'ACK', f.fin && 'FIN', f.rst && 'RST'].filter(Boolean).join(',') || 'no flags';
}

/** The entry a packet belongs to between hooks (INPUT, FORWARD, POSTROUTING) when no CtRef was carried. */
export function findForPacket(t: ConntrackTable, p: Packet, now: number): { entry: CtEntry; ref: CtRef } | undefined {
  if (isErrorPacket(p)) {
    const inner = p.icmp?.original ? tupleOf(p.icmp.original) : null;
    if (!inner) return undefined;
    const hit = lookupTuple(t, invert(inner), now, true);
    return hit ? { entry: hit.entry, ref: { id: hit.entry.id, dir: hit.dir, state: 'RELATED' } } : undefined;
  }
  // lookupTuple(t, tupleOf(p), now, true), without the tuple and the intermediate answer.
  const k = packetKey(p);
  if (k === null) return undefined;
  const hit = t.byMid.get(k) ?? t.byTuple.get(k);
  if (!hit) return undefined;
  const entry = alive(t, hit.id, now);
  if (!entry) return undefined;
  const state = hit.dir === 'reply' || entry.seenReply ? 'ESTABLISHED' : 'NEW';
  return { entry, ref: { id: entry.id, dir: hit.dir, state } };
}

/**
 * A packet coming back in on lo after OUTPUT and POSTROUTING in the same namespace: it may be
 * DNATed only (a mid key), untranslated, or fully translated (the inverse of the other
 * direction's tuple).
 */
export function findLoopedBack(t: ConntrackTable, p: Packet, now: number): { entry: CtEntry; ref: CtRef } | undefined {
  const found = findForPacket(t, p, now);
  if (found) return found;
  const tuple = tupleOf(p);
  if (!tuple) return undefined;
  const hit = lookupTuple(t, invert(tuple), now);
  if (!hit) return undefined;
  const dir: CtDir = hit.dir === 'original' ? 'reply' : 'original';
  const state = dir === 'reply' || hit.entry.seenReply ? 'ESTABLISHED' : 'NEW';
  return { entry: hit.entry, ref: { id: hit.entry.id, dir, state } };
}
