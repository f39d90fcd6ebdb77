/**
 * The Linux bridge (net/bridge): learn the source MAC on the ingress port, then deliver the
 * frame up to the bridge's own IP stack, forward it to the one port the FDB names, or flood it
 * to every other port when the destination is broadcast or unknown. Learned entries age out
 * after ageing_time (300 s). With net.bridge.bridge-nf-call-iptables=1 (br_netfilter), bridged
 * IPv4 frames also pass the iptables PREROUTING, FORWARD and POSTROUTING hooks.
 *
 *   port ──► br_handle_frame ──► learn ──┬─► local (dst = bridge MAC) ──► ip_rcv on the bridge
 *                                        ├─► forward (FDB hit) ──► one port
 *                                        └─► flood (broadcast / unknown) ──► every other port (+ local)
 *
 * An Open vSwitch datapath (`openvswitch`, weave's `datapath`) switches by its controller's flows
 * only: it never passes a frame up to its internal port, so the host stack does not see (or answer)
 * what it switches.
 */
import { BROADCAST_MAC } from '../addr/mac';
import { message } from '../i18n/messages';
import type { Packet } from '../net/packet';
import type { FdbEntry, Link, NetNs } from '../net/types';
import { isMulticast, VLAN_HLEN, type Walker } from './walker';

function brNf(ns: NetNs, br: Link, frame: Packet): boolean {
  return !!frame.ip && !br.openvswitch && ns.sysctl['net.bridge.bridge-nf-call-iptables'] === '1';
}

/** The FDB entry for `mac`, dropping it when it has aged out. */
function fdbFind(w: Walker, ns: NetNs, br: Link, mac: string): FdbEntry | undefined {
  const fdb = br.fdb;
  if (!fdb) return undefined;
  for (let i = 0; i < fdb.length; i++) {
    const e = fdb[i]!;
    if (e.mac !== mac) continue;
    if (!e.permanent && !e.local && w.nowMs - e.updatedAt > w.bridgeAgeingMs(br, ns)) {
      fdb.splice(i, 1);
      w.emit('bridge-learn', ns, br.name, message('event.bridge.aged', { mac, dev: e.dev }), undefined, { mac, dev: e.dev, aged: true });
      return undefined;
    }
    return e;
  }
  return undefined;
}

function learn(w: Walker, ns: NetNs, br: Link, port: Link, mac: string): void {
  if (isMulticast(mac)) return;
  const fdb = (br.fdb ??= []);
  const i = fdb.findIndex((e) => e.mac === mac);
  const old = i >= 0 ? fdb[i] : undefined;
  if (old && (old.permanent || old.local)) return;
  const entry: FdbEntry = { mac, dev: port.name, permanent: false, updatedAt: w.nowMs };
  if (old) fdb[i] = entry; else fdb.push(entry);
  if (!old || old.dev !== port.name) {
    w.emit('bridge-learn', ns, br.name, message('event.bridge.learn', { bridge: br.name, mac, port: port.name }), undefined, { mac, dev: port.name, moved: !!old });
  }
}

function isLocal(br: Link, ns: NetNs, w: Walker, mac: string): boolean {
  // The bridge's own MAC and its ports' MACs (the kernel's "self permanent" FDB entries).
  if (w.view(ns).bridges.get(br.name)?.macs.has(mac)) return true;
  return br.fdb?.find((x) => x.mac === mac)?.local === true;
}

function ports(w: Walker, ns: NetNs, br: Link): readonly Link[] {
  return w.view(ns).bridges.get(br.name)?.ports ?? [];
}

/** br_handle_frame: a frame arriving on `port`. */
export function bridgeInput(w: Walker, ns: NetNs, br: Link, port: Link, frame0: Packet): void {
  if (!br.up) { w.drop(ns, br.name, message('drop.linkDown', { dev: br.name }), frame0); return; }
  const eth = frame0.eth;
  if (!eth) { w.drop(ns, port.name, message('drop.noEthernet', {}), frame0); return; }
  learn(w, ns, br, port, eth.src);
  let frame = frame0;
  const dst = eth.dst;
  // An Open vSwitch datapath hands a frame to its internal port (the `datapath` netdev) only when a
  // flow says so, and weave's router installs none: the node's stack is on the weave bridge.
  if (!br.openvswitch && isLocal(br, ns, w, dst)) {
    w.emit('bridge-local', ns, br.name, message('event.bridge.local', { bridge: br.name, mac: dst }), frame);
    w.l2Up(ns, br, frame);
    return;
  }
  if (brNf(ns, br, frame)) {
    const p = w.hook(ns, 'PREROUTING', frame, { inDev: br.name, physIn: port.name, bridged: true });
    if (!p) return;
    frame = p;
  }
  if (dst === BROADCAST_MAC || isMulticast(dst)) {
    flood(w, ns, br, port, frame, !br.openvswitch);
    return;
  }
  const e = fdbFind(w, ns, br, dst);
  if (!e) { flood(w, ns, br, port, frame, false); return; }
  if (e.dev === port.name) { w.drop(ns, port.name, message('drop.bridgeHairpin', { bridge: br.name, mac: dst, port: port.name }), frame, false); return; }
  const out = w.link(ns, e.dev);
  if (!out) { w.drop(ns, br.name, message('drop.fdbMissingPort', { port: e.dev }), frame); return; }
  forward(w, ns, br, port, out, frame, dst);
}

