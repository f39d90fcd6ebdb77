/**
 * kube-router's NetworkPolicy firewall (--run-firewall; pkg/controllers/netpol, iptables mode),
 * loaded on each node with iptables-restore --noflush:
 *
 *   INPUT/FORWARD/OUTPUT ─► KUBE-ROUTER-INPUT / -FORWARD / -OUTPUT   (jumps inserted first)
 *   KUBE-ROUTER-FORWARD  -d POD_IP (and bridged) → KUBE-POD-FW-<hash>   ingress of a local Pod
 *                        -s POD_IP             → KUBE-POD-FW-<hash>   egress of a local Pod
 *   KUBE-POD-FW-<hash>   KUBE-NWPLCY-COMMON (replies accepted, INVALID dropped, ICMP), traffic
 *                        from the node itself accepted, then one jump per policy selecting the
 *                        Pod (KUBE-NWPLCY-<hash>), REJECT unless a policy set mark 0x10000, clear
 *                        that mark, set the netpol-ok mark 0x20000
 *   KUBE-NWPLCY-<hash>   one rule per (rule, peer): `-m set --match-set KUBE-SRC-<hash> src -m set
 *                        --match-set KUBE-DST-<hash> dst [ports] -j MARK --set-xmark 0x10000/0x10000`
 *                        followed by a RETURN once marked (egress: KUBE-DST- peers, KUBE-SRC- targets)
 *
 * The semantics (which Pods a policy selects, which peers a rule names) are src/engine/policy's.
 * Simplified: chain and set names hash what upstream hashes (namespace, name) without its
 * sync version; a named port resolves to every number the destination Pods give it; NFLOG
 * rules are left out; a Pod no policy selects gets no chain (upstream gives every Pod one and
 * accepts in it).
 *
 * Dual-stack (kube-router v2): the same chains are written per family, IPv4 ones with
 * iptables-restore and IPv6 ones with ip6tables-restore, each naming sets of its own family:
 * IPv6 sets are the IPv4 names with the prefix "inet6:" (family inet6), holding the Pods' IPv6
 * addresses and the IPv6 ipBlocks; an ipBlock lands in the sets of its family only. Simplified
 * here: the IPv6 common chain has no ICMPv6 accepts (ip6tables' icmp6 match is not parsed yet).
 */
import type { ClusterModel, PodModel, Protocol } from '../../model/cluster';
import { nodeNsId } from '../../net/ids';
import type { NetNs } from '../../net/types';
import { ipsetInstall } from '../../netfilter/ipset';
import { describeRestoreFailure } from '../../netfilter/restoreFailure';
import { ensureNetfilter } from '../../netfilter/state';
import { namespaceLabels, podSelectedBy, policyEnforced, policyTypesOf, type PolicyModel } from '../../policy/evaluate';
import { selectorMatches } from '../../policy/selector';
import type { NetworkPolicyIn } from '../../scenario/schema/k8s';
import type { Sim } from '../../sim';
import { base32, sha256 } from '../../util/sha256';
import type { CniIpSet, RestoreFn } from '../plugin';
import type { Family } from '../../addr/family';
import { hasIPv6 } from '../../net/ipv6';
import { onTables6 } from '../../netfilter/state';

/** A Pod's address of one family (the IPv6 one from status.podIPs), or null. */
const podAddr = (pod: PodModel, fam: Family): string | null => (fam === 4 ? pod.podIP : (pod.podIPs?.find((a) => a.includes(':')) ?? null));
/** An ipset name of the family: IPv6 sets carry kube-router's "inet6:" prefix. */
const famSet = (name: string, fam: Family): string => (fam === 6 ? `inet6:${name}` : name);
const ofFamily = (cidr: string, fam: Family): boolean => cidr.includes(':') === (fam === 6);

type Rule = NonNullable<NetworkPolicyIn['spec']['ingress']>[number];
type Peer = NonNullable<Rule['from']>[number];

export const NETPOL_CHAINS = ['KUBE-ROUTER-INPUT', 'KUBE-ROUTER-FORWARD', 'KUBE-ROUTER-OUTPUT'] as const;
export const COMMON_CHAIN = 'KUBE-NWPLCY-COMMON';
const MARK = '0x10000/0x10000';

