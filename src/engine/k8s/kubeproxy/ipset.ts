/**
 * ipsets: the kernel's sets of addresses and ports that one iptables rule matches with
 * `-m set --match-set NAME dst,dst`. kube-proxy's IPVS mode keeps its Services in them
 * (KUBE-CLUSTER-IP holds every "clusterIP,tcp:port"), so the iptables side stays a handful of
 * rules however many Services there are. Calico keeps its IP pools in them.
 */
import type { NetNs } from '../../net/types';
import type { IpvsState } from './ipvs';
import type { ServicePortInfo } from './serviceports';
import { proto } from './names';

export type IpSetType = 'hash:ip' | 'hash:ip,port' | 'hash:ip,port,ip' | 'hash:ip,port,net' | 'hash:net' | 'bitmap:port';

export interface IpSet {
  readonly name: string;
  readonly type: IpSetType;
  /** kube-proxy's description of the set, used in the comments of the rules that match it. */
  readonly comment?: string;
  /** Members as `ipset list` prints them ("10.96.0.1,tcp:443"). */
  readonly members: Set<string>;
  /** How many iptables rules use the set (`ipset list`'s References); set when rules are loaded. */
  references: number;
}

/** The ipsets of one namespace (`ns.ipsets`), by name. */
export type IpSets = Map<string, IpSet>;

const REVISION: Record<IpSetType, number> = {
  'hash:ip': 6, 'hash:ip,port': 7, 'hash:ip,port,ip': 7, 'hash:ip,port,net': 9, 'hash:net': 7, 'bitmap:port': 3,
};

