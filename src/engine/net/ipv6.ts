/**
 * What the kernel's IPv6 side (addrconf, ndisc) gives a namespace, and the plan the builder wires
 * an IPv6 or dual-stack cluster with (issue #18, stage 2a):
 *
 *   - every link that comes up gets a link-local address fe80::/64 from its MAC (modified EUI-64:
 *     the universal/local bit flipped, ff:fe in the middle) and the connected route
 *     `fe80::/64 dev L proto kernel metric 256`; lo gets ::1/128;
 *   - a global address adds `local ADDR dev L table local proto kernel metric 0` and the connected
 *     `PREFIX dev L proto kernel metric 256` (addrconf_prefix_route);
 *   - neighbour discovery sends a solicitation to the target's solicited-node multicast group
 *     (ff02::1:ffXX:XXXX, MAC 33:33:ff:XX:XX:XX) and learns from the advertisement.
 *
 * Only clusters with an IPv6 family get any of this: an IPv4-only scenario behaves as a machine
 * with IPv6 disabled (`net.ipv6.conf.all.disable_ipv6 = 1`), so its `ip addr` stays IPv4 only.
 */
import { formatIPv6, mask6, nthAddress6, parseIPv6, parsePrefix6 } from '../addr/ip6';
import type { Mac } from '../addr/mac';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../route/fib';
import type { ClusterModel, NodeModel } from '../model/cluster';
import type { IfAddr, Link, NetNs, Network, Route } from './types';

/** Metrics the kernel gives IPv6 routes: connected prefixes 256, user routes 1024 (iproute2's default). */
export const IP6_RT_PRIO_ADDRCONF = 256;
export const IP6_RT_PRIO_USER = 1024;

/** An IPv6 interface address; link-local addresses (fe80::/10) have scope link. */
export function v6Addr(address: string, prefixLen: number): IfAddr {
  const scope: IfAddr['scope'] = address === '::1' ? 'host' : /^fe[89ab]/i.test(address) ? 'link' : 'global';
  return { family: 6, address, prefixLen, scope };
}

/** fe80::/64 from a MAC by modified EUI-64 (RFC 4291 appendix A). */
export function linkLocalFromMac(mac: Mac): string {
  const b = mac.split(':').map((x) => parseInt(x, 16));
  const iid = [(b[0]! ^ 2), b[1]!, b[2]!, 0xff, 0xfe, b[3]!, b[4]!, b[5]!];
  let v = 0xfe80n << 112n;
  for (const [i, x] of iid.entries()) v |= BigInt(x) << BigInt(8 * (7 - i));
  return formatIPv6(v);
}

/** The solicited-node multicast group of an address: ff02::1:ff00:0/104 plus its low 24 bits. */
export function solicitedNode(ip: string): string {
  const v = parseIPv6(ip) ?? 0n;
  return formatIPv6((0xff02n << 112n) | (1n << 32n) | (0xffn << 24n) | (v & 0xffffffn));
}

/** The Ethernet multicast MAC of an IPv6 multicast group: 33:33 and its low 32 bits. */
export function multicastMac6(group: string): Mac {
  const v = parseIPv6(group) ?? 0n;
  const low = [24, 16, 8, 0].map((s) => Number((v >> BigInt(s)) & 0xffn).toString(16).padStart(2, '0'));
  return `33:33:${low.join(':')}`;
}

export function isLinkLocal6(ip: string): boolean {
  return /^fe[89ab][0-9a-f]?:/i.test(ip);
}

export function isMulticast6(ip: string): boolean {
  return /^ff[0-9a-f]{2}:/i.test(ip);
}

