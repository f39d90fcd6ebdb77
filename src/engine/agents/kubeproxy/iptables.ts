/**
 * kube-proxy, iptables mode: the iptables-restore input kube-proxy's syncProxyRules() writes on
 * one node, line for line (pkg/proxy/iptables/proxier.go; our own code).
 *
 *   PREROUTING/OUTPUT ─► KUBE-SERVICES ─┬─ clusterIP:port ──────────► KUBE-SVC-X ─► KUBE-SEP-A ─► DNAT
 *                                       ├─ externalIP / LB IP ──────► KUBE-EXT-X (or KUBE-FW-X)
 *                                       └─ (last) dst-type LOCAL ───► KUBE-NODEPORTS ─► KUBE-EXT-X
 *   KUBE-EXT-X ─► KUBE-MARK-MASQ, KUBE-SVC-X      (externalTrafficPolicy: Cluster)
 *   KUBE-EXT-X ─► KUBE-SVL-X                      (externalTrafficPolicy: Local, source kept)
 *   POSTROUTING ─► KUBE-POSTROUTING: MASQUERADE what KUBE-MARK-MASQ marked
 *
 * One block of lines per service port is computed and cached; a sync concatenates the blocks,
 * so regenerating after one Service changes only rebuilds that Service's block.
 *
 * Order: upstream walks a Go map, so its service order is random per sync. We walk service
 * ports sorted by "namespace/name:port" then protocol, which is also the order upstream's own
 * tests print after sorting.
 */
import { parseIPv4, parsePrefix, prefixContains } from '../../addr/ip';
import type { ClusterModel, EndpointSliceModel, NodeModel, ServiceModel } from '../../model/cluster';
import { configKey, proxyConfig, type ProxyConfig } from './config';
import { chainNames, probability, proto, sepOf, type PortNames } from './names';
import { categorizeEndpoints, externallyAccessible, servicePorts, slicesByService, slicesOf, usesClusterEndpoints, usesLocalEndpoints, type ServicePortInfo } from './serviceports';
import { sameData } from '../../util/equal';

/** Above this many endpoints kube-proxy drops the per-endpoint comments (largeClusterEndpointsThreshold). */
export const LARGE_CLUSTER_ENDPOINTS = 1000;

/** The restore input split the way kube-proxy buffers it: chain lines and rule lines per table. */
export interface KubeProxyRestore {
  readonly filterChains: string;
  readonly filterRules: string;
  readonly natChains: string;
  readonly natRules: string;
}

/**
 * The same buffers as the pieces they are written from (each whole lines; their concatenation is
 * the buffer). The blocks of Services are the cache's string objects, the same on every node
 * while their lines are, so a reader can recognise them without reading them.
 */
export interface KubeProxyPieces {
  readonly filterChains: string;
  readonly filterRules: readonly string[];
  readonly natChains: readonly string[];
  readonly natRules: readonly string[];
}

/**
 * kube-proxy's iptablesJumpChains, in its order. Each is *prepended* to the built-in chain, so
 * the last one listed for a chain ends up first in that chain.
 */
export const KUBE_PROXY_JUMPS: readonly { table: 'filter' | 'nat'; dst: string; src: string; comment: string; extra: string }[] = [
  { table: 'filter', dst: 'KUBE-EXTERNAL-SERVICES', src: 'INPUT', comment: 'kubernetes externally-visible service portals', extra: '-m conntrack --ctstate NEW' },
  { table: 'filter', dst: 'KUBE-EXTERNAL-SERVICES', src: 'FORWARD', comment: 'kubernetes externally-visible service portals', extra: '-m conntrack --ctstate NEW' },
  { table: 'filter', dst: 'KUBE-NODEPORTS', src: 'INPUT', comment: 'kubernetes health check service ports', extra: '' },
  { table: 'filter', dst: 'KUBE-SERVICES', src: 'FORWARD', comment: 'kubernetes service portals', extra: '-m conntrack --ctstate NEW' },
  { table: 'filter', dst: 'KUBE-SERVICES', src: 'OUTPUT', comment: 'kubernetes service portals', extra: '-m conntrack --ctstate NEW' },
  { table: 'filter', dst: 'KUBE-FORWARD', src: 'FORWARD', comment: 'kubernetes forwarding rules', extra: '' },
  { table: 'filter', dst: 'KUBE-PROXY-FIREWALL', src: 'INPUT', comment: 'kubernetes load balancer firewall', extra: '-m conntrack --ctstate NEW' },
  { table: 'filter', dst: 'KUBE-PROXY-FIREWALL', src: 'OUTPUT', comment: 'kubernetes load balancer firewall', extra: '-m conntrack --ctstate NEW' },
  { table: 'filter', dst: 'KUBE-PROXY-FIREWALL', src: 'FORWARD', comment: 'kubernetes load balancer firewall', extra: '-m conntrack --ctstate NEW' },
  { table: 'nat', dst: 'KUBE-SERVICES', src: 'OUTPUT', comment: 'kubernetes service portals', extra: '' },
  { table: 'nat', dst: 'KUBE-SERVICES', src: 'PREROUTING', comment: 'kubernetes service portals', extra: '' },
  { table: 'nat', dst: 'KUBE-POSTROUTING', src: 'POSTROUTING', comment: 'kubernetes postrouting rules', extra: '' },
];

