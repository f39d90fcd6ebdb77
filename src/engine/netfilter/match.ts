/**
 * Rule matching: the IP part of a rule (-s -d -i -o -p) and each match extension, evaluated
 * against a packet view (the headers as numbers, read once per hook) and the hook's context.
 */
import { formatIPv4, maskOf, parseIPv4 } from '../addr/ip';
import { formatIPv6, mask6, parseIPv6 } from '../addr/ip6';
import type { Packet } from '../net/packet';
import { ipsetTest, type IpSetLike } from './ipset';
import { protoName } from './format';
import type { AddrMatch, CtStateName, IfaceMatch, Match, NetfilterState, Rule } from './types';

export interface PacketView {
  readonly src: number;
  readonly dst: number;
  readonly proto: number;
  readonly sport?: number;
  readonly dport?: number;
  /** TCP flag bits as in the header (FIN 1, SYN 2, RST 4, PSH 8, ACK 16). */
  readonly tcpFlags: number;
  readonly icmpType?: number;
  readonly icmpCode?: number;
  readonly length: number;
  readonly ttl: number;
  /** IPv6 packets (ip6tables): the addresses as 128-bit values; `src`/`dst` are then 0. */
  readonly src6?: bigint;
  readonly dst6?: bigint;
}

export function viewOf(p: Packet): PacketView | null {
  const ip = p.ip;
  if (ip?.version === 6) return viewOf6(p);
  if (!ip || ip.version !== 4) return null;
  const src = addrOf(ip.src);
  const dst = addrOf(ip.dst);
  if (src === null || dst === null) return null;
  const f = p.tcp?.flags;
  const tcpFlags = f ? (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0) : 0;
  const l4 = p.tcp ?? p.udp;
  const v: { -readonly [K in keyof PacketView]: PacketView[K] } = { src, dst, proto: ip.protocol, tcpFlags, length: ip.length, ttl: ip.ttl };
  if (l4) { v.sport = l4.sport; v.dport = l4.dport; }
  if (p.icmp) { v.icmpType = p.icmp.type; v.icmpCode = p.icmp.code; }
  return v;
}

/** An IPv6 packet as ip6tables' matches see it. */
function viewOf6(p: Packet): PacketView | null {
  const ip = p.ip!;
  const src6 = parseIPv6(ip.src);
  const dst6 = parseIPv6(ip.dst);
  if (src6 === null || dst6 === null) return null;
  const f = p.tcp?.flags;
  const tcpFlags = f ? (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0) : 0;
  const l4 = p.tcp ?? p.udp;
  const v: { -readonly [K in keyof PacketView]: PacketView[K] } = { src: 0, dst: 0, src6, dst6, proto: ip.protocol, tcpFlags, length: ip.length, ttl: ip.ttl };
  if (l4) { v.sport = l4.sport; v.dport = l4.dport; }
  if (p.icmp) { v.icmpType = p.icmp.type; v.icmpCode = p.icmp.code; }
  return v;
}

/** Does an ip6tables address match hold for a 128-bit address? */
function addr6Matches(a: AddrMatch, ip: bigint | undefined): boolean {
  if (ip === undefined || a.v6 === undefined) return false;
  return (ip & mask6(a.len)) === a.v6;
}

/** Parsed addresses by text: every hook views the packet, and a walk sees few distinct addresses. */
const parsed = new Map<string, number | null>();

function addrOf(text: string): number | null {
  let v = parsed.get(text);
  if (v === undefined) {
    v = parseIPv4(text);
    if (parsed.size >= 4096) parsed.clear();
    parsed.set(text, v);
  }
  return v;
}

