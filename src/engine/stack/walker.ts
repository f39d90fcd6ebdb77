/**
 * The Walker moves one packet at a time through the simulated kernels, the way Linux does:
 *
 *   socket ─► ip_local_out ─► OUTPUT ─► (route) ─► POSTROUTING ─► neigh ─► dev_queue_xmit
 *                                                                             │
 *   ┌──────────────── veth peer / bridge port / VXLAN / IPIP / TUN ◄──────────┘
 *   ▼
 *   netif_receive_skb ─► bridge? ─► ip_rcv ─► PREROUTING ─► route ─┬─► INPUT ─► socket
 *                                                                  └─► FORWARD (ttl-1) ─► POSTROUTING ─► ...
 *
 * Every step reads only the network state (links, addresses, routes, neighbours, FDBs,
 * sysctls), so a path is whatever that state makes it. Each step emits one trace event and
 * advances a local clock in microseconds. Replies are walked as soon as they are generated
 * (depth first), which keeps the code a direct transcription of the kernel's call chain.
 */
import { noteWalk } from './capture';
import { BROADCAST_MAC, type Mac } from '../addr/mac';
import type { FibResult } from '../route/fib';
import { formatRule, isDefaultRule } from '../route/rules';
import { ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, type Packet } from '../net/packet';
import { isLinkLocal6, isMulticast6 } from '../net/ipv6';
import { ndiscRcv, ndiscSolicit } from './ndisc';
import type { DevHookPoint, Link, NeighEntry, NetNs } from '../net/types';
import { acceptAll, type Hook, type HookContext, type HookEvent } from '../netfilter/hook';
import type { Sim } from '../sim';
import type { TraceEvent, TraceEventDetails, TraceEventType } from '../trace/types';
import { message, render, type Message } from '../i18n/messages';
import { fibCached, nsView, ownerId, type NsView } from './nsview';
import {
  DEFAULT_TTL, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, ICMP_HOST_ANO, ICMP_HOST_UNREACH, ICMP_NET_ANO, ICMP_NET_UNREACH,
  ICMP_PKT_FILTERED, ICMP_PORT_UNREACH, ICMP_TIME_EXCEEDED, NDISC_NEIGHBOUR_ADVERTISEMENT, NDISC_NEIGHBOUR_SOLICITATION,
  describe, icmp6For, icmpError, isIcmpError, stripL2, tcp, withEth,
} from './packets';
import { bridgeInput, bridgeXmit } from './bridge';
import { ipipRcv, ipipXmit, vxlanXmit, xfrmOutput } from './tunnel';
import { packetSocketXmit, tunXmit } from './userspace';
import { localDeliver } from './l4';
import { hookPointText, IP_HOOKS, NO_PROGRAMS, type HookDecision, type HookEnv, type HookPoint, type IpHookPoint } from './hooks';

/** is_skb_forwardable lets a frame exceed the MTU by one VLAN tag. */
export const VLAN_HLEN = 4;
export const ZERO_MAC: Mac = '00:00:00:00:00:00';

/** Why a locally generated packet could not leave (the errno a socket call returns). */
export type SendResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly errno: 'ENETUNREACH' | 'EHOSTUNREACH' | 'EMSGSIZE' | 'EPERM' | 'EINVAL'; readonly mtu?: number; readonly from?: string; readonly reason: string };

/** A client socket the walk is waiting on: replies delivered to it land in `inbox`. */
export interface ClientSocket {
  readonly ns: string;
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  /** Local port (tcp/udp) or echo id (icmp). */
  readonly port: number;
  readonly inbox: { packet: Packet; t: number; flow: string }[];
}

/** Thrown (and caught by walk) when a walk exceeds its event budget: a forwarding loop. */
export class WalkLimit extends Error {}

/** A hard cap on a whole walk (ping -c 1000 stays well under it). */
const MAX_TOTAL_EVENTS = 500_000;

/** Per-event clock costs in microseconds: enough to order events and give ping a plausible rtt. */
const COST: Partial<Record<TraceEventType, number>> = {
  send: 4, route: 1, neigh: 1, 'arp-request': 2, 'arp-reply': 2, tx: 1, rx: 1, veth: 2, forward: 2,
  'bridge-forward': 1, 'bridge-flood': 2, 'bridge-local': 1, encap: 3, decap: 3, userspace: 25, deliver: 3, app: 10, hook: 1,
};

/** Where an event happened (TraceEvent['where']). */
type Where = { readonly machine: string; readonly ns: string; readonly dev?: string };

const NOARP_KINDS = new Set(['loopback', 'tun', 'ipip']);
const BRIDGE_AGEING_MS = 300_000;

export class Walker {
  readonly events: TraceEvent[] = [];
  /** Microseconds since the walk started. */
  t = 0;
  flow = 'request';
  /** Events since the current leg started: the loop guard counts per packet, not per walk. */
  legEvents = 0;
  /** Prefix of the client legs' flow names: "relay:" while a proxy's second connection runs. */
  legPrefix = '';
  /** Suffix of the client legs' flow names: "#2", "#3"… for the second and later connections. */
  legSuffix = '';
  rulesEvaluated = 0;
  /** The last significant drop on the current leg (for the verdict when nothing comes back). */
  lastDrop: string | undefined;
  /** `lastDrop` as its message, for the verdict's sentence in either language. */
  lastDropMessage: Message | undefined;
  readonly sockets = new Map<string, ClientSocket>();
  /** Server-side TCP connection states during this walk, by "ns|local|peer". */
  readonly tcpConns = new Map<string, 'SYN_RECV' | 'ESTABLISHED' | 'LAST_ACK' | 'FIN_WAIT'>();
  /** Set by the first listener or ICMP responder that answers the walk's request. */
  responder: string | null = null;
  seenSource: string | null = null;
  /** Who refused the request (sent the RST or the ICMP port unreachable). */
  refuser: string | null = null;

  constructor(readonly sim: Sim, readonly maxEvents = 5000) { noteWalk(sim, this.events); }

  get nowMs(): number { return this.sim.now + this.t / 1000; }

