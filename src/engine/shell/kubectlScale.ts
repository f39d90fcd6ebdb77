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
