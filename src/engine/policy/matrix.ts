/**
 * The Pod-to-Pod truth table for one port and protocol, fast enough for 500 Pods x 50 policies:
 * every rule's peer set is computed once as a bitmap over the Pods, every rule's ports once per
 * destination, so a cell costs a few array reads. Agrees with policyAllows cell by cell (tested).
 */
import type { ClusterModel, PodModel, Protocol } from '../model/cluster';
import type { NetworkPolicyIn } from '../scenario/schema/k8s';
import { parseIPv4, parsePrefix, prefixContains } from '../addr/ip';
import { namespaceLabels, podSelectedBy, policyEnforced, policyTypesOf, portsMatch, type PolicyModel } from './evaluate';
import { selectorMatches } from './selector';

type Peer = NonNullable<NonNullable<NetworkPolicyIn['spec']['ingress']>[number]['from']>[number];

export interface ReachMatrix {
  readonly port: number;
  readonly protocol: Protocol;
  /** "NS/NAME", in the order of the rows and columns. */
  readonly pods: readonly string[];
  readonly matrix: readonly (readonly boolean[])[];
}

interface CompiledRule {
  /** peer[i]: Pod i matches the rule's peers. */
  readonly peer: Uint8Array;
  /** portOk[j]: the rule's ports allow the port on destination Pod j. */
  readonly portOk: Uint8Array;
}

/** Pods the table covers: scheduled, addressed, in the given namespaces (all when absent). */
export function reachPods(model: ClusterModel, namespaces?: readonly string[]): PodModel[] {
  return model.pods
    .filter((p) => p.podIP && p.phase === 'Running' && !p.system && (!namespaces || namespaces.includes(p.meta.namespace)))
    .sort((a, b) => a.meta.namespace.localeCompare(b.meta.namespace) || a.meta.name.localeCompare(b.meta.name));
}

