/**
 * The chains kubelet itself keeps (pkg/kubelet/kubelet_network_linux.go, since the
 * IPTablesOwnershipCleanup of 1.28): the KUBE-IPTABLES-HINT marker telling other tools which
 * iptables backend is in use, the KUBE-KUBELET-CANARY chains it watches to notice a flush,
 * and KUBE-FIREWALL's "block incoming localnet connections" rule (route_localnet's guard).
 */
import type { Ruleset } from '../../netfilter/ruleset';

export const LOCALNET_RULE = '-m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP';

export function writeKubeletRules(rs: Ruleset): void {
  rs.chain('mangle', 'KUBE-IPTABLES-HINT');
  rs.chain('mangle', 'KUBE-KUBELET-CANARY');
  rs.chain('nat', 'KUBE-KUBELET-CANARY');
  rs.chain('filter', 'KUBE-FIREWALL');
  rs.chain('filter', 'KUBE-KUBELET-CANARY');
  rs.append('filter', 'KUBE-FIREWALL', LOCALNET_RULE);
  rs.prepend('filter', 'OUTPUT', '-j KUBE-FIREWALL');
  rs.prepend('filter', 'INPUT', '-j KUBE-FIREWALL');
}

/**
 * The same for ip6tables: the hint and the canaries only. kubelet leaves KUBE-FIREWALL out of
 * the IPv6 tables, since IPv6 has no route_localnet and no localnet martians to block.
 */
export function writeKubeletRules6(rs: Ruleset): void {
  rs.chain('mangle', 'KUBE-IPTABLES-HINT');
  rs.chain('mangle', 'KUBE-KUBELET-CANARY');
  rs.chain('nat', 'KUBE-KUBELET-CANARY');
  rs.chain('filter', 'KUBE-KUBELET-CANARY');
}
