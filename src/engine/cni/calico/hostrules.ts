/**
 * Calico Felix's NAT rules for natOutgoing IP pools. Felix tags every rule with a hash of its
 * chain and content ("cali:flqWnvo8yq4ULQLa"); the values below are the ones Felix writes for
 * these exact rules (they are the same on every cluster). Pod → outside is masqueraded when
 * the source is in a natOutgoing pool (ipset cali40masq-ipam-pools) and the destination is in
 * no pool at all (cali40all-ipam-pools).
 */
import type { Ruleset } from '../../netfilter/ruleset';

export const CALICO_MASQ_SET = 'cali40masq-ipam-pools';
export const CALICO_ALL_POOLS_SET = 'cali40all-ipam-pools';

export function writeCalicoNatRules(rs: Ruleset, tunnelDev: string | null, randomFully = true): void {
  const rf = randomFully ? ' --random-fully' : '';
  for (const c of ['cali-OUTPUT', 'cali-POSTROUTING', 'cali-PREROUTING', 'cali-fip-dnat', 'cali-fip-snat', 'cali-nat-outgoing']) rs.chain('nat', c);
  rs.prepend('nat', 'PREROUTING', '-m comment --comment "cali:6gwbT8clXdHdC1b1" -j cali-PREROUTING');
  rs.prepend('nat', 'OUTPUT', '-m comment --comment "cali:tVnHkvAo15HuiPy0" -j cali-OUTPUT');
  rs.prepend('nat', 'POSTROUTING', '-m comment --comment "cali:O3lYWMrLQYEMJtB5" -j cali-POSTROUTING');
  rs.append('nat', 'cali-OUTPUT', '-m comment --comment "cali:GBTAv2p5CwevEyJm" -j cali-fip-dnat');
  rs.append('nat', 'cali-POSTROUTING', '-m comment --comment "cali:Z-c7XtVd2Bq7s_hA" -j cali-fip-snat');
  rs.append('nat', 'cali-POSTROUTING', '-m comment --comment "cali:nYKhEzDlr11Jccal" -j cali-nat-outgoing');
  if (tunnelDev) rs.append('nat', 'cali-POSTROUTING', `-o ${tunnelDev} -m comment --comment "cali:e9dnSgSVNmIcpVhP" -m addrtype ! --src-type LOCAL --limit-iface-out -m addrtype --src-type LOCAL -j MASQUERADE${rf}`);
  rs.append('nat', 'cali-PREROUTING', '-m comment --comment "cali:r6XmIziWUJsdOK6Z" -j cali-fip-dnat');
  rs.append('nat', 'cali-nat-outgoing', `-m comment --comment "cali:flqWnvo8yq4ULQLa" -m set --match-set ${CALICO_MASQ_SET} src -m set ! --match-set ${CALICO_ALL_POOLS_SET} dst -j MASQUERADE${rf}`);
}
