/**
 * Loads every machine's rules into its root namespace, as the node's daemons would have by the
 * time a learner opens a terminal: the merged iptables ruleset (through the netfilter engine's
 * iptables-restore), and in IPVS mode the IPVS table, the ipsets and the kube-ipvs0 dummy
 * device holding every Service address; in userspace mode kube-proxy's listening sockets.
 *
 * Call after buildNetwork (src/engine/index.ts buildSim). Calling it again after the model
 * changed (a Service edited in the UI) regenerates only the changed Services' blocks.
 */
import type { ClusterModel, NodeModel } from '../../model/cluster';
import { hostNsId, nodeNsId } from '../../net/ids';
import type { Link, NetNs, Network } from '../../net/types';
import type { Sim } from '../../sim';
import { macFromValue } from '../../addr/mac';
import { hashString } from '../../util/rand';
import { writeHostRuleset, writeNodeRuleset, type WrittenRuleset } from '../hostrules';
import { buildCloudLbRuleset } from '../cloudlb';
import { ensureNetfilter, newNetfilterState } from '../../netfilter/state';
import { describeRestoreFailure } from '../../netfilter/restoreFailure';
import type { RestoreFailure } from '../../netfilter/types';
import { cniOf } from '../../cni/registry';
import { proxyConfig } from './config';
import { kubeProxyNftables, NFT_TABLE } from './nftables';
import { clusterHasIPv6 } from './iptables6';
import { writeNodeRuleset6 } from '../hostrules6';
import { iptablesRestore } from '../../netfilter/restore';
import { newNftState, nftLoad, type LoadResult, type NftState } from '../../netfilter/nft/ruleset';
import { effectiveLocalhostNodePorts, KubeProxyCache, NFACCT_INVALID_DROPPED, NFACCT_LOCALHOST_NODEPORTS } from './iptables';
import { KUBE_IPVS_DEVICE } from '../../ipvs/ipvs';
import { addIpv6VirtualServers, buildIpvsState } from './ipvsstate';
import { buildKubeIpsets, type IpSets } from './ipset';
import { ipsetInstall } from '../../netfilter/ipset';
import { allServicePorts } from './serviceports';
import { buildUserspaceState, USERSPACE_ROLE, userspaceListeners, userspaceProxyApp, type UserspaceState } from './userspace';

/** The netfilter engine's loader: `iptablesRestore(ns, text)` from src/engine/netfilter/restore.ts. */
export type RestoreFn = (ns: NetNs, text: string) => { ok: true } | { ok: false; line: number; error: string };
/**
 * The same loader fed the writers' pieces (their concatenation is the text):
 * `iptablesRestorePieces(ns, pieces, cache)` from src/engine/netfilter/restore.ts.
 */
export interface PiecesRestore {
  readonly pieces: (ns: NetNs, pieces: readonly string[]) => ReturnType<RestoreFn>;
  /** The same for the node's ip6tables rules (`ip6tablesRestorePieces`); without it they load as text through `restore6`. */
  readonly pieces6?: (ns: NetNs, pieces: readonly string[]) => ReturnType<RestoreFn>;
}
/** nf_tables' loader, `nftLoad(state, text)` from src/engine/netfilter/nft/ruleset.ts (tests pass a failing one). */
export type NftLoadFn = (st: NftState, text: string) => LoadResult;

export interface InstallResult {
  readonly machine: string;
  readonly rules: string;
  readonly error?: string;
  /** Set when the machine's restore failed: who wrote the offending line, and which tables did not load. */
  readonly failure?: RestoreFailure;
}


/** The result of a machine whose rules loaded: the text is rendered only if someone reads it. */
function loaded(machine: string, written: WrittenRuleset): InstallResult {
  return { machine, get rules() { return written.text; } };
}

/** Loads a machine's rules; a failure is kept on the namespace (trace events, kube-proxy's log, diagnostics). */
function load(ns: NetNs, machine: string, written: WrittenRuleset, restore: RestoreFn | PiecesRestore | undefined): InstallResult {
  const res = restore === undefined ? undefined : typeof restore === 'function' ? restore(ns, written.text) : restore.pieces(ns, written.pieces);
  if (!res) return loaded(machine, written);
  const state = ensureNetfilter(ns);
  if (res.ok) {
    delete state.restoreFailure;
    return loaded(machine, written);
  }
  const failure = describeRestoreFailure(machine, written, res);
  state.restoreFailure = failure;
  return { machine, rules: written.text, error: `line ${res.line}: ${res.error}`, failure };
}

