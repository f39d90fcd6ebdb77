/**
 * IPv6 neighbour discovery (RFC 4861), the kernel's ndisc.c: what ARP is to IPv4.
 *
 *   neigh_resolve_output ─► ndisc_solicit: NS to ff02::1:ffXX:XXXX (MAC 33:33:ff:XX:XX:XX),
 *                           hop limit 255, our link-layer address as an option
 *   ndisc_recv_ns ─► the target is an address of the receiving device: learn the asker (STALE),
 *                    answer with an NA (solicited, override; router when we forward)
 *   ndisc_recv_na ─► the entry we are resolving becomes REACHABLE
 *
 * NDP messages are handled where they arrive and not shown to ip6tables (a simplification: the
 * kernel passes them through INPUT/OUTPUT, where kube-proxy's rules never match them anyway).
 */
import type { Mac } from '../addr/mac';
import { message } from '../i18n/messages';
import { multicastMac6, solicitedNode } from '../net/ipv6';
import { ETH_P_IPV6, IPPROTO_ICMPV6, type Packet } from '../net/packet';
import type { Link, NeighEntry, NetNs } from '../net/types';
import { IP6_HLEN, NDISC_NEIGHBOUR_ADVERTISEMENT, NDISC_NEIGHBOUR_SOLICITATION } from './packets';
import type { Walker } from './walker';

/** NS / NA with one link-layer address option: 24 bytes of message, 8 of option. */
const ND_LEN = IP6_HLEN + 24 + 8;

const linkLocalOf = (link: Link): string | undefined => link.addrs.find((a) => a.family === 6 && a.scope === 'link')?.address;

/** ndisc_solicit: resolve `target` on `link` by walking an NS and whatever answers it, now. */
export function ndiscSolicit(w: Walker, ns: NetNs, link: Link, target: string, src: string, e: NeighEntry | undefined): Mac | undefined {
  const entry: NeighEntry = e ?? { family: 6, ip: target, dev: link.name, state: 'INCOMPLETE', updatedAt: w.nowMs };
  if (!e) ns.neigh.push(entry);
  entry.state = 'INCOMPLETE';
  // The packet's source when it is ours, else the device's link-local address.
  const saddr = w.view(ns).local.has(src) ? src : (linkLocalOf(link) ?? src);
  const group = solicitedNode(target);
  const ns0: Packet = {
    eth: { src: link.mac, dst: multicastMac6(group), type: ETH_P_IPV6 },
    ip: { version: 6, src: saddr, dst: group, ttl: 255, protocol: IPPROTO_ICMPV6, id: 0, df: true, tos: 0, length: ND_LEN },
    icmp: { type: NDISC_NEIGHBOUR_SOLICITATION, code: 0, target, lladdr: link.mac },
  };
  w.withFlow('ndisc', () => {
    w.emit('ndisc-solicit', ns, link.name, message('event.ndisc.solicit', { ip: target, src: saddr, group, dev: link.name }), ns0, { target, group });
    w.devXmit(ns, link, ns0);
  });
  if (entry.mac && (entry.state as NeighEntry['state']) === 'REACHABLE') return entry.mac;
  entry.state = 'FAILED';
  entry.updatedAt = w.nowMs;
  return undefined;
}

/** ndisc_rcv: answer a solicitation for an address of `link`, or learn from an advertisement. */
export function ndiscRcv(w: Walker, ns: NetNs, link: Link, frame: Packet): void {
  const icmp = frame.icmp!;
  const ip = frame.ip!;
  const target = icmp.target ?? '';
  if (icmp.type === NDISC_NEIGHBOUR_ADVERTISEMENT) {
    const e = w.findNeigh(ns, target, link.name);
    if (!e || !icmp.lladdr) { w.drop(ns, link.name, `unsolicited neighbor advertisement for ${target} ignored`, frame, false); return; }
    e.mac = icmp.lladdr;
    e.state = 'REACHABLE';
    e.updatedAt = w.nowMs;
    w.emit('neigh', ns, link.name, message('event.neighLearnedNd', { ip: target, dev: link.name, mac: icmp.lladdr }), frame, { ip: target, mac: icmp.lladdr, state: 'REACHABLE' });
    return;
  }
  if (!link.addrs.some((a) => a.family === 6 && a.address === target)) {
    w.drop(ns, link.name, `neighbor solicitation for ${target}: not an address of ${link.name}`, frame, false);
    return;
  }
  // The asker's address and link-layer option make (or refresh) its entry, STALE until confirmed.
  if (icmp.lladdr && ip.src !== '::') {
    const e = w.findNeigh(ns, ip.src, link.name);
    if (e) { e.mac = icmp.lladdr; if (e.state !== 'PERMANENT') e.state = 'STALE'; e.updatedAt = w.nowMs; }
    else ns.neigh.push({ family: 6, ip: ip.src, dev: link.name, mac: icmp.lladdr, state: 'STALE', updatedAt: w.nowMs });
  }
  const router = ns.sysctl['net.ipv6.conf.all.forwarding'] === '1';
  const na: Packet = {
    eth: { src: link.mac, dst: icmp.lladdr ?? frame.eth!.src, type: ETH_P_IPV6 },
    ip: { version: 6, src: target, dst: ip.src, ttl: 255, protocol: IPPROTO_ICMPV6, id: 0, df: true, tos: 0, length: ND_LEN },
    icmp: { type: NDISC_NEIGHBOUR_ADVERTISEMENT, code: 0, target, lladdr: link.mac, solicited: true, router },
  };
  w.emit('ndisc-advert', ns, link.name, message('event.ndisc.advert', { ip: target, mac: link.mac }), na, { target, mac: link.mac, router });
  w.devXmit(ns, link, na);
}