const h16 = (s: string): string => base32(sha256(s)).slice(0, 16);
export const podFwChain = (ns: string, name: string): string => `KUBE-POD-FW-${h16(`${ns}${name}`)}`;
export const policyChainName = (ns: string, name: string): string => `KUBE-NWPLCY-${h16(`${ns}${name}`)}`;
const setName = (prefix: 'KUBE-SRC-' | 'KUBE-DST-', key: string): string => `${prefix}${h16(key)}`;
const c = (s: string): string => `-m comment --comment "${s.replace(/"/g, "'")}"`;

function peerPods(model: ClusterModel, peer: Peer, policyNs: string, fam: Family): PodModel[] {
  return model.pods.filter((pod) => {
    if (pod.hostNetwork || !podAddr(pod, fam)) return false;
    if (peer.namespaceSelector) { if (!selectorMatches(peer.namespaceSelector, namespaceLabels(model, pod.meta.namespace))) return false; }
    else if (pod.meta.namespace !== policyNs) return false;
    return !peer.podSelector || selectorMatches(peer.podSelector, pod.meta.labels);
  });
}

function portArgs(ports: Rule['ports'], dsts: readonly PodModel[]): string[] {
  if (!ports || ports.length === 0) return [''];
  const out: string[] = [];
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP') as Protocol;
    const lp = proto.toLowerCase();
    if (p.port === undefined) { out.push(`-p ${lp}`); continue; }
    if (typeof p.port === 'number' || /^\d+$/.test(p.port)) {
      const n = Number(p.port);
      out.push(`-p ${lp} -m ${lp} --dport ${p.endPort !== undefined ? `${n}:${p.endPort}` : n}`);
      continue;
    }
    const nums = new Set<number>();
    for (const d of dsts) for (const cp of d.containers.flatMap((x) => x.ports)) if (cp.name === p.port && cp.protocol === proto) nums.add(cp.containerPort);
    for (const n of nums) out.push(`-p ${lp} -m ${lp} --dport ${n}`);
  }
  return out;
}

/** One policy's chain and the ipsets it names. */
function policyChain(model: ClusterModel, p: PolicyModel, sets: CniIpSet[], fam: Family): string[] {
  const chain = policyChainName(p.meta.namespace, p.meta.name);
  const who = `${p.meta.namespace}/${p.meta.name}`;
  const targets = model.pods.filter((pod) => !pod.hostNetwork && podAddr(pod, fam) && podSelectedBy(p, pod));
  const targetSet = (dir: 'ingress' | 'egress'): string => {
    const name = famSet(setName(dir === 'ingress' ? 'KUBE-DST-' : 'KUBE-SRC-', `${p.meta.namespace}${p.meta.name}${dir}targets`), fam);
    if (!sets.some((s) => s.name === name)) sets.push({ name, type: 'hash:ip', members: new Set(targets.map((t) => podAddr(t, fam)!)) });
    return name;
  };
  const lines: string[] = [];
  const types = policyTypesOf(p);
  for (const dir of ['ingress', 'egress'] as const) {
    if (!types[dir]) continue;
    const rules = (dir === 'ingress' ? p.spec.ingress : p.spec.egress) ?? [];
    const here = targetSet(dir);
    const mine = dir === 'ingress' ? 'dst' : 'src';
    const theirs = dir === 'ingress' ? 'src' : 'dst';
    rules.forEach((r, i) => {
      const peers = dir === 'ingress' ? (r as { from?: Peer[] }).from : (r as { to?: Peer[] }).to;
      const tag = c(`rule to ACCEPT traffic ${dir === 'ingress' ? 'from' : 'to'} ${dir === 'ingress' ? 'source' : 'destination'} pods (rule ${i}) of ${who}`);
      const mark = `-j MARK --set-xmark ${MARK}`;
      if (!peers || peers.length === 0) {
        for (const pa of portArgs(r.ports, dir === 'ingress' ? targets : model.pods)) lines.push(`-A ${chain} ${[tag, `-m set --match-set ${here} ${mine}`, pa, mark].filter(Boolean).join(' ')}`);
        return;
      }
      peers.forEach((pe, k) => {
        const key = `${p.meta.namespace}${p.meta.name}${dir}rule${i}peer${k}`;
        const peerSet = famSet(setName(dir === 'ingress' ? 'KUBE-SRC-' : 'KUBE-DST-', key), fam);
        let peerMatch = `-m set --match-set ${peerSet} ${theirs}`;
        let dsts: readonly PodModel[] = dir === 'ingress' ? targets : [];
        if (pe.ipBlock) {
          // The block goes into the set of its own family; the other family's set stays empty.
          sets.push({ name: peerSet, type: 'hash:net', members: new Set([pe.ipBlock.cidr].filter((x) => ofFamily(x, fam))) });
          const except = (pe.ipBlock.except ?? []).filter((x) => ofFamily(x, fam));
          if (except.length) {
            const exc = famSet(setName(dir === 'ingress' ? 'KUBE-SRC-' : 'KUBE-DST-', `${key}except`), fam);
            sets.push({ name: exc, type: 'hash:net', members: new Set(except) });
            peerMatch += ` -m set ! --match-set ${exc} ${theirs}`;
          }
        } else {
          const pods = peerPods(model, pe, p.meta.namespace, fam);
          sets.push({ name: peerSet, type: 'hash:ip', members: new Set(pods.map((x) => podAddr(x, fam)!)) });
          if (dir === 'egress') dsts = pods;
        }
        for (const pa of portArgs(r.ports, dsts)) lines.push(`-A ${chain} ${[tag, peerMatch, `-m set --match-set ${here} ${mine}`, pa, mark].filter(Boolean).join(' ')}`);
      });
    });
  }
  lines.push(`-A ${chain} -m mark --mark ${MARK} -j RETURN`);
  return lines;
}

