/**
 * Every writer of iptables rules on a machine, merged into the one ruleset the machine ends up
 * with, in the order the writers start on a real node:
 *
 *   kubelet (KUBE-FIREWALL, canaries) → kube-proxy (jumps prepended, then its restore) →
 *   the network plugin's daemon (flannel / calico masquerade) → CNI portmap (per hostPort Pod)
 *
 * and, for a plain Host running Docker, dockerd's chains. The result is iptables-restore input
 * for the netfilter engine; `iptables-save` on the node then prints what a real node prints.
 */
import type { ClusterModel, NodeModel } from '../model/cluster';
import { proxyConfig, type ProxyConfig } from './kubeproxy/config';
import { buildKubeProxyPieces, KubeProxyCache, KUBE_PROXY_CANARY_TABLES, KUBE_PROXY_JUMPS } from './kubeproxy/iptables';
import { buildIpvsIptables, IPVS_JUMPS } from './kubeproxy/ipvsrules';
import { buildKubeIpsets } from './kubeproxy/ipset';
import { buildIpvsState } from './kubeproxy/ipvsstate';
import { allServicePorts } from './kubeproxy/serviceports';
import { buildUserspaceState, userspaceRules } from './kubeproxy/userspace';
import { dockerContainers, writeDockerRules } from './docker/hostrules';
import { LOCALNET_RULE, writeKubeletRules } from './kubelet/hostrules';
import { writePortmapRules } from '../cni/portmap/hostrules';
import { cniOf } from '../cni/registry';
import { Ruleset, type WrittenRuleset } from '../netfilter/ruleset';

export type { WrittenRuleset } from '../netfilter/ruleset';

export interface NodeRulesetOptions {
  readonly cfg?: ProxyConfig;
  /** Reused between calls so only changed Services are regenerated (iptables mode). */
  readonly cache?: KubeProxyCache;
  /** The seed, for userspace mode's proxy ports. */
  readonly seed?: number;
  /** The node's local addresses (IPVS NodePorts); default: its IP and extra addresses. */
  readonly nodeAddresses?: readonly string[];
}

/** kube-proxy's part, written into the ruleset. */
function writeKubeProxy(rs: Ruleset, model: ClusterModel, node: NodeModel, cfg: ProxyConfig, opts: NodeRulesetOptions): void {
  switch (cfg.mode) {
    case 'none':
    case 'nftables': // its rules live in nf_tables' `ip kube-proxy` table (kubeproxy/nftables.ts), not in iptables
      return;
    case 'iptables': {
      for (const t of KUBE_PROXY_CANARY_TABLES) rs.chain(t, 'KUBE-PROXY-CANARY');
      // EnsureChain + EnsureRule(Prepend) in kube-proxy's list order: kubelet's earlier
      // prepends end up after kube-proxy's jumps, as on a real node.
      for (const j of KUBE_PROXY_JUMPS) {
        rs.chain(j.table, j.dst);
        rs.prepend(j.table, j.src, `${j.extra ? `${j.extra} ` : ''}-m comment --comment "${j.comment}" -j ${j.dst}`);
      }
      const r = buildKubeProxyPieces(model, node, { cfg, ...(opts.cache ? { cache: opts.cache } : {}) });
      // kubelet already owns KUBE-FIREWALL with the identical rule; kube-proxy's copy rewrites it.
      const hadFirewall = rs.has('filter', 'KUBE-FIREWALL');
      const fchains = hadFirewall ? r.filterChains.replace(':KUBE-FIREWALL - [0:0]\n', '') : r.filterChains;
      const frules = hadFirewall ? withoutLine(r.filterRules, `-A KUBE-FIREWALL ${LOCALNET_RULE}\n`) : r.filterRules;
      rs.block('filter', stripDeclared(rs, 'filter', fchains), frules);
      // Only kube-proxy's first chain lines can be declared already (stripDeclared): its first piece.
      const [natHead = '', ...natChains] = r.natChains;
      rs.block('nat', [stripDeclared(rs, 'nat', natHead), ...natChains], r.natRules);
      return;
    }
    case 'ipvs': {
      const ports = allServicePorts(model);
      const state = buildIpvsState(model, node, { cfg, ports, ...(opts.nodeAddresses ? { nodeAddresses: opts.nodeAddresses } : {}) });
      const sets = buildKubeIpsets(ports, node.name, state);
      const r = buildIpvsIptables(cfg, sets);
      for (const j of IPVS_JUMPS) rs.chain(j.table, j.to);
      for (const j of IPVS_JUMPS) rs.prepend(j.table, j.from, `-m comment --comment "${j.comment}" -j ${j.to}`);
      rs.block('nat', stripDeclared(rs, 'nat', r.natChains), r.natRules);
      rs.block('filter', stripDeclared(rs, 'filter', r.filterChains), r.filterRules);
      return;
    }
    case 'userspace': {
      const state = buildUserspaceState(model, node, opts.seed ?? 1);
      const rules = userspaceRules(state, node);
      for (const c of ['KUBE-PORTALS-CONTAINER', 'KUBE-PORTALS-HOST', 'KUBE-NODEPORT-CONTAINER', 'KUBE-NODEPORT-HOST']) rs.chain('nat', c);
      rs.chain('filter', 'KUBE-NODEPORT-NON-LOCAL');
      for (const r of rules.nat) rs.append('nat', r.chain, r.args);
      for (const r of rules.filter) rs.append('filter', r.chain, r.args);
      return;
    }
  }
}

