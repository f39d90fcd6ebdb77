/**
 * User-space tunnels: a process that holds a device and a UDP socket, and carries packets between
 * nodes itself rather than through a kernel tunnel device.
 *
 *   TUN (Link.tun):               a route sends the packet into the TUN ──► the process read()s the
 *                                 IP packet from /dev/net/tun ──► [outer IP][UDP port][inner IP]
 *   packet socket (Link.packetSocket):  a frame arrives on the device ──► the process's packet
 *                                 socket captures it ──► [outer IP][UDP port][inner Eth][inner IP]
 *
 *   and back: a datagram to the process's port ──► it writes the inner packet into its device
 *   (a TUN: as received on the TUN; a packet socket: sent out of the device).
 *
 * The stack holds the mechanics (the kernel/user boundary, the outer UDP packet, which is a new
 * locally generated packet of the node with its routes, OUTPUT/POSTROUTING hooks and ARP, and the
 * injection). What the process decides (which peers a packet goes to, how it names them in the
 * trace) is a `UserspaceProcess` the running CNI plugin registers on the Sim (`sim.userspace`)
 * under the name the device's record gives as `owner`; the stack knows none by name.
 */
import { message, type Message } from '../i18n/messages';
import type { Packet } from '../net/packet';
import type { Link, NetNs } from '../net/types';
import type { Sim } from '../sim';
import { fibCached } from './nsview';
import { l2UdpWrap, udpWrap } from './packets';
import type { Walker } from './walker';

export interface UserspaceEnv {
  readonly sim: Sim;
  /** The namespace the process runs in (its node's). */
  readonly ns: NetNs;
}

/** One datagram the process sends for a packet it read. */
export interface UserspaceDatagram {
  /** The peer's address (the outer destination). */
  readonly peer: string;
  readonly sport: number;
  readonly dport: number;
  /** The trace line for the wrapping ('encap' event). */
  readonly message: Message;
  /** The encap/decap event's label ("weaver UDP 6783"); absent: none. */
  readonly label?: string;
  /** The cipher the payload is sealed with, when it is. */
  readonly encrypted?: string;
}

/** What the process does with a packet it read from its device. */
export type UserspaceSend =
  | { readonly verdict: 'send'; readonly datagrams: readonly UserspaceDatagram[] }
  | { readonly verdict: 'drop'; readonly reason: string };

/** The trace lines of a datagram it received and writes into its device. */
export interface UserspaceReceive {
  /** 'userspace' event: the datagram reaches the process. */
  readonly received: Message;
  /** 'decap' event: it writes the inner packet into the device. */
  readonly injected: Message;
  readonly label?: string;
}

export interface UserspaceProcess {
  /** The name the device records give as `owner` ("weaver"). */
  readonly name: string;
  /** A packet it read from its TUN, or a frame its packet socket captured on `dev`: where it goes. */
  send(env: UserspaceEnv, dev: Link, pkt: Packet): UserspaceSend;
  /** A datagram `pkt` (outer) that reached its socket for `dev`: how the trace tells it. */
  receive(env: UserspaceEnv, dev: Link, pkt: Packet): UserspaceReceive;
}

/** The user-space tunnel processes a Sim knows, by name (filled at build by the running CNI plugin). */
export type UserspaceRegistry = ReadonlyMap<string, UserspaceProcess>;

const processOf = (w: Walker, owner: string): UserspaceProcess | undefined => w.sim.userspace?.get(owner);

/** The outer datagrams: each a new local packet of the node, or a drop when it has no route to the peer. */
function sendDatagrams(w: Walker, ns: NetNs, dev: Link, proc: UserspaceProcess, pkt: Packet, l2: boolean): void {
  const d = proc.send({ sim: w.sim, ns }, dev, pkt);
  if (d.verdict === 'drop') { w.drop(ns, dev.name, d.reason, pkt); return; }
  for (const g of d.datagrams) {
    const src = fibCached(w.sim.net, ns, g.peer)?.src;
    if (!src) { w.drop(ns, dev.name, `${proc.name}: no route to ${g.peer}`, pkt); continue; }
    const o = { src, dst: g.peer, df: false, sport: g.sport, dport: g.dport };
    const outer = l2 ? l2UdpWrap(o, pkt) : udpWrap(o, pkt);
    w.emit('encap', ns, dev.name, g.message, outer, { kind: 'udp', ...(g.label ? { label: g.label } : {}), peer: g.peer, ...(g.encrypted ? { encrypted: g.encrypted } : {}) });
    w.sendLocal(ns, outer);
  }
}

/** A packet routed into a TUN device: the process holding it reads it and sends it on in UDP. */
export function tunXmit(w: Walker, ns: NetNs, tun: Link, pkt: Packet): void {
  const owner = tun.tun?.owner ?? 'a process';
  w.emit('userspace', ns, tun.name, message('event.tun.read', { process: owner, dev: tun.name }), pkt, { process: owner, direction: 'up' });
  const proc = processOf(w, owner);
  if (!proc) { w.drop(ns, tun.name, `${owner} does not forward TUN packets`, pkt); return; }
  sendDatagrams(w, ns, tun, proc, pkt, false);
}

/**
 * A frame arriving on a device a user-space process captures (Link.packetSocket): the process
 * reads it and sends it on in UDP.
 */
export function packetSocketXmit(w: Walker, ns: NetNs, dev: Link, frame: Packet): void {
  const owner = dev.packetSocket!.owner;
  w.emit('userspace', ns, dev.name, message('event.psock.capture', { owner, dev: dev.name }), frame, { process: owner, direction: 'up' });
  const proc = processOf(w, owner);
  if (!proc) { w.drop(ns, dev.name, `${owner} does not forward captured frames`, frame); return; }
  sendDatagrams(w, ns, dev, proc, frame, true);
}

/**
 * A UDP datagram to a port a user-space tunnel process holds: it unwraps it and writes the inner
 * packet into its device. Returns false when no such process owns the port here.
 */
export function userspaceRcv(w: Walker, ns: NetNs, pkt: Packet): boolean {
  const dport = pkt.udp?.dport;
  if (dport === undefined || !pkt.inner) return false;
  // A TUN: the process writes the IP packet to /dev/net/tun and the kernel receives it on the TUN
  // (a TUN that is down drops it there).
  const tun = ns.links.find((l) => l.kind === 'tun' && l.tun?.port === dport && processOf(w, l.tun.owner));
  if (tun) {
    inject(w, ns, tun, processOf(w, tun.tun!.owner)!, pkt);
    w.netifRx(ns, tun, pkt.inner);
    return true;
  }
  // A packet socket: the process writes the Ethernet frame out of its device.
  if (!pkt.inner.eth) return false;
  const dev = ns.links.find((l) => l.packetSocket?.port === dport && l.up && processOf(w, l.packetSocket.owner));
  if (!dev) return false;
  inject(w, ns, dev, processOf(w, dev.packetSocket!.owner)!, pkt);
  w.devXmit(ns, dev, pkt.inner);
  return true;
}

function inject(w: Walker, ns: NetNs, dev: Link, proc: UserspaceProcess, pkt: Packet): void {
  const r = proc.receive({ sim: w.sim, ns }, dev, pkt);
  w.emit('userspace', ns, dev.name, r.received, pkt, { process: proc.name, direction: 'up' });
  w.emit('decap', ns, dev.name, r.injected, pkt.inner, { kind: 'udp', ...(r.label ? { label: r.label } : {}) });
}