/**
 * The node's ip6tables rules (a cluster with an IPv6 family), loaded into its IPv6 tables as
 * ip6tables-restore would. A failure is kept on those tables like an IPv4 one (the trace, the
 * diagnostic, kube-proxy's log say so); an IPv4-only cluster gets no IPv6 tables at all.
 */
function load6(ns: NetNs, machine: string, written: WrittenRuleset | null, restore6: RestoreFn, pieces6?: PiecesRestore['pieces6']): InstallResult | null {
  if (!written) return null;
  // nfnetlink_acct objects belong to the namespace, not to a family: both tables count into them.
  if (ns.netfilter?.nfacct) (ns.netfilter6 ??= newNetfilterState()).nfacct = ns.netfilter.nfacct;
  const res = pieces6 ? pieces6(ns, written.pieces) : restore6(ns, written.text);
  const state = ns.netfilter6;
  if (res.ok) {
    if (state) delete state.restoreFailure;
    return null;
  }
  const failure = describeRestoreFailure(machine, written, res);
  if (state) state.restoreFailure = failure;
  return { machine, rules: written.text, error: `line ${res.line}: ${res.error}`, failure };
}

/** ip6tables-restore: the netfilter engine's loader on a namespace's IPv6 tables. */
export const ip6tablesRestore: RestoreFn = (ns, text) => iptablesRestore(ns, text, { family: 6 });

/** kube-proxy's per-Service blocks, kept with the Sim's caches (so they survive rebuildSim), else with its network. */
const caches = new WeakMap<object, KubeProxyCache>();
const userspace = new WeakMap<NetNs, UserspaceState>();

/** kube-proxy's userspace-mode state on a node (its portals and round-robin positions). */
export function userspaceStateOf(ns: NetNs): UserspaceState | undefined {
  return userspace.get(ns);
}

/** The local IPv4 addresses of a namespace, except on kube-ipvs0 and lo. */
function localAddresses(ns: NetNs): string[] {
  const out: string[] = [];
  for (const l of ns.links) {
    if (l.name === KUBE_IPVS_DEVICE || l.kind === 'loopback') continue;
    for (const a of l.addrs) if (a.family === 4 && !out.includes(a.address)) out.push(a.address);
  }
  return out;
}

