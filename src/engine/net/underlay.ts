/**
 * The physical network around the machines: one switched segment (the underlay CIDR) that the
 * nodes' and Hosts' eth0 plug into, and a router on it that is every machine's default gateway
 * and the way to external hosts.
 *
 *   node/n1 eth0 ─┐
 *   node/n2 eth0 ─┼─ infra/underlay (bridge br0) ─── eth0 infra/router ethN ─── eth0 host/dns
 *   host/h1 eth0 ─┘                                   (one point-to-point link per external host)
 *
 * External hosts outside the underlay CIDR hang off the router on an unnumbered point-to-point
 * link: the host holds IP/32 with `default via GATEWAY dev eth0 onlink`, the router holds
 * `IP dev ethN scope link` (the way Calico wires its workloads, and many hosting providers do).
 */
import { formatIPv4, ipInCidr, nthAddress, parsePrefix } from '../addr/ip';
import type { ExternalHostModel } from '../model/cluster';
import { RT_TABLE_MAIN } from '../route/fib';
import { macFor, report, type BuildCtx } from './context';
import { hostNsId, ROUTER_NS, UNDERLAY_NS } from './ids';
import { linkByName, nsById } from './lookup';
import { addAddr, addLink, addRoute, createNs, loopbackUp, pairVeth, setMaster, setUp, v4Addr } from './mutate';
import { hasIPv6, underlay6, v6Addr } from './ipv6';
import type { Link, NetNs } from './types';

export interface Underlay {
  /** A namespace of the network being built, by id. */
  ns(id: string): NetNs | undefined;
  readonly cidr: string;
  readonly prefixLen: number;
  readonly gateway: string;
  readonly mtu: number;
  readonly switchNs: NetNs;
  readonly routerNs: NetNs;
}

const IFNAMSIZ = 15;

/** The underlay's address plan from the Cluster spec (defaults apply for Host-only scenarios too). */
export function underlayPlan(ctx: BuildCtx): { cidr: string; prefixLen: number; gateway: string; mtu: number } {
  const spec = ctx.model.spec;
  const p = parsePrefix(spec.underlayCIDR, true) ?? parsePrefix('192.168.1.0/24')!;
  const gateway = spec.gateway ?? formatIPv4(nthAddress(p, 1));
  return { cidr: `${formatIPv4(p.base)}/${p.len}`, prefixLen: p.len, gateway, mtu: spec.network.mtu };
}

/** Creates the switch and the router (once). */
export function buildUnderlay(ctx: BuildCtx): Underlay {
  const plan = underlayPlan(ctx);
  const sw = createNs(ctx.net, UNDERLAY_NS, { kind: 'infra', name: 'underlay' }, UNDERLAY_NS);
  loopbackUp(sw);
  addLink(sw, { name: 'br0', kind: 'bridge', mac: macFor(ctx, 'infra/underlay br0'), mtu: plan.mtu, up: true, qlen: 1000 });
  const router = createNs(ctx.net, ROUTER_NS, { kind: 'infra', name: 'router' }, ROUTER_NS);
  loopbackUp(router);
  router.sysctl['net.ipv4.ip_forward'] = '1';
  router.sysctl['net.ipv4.conf.all.forwarding'] = '1';
  const u: Underlay = { ...plan, switchNs: sw, routerNs: router, ns: (id) => ctx.net.namespaces.get(id) };
  const eth0 = plugIntoSwitch(ctx, u, router, 'router', 'eth0');
  addAddr(router, eth0, v4Addr(plan.gateway, plan.prefixLen, { broadcast: true }));
  const u6 = hasIPv6(ctx.model) ? underlay6(ctx.model) : undefined;
  if (u6) addAddr(router, eth0, v6Addr(u6.gateway, u6.prefixLen));
  return u;
}

/** A switch port name for a machine: its name when it fits in IFNAMSIZ and is free, else portN. */
function portName(sw: NetNs, machine: string): string {
  if (machine.length <= IFNAMSIZ && !linkByName(sw, machine)) return machine;
  let i = sw.links.length;
  while (linkByName(sw, `port${i}`)) i++;
  return `port${i}`;
}

/**
 * Cables a machine's `dev` into the switch: a link of kind ether in the machine (a NIC, printed
 * without @ifN) whose peer is a bridge port in infra/underlay. Returns the machine's link, up.
 */
export function plugIntoSwitch(ctx: BuildCtx, u: Underlay, ns: NetNs, machine: string, dev: string): Link {
  const nic = addLink(ns, { name: dev, kind: 'ether', mac: macFor(ctx, `${ns.id} ${dev}`), mtu: u.mtu, qlen: 1000 });
  const port = addLink(u.switchNs, { name: portName(u.switchNs, machine), kind: 'veth', mac: macFor(ctx, `${ns.id} ${dev} port`), mtu: u.mtu });
  pairVeth({ ns, link: nic }, { ns: u.switchNs, link: port }, true);
  const br = linkByName(u.switchNs, 'br0');
  if (br) setMaster(u.switchNs, port, br);
  setUp(u.switchNs, port, true);
  setUp(ns, nic, true);
  return nic;
}

/**
 * Gives a machine its underlay address and default route (`default via GATEWAY dev eth0`).
 * An address outside the underlay CIDR puts the machine in its own subnet (same length) on the
 * same wire, routed by the router, which takes that subnet's first address as a second gateway
 * on its eth0 ("router on a stick"): such machines reach the others only through the router,
 * as machines in different subnets do (which is what breaks flannel's host-gw).
 */