/** The canary chains kube-proxy's iptables monitor creates (empty) in these tables. */
export const KUBE_PROXY_CANARY_TABLES = ['mangle', 'nat', 'filter'] as const;

export interface Block {
  readonly filterRules: string;
  readonly natChains: string;
  readonly natRules: string;
}

export interface Ctx {
  readonly cfg: ProxyConfig;
  /** The IPv6 proxier (ip6tables): no localhost NodePorts. */
  readonly ipv6?: boolean;
  readonly node: NodeModel;
  readonly large: boolean;
  /** `! -s CIDR` / `-s CIDR` of the local-traffic detector, or null when it is off. */
  readonly ifNotLocal: string | null;
  readonly ifLocal: string | null;
}

const q = (s: string): string => `"${s}"`;

/** One service port's lines: what the loop body of syncProxyRules writes for it. */
export function serviceBlock(s: ServicePortInfo, ctx: Ctx): Block {
  const f: string[] = [];
  const nc: string[] = [];
  const nr: string[] = [];
  const protocol = proto(s.protocol);
  const name = s.name;
  const { cluster, local, allReachable, hasAny } = categorizeEndpoints(s, ctx.node.name);

  const names = chainNames(name, protocol);
  const clusterPolicyChain = names.svc;
  const localPolicyChain = names.svl;
  const usesClusterPolicyChain = cluster.length > 0 && usesClusterEndpoints(s);
  const usesLocalPolicyChain = local.length > 0 && usesLocalEndpoints(s);

  let internalTrafficChain = clusterPolicyChain;
  let hasInternal = hasAny;
  if (s.internalPolicyLocal) {
    internalTrafficChain = localPolicyChain;
    if (local.length === 0) hasInternal = false;
  }
  let externalPolicyChain = clusterPolicyChain;
  let hasExternal = hasAny;
  if (s.externalPolicyLocal) {
    externalPolicyChain = localPolicyChain;
    if (local.length === 0) hasExternal = false;
  }
  const externalTrafficChain = names.ext;
  const usesExternalTrafficChain = hasAny && externallyAccessible(s);
  const firewallChain = names.fw;
  const usesFW = hasAny && s.loadBalancerVIPs.length > 0 && s.loadBalancerSourceRanges.length > 0;
  const lbTrafficChain = usesFW ? firewallChain : externalTrafficChain;

  let intTarget = '';
  let intComment = '';
  let extTarget = '';
  let extComment = '';
  if (!hasAny) {
    intTarget = 'REJECT';
    intComment = q(`${name} has no endpoints`);
    extTarget = 'REJECT';
    extComment = intComment;
  } else {
    if (!hasInternal) {
      intTarget = 'DROP';
      intComment = q(`${name} has no local endpoints`);
    }
    if (!hasExternal) {
      extTarget = 'DROP';
      extComment = q(`${name} has no local endpoints`);
    }
  }

  const match = `-m ${protocol} -p ${protocol}`;
  const clusterIPArgs = `-m comment --comment ${q(`${name} cluster IP`)} ${match} -d ${s.clusterIP} --dport ${s.port.port}`;

  // Capture the clusterIP.
  if (hasInternal) nr.push(`-A KUBE-SERVICES ${clusterIPArgs} -j ${internalTrafficChain}`);
  else f.push(`-A KUBE-SERVICES -m comment --comment ${intComment} ${match} -d ${s.clusterIP} --dport ${s.port.port} -j ${intTarget}`);

  // Capture externalIPs.
  for (const ip of s.externalIPs) {
    if (hasAny) nr.push(`-A KUBE-SERVICES -m comment --comment ${q(`${name} external IP`)} ${match} -d ${ip} --dport ${s.port.port} -j ${externalTrafficChain}`);
    if (!hasExternal) f.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${extComment} ${match} -d ${ip} --dport ${s.port.port} -j ${extTarget}`);
  }

  // Capture load-balancer ingress.
  for (const ip of s.loadBalancerVIPs) {
    if (hasAny) nr.push(`-A KUBE-SERVICES -m comment --comment ${q(`${name} loadbalancer IP`)} ${match} -d ${ip} --dport ${s.port.port} -j ${lbTrafficChain}`);
    if (usesFW) f.push(`-A KUBE-PROXY-FIREWALL -m comment --comment ${q(`${name} traffic not accepted by ${firewallChain}`)} ${match} -d ${ip} --dport ${s.port.port} -j DROP`);
  }
  if (!hasExternal) {
    for (const ip of s.loadBalancerVIPs) f.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${extComment} ${match} -d ${ip} --dport ${s.port.port} -j ${extTarget}`);
  }

  // Capture nodeports.
  if (s.nodePort !== 0) {
    // Current kube-proxy counts NodePort connections accepted on 127.0.0.1 (route_localnet) when
    // the kernel has nfacct: a rule of its own in front of the NodePort's rule.
    if (hasAny && ctx.cfg.nfacct && !ctx.ipv6 && effectiveLocalhostNodePorts(ctx.cfg)) nr.push(`-A KUBE-NODEPORTS -m comment --comment ${name} ${match} -d 127.0.0.0/8 --dport ${s.nodePort} -m nfacct --nfacct-name ${NFACCT_LOCALHOST_NODEPORTS} -j ${externalTrafficChain}`);
    if (hasAny) nr.push(`-A KUBE-NODEPORTS -m comment --comment ${name} ${match} --dport ${s.nodePort} -j ${externalTrafficChain}`);
    if (!hasExternal) f.push(`-A KUBE-EXTERNAL-SERVICES -m comment --comment ${extComment} -m addrtype --dst-type LOCAL ${match} --dport ${s.nodePort} -j ${extTarget}`);
  }

  // Capture healthCheckNodePorts.
  if (s.healthCheckNodePort !== 0) {
    f.push(`-A KUBE-NODEPORTS -m comment --comment ${q(`${name} health check node port`)} -m tcp -p tcp --dport ${s.healthCheckNodePort} -j ACCEPT`);
  }

  // Internal traffic: masquerade off-cluster sources (or everything, with masqueradeAll).
  if (hasInternal) {
    if (ctx.cfg.masqueradeAll) nr.push(`-A ${internalTrafficChain} ${clusterIPArgs} -j KUBE-MARK-MASQ`);
    else if (ctx.ifNotLocal) nr.push(`-A ${internalTrafficChain} ${clusterIPArgs} ${ctx.ifNotLocal} -j KUBE-MARK-MASQ`);
  }

  // External destinations all go through KUBE-EXT-.
  if (usesExternalTrafficChain) {
    nc.push(`:${externalTrafficChain} - [0:0]`);
    if (!s.externalPolicyLocal) {
      nr.push(`-A ${externalTrafficChain} -m comment --comment ${q(`masquerade traffic for ${name} external destinations`)} -j KUBE-MARK-MASQ`);
    } else {
      if (ctx.ifLocal) nr.push(`-A ${externalTrafficChain} -m comment --comment ${q(`pod traffic for ${name} external destinations`)} ${ctx.ifLocal} -j ${clusterPolicyChain}`);
      nr.push(`-A ${externalTrafficChain} -m comment --comment ${q(`masquerade LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`);
      nr.push(`-A ${externalTrafficChain} -m comment --comment ${q(`route LOCAL traffic for ${name} external destinations`)} -m addrtype --src-type LOCAL -j ${clusterPolicyChain}`);
    }
    if (hasExternal) nr.push(`-A ${externalTrafficChain} -j ${externalPolicyChain}`);
  }

  // loadBalancerSourceRanges.
  if (usesFW) {
    nc.push(`:${firewallChain} - [0:0]`);
    const head = `-A ${firewallChain} -m comment --comment ${q(`${name} loadbalancer IP`)}`;
    let allowFromNode = false;
    const nodeIP = parseIPv4(ctx.node.ip);
    for (const cidr of s.loadBalancerSourceRanges) {
      nr.push(`${head} -s ${cidr} -j ${externalTrafficChain}`);
      const p = parsePrefix(cidr, true);
      if (p && nodeIP !== null && prefixContains(p, nodeIP)) allowFromNode = true;
    }
    if (allowFromNode) for (const ip of s.loadBalancerVIPs) nr.push(`${head} -s ${ip} -j ${externalTrafficChain}`);
    nr.push(`-A ${firewallChain} -m comment --comment ${q(`other traffic to ${name} will be dropped by KUBE-PROXY-FIREWALL`)}`);
  }

  if (usesClusterPolicyChain) {
    nc.push(`:${clusterPolicyChain} - [0:0]`);
    writeServiceToEndpointRules(nr, s, names, clusterPolicyChain, cluster, ctx);
  }
  if (usesLocalPolicyChain) {
    nc.push(`:${localPolicyChain} - [0:0]`);
    writeServiceToEndpointRules(nr, s, names, localPolicyChain, local, ctx);
  }

  // One KUBE-SEP- chain per endpoint some policy chain may pick.
  for (const ep of allReachable) {
    const chain = sepOf(names, name, protocol, ep.str);
    nc.push(`:${chain} - [0:0]`);
    const head = ctx.large ? `-A ${chain}` : `-A ${chain} -m comment --comment ${name}`;
    nr.push(`${head} -s ${ep.ip} -j KUBE-MARK-MASQ`);
    const affinity = s.sessionAffinityClientIP ? ` -m recent --name ${chain} --set` : '';
    nr.push(`${head}${affinity} ${match} -j DNAT --to-destination ${ep.str}`);
  }

  return { filterRules: joinLines(f), natChains: joinLines(nc), natRules: joinLines(nr) };
}

function writeServiceToEndpointRules(nr: string[], s: ServicePortInfo, names: PortNames, chain: string, endpoints: readonly { str: string }[], ctx: Ctx): void {
  const protocol = proto(s.protocol);
  if (s.sessionAffinityClientIP) {
    for (const ep of endpoints) {
      const sep = sepOf(names, s.name, protocol, ep.str);
      const comment = ctx.large ? '' : ` -m comment --comment ${q(`${s.name} -> ${ep.str}`)}`;
      nr.push(`-A ${chain}${comment} -m recent --name ${sep} --rcheck --seconds ${s.stickyMaxAgeSeconds} --reap -j ${sep}`);
    }
  }
  const n = endpoints.length;
  for (let i = 0; i < n; i++) {
    const ep = endpoints[i]!;
    const sep = sepOf(names, s.name, protocol, ep.str);
    const comment = ctx.large ? '' : ` -m comment --comment ${q(`${s.name} -> ${ep.str}`)}`;
    const stat = i < n - 1 ? ` -m statistic --mode random --probability ${probability(n - i)}` : '';
    nr.push(`-A ${chain}${comment}${stat} -j ${sep}`);
  }
}

/** Service blocks per cached run of text. */
const GROUP = 64;

function concat(parts: readonly string[]): string {
  let s = '';
  for (const p of parts) s += p;
  return s;
}

function joinLines(lines: string[]): string {
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** The addresses --nodeport-addresses selects on this node (its IPs, extra IPs and 127.0.0.1). */
export function nodePortIPs(cfg: ProxyConfig, node: NodeModel): string[] {
  const cidrs = cfg.nodePortAddresses.map((c) => (c === 'primary' ? `${node.ip}/32` : c));
  const candidates = [node.ip, ...node.extraAddresses.map((a) => a.split('/')[0]!), '127.0.0.1'];
  const out: string[] = [];
  for (const cidr of cidrs) {
    const p = parsePrefix(cidr, true);
    if (!p) continue;
    for (const ip of candidates) {
      const v = parseIPv4(ip);
      if (v !== null && prefixContains(p, v) && !out.includes(ip)) out.push(ip);
    }
  }
  return out;
}

/** The nfacct counters kube-proxy creates at start when the kernel has nfacct (pkg/proxy/metrics). */
export const NFACCT_INVALID_DROPPED = 'ct_state_invalid_dropped_pkts';
export const NFACCT_LOCALHOST_NODEPORTS = 'localhost_nps_accepted_pkts';

/** localhostNodePorts only stays on when --nodeport-addresses lets 127.0.0.1 in (NewProxier). */
export function effectiveLocalhostNodePorts(cfg: ProxyConfig): boolean {
  if (!cfg.localhostNodePorts) return false;
  if (cfg.nodePortAddresses.length === 0) return true;
  const lo = parseIPv4('127.0.0.1')!;
  return cfg.nodePortAddresses.some((c) => { const p = parsePrefix(c, true); return p !== null && prefixContains(p, lo); });
}

interface CacheEntry {
  readonly svc: ServiceModel;
  readonly slices: readonly EndpointSliceModel[];
  readonly ports: readonly ServicePortInfo[];
  readonly endpointCount: number;
  /** Blocks by node name + large flag ("*" + large flag when no port's lines depend on the node). */
  readonly blocks: Map<string, readonly Block[]>;
  /** Some port's lines depend on the node (local endpoints, or a source range that may hold the node's IP). */
  readonly perNode: boolean;
  /** The sync that last used this entry. */
  seen: number;
}

/** Whether a service port's lines differ between nodes (categorizeEndpoints by node, the FW chain's node IP). */
function dependsOnNode(p: ServicePortInfo): boolean {
  return usesLocalEndpoints(p) || (p.loadBalancerVIPs.length > 0 && p.loadBalancerSourceRanges.length > 0);
}

/**
 * Remembers each Service's ports and rule blocks between syncs. An entry is reused while the
 * Service object and its EndpointSlice objects are the same objects (the model is immutable:
 * a changed Service or slice is a new object), and the proxy settings have not changed.
 */
export class KubeProxyCache {
  private entries = new Map<ServiceModel, CacheEntry>();
  private cfgKey = '';
  private sync = 0;
  /** Joined text of runs of GROUP consecutive blocks, reused while the run's blocks are the same objects. */
  readonly groups = new Map<string, { readonly blocks: readonly Block[]; readonly filterRules: string; readonly natChains: string; readonly natRules: string }[]>();

  /** The last sync's model (its Services and slices) and settings, and what the sync found for them. */
  private last?: { readonly services: ClusterModel['services']; readonly slices: ClusterModel['endpointSlices']; readonly ck: string; readonly entries: readonly CacheEntry[]; readonly totalEndpoints: number };

  /**
   * @internal Each Service's entry, in model order. Every node of one model syncs the same
   * Services: the entries are looked up once per model (its Service and slice lists) and settings.
   */
  entriesOf(model: ClusterModel, ck: string): { readonly entries: readonly CacheEntry[]; readonly totalEndpoints: number } {
    const last = this.last;
    if (last && last.services === model.services && last.slices === model.endpointSlices && last.ck === ck && ck === this.cfgKey) return last;
    const bySvc = slicesByService(model);
    const entries: CacheEntry[] = [];
    let totalEndpoints = 0;
    this.begin(ck);
    for (const svc of model.services) {
      const e = this.lookup(svc, slicesOf(bySvc, svc));
      totalEndpoints += e.endpointCount;
      entries.push(e);
    }
    this.end();
    this.last = { services: model.services, slices: model.endpointSlices, ck, entries, totalEndpoints };
    return this.last;
  }

  /** @internal Starts a sync: settings changes drop everything. */
  begin(cfg: string): void {
    if (cfg !== this.cfgKey) {
      this.entries.clear();
      this.byName.clear();
      this.groups.clear();
      this.cfgKey = cfg;
    }
    this.sync++;
  }

  /** @internal */
  lookup(svc: ServiceModel, slices: readonly EndpointSliceModel[]): CacheEntry {
    const e = this.entries.get(svc);
    if (e && sameList(e.slices, slices)) {
      e.seen = this.sync;
      return e;
    }
    // A rebuilt model holds new objects: an equal Service with equal slices keeps its blocks
    // (kube-proxy's partial sync: only what changed is written again).
    const key = `${svc.meta.namespace}/${svc.meta.name}`;
    const before = this.byName.get(key);
    if (before && before.seen !== this.sync) {
      // Compared field by field (util/equal.ts), not as JSON: most Services of a rebuilt model
      // are equal, and two JSON strings per Service per rebuild were the cost of the check.
      if (sameData(before.svc, svc) && sameData(before.slices, slices)) {
        const moved: CacheEntry = { ...before, svc, slices, seen: this.sync };
        this.entries.delete(before.svc);
        this.entries.set(svc, moved);
        this.byName.set(key, moved);
        return moved;
      }
    }
    const ports = servicePorts(svc, slices);
    const fresh: CacheEntry = { svc, slices, ports, endpointCount: ports.reduce((n, p) => n + p.endpoints.length, 0), blocks: new Map(), perNode: ports.some(dependsOnNode), seen: this.sync };
    this.entries.set(svc, fresh);
    this.byName.set(key, fresh);
    return fresh;
  }

  /** The latest entry per Service namespace/name (to find an equal Service in a rebuilt model). */
  private readonly byName = new Map<string, CacheEntry>();

  /** The previous sync's service port keys, in model order, and the sorted order of them. */
  private lastNames: readonly string[] = [];
  private lastProtocols: readonly string[] = [];
  private lastOrder: readonly number[] = [];

  /**
   * @internal The blocks in "name then protocol" order. The permutation is kept: while the
   * service ports (and their order in the model) are the same as last sync, no sort is needed.
   */
  sortedBlocks(names: readonly string[], protocols: readonly string[], blocks: readonly Block[]): Block[] {
    let order = this.lastOrder;
    if (!(sameKeys(names, this.lastNames) && sameKeys(protocols, this.lastProtocols))) {
      const idx = names.map((_, i) => i);
      idx.sort((a, b) => {
        const na = names[a]!, nb = names[b]!;
        if (na !== nb) return na < nb ? -1 : 1;
        const pa = protocols[a]!, pb = protocols[b]!;
        return pa < pb ? -1 : pa > pb ? 1 : a - b;
      });
      order = idx;
      this.lastNames = names;
      this.lastProtocols = protocols;
      this.lastOrder = order;
    }
    const out: Block[] = new Array<Block>(order.length);
    for (let i = 0; i < order.length; i++) out[i] = blocks[order[i]!]!;
    return out;
  }

  /** @internal Ends a sync: drops entries of Services that were not seen (deleted or replaced). */
  end(): void {
    if (this.entries.size === 0) return;
    for (const [k, e] of this.entries) if (e.seen !== this.sync) this.entries.delete(k);
    for (const [k, e] of this.byName) if (e.seen !== this.sync) this.byName.delete(k);
  }
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The iptables-restore input kube-proxy writes on `node` (a full sync), split into the four
 * buffers; `kubeProxyRestoreText` joins them into the text kube-proxy pipes to iptables-restore.
 */
export function buildKubeProxyRestore(model: ClusterModel, node: NodeModel, opts: { cfg?: ProxyConfig; cache?: KubeProxyCache } = {}): KubeProxyRestore {
  const p = buildKubeProxyPieces(model, node, opts);
  return { filterChains: p.filterChains, filterRules: concat(p.filterRules), natChains: concat(p.natChains), natRules: concat(p.natRules) };
}

/** buildKubeProxyRestore's buffers as pieces: nothing is concatenated per node. */
export function buildKubeProxyPieces(model: ClusterModel, node: NodeModel, opts: { cfg?: ProxyConfig; cache?: KubeProxyCache } = {}): KubeProxyPieces {
  const cfg = opts.cfg ?? proxyConfig(model);
  const cache = opts.cache ?? new KubeProxyCache();
  const ck = configKey(cfg);
  const { entries, totalEndpoints } = cache.entriesOf(model, ck);
  const large = totalEndpoints > LARGE_CLUSTER_ENDPOINTS;
  const localhostNodePorts = effectiveLocalhostNodePorts(cfg);
  const detector = cfg.clusterCIDR;
  const ctx: Ctx = { cfg, node, large, ifNotLocal: detector ? `! -s ${detector}` : null, ifLocal: detector ? `-s ${detector}` : null };

  const unsorted: Block[] = [];
  const names: string[] = [];
  const protocols: string[] = [];
  const nodeKey = `${node.name}|${large}|${node.ip}`;
  const sharedKey = `*|${large}`;
  for (const e of entries) {
    const blockKey = e.perNode ? nodeKey : sharedKey;
    let blocks = e.blocks.get(blockKey);
    if (!blocks) {
      blocks = e.ports.map((p) => serviceBlock(p, ctx));
      e.blocks.set(blockKey, blocks);
    }
    for (let i = 0; i < e.ports.length; i++) {
      names.push(e.ports[i]!.name);
      protocols.push(e.ports[i]!.protocol);
      unsorted.push(blocks[i]!);
    }
  }
  const items = cache.sortedBlocks(names, protocols, unsorted);

  const mark = cfg.masqueradeMark;
  let filterChains = ':KUBE-SERVICES - [0:0]\n:KUBE-EXTERNAL-SERVICES - [0:0]\n:KUBE-FORWARD - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-PROXY-FIREWALL - [0:0]\n';
  const filterParts: string[] = [];
  if (localhostNodePorts) {
    filterChains += ':KUBE-FIREWALL - [0:0]\n';
    filterParts.push('-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP\n');
  }
  const natChainParts: string[] = [':KUBE-SERVICES - [0:0]\n:KUBE-NODEPORTS - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n'];
  const natParts: string[] = [
    `-A KUBE-POSTROUTING -m mark ! --mark ${mark}/${mark} -j RETURN\n`,
    `-A KUBE-POSTROUTING -j MARK --xor-mark ${mark}\n`,
    `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${cfg.randomFully ? ' --random-fully' : ''}\n`,
    `-A KUBE-MARK-MASQ -j MARK --or-mark ${mark}\n`,
  ];
  // Join the blocks in runs of GROUP, reusing each run's text while its blocks are unchanged:
  // after one Service changes only its run is joined again. One list of runs for every node: a
  // run whose blocks are all node-independent is joined once for the whole cluster and handed
  // to every node as the same string; one holding a node's own block is joined again per node.
  let groups = cache.groups.get(sharedKey);
  if (!groups) {
    groups = [];
    cache.groups.set(sharedKey, groups);
  }
  const nGroups = Math.ceil(items.length / GROUP);
  groups.length = Math.min(groups.length, nGroups);
  for (let g = 0; g < nGroups; g++) {
    const blocks = items.slice(g * GROUP, (g + 1) * GROUP);
    let grp = groups[g];
    if (!grp || !sameList(grp.blocks, blocks)) {
      grp = { blocks, filterRules: blocks.map((b) => b.filterRules).join(''), natChains: blocks.map((b) => b.natChains).join(''), natRules: blocks.map((b) => b.natRules).join('') };
      groups[g] = grp;
    }
    if (grp.filterRules) filterParts.push(grp.filterRules);
    if (grp.natChains) natChainParts.push(grp.natChains);
    if (grp.natRules) natParts.push(grp.natRules);
  }

  // Finally, the tail-call to KUBE-NODEPORTS: must stay the last rule of KUBE-SERVICES.
  const npComment = '-m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain"';
  if (cfg.nodePortAddresses.length === 0) {
    natParts.push(`-A KUBE-SERVICES ${npComment} -m addrtype --dst-type LOCAL${localhostNodePorts ? '' : ' ! -d 127.0.0.0/8'} -j KUBE-NODEPORTS\n`);
  } else {
    for (const ip of nodePortIPs(cfg, node)) {
      if (ip.startsWith('127.') && !localhostNodePorts) continue;
      natParts.push(`-A KUBE-SERVICES ${npComment} -d ${ip} -j KUBE-NODEPORTS\n`);
    }
  }

  if (!cfg.conntrackTCPLiberal) filterParts.push(`-A KUBE-FORWARD -m conntrack --ctstate INVALID${cfg.nfacct ? ` -m nfacct --nfacct-name ${NFACCT_INVALID_DROPPED}` : ''} -j DROP\n`);
  filterParts.push(`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark ${mark}/${mark} -j ACCEPT\n`);
  filterParts.push('-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n');

  return { filterChains, filterRules: filterParts, natChains: natChainParts, natRules: natParts };
}

/** Exactly the text kube-proxy hands to `iptables-restore --noflush --counters`. */
export function kubeProxyRestoreText(r: KubeProxyRestore): string {
  return `*filter\n${r.filterChains}${r.filterRules}COMMIT\n*nat\n${r.natChains}${r.natRules}COMMIT\n`;
}

/** Convenience: the restore text for one node. */
export function kubeProxyIptables(model: ClusterModel, node: NodeModel, opts: { cfg?: ProxyConfig; cache?: KubeProxyCache } = {}): string {
  return kubeProxyRestoreText(buildKubeProxyRestore(model, node, opts));
}

