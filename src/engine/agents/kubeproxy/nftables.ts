/**
 * kube-proxy's nftables mode: the `nft -f` transaction its nftables proxier (pkg/proxy/nftables/
 * proxier.go, setupNFTables + syncProxyRules) runs on a node's first full sync, for IPv4: the
 * `ip kube-proxy` table, its base chains (filter chains at dstnat-10 so they see pre-DNAT
 * addresses, nat chains at dstnat/srcnat), the jump chains, the service-ips / service-nodeports
 * verdict maps that dispatch to `service-…` / `external-…` chains, the no-endpoint maps, the
 * cluster-ips set, and one `endpoint-…` chain per endpoint doing `dnat to`. Endpoint choice is
 * `numgen random mod N vmap { 0 : goto endpoint-…, … }`. ClientIP session affinity is one
 * dynamic `affinity-…` set per endpoint (timeout = the Service's sticky seconds): the service
 * chain sends a source found in an endpoint's set straight to that endpoint, and the endpoint
 * chain records the source (`update @affinity-… { ip saddr }`). With --nodeport-addresses the
 * NodePort dispatch matches the `nodeport-ips` set instead of `fib daddr type local`.
 *
 * On a cluster with an IPv6 family the IPv6 proxier writes the same transaction for the
 * `ip6 kube-proxy` table (setupNFTables with ipX = "ip6", ipv6_addr sets and maps, `ip6 daddr != ::1`
 * for "not localhost"), from the Services' IPv6 clusterIPs and the IPv6 EndpointSlices; endpoint
 * chain names carry the address with its colons turned into dots, and `dnat to [ip]:port`.
 */
import { parsePrefix, prefixContains, parseIPv4 } from '../../addr/ip';
import type { ClusterModel, NodeModel } from '../../model/cluster';
import { base32, sha256 } from '../../util/sha256';
import type { ProxyConfig } from './config';
import { anyCidrContains, ipFamily } from '../../addr/family';
import { servicePorts6 } from './iptables6';
import { allServicePorts, categorizeEndpoints, externallyAccessible, type ProxyEndpoint, type ServicePortInfo } from './serviceports';

export const NFT_TABLE = 'kube-proxy';

/** hashAndTruncate: the first 8 base32 characters of sha256(name), a dash, the name. */
function hashed(name: string): string {
  const s = `${base32(sha256(name)).slice(0, 8)}-${name}`;
  return s.length > 240 ? `${s.slice(0, 237)}...` : s;
}

/** "ns/svc/tcp/port" from "ns/svc:port". */
function portBase(s: ServicePortInfo): string {
  const ns = s.service.meta.namespace;
  const name = s.service.meta.name;
  return `${ns}/${name}/${s.protocol.toLowerCase()}/${s.port.name ?? ''}`;
}

export const serviceChainName = (s: ServicePortInfo): string => `service-${hashed(portBase(s))}`;
const localChainName = (s: ServicePortInfo): string => `local-${hashed(portBase(s))}`;
const externalChainName = (s: ServicePortInfo): string => `external-${hashed(portBase(s))}`;
const firewallChainName = (s: ServicePortInfo): string => `firewall-${hashed(portBase(s))}`;
/** The endpoint part of a chain name: an IPv6 address's colons become dots (a chain name cannot hold ':'). */
const epBase = (e: ProxyEndpoint): string => `${e.ip.includes(':') ? e.ip.replaceAll(':', '.') : e.ip}/${e.port}`;
export const endpointChainName = (s: ServicePortInfo, e: ProxyEndpoint): string => `endpoint-${hashed(`${portBase(s)}__${epBase(e)}`)}`;
const affinitySetName = (s: ServicePortInfo, e: ProxyEndpoint): string => `affinity-${hashed(`${portBase(s)}__${epBase(e)}`)}`;

/**
 * The node's addresses that accept NodePorts under --nodeport-addresses (`primary` is the node
 * IP), without loopback, as NodePortAddresses.GetNodeIPs; null when every local address does.
 */