  ns(id: string): NetNs | undefined { return this.sim.net.namespaces.get(id); }
  view(ns: NetNs): NsView { return nsView(this.sim.net, ns); }
  link(ns: NetNs, name: string | undefined): Link | undefined { return name === undefined ? undefined : this.view(ns).byName.get(name); }

  /** Each namespace's `where` objects during this walk, by device (undefined for none): events at one place share one (readonly) object. */
  private readonly wheres = new Map<NetNs, Map<string | undefined, Where>>();

  private whereOf(ns: NetNs, dev: string | undefined): Where {
    let byDev = this.wheres.get(ns);
    if (!byDev) { byDev = new Map(); this.wheres.set(ns, byDev); }
    let where = byDev.get(dev);
    if (!where) {
      // Optional keys are added only when present, in the same order as always.
      const w: { machine: string; ns: string; dev?: string } = { machine: ownerId(ns), ns: ns.id };
      if (dev !== undefined) w.dev = dev;
      where = w;
      byDev.set(dev, where);
    }
    return where;
  }

  /**
   * Records one event. `msg` is what it says (a code of src/engine/i18n/messages.ts); the
   * English `summary` the CLI and goldens print is rendered from it, so the two cannot drift.
   */
  emit<K extends TraceEventType>(type: K, ns: NetNs, dev: string | undefined, msg: Message, packet?: Packet, detail?: TraceEventDetails[K]): void {
    if (++this.legEvents > this.maxEvents || this.events.length >= MAX_TOTAL_EVENTS) {
      throw new WalkLimit(`one packet caused more than ${this.maxEvents} events: a forwarding or bridge loop?`);
    }
    this.t += COST[type] ?? 1;
    // Optional keys are added only when present, in the same order as always (no spreads: this
    // runs for every event).
    const where = this.whereOf(ns, dev);
    const e: { seq: number; t: number; type: K; flow: string; summary: string; message: Message; where: Where; packet?: Packet; detail?: TraceEventDetails[K] } =
      { seq: this.events.length + 1, t: this.t, type, flow: this.flow, summary: render(msg, 'en'), message: msg, where };
    if (packet) e.packet = packet;
    if (detail) e.detail = detail;
    this.events.push(e as TraceEvent);
  }

  /**
   * A drop. `significant` drops explain a missing reply; copies of a flood that nobody wants are
   * not. The reason is a `drop.*` message (src/engine/i18n/messages.ts), so the trace, the story
   * and the verdict say it in either language; `detail.reason` is its English text.
   */
  drop(ns: NetNs, dev: string | undefined, reason: Message, packet: Packet, significant = true): void {
    const text = render(reason, 'en');
    this.emit('drop', ns, dev, message('event.drop', { reason }), packet, { reason: text, reasonMessage: reason });
    if (significant) { this.lastDrop = text; this.lastDropMessage = reason; }
  }

  withFlow<T>(flow: string, fn: () => T): T {
    const saved = this.flow;
    this.flow = flow;
    try { return fn(); } finally { this.flow = saved; }
  }

  // ---------------------------------------------------------------- netfilter seam

  private readonly random = (): number => this.sim.rand.next();
  private sinkNs: NetNs | undefined;
  private sinkDev: string | undefined;
  private sinkPkt: Packet | undefined;
  private readonly hookSink = this.sinkImpl.bind(this);

  private sinkImpl(e: HookEvent): void {
    if (e.type === 'netfilter' && 'rulesEvaluated' in e.detail) this.rulesEvaluated += e.detail.rulesEvaluated;
    this.emit<typeof e.type>(e.type, this.sinkNs!, this.sinkDev, e.message, e.packet ?? this.sinkPkt, e.detail);
  }

  /** NF_HOOK: returns the (possibly rewritten) packet, or null when the hook dropped or rejected it. */
  hook(ns: NetNs, hook: Hook, pkt: Packet, ctx: Omit<HookContext, 'now' | 'random'>): Packet | null {
    // No netfilter engine loaded: every hook accepts, nothing to record.
    if (this.sim.netfilter === acceptAll) return pkt;
    // Every field spelled out (no spread: this is the hot path). Typed so that a field added to
    // HookContext fails to compile here until it is passed on.
    const full: { [K in keyof Required<HookContext>]: HookContext[K] | undefined } = {
      inDev: ctx.inDev, outDev: ctx.outDev, physIn: ctx.physIn, physOut: ctx.physOut, bridged: ctx.bridged, ct: ctx.ct, split: ctx.split, tracked: ctx.tracked,
      now: this.nowMs, random: this.random, generation: this.sim.net.generation,
    };
    // The sink is one bound method reading what this hook call set (runHook emits synchronously).
    this.sinkNs = ns;
    this.sinkDev = ctx.outDev ?? ctx.inDev;
    this.sinkPkt = pkt;
    const v = this.sim.netfilter.runHook(ns, hook, pkt, full as HookContext, this.hookSink);
    if (v.verdict === 'accept') return v.packet;
    if (v.verdict === 'drop') { this.drop(ns, ctx.outDev ?? ctx.inDev, message('drop.netfilter', { hook, reason: v.reason }), v.packet); return null; }
    this.drop(ns, ctx.outDev ?? ctx.inDev, message('drop.netfilterReject', { hook, reason: v.reason, reply: v.reply }), v.packet);
    const p = v.packet;
    if (v.reply === 'tcp-reset') this.sendRst(ns, p);
    else {
      const code = { 'icmp-port-unreachable': ICMP_PORT_UNREACH, 'icmp-net-unreachable': ICMP_NET_UNREACH, 'icmp-host-unreachable': ICMP_HOST_UNREACH,
        'icmp-admin-prohibited': ICMP_PKT_FILTERED, 'icmp-proto-unreachable': 2, 'icmp-net-prohibited': ICMP_NET_ANO, 'icmp-host-prohibited': ICMP_HOST_ANO }[v.reply];
      this.icmpSend(ns, p, ICMP_DEST_UNREACH, code);
    }
    return null;
  }

