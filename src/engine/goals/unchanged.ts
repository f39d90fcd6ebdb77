/**
 * `unchanged` goals and a Challenge's lockedKinds: which of the named kinds or objects differ
 * between the start scenario and the learner's. Objects are compared by value (key order and
 * where they sit in the file do not count).
 */
import type { Loaded, ScenarioObjects } from '../scenario/load';

const BUCKETS: Record<string, Exclude<keyof ScenarioObjects, 'cluster' | 'challenge'>> = {
  Namespace: 'namespaces', Pod: 'pods', Deployment: 'deployments', ReplicaSet: 'replicaSets', StatefulSet: 'statefulSets',
  DaemonSet: 'daemonSets', Service: 'services', Endpoints: 'endpoints', EndpointSlice: 'endpointSlices', ConfigMap: 'configMaps',
  Secret: 'secrets', Ingress: 'ingresses', IngressClass: 'ingressClasses', NetworkPolicy: 'networkPolicies', Probe: 'probes',
  Host: 'hosts', Container: 'containers',
};

/** Kinds `unchanged` and lockedKinds may name. */
export const LOCKABLE_KINDS: readonly string[] = [...Object.keys(BUCKETS), 'Cluster', 'Challenge'].sort();

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}

function keyed(list: readonly Loaded<unknown>[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const { obj } of list) {
    const meta = (obj as { metadata?: { name?: string; namespace?: string } }).metadata;
    m.set(`${meta?.namespace ?? 'default'}/${meta?.name ?? ''}`, canonical(obj));
  }
  return m;
}

function listOf(objects: ScenarioObjects | undefined, kind: string): readonly Loaded<unknown>[] {
  if (!objects) return [];
  if (kind === 'Cluster') return objects.cluster ? [objects.cluster] : [];
  if (kind === 'Challenge') return objects.challenge ? [objects.challenge] : [];
  const b = BUCKETS[kind];
  return b ? objects[b] as readonly Loaded<unknown>[] : [];
}

/** Items are kinds (Service) or objects (Service/NS/NAME, Service/NAME in default). Returns what changed. */
export function changedObjects(start: ScenarioObjects, now: ScenarioObjects | undefined, items: readonly string[]): string[] {
  const changed: string[] = [];
  for (const item of items) {
    const [kind, ...rest] = item.split('/');
    const a = keyed(listOf(start, kind!));
    const b = keyed(listOf(now, kind!));
    const only = rest.length === 0 ? null : rest.length === 1 ? `default/${rest[0]}` : rest.join('/');
    for (const key of new Set([...a.keys(), ...b.keys()])) {
      if (only !== null && key !== only) continue;
      if (a.get(key) !== b.get(key)) changed.push(`${kind}/${key}${!b.has(key) ? ' (deleted)' : !a.has(key) ? ' (added)' : ''}`);
    }
  }
  return changed;
}
