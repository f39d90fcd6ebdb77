/**
 * weave-npc, Weave Net's NetworkPolicy controller (weave 2.8, npc/): it keeps ipsets of Pod
 * addresses and a fixed set of filter chains, and turns each policy rule into one iptables rule
 * matching a source set and a destination set.
 *
 *   FORWARD -i weave ─► WEAVE-NPC-EGRESS: replies accepted; frames that came from another node
 *            (physdev-in vethwe-bridge) were checked there, RETURN; NEW ─► WEAVE-NPC-EGRESS-DEFAULT
 *            (Pods no egress policy selects: mark 0x40000 = accepted) ─► WEAVE-NPC-EGRESS-CUSTOM
 *            (one rule per egress rule, jumping to WEAVE-NPC-EGRESS-ACCEPT); no mark ─► DROP.
 *   FORWARD -o weave ─► WEAVE-NPC: replies accepted; frames leaving to other nodes (physdev-out
 *            vethwe-bridge) accepted, ingress is checked where the Pod lives; NEW ─►
 *            WEAVE-NPC-DEFAULT (destination is a Pod no ingress policy selects: ACCEPT) ─►
 *            WEAVE-NPC-INGRESS (one ACCEPT per ingress rule); what falls through is dropped by
 *            FORWARD's `-o weave -j DROP`.
 *
 * The sets: per namespace, the Pods no ingress policy selects and the Pods no egress policy
 * selects ("DefaultAllow ... isolation for namespace: NS"); per selector a rule uses, the Pods it
 * matches. weave names them "weave-" and a hash; so do we (another hash, same length).
 * Simplified: a namespaceSelector peer is one hash:ip set of the matching Pods (weave builds a
 * list:set of per-namespace sets); ipBlock `except` entries RETURN before the rule's ACCEPT.
 * weave has no IPv6: an IPv6 ipBlock (or except entry) is left out of the rules, and the control
 * plane warns with `policy-ipv6-unsupported`.
 */
import type { ClusterModel, PodModel } from '../../model/cluster';
import type { NetworkPolicyIn } from '../../scenario/schema/k8s';
import { namespaceLabels, podSelectedBy, policyTypesOf, type PolicyModel } from '../../policy/evaluate';
import { formatSelector, selectorMatches } from '../../policy/selector';
import type { Ruleset } from '../../netfilter/ruleset';
import { hashString } from '../../util/rand';
import type { CniIpSet } from '../plugin';

type Rule = NonNullable<NetworkPolicyIn['spec']['ingress']>[number];
type Peer = NonNullable<Rule['from']>[number];

