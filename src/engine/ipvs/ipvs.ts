/**
 * kube-proxy, IPVS mode: the virtual servers kube-proxy programs into the kernel's IPVS table
 * on one node, and the kernel side of IPVS the packet walk needs (pick a real server).
 *
 *   client ─► VIP:port (bound to kube-ipvs0, so the node sees it as a local address)
 *          ─► LOCAL_IN: ip_vs_in() finds the virtual server, the scheduler picks a real server,
 *             the connection is DNATed ("Masq") to podIP:targetPort
 *
 * Virtual servers: every ClusterIP, every externalIP, every LoadBalancer ingress IP, and a
 * NodePort on each node address. `sessionAffinity: ClientIP` becomes IPVS persistence
 * ("persistent 10800"): a template pins a client address to one real server.
 *
 * Schedulers are the kernel's, made deterministic (no randomness is involved in any of them):
 * rr, wrr, lc, wlc, sed, nq, sh (source hash) and dh (destination hash).
 *
 * The walk calls in at the kernel's ip_vs hooks (src/engine/stack/ipvs.ts): `ipvsSchedule` at
 * LOCAL_IN / LOCAL_OUT for a new connection to a virtual address, then `ipvsCommit`; replies
 * are un-NATed from the walk's connection entry (or `ipvsReverse` when the decision's packet
 * was passed to `ipvsCommit`).
 */
import { parseIPv4 } from '../addr/ip';
import type { Packet } from '../net/packet';
import type { NetNs } from '../net/types';

export type IpvsProtocol = 'TCP' | 'UDP' | 'SCTP';
export type IpvsScheduler = 'rr' | 'wrr' | 'lc' | 'wlc' | 'sed' | 'nq' | 'sh' | 'dh';

export interface IpvsStats {
  conns: number;
  inPkts: number;
  outPkts: number;
  inBytes: number;
  outBytes: number;
}

export interface IpvsDest {
  readonly address: string;
  readonly port: number;
  weight: number;
  readonly forward: 'Masq' | 'Route' | 'Tunnel';
  activeConn: number;
  inactConn: number;
  readonly stats: IpvsStats;
}

export interface IpvsService {
  readonly protocol: IpvsProtocol;
  readonly address: string;
  readonly port: number;
  readonly scheduler: IpvsScheduler;
  /** Persistence timeout in seconds (`ipvsadm -p`), from sessionAffinity ClientIP. */
  readonly persistent?: number;
  readonly dests: IpvsDest[];
  readonly stats: IpvsStats;
  /** Which Service port this virtual server belongs to ("ns/name:port"), for traces. */
  readonly servicePort: string;
  /** rr/wrr position (the kernel's sched_data). */
  cursor: number;
  /** wrr: current weight. */
  cw: number;
}

/** A persistence template: client → real server, until it expires. */
export interface IpvsTemplate {
  readonly dest: string;
  expires: number;
}

/** One IPVS connection (`ipvsadm -Lnc`): client → virtual server, sent to a real server. */
export interface IpvsConn {
  readonly protocol: IpvsProtocol;
  readonly client: string;
  readonly cport: number;
  readonly vaddr: string;
  readonly vport: number;
  readonly daddr: string;
  readonly dport: number;
  /** The virtual server key. */
  readonly service: string;
}

/** The IPVS table of one network namespace (`ns.ipvs`). */
export interface IpvsState {
  readonly services: Map<string, IpvsService>;
  readonly templates: Map<string, IpvsTemplate>;
  /**
   * Connections by "PROTO|client|cport|vaddr|vport" (forward direction) and by
   * "PROTO|daddr|dport|client|cport" (replies from the real server), as ip_vs_conn_tab holds them.
   */
  readonly conns?: Map<string, IpvsConn>;
  readonly replies?: Map<string, IpvsConn>;
  /** Addresses kube-proxy binds to the kube-ipvs0 dummy device. */
  readonly boundAddresses: readonly string[];
}

export const KUBE_IPVS_DEVICE = 'kube-ipvs0';

export const vsKey = (protocol: string, address: string, port: number): string => `${protocol}|${address}|${port}`;
const destKey = (d: { address: string; port: number }): string => `${d.address}:${d.port}`;
export const zeroStats = (): IpvsStats => ({ conns: 0, inPkts: 0, outPkts: 0, inBytes: 0, outBytes: 0 });

/** Virtual servers in a stable listing order: protocol, then address, then port. */
export function listServices(state: IpvsState): IpvsService[] {
  const order: Record<string, number> = { TCP: 0, UDP: 1, SCTP: 2 };
  return [...state.services.values()].sort((a, b) =>
    (order[a.protocol]! - order[b.protocol]!) || addrCmp(a.address, b.address) || (a.port - b.port));
}

