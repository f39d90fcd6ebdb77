/**
 * The scheduler's filter and score, reduced to what decides where a Pod lands in a small
 * cluster. Filters run in kube-scheduler's plugin order (TaintToleration, NodeAffinity,
 * NodePorts) and a node is rejected by the first that fails, so the "0/N nodes are available"
 * message counts one reason per node, sorted as the FitError prints them. Scoring is a
 * deterministic spread: fewest Pods of the same owner, then fewest Pods, then node order.
 */
import type { NodeModel, Protocol } from '../model/cluster';
import type { PodSpecIn } from '../scenario/schema/k8s';
import { stableJson } from './names';

type Toleration = NonNullable<PodSpecIn['tolerations']>[number];
type Taint = NodeModel['taints'][number];

export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if ((t.operator ?? 'Equal') === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

export function untoleratedTaint(node: NodeModel, tolerations: readonly Toleration[]): Taint | null {
  for (const taint of node.taints) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerates(tolerations, taint)) return taint;
  }
  return null;
}

function matchRequirement(node: NodeModel, e: { key: string; operator: string; values?: string[] | undefined }, field = false): boolean {
  const has = field ? e.key === 'metadata.name' : Object.prototype.hasOwnProperty.call(node.labels, e.key);
  const v = field ? node.name : node.labels[e.key];
  const values = e.values ?? [];
  switch (e.operator) {
    case 'In': return has && values.includes(v!);
    case 'NotIn': return !has || !values.includes(v!);
    case 'Exists': return has;
    case 'DoesNotExist': return !has;
    case 'Gt': return has && Number(v) > Number(values[0]);
    case 'Lt': return has && Number(v) < Number(values[0]);
    default: return false;
  }
}

