/**
 * `kubectl scale deployment|statefulset|replicaset NAME --replicas=N`: edits the workload in the
 * scenario objects and lets the control plane and the nodes catch up (rebuildSim), so new Pods get
 * names, addresses, endpoints and rules the way the first build gave them.
 */
import { rebuildSim } from '../rebuild';
import type { Sim } from '../sim';
import type { ScenarioObjects } from '../scenario/load';
import { fail, ok, type CommandResult } from './types';

type Scalable = 'deployments' | 'statefulSets' | 'replicaSets';

const KINDS: Readonly<Record<string, { list: Scalable; kind: string; resource: string }>> = {
  deployment: { list: 'deployments', kind: 'deployment.apps', resource: 'deployments.apps' },
  deployments: { list: 'deployments', kind: 'deployment.apps', resource: 'deployments.apps' },
  deploy: { list: 'deployments', kind: 'deployment.apps', resource: 'deployments.apps' },
  statefulset: { list: 'statefulSets', kind: 'statefulset.apps', resource: 'statefulsets.apps' },
  statefulsets: { list: 'statefulSets', kind: 'statefulset.apps', resource: 'statefulsets.apps' },
  sts: { list: 'statefulSets', kind: 'statefulset.apps', resource: 'statefulsets.apps' },
  replicaset: { list: 'replicaSets', kind: 'replicaset.apps', resource: 'replicasets.apps' },
  replicasets: { list: 'replicaSets', kind: 'replicaset.apps', resource: 'replicasets.apps' },
  rs: { list: 'replicaSets', kind: 'replicaset.apps', resource: 'replicasets.apps' },
};

export function scale(sim: Sim, positional: readonly string[], namespace: string, replicasFlag: string | null): CommandResult {
  if (replicasFlag === null) return fail('error: required flag(s) "replicas" not set\n', 1);
  const replicas = Number(replicasFlag);
  if (!/^\d+$/.test(replicasFlag) || !Number.isSafeInteger(replicas)) return fail(`error: invalid argument "${replicasFlag}" for "--replicas" flag: strconv.ParseInt: parsing "${replicasFlag}": invalid syntax\n`, 1);
  let [type, name] = positional;
  if (type?.includes('/')) [type, name] = [type.slice(0, type.indexOf('/')), type.slice(type.indexOf('/') + 1)];
  if (!type || !name) return fail('error: resource(s) were provided, but no name was specified\n', 1);
  const k = KINDS[type.toLowerCase()];
  if (!k) return fail(`error: the server doesn't have a resource type "${type}"\n`, 1);
  const objects: ScenarioObjects | undefined = sim.objects;
  const list = objects?.[k.list] as { obj: { metadata: { name: string; namespace?: string }; spec: { replicas?: number } } }[] | undefined;
  const i = list?.findIndex((l) => l.obj.metadata.name === name && (l.obj.metadata.namespace ?? 'default') === namespace) ?? -1;
  if (!list || i < 0) return fail(`Error from server (NotFound): ${k.resource} "${name}" not found\n`, 1);
  const item = list[i]!;
  list[i] = { ...item, obj: { ...item.obj, spec: { ...item.obj.spec, replicas } } };
  rebuildSim(sim);
  return ok(`${k.kind}/${name} scaled\n`);
}

type Labelled = 'pods' | 'namespaces' | 'services' | 'deployments' | 'statefulSets' | 'daemonSets';