/** br_dev_xmit: the host's own stack sends through the bridge device. */
export function bridgeXmit(w: Walker, ns: NetNs, br: Link, frame: Packet): void {
  const dst = frame.eth?.dst ?? BROADCAST_MAC;
  if (dst === BROADCAST_MAC || isMulticast(dst)) { flood(w, ns, br, null, frame, false); return; }
  const e = fdbFind(w, ns, br, dst);
  if (!e) { flood(w, ns, br, null, frame, false); return; }
  const out = w.link(ns, e.dev);
  if (!out) { w.drop(ns, br.name, message('drop.fdbMissingPort', { port: e.dev }), frame); return; }
  w.emit('bridge-forward', ns, br.name, message('event.bridge.forward', { bridge: br.name, mac: dst, port: out.name }), frame, { port: out.name, mac: dst });
  if (tooLong(w, ns, out, frame)) return;
  w.devXmit(ns, out, frame);
}

/**
 * br_dev_queue_push_xmit: a bridge never fragments; a frame longer than the egress port's MTU
 * is dropped there, silently (no ICMP: the bridge is not the IP hop).
 */
function tooLong(w: Walker, ns: NetNs, port: Link, frame: Packet): boolean {
  if (!frame.ip || frame.ip.length <= port.mtu + VLAN_HLEN) return false;
  port.stats.txDropped++;
  w.drop(ns, port.name, message('drop.bridgeMtu', { length: frame.ip.length, mtu: port.mtu, port: port.name }), frame);
  return true;
}

function forward(w: Walker, ns: NetNs, br: Link, inPort: Link, out: Link, frame0: Packet, dst: string): void {
  let frame = frame0;
  if (brNf(ns, br, frame)) {
    const f = w.hook(ns, 'FORWARD', frame, { inDev: br.name, outDev: br.name, physIn: inPort.name, physOut: out.name, bridged: true });
    if (!f) return;
    const p = w.hook(ns, 'POSTROUTING', f, { outDev: br.name, physIn: inPort.name, physOut: out.name, bridged: true });
    if (!p) return;
    frame = p;
  }
  w.emit('bridge-forward', ns, br.name, message('event.bridge.forward', { bridge: br.name, mac: dst, port: out.name }), frame, { port: out.name, mac: frame.eth?.dst });
  if (!out.up) { w.drop(ns, out.name, message('drop.linkDown', { dev: out.name }), frame); return; }
  if (tooLong(w, ns, out, frame)) return;
  w.devXmit(ns, out, frame);
}

function flood(w: Walker, ns: NetNs, br: Link, inPort: Link | null, frame: Packet, alsoLocal: boolean): void {
  const outs = ports(w, ns, br).filter((p) => p !== inPort && p.up);
  const why = frame.eth?.dst === BROADCAST_MAC ? 'broadcast' : isMulticast(frame.eth?.dst ?? '') ? 'multicast' : `unknown ${frame.eth?.dst ?? ''}`;
  const names = outs.map((p) => p.name);
  const msg = names.length
    ? message(alsoLocal ? 'event.bridge.floodUp' : 'event.bridge.flood', { bridge: br.name, why, ports: names.join(', ') })
    : message(alsoLocal ? 'event.bridge.floodNoneUp' : 'event.bridge.floodNone', { bridge: br.name, why });
  w.emit('bridge-flood', ns, br.name, msg, frame, { ports: names });
  if (alsoLocal && inPort) w.l2Up(ns, br, frame);
  for (const p of outs) {
    if (tooLong(w, ns, p, frame)) continue;
    if (inPort && brNf(ns, br, frame)) {
      const f = w.hook(ns, 'FORWARD', frame, { inDev: br.name, outDev: br.name, physIn: inPort.name, physOut: p.name, bridged: true });
      if (!f) continue;
      w.devXmit(ns, p, f);
    } else {
      w.devXmit(ns, p, frame);
    }
  }
}