/** kube-proxy's sets in IPVS mode (pkg/proxy/ipvs ipsetInfo), in its order. */
export const KUBE_IPSETS: readonly { name: string; type: IpSetType; comment: string }[] = [
  { name: 'KUBE-LOOP-BACK', type: 'hash:ip,port,ip', comment: 'Kubernetes endpoints dst ip:port, source ip for solving hairpin purpose' },
  { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', comment: 'Kubernetes service cluster ip + port for masquerade purpose' },
  { name: 'KUBE-EXTERNAL-IP', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port for masquerade and filter purpose' },
  { name: 'KUBE-EXTERNAL-IP-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service external ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER', type: 'hash:ip,port', comment: 'Kubernetes service lb portal' },
  { name: 'KUBE-LOAD-BALANCER-FW', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port for load balancer with sourceRange' },
  { name: 'KUBE-LOAD-BALANCER-LOCAL', type: 'hash:ip,port', comment: 'Kubernetes service load balancer ip + port with externalTrafficPolicy=local' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-IP', type: 'hash:ip,port,ip', comment: 'Kubernetes service load balancer ip + port + source IP for packet filter purpose' },
  { name: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', type: 'hash:ip,port,net', comment: 'Kubernetes service load balancer ip + port + source cidr for packet filter purpose' },
  { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-TCP', type: 'bitmap:port', comment: 'Kubernetes nodeport TCP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port for masquerade purpose' },
  { name: 'KUBE-NODE-PORT-LOCAL-UDP', type: 'bitmap:port', comment: 'Kubernetes nodeport UDP port with externalTrafficPolicy=local' },
  { name: 'KUBE-NODE-PORT-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port for masquerade purpose with type 'hash ip:port'" },
  { name: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', type: 'hash:ip,port', comment: "Kubernetes nodeport SCTP port with externalTrafficPolicy=local with type 'hash ip:port'" },
  { name: 'KUBE-HEALTH-CHECK-NODE-PORT', type: 'bitmap:port', comment: 'Kubernetes health check node port' },
  { name: 'KUBE-IPVS-IPS', type: 'hash:ip', comment: 'Addresses on the ipvs interface' },
];

export function emptySet(name: string, type: IpSetType, comment?: string): IpSet {
  return { name, type, members: new Set(), references: 0, ...(comment ? { comment } : {}) };
}

/** The sets kube-proxy fills on `nodeName` in IPVS mode. */
export function buildKubeIpsets(ports: readonly ServicePortInfo[], nodeName: string, ipvs: IpvsState): IpSets {
  const sets: IpSets = new Map(KUBE_IPSETS.map((s) => [s.name, emptySet(s.name, s.type, s.comment)]));
  const add = (name: string, member: string): void => { sets.get(name)!.members.add(member); };
  for (const s of ports) {
    const p = proto(s.protocol);
    for (const e of s.endpoints) if (e.nodeName === nodeName) add('KUBE-LOOP-BACK', `${e.ip},${p}:${e.port},${e.ip}`);
    add('KUBE-CLUSTER-IP', `${s.clusterIP},${p}:${s.port.port}`);
    for (const ip of s.externalIPs) add(s.externalPolicyLocal ? 'KUBE-EXTERNAL-IP-LOCAL' : 'KUBE-EXTERNAL-IP', `${ip},${p}:${s.port.port}`);
    for (const ip of s.loadBalancerVIPs) {
      add('KUBE-LOAD-BALANCER', `${ip},${p}:${s.port.port}`);
      if (s.externalPolicyLocal) add('KUBE-LOAD-BALANCER-LOCAL', `${ip},${p}:${s.port.port}`);
      if (s.loadBalancerSourceRanges.length > 0) {
        add('KUBE-LOAD-BALANCER-FW', `${ip},${p}:${s.port.port}`);
        for (const cidr of s.loadBalancerSourceRanges) add('KUBE-LOAD-BALANCER-SOURCE-CIDR', `${ip},${p}:${s.port.port},${cidr}`);
      }
    }
    if (s.nodePort !== 0) {
      const setName = s.protocol === 'UDP' ? 'KUBE-NODE-PORT-UDP' : s.protocol === 'SCTP' ? 'KUBE-NODE-PORT-SCTP-HASH' : 'KUBE-NODE-PORT-TCP';
      add(setName, String(s.nodePort));
      if (s.externalPolicyLocal) add(setName.replace('KUBE-NODE-PORT-', 'KUBE-NODE-PORT-LOCAL-'), String(s.nodePort));
    }
    if (s.healthCheckNodePort) add('KUBE-HEALTH-CHECK-NODE-PORT', String(s.healthCheckNodePort));
  }
  for (const ip of ipvs.boundAddresses) add('KUBE-IPVS-IPS', ip);
  return sets;
}

/** Sorts members the way we print them: addresses numerically, then the rest as text. */
function sortMembers(members: Iterable<string>): string[] {
  const key = (m: string): string => m.replace(/\d+/g, (d) => d.padStart(5, '0'));
  return [...members].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** An approximation of the kernel's "Size in memory" (it depends on the set's internals). */
function sizeInMemory(s: IpSet): number {
  if (s.type === 'bitmap:port') return 8264;
  return 392 + 40 * s.members.size;
}

/**
 * `ipset list [NAME]` output (ipset 7.x). Members print in a stable sorted order (the kernel's
 * is hash order).
 */
export function formatIpsetList(sets: readonly IpSet[]): string {
  const out: string[] = [];
  for (const s of sets) {
    const header = s.type === 'bitmap:port' ? 'range 0-65535' : 'family inet hashsize 1024 maxelem 65536';
    out.push(
      `Name: ${s.name}`,
      `Type: ${s.type}`,
      `Revision: ${REVISION[s.type]}`,
      `Header: ${header}`,
      `Size in memory: ${sizeInMemory(s)}`,
      `References: ${s.references}`,
      `Number of entries: ${s.members.size}`,
      'Members:',
      ...sortMembers(s.members),
    );
    out.push('');
  }
  return `${out.join('\n').replace(/\n$/, '')}\n`;
}

export function nsIpsets(ns: NetNs): IpSets | undefined {
  return ns.ipsets as IpSets | undefined;
}
