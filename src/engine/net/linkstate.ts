/**
 * A link's operational state as the kernel reports it (IFF_LOWER_UP, operstate), derived from
 * the administrative state and the carrier: a veth has carrier when its peer is up, a bridge when
 * one of its ports is forwarding, tunnels and loopback always. The walk uses `hasCarrier` to
 * decide whether a frame can leave; `ip link` prints `operState` and the flags.
 */
import { peerOf } from './lookup';
import type { Link, NetNs, Network } from './types';

export type OperState = 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN';

/** Whether a link is up and can pass frames (administratively up and carrier present). */
export function hasCarrier(net: Network, ns: NetNs, link: Link): boolean {
  if (!link.up) return false;
  switch (link.kind) {
    case 'loopback': case 'vxlan': case 'tun': case 'ipip': case 'dummy': return true;
    case 'veth': case 'ether': return peerOf(net, link)?.link.up ?? false;
    case 'bridge': return ns.links.some((p) => p.master === link.name && p.up && hasCarrier(net, ns, p));
  }
}

export function operState(net: Network, ns: NetNs, link: Link): OperState {
  if (!link.up) return 'DOWN';
  if (link.kind === 'loopback' || link.kind === 'vxlan' || link.kind === 'tun' || link.kind === 'ipip' || link.kind === 'dummy') return 'UNKNOWN';
  if (hasCarrier(net, ns, link)) return 'UP';
  return link.kind === 'bridge' ? 'DOWN' : 'LOWERLAYERDOWN';
}

/** The flags between <...> in `ip link`, in iproute2's order. */
export function linkFlags(net: Network, ns: NetNs, link: Link): string[] {
  const f: string[] = [];
  const carrier = hasCarrier(net, ns, link);
  if (link.up && !carrier) f.push('NO-CARRIER');
  switch (link.kind) {
    case 'loopback': f.push('LOOPBACK'); break;
    case 'tun': f.push('POINTOPOINT', 'MULTICAST', 'NOARP'); break;
    case 'ipip': f.push('NOARP'); break;
    case 'dummy': f.push('BROADCAST', 'NOARP'); break;
    default: f.push('BROADCAST', 'MULTICAST');
  }
  if (link.up) f.push('UP');
  if (link.up && carrier) f.push('LOWER_UP');
  return f;
}

/** The queueing discipline `ip link` shows: noop when down, noqueue on virtual devices. */
export function qdiscOf(link: Link): string {
  if (!link.up) return 'noop';
  return link.kind === 'ether' || link.kind === 'tun' ? 'fq_codel' : 'noqueue';
}