  // ---------------------------------------------------------------- device and IP hooks (stack/hooks.ts)

  private hookEnv(ns: NetNs, dev: string | undefined, point: HookPoint): HookEnv {
    return { sim: this.sim, ns, dev, point, nowMs: this.nowMs };
  }

  /**
   * Applies a hook's decision's trace: its own events (IPVS) or one 'hook' event naming the
   * point and the program. Returns the packet the walk goes on with.
   */
  private noteHook(ns: NetNs, dev: string | undefined, point: HookPoint, program: { name: string; section?: string; owner?: string; object?: string }, d: HookDecision, pkt: Packet): Packet {
    const after = d.verdict === 'rewrite' ? d.packet : d.verdict === 'redirect' ? d.packet ?? pkt : pkt;
    if (d.events) {
      for (const e of d.events) this.emit(e.type, ns, dev, e.message, after, { ...e.detail, hook: point, program: program.name } as never);
      return after;
    }
    const what = d.verdict === 'pass' ? 'pass' : d.verdict === 'rewrite' ? 'rewrite' : d.verdict === 'drop' ? 'drop' : `redirect to ${d.dev}${d.ingress ? ' (ingress)' : ''}`;
    const section = program.section ?? program.name;
    const note: string | Message | undefined = d.note ?? (d.verdict === 'drop' ? d.reason : undefined);
    const noteText = typeof note === 'string' || note === undefined ? note : render(note, 'en');
    this.emit('hook', ns, dev, (note ? message('event.hook.note', { point: `${hookPointText(point)}${dev ? ` ${dev}` : ''}`, program: `${program.owner ? `${program.owner} ` : ''}${section}`, note, what }) : message('event.hook.plain', { point: `${hookPointText(point)}${dev ? ` ${dev}` : ''}`, program: `${program.owner ? `${program.owner} ` : ''}${section}`, what })), after,
      { hook: point, program: program.name, section, ...(program.owner ? { owner: program.owner } : {}), ...(program.object ? { object: program.object } : {}), verdict: d.verdict, ...(d.verdict === 'redirect' ? { to: d.dev } : {}), ...(noteText ? { note: noteText } : {}), ...d.detail });
    return after;
  }

  /** The kernel modules hooked at an IP point: 'pass', the rewritten packet, or null (dropped). */
  private ipHooks(ns: NetNs, point: IpHookPoint, dev: string | undefined, pkt: Packet): Packet | 'pass' | null {
    let out: Packet | 'pass' = 'pass';
    for (const h of IP_HOOKS[point]) {
      if (!h.applies(ns)) continue;
      const cur = out === 'pass' ? pkt : out;
      const d = h.run(this.hookEnv(ns, dev, point), cur);
      if (d.verdict === 'pass' && !d.events && !d.note) continue;
      const after = this.noteHook(ns, dev, point, { name: h.name }, d, cur);
      if (d.verdict === 'drop') {
        this.drop(ns, dev, message('drop.hook', { reason: d.reason }), cur);
        if (d.icmp) this.icmpSend(ns, cur, d.icmp.type, d.icmp.code);
        return null;
      }
      if (d.verdict === 'redirect') { this.redirect(ns, d.dev, after, !!d.ingress); return null; }
      if (d.verdict === 'rewrite') out = after;
    }
    return out;
  }

  /** A device's programs at one point, in order: the frame to go on with, or null (dropped or redirected). */
  private devHooks(ns: NetNs, link: Link, point: DevHookPoint, frame: Packet): Packet | null {
    const programs = this.sim.programs ?? NO_PROGRAMS;
    let cur = frame;
    for (const a of link.progs ?? []) {
      if (a.point !== point) continue;
      const prog = programs.device.get(a.program);
      if (!prog) continue; // a pinned program whose loader is gone: the kernel would still run it; we cannot
      const d = prog.run(this.hookEnv(ns, link.name, point), cur);
      cur = this.noteHook(ns, link.name, point, prog, d, cur);
      if (d.verdict === 'drop') { this.drop(ns, link.name, message('drop.hook', { reason: d.reason }), cur); return null; }
      if (d.verdict === 'redirect') { this.redirect(ns, d.dev, cur, !!d.ingress); return null; }
    }
    return cur;
  }

  /** bpf_redirect: out of `dev` (its egress hooks run), or into it as if received (BPF_F_INGRESS). */
  private redirect(ns: NetNs, dev: string, pkt: Packet, ingress: boolean): void {
    const link = this.link(ns, dev);
    if (!link) { this.drop(ns, dev, message('drop.redirectMissing', { dev }), pkt); return; }
    if (ingress) this.netifRx(ns, link, pkt);
    else this.devXmit(ns, link, pkt);
  }

  /**
   * connect(): the socket programs of the caller's cgroup may send it elsewhere (a Service
   * address translated at the socket, so no packet ever carries it). Returns where it connects.
   */
  sockConnect(ns: NetNs, protocol: 'tcp' | 'udp', dst: string, dport: number, flow: string): { dst: string; dport: number } {
    const names = ns.sockProgs;
    if (!names?.length) return { dst, dport };
    const programs = this.sim.programs ?? NO_PROGRAMS;
    let cur = { dst, dport };
    for (const name of names) {
      const prog = programs.sock.get(name);
      if (!prog) continue;
      const r = prog.connect(this.hookEnv(ns, undefined, 'sock-connect'), { protocol, ...cur });
      if (!r) continue;
      const what = `${cur.dst}:${cur.dport} -> ${r.dst}:${r.dport}`;
      this.withFlow(flow, () => this.emit('hook', ns, undefined, (r.note ? message('event.hook.sockNote', { point: hookPointText('sock-connect'), program: `${prog.owner} ${prog.section}`, note: r.note, what }) : message('event.hook.sock', { point: hookPointText('sock-connect'), program: `${prog.owner} ${prog.section}`, what })), undefined,
        { hook: 'sock-connect', program: prog.name, section: prog.section, owner: prog.owner, object: prog.object, verdict: 'rewrite', from: `${cur.dst}:${cur.dport}`, to: `${r.dst}:${r.dport}`, ...(r.note ? { note: render(r.note, 'en') } : {}), ...r.detail }));
      cur = { dst: r.dst, dport: r.dport };
    }
    return cur;
  }

