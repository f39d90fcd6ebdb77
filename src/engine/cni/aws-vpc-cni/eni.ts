/**
 * The VPC side of AWS VPC CNI: which ENIs a node's instance type allows, how many addresses
 * each holds, and the deterministic layout of every node's ENIs and their secondary addresses in
 * the VPC subnet (the underlay). ipamd hands Pods the secondary addresses of the primary ENI
 * (eth0) first, then of eth1, and so on; each ENI's first address is its own (eth0's is the
 * node's). Pure data from the Cluster's spec and nodes: the control plane (IPAM, max Pods) and
 * the datapath (devices, tables, rules) read the same layout.
 */
import { formatIPv4, nthAddress, parseIPv4, parsePrefix, prefixSize } from '../../addr/ip';
import type { NodeModel } from '../../model/cluster';
import type { ClusterSpec } from '../../scenario/schema/knp';

/** ENIs and IPv4 addresses per ENI, as EC2 documents them for these types (vpc_ip_resource_limit.go). */
export const INSTANCE_TYPES: Readonly<Record<string, { readonly enis: number; readonly ipsPerEni: number }>> = {
  't3.micro': { enis: 2, ipsPerEni: 2 },
  't3.small': { enis: 3, ipsPerEni: 4 },
  't3.medium': { enis: 3, ipsPerEni: 6 },
  't3.large': { enis: 3, ipsPerEni: 12 },
  'm5.large': { enis: 3, ipsPerEni: 10 },
  'm5.xlarge': { enis: 4, ipsPerEni: 15 },
  'c5.large': { enis: 3, ipsPerEni: 10 },
};
export const DEFAULT_INSTANCE_TYPE = 't3.medium';

export function instanceOf(spec: ClusterSpec): { readonly name: string; readonly enis: number; readonly ipsPerEni: number } {
  const name = spec.network.instanceType ?? DEFAULT_INSTANCE_TYPE;
  const t = INSTANCE_TYPES[name] ?? INSTANCE_TYPES[DEFAULT_INSTANCE_TYPE]!;
  return { name: INSTANCE_TYPES[name] ? name : DEFAULT_INSTANCE_TYPE, ...t };
}

/** AWS's max-pods formula: ENIs × (IPs per ENI − 1) + 2 (the +2 are the hostNetwork aws-node and kube-proxy Pods). */
export function maxPods(spec: ClusterSpec): number {
  const t = instanceOf(spec);
  return t.enis * (t.ipsPerEni - 1) + 2;
}

export interface Eni {
  /** 0 for the primary ENI. */
  readonly index: number;
  /** eth0, eth1, … */
  readonly device: string;
  /** The ENI's own (primary) address: the node's IP for eth0. */
  readonly primary: string;
  /** The secondary addresses ipamd hands to Pods. */
  readonly secondaries: readonly string[];
  /** The route table of a secondary ENI (device number + 1); the primary ENI uses main. */
  readonly table: number;
}

/** Where addresses are handed out from in the subnet: from host 100 of a /24 (lower ones are left to nodes and hosts). */
function firstHost(size: number): number {
  return size >= 256 ? 100 : 2;
}

/** Every node's ENIs (all the instance type allows), in node order, with addresses nobody else holds. */
export function eniLayout(spec: ClusterSpec, nodes: readonly NodeModel[]): Map<string, Eni[]> {
  const out = new Map<string, Eni[]>();
  const subnet = parsePrefix(spec.underlayCIDR, true);
  if (!subnet) return out;
  const size = prefixSize(subnet);
  const taken = new Set<number>();
  const gw = parseIPv4(spec.gateway ?? formatIPv4(nthAddress(subnet, 1)));
  if (gw !== null) taken.add(gw);
  for (const n of nodes) {
    for (const a of [n.ip, ...n.extraAddresses]) {
      const v = parseIPv4(a);
      if (v !== null) taken.add(v);
    }
  }
  let next = firstHost(size);
  const take = (): string | undefined => {
    while (next < size - 1 && taken.has(nthAddress(subnet, next))) next++;
    if (next >= size - 1) return undefined;
    const v = nthAddress(subnet, next++);
    taken.add(v);
    return formatIPv4(v);
  };
  const t = instanceOf(spec);
  for (const n of nodes) {
    const enis: Eni[] = [];
    for (let k = 0; k < t.enis; k++) {
      const primary = k === 0 ? n.ip : take();
      if (primary === undefined) break;
      const secondaries: string[] = [];
      for (let j = 1; j < t.ipsPerEni; j++) {
        const a = take();
        if (a !== undefined) secondaries.push(a);
      }
      enis.push({ index: k, device: `eth${k}`, primary, secondaries, table: k === 0 ? 254 : k + 1 });
    }
    out.set(n.name, enis);
  }
  return out;
}

/** The ENI holding a Pod address, if any. */
export function eniOf(enis: readonly Eni[], ip: string): Eni | undefined {
  return enis.find((e) => e.secondaries.includes(ip));
}
