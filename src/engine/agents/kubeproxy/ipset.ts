/**
 * kube-proxy's ipsets: the kernel's sets of addresses and ports that one iptables rule matches
 * with `-m set --match-set NAME dst,dst`. kube-proxy's IPVS mode keeps its Services in them
 * (KUBE-CLUSTER-IP holds every "clusterIP,tcp:port"), so the iptables side stays a handful of
 * rules however many Services there are. This module computes their contents; install.ts puts
 * them into the namespace's one ipset store (src/engine/netfilter/ipset.ts), which also serves
 * `ipset list` and -m set.
 */
import type { IpvsState } from '../../ipvs/ipvs';
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
}

/** Sets a writer computed, by name, before they are installed. */
export type IpSets = Map<string, IpSet>;

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
  return { name, type, members: new Set(), ...(comment ? { comment } : {}) };
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