/** The routes the kernel adds for one IPv6 address on an up link (addrconf). */
export function kernelRoutes6(link: Link, a: IfAddr): Route[] {
  const p = parsePrefix6(`${a.address}/${a.prefixLen}`, true);
  if (!p) return [];
  const kr = (table: number, type: Route['type'], dst: string, metric: number): Route =>
    ({ family: 6, table, type, dst, dev: link.name, proto: 'kernel', scope: 'global', metric });
  const out: Route[] = [kr(RT_TABLE_LOCAL, 'local', a.address, 0)];
  // lo's ::1 also has a route in main (`::1 dev lo proto kernel metric 256`).
  if (link.kind === 'loopback' && a.address === '::1') out.push(kr(RT_TABLE_MAIN, 'unicast', '::1', IP6_RT_PRIO_ADDRCONF));
  if (link.kind !== 'loopback' && a.prefixLen < 128) out.push(kr(RT_TABLE_MAIN, 'unicast', `${formatIPv6(p.base & mask6(p.len))}/${p.len}`, IP6_RT_PRIO_ADDRCONF));
  return out;
}

/** Whether the scenario is an IPv6 or dual-stack cluster (the only ones whose machines speak IPv6). */
export function hasIPv6(model: ClusterModel): boolean {
  return model.hasCluster && (model.spec.ipFamilies ?? []).includes('IPv6');
}

/** A node's IPv6 address on the underlay, if it has one. */
export function nodeIPv6(node: NodeModel): string | undefined {
  return node.ips?.find((a) => a.includes(':'));
}

/** A node's IPv6 Pod range (Node.spec.podCIDRs), if it has one. */
export function nodePodCIDR6(node: NodeModel): string | undefined {
  return node.podCIDRs?.find((c) => c.includes(':'));
}

/** The IPv6 underlay: its CIDR and the router's address on it (the first of the range). */
export function underlay6(model: ClusterModel): { cidr: string; prefixLen: number; gateway: string } | undefined {
  const c = model.spec.underlayCIDRs?.find((x) => x.includes(':'));
  const p = c ? parsePrefix6(c, true) : null;
  const gw = p ? nthAddress6(p, 1) : null;
  return p && gw !== null ? { cidr: c!, prefixLen: p.len, gateway: formatIPv6(gw) } : undefined;
}

/** The Pod gateway of an IPv6 node range: its first address, with the range's length. */
export function podGateway6(podCIDR6: string): { gateway: string; prefixLen: number } | undefined {
  const p = parsePrefix6(podCIDR6, true);
  const gw = p ? nthAddress6(p, 1) : null;
  return p && gw !== null ? { gateway: formatIPv6(gw), prefixLen: p.len } : undefined;
}

/** Kinds of device that take no link-local address (no MAC to derive one from). */
const NO_LINK_LOCAL = new Set(['loopback', 'tun', 'ipip']);

/**
 * addrconf on NETDEV_UP for every namespace of an IPv6 cluster: ::1 on lo and a link-local
 * address on each link (its kernel routes with it). Nodes and the router forward IPv6
 * (kubeadm's preflight wants net.ipv6.conf.all.forwarding=1 on a dual-stack node).
 */
export function enableIPv6(net: Network, addAddr: (ns: NetNs, link: Link, a: IfAddr) => void): void {
  for (const ns of net.namespaces.values()) {
    ns.sysctl['net.ipv6.conf.all.disable_ipv6'] = '0';
    if (ns.owner.kind === 'node' || (ns.owner.kind === 'infra' && ns.owner.name === 'router') || ns.sysctl['net.ipv4.ip_forward'] === '1') {
      ns.sysctl['net.ipv6.conf.all.forwarding'] = '1';
    } else ns.sysctl['net.ipv6.conf.all.forwarding'] ??= '0';
    for (const link of ns.links) {
      if (link.kind === 'loopback') {
        if (!link.addrs.some((a) => a.address === '::1')) addAddr(ns, link, v6Addr('::1', 128));
        continue;
      }
      if (NO_LINK_LOCAL.has(link.kind) || link.addrs.some((a) => a.family === 6 && a.scope === 'link')) continue;
      addAddr(ns, link, v6Addr(linkLocalFromMac(link.mac), 64));
    }
  }
}