/** kube-ipvs0: a DOWN dummy device whose /32 addresses make every Service IP local to the node. */
export function ensureIpvsDevice(ns: NetNs, addresses: readonly string[]): Link {
  let link = ns.links.find((l) => l.name === KUBE_IPVS_DEVICE);
  if (!link) {
    link = {
      ifindex: ns.nextIfindex++, name: KUBE_IPVS_DEVICE, kind: 'dummy',
      mac: macFromValue(hashString(`${ns.id}/${KUBE_IPVS_DEVICE}`) * 256), mtu: 1500, up: false, addrs: [],
      stats: { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
    };
    ns.links.push(link);
  }
  // IPv6 Service addresses (the IPv6 proxier's) sit beside the IPv4 ones, as /128s.
  link.addrs = addresses.map((address) => (address.includes(':') ? { family: 6 as const, address, prefixLen: 128, scope: 'global' as const } : { family: 4 as const, address, prefixLen: 32, scope: 'global' as const }));
  // fib_add_ifaddr adds the `local` route even while the device is down: that is what makes
  // the node accept packets for a ClusterIP in IPVS mode.
  ns.routes = ns.routes.filter((r) => !(r.table === 255 && r.dev === KUBE_IPVS_DEVICE));
  for (const address of addresses) {
    if (address.includes(':')) ns.routes.push({ family: 6, table: 255, type: 'local', dst: `${address}/128`, dev: KUBE_IPVS_DEVICE, src: address, proto: 'kernel', scope: 'host' });
    else ns.routes.push({ family: 4, table: 255, type: 'local', dst: `${address}/32`, dev: KUBE_IPVS_DEVICE, src: address, proto: 'kernel', scope: 'host' });
  }
  return link;
}

/** The sysctls kube-proxy sets at start (NewProxier in each mode). */
function writeSysctls(ns: NetNs, cfg: ReturnType<typeof proxyConfig>): void {
  if (cfg.mode === 'iptables' && effectiveLocalhostNodePorts(cfg)) ns.sysctl['net.ipv4.conf.all.route_localnet'] = '1';
  if (cfg.mode === 'ipvs') {
    ns.sysctl['net.ipv4.vs.conntrack'] = '1';
    ns.sysctl['net.ipv4.vs.expire_nodest_conn'] = '1';
    ns.sysctl['net.ipv4.vs.expire_quiescent_template'] = '1';
    ns.sysctl['net.ipv4.ip_forward'] = '1';
  }
}

/**
 * nftables mode: kube-proxy's transaction loaded into the node's nf_tables state (as `nft -f`,
 * atomically); any other mode removes the table. Returns the load error, if any.
 */
function installNftables(ns: NetNs, model: ClusterModel, node: NodeModel, cfg: ReturnType<typeof proxyConfig>, loader: NftLoadFn): string | undefined {
  const ours = (t: { family: string; name: string }): boolean => (t.family === 'ip' || t.family === 'ip6') && t.name === NFT_TABLE;
  if (cfg.mode !== 'nftables') {
    if (ns.nft) ns.nft.tables = ns.nft.tables.filter((t) => !ours(t));
    return undefined;
  }
  ns.nft ??= newNftState();
  // A full sync replaces the table (kube-proxy's first sync after a restart starts from nothing).
  ns.nft.tables = ns.nft.tables.filter((t) => !ours(t));
  // On a cluster with IPv6 the IPv6 proxier's `ip6 kube-proxy` transaction follows the IPv4 one.
  const text = kubeProxyNftables(model, node, cfg) + (clusterHasIPv6(model) ? kubeProxyNftables(model, node, cfg, 'ip6') : '');
  const r = loader(ns.nft, text);
  if (r.ok) { delete ns.nft.loadFailure; return undefined; }
  // Kept on the machine: `knp check`, kube-proxy's log and every packet entering it say so.
  ns.nft.loadFailure = { machine: `node/${node.name}`, writer: 'kube-proxy', line: r.line, text: text.split('\n')[r.line - 1] ?? '', error: r.error };
  return `nft -f line ${r.line}: ${r.error}`;
}

function installNode(sim: Sim, node: NodeModel, restore: RestoreFn | PiecesRestore | undefined, cache: KubeProxyCache, nftLoader: NftLoadFn, restore6: RestoreFn): InstallResult | null {
  const ns = sim.net.namespaces.get(nodeNsId(node.name));
  if (!ns) return null;
  const model = sim.model;
  const cfg = proxyConfig(model);
  const nodeAddresses = localAddresses(ns);
  const written = writeNodeRuleset(model, node, { cfg, cache, seed: sim.seed, ...(nodeAddresses.length ? { nodeAddresses } : {}) });
  // The network plugin's sets first (Felix's IP pools), then kube-proxy's.
  for (const s of cniOf(model.spec).ipsets(model)) ipsetInstall(ns, s);
  const sets: IpSets = new Map();
  if (cfg.mode === 'ipvs') {
    const ports = allServicePorts(model);
    const state = buildIpvsState(model, node, { cfg, ports, ...(nodeAddresses.length ? { nodeAddresses } : {}) });
    if (clusterHasIPv6(model)) addIpv6VirtualServers(state, model, node, cfg);
    ns.ipvs = state;
    for (const [k, v] of buildKubeIpsets(ports, node.name, state)) sets.set(k, v);
    // The IPv6 virtual servers' addresses (not the node's own) are bound to kube-ipvs0 too.
    const own6 = (node.ips ?? []).filter((a) => a.includes(':'));
    const vips6 = [...new Set([...state.services.values()].map((vs) => vs.address).filter((a) => a.includes(':') && !own6.includes(a)))];
    ensureIpvsDevice(ns, [...state.boundAddresses, ...vips6]);
  } else {
    delete ns.ipvs;
  }
  for (const s of sets.values()) ipsetInstall(ns, s);
  // A plugin that proxies Services itself (CniPlugin.installServiceProxy) sets up its IPVS table, devices and sets.
  cniOf(model.spec).installServiceProxy?.({
    sim, node, ns,
    ipvsTable: (scheduler) => buildIpvsState(model, node, { cfg: scheduler ? { ...cfg, scheduler } : cfg, ...(nodeAddresses.length ? { nodeAddresses } : {}) }),
  });
  if (cfg.mode === 'userspace') {
    const state = buildUserspaceState(model, node, sim.seed);
    userspace.set(ns, state);
    ns.listeners = [...ns.listeners.filter((l) => !(l.app.kind === 'proxy' && l.app.role === USERSPACE_ROLE)), ...userspaceListeners(state, node)];
    sim.apps.set(USERSPACE_ROLE, (ctx) => userspaceProxyApp(userspace.get(ctx.ns), ctx.local.port));
  }
  writeSysctls(ns, cfg);
  // kube-proxy's nfacct objects exist before its rules name them (xt_nfacct refuses an unknown one).
  if (cfg.mode === 'iptables' && cfg.nfacct) {
    const st = ensureNetfilter(ns);
    st.nfacct ??= new Map();
    for (const name of [NFACCT_INVALID_DROPPED, NFACCT_LOCALHOST_NODEPORTS]) if (!st.nfacct.has(name)) st.nfacct.set(name, { pkts: 0, bytes: 0 });
  }
  const out = load(ns, `node/${node.name}`, written, restore);
  // The IPv6 writers' rules (dual-stack and IPv6-only clusters) go to the IPv6 tables.
  const out6 = restore ? load6(ns, `node/${node.name}`, writeNodeRuleset6(model, node, cfg), restore6, typeof restore === 'function' ? undefined : restore.pieces6) : null;
  const nftError = installNftables(ns, model, node, cfg, nftLoader);
  sim.net.generation++;
  if (out6 && !out.error) return out6;
  return nftError && !out.error ? { ...out, error: nftError } : out;
}

/**
 * Installs the rules of every node and Docker host. `restore` is the netfilter engine's
 * iptablesRestore (given each machine's text) or iptablesRestorePieces (given its writers'
 * pieces); without it only the non-iptables state (IPVS, ipsets, kube-ipvs0, userspace
 * listeners) is installed and the texts are returned.
 */
export function installRules(sim: Sim, restore?: RestoreFn | PiecesRestore, nftLoader: NftLoadFn = nftLoad, restore6: RestoreFn = ip6tablesRestore): InstallResult[] {
  const owner: object = sim.caches ?? sim.net;
  let cache = caches.get(owner);
  if (!cache) {
    cache = new KubeProxyCache();
    caches.set(owner, cache);
  }
  const out: InstallResult[] = [];
  if (sim.model.hasCluster) {
    for (const node of sim.model.nodes) {
      const r = installNode(sim, node, restore, cache, nftLoader, restore6);
      if (r) out.push(r);
    }
  }
  // The cloud load balancer in front of LoadBalancer Services (a `role: loadbalancer` external host).
  for (const lb of sim.model.externalHosts) {
    if (lb.role !== 'loadbalancer' || !sim.model.hasCluster) continue;
    const ns = sim.net.namespaces.get(hostNsId(lb.name));
    if (ns) out.push(load(ns, `host/${lb.name}`, buildCloudLbRuleset(sim.model), restore));
  }
  for (const host of sim.model.hosts) {
    if (!host.spec.docker) continue;
    const ns = sim.net.namespaces.get(hostNsId(host.meta.name));
    if (!ns) continue;
    const containerIP = (name: string): string | undefined => {
      const c = sim.net.namespaces.get(`${hostNsId(host.meta.name)}#${name}`);
      return c?.links.find((l) => l.name === 'eth0')?.addrs.find((a) => a.family === 4)?.address;
    };
    out.push(load(ns, `host/${host.meta.name}`, writeHostRuleset(sim.model, host.meta.name, { containerIP }), restore));
  }
  return out;
}
