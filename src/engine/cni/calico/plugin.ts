/**
 * Calico: no bridge. Each Pod's host end is a `cali` + 11-hex veth (sha1 of "NS.POD") with MAC
 * ee:ee:ee:ee:ee:ee and proxy_arp on, so the Pod's only route, `default via 169.254.1.1`,
 * resolves to the host whatever that fake gateway is. The host reaches each local Pod by a /32
 * `POD dev caliXXX scope link` and a permanent neighbour entry Felix writes. Other nodes' blocks
 * arrive from BIRD (`proto bird`): straight over the underlay (bgp), through tunl0 (ipip), or
 * through vxlan.calico (vxlan, routes from Felix as `proto 80`). The node's own block is a
 * `blackhole ... proto bird`, so addresses nobody holds are dropped rather than bounced.
 *
 * IPv6 (a dual-stack or IPv6 cluster): calico-ipam gives each node a /122 block of the IPv6 pool
 * (here the first /122 of the node's IPv6 podCIDR), each Pod one /128 on eth0 and the route
 * `default via fe80::ecee:eeff:feee:eeee dev eth0`: the link-local address of the host end, whose
 * MAC is ee:ee:ee:ee:ee:ee, so the host answers the Pod's neighbour solicitation for its gateway
 * itself. Felix writes `POD6 dev caliXXX` and proxy_ndp = 1, forwarding = 1 on the cali device.
 * IPIP carries IPv4 only: with the bgp and ipip backends BIRD peers over the nodes' IPv6
 * addresses and the peers' /122 blocks are routed natively (`proto bird` via the peer's IPv6
 * address); with vxlan Felix builds `vxlan-v6.calico` (VNI 4096, UDP 4789 over IPv6, MTU -70)
 * and routes each peer block through it, as for IPv4.
 */
import { formatIPv4, parsePrefix } from '../../addr/ip';
import type { PodModel } from '../../model/cluster';
import { RT_TABLE_MAIN } from '../../route/fib';
import { macFor, type BuildCtx } from '../../net/context';
import { linkByName } from '../../net/lookup';
import { addAddr, addLink, addRoute, addVethPair, setUp, v4Addr } from '../../net/mutate';
import type { NetNs, Route } from '../../net/types';
import type { CniDatapath, NodeNet } from '../plugin';
import { sha1Hex } from '../../util/sha1';
import { formatIPv6, parsePrefix6 } from '../../addr/ip6';
import { IP6_RT_PRIO_USER, hasIPv6, linkLocalFromMac, nodeIPv6, nodePodCIDR6, v6Addr } from '../../net/ipv6';

export type CalicoBackend = 'bgp' | 'ipip' | 'vxlan';

export const CALICO_GATEWAY = '169.254.1.1';
export const CALICO_HOST_MAC = 'ee:ee:ee:ee:ee:ee';
export const CALICO_VXLAN_VNI = 4096;
export const CALICO_VXLAN_PORT = 4789;
/** calico-ipam's default IPv6 block size (IPPool.spec.blockSize for an IPv6 pool). */
export const CALICO_BLOCK_SIZE_V6 = 122;
/** The host end's link-local address, every Pod's IPv6 gateway (fe80:: from ee:ee:ee:ee:ee:ee). */
export const CALICO_GATEWAY6 = linkLocalFromMac(CALICO_HOST_MAC);
export const CALICO_VXLAN_V6 = 'vxlan-v6.calico';

/** Calico's VethNameForWorkload. */
export function caliName(namespace: string, pod: string): string {
  return `cali${sha1Hex(`${namespace}.${pod}`).slice(0, 11)}`;
}

export function calicoMtu(backend: CalicoBackend, mtu: number): number {
  return backend === 'ipip' ? mtu - 20 : backend === 'vxlan' ? mtu - 50 : mtu;
}

const blockBase = (cidr: string): string | undefined => {
  const p = parsePrefix(cidr, true);
  return p ? formatIPv4(p.base) : undefined;
};

/** A node's IPv6 block: the first /122 of its IPv6 podCIDR, on a cluster with IPv6; else undefined. */
export function calicoBlock6(ctx: BuildCtx, node: NodeNet): { cidr: string; base: string } | undefined {
  const c6 = hasIPv6(ctx.model) ? nodePodCIDR6(node.model) : undefined;
  const p = c6 ? parsePrefix6(c6, true) : null;
  if (!p) return undefined;
  const len = Math.max(p.len, CALICO_BLOCK_SIZE_V6);
  return { cidr: `${formatIPv6(p.base)}/${len}`, base: formatIPv6(p.base) };
}