function nodePortIPs(node: NodeModel, cfg: ProxyConfig, family: NftFamily): string[] | null {
  if (cfg.nodePortAddresses.length === 0) return null;
  if (family === 'ip6') {
    const mine6 = (node.ips ?? []).filter((a) => ipFamily(a) === 6);
    return mine6.filter((a) => cfg.nodePortAddresses.some((c) => anyCidrContains(c, a)));
  }
  const mine = [node.ip, ...(node.extraAddresses ?? [])].map((a) => a.split('/')[0]!);
  const cidrs = cfg.nodePortAddresses.map((c) => (c === 'primary' ? `${node.ip}/32` : c));
  return mine.filter((a) => {
    const ip = parseIPv4(a);
    if (ip === null || a.startsWith('127.')) return false;
    return cidrs.some((c) => { const p = parsePrefix(c, true); return p !== null && prefixContains(p, ip); });
  });
}

const BASE_CHAINS: readonly [string, string, string, string][] = [
  ['filter-prerouting', 'filter', 'prerouting', '-110'],
  ['filter-input', 'filter', 'input', '-110'],
  ['filter-forward', 'filter', 'forward', '-110'],
  ['filter-output', 'filter', 'output', '-110'],
  ['filter-output-post-dnat', 'filter', 'output', '-90'],
  ['nat-prerouting', 'nat', 'prerouting', '-100'],
  ['nat-output', 'nat', 'output', '-100'],
  ['nat-postrouting', 'nat', 'postrouting', '100'],
];

const JUMP_CHAINS: readonly [string, string, string][] = [
  ['nodeport-endpoints-check', 'filter-input', 'ct state new'],
  ['service-endpoints-check', 'filter-input', 'ct state new'],
  ['service-endpoints-check', 'filter-forward', 'ct state new'],
  ['service-endpoints-check', 'filter-output', 'ct state new'],
  ['firewall-check', 'filter-prerouting', 'ct state new'],
  ['firewall-check', 'filter-output', 'ct state new'],
  ['services', 'nat-output', ''],
  ['services', 'nat-prerouting', ''],
  ['masquerading', 'nat-postrouting', ''],
  ['cluster-ips-check', 'filter-forward', 'ct state new'],
  ['cluster-ips-check', 'filter-output-post-dnat', 'ct state new'],
];

export type NftFamily = 'ip' | 'ip6';