  /**
   * recvmsg() of a UDP datagram: the socket programs of the receiver's cgroup may name another
   * source address than the packet's (the Service address a connect() was translated from).
   * Returns the address the application reads.
   */
  sockRecvmsg(ns: NetNs, src: string, sport: number, flow: string): { src: string; sport: number } {
    const names = ns.sockProgs;
    if (!names?.length) return { src, sport };
    const programs = this.sim.programs ?? NO_PROGRAMS;
    let cur = { src, sport };
    for (const name of names) {
      const prog = programs.sock.get(name);
      if (!prog?.recvmsg) continue;
      const r = prog.recvmsg(this.hookEnv(ns, undefined, 'sock-recvmsg'), { protocol: 'udp', ...cur });
      if (!r) continue;
      const what = `${cur.src}:${cur.sport} -> ${r.src}:${r.sport}`;
      this.withFlow(flow, () => this.emit('hook', ns, undefined, (r.note ? message('event.hook.sockNote', { point: hookPointText('sock-recvmsg'), program: `${prog.owner} ${prog.section}`, note: r.note, what }) : message('event.hook.sock', { point: hookPointText('sock-recvmsg'), program: `${prog.owner} ${prog.section}`, what })), undefined,
        { hook: 'sock-recvmsg', program: prog.name, section: prog.section, owner: prog.owner, object: prog.object, verdict: 'rewrite', from: `${cur.src}:${cur.sport}`, to: `${r.src}:${r.sport}`, ...(r.note ? { note: render(r.note, 'en') } : {}), ...r.detail }));
      cur = { src: r.src, sport: r.sport };
    }
    return cur;
  }

  // ---------------------------------------------------------------- output

  /** The FIB's answer for `pkt` (its source and mark, and `dev` as the input device of a packet being received, matter only to policy rules). */
  route(ns: NetNs, dst: string, dev?: string, pkt?: Packet): FibResult | undefined {
    const r = ns.rules || ns.rules6 ? fibCached(this.sim.net, ns, dst, pkt?.ip?.src, pkt?.mark, dev) : fibCached(this.sim.net, ns, dst);
    if (r?.rule && !isDefaultRule(r.rule)) {
      // A policy rule of the namespace's own chose the table: say which (as `ip rule` prints it).
      const rule = formatRule(ns, r.rule).trimEnd().replace('\t', ' ');
      this.emit('route', ns, r.route.dev, message('event.routeRule', { dst, route: routeText(r), rule }), undefined, { route: routeText(r), dst, rule });
    } else if (r) this.emit('route', ns, r.route.dev, message('event.route', { dst, route: routeText(r) }), undefined, { route: routeText(r), dst });
    else this.emit('route', ns, dev, message('event.routeNone', { dst }), undefined, { route: null, dst });
    return r;
  }

  /** ip_local_out: a packet from a socket in `ns`. The caller has chosen the source address. */
  sendLocal(ns: NetNs, plain: Packet): SendResult {
    const ip = plain.ip!;
    let r = this.route(ns, ip.dst, undefined, plain);
    if (!r) return { ok: false, errno: 'ENETUNREACH', reason: `no route to ${ip.dst} in ${ns.id}` };
    // xfrm_lookup: an IPsec policy for this flow turns it into ESP before it goes out.
    const pkt = ns.xfrm ? xfrmOutput(this, ns, plain) : plain;
    const out0 = this.hook(ns, 'OUTPUT', pkt, { outDev: r.route.dev ?? 'lo' });
    if (!out0) return { ok: true };
    // ip_vs_local_request4: a client on the node itself talking to a virtual server.
    const vs = r.route.type === 'local' ? this.ipHooks(ns, 'local-out', r.route.dev, out0) : 'pass';
    if (vs === null) return { ok: true };
    const out = vs === 'pass' ? out0 : vs;
    if (out.ip!.dst !== ip.dst || ((ns.rules || ns.rules6) && (out.mark ?? 0) !== (pkt.mark ?? 0))) {
      // A DNAT in OUTPUT changes the destination, a MARK the policy rules may see: route again (ip_route_me_harder).
      r = this.route(ns, out.ip!.dst, undefined, out);
      if (!r) return { ok: false, errno: 'ENETUNREACH', reason: `no route to ${out.ip!.dst} in ${ns.id}` };
    }
    return this.finishOutput(ns, out, r, false);
  }