const route6 = (extra: Partial<Route> & { dst: string }): Route =>
  ({ family: 6, table: RT_TABLE_MAIN, type: 'unicast', proto: 'boot', scope: 'global', metric: IP6_RT_PRIO_USER, ...extra });

/** The IPv6 half of Calico's CNI ADD and Felix's endpoint: the Pod's /128, its link-local default route, the host's /128 route. */
function wireCalicoPod6(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs, hostName: string): void {
  const ip6 = pod.podIPs?.find((a) => a.includes(':'));
  if (!ip6 || !calicoBlock6(ctx, node)) return;
  const eth0 = linkByName(podNs, 'eth0');
  if (!eth0) return;
  addAddr(podNs, eth0, v6Addr(ip6, 128));
  addRoute(podNs, route6({ dst: 'default', via: CALICO_GATEWAY6, dev: 'eth0' }));
  addRoute(node.ns, route6({ dst: ip6, dev: hostName }));
  node.ns.sysctl[`net.ipv6.conf.${hostName}.proxy_ndp`] = '1';
  node.ns.sysctl[`net.ipv6.conf.${hostName}.forwarding`] = '1';
}

/** Every Pod's two routes, the same in every Pod (routes are immutable, so they are shared). */
const POD_ROUTES: readonly Route[] = [
  { family: 4, table: RT_TABLE_MAIN, type: 'unicast', proto: 'boot', dst: `${CALICO_GATEWAY}/32`, dev: 'eth0', scope: 'link' },
  { family: 4, table: RT_TABLE_MAIN, type: 'unicast', proto: 'boot', dst: 'default', via: CALICO_GATEWAY, dev: 'eth0', scope: 'global' },
];

/** Calico's CNI ADD: the cali veth, the Pod's /32 and its two routes, the host's /32 route and neighbour; with `ipv6` (Calico, not canal) the IPv6 half too. */
export function wireCalicoPod(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs, mtu: number, ipipLoaded = false, ipv6 = false): void {
  if (!pod.podIP) return;
  // With the ipip module loaded every new namespace gets its own tunl0, down (ipip_init_net).
  if (ipipLoaded) addLink(podNs, { name: 'tunl0', kind: 'ipip', mac: '00:00:00:00:00:00', mtu: 1480, qlen: 1000 }).ipip = {};
  const hostName = caliName(pod.meta.namespace, pod.meta.name);
  const [eth0, host] = addVethPair(podNs, 'eth0', macFor(ctx, `${podNs.id} eth0`), node.ns, hostName, CALICO_HOST_MAC, mtu);
  host.proxyArp = true;
  setUp(node.ns, host, true);
  setUp(podNs, eth0, true);
  addAddr(podNs, eth0, v4Addr(pod.podIP, 32));
  for (const r of POD_ROUTES) addRoute(podNs, r);
  addRoute(node.ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', proto: 'boot', dst: `${pod.podIP}/32`, dev: hostName, scope: 'link' });
  node.ns.neigh.push({ family: 4, ip: pod.podIP, dev: hostName, mac: eth0.mac, state: 'PERMANENT', updatedAt: 0 });
  // net.ipv4.conf.caliX.proxy_arp = 1 is the link's proxyArp flag (sysctl shows and sets it there).
  if (ipv6) wireCalicoPod6(ctx, node, pod, podNs, hostName);
}

/** The node's IPv6 side: the block's blackhole (BIRD) and, with vxlan, Felix's vxlan-v6.calico. */
function setupCalicoNode6(ctx: BuildCtx, backend: CalicoBackend, node: NodeNet): void {
  const block = calicoBlock6(ctx, node);
  const local = nodeIPv6(node.model);
  if (!block || !local) return;
  addRoute(node.ns, route6({ type: 'blackhole', dst: block.cidr, proto: 'bird' }));
  if (backend !== 'vxlan') return;
  const dev = addLink(node.ns, { name: CALICO_VXLAN_V6, kind: 'vxlan', mac: macFor(ctx, `${node.ns.id} ${CALICO_VXLAN_V6}`), mtu: ctx.model.spec.network.mtu - 70 });
  dev.vxlan = { vni: CALICO_VXLAN_VNI, port: CALICO_VXLAN_PORT, local, dev: 'eth0', learning: false };
  dev.fdb = [];
  setUp(node.ns, dev, true);
  addAddr(node.ns, dev, v6Addr(block.base, 128));
}

/** What the node learns of a peer's IPv6 block: BIRD's native route (bgp, ipip), or Felix's over vxlan-v6.calico. */
function connectCalicoPeer6(ctx: BuildCtx, backend: CalicoBackend, node: NodeNet, peer: NodeNet): void {
  const block = calicoBlock6(ctx, peer);
  const peerIp = nodeIPv6(peer.model);
  if (!block || !peerIp || !nodeIPv6(node.model)) return;
  if (backend !== 'vxlan') { addRoute(node.ns, route6({ dst: block.cidr, via: peerIp, dev: 'eth0', proto: 'bird' })); return; }
  const local = linkByName(node.ns, CALICO_VXLAN_V6);
  const remote = linkByName(peer.ns, CALICO_VXLAN_V6);
  if (!local || !remote) return;
  addRoute(node.ns, route6({ dst: block.cidr, via: block.base, dev: CALICO_VXLAN_V6, onlink: true, proto: 'felix' }));
  node.ns.neigh.push({ family: 6, ip: block.base, dev: CALICO_VXLAN_V6, mac: remote.mac, state: 'PERMANENT', updatedAt: 0 });
  (local.fdb ??= []).push({ mac: remote.mac, dev: CALICO_VXLAN_V6, dst: peerIp, permanent: true, updatedAt: 0 });
}

function setupCalicoNode(ctx: BuildCtx, backend: CalicoBackend, node: NodeNet): void {
  const ns = node.ns;
  const mtu = ctx.model.spec.network.mtu;
  const base = blockBase(node.model.podCIDR);
  if (!base) return;
  addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'blackhole', dst: node.model.podCIDR, proto: 'bird', scope: 'global' });
  setupCalicoNode6(ctx, backend, node);
  if (backend === 'ipip') {
    const tunl0 = addLink(ns, { name: 'tunl0', kind: 'ipip', mac: '00:00:00:00:00:00', mtu: calicoMtu('ipip', mtu), qlen: 1000 });
    tunl0.ipip = {};
    setUp(ns, tunl0, true);
    addAddr(ns, tunl0, v4Addr(base, 32));
  } else if (backend === 'vxlan') {
    const dev = addLink(ns, { name: 'vxlan.calico', kind: 'vxlan', mac: macFor(ctx, `${ns.id} vxlan.calico`), mtu: calicoMtu('vxlan', mtu) });
    dev.vxlan = { vni: CALICO_VXLAN_VNI, port: CALICO_VXLAN_PORT, local: node.model.ip, dev: 'eth0', learning: false };
    dev.fdb = [];
    setUp(ns, dev, true);
    addAddr(ns, dev, v4Addr(base, 32));
  }
}

