/**
 * NetworkPolicy enforcement as netfilter rules on each node, in the manner of Calico's
 * iptables data plane (felix), as iptables-restore text for the filter table:
 *
 *   FORWARD ─► cali-FORWARD ─► cali-from-wl-dispatch ─(-s podIP)─► cali-fw-caliXXXX   egress of a local Pod
 *                          └─► cali-to-wl-dispatch   ─(-d podIP)─► cali-tw-caliXXXX   ingress of a local Pod
 *
 *   cali-tw-caliXXXX: ESTABLISHED/RELATED accept (replies), INVALID drop, clear the accept mark,
 *                     jump to cali-pi-<policy> for each policy selecting the Pod, return once a
 *                     policy set the mark 0x10000, else "Drop if no policies passed packet".
 *   cali-pi-<hash>:   one rule per (rule, peer, port) setting the mark, commented with the policy
 *                     and rule, so a trace names the rule that allowed or the chain that dropped.
 *
 * Differences from felix, on purpose: dispatch matches Pod addresses (-s/-d) rather than the
 * cali* interface names, so the rules do not depend on how the CNI names host-side veths; peers
 * are listed as addresses instead of ipsets; per-Pod chains are only written for Pods a policy
 * isolates. Chain names stay under iptables' 28-character limit by hashing.
 *
 * IPv6 (calico on a cluster with an IPv6 family): Felix writes the same chains into the IPv6
 * filter table (ip6tables) with each Pod's IPv6 address (/128), the peers' IPv6 addresses and the
 * IPv6 ipBlocks; the IPv4 chains keep only IPv4 ones. IPv6 packets traverse those tables
 * (ns.netfilter6), loaded here by an ip6tables-restore of the same text.
 */
import type { ClusterModel, PodModel, Protocol } from '../../model/cluster';
import type { NetworkPolicyIn } from '../../scenario/schema/k8s';
import { hashString } from '../../util/rand';
import { namespaceLabels, podSelectedBy, policyEnforced, policyTypesOf, type PolicyModel } from '../../policy/evaluate';
import { selectorMatches } from '../../policy/selector';
import type { NetNs } from '../../net/types';
import type { Sim } from '../../sim';
import { nodeNsId } from '../../net/ids';
import { caliName } from './plugin';
import { ensureNetfilter } from '../../netfilter/state';
import { describeRestoreFailure } from '../../netfilter/restoreFailure';
import { hasIPv6 } from '../../net/ipv6';
import { onTables6 } from '../../netfilter/state';
import type { Family } from '../../addr/family';

/** A Pod's address of one family (its IPv6 one from status.podIPs), or null. */
export function podAddr(pod: PodModel, fam: Family): string | null {
  return fam === 4 ? pod.podIP : (pod.podIPs?.find((a) => a.includes(':')) ?? null);
}
const hostLen = (fam: Family): string => (fam === 4 ? '/32' : '/128');
const hostCidr = (pod: PodModel, fam: Family): string | null => { const a = podAddr(pod, fam); return a ? `${a}${hostLen(fam)}` : null; };

type Rule = NonNullable<NetworkPolicyIn['spec']['ingress']>[number];
type Peer = NonNullable<Rule['from']>[number];

const ACCEPT_MARK = '0x10000/0x10000';
const hex = (s: string, len: number): string => hashString(s).toString(16).padStart(8, '0').slice(0, len);

/** Calico's host-side interface name for a workload (the one the CNI gave the Pod's veth). */
export function caliIface(pod: PodModel): string {
  return caliName(pod.meta.namespace, pod.meta.name);
}

export function policyChain(p: PolicyModel, dir: 'ingress' | 'egress'): string {
  return `cali-${dir === 'ingress' ? 'pi' : 'po'}-_${hex(`${p.meta.namespace}/${p.meta.name}`, 8)}`;
}

const comment = (s: string): string => `-m comment --comment "${s.replace(/"/g, "'")}"`;

/** What a peer names: addresses (or the ipBlock itself), and the same addresses as a set. */
interface PeerSources {
  readonly cidrs: string[];
  readonly except: string[];
  readonly set: ReadonlySet<string>;
}