  /** ip_finish_output: route type, POSTROUTING, MTU, neighbour, transmit. */
  finishOutput(ns: NetNs, pkt: Packet, r: FibResult, forwarded: boolean): SendResult {
    const route = r.route;
    const ip = pkt.ip!;
    if (route.type === 'local') {
      const lo = this.link(ns, 'lo');
      if (!lo || !lo.up) { this.drop(ns, 'lo', message('drop.linkDown', { dev: 'lo' }), pkt); return { ok: true }; }
      const p = this.hook(ns, 'POSTROUTING', pkt, { outDev: 'lo' });
      if (p) this.devXmit(ns, lo, p);
      return { ok: true };
    }
    if (route.type === 'blackhole') { this.drop(ns, route.dev, message('drop.blackhole', { dst: route.dst }), pkt); return forwarded ? { ok: true } : { ok: false, errno: 'EINVAL', reason: 'blackhole route' }; }
    if (route.type === 'unreachable' || route.type === 'prohibit') {
      const code = route.type === 'unreachable' ? ICMP_HOST_UNREACH : ICMP_PKT_FILTERED;
      this.drop(ns, route.dev, message('drop.routeType', { type: route.type, dst: route.dst }), pkt);
      if (forwarded) { this.icmpSend(ns, pkt, ICMP_DEST_UNREACH, code); return { ok: true }; }
      return { ok: false, errno: route.type === 'unreachable' ? 'EHOSTUNREACH' : 'EPERM', reason: `${route.type} route ${route.dst}` };
    }
    const link = this.link(ns, route.dev);
    if (!link) { this.drop(ns, route.dev, message('drop.routeMissingDev', { dev: route.dev ?? '?' }), pkt); return { ok: true }; }
    if (!link.up) { this.drop(ns, link.name, message('drop.linkDown', { dev: link.name }), pkt); return forwarded ? { ok: true } : { ok: false, errno: 'ENETUNREACH', reason: `${link.name} is down` }; }
    const post = this.hook(ns, 'POSTROUTING', pkt, { outDev: link.name });
    if (!post) return { ok: true };
    if (post.ip!.length > link.mtu && post.ip!.df) {
      if (!forwarded) {
        this.drop(ns, link.name, message('drop.msgSize', { length: post.ip!.length, mtu: link.mtu, dev: link.name }), post);
        return { ok: false, errno: 'EMSGSIZE', mtu: link.mtu, reason: `message too long, mtu=${link.mtu}` };
      }
      this.drop(ns, link.name, message('drop.fragNeeded', { length: post.ip!.length, mtu: link.mtu, dev: link.name }), post);
      this.icmpSend(ns, post, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, link.mtu);
      return { ok: true };
    }
    const out = post.ip!.length > link.mtu ? this.fragment(ns, link, post) : post;
    if (NOARP_KINDS.has(link.kind)) {
      this.devXmit(ns, link, out, r.nexthop);
      return { ok: true };
    }
    const mac = this.neighResolve(ns, link, r.nexthop, ip.src);
    if (!mac) {
      this.drop(ns, link.name, message('drop.neighUnresolved', { ip: r.nexthop, dev: link.name }), out);
      if (forwarded) { this.icmpSend(ns, out, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH); return { ok: true }; }
      return { ok: false, errno: 'EHOSTUNREACH', from: r.src ?? ip.src, reason: `no ARP reply from ${r.nexthop}` };
    }
    this.devXmit(ns, link, withEth(out, link.mac, mac));
    return { ok: true };
  }

  /**
   * ip_fragment: a datagram larger than the device's MTU without DF leaves as fragments of at
   * most MTU bytes (payload in multiples of 8). They all take this route, so the walk follows
   * the first, the largest; the receiver's reassembly is not modelled, its answer is to that.
   * An overlay's outer packet (VXLAN's DF is clear by default, `df unset`) is fragmented here too.
   */
  private fragment(ns: NetNs, link: Link, pkt: Packet): Packet {
    const ip = pkt.ip!;
    const first = 20 + Math.floor((link.mtu - 20) / 8) * 8;
    const fragments = Math.ceil((ip.length - 20) / (first - 20));
    const frag = { ...pkt, ip: { ...ip, length: first } };
    this.emit('fragment', ns, link.name, message('event.fragment', { length: ip.length, mtu: link.mtu, dev: link.name, fragments, first }), frag, { length: ip.length, mtu: link.mtu, fragments, first });
    return frag;
  }

  /** dev_queue_xmit: what happens next depends on the device kind. */
  devXmit(ns: NetNs, link: Link, frame0: Packet, nexthop?: string): void {
    if (!link.up) { this.drop(ns, link.name, message('drop.linkDown', { dev: link.name }), frame0); return; }
    // sch_handle_egress: tc's egress programs see the frame before the driver does.
    const frame = link.progs ? this.devHooks(ns, link, 'tc-egress', frame0) : frame0;
    if (frame === null) return;
    link.stats.txPackets++;
    link.stats.txBytes += frame.ip?.length ?? 28;
    this.emit('tx', ns, link.name, message('event.tx', { dev: link.name, pkt: describe(frame) }), frame);
    switch (link.kind) {
      case 'loopback':
        this.netifRx(ns, link, frame);
        return;
      case 'veth':
      case 'ether':
        this.wire(ns, link, frame);
        return;
      case 'bridge':
        bridgeXmit(this, ns, link, frame);
        return;
      case 'vxlan':
        vxlanXmit(this, ns, link, frame);
        return;
      case 'ipip':
        ipipXmit(this, ns, link, frame, nexthop);
        return;
      case 'tun':
        tunXmit(this, ns, link, frame);
        return;
      case 'dummy':
        this.drop(ns, link.name, message('drop.dummy', { dev: link.name }), frame);
        return;
    }
  }

  /** The cable: a veth pair or a NIC plugged into the underlay. */
  private wire(ns: NetNs, link: Link, frame: Packet): void {
    if (!link.peer) { this.drop(ns, link.name, message('drop.noCarrier', { dev: link.name }), frame); return; }
    const peerNs = this.ns(link.peer.ns);
    const peer = peerNs ? this.view(peerNs).byIfindex.get(link.peer.ifindex) : undefined;
    if (!peerNs || !peer) { this.drop(ns, link.name, message('drop.peerGone', { dev: link.name }), frame); return; }
    if (!peer.up) { this.drop(ns, link.name, message('drop.peerDown', { dev: link.name, peer: peer.name }), frame); return; }
    // veth_xmit / a NIC's receive: a frame longer than the receiving device's MTU (plus the 4
    // bytes of VLAN tag is_skb_forwardable tolerates) is dropped there, silently: no ICMP goes
    // back, the sender only sees a timeout (test/kernel/vxlan-mtu.test.ts).
    if (frame.ip && frame.ip.length > peer.mtu + VLAN_HLEN) {
      peer.stats.rxDropped++;
      this.drop(peerNs, peer.name, message('drop.rxTooLong', { length: frame.ip.length, mtu: peer.mtu, dev: peer.name }), frame);
      return;
    }
    this.emit('veth', peerNs, peer.name, message('event.veth', { fromNs: ns.id, fromDev: link.name, toNs: peerNs.id, toDev: peer.name }), frame, { from: { ns: ns.id, dev: link.name }, to: { ns: peerNs.id, dev: peer.name } });
    this.netifRx(peerNs, peer, frame);
  }

  // ---------------------------------------------------------------- input