/** What a match may consult besides the packet. `mark` is mutable: MARK rewrites it mid-walk. */
export interface MatchEnv {
  readonly inDev?: string;
  readonly outDev?: string;
  readonly physIn?: string;
  readonly physOut?: string;
  readonly bridged: boolean;
  readonly now: number;
  readonly random: () => number;
  readonly ctState: CtStateName;
  readonly ctSnat: boolean;
  readonly ctDnat: boolean;
  mark: number;
  /** The connection's mark (CONNMARK reads and writes it; written back to the conntrack entry). */
  ctmark?: number;
  /** The namespace's local addresses (addrtype LOCAL), computed on first use. */
  readonly isLocal: (ip: number) => boolean;
  /** The same for an IPv6 address (ip6tables' addrtype). */
  readonly isLocal6?: (ip: bigint) => boolean;
  readonly state: NetfilterState;
  /** ipset lookup for -m set (see ipset.ts findSet). */
  readonly findSet: (name: string) => IpSetLike | undefined;
}

export function ifaceMatches(m: IfaceMatch, dev: string | undefined): boolean {
  let hit: boolean;
  if (dev === undefined) hit = false;
  else if (m.name.endsWith('+')) hit = dev.startsWith(m.name.slice(0, -1));
  else hit = dev === m.name;
  return hit !== m.inv;
}

const inRange = (v: number | undefined, min: number, max: number): boolean => v !== undefined && v >= min && v <= max;

function matchOne(m: Match, p: PacketView, env: MatchEnv): boolean {
  switch (m.kind) {
    case 'comment': return true;
    case 'nfacct': {
      const o = env.state.nfacct?.get(m.name);
      if (o) { o.pkts++; o.bytes += p.length; }
      return true;
    }
    case 'tcp': case 'udp': case 'sctp': {
      if (p.sport === undefined) return false;
      if (m.sport && inRange(p.sport, m.sport.range.min, m.sport.range.max) === m.sport.inv) return false;
      if (m.dport && inRange(p.dport, m.dport.range.min, m.dport.range.max) === m.dport.inv) return false;
      if (m.kind === 'tcp' && m.tcpFlags && ((p.tcpFlags & m.tcpFlags.mask) === m.tcpFlags.comp) === m.tcpFlags.inv) return false;
      return true;
    }
    case 'icmp': {
      if (p.icmpType === undefined) return false;
      const hit = m.type === 255 || (p.icmpType === m.type && inRange(p.icmpCode, m.codeMin, m.codeMax));
      return hit !== m.inv;
    }
    case 'addrtype': {
      // Only LOCAL and UNICAST are modelled: every non-local address counts as UNICAST.
      const typeOf = (ip: number): string => (env.isLocal(ip) ? 'LOCAL' : ip === 0xffffffff ? 'BROADCAST' : (ip >>> 28) === 14 ? 'MULTICAST' : 'UNICAST');
      // IPv6 has no broadcast; ff00::/8 is multicast.
      const typeOf6 = (ip: bigint | undefined): string => (ip === undefined ? 'UNSPEC' : env.isLocal6?.(ip) ? 'LOCAL' : (ip >> 120n) === 0xffn ? 'MULTICAST' : 'UNICAST');
      const v6 = p.dst6 !== undefined;
      if (m.src && m.src.types.includes(v6 ? typeOf6(p.src6) : typeOf(p.src)) === m.src.inv) return false;
      if (m.dst && m.dst.types.includes(v6 ? typeOf6(p.dst6) : typeOf(p.dst)) === m.dst.inv) return false;
      return true;
    }
    case 'mark': return (((env.mark & m.mask) >>> 0) === m.value) !== m.inv;
    case 'conntrack': case 'state': {
      const hit = m.states.includes(env.ctState) || (env.ctSnat && m.states.includes('SNAT')) || (env.ctDnat && m.states.includes('DNAT'));
      return hit !== m.inv;
    }
    case 'statistic': {
      if (m.mode === 'random') return (env.random() < m.probability) !== m.inv;
      // xt_statistic nth: the counter wraps at `every`; the packet that wraps it matches.
      const c = m.counter;
      c.n = c.n >= m.every - 1 ? 0 : c.n + 1;
      return (c.n === (m.packet % m.every)) !== m.inv;
    }
    case 'recent': return matchRecent(m, p, env) !== m.inv;
    case 'set': {
      const set = env.findSet(m.name);
      if (!set) return m.inv;
      const v6 = p.src6 !== undefined && p.dst6 !== undefined;
      const hit = ipsetTest(set, m.flags, { src: v6 ? formatIPv6(p.src6!) : formatIPv4(p.src), dst: v6 ? formatIPv6(p.dst6!) : formatIPv4(p.dst), proto: protoName(p.proto), ...(p.sport !== undefined ? { sport: p.sport } : {}), ...(p.dport !== undefined ? { dport: p.dport } : {}) });
      return hit !== m.inv;
    }
    case 'multiport': {
      const test = (v: number | undefined): boolean => m.ports.some((r) => inRange(v, r.min, r.max));
      const hit = m.which === 'sports' ? test(p.sport) : m.which === 'dports' ? test(p.dport) : test(p.sport) || test(p.dport);
      return hit !== m.inv;
    }
    case 'physdev': {
      if (m.in && !ifaceMatches(m.in, env.bridged ? env.physIn : undefined)) return false;
      if (m.out && !ifaceMatches(m.out, env.bridged ? env.physOut : undefined)) return false;
      if (m.isIn && (env.bridged && env.physIn !== undefined) === !!m.isInInv) return false;
      if (m.isOut && (env.bridged && env.physOut !== undefined) === !!m.isOutInv) return false;
      if (m.isBridged && (env.bridged && env.physOut !== undefined) === !!m.isBridgedInv) return false;
      return true;
    }
  }
}

