/**
 * What the control plane remembers between rebuilds of a live simulation (kubectl scale, label,
 * delete): Kubernetes never moves a running Pod, so a Pod that survives an edit keeps its node
 * and its address; a deleted Pod's controller makes a replacement under a new name; and
 * host-local IPAM does not hand a released address out again straight away.
 */
import type { ClusterModel, PodModel } from '../model/cluster';
import type { PodSpecIn } from '../scenario/schema/k8s';
import type { ClusterHistory, Placement } from '../model/history';

export type { ClusterHistory, Placement } from '../model/history';

export const bornKey = (kind: string, namespace: string, name: string): string => `${kind}/${namespace}/${name}`;

export const podKey = (namespace: string, name: string): string => `${namespace}/${name}`;

/** A Pod spec's content, for telling an unchanged Pod from a changed one (Pods of one template share the spec object). */
const specKeys = new WeakMap<PodSpecIn, string>();
export function specKey(spec: PodSpecIn): string {
  let k = specKeys.get(spec);
  if (k === undefined) { k = JSON.stringify(spec); specKeys.set(spec, k); }
  return k;
}

/**
 * The history after `model`: its scheduled Pods pinned where they run, plus earlier deletions.
 * The placements are in the order the Pods started (the order kubelet ran their CNI ADD): the
 * Pods `before` already held first, in its order, then the ones that started since, in the
 * model's order (build/network.ts wires them in this order, so a Pod's devices keep their
 * indexes across rebuilds).
 */
export function historyOf(model: ClusterModel, before?: ClusterHistory): ClusterHistory {
  const placements = new Map<string, Placement>();
  const running = new Map<string, Placement>();
  for (const p of model.pods) if (p.nodeName) running.set(podKey(p.meta.namespace, p.meta.name), { node: p.nodeName, ip: p.podIP, spec: specKey(p.spec) });
  for (const [key, was] of before?.placements ?? []) {
    const now = running.get(key);
    if (now && now.node === was.node && now.spec === was.spec) placements.set(key, now);
  }
  for (const [key, now] of running) if (!placements.has(key)) placements.set(key, now);
  const born = new Map<string, number>();
  const note = (kind: string, xs: readonly { meta: { namespace: string; name: string; createdAt: number } }[]) => { for (const x of xs) born.set(bornKey(kind, x.meta.namespace, x.meta.name), x.meta.createdAt); };
  note('Pod', model.pods); note('Service', model.services); note('ConfigMap', model.configMaps); note('Secret', model.secrets);
  note('Ingress', model.ingresses); note('NetworkPolicy', model.networkPolicies);
  for (const w of model.workloads) born.set(bornKey(w.kind, w.meta.namespace, w.meta.name), w.meta.createdAt);
  for (const n of model.namespaces) born.set(bornKey('Namespace', '', n.name), n.createdAt);
  return { placements, deleted: new Set(before?.deleted), released: new Set(before?.released), born };
}

/**
 * The history once `pod` is deleted: it is pinned nowhere, its address is given back, and when
 * a controller replaces it (`replaced`) its name is not made again.
 */
export function withDeleted(h: ClusterHistory, pod: PodModel, replaced: boolean): ClusterHistory {
  const key = podKey(pod.meta.namespace, pod.meta.name);
  const placements = new Map(h.placements);
  placements.delete(key);
  return {
    ...h,
    placements,
    deleted: replaced ? new Set([...h.deleted, key]) : h.deleted,
    released: pod.podIP && !pod.hostNetwork ? new Set([...h.released, pod.podIP]) : h.released,
  };
}