/** nodeSelector AND required node affinity (terms ORed, expressions within a term ANDed). */
export function matchesNodeAffinity(node: NodeModel, spec: PodSpecIn): boolean {
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (node.labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  return terms.some((t) => {
    const ex = t.matchExpressions ?? [];
    const fs = t.matchFields ?? [];
    if (ex.length === 0 && fs.length === 0) return false;
    return ex.every((e) => matchRequirement(node, e)) && fs.every((e) => matchRequirement(node, e, true));
  });
}

export interface HostPortUse { readonly port: number; readonly protocol: Protocol; readonly hostIP: string }

export function hostPortsOf(spec: PodSpecIn): HostPortUse[] {
  const out: HostPortUse[] = [];
  for (const c of spec.containers) {
    for (const p of c.ports ?? []) {
      const hostPort = spec.hostNetwork ? p.containerPort : p.hostPort;
      if (hostPort) out.push({ port: hostPort, protocol: p.protocol ?? 'TCP', hostIP: p.hostIP ?? '0.0.0.0' });
    }
  }
  return out;
}

function portsConflict(a: readonly HostPortUse[], b: readonly HostPortUse[]): boolean {
  return a.some((x) => b.some((y) => x.port === y.port && x.protocol === y.protocol && (x.hostIP === '0.0.0.0' || y.hostIP === '0.0.0.0' || x.hostIP === y.hostIP)));
}

export interface BoundPod {
  readonly owner: string;
  readonly hostPorts: readonly HostPortUse[];
  /** Static Pods hold ports but do not count for the spread. */
  readonly static?: boolean;
}

export interface NodeLoad {
  /** Pods already bound to the node. */
  readonly pods: BoundPod[];
  /** kubelet's --max-pods when the network plugin sets one (CniPlugin.ipam); absent = no limit modelled. */
  readonly maxPods?: number;
  /** Counts kept by bindPod, so scoring never scans the node's Pods: non-static Pods, and Pods per owner. */
  counted?: number;
  byOwner?: Map<string, number>;
}

/** Records a Pod bound to the node (with the counts the spread score reads). */
export function bindPod(load: NodeLoad, pod: BoundPod): void {
  load.pods.push(pod);
  load.byOwner ??= new Map();
  load.byOwner.set(pod.owner, (load.byOwner.get(pod.owner) ?? 0) + 1);
  if (!pod.static) load.counted = (load.counted ?? 0) + 1;
}

/** The spread score's inputs: Pods of the same owner, and all non-static Pods, on the node. */
function spread(load: NodeLoad | undefined, owner: string): [number, number] {
  if (!load) return [0, 0];
  if (load.byOwner) return [load.byOwner.get(owner) ?? 0, load.counted ?? 0];
  return [load.pods.filter((p) => p.owner === owner).length, load.pods.filter((p) => !p.static).length];
}

export type ScheduleResult = { node: string } | { reason: string };

type Failure = 'taint' | 'affinity' | 'ports' | 'pods';

function failureText(f: Failure, taint: Taint | null): string {
  switch (f) {
    case 'taint': return `node(s) had untolerated taint {${taint!.key}: ${taint!.value ?? ''}}`;
    case 'affinity': return "node(s) didn't match Pod's node affinity/selector";
    case 'ports': return "node(s) didn't have free ports for the requested pod ports";
    case 'pods': return 'Too many pods';
  }
}

/** Nodes a DaemonSet places a Pod on: those its selector, affinity and tolerations allow. */
export function daemonSetEligible(node: NodeModel, spec: PodSpecIn): boolean {
  // The DaemonSet controller adds tolerations for not-ready/unreachable and friends itself.
  const extra: Toleration[] = [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
    { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
  ];
  return untoleratedTaint(node, [...(spec.tolerations ?? []), ...extra]) === null && matchesNodeAffinity(node, spec);
}

/** NodeResourcesFit's pod count: the node already runs --max-pods Pods. */
const exceedsMaxPods = (l: NodeLoad | undefined): boolean => l?.maxPods !== undefined && l.pods.length >= l.maxPods;

/**
 * What one placement run remembers (build it per run: it holds the Pod specs it saw, and is only
 * right while they and the nodes stay as they were): per spec object the filters that read only
 * the spec and the node (taints, node affinity) and its host ports, per node list the nodes' loads.
 */
export interface ScheduleMemo {
  readonly specs: Map<PodSpecIn, { readonly nodes: readonly NodeModel[]; readonly fixed: readonly (Failure | null)[]; readonly ports: readonly HostPortUse[] }>;
  /** The taint and affinity verdicts per node by what they read (tolerations, nodeSelector, affinity), shared by equal specs. */
  readonly filters: Map<string, { readonly nodes: readonly NodeModel[]; readonly fixed: readonly (Failure | null)[] }>;
  loads?: { readonly nodes: readonly NodeModel[]; readonly load: ReadonlyMap<string, NodeLoad>; readonly list: readonly (NodeLoad | undefined)[] };
}

export const newScheduleMemo = (): ScheduleMemo => ({ specs: new Map(), filters: new Map() });

export function schedule(spec: PodSpecIn, owner: string, nodes: readonly NodeModel[], load: ReadonlyMap<string, NodeLoad>, memo?: ScheduleMemo): ScheduleResult {
  if (!memo) return scheduleAll(spec, owner, nodes, load);
  let m = memo.specs.get(spec);
  if (!m || m.nodes !== nodes) {
    const key = `${stableJson(spec.tolerations)}|${stableJson(spec.nodeSelector)}|${stableJson(spec.affinity)}`;
    let f = memo.filters.get(key);
    if (!f || f.nodes !== nodes) {
      const tolerations = spec.tolerations ?? [];
      f = { nodes, fixed: nodes.map((node) => (untoleratedTaint(node, tolerations) ? 'taint' : !matchesNodeAffinity(node, spec) ? 'affinity' : null)) };
      memo.filters.set(key, f);
    }
    m = { nodes, fixed: f.fixed, ports: hostPortsOf(spec) };
    memo.specs.set(spec, m);
  }
  if (memo.loads?.nodes !== nodes || memo.loads.load !== load) memo.loads = { nodes, load, list: nodes.map((n) => load.get(n.name)) };
  const loads = memo.loads.list;
  // The same filters in the same order as scheduleAll, and the best spread among the nodes that pass.
  let best = -1, bestOwn = Infinity, bestAll = Infinity;
  for (let i = 0; i < nodes.length; i++) {
    if (m.fixed[i] !== null) continue;
    const l = loads[i];
    // A node with no fewer Pods than the best so far cannot beat a best with none of this owner's.
    if (bestOwn === 0 && l?.byOwner && (l.counted ?? 0) >= bestAll) continue;
    if (m.ports.length && (l?.pods ?? []).some((p) => portsConflict(m.ports, p.hostPorts))) continue;
    if (exceedsMaxPods(l)) continue;
    let own: number, all: number;
    if (!l) { own = 0; all = 0; } else if (l.byOwner) { own = l.byOwner.get(owner) ?? 0; all = l.counted ?? 0; } else [own, all] = spread(l, owner);
    if (own < bestOwn || (own === bestOwn && all < bestAll)) { best = i; bestOwn = own; bestAll = all; }
  }
  // No node fits: the reasons are counted the long way.
  return best >= 0 ? { node: nodes[best]!.name } : scheduleAll(spec, owner, nodes, load);
}

function scheduleAll(spec: PodSpecIn, owner: string, nodes: readonly NodeModel[], load: ReadonlyMap<string, NodeLoad>): ScheduleResult {
  const fits: NodeModel[] = [];
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  const ports = hostPortsOf(spec);
  for (const node of nodes) {
    let f: Failure | null = null;
    const taint = untoleratedTaint(node, spec.tolerations ?? []);
    if (taint) f = 'taint';
    else if (!matchesNodeAffinity(node, spec)) f = 'affinity';
    else if (ports.length && (load.get(node.name)?.pods ?? []).some((p) => portsConflict(ports, p.hostPorts))) f = 'ports';
    else if (exceedsMaxPods(load.get(node.name))) f = 'pods';
    if (!f) { fits.push(node); continue; }
    const text = failureText(f, taint);
    reasons.set(text, (reasons.get(text) ?? 0) + 1);
    const pre = f === 'ports' || f === 'pods' ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
    preemption.set(pre, (preemption.get(pre) ?? 0) + 1);
  }
  if (fits.length === 0) {
    const n = nodes.length;
    const list = (m: Map<string, number>) => [...m].map(([t, c]) => `${c} ${t}`).sort().join(', ');
    if (n === 0) return { reason: 'no nodes available to schedule pods' };
    return { reason: `0/${n} nodes are available: ${list(reasons)}. preemption: 0/${n} nodes are available: ${list(preemption)}.` };
  }
  let best = fits[0]!;
  let bestKey: [number, number] = [Infinity, Infinity];
  for (const node of fits) {
    const key = spread(load.get(node.name), owner);
    if (key[0]! < bestKey[0]! || (key[0] === bestKey[0] && key[1]! < bestKey[1]!)) { best = node; bestKey = key; }
  }
  return { node: best.name };
}
