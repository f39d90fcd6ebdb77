/**
 * Tunnels: the headers an overlay adds around a Pod's packet, and where the far side takes
 * them off.
 *
 *   VXLAN (a vxlan device):       [outer Eth][outer IP][UDP port][VXLAN vni][inner Eth][inner IP]...
 *   IPIP  (an ipip device):       [outer Eth][outer IP proto 4][inner IP]...
 *   ESP   (xfrm transport mode):  [outer Eth][IP proto 50][ESP][inner UDP]...
 *
 * Tunnels a user-space process builds (a TUN, a packet socket) are in userspace.ts.
 *
 * The outer packet is a new locally generated packet of the node, so it takes the node's
 * routes, OUTPUT/POSTROUTING hooks and ARP like any other.
 */
import { hashString } from '../util/rand';
import { message } from '../i18n/messages';
import type { Packet } from '../net/packet';
import type { FdbEntry, Link, NetNs, XfrmSa } from '../net/types';
import { fibCached } from './nsview';
import { espWrap, ipipWrap, vxlanWrap, describe } from './packets';
import { ZERO_MAC, type Walker } from './walker';

/** udp_flow_src_port: the outer source port is a hash of the inner flow, in the ephemeral range. */
function flowPort(inner: Packet): number {
  const ip = inner.ip;
  const l4 = inner.tcp ?? inner.udp;
  const h = hashString(`${ip?.src}|${ip?.dst}|${ip?.protocol}|${l4?.sport ?? 0}|${l4?.dport ?? 0}`);
  return 32768 + (h % 28232);
}

/**
 * The FDB entries a frame for `dmac` goes to: every entry for that MAC, else every all-zeros
 * entry (`bridge fdb append 00:00:00:00:00:00 ... dst IP` builds a head-end replication list: a
 * broadcast goes to each).
 */
export function fdbTargets(dev: Link, dmac: string): FdbEntry[] {
  const fdb = dev.fdb ?? [];
  const exact = fdb.filter((x) => x.mac === dmac && x.dst);
  return exact.length > 0 ? exact : fdb.filter((x) => x.mac === ZERO_MAC && x.dst);
}

export function vxlanXmit(w: Walker, ns: NetNs, vx: Link, frame: Packet): void {
  const cfg = vx.vxlan;
  if (!cfg) { w.drop(ns, vx.name, `${vx.name} has no vxlan settings`, frame); return; }
  // external (collect_md): a program's tunnel key decides (Cilium); without one, the FDB entry's
  // dst and VNI do, as an Open vSwitch vxlan vport's flows (weave's fastdp).
  if (cfg.external && frame.tunnelKey) { vxlanXmitExternal(w, ns, vx, frame); return; }
  const dmac = frame.eth?.dst ?? ZERO_MAC;
  const targets = fdbTargets(vx, dmac);
  if (targets.length === 0) { w.drop(ns, vx.name, `${vx.name}: no FDB entry for ${dmac} (bridge fdb show dev ${vx.name})`, frame); return; }
  for (const e of targets) {
    const src = cfg.local ?? fibCached(w.sim.net, ns, e.dst!)?.src;
    if (!src) { w.drop(ns, vx.name, `${vx.name}: no route to VTEP ${e.dst}`, frame); continue; }
    const vni = e.vni ?? cfg.vni;
    const outer = vxlanWrap({ src, dst: e.dst!, df: false, sport: flowPort(frame), dport: cfg.port, vni }, frame);
    w.emit('encap', ns, vx.name, message('event.vxlan.encap', { vni, mac: dmac, vtep: e.dst!, pkt: describe(outer) }), outer, { kind: 'vxlan', vni, vtep: e.dst! });
    w.sendLocal(ns, outer);
  }
}

/** An external (collect_md) VXLAN device: the destination and VNI are the tunnel key on the packet. */
function vxlanXmitExternal(w: Walker, ns: NetNs, vx: Link, frame: Packet): void {
  const key = frame.tunnelKey!;
  const src = vx.vxlan!.local ?? fibCached(w.sim.net, ns, key.remote)?.src;
  if (!src) { w.drop(ns, vx.name, `${vx.name}: no route to VTEP ${key.remote}`, frame); return; }
  const { tunnelKey: _key, ...inner } = frame;
  const outer = vxlanWrap({ src, dst: key.remote, df: false, sport: flowPort(inner), dport: vx.vxlan!.port, vni: key.vni }, inner);
  w.emit('encap', ns, vx.name, message('event.vxlan.encapKey', { vni: key.vni, vtep: key.remote, pkt: describe(outer) }), outer, { kind: 'vxlan', vni: key.vni, vtep: key.remote });
  w.sendLocal(ns, outer);
}

