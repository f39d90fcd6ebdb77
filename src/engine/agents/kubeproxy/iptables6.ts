/**
 * kube-proxy, iptables mode, IPv6: the second restore a dual-stack (or IPv6-only) node's
 * kube-proxy pipes to `ip6tables-restore`. Upstream runs one iptables proxier per family behind
 * a MetaProxier; the IPv6 one writes the same chains (KUBE-SERVICES, KUBE-SVC-, KUBE-SEP-, ...)
 * from the Services' IPv6 clusterIPs and the IPv6 EndpointSlices, with these differences
 * (pkg/proxy/iptables/proxier.go, `isIPv6`):
 *
 *   - no localhost NodePorts: no KUBE-FIREWALL "block incoming localnet connections" chain, no
 *     nfacct localhost rule, and the NodePort tail call excludes `::1/128`;
 *   - the local-traffic detector is the IPv6 cluster CIDR;
 *   - endpoints are "[ip]:port" (net.JoinHostPort), which is also what the KUBE-SEP- hash reads;
 *   - REJECT answers ICMPv6 (ip6tables' default icmp6-port-unreachable).
 *
 * MASQUERADE (with --random-fully when the kernel has it) is written the same way. The node's
 * ip6tables-restore input (kubelet's chains, these jumps and this restore, the plugin's IPv6
 * rules) is put together in agents/hostrules6.ts and loaded into the node's IPv6 tables.
 */
import { anyCidrContains, ipFamily } from '../../addr/family';
import type { ClusterModel, NodeModel } from '../../model/cluster';
import { proxyConfig, type ProxyConfig } from './config';
import { LARGE_CLUSTER_ENDPOINTS, NFACCT_INVALID_DROPPED, serviceBlock, type Ctx } from './iptables';
import { familyView, servicePorts, slicesByService, slicesOf, sortServicePorts, type ServicePortInfo } from './serviceports';

/** True when the cluster has an IPv6 family (Service CIDRs list one). */
export function clusterHasIPv6(model: ClusterModel): boolean {
  return (model.spec.serviceCIDRs ?? []).some((c) => c.includes(':'));
}

/** The IPv6 proxier's service ports: every Service with an IPv6 clusterIP, with its IPv6 endpoints. */
export function servicePorts6(model: ClusterModel): ServicePortInfo[] {
  const index = slicesByService(model, 'IPv6');
  const out: ServicePortInfo[] = [];
  for (const svc of model.services) {
    const v = familyView(svc, 'IPv6');
    if (v) out.push(...servicePorts(v, slicesOf(index, svc)));
  }
  return sortServicePorts(out);
}

/** The IPv6 node addresses --nodeport-addresses selects (its IPv6 InternalIPs, and ::1). */
function nodePortIPs6(cfg: ProxyConfig, node: NodeModel): string[] {
  const candidates = [...(node.ips ?? []).filter((ip) => ipFamily(ip) === 6), '::1'];
  const out: string[] = [];
  for (const cidr of cfg.nodePortAddresses) {
    for (const ip of candidates) if (anyCidrContains(cidr, ip) && !out.includes(ip)) out.push(ip);
  }
  return out;
}

/** Exactly the text kube-proxy's IPv6 proxier hands to `ip6tables-restore --noflush --counters` on `node`. */
export function kubeProxyIp6tables(model: ClusterModel, node: NodeModel, cfgIn?: ProxyConfig): string {
  const cfg = cfgIn ?? proxyConfig(model);
  const ports = servicePorts6(model);
  const total = ports.reduce((n, p) => n + p.endpoints.length, 0);
  const pod6 = (model.spec.podCIDRs ?? []).find((c) => c.includes(':'));
  const detector = cfg.clusterCIDR !== null && pod6 ? pod6 : null;
  const ctx: Ctx = { cfg, node, ipv6: true, large: total > LARGE_CLUSTER_ENDPOINTS, ifNotLocal: detector ? `! -s ${detector}` : null, ifLocal: detector ? `-s ${detector}` : null };
  const blocks = ports.map((p) => serviceBlock(p, ctx));
  const mark = cfg.masqueradeMark;
  let filter = ':KUBE-SERVICES - [0:0]\n:KUBE-EXTERNAL-SERVICES - [0:0]\n:KUBE-FORWARD - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-PROXY-FIREWALL - [0:0]\n';
  let nat = ':KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n';
  for (const b of blocks) nat += b.natChains;
  nat += `-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN\n`;
  nat += `-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}\n`;
  nat += `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${cfg.randomFully ? ' --random-fully' : ''}\n`;
  nat += `-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}\n`;
  for (const b of blocks) { filter += b.filterRules; nat += b.natRules; }
  const npComment = '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"';
  if (cfg.nodePortAddresses.length === 0) nat += `-A KUBE-SERVICES ${npComment} -m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS\n`;
  else for (const ip of nodePortIPs6(cfg, node)) if (ip !== '::1') nat += `-A KUBE-SERVICES ${npComment} -d ${ip} -j KUBE-NODEPORTS\n`;
  if (!cfg.conntrackTCPLiberal) filter += `-A KUBE-FORWARD -m conntrack --ctstate INVALID${cfg.nfacct ? ` -m nfacct --nfacct-name ${NFACCT_INVALID_DROPPED}` : ''} -j DROP\n`;
  filter += `-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT\n`;
  filter += '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n';
  return `*filter\n${filter}COMMIT\n*nat\n${nat}COMMIT\n`;
}
