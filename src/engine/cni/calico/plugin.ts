/**
 * Calico: no bridge. Each Pod's host end is a `cali` + 11-hex veth (sha1 of "NS.POD") with MAC
 * ee:ee:ee:ee:ee:ee and proxy_arp on, so the Pod's only route, `default via 169.254.1.1`,
 * resolves to the host whatever that fake gateway is. The host reaches each local Pod by a /32
 * `POD dev caliXXX scope link` and a permanent neighbour entry Felix writes. Other nodes' blocks
 * arrive from BIRD (`proto bird`): straight over the underlay (bgp), through tunl0 (ipip), or
 * through vxlan.calico (vxlan, routes from Felix as `proto 80`). The node's own block is a
 * `blackhole ... proto bird`, so addresses nobody holds are dropped rather than bounced.
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

export type CalicoBackend = 'bgp' | 'ipip' | 'vxlan';

export const CALICO_GATEWAY = '169.254.1.1';
export const CALICO_HOST_MAC = 'ee:ee:ee:ee:ee:ee';
export const CALICO_VXLAN_VNI = 4096;
export const CALICO_VXLAN_PORT = 4789;

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

/** Calico's CNI ADD: the cali veth, the Pod's /32 and its two routes, the host's /32 route and neighbour. */
export function wireCalicoPod(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs, mtu: number, ipipLoaded = false): void {
  if (!pod.podIP) return;
  // With the ipip module loaded every new namespace gets its own tunl0, down (ipip_init_net).
  if (ipipLoaded) addLink(podNs, { name: 'tunl0', kind: 'ipip', mac: '00:00:00:00:00:00', mtu: 1480, qlen: 1000 }).ipip = {};
  const hostName = caliName(pod.meta.namespace, pod.meta.name);
  const [eth0, host] = addVethPair(podNs, 'eth0', macFor(ctx, `${podNs.id} eth0`), node.ns, hostName, CALICO_HOST_MAC, mtu);
  host.proxyArp = true;
  setUp(node.ns, host, true);
  setUp(podNs, eth0, true);
  addAddr(podNs, eth0, v4Addr(pod.podIP, 32));
  const main = RT_TABLE_MAIN;
  addRoute(podNs, { family: 4, table: main, type: 'unicast', proto: 'boot', dst: `${CALICO_GATEWAY}/32`, dev: 'eth0', scope: 'link' });
  addRoute(podNs, { family: 4, table: main, type: 'unicast', proto: 'boot', dst: 'default', via: CALICO_GATEWAY, dev: 'eth0', scope: 'global' });
  addRoute(node.ns, { family: 4, table: main, type: 'unicast', proto: 'boot', dst: `${pod.podIP}/32`, dev: hostName, scope: 'link' });
  node.ns.neigh.push({ family: 4, ip: pod.podIP, dev: hostName, mac: eth0.mac, state: 'PERMANENT', updatedAt: 0 });
  // net.ipv4.conf.caliX.proxy_arp = 1 is the link's proxyArp flag (sysctl shows and sets it there).
}

function setupCalicoNode(ctx: BuildCtx, backend: CalicoBackend, node: NodeNet): void {
  const ns = node.ns;
  const mtu = ctx.model.spec.network.mtu;
  const base = blockBase(node.model.podCIDR);
  if (!base) return;
  addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'blackhole', dst: node.model.podCIDR, proto: 'bird', scope: 'global' });
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

function connectCalicoPeer(backend: CalicoBackend, node: NodeNet, peer: NodeNet): void {
  const ns = node.ns;
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
    addPod: (c, node, pod, podNs) => wireCalicoPod(c, node, pod, podNs, mtu, backend === 'ipip'),
    connectPeers: (_c, _u, node, peers) => { for (const p of peers) if (p !== node) connectCalicoPeer(backend, node, p); },
  };
}