export const NPC_EGRESS_MARK = '0x40000/0x40000';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** "weave-" and 25 characters of a hash of what the set holds (31, iptables' limit for a set name). */
export function npcSetName(key: string): string {
  let out = 'weave-';
  let h = hashString(key);
  for (let i = 0; i < 25; i++) {
    if (i % 5 === 0) h = hashString(`${key}#${i}`, h);
    out += ALNUM[h % ALNUM.length];
    h = Math.floor(h / ALNUM.length);
  }
  return out;
}

const comment = (s: string): string => `-m comment --comment "${s.replace(/"/g, "'")}"`;

interface NpcPlan {
  readonly sets: Map<string, CniIpSet & { readonly comment: string }>;
  readonly defaults: { ingress: string[]; egress: string[] };
  readonly ingress: string[];
  readonly egress: string[];
}

const podsWithIp = (model: ClusterModel): PodModel[] => model.pods.filter((p) => !p.hostNetwork && p.podIP && p.nodeName);

function addSet(plan: NpcPlan, key: string, comment: string, ips: Iterable<string>): string {
  const name = npcSetName(key);
  if (!plan.sets.has(name)) plan.sets.set(name, { name, type: 'hash:ip', members: new Set(ips), comment });
  return name;
}

/** The set of Pods a policy selects. */
function selectedSet(plan: NpcPlan, model: ClusterModel, p: PolicyModel): { name: string; text: string } {
  const sel = formatSelector(p.spec.podSelector) || '';
  const text = `namespace: ${p.meta.namespace}, selector: ${sel}`;
  const ips = podsWithIp(model).filter((pod) => podSelectedBy(p, pod)).map((pod) => pod.podIP!);
  return { name: addSet(plan, `pods ${text}`, `pods: ${text}`, ips), text };
}

/** The set a peer names (or its ipBlock). */
function peerMatch(plan: NpcPlan, model: ClusterModel, peer: Peer, policyNs: string): { set?: string; cidr?: string; except: string[]; text: string } | null {
  // weave-npc has no IPv6 (its rules are iptables only): an IPv6 block names nothing here, IPv6 exceptions are dropped.
  if (peer.ipBlock) {
    if (peer.ipBlock.cidr.includes(':')) return null;
    return { cidr: peer.ipBlock.cidr, except: (peer.ipBlock.except ?? []).filter((e) => !e.includes(':')), text: `cidr: ${peer.ipBlock.cidr}` };
  }
  const nsText = peer.namespaceSelector ? `namespaces: ${formatSelector(peer.namespaceSelector) || '<all>'}` : `namespace: ${policyNs}`;
  const text = `${nsText}, selector: ${peer.podSelector ? formatSelector(peer.podSelector) : ''}`;
  const ips = podsWithIp(model).filter((pod) => {
    if (peer.namespaceSelector) { if (!selectorMatches(peer.namespaceSelector, namespaceLabels(model, pod.meta.namespace))) return false; }
    else if (pod.meta.namespace !== policyNs) return false;
    return !peer.podSelector || selectorMatches(peer.podSelector, pod.meta.labels);
  }).map((p) => p.podIP!);
  return { set: addSet(plan, `peer ${text}`, text, ips), except: [], text };
}

/** "-p tcp --dport 80" per port of a rule (a named port resolved on the Pods that declare it). */
function portArgs(ports: Rule['ports'], dsts: readonly PodModel[]): string[] {
  if (!ports || ports.length === 0) return [''];
  const out: string[] = [];
  for (const p of ports) {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    if (p.port === undefined) { out.push(`-p ${proto}`); continue; }
    let n: number | undefined = typeof p.port === 'number' || /^\d+$/.test(p.port) ? Number(p.port) : undefined;
    if (n === undefined) {
      const named = dsts.flatMap((d) => d.containers.flatMap((c) => c.ports)).find((x) => x.name === p.port && x.protocol.toLowerCase() === proto);
      n = named?.containerPort;
    }
    if (n === undefined) continue;
    out.push(`-p ${proto} --dport ${p.endPort !== undefined ? `${n}:${p.endPort}` : n}`);
  }
  return out;
}

function plan(model: ClusterModel): NpcPlan {
  const out: NpcPlan = { sets: new Map(), defaults: { ingress: [], egress: [] }, ingress: [], egress: [] };
  const pods = podsWithIp(model);
  const namespaces = [...new Set([...model.namespaces.map((n) => n.name), ...pods.map((p) => p.meta.namespace)])].sort();
  for (const ns of namespaces) {
    for (const dir of ['ingress', 'egress'] as const) {
      const isolated = (pod: PodModel): boolean => model.networkPolicies.some((p) => p.meta.namespace === ns && policyTypesOf(p)[dir] && podSelectedBy(p, pod));
      const ips = pods.filter((p) => p.meta.namespace === ns && !isolated(p)).map((p) => p.podIP!);
      const c = `DefaultAllow ${dir} isolation for namespace: ${ns}`;
      const set = addSet(out, `default ${dir} ${ns}`, c, ips);
      if (dir === 'ingress') out.defaults.ingress.push(`-A WEAVE-NPC-DEFAULT -m set --match-set ${set} dst ${comment(c)} -j ACCEPT`);
      else out.defaults.egress.push(
        `-A WEAVE-NPC-EGRESS-DEFAULT -m set --match-set ${set} src ${comment(c)} -j WEAVE-NPC-EGRESS-ACCEPT`,
        `-A WEAVE-NPC-EGRESS-DEFAULT -m set --match-set ${set} src ${comment(c)} -j RETURN`,
      );
    }
  }
  for (const p of model.networkPolicies) {
    const types = policyTypesOf(p);
    const selected = selectedSet(out, model, p);
    const selPods = pods.filter((pod) => podSelectedBy(p, pod));
    if (types.ingress) for (const r of p.spec.ingress ?? []) {
      const peers = r.from && r.from.length > 0 ? r.from : [null];
      for (const peer of peers) {
        const m = peer ? peerMatch(out, model, peer, p.meta.namespace) : { except: [] as string[], text: 'anywhere' };
        if (!m) continue;
        const src = 'set' in m && m.set ? `-m set --match-set ${m.set} src ` : 'cidr' in m && m.cidr ? `-s ${m.cidr} ` : '';
        const c = comment(`${m.text} -> pods: ${selected.text} (ingress)`);
        for (const e of m.except) out.ingress.push(`-A WEAVE-NPC-INGRESS -s ${e} -m set --match-set ${selected.name} dst ${comment(`except ${e} (ingress)`)} -j RETURN`);
        for (const port of portArgs(r.ports, selPods)) out.ingress.push(`-A WEAVE-NPC-INGRESS ${port ? `${port} ` : ''}${src}-m set --match-set ${selected.name} dst ${c} -j ACCEPT`);
      }
    }
    if (types.egress) for (const r of p.spec.egress ?? []) {
      const peers = r.to && r.to.length > 0 ? r.to : [null];
      for (const peer of peers) {
        const m = peer ? peerMatch(out, model, peer, p.meta.namespace) : { except: [] as string[], text: 'anywhere' };
        if (!m) continue;
        const dst = 'set' in m && m.set ? `-m set --match-set ${m.set} dst ` : 'cidr' in m && m.cidr ? `-d ${m.cidr} ` : '';
        const c = comment(`pods: ${selected.text} -> ${m.text} (egress)`);
        const dstPods = peer && 'set' in m && m.set ? pods.filter((x) => out.sets.get(m.set!)?.members.has(x.podIP!)) : pods;
        for (const e of m.except) out.egress.push(`-A WEAVE-NPC-EGRESS-CUSTOM -m set --match-set ${selected.name} src -d ${e} ${comment(`except ${e} (egress)`)} -j RETURN`);
        for (const port of portArgs(r.ports, dstPods)) {
          out.egress.push(`-A WEAVE-NPC-EGRESS-CUSTOM ${port ? `${port} ` : ''}-m set --match-set ${selected.name} src ${dst}${c} -j WEAVE-NPC-EGRESS-ACCEPT`);
          out.egress.push(`-A WEAVE-NPC-EGRESS-CUSTOM ${port ? `${port} ` : ''}-m set --match-set ${selected.name} src ${dst}${c} -j RETURN`);
        }
      }
    }
  }
  return out;
}

/** weave-npc's ipsets for the cluster. */
export function npcIpsets(model: ClusterModel): CniIpSet[] {
  return [...plan(model).sets.values()];
}

const strip = (rule: string, chain: string): string => rule.slice(`-A ${chain} `.length);

/** weave-npc's fixed chains and the rules for every policy. */
export function writeNpcRules(rs: Ruleset, model: ClusterModel): void {
  const p = plan(model);
  rs.append('filter', 'WEAVE-NPC', '-m state --state RELATED,ESTABLISHED -j ACCEPT');
  rs.append('filter', 'WEAVE-NPC', '-d 224.0.0.0/4 -j ACCEPT');
  rs.append('filter', 'WEAVE-NPC', '-m physdev --physdev-out vethwe-bridge --physdev-is-bridged -j ACCEPT');
  rs.append('filter', 'WEAVE-NPC', '-m state --state NEW -j WEAVE-NPC-DEFAULT');
  rs.append('filter', 'WEAVE-NPC', '-m state --state NEW -j WEAVE-NPC-INGRESS');
  for (const r of p.defaults.ingress) rs.append('filter', 'WEAVE-NPC-DEFAULT', strip(r, 'WEAVE-NPC-DEFAULT'));
  for (const r of p.ingress) rs.append('filter', 'WEAVE-NPC-INGRESS', strip(r, 'WEAVE-NPC-INGRESS'));
  rs.append('filter', 'WEAVE-NPC-EGRESS', '-m state --state RELATED,ESTABLISHED -j ACCEPT');
  rs.append('filter', 'WEAVE-NPC-EGRESS', '-m physdev --physdev-in vethwe-bridge --physdev-is-bridged -j RETURN');
  rs.append('filter', 'WEAVE-NPC-EGRESS', '-m addrtype --dst-type LOCAL -j RETURN');
  rs.append('filter', 'WEAVE-NPC-EGRESS', '-d 224.0.0.0/4 -j RETURN');
  rs.append('filter', 'WEAVE-NPC-EGRESS', '-m state --state NEW -j WEAVE-NPC-EGRESS-DEFAULT');
  rs.append('filter', 'WEAVE-NPC-EGRESS', `-m state --state NEW -m mark ! --mark ${NPC_EGRESS_MARK} -j WEAVE-NPC-EGRESS-CUSTOM`);
  rs.append('filter', 'WEAVE-NPC-EGRESS', `-m mark ! --mark ${NPC_EGRESS_MARK} -j DROP`);
  rs.append('filter', 'WEAVE-NPC-EGRESS-ACCEPT', `-j MARK --set-xmark ${NPC_EGRESS_MARK}`);
  for (const r of p.defaults.egress) rs.append('filter', 'WEAVE-NPC-EGRESS-DEFAULT', strip(r, 'WEAVE-NPC-EGRESS-DEFAULT'));
  for (const r of p.egress) rs.append('filter', 'WEAVE-NPC-EGRESS-CUSTOM', strip(r, 'WEAVE-NPC-EGRESS-CUSTOM'));
}