const LABEL_KINDS: Readonly<Record<string, { list: Labelled; kind: string; resource: string; namespaced: boolean }>> = {
  pod: { list: 'pods', kind: 'pod', resource: 'pods', namespaced: true },
  pods: { list: 'pods', kind: 'pod', resource: 'pods', namespaced: true },
  po: { list: 'pods', kind: 'pod', resource: 'pods', namespaced: true },
  namespace: { list: 'namespaces', kind: 'namespace', resource: 'namespaces', namespaced: false },
  namespaces: { list: 'namespaces', kind: 'namespace', resource: 'namespaces', namespaced: false },
  ns: { list: 'namespaces', kind: 'namespace', resource: 'namespaces', namespaced: false },
  service: { list: 'services', kind: 'service', resource: 'services', namespaced: true },
  services: { list: 'services', kind: 'service', resource: 'services', namespaced: true },
  svc: { list: 'services', kind: 'service', resource: 'services', namespaced: true },
  deployment: { list: 'deployments', kind: 'deployment.apps', resource: 'deployments.apps', namespaced: true },
  deploy: { list: 'deployments', kind: 'deployment.apps', resource: 'deployments.apps', namespaced: true },
  statefulset: { list: 'statefulSets', kind: 'statefulset.apps', resource: 'statefulsets.apps', namespaced: true },
  sts: { list: 'statefulSets', kind: 'statefulset.apps', resource: 'statefulsets.apps', namespaced: true },
  daemonset: { list: 'daemonSets', kind: 'daemonset.apps', resource: 'daemonsets.apps', namespaced: true },
  ds: { list: 'daemonSets', kind: 'daemonset.apps', resource: 'daemonsets.apps', namespaced: true },
};

type Meta = { name: string; namespace?: string; labels?: Record<string, string> };

/**
 * `kubectl label TYPE NAME KEY=VALUE... KEY-... [--overwrite]` on an object the scenario declares
 * (Pods, Namespaces, Services, workloads): selectors, endpoints, NetworkPolicy rules and the rules
 * on the nodes follow (rebuildSim). Pods a workload made are not in the scenario: label the template.
 */
export function label(sim: Sim, positional: readonly string[], namespace: string, overwrite: boolean): CommandResult {
  let [type, name, ...changes] = positional;
  if (type?.includes('/')) { changes = name !== undefined ? [name, ...changes] : changes; [type, name] = [type.slice(0, type.indexOf('/')), type.slice(type.indexOf('/') + 1)]; }
  if (!type || !name) return fail('error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n', 1);
  const k = LABEL_KINDS[type.toLowerCase()];
  if (!k) return fail(`error: the server doesn't have a resource type "${type}"\n`, 1);
  if (!changes.length) return fail('error: at least one label update is required\n', 1);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const c of changes) {
    const eq = c.indexOf('=');
    if (eq > 0) set[c.slice(0, eq)] = c.slice(eq + 1);
    else if (c.endsWith('-') && c.length > 1) remove.push(c.slice(0, -1));
    else return fail(`error: invalid label spec: ${c}\n`, 1);
  }
  const list = sim.objects?.[k.list] as { obj: { metadata: Meta } }[] | undefined;
  const i = list?.findIndex((l) => l.obj.metadata.name === name && (!k.namespaced || (l.obj.metadata.namespace ?? 'default') === namespace)) ?? -1;
  if (!list || i < 0) {
    const made = k.list === 'pods' && sim.model.pods.find((p) => p.meta.name === name && p.meta.namespace === namespace);
    if (made) return fail(`error: knp: pod "${name}" was made by a workload, not declared in the scenario: label the workload's Pod template in the YAML instead\n`, 1);
    return fail(`Error from server (NotFound): ${k.resource} "${name}" not found\n`, 1);
  }
  const item = list[i]!;
  const labels: Record<string, string> = { ...(item.obj.metadata.labels ?? {}) };
  for (const [key, v] of Object.entries(set)) {
    if (!overwrite && key in labels && labels[key] !== v) return fail(`error: '${key}' already has a value (${labels[key]}), and --overwrite is false\n`, 1);
  }
  const before = JSON.stringify(labels);
  Object.assign(labels, set);
  for (const key of remove) delete labels[key];
  if (JSON.stringify(labels) === before) return ok(`${k.kind}/${name} not labeled\n`);
  list[i] = { ...item, obj: { ...item.obj, metadata: { ...item.obj.metadata, labels } } };
  rebuildSim(sim);
  return ok(`${k.kind}/${name} labeled\n`);
}
