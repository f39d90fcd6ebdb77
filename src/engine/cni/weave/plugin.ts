/**
 * Weave Net's datapath: an L2 overlay. Every Pod of the cluster sits in one subnet (IPALLOC_RANGE,
 * a /12 by default) and reaches a Pod on another node by ARP and Ethernet, as if all nodes'
 * `weave` bridges were one switch.
 *
 *   pod eth0 ══veth══ vethwepl… ─┐
 *                                ├─ weave (bridge, 10.32.0.1/12) ── vethwe-bridge ══veth══ vethwe-datapath ─┐
 *                                                                                                          ├─ datapath ── vxlan-6784 ─► UDP 6784 to the peer
 *   fastdp (default): `datapath` is the Open vSwitch kernel datapath weave drives; the router
 *            installs a flow per MAC it has learned, which sends the frame out of the vxlan-6784
 *            vport with a tunnel id naming both peers (VNI = sender short id << 12 | receiver's).
 *            Broadcasts (ARP) go to every peer. Modelled as a Linux bridge whose FDB holds the
 *            router's flows, and a VXLAN device in external mode whose FDB names each peer.
 *   sleeve:  no datapath; vethwe-bridge's peer is vethwe-pcap, which the weaver process captures
 *            (pcap) and writes to; it carries frames to its peers in UDP 6783 from user space.
 *
 * Pods get `ADDR/12` on eth0 and `default via BRIDGE-ADDR`; other Pods' addresses are on-link.
 */
import type { PodModel } from '../../model/cluster';
import { RT_TABLE_MAIN } from '../../route/fib';
import { hexFor, macFor, report, type BuildCtx } from '../../net/context';
import { linkByIndex, linkByName } from '../../net/lookup';
import { addAddr, addLink, addRoute, addVethPair, setMaster, setUp, v4Addr } from '../../net/mutate';
import type { Link, NetNs } from '../../net/types';
import type { CniDatapath, NodeNet } from '../plugin';
import { weaveBridgeAddr, weaveSpi, weaveVni } from './ipam';
import { WEAVER } from './sleeve';

export type WeaveBackend = 'fastdp' | 'sleeve';

export const WEAVE_BRIDGE = 'weave';
export const WEAVE_DATAPATH = 'datapath';
export const WEAVE_VXLAN = 'vxlan-6784';
export const WEAVE_FASTDP_PORT = 6784;
export const WEAVE_SLEEVE_PORT = 6783;
/** weave's default MTU on a 1500-byte underlay (room for fastdp's VXLAN and, with a password, ESP). */
export const WEAVE_MTU_OVERHEAD = 124;
const ZERO_MAC = '00:00:00:00:00:00';

export function weaveMtu(mtu: number): number {
  return mtu - WEAVE_MTU_OVERHEAD;
}

/** The host end of a Pod's veth: weave's CNI plugin names it vethwepl + a hash of the sandbox. */
export function weaveHostVeth(ctx: BuildCtx, podNs: NetNs): string {
  return `vethwepl${hexFor(ctx, `${podNs.id} vethwepl`, 7)}`;
}

function setupWeaveNode(ctx: BuildCtx, backend: WeaveBackend, node: NodeNet, mtu: number, encrypted: boolean): void {
  const ns = node.ns;
  const br = addLink(ns, { name: WEAVE_BRIDGE, kind: 'bridge', mac: macFor(ctx, `${ns.id} weave`), mtu, qlen: 1000 });
  br.mtuSet = true;
  const addr = weaveBridgeAddr(ctx.model.spec, ctx.model.nodes, node.model.name);
  if (!addr) {
    report(ctx, undefined, [], 'error', 'weave-no-range', `weave: node ${node.model.name} got no share of IPALLOC_RANGE ${ctx.model.spec.podCIDR}`, 'use a podCIDR with at least one address per node');
    return;
  }
  addAddr(ns, br, v4Addr(addr.address, addr.prefixLen, { broadcast: true }));
  setUp(ns, br, true);
  const other = backend === 'fastdp' ? 'vethwe-datapath' : 'vethwe-pcap';
  const [vb, vo] = addVethPair(ns, 'vethwe-bridge', macFor(ctx, `${ns.id} vethwe-bridge`), ns, other, macFor(ctx, `${ns.id} ${other}`), mtu);
  setMaster(ns, vb, br);
  if (backend === 'fastdp') {
    const dp = addLink(ns, { name: WEAVE_DATAPATH, kind: 'bridge', mac: macFor(ctx, `${ns.id} datapath`), mtu, qlen: 1000 });
    dp.mtuSet = true;
    dp.openvswitch = true;
    setMaster(ns, vo, dp);
    const vx = addLink(ns, { name: WEAVE_VXLAN, kind: 'vxlan', mac: macFor(ctx, `${ns.id} vxlan-6784`), mtu: 65485, qlen: 1000 });
    vx.vxlan = { vni: 0, port: WEAVE_FASTDP_PORT, learning: false, external: true };
    vx.fdb = [];
    setMaster(ns, vx, dp);
    setUp(ns, dp, true);
    setUp(ns, vx, true);
  } else {
    vo.packetSocket = { owner: WEAVER, port: WEAVE_SLEEVE_PORT, ...(encrypted ? { encrypted: 'NaCl secretbox' } : {}) };
    vo.fdb = [];
  }
  setUp(ns, vb, true);
  setUp(ns, vo, true);
}

