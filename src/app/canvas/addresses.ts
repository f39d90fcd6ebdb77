/**
 * Which addresses the canvas and the inspector show for an object, in which order (issue #18):
 * a dual-stack Pod, Service or node shows both families, the cluster's primary family first (the
 * first of spec.podCIDR, as in Kubernetes); an IPv6-only one shows IPv6 only. A device shows its
 * global addresses, primary family first, and its link-local fe80:: address when it has no global
 * IPv6 one (a veth: what its neighbour discovery speaks from). Pure; no React.
 */
import type { LinkSnap, NodeSnap, PodSnap, ServiceSnap, Snapshot } from '../../worker/snapshot';

export type Family = 4 | 6;

/** An address's family: "fd00::1", "fd00::/64" and "fd00::1/64" are IPv6. */
export const familyOf = (a: string): Family => (a.includes(':') ? 6 : 4);

/** IPv6 link-local (fe80::/10). */
export const isLinkLocal = (a: string): boolean => /^fe[89ab][0-9a-f]?:/i.test(a);

/** The cluster's primary family: the first range's (spec.podCIDR as a list), IPv4 without a cluster. */
export function primaryFamily(snap: Pick<Snapshot, 'cluster'> | null): Family {
  const first = snap?.cluster.podCIDRs?.[0];
  return first ? familyOf(first) : 4;
}

/** A stable sort that puts `primary`'s addresses first and keeps the order within a family. */
export function primaryFirst(list: readonly string[], primary: Family): string[] {
  return [...list.filter((a) => familyOf(a) === primary), ...list.filter((a) => familyOf(a) !== primary)];
}

/** status.podIPs (or podIP): empty while the Pod has no address. */
export function podAddresses(p: Pick<PodSnap, 'ip' | 'ips'>): string[] {
  return p.ips?.length ? [...p.ips] : p.ip ? [p.ip] : [];
}

/** spec.clusterIPs (or clusterIP); "None" for a headless Service, nothing for ExternalName. */
export function serviceAddresses(s: Pick<ServiceSnap, 'clusterIP' | 'clusterIPs'>): string[] {
  if (s.clusterIP === 'None') return ['None'];
  return s.clusterIPs?.length ? [...s.clusterIPs] : s.clusterIP ? [s.clusterIP] : [];
}

export function nodeAddresses(n: Pick<NodeSnap, 'ip' | 'ips'>): string[] {
  return n.ips?.length ? [...n.ips] : [n.ip];
}

export function nodePodCIDRs(n: Pick<NodeSnap, 'podCIDR' | 'podCIDRs'>): string[] {
  return n.podCIDRs?.length ? [...n.podCIDRs] : [n.podCIDR];
}

/** A machine's addresses and Pod ranges in one line ("192.168.1.11 · fd00::11 · podCIDR 10.244.0.0/24 fd00:10:244::/64"): its title's tooltip. */
export function nodeSubtitle(n: Pick<NodeSnap, 'ip' | 'ips' | 'podCIDR' | 'podCIDRs'>): string {
  return `${nodeAddresses(n).join(' · ')} · podCIDR ${nodePodCIDRs(n).join(' ')}`;
}

/**
 * What a machine's title line draws: its address and Pod range ("192.168.1.11 · podCIDR
 * 10.244.0.0/24"), or with two addresses both of them only (the ranges on hover, on the bridge
 * and in the inspector): two ranges as well would cut the second address at the fitted zoom.
 */
export function nodeTitleLine(n: Pick<NodeSnap, 'ip' | 'ips' | 'podCIDR' | 'podCIDRs'>): string {
  const ips = nodeAddresses(n);
  return ips.length > 1 ? ips.join(' · ') : nodeSubtitle(n);
}

/**
 * A device's addresses worth drawing ("10.244.0.1/24"): global ones, primary family first, then
 * its link-local IPv6 address if it has no global IPv6 one. Loopback-scope addresses never.
 */
export function deviceAddresses(l: Pick<LinkSnap, 'addrs'>, primary: Family): string[] {
  const global = l.addrs.filter((a) => !isLinkLocal(a) && !/^(127\.|::1\/)/.test(a));
  const out = primaryFirst(global, primary);
  if (!global.some((a) => familyOf(a) === 6)) {
    const ll = l.addrs.find(isLinkLocal);
    if (ll) out.push(ll);
  }
  return out;
}

/**
 * How many of a device's addresses its box draws: one, or two when it has both families (a
 * dual-stack bridge or eth0 in the kernel view). kube-ipvs0's many Service addresses of one
 * family stay one line; the inspector lists them all.
 */
export function shownDeviceAddresses(addrs: readonly string[], lines: 1 | 2): string[] {
  if (lines === 1 || addrs.length < 2) return addrs.slice(0, 1);
  const first = addrs[0]!;
  const other = addrs.find((a) => familyOf(a) !== familyOf(first));
  return other ? [first, other] : [first];
}

/** `ip addr`'s lines for a link's addresses: inet (IPv4), then inet6 global, then inet6 link. */
export function inetLines(addrs: readonly string[]): string[] {
  const v4 = addrs.filter((a) => familyOf(a) === 4);
  const v6 = addrs.filter((a) => familyOf(a) === 6);
  return [
    ...v4.map((a) => `inet ${a}`),
    ...v6.filter((a) => !isLinkLocal(a)).map((a) => `inet6 ${a} scope ${a.startsWith('::1/') ? 'host' : 'global'}`),
    ...v6.filter(isLinkLocal).map((a) => `inet6 ${a} scope link`),
  ];
}