/** xt_recent: lists of addresses with the times they were seen, per name. */
function matchRecent(m: Extract<Match, { kind: 'recent' }>, p: PacketView, env: MatchEnv): boolean {
  const a6 = m.side === 'source' ? p.src6 : p.dst6;
  const addr: number | bigint = a6 !== undefined ? a6 & (m.mask6 ?? mask6(128)) : ((m.side === 'source' ? p.src : p.dst) & m.mask) >>> 0;
  let list = env.state.recent.get(m.name);
  if (!list) { list = new Map(); env.state.recent.set(m.name, list); }
  const seen = list.get(addr);
  if (m.op === 'set') {
    list.set(addr, [...(seen ?? []), env.now].slice(-20));
    return true;
  }
  if (!seen) return false;
  if (m.op === 'remove') { list.delete(addr); return true; }
  const since = m.seconds !== undefined ? env.now - m.seconds * 1000 : -Infinity;
  const hits = seen.filter((t) => t >= since).length;
  const hit = hits >= Math.max(1, m.hitcount ?? 0);
  if (m.reap && m.seconds !== undefined) {
    const kept = seen.filter((t) => t >= since);
    if (kept.length) list.set(addr, kept); else list.delete(addr);
  }
  if (m.op === 'update' && hit) list.set(addr, [...(list.get(addr) ?? []), env.now].slice(-20));
  return hit;
}

/** Does the rule match? The IP part first (cheap), then each extension in order. */
export function ruleMatches(r: Rule, p: PacketView, env: MatchEnv): boolean {
  if (r.src && (r.src.v6 !== undefined || p.src6 !== undefined ? addr6Matches(r.src, p.src6) : ((p.src & maskOf(r.src.len)) >>> 0) === r.src.base) === r.src.inv) return false;
  if (r.dst && (r.dst.v6 !== undefined || p.dst6 !== undefined ? addr6Matches(r.dst, p.dst6) : ((p.dst & maskOf(r.dst.len)) >>> 0) === r.dst.base) === r.dst.inv) return false;
  if (r.inIface && !ifaceMatches(r.inIface, env.inDev)) return false;
  if (r.outIface && !ifaceMatches(r.outIface, env.outDev)) return false;
  if (r.proto && (p.proto === r.proto.num) === r.proto.inv) return false;
  for (const m of r.matches) if (!matchOne(m, p, env)) return false;
  return true;
}
