/**
 * Cilium's datapath on a node (as Cilium 1.16 sets it up with `ipam: kubernetes`, legacy host
 * routing). No bridge: every Pod's host end is an `lxc` veth with no address, and the programs
 * Cilium attaches to the devices move packets between them (bpf.ts):
 *
 *   pod eth0 ══veth══ lxcXXXX  [tc ingress from-container, tc egress to-container]
 *                     cilium_host (ROUTER_IP/32) ══veth══ cilium_net
 *                                 [tc ingress to-host, tc egress from-host]
 *                     cilium_vxlan (external, UDP 8472)  [from-overlay, to-overlay]   vxlan only
 *                     eth0        [tc ingress from-netdev, tc egress to-netdev]
 *
 * The Pod's routes point at the node's router IP (the first address of its podCIDR, held by
 * cilium_host): `default via ROUTER_IP dev eth0`. The node routes every Pod CIDR (its own and,
 * with vxlan, the others') `via ROUTER_IP dev cilium_host`, so the host stack hands Pod-bound
 * packets to from-host, which redirects them to the right lxc or into the tunnel. With native
 * routing (autoDirectNodeRoutes) the other nodes' CIDRs are plain routes via their node IPs.
 */
import { formatIPv4, nthAddress, parsePrefix } from '../../addr/ip';
import type { PodModel } from '../../model/cluster';
import { macFor, type BuildCtx } from '../../net/context';
import { linkByName } from '../../net/lookup';
import { addAddr, addLink, addRoute, addVethPair, setUp, v4Addr } from '../../net/mutate';
import type { AttachedProgram, Link, NetNs } from '../../net/types';
import { RT_TABLE_MAIN } from '../../route/fib';
import { sha1Hex } from '../../util/sha1';
import type { CniDatapath, NodeNet } from '../plugin';

export type CiliumBackend = 'vxlan' | 'native';

export const CILIUM_VXLAN_PORT = 8472;
export const CILIUM_HOST = 'cilium_host';
export const CILIUM_NET = 'cilium_net';
export const CILIUM_VXLAN = 'cilium_vxlan';

/** The programs' registry names (stack/hooks.ts): "cilium/<section>". */
export const PROG = {
  fromContainer: 'cilium/from-container',
  toContainer: 'cilium/to-container',
  fromHost: 'cilium/from-host',
  toHost: 'cilium/to-host',
  fromNetdev: 'cilium/from-netdev',
  toNetdev: 'cilium/to-netdev',
  fromOverlay: 'cilium/from-overlay',
  toOverlay: 'cilium/to-overlay',
  sockConnect: 'cilium/cil_sock4_connect',
  sockRecvmsg: 'cilium/cil_sock4_recvmsg',
} as const;

export function ciliumMtu(backend: CiliumBackend, mtu: number): number {
  return backend === 'vxlan' ? mtu - 50 : mtu;
}

/** The host end of a Pod's veth: "lxc" and 12 hex digits of a hash of the endpoint (Cilium's lxc + hash naming). */
export function lxcName(namespace: string, pod: string): string {
  return `lxc${sha1Hex(`${namespace}/${pod}`).slice(0, 12)}`;
}

/** cilium_host's address: the router IP, the first address of the node's podCIDR. */
export function routerIp(podCIDR: string): string | undefined {
  const p = parsePrefix(podCIDR, true);
  return p ? formatIPv4(nthAddress(p, 1)) : undefined;
}

const attach = (link: Link, progs: AttachedProgram[]): void => { link.progs = progs; };

