/**
 * The iptables rules the Cilium agent still writes beside its BPF programs (pkg/datapath/iptables,
 * with enable-bpf-masquerade off): CILIUM_POST_nat masquerades Pod traffic that leaves the
 * cluster network, CILIUM_FORWARD accepts what is forwarded to and from the Cilium devices.
 *
 *   Pod 10.244.1.5 ─► 8.8.8.8:   -s 10.244.1.0/24 ! -d 10.244.0.0/16 -m set ! --match-set cilium_node_set_v4 dst
 *                                ! -o cilium_+ -j MASQUERADE
 */
import type { Ruleset } from '../../netfilter/ruleset';

/** The node addresses the agent keeps in an ipset so Pod traffic to a node is never masqueraded. */
export const CILIUM_NODE_SET = 'cilium_node_set_v4';

export function writeCiliumRules(rs: Ruleset, clusterCIDR: string, podCIDR: string): void {
  rs.chain('nat', 'CILIUM_POST_nat');
  rs.append('nat', 'POSTROUTING', '-m comment --comment "cilium-feeder: CILIUM_POST_nat" -j CILIUM_POST_nat');
  rs.append('nat', 'CILIUM_POST_nat', `-s ${podCIDR} ! -d ${clusterCIDR} -m set ! --match-set ${CILIUM_NODE_SET} dst ! -o cilium_+ -m comment --comment "cilium masquerade non-cluster" -j MASQUERADE`);
  rs.chain('filter', 'CILIUM_FORWARD');
  rs.append('filter', 'FORWARD', '-m comment --comment "cilium-feeder: CILIUM_FORWARD" -j CILIUM_FORWARD');
  rs.append('filter', 'CILIUM_FORWARD', '-o cilium_host -m comment --comment "cilium: any->cluster on cilium_host forward accept" -j ACCEPT');
  rs.append('filter', 'CILIUM_FORWARD', '-i cilium_host -m comment --comment "cilium: cluster->any on cilium_host forward accept (nodeport)" -j ACCEPT');
  rs.append('filter', 'CILIUM_FORWARD', '-i lxc+ -m comment --comment "cilium: cluster->any on lxc+ forward accept" -j ACCEPT');
  rs.append('filter', 'CILIUM_FORWARD', '-i cilium_net -m comment --comment "cilium: cluster->any on cilium_net forward accept (nodeport)" -j ACCEPT');
}