  /** netif_receive_skb: a bridge port hands the frame to its bridge; others check the MAC and go up. */
  netifRx(ns: NetNs, link: Link, frame0: Packet): void {
    if (!link.up) { this.drop(ns, link.name, message('drop.linkDown', { dev: link.name }), frame0); return; }
    // XDP runs in the driver, before the stack counts or sees the frame.
    const x = link.progs ? this.devHooks(ns, link, 'xdp', frame0) : frame0;
    if (x === null) return;
    link.stats.rxPackets++;
    link.stats.rxBytes += x.ip?.length ?? 28;
    this.emit('rx', ns, link.name, message('event.rx', { dev: link.name, pkt: describe(x) }), x);
    // A packet socket (weave's sleeve capture) sees the frame before tc ingress, as ptype_all taps do.
    if (link.packetSocket) { packetSocketXmit(this, ns, link, x); return; }
    // sch_handle_ingress: tc's ingress programs, before the bridge and IP.
    const frame = link.progs ? this.devHooks(ns, link, 'tc-ingress', x) : x;
    if (frame === null) return;
    if (link.master) {
      const br = this.link(ns, link.master);
      if (br && br.kind === 'bridge') { bridgeInput(this, ns, br, link, frame); return; }
    }
    this.l2Up(ns, link, frame);
  }

  /** The device accepts frames for its MAC, broadcast and multicast, and passes them to ARP or IP. */
  l2Up(ns: NetNs, link: Link, frame: Packet): void {
    const eth = frame.eth;
    if (eth) {
      const mine = eth.dst === link.mac || eth.dst === BROADCAST_MAC || isMulticast(eth.dst);
      if (!mine) { this.drop(ns, link.name, message('drop.notForUs', { mac: eth.dst, dev: link.name, devMac: link.mac }), frame, false); return; }
      if (eth.type === ETH_P_ARP && frame.arp) { this.arpRcv(ns, link, frame); return; }
      if (eth.type === ETH_P_IPV6 && frame.ip?.version === 6) {
        if (ns.sysctl['net.ipv6.conf.all.disable_ipv6'] !== '0') { this.drop(ns, link.name, message('drop.ipv6Disabled', { dev: link.name }), frame); return; }
        if (frame.icmp && (frame.icmp.type === NDISC_NEIGHBOUR_SOLICITATION || frame.icmp.type === NDISC_NEIGHBOUR_ADVERTISEMENT)) { ndiscRcv(this, ns, link, frame); return; }
        this.ipRcv(ns, link, stripL2(frame));
        return;
      }
      if (eth.type !== ETH_P_IP) { this.drop(ns, link.name, message('drop.ethertype', { type: eth.type.toString(16) }), frame); return; }
    }
    if (!frame.ip) { this.drop(ns, link.name, message('drop.notIp', {}), frame); return; }
    this.ipRcv(ns, link, stripL2(frame));
  }

  /** ip_rcv → PREROUTING → ip_route_input → local delivery or forwarding. */
  ipRcv(ns: NetNs, inLink: Link, pkt0: Packet): void {
    const pkt = this.hook(ns, 'PREROUTING', pkt0, { inDev: inLink.name });
    if (!pkt) return;
    const ip = pkt.ip!;
    const v = this.view(ns);
    if (v.local.has(ip.dst) || v.broadcast.has(ip.dst) || ip.dst === '255.255.255.255' || ip.dst.startsWith('127.')) {
      this.localIn(ns, inLink, pkt);
      return;
    }
    if (ip.version === 6) { this.ip6Forward(ns, inLink, pkt); return; }
    const r = this.route(ns, ip.dst, inLink.name, pkt);
    if (r?.route.type === 'local') {
      this.localIn(ns, inLink, pkt);
      return;
    }
    if (ns.sysctl['net.ipv4.ip_forward'] !== '1') {
      // ip_route_input_slow gives the packet an EHOSTUNREACH route, but ip_error() sends no ICMP
      // when the input device does not forward: it only counts InAddrErrors. The sender times out
      // (the kernel tier proves this: routed-no-forward).
      this.drop(ns, inLink.name, message('drop.notForwarding', { dst: ip.dst, value: ns.sysctl['net.ipv4.ip_forward'] ?? '0' }), pkt);
      return;
    }
    if (!r) {
      this.drop(ns, inLink.name, message('drop.noRoute', { dst: ip.dst }), pkt);
      this.icmpSend(ns, pkt, ICMP_DEST_UNREACH, ICMP_NET_UNREACH);
      return;
    }
    if (ip.ttl <= 1) {
      this.drop(ns, inLink.name, message('drop.ttl', { ttl: ip.ttl }), pkt);
      this.icmpSend(ns, pkt, ICMP_TIME_EXCEEDED, 0);
      return;
    }
    const fwd0 = this.hook(ns, 'FORWARD', pkt, { inDev: inLink.name, outDev: r.route.dev ?? '' });
    if (!fwd0) return;
    const fwdH = this.ipHooks(ns, 'forward', r.route.dev, fwd0);
    if (fwdH === null) return;
    const fwd = fwdH === 'pass' ? fwd0 : fwdH;
    const out: Packet = { ...fwd, ip: { ...fwd.ip!, ttl: fwd.ip!.ttl - 1 } };
    this.emit('forward', ns, r.route.dev, message('event.forward', { in: inLink.name, out: r.route.dev ?? '?', ttl: ip.ttl, ttlAfter: ip.ttl - 1 }), out, { in: inLink.name, out: r.route.dev, ttl: ip.ttl - 1 });
    this.finishOutput(ns, out, r, true);
  }

