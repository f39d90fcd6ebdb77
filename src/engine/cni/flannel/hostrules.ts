/**
 * flanneld's own rules (pkg/trafficmngr/iptables in current flannel): FLANNEL-POSTRTG
 * masquerades Pod traffic leaving the cluster network and traffic from the host into it,
 * but never what kube-proxy already marked (0x4000/0x4000, hard-coded in flannel); FLANNEL-FWD
 * accepts forwarding to and from the cluster network even when the FORWARD policy is DROP.
 *
 *   Pod 10.244.1.5 ─► 8.8.8.8:   -s 10.244.0.0/16 ! -d 224.0.0.0/4 -j MASQUERADE  (node IP as source)
 *   Pod ─► Pod on another node:  -s 10.244.1.0/24 -d 10.244.0.0/16 -j RETURN      (no NAT)
 */
import type { Ruleset } from '../../netfilter/ruleset';

const MASQ = '-m comment --comment "flanneld masq"';
const FWD = '-m comment --comment "flanneld forward"';

/** `multicast` is the range never masqueraded: 224.0.0.0/4, or ff00::/8 in flanneld's ip6tables rules (MasqIP6Rules). */
export function writeFlannelRules(rs: Ruleset, clusterCIDR: string, podCIDR: string, randomFully = true, multicast = '224.0.0.0/4'): void {
  const rf = randomFully ? ' --random-fully' : '';
  rs.chain('nat', 'FLANNEL-POSTRTG');
  rs.append('nat', 'POSTROUTING', `${MASQ} -j FLANNEL-POSTRTG`);
  rs.append('nat', 'FLANNEL-POSTRTG', `-m mark --mark 0x4000/0x4000 ${MASQ} -j RETURN`);
  rs.append('nat', 'FLANNEL-POSTRTG', `-s ${podCIDR} -d ${clusterCIDR} ${MASQ} -j RETURN`);
  rs.append('nat', 'FLANNEL-POSTRTG', `-s ${clusterCIDR} -d ${podCIDR} ${MASQ} -j RETURN`);
  rs.append('nat', 'FLANNEL-POSTRTG', `! -s ${clusterCIDR} -d ${podCIDR} ${MASQ} -j RETURN`);
  rs.append('nat', 'FLANNEL-POSTRTG', `-s ${clusterCIDR} ! -d ${multicast} ${MASQ} -j MASQUERADE${rf}`);
  rs.append('nat', 'FLANNEL-POSTRTG', `! -s ${clusterCIDR} -d ${clusterCIDR} ${MASQ} -j MASQUERADE${rf}`);
  rs.chain('filter', 'FLANNEL-FWD');
  rs.append('filter', 'FORWARD', `${FWD} -j FLANNEL-FWD`);
  rs.append('filter', 'FLANNEL-FWD', `-s ${clusterCIDR} ${FWD} -j ACCEPT`);
  rs.append('filter', 'FLANNEL-FWD', `-d ${clusterCIDR} ${FWD} -j ACCEPT`);
}
