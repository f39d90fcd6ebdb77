/**
 * The rules ipamd writes on every node (networkutils in amazon-vpc-cni-k8s, v1.18):
 *
 *   nat POSTROUTING → AWS-SNAT-CHAIN-0: traffic to the VPC CIDR keeps its Pod address; anything
 *     else leaving by an interface other than vlan+ and not for a local address is SNATed to the
 *     node's primary address (AWS_VPC_K8S_CNI_EXTERNALSNAT=false, the default).
 *   nat PREROUTING → AWS-CONNMARK-CHAIN-0 for connections from Pods (-i eni+) to outside the VPC:
 *     CONNMARK 0x80; then every first packet restores the connection's mark into the packet, so
 *     the rule `1024: fwmark 0x80/0x80 lookup main` sends it out of the primary ENI (where the
 *     SNAT address lives) even from a Pod whose own rule names a secondary ENI's table.
 *   mangle PREROUTING: connections that come in on eth0 to a node address are marked, and Pods'
 *     replies restore that mark, so they too leave by the primary ENI.
 */
import type { Ruleset } from '../../netfilter/ruleset';
import { AWS_CONNMARK } from './plugin';

const hex = (n: number): string => `0x${n.toString(16)}`;

export function writeAwsRules(rs: Ruleset, vpcCIDR: string, nodeIp: string, randomFully = true): void {
  const m = hex(AWS_CONNMARK);
  const rf = randomFully ? ' --random-fully' : '';
  rs.chain('nat', 'AWS-SNAT-CHAIN-0');
  rs.append('nat', 'POSTROUTING', '-m comment --comment "AWS SNAT CHAIN" -j AWS-SNAT-CHAIN-0');
  rs.append('nat', 'AWS-SNAT-CHAIN-0', `-d ${vpcCIDR} -m comment --comment "AWS SNAT CHAIN" -j RETURN`);
  rs.append('nat', 'AWS-SNAT-CHAIN-0', `! -o vlan+ -m comment --comment "AWS, SNAT" -m addrtype ! --dst-type LOCAL -j SNAT --to-source ${nodeIp}${rf}`);
  rs.chain('nat', 'AWS-CONNMARK-CHAIN-0');
  rs.append('nat', 'PREROUTING', '-i eni+ -m comment --comment "AWS, outbound connections" -j AWS-CONNMARK-CHAIN-0');
  rs.append('nat', 'PREROUTING', `-m comment --comment "AWS, CONNMARK" -j CONNMARK --restore-mark --nfmask ${m} --ctmask ${m}`);
  rs.append('nat', 'AWS-CONNMARK-CHAIN-0', `-d ${vpcCIDR} -m comment --comment "AWS CONNMARK CHAIN, VPC CIDR" -j RETURN`);
  rs.append('nat', 'AWS-CONNMARK-CHAIN-0', `-m comment --comment "AWS, CONNMARK" -j CONNMARK --set-xmark ${m}/${m}`);
  rs.append('mangle', 'PREROUTING', `-i eth0 -m comment --comment "AWS, primary ENI" -m addrtype --dst-type LOCAL --limit-iface-in -j CONNMARK --set-xmark ${m}/${m}`);
  rs.append('mangle', 'PREROUTING', `-i eni+ -m comment --comment "AWS, primary ENI" -j CONNMARK --restore-mark --nfmask ${m} --ctmask ${m}`);
}