function setupNode(ctx: BuildCtx, backend: CiliumBackend, node: NodeNet, kpr: boolean): void {
  const ns = node.ns;
  const router = routerIp(node.model.podCIDR);
  if (!router) return;
  const mtu = ctx.model.spec.network.mtu;
  const [host, net] = addVethPair(ns, CILIUM_HOST, macFor(ctx, `${ns.id} cilium_host`), ns, CILIUM_NET, macFor(ctx, `${ns.id} cilium_net`), mtu);
  setUp(ns, host, true);
  setUp(ns, net, true);
  addAddr(ns, host, v4Addr(router, 32));
  // cilium_host answers for its own address without ARP (the agent writes the entry).
  ns.neigh.push({ family: 4, ip: router, dev: CILIUM_HOST, mac: host.mac, state: 'PERMANENT', updatedAt: 0 });
  addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', proto: 'kernel', dst: node.model.podCIDR, via: router, dev: CILIUM_HOST, src: router, scope: 'global' });
  attach(host, [{ point: 'tc-ingress', program: PROG.toHost }, { point: 'tc-egress', program: PROG.fromHost }]);
  const eth0 = linkByName(ns, 'eth0');
  if (eth0) attach(eth0, [{ point: 'tc-ingress', program: PROG.fromNetdev }, { point: 'tc-egress', program: PROG.toNetdev }]);
  if (backend === 'vxlan') {
    const vx = addLink(ns, { name: CILIUM_VXLAN, kind: 'vxlan', mac: macFor(ctx, `${ns.id} cilium_vxlan`), mtu: 65535 });
    vx.vxlan = { vni: 0, port: CILIUM_VXLAN_PORT, learning: false, external: true };
    vx.fdb = [];
    setUp(ns, vx, true);
    attach(vx, [{ point: 'tc-ingress', program: PROG.fromOverlay }, { point: 'tc-egress', program: PROG.toOverlay }]);
  }
  // Socket LB (kubeProxyReplacement): cil_sock4_connect on the cgroup root covers the node's processes.
  if (kpr) ns.sockProgs = [PROG.sockConnect, PROG.sockRecvmsg];
}

/** Cilium's CNI ADD: the lxc veth (no address on the host end), the Pod's /32 and its two routes. */
function addPod(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs, mtu: number, kpr: boolean): void {
  const router = routerIp(node.model.podCIDR);
  if (!pod.podIP || !router) return;
  const hostName = lxcName(pod.meta.namespace, pod.meta.name);
  const [eth0, lxc] = addVethPair(podNs, 'eth0', macFor(ctx, `${podNs.id} eth0`), node.ns, hostName, macFor(ctx, `${node.ns.id} ${hostName}`), mtu);
  setUp(node.ns, lxc, true);
  setUp(podNs, eth0, true);
  addAddr(podNs, eth0, v4Addr(pod.podIP, 32));
  addRoute(podNs, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', proto: 'kernel', dst: `${router}/32`, dev: 'eth0', scope: 'link' });
  addRoute(podNs, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', proto: 'kernel', dst: 'default', via: router, dev: 'eth0', scope: 'global' });
  attach(lxc, [{ point: 'tc-ingress', program: PROG.fromContainer }, { point: 'tc-egress', program: PROG.toContainer }]);
  if (kpr) podNs.sockProgs = [PROG.sockConnect, PROG.sockRecvmsg];
}

function connectPeer(backend: CiliumBackend, node: NodeNet, peer: NodeNet): void {
  const ns = node.ns;
  const router = routerIp(node.model.podCIDR);
  if (!router) return;
  if (backend === 'vxlan') {
    addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', proto: 'kernel', dst: peer.model.podCIDR, via: router, dev: CILIUM_HOST, src: router, scope: 'global' });
  } else {
    // autoDirectNodeRoutes: the peer's Pod CIDR straight via its node address.
    addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', proto: 'kernel', dst: peer.model.podCIDR, via: peer.model.ip, dev: 'eth0', scope: 'global' });
  }
}

export function ciliumDatapath(ctx: BuildCtx, backend: CiliumBackend, kpr: boolean): CniDatapath {
  const mtu = ciliumMtu(backend, ctx.model.spec.network.mtu);
  return {
    name: `cilium/${backend}`,
    podMtu: mtu,
    setupNode: (c, _u, node) => setupNode(c, backend, node, kpr),
    addPod: (c, node, pod, podNs) => addPod(c, node, pod, podNs, mtu, kpr),
    connectPeers: (_c, _u, node, peers) => { for (const p of peers) if (p !== node) connectPeer(backend, node, p); },
  };
}