/**
 * Per model (whose lists are never changed in place): each Pod's place in model.pods, the
 * namespaces that hold Pods, each policy's selected Pods, each Pod's selecting policies (in
 * policy order), and each peer's sources. Every node asks the same questions.
 */
interface PolicyMemo {
  readonly position: Map<PodModel, number>;
  readonly namespaces: string[];
  /** Pods by namespace, and within it by label pair ("key=value"), in list order. */
  readonly byNs: Map<string, { readonly all: PodModel[]; readonly byLabel: Map<string, PodModel[]> }>;
  readonly selected: Map<PolicyModel, ReadonlySet<PodModel>>;
  readonly policiesOf: Map<PodModel, PolicyModel[]>;
  readonly peers: Map<Peer, Map<string, PeerSources>>;
  /** Pods by node name, in list order (each node's ruleset reads its own, not the whole list). */
  readonly byNode: Map<string, PodModel[]>;
  /** A rule's peer's Pods with an address of the family (peerPods), per peer (null: any) and family. */
  readonly peerPods: Map<Peer | null, Map<string, readonly PodModel[]>>;
}

const memos = new WeakMap<ClusterModel, PolicyMemo>();

/** The Pods of `ns` that may match `labels`: the shortest list of one of its pairs (the caller checks the selector). */
function candidates(byNs: PolicyMemo['byNs'], ns: string, labels: Readonly<Record<string, string>> | undefined): readonly PodModel[] {
  const n = byNs.get(ns);
  if (!n) return [];
  let best: readonly PodModel[] = n.all;
  for (const [k, v] of Object.entries(labels ?? {})) {
    const list = n.byLabel.get(`${k}=${v}`);
    if (!list) return [];
    if (list.length < best.length) best = list;
  }
  return best;
}

function memoOf(model: ClusterModel): PolicyMemo {
  let m = memos.get(model);
  if (m) return m;
  const position = new Map<PodModel, number>();
  const byNs: PolicyMemo['byNs'] = new Map();
  const byNode = new Map<string, PodModel[]>();
  model.pods.forEach((pod, i) => {
    position.set(pod, i);
    if (pod.nodeName !== null) {
      const on = byNode.get(pod.nodeName);
      if (on) on.push(pod); else byNode.set(pod.nodeName, [pod]);
    }
    let ns = byNs.get(pod.meta.namespace);
    if (!ns) { ns = { all: [], byLabel: new Map() }; byNs.set(pod.meta.namespace, ns); }
    ns.all.push(pod);
    for (const [k, v] of Object.entries(pod.meta.labels)) {
      const list = ns.byLabel.get(`${k}=${v}`);
      if (list) list.push(pod); else ns.byLabel.set(`${k}=${v}`, [pod]);
    }
  });
  const selected = new Map<PolicyModel, ReadonlySet<PodModel>>();
  const policiesOf = new Map<PodModel, PolicyModel[]>();
  for (const p of model.networkPolicies) {
    // The index narrows by the selector's labels; podSelectedBy decides.
    const pods = candidates(byNs, p.meta.namespace, p.spec.podSelector?.matchLabels).filter((pod) => podSelectedBy(p, pod));
    selected.set(p, new Set(pods));
    for (const pod of pods) {
      const list = policiesOf.get(pod);
      if (list) list.push(p); else policiesOf.set(pod, [p]);
    }
  }
  m = { position, namespaces: [...byNs.keys()], byNs, selected, policiesOf, peers: new Map(), byNode, peerPods: new Map() };
  memos.set(model, m);
  return m;
}

