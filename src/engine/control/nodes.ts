/**
 * Nodes and their Pod subnets. kube-controller-manager's range allocator hands each node the
 * next free /24 (nodeCIDRMaskSize) of --cluster-cidr, in the order nodes register; a podCIDR the
 * user wrote is honoured and taken out of the pool first.
 */
import { formatIPv4, formatPrefix, nthAddress, nthSubnet, parseIPv4, parsePrefix, prefixContains, prefixOverlaps, type Prefix } from '../addr/ip';
import { formatIPv6, formatPrefix6, nthSubnet6, parseIPv6, parsePrefix6, prefix6Contains } from '../addr/ip6';
import type { NodeModel } from '../model/cluster';
import type { Origin } from '../scenario/load';
import type { ClusterNodeIn, ClusterSpec } from '../scenario/schema/knp';
import type { Reporter } from './diag';
import { dns1123Subdomain, labelKey, labelValue } from './validation';

export const DEFAULT_NODES: readonly ClusterNodeIn[] = [
  { name: 'node-1', ip: '192.168.1.11', ips: ['192.168.1.11'], controlPlane: true },
  { name: 'node-2', ip: '192.168.1.12', ips: ['192.168.1.12'] },
];

export const CONTROL_PLANE_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' } as const;

export function buildNodes(spec: ClusterSpec, origin: Origin | undefined, r: Reporter): NodeModel[] {
  const given = spec.nodes;
  const list = given && given.length > 0 ? given : DEFAULT_NODES;
  const at = (i: number, f?: string): (string | number)[] => (given && given.length > 0 ? ['spec', 'nodes', i, ...(f ? [f] : [])] : ['spec']);
  if (given && given.length === 0) r.warn(origin, ['spec', 'nodes'], 'no-nodes', 'the cluster has no nodes; the default two nodes are used', 'list at least one node, e.g. {name: node-1, ip: 192.168.1.11}', { params: {} });

  const cluster = parsePrefix(spec.podCIDR) ?? parsePrefix('10.244.0.0/16')!;
  const underlay = parsePrefix(spec.underlayCIDR, true);
  const names = new Set<string>();
  const ips = new Map<string, string>();
  const families = spec.ipFamilies;
  const underlay6 = spec.underlayCIDRs.map((c) => parsePrefix6(c, true)).find((p) => p !== null) ?? null;
  /**
   * A node's addresses: valid, one per family; the IPv4 one is what the walk uses. A node of an
   * IPv6-only cluster has none, so it is wired with an address of the default underlay (the
   * ipv6-datapath-not-yet info says so). Null when the node cannot be built.
   */
  const checkNodeIps = (n: ClusterNodeIn, i: number): ClusterNodeIn | null => {
    const atIp = (j: number): (string | number)[] => (n.ips.length > 1 ? [...at(i, 'ip'), j] : at(i, 'ip'));
    const out: string[] = [];
    let v4: string | undefined;
    for (const [j, a] of n.ips.entries()) {
      const v6 = a.includes(':') ? parseIPv6(a) : null;
      if (a.includes(':') ? v6 === null : parseIPv4(a) === null) { r.error(origin, atIp(j), 'invalid-ip', `node ${n.name}: "${a}" is not a valid ${a.includes(':') ? 'IPv6' : 'IPv4'} address`, a.includes(':') ? 'write an IPv6 address such as fd00:192:168:1::11' : 'write a dotted-quad address such as 192.168.1.11', false, { object: `Node ${n.name}`, field: 'ip', value: a }); return null; }
      const same = out.find((o) => o.includes(':') === a.includes(':'));
      if (same !== undefined) { r.error(origin, atIp(j), 'dual-stack-same-family', `node ${n.name}: ${a} and ${same} are of the same family; a node lists one address per family`, 'write one IPv4 and one IPv6 address, e.g. [192.168.1.11, "fd00:192:168:1::11"]', false, { field: `Node ${n.name} ip`, a, b: same }); return null; }
      if (v6 !== null && underlay6 && !prefix6Contains(underlay6, v6)) r.warn(origin, atIp(j), 'node-ip-outside-underlay', `node ${n.name}'s IP ${a} is outside the underlay ${formatPrefix6(underlay6)}`, 'pick an address inside spec.underlayCIDR, or change underlayCIDR', { params: { node: n.name, ip: a, underlay: formatPrefix6(underlay6) } });
      out.push(v6 !== null ? formatIPv6(v6) : a);
      if (v6 === null) v4 = a;
    }
    for (const f of families) {
      if (out.some((o) => o.includes(':') === (f === 'IPv6'))) continue;
      if (f === 'IPv4') { r.error(origin, at(i, 'ip'), 'node-ip-family-missing', `node ${n.name} has no IPv4 address, but the cluster is ${families.join(',')}`, 'list an address of each cluster family, e.g. ip: [192.168.1.11, "fd00:192:168:1::11"]', false, { node: n.name, family: 'IPv4', families: families.join(',') }); return null; }
      r.warn(origin, at(i, 'ip'), 'node-ip-family-missing', `node ${n.name} has no IPv6 address, but the cluster is ${families.join(',')}; it gets no IPv6 InternalIP`, 'list an address of each cluster family, e.g. ip: [192.168.1.11, "fd00:192:168:1::11"]', { params: { node: n.name, family: 'IPv6', families: families.join(',') } });
    }
    if (v4 === undefined) {
      // IPv6-only cluster: the IPv4 wiring the walk needs, from the default underlay, in node order.
      const under = parsePrefix(spec.underlayCIDR, true) ?? parsePrefix('192.168.1.0/24')!;
      v4 = formatIPv4(nthAddress(under, 11 + i));
    }
    return { ...n, ip: v4, ips: out };
  };
  const kept: { n: ClusterNodeIn; i: number }[] = [];
  list.forEach((n0, i) => {
    let n = n0;
    const bad = dns1123Subdomain(n.name);
    if (bad) { r.error(origin, at(i, 'name'), 'invalid-name', `Node "${n.name}" is invalid: metadata.name: Invalid value: "${n.name}": ${bad}`, 'use lower case letters, digits and "-", e.g. node-1', false, { object: `Node ${n.name}`, field: 'metadata.name', value: n.name }); return; }
    if (names.has(n.name)) { r.error(origin, at(i, 'name'), 'duplicate-name', `nodes "${n.name}" already exists`, 'give every node its own name', false, { kind: 'Node', name: n.name }); return; }
    const fam = checkNodeIps(n, i);
    if (!fam) return;
    n = fam;
    const ip = parseIPv4(n.ip)!;
    const other = ips.get(n.ip);
    if (other) { r.error(origin, at(i, 'ip'), 'duplicate-node-ip', `node ${n.name} has IP ${n.ip}, already used by node ${other}`, 'every node needs its own address on the underlay', false, { node: n.name, ip: n.ip, other }); return; }
    if (underlay && !prefixContains(underlay, ip)) r.warn(origin, at(i, 'ip'), 'node-ip-outside-underlay', `node ${n.name}'s IP ${n.ip} is outside the underlay ${spec.underlayCIDR}`, 'pick an address inside spec.underlayCIDR, or change underlayCIDR', { params: { node: n.name, ip: n.ip, underlay: spec.underlayCIDR } });
    for (const [k, v] of Object.entries(n.labels ?? {})) {
      const e = labelKey(k) ?? labelValue(v);
      if (e) r.error(origin, [...at(i, 'labels'), k], 'invalid-label', `node ${n.name}: label ${k}=${v}: ${e}`, 'label keys and values use letters, digits, "-", "_" and "."', false, { object: `Node ${n.name}`, field: 'labels', value: `${k}=${v}` });
    }
    names.add(n.name);
    ips.set(n.ip, n.name);
    kept.push({ n, i });
  });

  // Explicit podCIDRs first, then the allocator fills the rest in order.
  const taken: { p: Prefix; node: string }[] = [];
  const cidrOf = new Map<string, string>();
  for (const { n, i } of kept) {
    if (n.podCIDR === undefined) continue;
    const p = parsePrefix(n.podCIDR);
    if (!p) { r.error(origin, at(i, 'podCIDR'), 'invalid-cidr', `node ${n.name}: podCIDR "${n.podCIDR}" is not a valid CIDR (host bits must be zero)`, 'write it like 10.244.1.0/24', false, { object: `Node ${n.name}`, field: 'podCIDR', value: n.podCIDR }); continue; }
    const clash = taken.find((t) => prefixOverlaps(t.p, p));
    if (clash) { r.error(origin, at(i, 'podCIDR'), 'podcidr-overlap', `node ${n.name}: podCIDR ${n.podCIDR} overlaps node ${clash.node}'s ${formatPrefix(clash.p)}`, 'give each node a distinct subnet of the cluster podCIDR', false, { node: n.name, podCIDR: n.podCIDR, other: clash.node, otherCIDR: formatPrefix(clash.p) }); continue; }
    if (!(prefixContains(cluster, p.base) && p.len >= cluster.len)) r.warn(origin, at(i, 'podCIDR'), 'podcidr-outside-cluster', `node ${n.name}: podCIDR ${n.podCIDR} is outside the cluster CIDR ${spec.podCIDR}`, 'the CNI routes only the cluster CIDR; pick a subnet inside it', { params: { node: n.name, podCIDR: n.podCIDR, cluster: spec.podCIDR } });
    taken.push({ p, node: n.name });
    cidrOf.set(n.name, n.podCIDR);
  }
  let next = 0;
  for (const { n, i } of kept) {
    if (cidrOf.has(n.name)) continue;
    let p: Prefix | null = null;
    for (;;) {
      p = nthSubnet(cluster, Math.max(spec.nodeCIDRMaskSize, cluster.len), next++);
      if (!p) break;
      const cand = p;
      if (!taken.some((t) => prefixOverlaps(t.p, cand))) break;
    }
    if (!p) { r.error(origin, at(i), 'podcidr-exhausted', `node ${n.name}: no free /${spec.nodeCIDRMaskSize} left in the cluster CIDR ${spec.podCIDR}`, 'widen spec.podCIDR or raise nodeCIDRMaskSize', false, { node: n.name, size: spec.nodeCIDRMaskSize, cluster: spec.podCIDR }); continue; }
    taken.push({ p, node: n.name });
    cidrOf.set(n.name, formatPrefix(p));
  }

  // The IPv6 range allocator: the next /nodeCIDRMaskSizeIPv6 of the IPv6 cluster CIDR, same order.
  const cluster6 = spec.podCIDRs.map((c) => parsePrefix6(c)).find((p) => p !== null) ?? null;
  const cidr6Of = new Map<string, string>();
  if (cluster6) {
    let k = 0;
    for (const { n } of kept) {
      if (!cidrOf.has(n.name)) continue;
      const p = nthSubnet6(cluster6, Math.max(spec.nodeCIDRMaskSizeIPv6, cluster6.len), k++);
      if (p) cidr6Of.set(n.name, formatPrefix6(p));
    }
  }
  const v6First = spec.ipFamilies[0] === 'IPv6';
  const podCIDRsOf = (name: string): string[] => {
    const l = [...(spec.ipFamilies.includes('IPv4') ? [cidrOf.get(name)!] : []), ...(cidr6Of.has(name) ? [cidr6Of.get(name)!] : [])];
    return v6First ? l.reverse() : l;
  };

  return kept.filter(({ n }) => cidrOf.has(n.name)).map(({ n }, idx) => {
    const controlPlane = n.controlPlane ?? false;
    const ready = n.ready ?? true;
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': n.name, 'kubernetes.io/os': 'linux',
      ...(controlPlane ? { 'node-role.kubernetes.io/control-plane': '', 'node.kubernetes.io/exclude-from-external-load-balancers': '' } : {}),
      ...(n.labels ?? {}),
    };
    const taints: { key: string; value?: string; effect: string }[] = [];
    if (controlPlane) taints.push({ ...CONTROL_PLANE_TAINT });
    for (const t of n.taints ?? []) taints.push({ key: t.key, ...(t.value !== undefined ? { value: t.value } : {}), effect: t.effect });
    if (!ready) taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
    return {
      name: n.name, ip: n.ip, extraAddresses: n.addresses ?? [], podCIDR: cidrOf.get(n.name)!, labels, taints,
      ...(spec.ipFamilies.includes('IPv6') || n.ips.length > 1 ? { ips: n.ips, podCIDRs: podCIDRsOf(n.name) } : {}),
      controlPlane, ready, ...(n.resolvConf !== undefined ? { resolvConf: n.resolvConf } : {}), createdIndex: idx,
    };
  });
}
