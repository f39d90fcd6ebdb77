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
 * MASQUERADE (with --random-fully when the kernel has it) is written the same way.
 */
import { anyCidrContains, canonicalIp, parseAnyCidr, formatAnyCidr, ipFamily } from '../../addr/family';
import type { ClusterModel, NodeModel } from '../../model/cluster';
import type { NetNs } from '../../net/types';
import { iptablesRestore, iptablesSave } from '../../netfilter/restore';
import { proxyConfig, type ProxyConfig } from './config';
import { KUBE_PROXY_JUMPS, LARGE_CLUSTER_ENDPOINTS, NFACCT_INVALID_DROPPED, serviceBlock, type Ctx } from './iptables';
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

// ---- ip6tables-save -------------------------------------------------------------------------

/**
 * The full ip6tables state kube-proxy leaves on a node: its canary chains and its jumps from the
 * built-in chains (iptablesJumpChains, EnsureRule prepend, the same for both families), then the
 * restore. As restore input, for `ip6tables-save` and for an IPv6 netfilter engine to load.
 */
export function kubeProxyIp6Ruleset(restore: string): string {
  let out = '';
  for (const t of ['mangle', 'filter', 'nat'] as const) {
    const jumps = KUBE_PROXY_JUMPS.filter((j) => j.table === t);
    const chains = [...new Set(['KUBE-PROXY-CANARY', ...jumps.map((j) => j.dst)])];
    out += `*${t}\n${chains.map((c) => `:${c} - [0:0]\n`).join('')}`;
    for (const j of jumps) out += `-I ${j.src} ${j.extra ? `${j.extra} ` : ''}-m comment --comment "${j.comment}" -j ${j.dst}\n`;
    out += 'COMMIT\n';
  }
  return out + restore;
}

/**
 * The text `ip6tables-save [-t TABLE]` prints for an IPv6 ruleset given as restore input. Until
 * the netfilter engine keeps IPv6 tables of its own, the ruleset goes through the IPv4 engine's
 * own parser and printer with each IPv6 address standing in for a reserved (240/4) IPv4 one, then
 * back: so the option order, quoting and chain order are exactly iptables-save's, and addresses
 * print as ip6tables-save prints them (`fd00:10:96::a/128`, `[fd00::3]:80`).
 */
export function ip6tablesSaveText(ruleset: string, table?: string): string {
  const hosts = new Map<string, string>();
  const nets = new Map<string, string>();
  const toV4 = (tok: string): string => {
    const dnat = /^\[([0-9a-fA-F:.]+)\]:(\d+(?:-\d+)?)$/.exec(tok);
    if (dnat) {
      const c = canonicalIp(dnat[1]!);
      return c === null ? tok : `${host(c)}:${dnat[2]}`;
    }
    if (!tok.includes(':') || tok.startsWith('"') || tok.startsWith('[')) return tok;
    const [a, len] = tok.split('/');
    if (len === undefined) { const c = canonicalIp(a!); return c !== null && ipFamily(c) === 6 ? host(c) : tok; }
    const p = parseAnyCidr(tok, true);
    if (!p || p.family !== 6) return tok;
    if (p.len === 128) return host(formatAnyCidr(p).split('/')[0]!);
    return net(formatAnyCidr(p));
  };
  const host = (v6: string): string => {
    let v = [...hosts].find(([, x]) => x === v6)?.[0];
    if (!v) { const n = hosts.size + 1; v = `241.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`; hosts.set(v, v6); }
    return v;
  };
  const net = (cidr: string): string => {
    let v = [...nets].find(([, x]) => x === cidr)?.[0];
    if (!v) { const n = nets.size + 1; v = `240.${(n >> 8) & 255}.${n & 255}.0/24`; nets.set(v, cidr); }
    return v;
  };
  // Quoted comments pass through untouched: only bare tokens are addresses.
  const text = ruleset.split('\n').map((line) => line.split(/("(?:[^"\\]|\\.)*")/).map((part, i) => (i % 2 ? part : part.split(' ').map(toV4).join(' '))).join('')).join('\n');
  const scratch = {} as NetNs;
  const r = iptablesRestore(scratch, text, { noflush: true });
  if (!r.ok) return '';
  const saved = iptablesSave(scratch, table);
  return saved.split('\n').map((line) => line.split(/("(?:[^"\\]|\\.)*")/).map((part, i) => (i % 2 ? part : part
    .replace(/\b240\.\d+\.\d+\.0\/24\b/g, (m) => nets.get(m) ?? m)
    .replace(/\b(241\.\d+\.\d+\.\d+)(\/32|:\d+(?:-\d+)?)?/g, (m, ip: string, suf: string | undefined) => {
      const v6 = hosts.get(ip);
      if (!v6) return m;
      if (suf === undefined) return v6;
      return suf === '/32' ? `${v6}/128` : `[${v6}]${suf}`;
    })
    .replace('--reject-with icmp-port-unreachable', '--reject-with icmp6-port-unreachable')
    .replace('--mask 255.255.255.255', '--mask ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff')
    .replace('# Generated by iptables-save', '# Generated by ip6tables-save'))).join('')).join('\n');
}