/** The Pods a peer names, as addresses of family `fam` (or the ipBlock itself, if of that family), in model.pods order. */
function peerSources(model: ClusterModel, peer: Peer, policyNs: string, fam: Family = 4): PeerSources {
  const memo = memoOf(model);
  let byNs = memo.peers.get(peer);
  if (!byNs) { byNs = new Map(); memo.peers.set(peer, byNs); }
  const key = fam === 4 ? policyNs : `${policyNs} 6`;
  const hit = byNs.get(key);
  if (hit) return hit;
  let out: PeerSources;
  // An ipBlock goes into the chains of its own family: IPv4 ones in iptables, IPv6 ones in ip6tables.
  const mine = (c: string): boolean => c.includes(':') === (fam === 6);
  if (peer.ipBlock) {
    const cidrs = [peer.ipBlock.cidr].filter(mine);
    out = { cidrs, except: (peer.ipBlock.except ?? []).filter(mine), set: new Set(cidrs) };
  } else {
    const nss = peer.namespaceSelector
      ? memo.namespaces.filter((ns) => selectorMatches(peer.namespaceSelector, namespaceLabels(model, ns)))
      : [policyNs];
    const pods: PodModel[] = [];
    for (const ns of nss) {
      for (const pod of candidates(memo.byNs, ns, peer.podSelector?.matchLabels)) {
        if (pod.hostNetwork || !podAddr(pod, fam)) continue;
        if (!peer.podSelector || selectorMatches(peer.podSelector, pod.meta.labels)) pods.push(pod);
      }
    }
    if (nss.length > 1) pods.sort((a, b) => memo.position.get(a)! - memo.position.get(b)!);
    const cidrs = [...new Set(pods.map((p) => hostCidr(p, fam)!))];
    out = { cidrs, except: [], set: new Set(cidrs) };
  }
  byNs.set(key, out);
  return out;
}

/** "-p tcp -m tcp --dport 80" fragments for a rule's ports, resolving named ports on `dsts`. */
function portMatches(ports: Rule['ports'], dsts: readonly PodModel[] | null, fam: Family): { proto: string; dst?: string }[] {
  if (!ports || ports.length === 0) return [{ proto: '' }];
  const out: { proto: string; dst?: string }[] = [];
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP') as Protocol;
    const lp = proto.toLowerCase();
    if (p.port === undefined) { out.push({ proto: `-p ${lp}` }); continue; }
    if (typeof p.port === 'number' || /^\d+$/.test(p.port)) {
      const n = Number(p.port);
      out.push({ proto: `-p ${lp} -m ${lp} --dport ${p.endPort !== undefined && typeof p.port === 'number' ? `${n}:${p.endPort}` : n}` });
      continue;
    }
    // A named port: a number per destination Pod that declares it.
    for (const d of dsts ?? []) {
      const cp = d.containers.flatMap((c) => c.ports).find((x) => x.name === p.port && x.protocol === proto);
      const dst = hostCidr(d, fam);
      if (cp && dst) out.push({ proto: `-p ${lp} -m ${lp} --dport ${cp.containerPort}`, dst });
    }
  }
  return out;
}