export function reachMatrix(model: ClusterModel, pods: readonly PodModel[], port: number, protocol: Protocol, opts: { enforce?: boolean } = {}): ReachMatrix {
  const n = pods.length;
  const names = pods.map((p) => `${p.meta.namespace}/${p.meta.name}`);
  if (!(opts.enforce ?? policyEnforced(model))) {
    return { port, protocol, pods: names, matrix: pods.map(() => pods.map(() => true)) };
  }
  // Parsed once: Pod addresses for ipBlock peers, namespace verdicts per selector.
  const ipNum = pods.map((p) => (p.podIP ? parseIPv4(p.podIP) : null));
  const allOnes = new Uint8Array(n).fill(1);
  const peerMask = (peer: Peer, policyNs: string): Uint8Array => {
    const mask = new Uint8Array(n);
    if (peer.ipBlock) {
      const cidr = parsePrefix(peer.ipBlock.cidr, true);
      const except = (peer.ipBlock.except ?? []).map((e) => parsePrefix(e, true)).filter((e): e is NonNullable<typeof e> => e !== null);
      if (!cidr) return mask;
      for (let i = 0; i < n; i++) {
        const ip = ipNum[i];
        if (ip !== null && ip !== undefined && prefixContains(cidr, ip) && !except.some((e) => prefixContains(e, ip))) mask[i] = 1;
      }
      return mask;
    }
    if (!peer.podSelector && !peer.namespaceSelector) return mask;
    const nsOk = new Map<string, boolean>();
    for (let i = 0; i < n; i++) {
      const pod = pods[i]!;
      if (pod.hostNetwork) continue;
      const ns = pod.meta.namespace;
      let ok = nsOk.get(ns);
      if (ok === undefined) {
        ok = peer.namespaceSelector ? selectorMatches(peer.namespaceSelector, namespaceLabels(model, ns)) : ns === policyNs;
        nsOk.set(ns, ok);
      }
      if (ok && (!peer.podSelector || selectorMatches(peer.podSelector, pod.meta.labels))) mask[i] = 1;
    }
    return mask;
  };
  const compile = (pol: PolicyModel, dir: 'ingress' | 'egress'): CompiledRule[] =>
    ((dir === 'ingress' ? pol.spec.ingress : pol.spec.egress) ?? []).map((r) => {
      const peers = (dir === 'ingress' ? (r as { from?: Peer[] }).from : (r as { to?: Peer[] }).to) ?? [];
      let peer: Uint8Array;
      if (peers.length === 0) peer = allOnes;
      else {
        peer = new Uint8Array(n);
        for (const pe of peers) { const m = peerMask(pe, pol.meta.namespace); for (let i = 0; i < n; i++) if (m[i]) peer[i] = 1; }
      }
      // Numeric ports decide the same for every destination; named ports resolve per Pod.
      const named = (r.ports ?? []).some((p) => typeof p.port === 'string' && !/^\d+$/.test(p.port));
      let portOk: Uint8Array;
      if (!named) portOk = portsMatch(r.ports, port, protocol, null) ? allOnes : new Uint8Array(n);
      else {
        portOk = new Uint8Array(n);
        for (let i = 0; i < n; i++) portOk[i] = portsMatch(r.ports, port, protocol, pods[i]!) ? 1 : 0;
      }
      return { peer, portOk };
    });
  // Per Pod: null = not isolated in that direction, else the union of rules of the selecting policies.
  const inRules: (CompiledRule[] | null)[] = new Array(n).fill(null);
  const egRules: (CompiledRule[] | null)[] = new Array(n).fill(null);
  for (const pol of model.networkPolicies) {
    const types = policyTypesOf(pol);
    const selected = pods.map((p, i) => (podSelectedBy(pol, p) ? i : -1)).filter((i) => i >= 0);
    if (!selected.length) continue;
    const ing = types.ingress ? compile(pol, 'ingress') : null;
    const eg = types.egress ? compile(pol, 'egress') : null;
    for (const i of selected) {
      if (ing) (inRules[i] ??= []).push(...ing);
      if (eg) (egRules[i] ??= []).push(...eg);
    }
  }
  // Fold each Pod's rules into one mask: inMask[j][i] = rule allows source i into j, egMask[i][j] likewise.
  const fold = (rules: CompiledRule[] | null, j: number | null): Uint8Array | null => {
    if (!rules) return null;
    const mask = new Uint8Array(n);
    for (const r of rules) {
      for (let k = 0; k < n; k++) {
        // Ingress: the port is checked on the destination j itself; egress: on each destination k.
        if (r.peer[k] && r.portOk[j ?? k]) mask[k] = 1;
      }
    }
    return mask;
  };
  const inMask = inRules.map((rules, j) => fold(rules, j));
  const egMask = egRules.map((rules) => fold(rules, null));
  const matrix: boolean[][] = [];
  for (let i = 0; i < n; i++) {
    const row: boolean[] = new Array(n);
    const eg = egMask[i];
    const src = pods[i]!;
    for (let j = 0; j < n; j++) {
      if (i === j) { row[j] = true; continue; }
      if (eg && !eg[j]) { row[j] = false; continue; }
      const ing = inMask[j];
      // A hostNetwork source on the destination's own node is kubelet's path: never filtered.
      row[j] = !ing || ing[i] === 1 || (src.hostNetwork && src.nodeName === pods[j]!.nodeName);
    }
    matrix.push(row);
  }
  return { port, protocol, pods: names, matrix };
}

/** The table as `knp reach` prints it: a header of column numbers, one row per source Pod. */
export function formatReach(m: ReachMatrix): string {
  const w = Math.max(4, ...m.pods.map((p) => p.length));
  const idx = m.pods.map((_, i) => String(i + 1));
  const cw = Math.max(2, ...idx.map((s) => s.length));
  let out = `reachability ${m.port}/${m.protocol} (row reaches column; . = allowed, X = dropped)\n`;
  out += `${' '.repeat(w + cw + 2)} ${idx.map((s) => s.padStart(cw)).join(' ')}\n`;
  m.pods.forEach((p, i) => {
    out += `${String(i + 1).padStart(cw)}  ${p.padEnd(w)} ${m.matrix[i]!.map((c) => (c ? '.' : 'X').padStart(cw)).join(' ')}\n`;
  });
  return out;
}
