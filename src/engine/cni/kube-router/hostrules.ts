/**
 * The iptables rules kube-router's routing and service-proxy controllers keep on every node
 * (the firewall's are in policy.ts). In the order they end up in the chains:
 *
 *   filter INPUT   -m set --match-set kube-router-svip dst -j KUBE-ROUTER-SERVICES   (inserted first)
 *   filter KUBE-ROUTER-SERVICES  ICMP echo/unreachable/time-exceeded accepted, VIP,proto:port in
 *                  kube-router-svip-prt accepted, anything else to a VIP that is not a local
 *                  address rejected (--ipvs-permit-all, the default)
 *   filter FORWARD -o eth0 / -o kube-bridge / -i kube-bridge -j ACCEPT  (enableForwarding, each
 *                  inserted at position 1, so the last inserted is first)
 *   nat POSTROUTING  Pod egress: from a Pod subnet to neither a Pod subnet nor a node -j MASQUERADE
 *
 * Simplified: kube-router also SNATs IPVS-masqueraded traffic to the node IP with
 * `-m ipvs --vdir ORIGINAL --vmethod MASQ ! -s PODCIDR ! -d PODCIDR`; the simulator's iptables
 * has no `ipvs` match, so that rule is not written (replies of Pod→Service flows come back
 * through the client's node either way, since Pod subnets are routed, not masqueraded).
 */
import type { ClusterModel, NodeModel } from '../../model/cluster';
import type { Ruleset } from '../../netfilter/ruleset';
import type { CniIpSet } from '../plugin';
import { KUBE_BRIDGE } from './plugin';
import { LOCAL_IPS_SET, SVIP_PORT_SET, SVIP_SET } from './proxy';

export const POD_SUBNETS_SET = 'kube-router-pod-subnets';
export const NODE_IPS_SET = 'kube-router-node-ips';
export const SERVICES_CHAIN = 'KUBE-ROUTER-SERVICES';

const c = (s: string): string => `-m comment --comment "${s}"`;

/** The routing controller's sets: every node's Pod subnet and every node's address. */
export function kubeRouterSets(model: ClusterModel): CniIpSet[] {
  return [
    { name: POD_SUBNETS_SET, type: 'hash:net', members: new Set(model.nodes.map((n) => n.podCIDR).filter((x) => x)) },
    { name: NODE_IPS_SET, type: 'hash:ip', members: new Set(model.nodes.map((n) => n.ip)) },
  ];
}

export function writeKubeRouterRules(rs: Ruleset, model: ClusterModel, _node: NodeModel, serviceProxy: boolean): void {
  if (serviceProxy) {
    rs.chain('filter', SERVICES_CHAIN);
    rs.append('filter', SERVICES_CHAIN, `${c('allow icmp echo requests')} -p icmp -m icmp --icmp-type 8 -j ACCEPT`);
    rs.append('filter', SERVICES_CHAIN, `${c('allow icmp destination unreachable messages')} -p icmp -m icmp --icmp-type 3 -j ACCEPT`);
    rs.append('filter', SERVICES_CHAIN, `${c('allow icmp time exceeded messages')} -p icmp -m icmp --icmp-type 11 -j ACCEPT`);
    rs.append('filter', SERVICES_CHAIN, `${c('allow input traffic to ipvs services')} -m set --match-set ${SVIP_PORT_SET} dst,dst -j ACCEPT`);
    rs.append('filter', SERVICES_CHAIN, `${c('reject all unexpected traffic to service IPs')} -m set ! --match-set ${LOCAL_IPS_SET} dst -j REJECT --reject-with icmp-port-unreachable`);
    rs.prepend('filter', 'INPUT', `${c('handle traffic to IPVS service IPs in custom chain')} -m set --match-set ${SVIP_SET} dst -j ${SERVICES_CHAIN}`);
  }
  rs.prepend('filter', 'FORWARD', `${c('allow outbound traffic from pods')} -i ${KUBE_BRIDGE} -j ACCEPT`);
  rs.prepend('filter', 'FORWARD', `${c('allow inbound traffic to pods')} -o ${KUBE_BRIDGE} -j ACCEPT`);
  rs.prepend('filter', 'FORWARD', `${c('allow outbound node port traffic on node interface with which node ip is associated')} -o eth0 -j ACCEPT`);
  rs.append('nat', 'POSTROUTING', `-m set --match-set ${POD_SUBNETS_SET} src -m set ! --match-set ${POD_SUBNETS_SET} dst -m set ! --match-set ${NODE_IPS_SET} dst -j MASQUERADE${model.spec.kernel.randomFully ? ' --random-fully' : ''}`);
}