function policyChainRules(model: ClusterModel, p: PolicyModel, dir: 'ingress' | 'egress', localSelected: readonly PodModel[], extra: string[], fam: Family): string[] {
  const chain = policyChain(p, dir);
  const lines: string[] = [];
  const rules = (dir === 'ingress' ? p.spec.ingress : p.spec.egress) ?? [];
  const who = `${p.meta.namespace}/${p.meta.name}`;
  rules.forEach((r, i) => {
    const peers = dir === 'ingress' ? (r as { from?: Peer[] }).from : (r as { to?: Peer[] }).to;
    const tag = comment(`Policy ${who} ${dir} rule ${i}`);
    const addr = dir === 'ingress' ? '-s' : '-d';
    // Named ports resolve on the destination: the selected Pod for ingress, the peer for egress.
    const peerPods = (pe: Peer | null): readonly PodModel[] => {
      // The same on every node: filtered once per model, peer, policy namespace and family.
      const memo = memoOf(model);
      let byKey = memo.peerPods.get(pe);
      if (!byKey) { byKey = new Map(); memo.peerPods.set(pe, byKey); }
      const key = pe ? `${p.meta.namespace} ${fam}` : `${fam}`;
      let pods = byKey.get(key);
      if (!pods) {
        const set = pe ? peerSources(model, pe, p.meta.namespace, fam).set : null;
        pods = model.pods.filter((pod) => { const c = pod.hostNetwork ? null : hostCidr(pod, fam); return c !== null && (!set || set.has(c)); });
        byKey.set(key, pods);
      }
      return pods;
    };
    const emit = (peerMatch: string, ports: { proto: string; dst?: string }[], target: string): void => {
      for (const pm of ports) lines.push(`-A ${chain} ${[peerMatch, pm.dst ? `-d ${pm.dst}` : '', pm.proto, tag, target].filter(Boolean).join(' ')}`);
    };
    const dsts = dir === 'ingress' ? localSelected : null;
    if (!peers || peers.length === 0) {
      emit('', portMatches(r.ports, dsts ?? peerPods(null), fam), `-j MARK --set-xmark ${ACCEPT_MARK}`);
      return;
    }
    peers.forEach((pe, k) => {
      const { cidrs, except } = peerSources(model, pe, p.meta.namespace, fam);
      const ports = portMatches(r.ports, dsts ?? peerPods(pe), fam);
      if (except.length) {
        const sub = `${chain}-${i}${k}`;
        extra.push(`:${sub} - [0:0]`);
        for (const e of except) lines.push(`-A ${sub} ${addr} ${e} ${comment(`Policy ${who} ${dir} rule ${i} peer ${k}: except ${e}`)} -j RETURN`);
        for (const pm of ports) lines.push(`-A ${sub} ${[pm.dst ? `-d ${pm.dst}` : '', pm.proto, tag, `-j MARK --set-xmark ${ACCEPT_MARK}`].filter(Boolean).join(' ')}`);
        for (const c of cidrs) lines.push(`-A ${chain} ${addr} ${c} ${tag} -j ${sub}`);
        return;
      }
      for (const c of cidrs) emit(`${addr} ${c}`, ports, `-j MARK --set-xmark ${ACCEPT_MARK}`);
    });
  });
  lines.push(`-A ${chain} -m mark --mark ${ACCEPT_MARK} ${comment('Return if policy accepted')} -j RETURN`);
  return lines;
}

/**
 * The filter-table rules node `node` needs for the policies selecting its Pods, as
 * iptables-restore input (load with `--noflush`); with `family: 6` the ip6tables-restore input of
 * the same chains over the Pods' IPv6 addresses. Empty when the plugin does not enforce policy.
 */
export function buildPolicyRuleset(model: ClusterModel, node: string, opts: { hook?: boolean; family?: Family } = {}): string {
  if (!policyEnforced(model)) return '';
  const fam = opts.family ?? 4;
  const memo = memoOf(model);
  const local = (memo.byNode.get(node) ?? []).filter((p) => !p.hostNetwork && podAddr(p, fam));
  const chains = new Set<string>(['cali-FORWARD', 'cali-from-wl-dispatch', 'cali-to-wl-dispatch']);
  const extraChains: string[] = [];
  const body: string[] = [
    // The jump from FORWARD is written once; a reload (policies changed) only rewrites cali-* chains.
    ...(opts.hook ?? true ? [`-I FORWARD 1 ${comment('cali:wUHhoiAYhphO9Mso')} -j cali-FORWARD`] : []),
    `-A cali-FORWARD ${comment('cali:vjrMJCRpqwy5oRoX')} -j MARK --set-xmark 0x0/0xe0000`,
    `-A cali-FORWARD ${comment('cali:A_sPAO0mcxbT9mOV')} -j cali-from-wl-dispatch`,
    `-A cali-FORWARD ${comment('cali:8ZoYfO5HKXWbB3pk')} -j cali-to-wl-dispatch`,
  ];
  const policyLines: string[] = [];
  const written = new Set<string>();
  for (const dir of ['egress', 'ingress'] as const) {
    for (const pod of local) {
      const selecting = (memo.policiesOf.get(pod) ?? []).filter((p) => policyTypesOf(p)[dir]);
      if (!selecting.length) continue;
      const iface = caliIface(pod);
      const wl = `cali-${dir === 'egress' ? 'fw' : 'tw'}-${iface}`;
      chains.add(wl);
      const who = `${pod.meta.namespace}/${pod.meta.name}`;
      const me = hostCidr(pod, fam)!;
      body.push(dir === 'egress'
        ? `-A cali-from-wl-dispatch -s ${me} ${comment(`from ${who}`)} -j ${wl}`
        : `-A cali-to-wl-dispatch -d ${me} ${comment(`to ${who}`)} -j ${wl}`);
      body.push(`-A ${wl} -m conntrack --ctstate RELATED,ESTABLISHED ${comment('replies of allowed connections')} -j ACCEPT`);
      body.push(`-A ${wl} -m conntrack --ctstate INVALID -j DROP`);
      body.push(`-A ${wl} ${comment('Start of policies')} -j MARK --set-xmark 0x0/0x10000`);
      for (const p of selecting) {
        const chain = policyChain(p, dir);
        body.push(`-A ${wl} -m mark --mark 0x0/0x10000 ${comment(`policy ${p.meta.namespace}/${p.meta.name}`)} -j ${chain}`);
        body.push(`-A ${wl} -m mark --mark ${ACCEPT_MARK} ${comment('Return if policy accepted')} -j RETURN`);
        if (!written.has(chain)) {
          written.add(chain);
          chains.add(chain);
          const selected = memo.selected.get(p)!;
          const sel = local.filter((x) => selected.has(x));
          policyLines.push(...policyChainRules(model, p, dir, sel, extraChains, fam));
        }
      }
      const names = selecting.map((p) => `${p.meta.namespace}/${p.meta.name}`);
      const sel = names.length === 1 ? `policy ${names[0]} selects` : `policies ${names.join(', ')} select`;
      body.push(`-A ${wl} ${comment(`Drop if no policies passed packet: ${sel} ${who} for ${dir}`)} -j DROP`);
    }
  }
  return ['*filter', ...[...chains].map((c) => `:${c} - [0:0]`), ...new Set(extraChains), ...body, ...policyLines, 'COMMIT', ''].join('\n');
}

