/**
 * kube-router's datapath (cloudnativelabs/kube-router v2.x, pkg/controllers/routing):
 *
 *   pod/ns/a eth0 ══veth══ vethXXXXXXXX ─┐
 *   pod/ns/b eth0 ══veth══ vethYYYYYYYY ─┴─ kube-bridge (PODCIDR.1) ── node routing ── eth0
 *
 * Pods hang on `kube-bridge` through the standard CNI `bridge` plugin (isDefaultGateway, host-local
 * IPAM from the node's podCIDR); kube-router creates the bridge itself before any Pod. Each node
 * runs gobgp and peers with every other node (iBGP full mesh, one cluster ASN), advertising its
 * podCIDR; what a node learns it injects into the kernel as `PODCIDR via PEER_IP proto 17`
 * (routes.ZebraOriginator = 0x11, a number iproute2 has no name for). A peer in another
 * subnet cannot be a next hop:
 *
 *   bgp   (--enable-overlay=false) no route is injected: the packet follows the default route
 *         to the underlay router, which knows no Pod subnet (it would have to peer too);
 *   ipip  (--enable-overlay=true --overlay-type=subnet, upstream's default) a per-peer IPIP
 *         tunnel `tun-<sha256(peer IP without dots)[:11]>` (local NODE_IP remote PEER_IP) and
 *         `PODCIDR dev tun-… src NODE_IP proto 17`; peers in the node's own subnet still get
 *         direct routes.
 */
import { ipInCidr } from '../../addr/ip';
import { ensurePodBridge, wireBridgePod } from '../bridge/plugin';
import type { PodModel } from '../../model/cluster';
import { RT_TABLE_MAIN } from '../../route/fib';
import type { BuildCtx } from '../../net/context';
import { linkByName } from '../../net/lookup';
import { addLink, addRoute, setUp } from '../../net/mutate';
import type { Link, NetNs, Route } from '../../net/types';
import { sha256, toHex } from '../../util/sha256';
import type { CniDatapath, NodeNet } from '../plugin';

export type KubeRouterBackend = 'bgp' | 'ipip';

export const KUBE_BRIDGE = 'kube-bridge';
/** routes.ZebraOriginator: the rtm_protocol kube-router stamps on every route it injects. */
export const KUBE_ROUTER_ROUTE_PROTO = 17;
/** The cluster ASN every node shares when no --cluster-asn is given (iBGP full mesh). */
export const KUBE_ROUTER_ASN = 64512;
export const BGP_PORT = 179;

export function kubeRouterMtu(backend: KubeRouterBackend, mtu: number): number {
  return backend === 'ipip' ? mtu - 20 : mtu;
}

/** tunnels.GenerateTunnelName: "tun-" + the first 11 hex digits of sha256(the peer's IP without dots). */
export function tunnelName(peerIp: string): string {
  return `tun-${toHex(sha256(peerIp.replace(/[.:]/g, ''))).slice(0, 11)}`;
}

/** kube-router's own `kube-bridge`, holding the node's Pod gateway (the first address of its podCIDR). */
export function ensureKubeBridge(ctx: BuildCtx, node: NodeNet, mtu: number): Link | undefined {
  return ensurePodBridge(ctx, node, mtu, KUBE_BRIDGE);
}

/** The `bridge` CNI plugin's ADD with bridge "kube-bridge": a veth enslaved to it, host-local's address, the default route. */
function wireKubeRouterPod(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs, mtu: number): void {
  wireBridgePod(ctx, node, pod, podNs, mtu, [], KUBE_BRIDGE);
}

/** Whether `ip` is inside a connected (proto kernel) subnet of the namespace: utils.GetNodeSubnet's check. */
export function sameSubnet(ns: NetNs, ip: string): boolean {
  return ns.routes.some((r) => r.table === RT_TABLE_MAIN && r.proto === 'kernel' && r.dst !== 'default' && ipInCidr(ip, r.dst));
}

/** What a peer's advertised podCIDR becomes in this node's kernel (injectRoute), or why nothing. */
export type InjectedRoute =
  | { readonly kind: 'direct' }
  | { readonly kind: 'tunnel'; readonly dev: string }
  | { readonly kind: 'none' };

export function injectionFor(backend: KubeRouterBackend, ns: NetNs, peerIp: string): InjectedRoute {
  if (sameSubnet(ns, peerIp)) return { kind: 'direct' };
  return backend === 'ipip' ? { kind: 'tunnel', dev: tunnelName(peerIp) } : { kind: 'none' };
}

function injectPeerRoute(backend: KubeRouterBackend, underlayMtu: number, node: NodeNet, peer: NodeNet): void {
  const ns = node.ns;
  const how = injectionFor(backend, ns, peer.model.ip);
  const base = { family: 4 as const, table: RT_TABLE_MAIN, type: 'unicast' as const, dst: peer.model.podCIDR, proto: KUBE_ROUTER_ROUTE_PROTO, scope: 'global' as const };
  if (how.kind === 'direct') {
    addRoute(ns, { ...base, via: peer.model.ip, dev: 'eth0' } satisfies Route);
  } else if (how.kind === 'tunnel') {
    // SetupOverlayTunnel: `ip tunnel add tun-… mode ipip local NODE_IP remote PEER_IP`, up, MTU -20.
    let tun = linkByName(ns, how.dev);
    if (!tun) {
      tun = addLink(ns, { name: how.dev, kind: 'ipip', mac: '00:00:00:00:00:00', mtu: kubeRouterMtu('ipip', underlayMtu), qlen: 1000 });
      tun.ipip = { local: node.model.ip, remote: peer.model.ip };
      setUp(ns, tun, true);
    }
    addRoute(ns, { ...base, dev: how.dev, src: node.model.ip, scope: 'link' });
  }
}

export function kubeRouterPlugin(ctx: BuildCtx, backend: KubeRouterBackend): CniDatapath {
  const mtu = kubeRouterMtu(backend, ctx.model.spec.network.mtu);
  return {
    name: `kube-router/${backend}`,
    podMtu: mtu,
    setupNode: (c, _u, node) => { ensureKubeBridge(c, node, mtu); },
    addPod: (c, node, pod, podNs) => wireKubeRouterPod(c, node, pod, podNs, mtu),
    connectPeers: (c, _u, node, peers) => {
      for (const peer of peers) if (peer !== node) injectPeerRoute(backend, c.model.spec.network.mtu, node, peer);
    },
  };
}