/** The pieces with the first occurrence of `line` taken out (kube-proxy's first piece, where it writes it). */
function withoutLine(pieces: readonly string[], line: string): readonly string[] {
  const i = pieces.findIndex((p) => p.includes(line));
  if (i < 0) return pieces;
  const out = pieces.slice();
  out[i] = pieces[i]!.replace(line, '');
  return out;
}

/**
 * The block's chain lines minus those the ruleset already declares (created by the jump setup).
 * Only kube-proxy's top-level chains can be declared already, and it writes those first, so
 * only the leading lines are checked: the per-service chains after them pass through untouched.
 */
function stripDeclared(rs: Ruleset, table: 'nat' | 'filter', chains: string): string {
  let out = '';
  let pos = 0;
  for (let n = 0; n < 12 && pos < chains.length; n++) {
    const end = chains.indexOf('\n', pos);
    const line = chains.slice(pos, end < 0 ? chains.length : end + 1);
    const name = line.slice(1, line.indexOf(' '));
    if (!name.startsWith('KUBE-') || /^KUBE-(SVC|SVL|EXT|FW|SEP)-/.test(name)) break;
    if (!rs.has(table, name)) out += line;
    pos += line.length;
  }
  return out + chains.slice(pos);
}

/** The full iptables-restore text of a cluster node. */
export function buildNodeRuleset(model: ClusterModel, node: NodeModel, opts: NodeRulesetOptions = {}): string {
  return writeNodeRuleset(model, node, opts).text;
}

/** buildNodeRuleset with each line's writer. */
export function writeNodeRuleset(model: ClusterModel, node: NodeModel, opts: NodeRulesetOptions = {}): WrittenRuleset {
  const cfg = opts.cfg ?? proxyConfig(model);
  const rs = new Ruleset().touch('mangle').touch('filter').touch('nat');
  writeKubeletRules(rs.as('kubelet'));
  writeKubeProxy(rs.as('kube-proxy'), model, node, cfg, opts);
  const cni = cniOf(model.spec);
  cni.writeHostRules(rs.as(model.spec.network.plugin), model, node);
  writePortmapRules(rs.as('portmap'), model.pods.filter((p) => p.nodeName === node.name), cni.conflistName, node.podCIDR);
  return rs.written();
}

/**
 * The iptables-restore text of a plain Host: dockerd's chains when it runs Docker, otherwise
 * empty tables. `containerIP` may give the address the network layer assigned a container.
 */
export function buildHostRuleset(model: ClusterModel, hostName: string, opts: { containerIP?: (name: string) => string | undefined } = {}): string {
  return writeHostRuleset(model, hostName, opts).text;
}

/** buildHostRuleset with each line's writer. */
export function writeHostRuleset(model: ClusterModel, hostName: string, opts: { containerIP?: (name: string) => string | undefined } = {}): WrittenRuleset {
  const host = model.hosts.find((h) => h.meta.name === hostName);
  const rs = new Ruleset().touch('filter').touch('nat').as('dockerd');
  if (host?.spec.docker) {
    const bridgeCIDR = host.spec.docker.bridgeCIDR;
    writeDockerRules(rs, bridgeCIDR, dockerContainers(model.containers, hostName, bridgeCIDR, opts.containerIP));
  }
  return rs.written();
}