/** The weave CNI plugin's ADD: veth into the bridge, the Pod's address with the range's prefix, default via the bridge. */
function addWeavePod(ctx: BuildCtx, node: NodeNet, pod: PodModel, podNs: NetNs, mtu: number): void {
  const br = linkByName(node.ns, WEAVE_BRIDGE);
  const gw = br?.addrs.find((a) => a.family === 4);
  if (!br || !gw || !pod.podIP) return;
  const [eth0, host] = addVethPair(podNs, 'eth0', macFor(ctx, `${podNs.id} eth0`), node.ns, weaveHostVeth(ctx, podNs), macFor(ctx, `${podNs.id} veth host`), mtu);
  setMaster(node.ns, host, br);
  setUp(node.ns, host, true);
  setUp(podNs, eth0, true);
  addAddr(podNs, eth0, v4Addr(pod.podIP, gw.prefixLen, { broadcast: true }));
  addRoute(podNs, { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: 'default', via: gw.address, dev: 'eth0', proto: 'boot', scope: 'global' });
}

/** The MACs behind a node's weave bridge: the bridge itself and every Pod's eth0. */
function macsBehind(ctx: BuildCtx, node: NodeNet): string[] {
  const br = linkByName(node.ns, WEAVE_BRIDGE);
  if (!br) return [];
  const out = [br.mac];
  for (const l of node.ns.links) {
    if (l.master !== WEAVE_BRIDGE || l.kind !== 'veth' || !l.peer || l.peer.ns === node.ns.id) continue;
    const podNs = ctx.net.namespaces.get(l.peer.ns);
    const eth = podNs ? linkByIndex(podNs, l.peer.ifindex) : undefined;
    if (eth) out.push(eth.mac);
  }
  return out;
}

/**
 * What the weave router on `node` knows of one peer: where its MACs live (the flows it installs
 * after the first frames; here from the start) and that broadcasts go there too.
 */
function connectWeavePeer(ctx: BuildCtx, backend: WeaveBackend, node: NodeNet, peer: NodeNet): void {
  const ns = node.ns;
  const macs = macsBehind(ctx, peer);
  if (backend === 'fastdp') {
    const vx = linkByName(ns, WEAVE_VXLAN);
    const dp = linkByName(ns, WEAVE_DATAPATH);
    if (!vx || !dp) return;
    const vni = weaveVni(node.model.name, peer.model.name);
    if (ctx.model.spec.network.encryption) {
      // With a password, the router keys an IPsec SA per direction for the VXLAN traffic to this peer.
      const sa = { proto: 'udp' as const, dport: WEAVE_FASTDP_PORT, owner: 'weave' };
      (ns.xfrm ??= []).push(
        { ...sa, dir: 'out', src: node.model.ip, dst: peer.model.ip, spi: weaveSpi(node.model.name, peer.model.name) },
        { ...sa, dir: 'in', src: peer.model.ip, dst: node.model.ip, spi: weaveSpi(peer.model.name, node.model.name) },
      );
    }
    const fdb = (vx.fdb ??= []);
    fdb.push({ mac: ZERO_MAC, dev: WEAVE_VXLAN, dst: peer.model.ip, vni, permanent: true, updatedAt: 0 });
    for (const mac of macs) {
      fdb.push({ mac, dev: WEAVE_VXLAN, dst: peer.model.ip, vni, permanent: true, updatedAt: 0 });
      (dp.fdb ??= []).push({ mac, dev: WEAVE_VXLAN, permanent: true, updatedAt: 0 });
    }
  } else {
    const pcap = linkByName(ns, 'vethwe-pcap');
    if (!pcap) return;
    const fdb = (pcap.fdb ??= []);
    fdb.push({ mac: ZERO_MAC, dev: pcap.name, dst: peer.model.ip, permanent: true, updatedAt: 0 });
    for (const mac of macs) fdb.push({ mac, dev: pcap.name, dst: peer.model.ip, permanent: true, updatedAt: 0 });
  }
}

export function weaveDatapath(ctx: BuildCtx, backend: WeaveBackend): CniDatapath {
  const mtu = weaveMtu(ctx.model.spec.network.mtu);
  const encrypted = ctx.model.spec.network.encryption === true;
  return {
    name: `weave/${backend}`,
    podMtu: mtu,
    setupNode: (c, _u, node) => setupWeaveNode(c, backend, node, mtu, encrypted),
    addPod: (c, node, pod, podNs) => addWeavePod(c, node, pod, podNs, mtu),
    connectPeers: (c, _u, node, peers) => { for (const p of peers) if (p !== node) connectWeavePeer(c, backend, node, p); },
  };
}

/** Whether a link is one of weave's own devices (for the tools). */
export function isWeaveDevice(l: Link): boolean {
  return l.name === WEAVE_BRIDGE || l.name === WEAVE_DATAPATH || l.name === WEAVE_VXLAN || l.name.startsWith('vethwe');
}
