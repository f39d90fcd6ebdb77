/**
 * Every writer of a node's ip6tables rules on a cluster with an IPv6 family, merged into the one
 * ip6tables-restore input the node ends up with (the IPv6 twin of hostrules.ts), in start order:
 *
 *   kubelet (KUBE-IPTABLES-HINT and the canaries; no KUBE-FIREWALL in IPv6) →
 *   kube-proxy's IPv6 proxier (its jumps prepended, then its restore) →
 *   the network plugin's daemon (CniPlugin.writeHostRules6: flanneld's ip6tables masquerade)
 *
 * installRules loads it into the node's IPv6 tables (ns.netfilter6), which IPv6 packets traverse.
 */
import type { ClusterModel, NodeModel } from '../model/cluster';
import { cniOf } from '../cni/registry';
import { Ruleset } from '../netfilter/ruleset';
import type { WrittenRuleset } from './hostrules';
import type { ProxyConfig } from './kubeproxy/config';
import { KUBE_PROXY_CANARY_TABLES, KUBE_PROXY_JUMPS } from './kubeproxy/iptables';
import { clusterHasIPv6, kubeProxyIp6tables } from './kubeproxy/iptables6';
import { writeKubeletRules6 } from './kubelet/hostrules';

/** One `*table … COMMIT` section of a restore: its chain declarations and its rules. */
function section(restore: string, table: 'filter' | 'nat'): { chains: string[]; rules: string } {
  const start = restore.indexOf(`*${table}\n`);
  if (start < 0) return { chains: [], rules: '' };
  const end = restore.indexOf('COMMIT\n', start);
  const lines = restore.slice(start + table.length + 2, end).split('\n').filter((l) => l !== '');
  return { chains: lines.filter((l) => l.startsWith(':')), rules: lines.filter((l) => !l.startsWith(':')).map((l) => `${l}\n`).join('') };
}

/** The node's ip6tables-restore input and its writers, or null on an IPv4-only cluster. */
export function writeNodeRuleset6(model: ClusterModel, node: NodeModel, cfg: ProxyConfig): WrittenRuleset | null {
  if (!clusterHasIPv6(model)) return null;
  const rs = new Ruleset().touch('mangle').touch('filter').touch('nat');
  writeKubeletRules6(rs.as('kubelet'));
  if (cfg.mode === 'iptables') {
    rs.as('kube-proxy');
    for (const t of KUBE_PROXY_CANARY_TABLES) rs.chain(t, 'KUBE-PROXY-CANARY');
    for (const j of KUBE_PROXY_JUMPS) {
      rs.chain(j.table, j.dst);
      rs.prepend(j.table, j.src, `${j.extra ? `${j.extra} ` : ''}-m comment --comment "${j.comment}" -j ${j.dst}`);
    }
    const restore = kubeProxyIp6tables(model, node, cfg);
    for (const table of ['filter', 'nat'] as const) {
      const s = section(restore, table);
      // The top-level chains were declared by the jump setup above.
      const chains = s.chains.filter((l) => !rs.has(table, l.slice(1, l.indexOf(' ')))).map((l) => `${l}\n`).join('');
      rs.block(table, chains, s.rules);
    }
  }
  const cni = cniOf(model.spec);
  cni.writeHostRules6?.(rs.as(model.spec.network.plugin), model, node);
  return rs.written();
}