  /**
   * ip6_forward: IPv6 has its own forwarding switch (net.ipv6.conf.all.forwarding), routers send
   * ICMPv6 errors (no route, hop limit exceeded, packet too big: they never fragment) and
   * decrement the hop limit.
   */
  private ip6Forward(ns: NetNs, inLink: Link, pkt: Packet): void {
    const ip = pkt.ip!;
    if (isMulticast6(ip.dst)) { this.drop(ns, inLink.name, message('drop.multicast6', { dst: ip.dst }), pkt, false); return; }
    const r = this.route(ns, ip.dst, inLink.name, pkt);
    if (r?.route.type === 'local') { this.localIn(ns, inLink, pkt); return; }
    if (ns.sysctl['net.ipv6.conf.all.forwarding'] !== '1') {
      this.drop(ns, inLink.name, message('drop.notForwarding6', { dst: ip.dst, value: ns.sysctl['net.ipv6.conf.all.forwarding'] ?? '0' }), pkt);
      return;
    }
    if (isLinkLocal6(ip.src) || isLinkLocal6(ip.dst)) { this.drop(ns, inLink.name, message('drop.linkLocal6', { ip: isLinkLocal6(ip.src) ? ip.src : ip.dst }), pkt); return; }
    if (!r) {
      this.drop(ns, inLink.name, message('drop.noRoute', { dst: ip.dst }), pkt);
      this.icmpSend(ns, pkt, ICMP_DEST_UNREACH, ICMP_NET_UNREACH);
      return;
    }
    if (ip.ttl <= 1) {
      this.drop(ns, inLink.name, message('drop.hopLimit', { ttl: ip.ttl }), pkt);
      this.icmpSend(ns, pkt, ICMP_TIME_EXCEEDED, 0);
      return;
    }
    const fwd = this.hook(ns, 'FORWARD', pkt, { inDev: inLink.name, outDev: r.route.dev ?? '' });
    if (!fwd) return;
    const out: Packet = { ...fwd, ip: { ...fwd.ip!, ttl: fwd.ip!.ttl - 1 } };
    this.emit('forward', ns, r.route.dev, message('event.forward', { in: inLink.name, out: r.route.dev ?? '?', ttl: ip.ttl, ttlAfter: ip.ttl - 1 }), out, { in: inLink.name, out: r.route.dev, ttl: ip.ttl - 1 });
    this.finishOutput(ns, out, r, true);
  }

  // ---------------------------------------------------------------- ARP / neighbours

  findNeigh(ns: NetNs, ip: string, dev: string): NeighEntry | undefined {
    for (const n of ns.neigh) if (n.ip === ip && n.dev === dev) return n;
    return undefined;
  }

  /** neigh_resolve_output: a cached entry, or an ARP request/reply exchange walked right now. */
  neighResolve(ns: NetNs, link: Link, nexthop: string, src: string): Mac | undefined {
    const e = this.findNeigh(ns, nexthop, link.name);
    if (e?.mac && e.state !== 'FAILED' && e.state !== 'INCOMPLETE') {
      this.emit('neigh', ns, link.name, message('event.neigh', { ip: nexthop, dev: link.name, mac: `${e.mac}`, state: e.state }), undefined, { ip: nexthop, mac: e.mac, state: e.state });
      return e.mac;
    }
    if (nexthop.includes(':')) return ndiscSolicit(this, ns, link, nexthop, src, e);
    const entry: NeighEntry = e ?? { family: 4, ip: nexthop, dev: link.name, state: 'INCOMPLETE', updatedAt: this.nowMs };
    if (!e) ns.neigh.push(entry);
    entry.state = 'INCOMPLETE';
    // arp_solicit: the packet's source when it is ours, else an address of the device, else any (inet_select_addr).
    const spa = this.view(ns).local.has(src) ? src : (firstAddr(link) ?? anyGlobalAddr(ns) ?? src);
    const req: Packet = {
      eth: { src: link.mac, dst: BROADCAST_MAC, type: ETH_P_ARP },
      arp: { op: 1, sha: link.mac, spa, tha: ZERO_MAC, tpa: nexthop },
    };
    this.withFlow('arp', () => {
      this.emit('arp-request', ns, link.name, message('event.arp.request', { ip: nexthop, spa, dev: link.name }), req);
      this.devXmit(ns, link, req);
    });
    if (entry.mac && (entry.state as NeighEntry['state']) === 'REACHABLE') return entry.mac;
    entry.state = 'FAILED';
    entry.updatedAt = this.nowMs;
    return undefined;
  }

  /** arp_rcv: answer requests for our addresses (or proxy them), learn from replies. */
  private arpRcv(ns: NetNs, link: Link, frame: Packet): void {
    const arp = frame.arp!;
    if (arp.op === 2) {
      const e = this.findNeigh(ns, arp.spa, link.name);
      if (!e) { this.drop(ns, link.name, message('drop.unsolicitedArp', { ip: arp.spa }), frame, false); return; }
      e.mac = arp.sha;
      e.state = 'REACHABLE';
      e.updatedAt = this.nowMs;
      this.emit('neigh', ns, link.name, message('event.neighLearned', { ip: arp.spa, dev: link.name, mac: arp.sha }), frame, { ip: arp.spa, mac: arp.sha, state: 'REACHABLE' });
      return;
    }
    const v = this.view(ns);
    let proxied = false;
    if (!v.local.has(arp.tpa)) {
      // proxy_arp: answer with our own MAC when we have a route to the target out of another device (Calico's cali* host ends).
      // A proxy neighbour entry (`ip neigh add proxy IP dev DEV`, pneigh_lookup) answers for that one address on that device.
      const pneigh = ns.proxyNeigh?.some((p) => p.ip === arp.tpa && p.dev === link.name) === true && ns.sysctl['net.ipv4.ip_forward'] === '1';
      const r = link.proxyArp || pneigh || ns.sysctl[`net.ipv4.conf.${link.name}.proxy_arp`] === '1' ? fibCached(this.sim.net, ns, arp.tpa) : undefined;
      if (!r || r.route.dev === link.name || r.route.type !== 'unicast') {
        this.drop(ns, link.name, message('drop.arpNotOurs', { ip: arp.tpa, ns: ns.id }), frame, false);
        return;
      }
      proxied = true;
    }
    // The kernel creates (or refreshes) an entry for the asker when the request is for us.
    const e = this.findNeigh(ns, arp.spa, link.name);
    if (e) { e.mac = arp.sha; if (e.state !== 'PERMANENT') e.state = 'STALE'; e.updatedAt = this.nowMs; }
    else ns.neigh.push({ family: 4, ip: arp.spa, dev: link.name, mac: arp.sha, state: 'STALE', updatedAt: this.nowMs });
    const reply: Packet = {
      eth: { src: link.mac, dst: arp.sha, type: ETH_P_ARP },
      arp: { op: 2, sha: link.mac, spa: arp.tpa, tha: arp.sha, tpa: arp.spa },
    };
    this.emit('arp-reply', ns, link.name, message(proxied ? 'event.arp.proxyReply' : 'event.arp.reply', { ip: arp.tpa, mac: link.mac }), reply, proxied ? { proxyArp: true } : undefined);
    this.devXmit(ns, link, reply);
  }