export interface NetpolRuleset { readonly text: string; readonly sets: readonly CniIpSet[] }

/** The filter rules and ipsets node `node` needs for the policies selecting its Pods (with `family: 6`, the ip6tables side). */
export function buildNetpolRuleset(model: ClusterModel, node: string, opts: { hook?: boolean; family?: Family } = {}): NetpolRuleset {
  if (!policyEnforced(model)) return { text: '', sets: [] };
  const fam = opts.family ?? 4;
  const local = model.pods.filter((p) => p.nodeName === node && !p.hostNetwork && podAddr(p, fam));
  const chains = new Set<string>([...NETPOL_CHAINS, COMMON_CHAIN]);
  const sets: CniIpSet[] = [];
  const hook = opts.hook ?? true;
  const body: string[] = hook ? [
    `-I INPUT 1 ${c('kube-router netpol - 4IA2OSFRMVNDXBVV')} -j KUBE-ROUTER-INPUT`,
    `-I FORWARD 1 ${c('kube-router netpol - TEMCG2JMHZYE7H7T')} -j KUBE-ROUTER-FORWARD`,
    `-I OUTPUT 1 ${c('kube-router netpol - VEAAIY32XVBHCSCY')} -j KUBE-ROUTER-OUTPUT`,
  ] : [];
  body.push(
    `-A ${COMMON_CHAIN} ${c('rule to drop invalid state for pod')} -m conntrack --ctstate INVALID -j DROP`,
    `-A ${COMMON_CHAIN} ${c('rule for stateful firewall for pod')} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );
  if (fam === 4) body.push(
    `-A ${COMMON_CHAIN} ${c('allow icmp echo requests')} -p icmp -m icmp --icmp-type 8 -j ACCEPT`,
    `-A ${COMMON_CHAIN} ${c('allow icmp destination unreachable messages')} -p icmp -m icmp --icmp-type 3 -j ACCEPT`,
    `-A ${COMMON_CHAIN} ${c('allow icmp time exceeded messages')} -p icmp -m icmp --icmp-type 11 -j ACCEPT`,
  );
  const policyLines: string[] = [];
  const written = new Set<string>();
  for (const pod of local) {
    const selecting = model.networkPolicies.filter((p) => podSelectedBy(p, pod));
    if (!selecting.length) continue;
    const ip = podAddr(pod, fam)!;
    const fw = podFwChain(pod.meta.namespace, pod.meta.name);
    chains.add(fw);
    const who = `namespace: ${pod.meta.namespace} pod: ${pod.meta.name}`;
    const ingress = selecting.some((p) => policyTypesOf(p).ingress);
    const egress = selecting.some((p) => policyTypesOf(p).egress);
    if (ingress) {
      body.push(`-A KUBE-ROUTER-FORWARD ${c(`rule to jump traffic destined to POD ${who} to chain ${fw}`)} -d ${ip} -j ${fw}`);
      body.push(`-A KUBE-ROUTER-OUTPUT ${c(`rule to jump traffic destined to POD ${who} to chain ${fw}`)} -d ${ip} -j ${fw}`);
      body.push(`-A KUBE-ROUTER-FORWARD -m physdev --physdev-is-bridged ${c(`rule to jump traffic destined to POD ${who} to chain ${fw}`)} -d ${ip} -j ${fw}`);
    }
    if (egress) {
      for (const ch of NETPOL_CHAINS) body.push(`-A ${ch} ${c(`rule to jump traffic from POD ${who} to chain ${fw}`)} -s ${ip} -j ${fw}`);
      body.push(`-A KUBE-ROUTER-FORWARD -m physdev --physdev-is-bridged ${c(`rule to jump traffic from POD ${who} to chain ${fw}`)} -s ${ip} -j ${fw}`);
    }
    body.push(`-A ${fw} ${c('rule to jump traffic to the common netpol chain')} -j ${COMMON_CHAIN}`);
    body.push(`-A ${fw} ${c('rule to permit the traffic traffic to pods when source is the pod\'s local node')} -m addrtype --src-type LOCAL -d ${ip} -j ACCEPT`);
    for (const p of selecting) {
      const chain = policyChainName(p.meta.namespace, p.meta.name);
      const t = policyTypesOf(p);
      const jump = `${c(`run through nw policy ${p.meta.name}`)} -j ${chain}`;
      if (t.ingress && t.egress) body.push(`-A ${fw} ${jump}`);
      else body.push(`-A ${fw} ${t.ingress ? `-d ${ip}` : `-s ${ip}`} ${jump}`);
      if (!written.has(chain)) { written.add(chain); chains.add(chain); policyLines.push(...policyChain(model, p, sets, fam)); }
    }
    if (!ingress) body.push(`-A ${fw} -d ${ip} ${c('no ingress policy selects the pod')} -j MARK --set-xmark ${MARK}`);
    if (!egress) body.push(`-A ${fw} -s ${ip} ${c('no egress policy selects the pod')} -j MARK --set-xmark ${MARK}`);
    body.push(`-A ${fw} ${c(`rule to REJECT traffic destined for POD ${who}`)} -m mark ! --mark ${MARK} -j REJECT --reject-with ${fam === 6 ? 'icmp6-port-unreachable' : 'icmp-port-unreachable'}`);
    body.push(`-A ${fw} -j MARK --set-xmark 0x0/0x10000`);
    body.push(`-A ${fw} ${c('set netpol-ok mark')} -j MARK --set-xmark 0x20000/0x20000`);
  }
  // Policies that select no local Pod still have their chains (every node syncs every policy).
  for (const p of model.networkPolicies) {
    const chain = policyChainName(p.meta.namespace, p.meta.name);
    if (!written.has(chain)) { written.add(chain); chains.add(chain); policyLines.push(...policyChain(model, p, sets, fam)); }
  }
  const text = ['*filter', ...[...chains].map((x) => `:${x} - [0:0]`), ...body, ...policyLines, 'COMMIT', ''].join('\n');
  return { text, sets };
}

const hooked = new WeakSet<NetNs>();
const hooked6 = new WeakSet<NetNs>();

/** Loads (or reloads) every node's firewall: its ipsets, then its chains with --noflush; on a cluster with IPv6 the IPv6 side too. */
export function installNetpol(sim: Sim, restore: RestoreFn): string[] {
  const failed: string[] = [];
  if (!policyEnforced(sim.model)) return failed;
  const families: Family[] = hasIPv6(sim.model) ? [4, 6] : [4];
  for (const node of sim.model.nodes) {
    const ns = sim.net.namespaces.get(nodeNsId(node.name));
    if (!ns) continue;
    for (const fam of families) {
      const done = fam === 4 ? hooked : hooked6;
      const { text, sets } = buildNetpolRuleset(sim.model, node.name, { hook: !done.has(ns), family: fam });
      const load = (): ReturnType<RestoreFn> => {
        for (const s of sets) ipsetInstall(ns, s);
        return restore(ns, text, { noflush: true });
      };
      // ipsets are one table per namespace, shared by both families: the inet6 sets show in `ipset list` too.
      if (fam === 6) for (const s of sets) ipsetInstall(ns, s);
      const res = fam === 4 ? load() : onTables6(ns, load);
      if (res.ok) { done.add(ns); continue; }
      if (!failed.includes(node.name)) failed.push(node.name);
      ensureNetfilter(ns).restoreFailure ??= describeRestoreFailure(`node/${node.name}`, { text, writers: text.split('\n').map(() => 'kube-router') }, res as never);
    }
  }
  return failed;
}