/** The transaction kube-proxy's proxier of one family runs on `node` (one command per line, as knftables writes it). */
export function kubeProxyNftables(model: ClusterModel, node: NodeModel, cfg: ProxyConfig, family: NftFamily = 'ip'): string {
  const T = `${family} ${NFT_TABLE}`;
  const ipX = family;
  const addrType = family === 'ip' ? 'ipv4_addr' : 'ipv6_addr';
  const noLocalhost = family === 'ip' ? 'ip daddr != 127.0.0.0/8' : 'ip6 daddr != ::1';
  const serviceCIDR = family === 'ip' ? model.spec.serviceCIDR : (model.spec.serviceCIDRs ?? []).find((c) => c.includes(':')) ?? '';
  const pod6 = (model.spec.podCIDRs ?? []).find((c) => c.includes(':'));
  const clusterCIDR = family === 'ip' ? cfg.clusterCIDR : cfg.clusterCIDR !== null && pod6 ? pod6 : null;
  const out: string[] = [];
  const chains = new Set<string>();
  const chain = (name: string, comment?: string): void => {
    if (chains.has(name)) return;
    chains.add(name);
    out.push(`add chain ${T} ${name}${comment ? ` { comment "${comment}" ; }` : ''}`);
    out.push(`flush chain ${T} ${name}`);
  };
  const rule = (c: string, r: string, comment?: string): void => { out.push(`add rule ${T} ${c} ${r}${comment ? ` comment "${comment}"` : ''}`); };
  const mark = `0x${(parseInt(cfg.masqueradeMark, 16) >>> 0).toString(16)}`;

  out.push(`add table ${T} { comment "rules for kube-proxy" ; }`);
  for (const [name, type, hook, prio] of BASE_CHAINS) {
    out.push(`add chain ${T} ${name} { type ${type} hook ${hook} priority ${prio} ; }`);
    out.push(`flush chain ${T} ${name}`);
    chains.add(name);
  }
  for (const [dst, src, extra] of JUMP_CHAINS) {
    chain(dst);
    rule(src, `${extra ? `${extra} ` : ''}jump ${dst}`);
  }
  for (const c of ['services', 'cluster-ips-check', 'masquerading', 'mark-for-masquerade']) chain(c);
  rule('mark-for-masquerade', `mark set mark or ${mark}`);
  rule('masquerading', `mark and ${mark} == 0 return`);
  rule('masquerading', `mark set mark xor ${mark}`);
  rule('masquerading', 'masquerade fully-random');
  out.push(`add set ${T} cluster-ips { type ${addrType} ; comment "Active ClusterIPs" ; }`);
  rule('cluster-ips-check', `${ipX} daddr @cluster-ips reject`, 'Reject traffic to invalid ports of ClusterIPs');
  rule('cluster-ips-check', `${ipX} daddr { ${serviceCIDR} } drop`, 'Drop traffic to unallocated ClusterIPs');
  const npIPs = nodePortIPs(node, cfg, family);
  if (npIPs) {
    out.push(`add set ${T} nodeport-ips { type ${addrType} ; comment "IPs that accept NodePort traffic" ; }`);
    out.push(`flush set ${T} nodeport-ips`);
    for (const ip of npIPs) out.push(`add element ${T} nodeport-ips { ${ip} }`);
  }
  const nodePortDst = npIPs ? `${ipX} daddr @nodeport-ips` : `fib daddr type local ${noLocalhost}`;
  out.push(`add map ${T} no-endpoint-services { type ${addrType} . inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to services with no endpoints" ; }`);
  out.push(`add map ${T} no-endpoint-nodeports { type inet_proto . inet_service : verdict ; comment "vmap to drop or reject packets to service nodeports with no endpoints" ; }`);
  out.push(`add chain ${T} reject-chain { comment "helper for @no-endpoint-services / @no-endpoint-nodeports" ; }`);
  out.push(`flush chain ${T} reject-chain`);
  chains.add('reject-chain');
  rule('reject-chain', 'reject');
  rule('service-endpoints-check', `${ipX} daddr . meta l4proto . th dport vmap @no-endpoint-services`);
  rule('nodeport-endpoints-check', `${npIPs ? `${ipX} daddr @nodeport-ips` : noLocalhost} meta l4proto . th dport vmap @no-endpoint-nodeports`);
  out.push(`add map ${T} firewall-ips { type ${addrType} . inet_proto . inet_service : verdict ; comment "destinations that are subject to LoadBalancerSourceRanges" ; }`);
  rule('firewall-check', `${ipX} daddr . meta l4proto . th dport vmap @firewall-ips`);
  out.push(`add map ${T} service-ips { type ${addrType} . inet_proto . inet_service : verdict ; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic" ; }`);
  out.push(`add map ${T} service-nodeports { type inet_proto . inet_service : verdict ; comment "NodePort traffic" ; }`);
  rule('services', `${ipX} daddr . meta l4proto . th dport vmap @service-ips`);
  rule('services', `${nodePortDst} meta l4proto . th dport vmap @service-nodeports`);

  const elems: string[] = [];
  const elem = (map: string, key: string, value?: string, comment?: string): void => {
    elems.push(`add element ${T} ${map} { ${key}${comment ? ` comment "${comment}"` : ''}${value ? ` : ${value}` : ''} }`);
  };
  const body: string[] = [];
  const brule = (c: string, r: string, comment?: string): void => { body.push(`add rule ${T} ${c} ${r}${comment ? ` comment "${comment}"` : ''}`); };
  const ipsDone = new Set<string>();

  for (const s of family === 'ip' ? allServicePorts(model) : servicePorts6(model)) {
    if (!s.clusterIP || s.clusterIP === 'None') continue;
    const proto = s.protocol.toLowerCase();
    const spn = s.name;
    const cat = categorizeEndpoints(s, node.name);
    const clusterChain = serviceChainName(s);
    const localChain = localChainName(s);
    const extChain = externalChainName(s);
    const usesCluster = cat.cluster.length > 0;
    const usesLocal = cat.local.length > 0 && (s.internalPolicyLocal || s.externalPolicyLocal);
    for (const e of cat.allReachable) chain(endpointChainName(s, e));
    if (usesCluster) chain(clusterChain);
    if (usesLocal) chain(localChain);
    const internalChain = s.internalPolicyLocal ? localChain : clusterChain;
    const hasInternal = cat.hasAny && (!s.internalPolicyLocal || cat.local.length > 0);
    const externalPolicyChain = s.externalPolicyLocal ? localChain : clusterChain;
    const hasExternal = cat.hasAny && (!s.externalPolicyLocal || cat.local.length > 0);
    const usesExt = cat.hasAny && externallyAccessible(s);
    if (usesExt) chain(extChain);
    const internalVerdict = !cat.hasAny ? 'goto reject-chain' : 'drop';
    const externalVerdict = !cat.hasAny ? 'goto reject-chain' : 'drop';

    if (!ipsDone.has(s.clusterIP)) { ipsDone.add(s.clusterIP); elem('cluster-ips', s.clusterIP); }
    const k = `${s.clusterIP} . ${proto} . ${s.port.port}`;
    if (hasInternal) elem('service-ips', k, `goto ${internalChain}`);
    else elem('no-endpoint-services', k, internalVerdict, spn);
    for (const ip of s.externalIPs) {
      if (cat.hasAny) elem('service-ips', `${ip} . ${proto} . ${s.port.port}`, `goto ${extChain}`);
      if (!hasExternal) elem('no-endpoint-services', `${ip} . ${proto} . ${s.port.port}`, externalVerdict, spn);
    }
    const usesFW = s.loadBalancerVIPs.length > 0 && s.loadBalancerSourceRanges.length > 0;
    if (usesFW) chain(firewallChainName(s));
    for (const ip of s.loadBalancerVIPs) {
      if (cat.hasAny) elem('service-ips', `${ip} . ${proto} . ${s.port.port}`, `goto ${extChain}`);
      if (usesFW) elem('firewall-ips', `${ip} . ${proto} . ${s.port.port}`, `goto ${firewallChainName(s)}`);
      if (!hasExternal) elem('no-endpoint-services', `${ip} . ${proto} . ${s.port.port}`, externalVerdict, spn);
    }
    if (s.nodePort) {
      if (cat.hasAny) elem('service-nodeports', `${proto} . ${s.nodePort}`, `goto ${extChain}`);
      if (!hasExternal) elem('no-endpoint-nodeports', `${proto} . ${s.nodePort}`, externalVerdict, spn);
    }

    if (hasInternal) {
      if (cfg.masqueradeAll) brule(internalChain, `${ipX} daddr ${s.clusterIP} ${proto} dport ${s.port.port} jump mark-for-masquerade`);
      else if (clusterCIDR) brule(internalChain, `${ipX} daddr ${s.clusterIP} ${proto} dport ${s.port.port} ${ipX} saddr != ${clusterCIDR} jump mark-for-masquerade`);
    }
    if (usesExt) {
      if (!s.externalPolicyLocal) brule(extChain, 'jump mark-for-masquerade');
      else {
        if (clusterCIDR) brule(extChain, `${ipX} saddr ${clusterCIDR} goto ${clusterChain}`, 'short-circuit pod traffic');
        brule(extChain, 'fib saddr type local jump mark-for-masquerade', 'masquerade local traffic');
        brule(extChain, `fib saddr type local goto ${clusterChain}`, 'short-circuit local traffic');
      }
      if (hasExternal) brule(extChain, `goto ${externalPolicyChain}`);
    }
    if (usesFW) {
      brule(firewallChainName(s), `${ipX} saddr != { ${s.loadBalancerSourceRanges.join(', ')} } drop`);
    }
    if (s.sessionAffinityClientIP) {
      for (const e of cat.allReachable) out.push(`add set ${T} ${affinitySetName(s, e)} { type ${addrType} ; flags dynamic,timeout ; timeout ${s.stickyMaxAgeSeconds}s ; }`);
    }
    const lb = (c: string, eps: readonly ProxyEndpoint[]): void => {
      // A source remembered by an endpoint's affinity set goes back to that endpoint.
      if (s.sessionAffinityClientIP) for (const e of eps) brule(c, `${ipX} saddr @${affinitySetName(s, e)} goto ${endpointChainName(s, e)}`);
      brule(c, `numgen random mod ${eps.length} vmap { ${eps.map((e, i) => `${i} : goto ${endpointChainName(s, e)}`).join(' , ')} }`);
    };
    if (usesCluster) lb(clusterChain, cat.cluster);
    if (usesLocal) lb(localChain, cat.local);
    for (const e of cat.allReachable) {
      const c = endpointChainName(s, e);
      brule(c, `${ipX} saddr ${e.ip} jump mark-for-masquerade`);
      if (s.sessionAffinityClientIP) brule(c, `update @${affinitySetName(s, e)} { ${ipX} saddr }`);
      brule(c, `meta l4proto ${proto} dnat to ${e.str}`);
    }
  }
  // Elements reference chains: knftables sorts a transaction's objects so chains exist first.
  return [...out, ...body, ...elems, ''].join('\n');
}