function connectCalicoPeer(ctx: BuildCtx, backend: CalicoBackend, node: NodeNet, peer: NodeNet): void {
  const ns = node.ns;
  connectCalicoPeer6(ctx, backend, node, peer);
  const route = (extra: Partial<Route> & { via: string; dev: string }): Route =>
    ({ family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: peer.model.podCIDR, proto: 'bird', scope: 'global', ...extra });
  if (backend === 'bgp') addRoute(ns, route({ via: peer.model.ip, dev: 'eth0' }));
  else if (backend === 'ipip') addRoute(ns, route({ via: peer.model.ip, dev: 'tunl0', onlink: true }));
  else {
    const peerBase = blockBase(peer.model.podCIDR);
    const local = linkByName(ns, 'vxlan.calico');
    const remote = linkByName(peer.ns, 'vxlan.calico');
    if (!peerBase || !local || !remote) return;
    addRoute(ns, route({ via: peerBase, dev: 'vxlan.calico', onlink: true, proto: 'felix' }));
    ns.neigh.push({ family: 4, ip: peerBase, dev: 'vxlan.calico', mac: remote.mac, state: 'PERMANENT', updatedAt: 0 });
    (local.fdb ??= []).push({ mac: remote.mac, dev: 'vxlan.calico', dst: peer.model.ip, permanent: true, updatedAt: 0 });
  }
}

export function calicoPlugin(ctx: BuildCtx, backend: CalicoBackend): CniDatapath {
  const mtu = calicoMtu(backend, ctx.model.spec.network.mtu);
  return {
    name: `calico/${backend}`,
    podMtu: mtu,
    setupNode: (c, _u, node) => setupCalicoNode(c, backend, node),
    addPod: (c, node, pod, podNs) => wireCalicoPod(c, node, pod, podNs, mtu, backend === 'ipip', true),
    connectPeers: (c, _u, node, peers) => { for (const p of peers) if (p !== node) connectCalicoPeer(c, backend, node, p); },
  };
}
