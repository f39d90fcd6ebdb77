/**
 * IPVS in the walk (kube-proxy's IPVS mode). The kernel side as Linux runs it:
 *
 *   ip_vs_in   at LOCAL_IN  (and LOCAL_OUT for a client on the node itself): a packet to a
 *              virtual server (a Service IP bound to kube-ipvs0, hence local) is given a real
 *              server by the scheduler (k8s/kubeproxy/ipvs.ts decides), DNATed ("Masq") and
 *              sent on; later packets of the connection follow the connection entry;
 *   ip_vs_out  at FORWARD and LOCAL_IN: the real server's replies get the virtual server's
 *              address back as their source.
 *
 *   client ──► VIP:80 (local) ──LOCAL_IN: ip_vs_in, DNAT──► podIP:8080 ──► (route, POSTROUTING)
 *   client ◄── VIP:80 ◄──FORWARD: ip_vs_out, un-DNAT── podIP:8080
 *
 * The connection table lives per namespace for the life of the simulation, like the kernel's.
 */
import { ipvsBindConntrack } from '../ipvs/conntrack';
import { ipvsCommit, ipvsSchedule } from '../ipvs/ipvs';
import { message } from '../i18n/messages';
import type { Packet } from '../net/packet';
import type { NetNs } from '../net/types';
import { describe, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH } from './packets';
import type { Walker } from './walker';

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
 * (the caller routes and sends it) or 'dropped' (no real server: ICMP port unreachable).
 */
export function ipvsIn(w: Walker, ns: NetNs, dev: string | undefined, p: Packet): Packet | 'pass' | 'dropped' {
  if (!ns.ipvs) return 'pass';
  const ports = l4(p);
  const ip = p.ip!;
  if (!ports) return 'pass';
  const t = table(ns);
  const known = t.get(inKey(ip.protocol, ip.src, ports.sport, ip.dst, ports.dport));
  if (known) {
    const out = rewriteDst(p, known.rip, known.rport);
    w.emit('ipvs', ns, dev, message('event.ipvs.connection', { service: known.service, dest: `${known.rip}:${known.rport}` }), out, { service: known.service, dest: `${known.rip}:${known.rport}`, reason: 'connection' });
    return out;
  }
  if (p.tcp && !p.tcp.flags.syn) return 'pass';
  const d = ipvsSchedule(ns, p, { now: w.nowMs });
  if (d.kind === 'none') return 'pass';
  if (d.kind === 'no-dest') {
    w.emit('ipvs', ns, dev, message('event.ipvs.noDest', { service: d.service }), p, { service: d.service, dest: null });
    w.drop(ns, dev, `IPVS ${d.service}: no destination available`, p);
    w.icmpSend(ns, p, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
    return 'dropped';
  }
  ipvsCommit(ns, d, p, ip.length);
  // net.ipv4.vs.conntrack=1: the conntrack entry learns the real server (ip_vs_update_conntrack).
  ipvsBindConntrack(ns, p, d.dest.address, d.dest.port, w.nowMs);
  const conn: IpvsConn = { vip: ip.dst, vport: ports.dport, rip: d.dest.address, rport: d.dest.port, service: d.service };
  t.set(inKey(ip.protocol, ip.src, ports.sport, ip.dst, ports.dport), conn);
  t.set(outKey(ip.protocol, d.dest.address, d.dest.port, ip.src, ports.sport), conn);
  const out = rewriteDst(p, d.dest.address, d.dest.port);
  w.emit('ipvs', ns, dev, message('event.ipvs.schedule', { service: d.service, scheduler: d.scheduler, reason: d.reason, vip: `${ip.dst}:${ports.dport}`, dest: `${d.dest.address}:${d.dest.port}`, forward: d.forward, pkt: describe(out) }), out,
    { service: d.service, scheduler: d.scheduler, reason: d.reason, dest: `${d.dest.address}:${d.dest.port}`, forward: d.forward });
  return out;
}

/** ip_vs_out: a real server's reply leaves with the virtual server's address as its source. */
export function ipvsOut(w: Walker, ns: NetNs, dev: string | undefined, p: Packet): Packet {
  if (!ns.ipvs) return p;
  const ports = l4(p);
  if (!ports) return p;
  const ip = p.ip!;
  const c = tables.get(ns)?.get(outKey(ip.protocol, ip.src, ports.sport, ip.dst, ports.dport));
  if (!c) return p;
  const out = rewriteSrc(p, c.vip, c.vport);
  w.emit('ipvs', ns, dev, message('event.ipvs.reply', { service: c.service, rip: `${c.rip}:${c.rport}`, vip: `${c.vip}:${c.vport}` }), out, { service: c.service, unNat: true });
  return out;
}

