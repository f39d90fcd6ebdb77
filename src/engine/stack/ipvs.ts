/**
 * IPVS in the walk (kube-proxy's IPVS mode), the first user of the generic hook list
 * (stack/hooks.ts): the walker calls these at its IP hook points. The kernel side as Linux runs it:
 *
 *   ip_vs_in   at LOCAL_IN  (and LOCAL_OUT for a client on the node itself): a packet to a
 *              virtual server (a Service IP bound to kube-ipvs0, hence local) is given a real
 *              server by the scheduler (k8s/kubeproxy/ipvs.ts decides), DNATed ("Masq") and
 *              sent on through LOCAL_OUT (ip_vs_nat_send_or_cont: OUTPUT's filter chains see it,
 *              kube-router's NetworkPolicy among them); later packets of the connection follow the connection entry;
 *   ip_vs_out  at FORWARD and LOCAL_IN: the real server's replies get the virtual server's
 *              address back as their source.
 *
 *   client ──► VIP:80 (local) ──LOCAL_IN: ip_vs_in, DNAT──► podIP:8080 ──► (route, OUTPUT, POSTROUTING)
 *   client ◄── VIP:80 ◄──FORWARD: ip_vs_out, un-DNAT── podIP:8080
 *
 * The connection table lives per namespace for the life of the simulation, like the kernel's.
 */
import { ipvsBindConntrack } from '../ipvs/conntrack';
import { ipvsCommit, ipvsSchedule } from '../ipvs/ipvs';
import { message } from '../i18n/messages';
import type { Packet } from '../net/packet';
import type { NetNs } from '../net/types';
import type { HookDecision, HookEnv, IpHook } from './hooks';
import { describe, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH } from './packets';

interface IpvsConn {
  readonly vip: string;
  readonly vport: number;
  readonly rip: string;
  readonly rport: number;
  readonly service: string;
}

const tables = new WeakMap<NetNs, Map<string, IpvsConn>>();

function table(ns: NetNs): Map<string, IpvsConn> {
  let t = tables.get(ns);
  if (!t) { t = new Map(); tables.set(ns, t); }
  return t;
}

/** addr:port, with an IPv6 address in brackets. */
const hp = (addr: string, port: number): string => (addr.includes(':') ? `[${addr}]:${port}` : `${addr}:${port}`);

function l4(p: Packet): { sport: number; dport: number } | undefined {
  return p.tcp ?? p.udp;
}

const inKey = (proto: number, client: string, cport: number, vip: string, vport: number): string => `in|${proto}|${client}:${cport}|${vip}:${vport}`;
const outKey = (proto: number, rip: string, rport: number, client: string, cport: number): string => `out|${proto}|${rip}:${rport}|${client}:${cport}`;

function rewriteDst(p: Packet, addr: string, port: number): Packet {
  const ip = { ...p.ip!, dst: addr };
  if (p.tcp) return { ...p, ip, tcp: { ...p.tcp, dport: port } };
  if (p.udp) return { ...p, ip, udp: { ...p.udp, dport: port } };
  return { ...p, ip };
}

function rewriteSrc(p: Packet, addr: string, port: number): Packet {
  const ip = { ...p.ip!, src: addr };
  if (p.tcp) return { ...p, ip, tcp: { ...p.tcp, sport: port } };
  if (p.udp) return { ...p, ip, udp: { ...p.udp, sport: port } };
  return { ...p, ip };
}

/**
 * ip_vs_in: 'pass' when no virtual server wants the packet; otherwise the DNATed packet
 * (the caller routes and sends it) or a drop (no real server: ICMP port unreachable).
 */
function ipvsIn(env: HookEnv, p: Packet): HookDecision {
  const ns = env.ns;
  const ports = l4(p);
  const ip = p.ip!;
  if (!ports) return PASS;
  const t = table(ns);
  const known = t.get(inKey(ip.protocol, ip.src, ports.sport, ip.dst, ports.dport));
  if (known) {
    const out = rewriteDst(p, known.rip, known.rport);
    return { verdict: 'rewrite', packet: out, events: [{ type: 'ipvs', message: message('event.ipvs.connection', { service: known.service, dest: hp(known.rip, known.rport) }), detail: { service: known.service, dest: hp(known.rip, known.rport), reason: 'connection' } }] };
  }
  if (p.tcp && !p.tcp.flags.syn) return PASS;
  const d = ipvsSchedule(ns, p, { now: env.nowMs });
  if (d.kind === 'none') return PASS;
  if (d.kind === 'no-dest') {
    return {
      verdict: 'drop', reason: message('hook.ipvsNoDest', { service: d.service }), icmp: { type: ICMP_DEST_UNREACH, code: ICMP_PORT_UNREACH },
      events: [{ type: 'ipvs', message: message('event.ipvs.noDest', { service: d.service }), detail: { service: d.service, dest: null } }],
    };
  }
  ipvsCommit(ns, d, p, ip.length);
  // net.ipv4.vs.conntrack=1: the conntrack entry learns the real server (ip_vs_update_conntrack).
  ipvsBindConntrack(ns, p, d.dest.address, d.dest.port, env.nowMs);
  const conn: IpvsConn = { vip: ip.dst, vport: ports.dport, rip: d.dest.address, rport: d.dest.port, service: d.service };
  t.set(inKey(ip.protocol, ip.src, ports.sport, ip.dst, ports.dport), conn);
  t.set(outKey(ip.protocol, d.dest.address, d.dest.port, ip.src, ports.sport), conn);
  const out = rewriteDst(p, d.dest.address, d.dest.port);
  return {
    verdict: 'rewrite', packet: out,
    events: [{ type: 'ipvs', message: message('event.ipvs.schedule', { service: d.service, scheduler: d.scheduler, reason: d.reason, vip: hp(ip.dst, ports.dport), dest: hp(d.dest.address, d.dest.port), forward: d.forward, pkt: describe(out) }),
      detail: { service: d.service, scheduler: d.scheduler, reason: d.reason, dest: hp(d.dest.address, d.dest.port), forward: d.forward } }],
  };
}

/** ip_vs_out: a real server's reply leaves with the virtual server's address as its source. */
function ipvsOut(env: HookEnv, p: Packet): HookDecision {
  const ports = l4(p);
  if (!ports) return PASS;
  const ip = p.ip!;
  const c = tables.get(env.ns)?.get(outKey(ip.protocol, ip.src, ports.sport, ip.dst, ports.dport));
  if (!c) return PASS;
  const out = rewriteSrc(p, c.vip, c.vport);
  return { verdict: 'rewrite', packet: out, events: [{ type: 'ipvs', message: message('event.ipvs.reply', { service: c.service, rip: hp(c.rip, c.rport), vip: hp(c.vip, c.vport) }), detail: { service: c.service, unNat: true } }] };
}

const PASS: HookDecision = { verdict: 'pass' };
const hasIpvs = (ns: NetNs): boolean => !!ns.ipvs;

/** IPVS's two hooks in the generic list (stack/hooks.ts IP_HOOKS). */
export const ipvsInHook: IpHook = { name: 'ip_vs_in', applies: hasIpvs, run: ipvsIn };
export const ipvsOutHook: IpHook = { name: 'ip_vs_out', applies: hasIpvs, run: ipvsOut };
