/**
 * NAT on top of conntrack (nf_nat): a binding is chosen once, on a connection's first packet,
 * by changing the entry's REPLY tuple; every later packet is rewritten from the tuples alone.
 *
 *   manip    direction   rewrite                          applied when
 *   dst      original    dst := reply.src, dport := reply.sport   DNAT was set up
 *   src      original    src := reply.dst, sport := reply.dport   SNAT was set up
 *   dst      reply       dst := orig.src,  dport := orig.sport    (undo SNAT)
 *   src      reply       src := orig.dst,  sport := orig.dport    (undo DNAT)
 *
 * dst manip happens at PREROUTING/OUTPUT, src manip at POSTROUTING/INPUT.
 */
import type { Packet } from '../net/packet';
import { setReply, tupleTaken } from './table';
import type { ConntrackTable, CtDir, CtEntry, Tuple } from './types';

export type Manip = 'src' | 'dst';

/** Rewrites one side of a packet (address and port, or ICMP echo id). */
export function rewrite(p: Packet, manip: Manip, addr: string, port: number): Packet {
  const ip = p.ip!;
  const curAddr = manip === 'src' ? ip.src : ip.dst;
  const l4 = p.tcp ?? p.udp;
  const curPort = l4 ? (manip === 'src' ? l4.sport : l4.dport) : p.icmp?.original ? port : p.icmp?.id ?? port;
  if (curAddr === addr && curPort === port) return p;
  const out: { -readonly [K in keyof Packet]: Packet[K] } = { ...p, ip: manip === 'src' ? { ...ip, src: addr } : { ...ip, dst: addr } };
  if (p.tcp) out.tcp = manip === 'src' ? { ...p.tcp, sport: port } : { ...p.tcp, dport: port };
  else if (p.udp) out.udp = manip === 'src' ? { ...p.udp, sport: port } : { ...p.udp, dport: port };
  else if (p.icmp && p.icmp.id !== undefined && !p.icmp.original) out.icmp = { ...p.icmp, id: port };
  return out;
}

/** The address/port this packet's `manip` side must carry, or null when no NAT applies. */
export function translation(e: CtEntry, dir: CtDir, manip: Manip): { addr: string; port: number } | null {
  if (dir === 'original') {
    if (manip === 'dst') return e.dstNat ? { addr: e.reply.src, port: e.reply.sport } : null;
    return e.srcNat ? { addr: e.reply.dst, port: e.reply.dport } : null;
  }
  if (manip === 'dst') return e.srcNat ? { addr: e.orig.src, port: e.orig.sport } : null;
  return e.dstNat ? { addr: e.orig.dst, port: e.orig.dport } : null;
}

/**
 * Applies an entry's NAT to a packet at one manip point. For an ICMP error (RELATED) the quoted
 * packet travelled the other way, so its opposite side gets the same rewrite.
 */
export function applyNat(p: Packet, e: CtEntry, dir: CtDir, manip: Manip): Packet {
  const tr = translation(e, dir, manip);
  if (!tr) return p;
  if (p.icmp?.original) {
    const innerManip: Manip = manip === 'src' ? 'dst' : 'src';
    const inner = rewrite(p.icmp.original, innerManip, tr.addr, tr.port);
    const ip = p.ip!;
    return { ...p, ip: manip === 'src' ? { ...ip, src: tr.addr } : { ...ip, dst: tr.addr }, icmp: { ...p.icmp, original: inner } };
  }
  return rewrite(p, manip, tr.addr, tr.port);
}

export interface PortRangeLike { readonly min: number; readonly max: number }

/** DNAT / REDIRECT binding: the reply will come from `addr:port`. */
export function bindDst(t: ConntrackTable, e: CtEntry, addr: string, port: number): void {
  setReply(t, e, { ...e.reply, src: addr, sport: port });
  e.dstNat = true;
}

/**
 * SNAT / MASQUERADE binding: replies will go to `addr`; the source port is kept unless the
 * resulting reply tuple is taken (or --random-fully asks), then one is drawn from the range with
 * the seeded random and probed upwards, as nf_nat_l4proto_unique_tuple does.
 */
export function bindSrc(t: ConntrackTable, e: CtEntry, addr: string, ports: PortRangeLike | undefined, opts: { randomFully: boolean; random: () => number }): boolean {
  const sport = e.orig.sport;
  const hasPorts = e.orig.proto === 6 || e.orig.proto === 17 || e.orig.proto === 1;
  const range = ports ?? (sport < 1024 ? { min: sport < 512 ? 1 : 600, max: sport < 512 ? 511 : 1023 } : { min: 1024, max: 65535 });
  // ICMP echo keeps its id on both sides of the tuple: a new id changes both.
  const icmp = e.orig.proto === 1;
  const candidate = (port: number): Tuple => (icmp ? { ...e.reply, dst: addr, dport: port, sport: port } : { ...e.reply, dst: addr, dport: port });
  const keepOk = hasPorts ? sport >= range.min && sport <= range.max : true;
  if (!hasPorts || (keepOk && !opts.randomFully && !tupleTaken(t, candidate(sport), e.id))) {
    setReply(t, e, candidate(sport));
    e.srcNat = true;
    return true;
  }
  const size = range.max - range.min + 1;
  const first = Math.floor(opts.random() * size);
  for (let k = 0; k < Math.min(size, 65536); k++) {
    const port = range.min + ((first + k) % size);
    if (!tupleTaken(t, candidate(port), e.id)) {
      setReply(t, e, candidate(port));
      e.srcNat = true;
      return true;
    }
  }
  return false;
}