/** IPv4 addresses numerically, then IPv6 ones (by their text: a stable order). */
function addrCmp(a: string, b: string): number {
  const x = parseIPv4(a), y = parseIPv4(b);
  if (x !== null && y !== null) return x - y;
  if (x !== null) return -1;
  if (y !== null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

// ─── the kernel side: scheduling ──────────────────────────────────────────────────────────

export interface IpvsContext {
  /** Simulated time, ms (persistence templates expire on it). */
  readonly now: number;
}

export type IpvsDecision =
  /** No virtual server for this destination: IPVS lets the packet through untouched. */
  | { readonly kind: 'none' }
  /** A virtual server with no usable real server: the kernel drops the connection attempt. */
  | { readonly kind: 'no-dest'; readonly service: string; readonly servicePort: string }
  | {
    readonly kind: 'dnat';
    readonly service: string;
    readonly servicePort: string;
    readonly scheduler: IpvsScheduler;
    readonly dest: { readonly address: string; readonly port: number };
    readonly forward: 'Masq' | 'Route' | 'Tunnel';
    /** Why this real server: the scheduler's pick, a persistence template, or an existing connection. */
    readonly reason: 'scheduled' | 'persistent' | 'connection';
    /** The scheduler state after this pick; `ipvsCommit` stores it. */
    readonly cursor: number;
    readonly cw: number;
    readonly template?: { readonly key: string; readonly dest: string; readonly expires: number };
  };

/** The 5-tuple IPVS looks at: protocol, destination address and port, and the client address. */
function tupleOf(packet: Packet): { protocol: IpvsProtocol; dst: string; dport: number; src: string } | null {
  if (!packet.ip) return null;
  const l4 = packet.tcp ?? packet.udp;
  if (!l4) return null;
  return { protocol: packet.tcp ? 'TCP' : 'UDP', dst: packet.ip.dst, dport: l4.dport, src: packet.ip.src };
}

const l4port = (p: Packet): number => (p.tcp ?? p.udp)?.sport ?? 0;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** Knuth's multiplicative hash into 256 buckets, like ip_vs_sh/ip_vs_dh's tables. */
function bucketOf(ip: string): number {
  const v = parseIPv4(ip) ?? 0;
  return Math.imul(v, 0x9e3779b1) >>> 24;
}

/** The scheduler's pick among live (weight > 0) real servers; returns the index and new rr state. */
export function schedule(vs: IpvsService, client: string, dst: string): { index: number; cursor: number; cw: number } | null {
  const d = vs.dests;
  const live = d.map((x, i) => (x.weight > 0 ? i : -1)).filter((i) => i >= 0);
  if (live.length === 0) return null;
  switch (vs.scheduler) {
    case 'rr': {
      // ip_vs_rr: continue after the last pick, skipping quiesced servers.
      for (let k = 1; k <= d.length; k++) {
        const i = (vs.cursor + k + d.length) % d.length;
        if (d[i]!.weight > 0) return { index: i, cursor: i, cw: vs.cw };
      }
      return null;
    }
    case 'wrr': {
      // ip_vs_wrr: step the index, lowering the current weight by gcd each full round.
      const weights = d.map((x) => x.weight);
      const max = Math.max(...weights);
      const g = weights.filter((w) => w > 0).reduce(gcd);
      let i = vs.cursor;
      let cw = vs.cw;
      for (let guard = 0; guard < d.length * (max / g + 1) + 1; guard++) {
        i = (i + 1) % d.length;
        if (i === 0) {
          cw -= g;
          if (cw <= 0) cw = max;
        }
        if (d[i]!.weight >= cw) return { index: i, cursor: i, cw };
      }
      return null;
    }
    case 'lc':
    case 'wlc':
    case 'sed':
    case 'nq': {
      // Overheads as the kernel computes them; first server wins ties (list order).
      const overhead = (x: IpvsDest): number => (vs.scheduler === 'lc' || vs.scheduler === 'wlc' ? x.activeConn * 256 + x.inactConn : x.activeConn + 1);
      if (vs.scheduler === 'nq') {
        const idle = live.find((i) => d[i]!.activeConn === 0);
        if (idle !== undefined) return { index: idle, cursor: vs.cursor, cw: vs.cw };
      }
      let best = live[0]!;
      for (const i of live.slice(1)) {
        const a = d[i]!, b = d[best]!;
        const better = vs.scheduler === 'lc' ? overhead(a) < overhead(b) : overhead(a) * b.weight < overhead(b) * a.weight;
        if (better) best = i;
      }
      return { index: best, cursor: vs.cursor, cw: vs.cw };
    }
    case 'sh':
    case 'dh': {
      // A 256-bucket table filled round-robin with the live servers, indexed by a hash of the
      // source (sh) or destination (dh) address: the same client always lands on the same server.
      const b = bucketOf(vs.scheduler === 'sh' ? client : dst);
      return { index: live[b % live.length]!, cursor: vs.cursor, cw: vs.cw };
    }
  }
}

/**
 * What IPVS does with a packet at LOCAL_IN / LOCAL_OUT of `ns` for a new connection. Pure:
 * nothing changes until the stack calls `ipvsCommit` with the decision.
 */
export function ipvsSchedule(ns: NetNs, packet: Packet, ctx: IpvsContext): IpvsDecision {
  const state = ns.ipvs as IpvsState | undefined;
  if (!state) return { kind: 'none' };
  const t = tupleOf(packet);
  if (!t) return { kind: 'none' };
  const key = vsKey(t.protocol, t.dst, t.dport);
  const vs = state.services.get(key);
  if (!vs) return { kind: 'none' };
  // A packet of a connection IPVS already handles goes to the same real server.
  const known = state.conns?.get(`${t.protocol}|${t.src}|${l4port(packet)}|${t.dst}|${t.dport}`);
  if (known) {
    const dest = vs.dests.find((x) => x.address === known.daddr && x.port === known.dport);
    if (dest) return { kind: 'dnat', service: key, servicePort: vs.servicePort, scheduler: vs.scheduler, dest: { address: dest.address, port: dest.port }, forward: dest.forward, reason: 'connection', cursor: vs.cursor, cw: vs.cw };
  }
  if (vs.persistent !== undefined) {
    const tkey = `${key}|${t.src}`;
    const tpl = state.templates.get(tkey);
    if (tpl && tpl.expires > ctx.now) {
      const dest = vs.dests.find((x) => destKey(x) === tpl.dest && x.weight > 0);
      if (dest) {
        return { kind: 'dnat', service: key, servicePort: vs.servicePort, scheduler: vs.scheduler, dest: { address: dest.address, port: dest.port }, forward: dest.forward, reason: 'persistent', cursor: vs.cursor, cw: vs.cw, template: { key: tkey, dest: tpl.dest, expires: ctx.now + vs.persistent * 1000 } };
      }
    }
  }
  const pick = schedule(vs, t.src, t.dst);
  if (!pick) return { kind: 'no-dest', service: key, servicePort: vs.servicePort };
  const dest = vs.dests[pick.index]!;
  return {
    kind: 'dnat', service: key, servicePort: vs.servicePort, scheduler: vs.scheduler,
    dest: { address: dest.address, port: dest.port }, forward: dest.forward, reason: 'scheduled', cursor: pick.cursor, cw: pick.cw,
    ...(vs.persistent !== undefined ? { template: { key: `${key}|${t.src}`, dest: destKey(dest), expires: ctx.now + vs.persistent * 1000 } } : {}),
  };
}

/**
 * Applies a decision: scheduler position, persistence template, the connection entry (so the
 * rest of the connection and its replies are translated the same way, when `packet` — the one
 * the decision was made for — is given), counters.
 */
export function ipvsCommit(ns: NetNs, d: IpvsDecision, packet?: Packet, bytes = 0): void {
  const state = ns.ipvs as IpvsState | undefined;
  if (!state || d.kind !== 'dnat') return;
  const vs = state.services.get(d.service);
  if (!vs) return;
  if (d.reason === 'connection') {
    for (const s of [vs.stats]) { s.inPkts++; s.inBytes += bytes; }
    return;
  }
  if (packet?.ip && state.conns && state.replies) {
    const conn: IpvsConn = { protocol: vs.protocol, client: packet.ip.src, cport: l4port(packet), vaddr: vs.address, vport: vs.port, daddr: d.dest.address, dport: d.dest.port, service: d.service };
    state.conns.set(`${conn.protocol}|${conn.client}|${conn.cport}|${conn.vaddr}|${conn.vport}`, conn);
    state.replies.set(`${conn.protocol}|${conn.daddr}|${conn.dport}|${conn.client}|${conn.cport}`, conn);
  }
  vs.cursor = d.cursor;
  vs.cw = d.cw;
  if (d.template) state.templates.set(d.template.key, { dest: d.template.dest, expires: d.template.expires });
  const dest = vs.dests.find((x) => x.address === d.dest.address && x.port === d.dest.port);
  for (const s of dest ? [vs.stats, dest.stats] : [vs.stats]) {
    s.conns++;
    s.inPkts++;
    s.inBytes += bytes;
  }
  if (dest) dest.activeConn++;
}

/**
 * A reply from a real server (ip_vs_out): the virtual address and port to put back as its
 * source, or null when the packet belongs to no IPVS connection.
 */
export function ipvsReverse(ns: NetNs, packet: Packet): { address: string; port: number; conn: IpvsConn } | null {
  const state = ns.ipvs as IpvsState | undefined;
  const t = tupleOf(packet);
  if (!state?.replies || !t) return null;
  const conn = state.replies.get(`${t.protocol}|${t.src}|${l4port(packet)}|${t.dst}|${t.dport}`);
  return conn ? { address: conn.vaddr, port: conn.vport, conn } : null;
}

/** A connection through `dest` closed: ActiveConn → InActConn (TIME_WAIT), as ipvsadm shows it. */
export function ipvsConnectionClosed(ns: NetNs, service: string, dest: { address: string; port: number }): void {
  const vs = (ns.ipvs as IpvsState | undefined)?.services.get(service);
  const d = vs?.dests.find((x) => x.address === dest.address && x.port === dest.port);
  if (d && d.activeConn > 0) {
    d.activeConn--;
    d.inactConn++;
  }
}