/** The netfilter loader's shape: `iptablesRestore(ns, text, {noflush})` from src/engine/netfilter/restore.ts. */
export type PolicyRestoreFn = (ns: NetNs, text: string, opts: { noflush: boolean }) => { ok: true } | { ok: false; line: number; error: string };

const hooked = new WeakSet<NetNs>();
const hooked6 = new WeakSet<NetNs>();

/**
 * Loads (or reloads, after policies changed) every node's policy rules with `iptables-restore
 * --noflush`, as felix keeps them in sync, and with `ipv6` (Calico on a cluster with IPv6) the
 * IPv6 chains with ip6tables-restore. Call after kube-proxy's rules are loaded. Returns the
 * nodes whose rules failed to load.
 */
export function installPolicyRules(sim: Sim, restore: PolicyRestoreFn, opts: { ipv6?: boolean } = {}): string[] {
  const failed: string[] = [];
  if (!policyEnforced(sim.model)) return failed;
  const v6 = (opts.ipv6 ?? false) && hasIPv6(sim.model);
  for (const node of sim.model.nodes) {
    const ns = sim.net.namespaces.get(nodeNsId(node.name));
    if (!ns) continue;
    const text = buildPolicyRuleset(sim.model, node.name, { hook: !hooked.has(ns) });
    if (!text) continue;
    const res = restore(ns, text, { noflush: true });
    if (res.ok) hooked.add(ns);
    else {
      failed.push(node.name);
      // Felix's restore failed: recorded like kube-proxy's, so it is reported, not silent.
      ensureNetfilter(ns).restoreFailure ??= describeRestoreFailure(`node/${node.name}`, { text, writers: text.split('\n').map(() => 'calico-node') }, res);
    }
    if (!v6) continue;
    const text6 = buildPolicyRuleset(sim.model, node.name, { hook: !hooked6.has(ns), family: 6 });
    const res6 = onTables6(ns, () => restore(ns, text6, { noflush: true }));
    if (res6.ok) { hooked6.add(ns); continue; }
    if (!failed.includes(node.name)) failed.push(node.name);
    ensureNetfilter(ns).restoreFailure ??= describeRestoreFailure(`node/${node.name}`, { text: text6, writers: text6.split('\n').map(() => 'calico-node') }, res6);
  }
  return failed;
}

/** Felix's policy installer with its IPv6 side on (Calico; canal's flannel datapath carries IPv4 only). */
export const installPolicyRulesDualStack = (sim: Sim, restore: PolicyRestoreFn): string[] => installPolicyRules(sim, restore, { ipv6: true });