/** vxlan_rcv: a UDP datagram to a VXLAN port; returns false when no VXLAN device owns the port. */
export function vxlanRcv(w: Walker, ns: NetNs, pkt: Packet): boolean {
  const dport = pkt.udp?.dport;
  // A VXLAN device that is down has closed its UDP socket: the port is then unreachable.
  // Two devices on one port and VNI (flannel.1 and flannel-v6.1) each own the outer family of their local address.
  const owns = (l: Link): boolean => l.kind === 'vxlan' && l.up && l.vxlan?.port === dport && (!pkt.vxlan || !!l.vxlan?.external || l.vxlan?.vni === pkt.vxlan.vni);
  const v6 = pkt.ip?.version === 6;
  const vx = ns.links.find((l) => owns(l) && (l.vxlan?.local === undefined || l.vxlan.local.includes(':') === v6)) ?? ns.links.find(owns);
  if (!vx || !pkt.inner) return false;
  w.emit('decap', ns, vx.name, message('event.vxlan.decap', { vni: pkt.vxlan?.vni ?? '?', dev: vx.name, pkt: describe(pkt.inner) }), pkt.inner, { kind: 'vxlan', vni: pkt.vxlan?.vni });
  // An external device keeps the outer source and VNI as the packet's tunnel key (bpf_skb_get_tunnel_key reads it).
  const inner = vx.vxlan?.external && pkt.vxlan ? { ...pkt.inner, tunnelKey: { remote: pkt.ip!.src, vni: pkt.vxlan.vni } } : pkt.inner;
  w.netifRx(ns, vx, inner);
  return true;
}

const espSeq = new WeakMap<XfrmSa, number>();
const spiText = (spi: number): string => `0x${spi.toString(16).padStart(8, '0')}`;

/** xfrm output, transport mode: a locally sent packet an `out` policy matches leaves as ESP. */
export function xfrmOutput(w: Walker, ns: NetNs, pkt: Packet): Packet {
  const ip = pkt.ip;
  const dport = pkt.udp?.dport;
  if (!ip || dport === undefined) return pkt;
  const sa = ns.xfrm?.find((s) => s.dir === 'out' && s.src === ip.src && s.dst === ip.dst && s.dport === dport);
  if (!sa) return pkt;
  const seq = (espSeq.get(sa) ?? 0) + 1;
  espSeq.set(sa, seq);
  const out = espWrap(pkt, sa.spi, seq);
  w.emit('encap', ns, undefined, message('event.xfrm.encrypt', { src: sa.src, dst: sa.dst, dport: sa.dport, owner: sa.owner, pkt: describe(out) }), out, { kind: 'esp', label: 'IPsec ESP', spi: sa.spi, remote: sa.dst });
  return out;
}

/** esp4_rcv: ESP for one of our SAs is decrypted and the inner packet goes through ip_rcv again. */
export function xfrmRcv(w: Walker, ns: NetNs, inLink: Link, pkt: Packet): void {
  const spi = pkt.esp?.spi ?? 0;
  const sa = ns.xfrm?.find((s) => s.dir === 'in' && s.spi === spi && s.dst === pkt.ip!.dst);
  if (!sa || !pkt.inner) { w.drop(ns, inLink.name, `ESP spi ${spiText(spi)}: no xfrm state for it (ip xfrm state)`, pkt); return; }
  w.emit('decap', ns, inLink.name, message('event.xfrm.decrypt', { spi: spiText(spi), owner: sa.owner, peer: pkt.ip!.src, pkt: describe(pkt.inner) }), pkt.inner, { kind: 'esp', label: 'IPsec ESP', spi });
  w.ipRcv(ns, inLink, pkt.inner);
}

export function ipipXmit(w: Walker, ns: NetNs, tun: Link, pkt: Packet, nexthop: string | undefined): void {
  const remote = tun.ipip?.remote ?? (nexthop !== pkt.ip?.dst ? nexthop : undefined);
  if (!remote) { w.drop(ns, tun.name, `${tun.name}: no remote endpoint (route needs "via NODE-IP onlink")`, pkt); return; }
  const src = tun.ipip?.local ?? fibCached(w.sim.net, ns, remote)?.src;
  if (!src) { w.drop(ns, tun.name, `${tun.name}: no route to ${remote}`, pkt); return; }
  const outer = ipipWrap({ src, dst: remote, ttl: pkt.ip!.ttl, df: pkt.ip!.df }, pkt);
  w.emit('encap', ns, tun.name, message('event.ipip.encap', { pkt: describe(outer) }), outer, { kind: 'ipip', remote });
  w.sendLocal(ns, outer);
}

export function ipipRcv(w: Walker, ns: NetNs, pkt: Packet): boolean {
  const tun = ns.links.find((l) => l.kind === 'ipip' && l.up);
  if (!tun || !pkt.inner) return false;
  w.emit('decap', ns, tun.name, message('event.ipip.decap', { dev: tun.name, pkt: describe(pkt.inner) }), pkt.inner, { kind: 'ipip' });
  w.netifRx(ns, tun, pkt.inner);
  return true;
}
