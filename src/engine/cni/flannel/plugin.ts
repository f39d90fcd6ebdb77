/**
 * flannel: one lease (a /24 of the cluster CIDR) per node, written to /run/flannel/subnet.env,
 * Pods on the CNI bridge (flannel delegates to the bridge plugin), and one of three backends
 * towards the other nodes' leases:
 *
 *   vxlan    flannel.1 (VNI 1, UDP 8472, MTU -50, nolearning, address LEASE.0/32); per peer
 *            `PEER.0/24 via PEER.0 dev flannel.1 onlink`, a PERMANENT neighbour PEER.0 → the
 *            peer's flannel.1 MAC and an FDB entry that MAC → dst PEER_NODE_IP (flanneld writes
 *            all three; the kernel never has to learn or flood).
 *   udp      flannel0, a TUN read by flanneld; `CLUSTER_CIDR dev flannel0` (the kernel's route
 *            for LEASE.0/16 on it), MTU -28; flanneld wraps packets in UDP 8285 (flanneld.ts).
 *   host-gw  no device: `PEER.0/24 via PEER_NODE_IP dev eth0`, which only works when every node
 *            is on one L2 segment (the next hop must be on-link).
 */
import { formatIPv4, ipInCidr, parsePrefix } from '../../addr/ip';
import type { NodeModel } from '../../model/cluster';
import { RT_TABLE_MAIN } from '../../route/fib';
import { macFor, report, type BuildCtx } from '../../net/context';
import { linkByName } from '../../net/lookup';
import { addAddr, addLink, addRoute, setUp, v4Addr } from '../../net/mutate';
import { formatIPv6, parsePrefix6 } from '../../addr/ip6';
import { IP6_RT_PRIO_USER, hasIPv6, nodeIPv6, nodePodCIDR6, v6Addr } from '../../net/ipv6';
import type { NetNs } from '../../net/types';
import { wireBridgePod } from '../bridge/plugin';
import type { CniDatapath, NodeNet } from '../plugin';
import { FLANNEL_UDP_PORT, FLANNELD } from './flanneld';

export type FlannelBackend = 'vxlan' | 'udp' | 'host-gw';

export const FLANNEL_VXLAN_VNI = 1;
export const FLANNEL_VXLAN_PORT = 8472;
export { FLANNEL_UDP_PORT } from './flanneld';

export function flannelMtu(backend: FlannelBackend, mtu: number): number {
  return backend === 'vxlan' ? mtu - 50 : backend === 'udp' ? mtu - 28 : mtu;
}

/** The lease's network address ("10.244.1.0"), which flannel.1 holds as /32 and peers route via. */
function leaseBase(podCIDR: string): string | undefined {
  const p = parsePrefix(podCIDR, true);
  return p ? formatIPv4(p.base) : undefined;
}

/** /run/flannel/subnet.env as flanneld writes it for a node. */
export function flannelSubnetEnv(clusterCIDR: string, node: NodeModel, mtu: number): string {
  const p = parsePrefix(node.podCIDR, true);
  const subnet = p ? `${formatIPv4(p.base + 1)}/${p.len}` : node.podCIDR;
  return `FLANNEL_NETWORK=${clusterCIDR}\nFLANNEL_SUBNET=${subnet}\nFLANNEL_MTU=${mtu}\nFLANNEL_IPMASQ=true\n`;
}

/** flannel's own devices on a node (shared by canal, which runs flannel under Calico's veths). */
export function setupFlannelDevices(ctx: BuildCtx, backend: FlannelBackend, node: NodeNet): void {
  const mtu = ctx.model.spec.network.mtu;
  const ns = node.ns;
  const base = leaseBase(node.model.podCIDR);
  if (backend === 'vxlan' && base) {
    const dev = addLink(ns, { name: 'flannel.1', kind: 'vxlan', mac: macFor(ctx, `${ns.id} flannel.1`), mtu: flannelMtu('vxlan', mtu) });
    dev.vxlan = { vni: FLANNEL_VXLAN_VNI, port: FLANNEL_VXLAN_PORT, local: node.model.ip, dev: 'eth0', learning: false };
    dev.fdb = [];
    setUp(ns, dev, true);
    addAddr(ns, dev, v4Addr(base, 32));
    setupFlannelV6(ctx, node);
  } else if (backend === 'udp' && base) {
    const cluster = parsePrefix(ctx.model.spec.podCIDR, true);
    const dev = addLink(ns, { name: 'flannel0', kind: 'tun', mac: '00:00:00:00:00:00', mtu: flannelMtu('udp', mtu), qlen: 500 });
    dev.tun = { owner: FLANNELD, port: FLANNEL_UDP_PORT };
    setUp(ns, dev, true);
    if (cluster) addAddr(ns, dev, v4Addr(base, cluster.len));
    ns.listeners.push({ protocol: 'udp', address: '0.0.0.0', port: FLANNEL_UDP_PORT, owner: `node/${node.model.name}`, app: { kind: 'flanneld' } });
  }
}

/**
 * flannel's IPv6 VXLAN backend (EnableIPv6): `flannel-v6.1` (VNI 1, UDP 8472, MTU -70 for the
 * IPv6 outer header, local = the node's IPv6 address) holding the IPv6 lease's network address
 * as /128; per peer `PEER6::/64 via PEER6:: dev flannel-v6.1 onlink`, a PERMANENT neighbour and
 * an FDB entry towards the peer's IPv6 address, as flanneld writes them.
 */
