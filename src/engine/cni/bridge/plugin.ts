/**
 * The CNI `bridge` plugin with host-local IPAM: what flannel delegates to, and on its own the
 * routed model without any overlay (kubenet's cbr0, the first seed's picture).
 *
 *   pod/ns/a eth0 ══veth══ vethXXXXXXXX ─┐
 *   pod/ns/b eth0 ══veth══ vethYYYYYYYY ─┴─ cni0 (10.244.1.1/24) ── node routing ── eth0
 *
 * The bridge takes the first address of the node's podCIDR (isGateway), each Pod gets
 * `default via GATEWAY dev eth0`. Without an overlay the underlay router must know each node's
 * Pod subnet: it holds `PODCIDR via NODEIP` per node (as a cloud route table would).
 */
import { formatIPv4, nthAddress, parsePrefix } from '../../addr/ip';
import type { PodModel } from '../../model/cluster';
import { RT_TABLE_MAIN } from '../../route/fib';
import { hexFor, macFor, type BuildCtx } from '../../net/context';
import { linkByName } from '../../net/lookup';
import { addAddr, addLink, addRoute, addVethPair, setMaster, setUp, v4Addr } from '../../net/mutate';
import { IP6_RT_PRIO_USER, hasIPv6, nodeIPv6, nodePodCIDR6, podGateway6, v6Addr } from '../../net/ipv6';
import type { Link, NetNs, Route } from '../../net/types';
import type { CniDatapath, NodeNet } from '../plugin';

/** The node's Pod gateway: the first address of its podCIDR. */
export function podGateway(podCIDR: string): { gateway: string; prefixLen: number } | undefined {
  const p = parsePrefix(podCIDR, true);
  return p ? { gateway: formatIPv4(nthAddress(p, 1)), prefixLen: p.len } : undefined;
}

/** Creates the Pod bridge (cni0/cbr0/docker0, or a plugin's own such as kube-bridge) holding the gateway address, once per node. */
export function ensurePodBridge(ctx: BuildCtx, node: NodeNet, mtu: number, name: string = ctx.model.spec.network.bridge): Link | undefined {
  const existing = linkByName(node.ns, name);
  if (existing) return existing;
  const gw = podGateway(node.model.podCIDR);
  if (!gw) return undefined;
  const br = addLink(node.ns, { name, kind: 'bridge', mac: macFor(ctx, `${node.ns.id} ${name}`), mtu, qlen: 1000 });
  br.mtuSet = true;
  addAddr(node.ns, br, v4Addr(gw.gateway, gw.prefixLen, { broadcast: true }));
  // host-local's IPv6 range (dual-stack): the bridge holds that range's first address too.
  const gw6 = podGateway6Of(ctx, node);
  if (gw6) addAddr(node.ns, br, v6Addr(gw6.gateway, gw6.prefixLen));
  setUp(node.ns, br, true);
  return br;
}

/**
 * CNI ADD for a bridge-attached Pod: veth pair created in the Pod's namespace (eth0 there, host
 * end moved to the node and enslaved), host-local's address, the gateway route and any extra
 * routes the delegating plugin passes (flannel passes the whole cluster CIDR).
 */
export function wireBridgePod(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs, mtu: number, extraRoutes: readonly string[] = [], bridge?: string): void {
  const br = ensurePodBridge(ctx, node, mtu, bridge);
  const gw = podGateway(node.model.podCIDR);
  if (!br || !gw || !pod.podIP) return;
  const [eth0, host] = addVethPair(
    podNs, 'eth0', macFor(ctx, `${podNs.id} eth0`),
    node.ns, `veth${hexFor(ctx, `${podNs.id} veth`)}`, macFor(ctx, `${podNs.id} veth host`), mtu,
  );
  setMaster(node.ns, host, br);
  setUp(node.ns, host, true);
  setUp(podNs, eth0, true);
  addAddr(podNs, eth0, v4Addr(pod.podIP, gw.prefixLen, { broadcast: true }));
  const route = (dst: string): Route => ({ family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst, via: gw.gateway, dev: 'eth0', proto: 'boot', scope: 'global' });
  addRoute(podNs, route('default'));
  for (const dst of extraRoutes) addRoute(podNs, route(dst));
  // The IPv6 half of a dual-stack ADD: the Pod's IPv6 address in the node's IPv6 range, default via the bridge.
  const ip6 = pod.podIPs?.find((a) => a.includes(':'));
  const gw6 = podGateway6Of(ctx, node);
  if (ip6 && gw6) {
    addAddr(podNs, eth0, v6Addr(ip6, gw6.prefixLen));
    addRoute(podNs, { family: 6, table: RT_TABLE_MAIN, type: 'unicast', dst: 'default', via: gw6.gateway, dev: 'eth0', proto: 'boot', scope: 'global', metric: IP6_RT_PRIO_USER });
  }
}

/** The node's IPv6 Pod gateway, on a cluster with an IPv6 family. */
function podGateway6Of(ctx: BuildCtx, node: NodeNet): { gateway: string; prefixLen: number } | undefined {
  const c6 = hasIPv6(ctx.model) ? nodePodCIDR6(node.model) : undefined;
  return c6 ? podGateway6(c6) : undefined;
}

/** The `bridge` plugin alone: no overlay, the underlay router carries each node's Pod subnet. */
export function bridgePlugin(mtu: number): CniDatapath {
  return {
    name: 'bridge',
    podMtu: mtu,
    setupNode: (ctx, _u, node) => { ensurePodBridge(ctx, node, mtu); },
    addPod: (ctx, node, pod, podNs) => wireBridgePod(ctx, node, pod, podNs, mtu),
    connectPeers: (ctx, u, node) => {
      addRoute(u.routerNs, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: node.model.podCIDR, via: node.model.ip, dev: 'eth0', proto: 'boot', scope: 'global' });
      // IPv6: the router's route table carries each node's IPv6 Pod range too (a cloud's IPv6 routes).
      const c6 = hasIPv6(ctx.model) ? nodePodCIDR6(node.model) : undefined;
      const via6 = nodeIPv6(node.model);
      if (c6 && via6) addRoute(u.routerNs, { family: 6, table: RT_TABLE_MAIN, type: 'unicast', dst: c6, via: via6, dev: 'eth0', proto: 'boot', scope: 'global', metric: IP6_RT_PRIO_USER });
    },
  };
}