  // ---------------------------------------------------------------- errors

  /** icmp_send: an error back to the offending packet's source, never about another ICMP error. */
  icmpSend(ns: NetNs, offending: Packet, type0: number, code0: number, mtu?: number): void {
    const ip = offending.ip!;
    if (isIcmpError(offending)) return;
    // icmp6_send: the same decision in ICMPv6's numbers.
    const { type, code } = ip.version === 6 ? icmp6For(type0, code0) : { type: type0, code: code0 };
    const v = this.view(ns);
    const r = fibCached(this.sim.net, ns, ip.src);
    const src = v.local.has(ip.dst) ? ip.dst : r?.src;
    if (!src) { this.drop(ns, undefined, message('drop.icmpNoRoute', { ip: ip.src }), offending, false); return; }
    const err = icmpError({ src, dst: ip.src, ttl: DEFAULT_TTL }, type, code, offending, mtu);
    this.withFlow('icmp-error', () => {
      this.emit('icmp-error', ns, undefined, message('event.icmpError', { pkt: describe(err) }), err, { type, code, ...(mtu !== undefined ? { mtu } : {}) });
      this.sendLocal(ns, err);
    });
  }

  /** A TCP RST for a segment nobody listens for (tcp_v4_send_reset). */
  sendRst(ns: NetNs, seg: Packet): void {
    const t = seg.tcp!;
    if (t.flags.rst) return;
    this.refuser ??= ownerId(ns);
    const ip = seg.ip!;
    const len = t.flags.syn ? 1 : 0;
    const rst = tcp({ src: ip.dst, dst: ip.src, sport: t.dport, dport: t.sport, seq: t.flags.ack ? t.ack : 0, ack: t.seq + len, flags: { rst: true, ack: true } });
    this.withFlow('rst', () => {
      this.emit('send', ns, undefined, message('event.sendRst', { pkt: describe(rst) }), rst);
      this.sendLocal(ns, rst);
    });
  }

  /** ip_local_deliver: INPUT, then IPVS (a virtual server sends the packet on), then the socket. */
  private localIn(ns: NetNs, inLink: Link, pkt: Packet): void {
    // IPVS sits inside INPUT, after filter and before nat and the conntrack confirm: a packet it
    // takes leaves unconfirmed, so POSTROUTING (KUBE-POSTROUTING's MASQUERADE) still sees it NEW.
    const split = !!ns.ipvs;
    const head = this.hook(ns, 'INPUT', pkt, split ? { inDev: inLink.name, split: 'head' } : { inDev: inLink.name });
    if (!head) return;
    const v = this.ipHooks(ns, 'local-in', inLink.name, head);
    if (v === null) return;
    if (v !== 'pass') {
      const r = this.route(ns, v.ip!.dst, inLink.name);
      if (!r) { this.drop(ns, inLink.name, message('drop.ipvsNoRoute', { dst: v.ip!.dst }), v); return; }
      // ip_vs_nat_send_or_cont: the DNATed packet goes out through LOCAL_OUT (OUTPUT, with its
      // conntrack entry) and then POSTROUTING, as a locally sent one does.
      const o = this.hook(ns, 'OUTPUT', v, { outDev: r.route.dev ?? 'lo', tracked: true });
      if (!o) return;
      this.finishOutput(ns, o, r, true);
      return;
    }
    const inp = split ? this.hook(ns, 'INPUT', head, { inDev: inLink.name, split: 'tail' }) : head;
    if (!inp) return;
    const d = this.ipHooks(ns, 'local-deliver', inLink.name, inp);
    if (d === null) return;
    localDeliver(this, ns, inLink, d === 'pass' ? inp : d);
  }

  ipipRcv(ns: NetNs, pkt: Packet): boolean { return ipipRcv(this, ns, pkt); }
  bridgeAgeingMs(br: Link, ns: NetNs): number {
    const s = ns.sysctl[`bridge.${br.name}.ageing_time`];
    return s !== undefined && Number.isFinite(Number(s)) ? Number(s) * 10 : BRIDGE_AGEING_MS;
  }
}

export function isMulticast(mac: Mac): boolean {
  return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}

function anyGlobalAddr(ns: NetNs): string | undefined {
  for (const l of ns.links) for (const a of l.addrs) if (a.family === 4 && a.scope === 'global') return a.address;
  return undefined;
}

function firstAddr(link: Link): string | undefined {
  return link.addrs.find((a) => a.family === 4)?.address;
}

/** A route as `ip route get` prints it. */
export function routeText(r: FibResult): string {
  const x = r.route;
  let s = x.type === 'unicast' ? x.dst : `${x.type} ${x.dst}`;
  if (x.via) s += ` via ${x.via}`;
  if (x.dev) s += ` dev ${x.dev}`;
  if (x.table === 255) s += ' table local';
  else if (x.table !== 254 && x.table !== 0) s += ` table ${x.table === 253 ? 'default' : x.table}`;
  if (x.proto !== 'boot' && x.proto !== 'static' && x.type === 'unicast') s += ` proto ${x.proto}`;
  if (x.scope !== 'global' && x.type === 'unicast') s += ` scope ${x.scope}`;
  if (r.src) s += ` src ${r.src}`;
  if (x.onlink) s += ' onlink';
  return s;
}