function setupFlannelV6(ctx: BuildCtx, node: NodeNet): void {
  const c6 = hasIPv6(ctx.model) ? nodePodCIDR6(node.model) : undefined;
  const local = nodeIPv6(node.model);
  const p6 = c6 ? parsePrefix6(c6, true) : null;
  if (!p6 || !local) return;
  const dev = addLink(node.ns, { name: 'flannel-v6.1', kind: 'vxlan', mac: macFor(ctx, `${node.ns.id} flannel-v6.1`), mtu: ctx.model.spec.network.mtu - 70 });
  dev.vxlan = { vni: FLANNEL_VXLAN_VNI, port: FLANNEL_VXLAN_PORT, local, dev: 'eth0', learning: false };
  dev.fdb = [];
  setUp(node.ns, dev, true);
  addAddr(node.ns, dev, v6Addr(formatIPv6(p6.base), 128));
}

function connectFlannelPeerV6(node: NodeNet, peer: NodeNet): void {
  const c6 = nodePodCIDR6(peer.model);
  const p6 = c6 ? parsePrefix6(c6, true) : null;
  const remoteIp = nodeIPv6(peer.model);
  // An IPv4 peer has no IPv6 lease: no need to look for flannel-v6.1 among a node's Pod veths.
  if (!p6 || !remoteIp) return;
  const local = linkByName(node.ns, 'flannel-v6.1');
  const remote = linkByName(peer.ns, 'flannel-v6.1');
  if (!local || !remote) return;
  const gw = formatIPv6(p6.base);
  addRoute(node.ns, { family: 6, table: RT_TABLE_MAIN, type: 'unicast', dst: c6!, via: gw, dev: 'flannel-v6.1', proto: 'boot', scope: 'global', metric: IP6_RT_PRIO_USER, onlink: true });
  node.ns.neigh.push({ family: 6, ip: gw, dev: 'flannel-v6.1', mac: remote.mac, state: 'PERMANENT', updatedAt: 0 });
  (local.fdb ??= []).push({ mac: remote.mac, dev: 'flannel-v6.1', dst: remoteIp, permanent: true, updatedAt: 0 });
}

/** What flanneld installs on `node` for one peer's lease. */
export function connectFlannelPeer(ctx: BuildCtx, backend: FlannelBackend, node: NodeNet, peer: NodeNet): void {
  const ns = node.ns;
  const peerBase = leaseBase(peer.model.podCIDR);
  if (!peerBase) return;
  const dst = peer.model.podCIDR;
  if (backend === 'vxlan') {
    const local = linkByName(ns, 'flannel.1');
    const remote = linkByName(peer.ns, 'flannel.1');
    if (!local || !remote) return;
    addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst, proto: 'boot', scope: 'global', via: peerBase, dev: 'flannel.1', onlink: true });
    ns.neigh.push({ family: 4, ip: peerBase, dev: 'flannel.1', mac: remote.mac, state: 'PERMANENT', updatedAt: 0 });
    (local.fdb ??= []).push({ mac: remote.mac, dev: 'flannel.1', dst: peer.model.ip, permanent: true, updatedAt: 0 });
    connectFlannelPeerV6(node, peer);
  } else if (backend === 'host-gw') {
    if (!onLink(ns, peer.model.ip)) {
      report(ctx, undefined, [], 'error', 'flannel-host-gw-not-l2',
        `flannel host-gw cannot route ${peer.model.podCIDR} from node ${node.model.name}: the next hop ${peer.model.ip} (node ${peer.model.name}) is not on any of its directly connected subnets, and the kernel refuses a gateway that is not on-link ("Error: Nexthop has invalid gateway.")`,
        'host-gw needs every node on one L2 segment: put the nodes\' IPs in one underlayCIDR, or use the vxlan backend', { node: node.model.name, peer: peer.model.name, podCIDR: peer.model.podCIDR, nextHop: peer.model.ip });
      return;
    }
    addRoute(ns, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst, proto: 'boot', scope: 'global', via: peer.model.ip, dev: 'eth0' });
  }
  // udp: the one route for the whole cluster CIDR via flannel0 already covers every peer;
  // flanneld keeps the lease → node IP map in user space.
}

/** Whether `ip` is inside a connected (proto kernel) subnet of the namespace. */
function onLink(ns: NetNs, ip: string): boolean {
  return ns.routes.some((r) => r.table === RT_TABLE_MAIN && r.proto === 'kernel' && r.dst !== 'default' && ipInCidr(ip, r.dst));
}

export function flannelPlugin(ctx: BuildCtx, backend: FlannelBackend): CniDatapath {
  const mtu = flannelMtu(backend, ctx.model.spec.network.mtu);
  return {
    name: `flannel/${backend}`,
    podMtu: mtu,
    setupNode: (c, _u, node) => setupFlannelDevices(c, backend, node),
    addPod: (c, node, pod, podNs) => wireBridgePod(c, node, pod, podNs, mtu, [c.model.spec.podCIDR]),
    connectPeers: (c, _u, node, peers) => {
      for (const peer of peers) if (peer !== node) connectFlannelPeer(c, backend, node, peer);
    },
  };
}