export function attachMachine(ctx: BuildCtx, u: Underlay, ns: NetNs, machine: string, ip: string): Link {
  const eth0 = plugIntoSwitch(ctx, u, ns, machine, 'eth0');
  const taken = addressHolder(u, ip);
  if (taken) {
    report(ctx, undefined, [], 'error', 'underlay-address-conflict', `${machine} and ${taken} both claim ${ip} on the underlay; ARP answers for it would race`, 'give every node, Host and external host its own address');
  }
  let gateway = u.gateway;
  if (!ipInCidr(ip, u.cidr)) {
    const p = parsePrefix(`${ip}/${u.prefixLen}`, true);
    if (p) {
      gateway = formatIPv4(nthAddress(p, 1));
      const reth0 = linkByName(u.routerNs, 'eth0');
      if (reth0 && !reth0.addrs.some((a) => a.address === gateway)) addAddr(u.routerNs, reth0, v4Addr(gateway, u.prefixLen, { broadcast: true }));
    }
  }
  addAddr(ns, eth0, v4Addr(ip, u.prefixLen, { broadcast: true }));
  if (gateway !== ip) addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: 'default', via: gateway, dev: 'eth0', proto: 'boot', scope: 'global' });
  return eth0;
}

/** Which machine on the segment already holds `ip` (the router included). */
function addressHolder(u: Underlay, ip: string): string | undefined {
  const r = linkByName(u.routerNs, 'eth0');
  if (r?.addrs.some((a) => a.address === ip)) return 'the underlay router';
  for (const port of u.switchNs.links) {
    if (!port.peer || port.peer.ns === u.routerNs.id) continue;
    const peerNs = u.ns(port.peer.ns);
    if (peerNs?.links.some((l) => l.kind === 'ether' && l.addrs.some((a) => a.address === ip))) return peerNs.id;
  }
  return undefined;
}

/** An external host: its namespace, its address, its route back, and the router's route to it. */
export function buildExternalHost(ctx: BuildCtx, u: Underlay, h: ExternalHostModel): NetNs {
  const ns = createNs(ctx.net, hostNsId(h.name), { kind: 'host', name: h.name }, hostNsId(h.name));
  loopbackUp(ns);
  if (ipInCidr(h.ip, u.cidr)) {
    attachMachine(ctx, u, ns, h.name, h.ip);
  } else {
    const r = u.routerNs;
    let n = 1;
    while (linkByName(r, `eth${n}`)) n++;
    const rdev = addLink(r, { name: `eth${n}`, kind: 'ether', mac: macFor(ctx, `${ns.id} uplink`), mtu: u.mtu, qlen: 1000 });
    const eth0 = addLink(ns, { name: 'eth0', kind: 'ether', mac: macFor(ctx, `${ns.id} eth0`), mtu: u.mtu, qlen: 1000 });
    pairVeth({ ns: r, link: rdev }, { ns, link: eth0 }, true);
    setUp(r, rdev, true);
    setUp(ns, eth0, true);
    addAddr(r, rdev, v4Addr(u.gateway, 32));
    addAddr(ns, eth0, v4Addr(h.ip, 32));
    addRoute(r, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: `${h.ip}/32`, dev: rdev.name, proto: 'boot', scope: 'link' });
    addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: 'default', via: u.gateway, dev: 'eth0', proto: 'boot', scope: 'global', onlink: true });
  }
  if (h.role === 'loadbalancer') loadBalancerAddresses(ctx, u, ns, h);
  for (const p of h.ports) {
    const protocol = p.protocol === 'UDP' ? 'udp' : p.protocol === 'SCTP' ? 'sctp' : 'tcp';
    const app = p.port === 53 ? { kind: 'dns' as const } : protocol === 'udp' ? { kind: 'echo' as const } : { kind: 'http' as const, name: h.name };
    ns.listeners.push({ protocol, address: '0.0.0.0', port: p.port, owner: `host/${h.name}`, app });
  }
  return ns;
}

/**
 * A load balancer forwards (its rules DNAT to the nodes' NodePorts, k8s/hostrules/cloudlb.ts) and
 * owns every LoadBalancer Service's EXTERNAL-IP: its own address, or one written in the Service's
 * status, held on lo and routed to it by the router (as a cloud routes a VIP to its balancer).
 */
function loadBalancerAddresses(ctx: BuildCtx, u: Underlay, ns: NetNs, h: ExternalHostModel): void {
  ns.sysctl['net.ipv4.ip_forward'] = '1';
  ns.sysctl['net.ipv4.conf.all.forwarding'] = '1';
  const lo = linkByName(ns, 'lo');
  const uplink = u.routerNs.routes.find((r) => r.table === RT_TABLE_MAIN && r.dst === `${h.ip}/32`)?.dev;
  const vips = new Set<string>();
  for (const s of ctx.model.services) {
    if (s.type !== 'LoadBalancer') continue;
    for (const ip of s.loadBalancerIngress) if (ip !== h.ip && parsePrefix(`${ip}/32`)) vips.add(ip);
  }
  for (const vip of vips) {
    if (lo) addAddr(ns, lo, v4Addr(vip, 32));
    if (uplink) addRoute(u.routerNs, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: `${vip}/32`, dev: uplink, proto: 'boot', scope: 'link' });
    else addRoute(u.routerNs, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: `${vip}/32`, via: h.ip, dev: 'eth0', proto: 'boot', scope: 'global' });
  }
}

/** The underlay of a network that has one (the switch namespace exists), else undefined. */
export function existingUnderlay(ctx: BuildCtx): Underlay | undefined {
  const sw = nsById(ctx.net, UNDERLAY_NS);
  const router = nsById(ctx.net, ROUTER_NS);
  return sw && router ? { ...underlayPlan(ctx), switchNs: sw, routerNs: router, ns: (id) => ctx.net.namespaces.get(id) } : undefined;
}
