/**
 * The iptables rules kube-proxy still writes in IPVS mode (pkg/proxy/ipvs writeIptablesRules):
 * IPVS does the load balancing, iptables only marks for masquerade, using ipsets so the rule
 * count does not grow with the number of Services. kube-proxy hands iptables-restore the nat
 * table first, then filter.
 */
import type { ProxyConfig } from './config';
import { KUBE_IPSETS, type IpSets } from './ipset';

const COMMENT = new Map(KUBE_IPSETS.map((s) => [s.name, `"${s.comment}"`]));

/** ipsetWithIptablesChain: set → (table, from chain, target, match type, protocol). */
const SET_RULES: readonly { set: string; table: 'nat' | 'filter'; from: string; to: string; match: string; proto: string }[] = [
  { set: 'KUBE-LOOP-BACK', table: 'nat', from: 'KUBE-POSTROUTING', to: 'MASQUERADE', match: 'dst,dst,src', proto: '' },
  { set: 'KUBE-LOAD-BALANCER', table: 'nat', from: 'KUBE-SERVICES', to: 'KUBE-LOAD-BALANCER', match: 'dst,dst', proto: '' },
  { set: 'KUBE-LOAD-BALANCER-LOCAL', table: 'nat', from: 'KUBE-LOAD-BALANCER', to: 'RETURN', match: 'dst,dst', proto: '' },
  { set: 'KUBE-NODE-PORT-LOCAL-TCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', proto: 'tcp' },
  { set: 'KUBE-NODE-PORT-TCP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', proto: 'tcp' },
  { set: 'KUBE-NODE-PORT-LOCAL-UDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst', proto: 'udp' },
  { set: 'KUBE-NODE-PORT-UDP', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst', proto: 'udp' },
  { set: 'KUBE-NODE-PORT-LOCAL-SCTP-HASH', table: 'nat', from: 'KUBE-NODE-PORT', to: 'RETURN', match: 'dst,dst', proto: 'sctp' },
  { set: 'KUBE-NODE-PORT-SCTP-HASH', table: 'nat', from: 'KUBE-NODE-PORT', to: 'KUBE-MARK-MASQ', match: 'dst,dst', proto: 'sctp' },
  { set: 'KUBE-LOAD-BALANCER-FW', table: 'filter', from: 'KUBE-PROXY-FIREWALL', to: 'KUBE-SOURCE-RANGES-FIREWALL', match: 'dst,dst', proto: '' },
  { set: 'KUBE-LOAD-BALANCER-SOURCE-CIDR', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src', proto: '' },
  { set: 'KUBE-LOAD-BALANCER-SOURCE-IP', table: 'filter', from: 'KUBE-SOURCE-RANGES-FIREWALL', to: 'RETURN', match: 'dst,dst,src', proto: '' },
];

/** iptablesJumpChain of the IPVS proxier, in its order (each prepended to the built-in chain). */
export const IPVS_JUMPS: readonly { table: 'nat' | 'filter'; from: string; to: string; comment: string }[] = [
  { table: 'nat', from: 'OUTPUT', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', from: 'PREROUTING', to: 'KUBE-SERVICES', comment: 'kubernetes service portals' },
  { table: 'nat', from: 'POSTROUTING', to: 'KUBE-POSTROUTING', comment: 'kubernetes postrouting rules' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-FORWARD', comment: 'kubernetes forwarding rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-NODE-PORT', comment: 'kubernetes health check rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'FORWARD', to: 'KUBE-PROXY-FIREWALL', comment: 'kube-proxy firewall rules' },
  { table: 'filter', from: 'INPUT', to: 'KUBE-IPVS-FILTER', comment: 'kubernetes ipvs access filter' },
  { table: 'filter', from: 'OUTPUT', to: 'KUBE-IPVS-OUT-FILTER', comment: 'kubernetes ipvs access filter' },
];

export interface IpvsRestore {
  readonly natChains: string;
  readonly natRules: string;
  readonly filterChains: string;
  readonly filterRules: string;
}

export function buildIpvsIptables(cfg: ProxyConfig, sets: IpSets): IpvsRestore {
  const empty = (name: string): boolean => (sets.get(name)?.members.size ?? 0) === 0;
  const mark = cfg.masqueradeMark;
  const nat: string[] = [];
  const filter: string[] = [];
  const natChains = ['KUBE-SERVICES', 'KUBE-POSTROUTING', 'KUBE-NODE-PORT', 'KUBE-LOAD-BALANCER', 'KUBE-MARK-MASQ'].map((c) => `:${c} - [0:0]\n`).join('');
  const filterChains = ['KUBE-FORWARD', 'KUBE-NODE-PORT', 'KUBE-PROXY-FIREWALL', 'KUBE-SOURCE-RANGES-FIREWALL', 'KUBE-IPVS-FILTER', 'KUBE-IPVS-OUT-FILTER'].map((c) => `:${c} - [0:0]\n`).join('');

  // Dismiss connects to localhost early in the service chain.
  nat.push('-A KUBE-SERVICES -s 127.0.0.0/8 -j RETURN');
  for (const r of SET_RULES) {
    if (empty(r.set)) continue;
    const line = `-A ${r.from}${r.proto ? ` -p ${r.proto}` : ''} -m comment --comment ${COMMENT.get(r.set)} -m set --match-set ${r.set} ${r.match} -j ${r.to}`;
    (r.table === 'nat' ? nat : filter).push(line);
  }
  if (!empty('KUBE-CLUSTER-IP')) {
    const head = `-A KUBE-SERVICES -m comment --comment ${COMMENT.get('KUBE-CLUSTER-IP')} -m set --match-set KUBE-CLUSTER-IP`;
    if (cfg.masqueradeAll) nat.push(`${head} dst,dst -j KUBE-MARK-MASQ`);
    else if (cfg.clusterCIDR) nat.push(`${head} dst,dst ! -s ${cfg.clusterCIDR} -j KUBE-MARK-MASQ`);
    else nat.push(`${head} src,dst -j KUBE-MARK-MASQ`);
  }
  const externalIPRules = (head: string): void => {
    nat.push(`${head} -m physdev ! --physdev-is-in -m addrtype ! --src-type LOCAL -j ACCEPT`);
    nat.push(`${head} -m addrtype --dst-type LOCAL -j ACCEPT`);
  };
  if (!empty('KUBE-EXTERNAL-IP')) {
    const head = `-A KUBE-SERVICES -m comment --comment ${COMMENT.get('KUBE-EXTERNAL-IP')} -m set --match-set KUBE-EXTERNAL-IP dst,dst`;
    nat.push(`${head} -j KUBE-MARK-MASQ`);
    externalIPRules(head);
  }
  if (!empty('KUBE-EXTERNAL-IP-LOCAL')) externalIPRules(`-A KUBE-SERVICES -m comment --comment ${COMMENT.get('KUBE-EXTERNAL-IP-LOCAL')} -m set --match-set KUBE-EXTERNAL-IP-LOCAL dst,dst`);
  nat.push('-A KUBE-SERVICES -m addrtype --dst-type LOCAL -j KUBE-NODE-PORT');
  nat.push('-A KUBE-LOAD-BALANCER -j KUBE-MARK-MASQ');
  filter.push('-A KUBE-SOURCE-RANGES-FIREWALL -j DROP');
  // acceptIPVSTraffic: must stay at the end of KUBE-SERVICES.
  if (!empty('KUBE-CLUSTER-IP')) nat.push('-A KUBE-SERVICES -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT');
  if (!empty('KUBE-LOAD-BALANCER')) nat.push('-A KUBE-SERVICES -m set --match-set KUBE-LOAD-BALANCER dst,dst -j ACCEPT');
  filter.push(`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT`);
  filter.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
  filter.push(`-A KUBE-NODE-PORT -m comment --comment ${COMMENT.get('KUBE-HEALTH-CHECK-NODE-PORT')} -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j ACCEPT`);
  for (const s of ['KUBE-LOAD-BALANCER', 'KUBE-CLUSTER-IP', 'KUBE-EXTERNAL-IP', 'KUBE-EXTERNAL-IP-LOCAL']) filter.push(`-A KUBE-IPVS-FILTER -m set --match-set ${s} dst,dst -j RETURN`);
  filter.push('-A KUBE-IPVS-FILTER -m set --match-set KUBE-HEALTH-CHECK-NODE-PORT dst -j RETURN');
  filter.push('-A KUBE-IPVS-FILTER -m conntrack --ctstate NEW -m set --match-set KUBE-IPVS-IPS dst -j REJECT');
  nat.push(`-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN`);
  nat.push(`-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}`);
  nat.push(`-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${cfg.randomFully ? ' --random-fully' : ''}`);
  nat.push(`-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}`);
  return { natChains, natRules: `${nat.join('\n')}\n`, filterChains, filterRules: `${filter.join('\n')}\n` };
}

/** The text kube-proxy (IPVS mode) pipes to iptables-restore: nat first, then filter. */
export function ipvsRestoreText(r: IpvsRestore): string {
  return `*nat\n${r.natChains}${r.natRules}COMMIT\n*filter\n${r.filterChains}${r.filterRules}COMMIT\n`;
}
