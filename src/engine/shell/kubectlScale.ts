/**
 * kubectl's state-changing verbs: `scale`, `label` and `delete` edit the scenario objects (or,
 * for a Pod a controller owns, the control plane's memory) and let the control plane and the
 * nodes catch up (rebuildSim), so new Pods get names, addresses, endpoints and rules the way the
 * first build gave them.
 */
import { historyOf, withDeleted } from '../control/history';
import { DEFAULT_NODES } from '../control/nodes';
import { matchesSelector } from '../control/selector';
import type { LabelSelector } from '../scenario/schema/common';
import { rebuildSim } from '../build/rebuild';
import type { Sim } from '../sim';
import type { ScenarioObjects } from '../scenario/load';
import { fail, ok, type CommandResult } from './types';

type ObjectList = 'pods' | 'namespaces' | 'services' | 'deployments' | 'statefulSets' | 'replicaSets' | 'daemonSets' | 'networkPolicies' | 'ingresses' | 'configMaps';

interface KindInfo { readonly list: ObjectList; readonly kind: string; readonly resource: string; readonly namespaced: boolean }

/** kubectl's names for the kinds these verbs change (singular, plural, short name). */
const KIND_ALIASES: Readonly<Record<string, KindInfo>> = (() => {
  const out: Record<string, KindInfo> = {};
  const add = (names: string, list: ObjectList, kind: string, resource: string, namespaced = true) => {
    for (const n of names.split(' ')) out[n] = { list, kind, resource, namespaced };
  };
  add('pod pods po', 'pods', 'pod', 'pods');
  add('namespace namespaces ns', 'namespaces', 'namespace', 'namespaces', false);
  add('service services svc', 'services', 'service', 'services');
  add('deployment deployments deploy', 'deployments', 'deployment.apps', 'deployments.apps');
  add('statefulset statefulsets sts', 'statefulSets', 'statefulset.apps', 'statefulsets.apps');
  add('replicaset replicasets rs', 'replicaSets', 'replicaset.apps', 'replicasets.apps');
  add('daemonset daemonsets ds', 'daemonSets', 'daemonset.apps', 'daemonsets.apps');
  add('networkpolicy networkpolicies netpol', 'networkPolicies', 'networkpolicy.networking.k8s.io', 'networkpolicies.networking.k8s.io');
  add('ingress ingresses ing', 'ingresses', 'ingress.networking.k8s.io', 'ingresses.networking.k8s.io');
  add('configmap configmaps cm', 'configMaps', 'configmap', 'configmaps');
  return out;
})();

/** The kind `type` names, if this verb changes it. */
function kindFor(type: string, lists: readonly ObjectList[]): KindInfo | undefined {
  const k = KIND_ALIASES[type.toLowerCase()];
  return k && lists.includes(k.list) ? k : undefined;
}

export function scale(sim: Sim, positional: readonly string[], namespace: string, replicasFlag: string | null): CommandResult {
  if (replicasFlag === null) return fail('error: required flag(s) "replicas" not set\n', 1);
  const replicas = Number(replicasFlag);
  if (!/^\d+$/.test(replicasFlag) || !Number.isSafeInteger(replicas)) return fail(`error: invalid argument "${replicasFlag}" for "--replicas" flag: strconv.ParseInt: parsing "${replicasFlag}": invalid syntax\n`, 1);
  let [type, name] = positional;
  if (type?.includes('/')) [type, name] = [type.slice(0, type.indexOf('/')), type.slice(type.indexOf('/') + 1)];
  if (!type || !name) return fail('error: resource(s) were provided, but no name was specified\n', 1);
  const k = kindFor(type, ['deployments', 'statefulSets', 'replicaSets']);
  if (!k) return fail(`error: the server doesn't have a resource type "${type}"\n`, 1);
  const objects: ScenarioObjects | undefined = sim.objects;
  const list = objects?.[k.list] as { obj: { metadata: { name: string; namespace?: string }; spec: { replicas?: number } } }[] | undefined;
  const i = list?.findIndex((l) => l.obj.metadata.name === name && (l.obj.metadata.namespace ?? 'default') === namespace) ?? -1;
  if (!list || i < 0) return fail(`Error from server (NotFound): ${k.resource} "${name}" not found\n`, 1);
  const item = list[i]!;
  list[i] = { ...item, obj: { ...item.obj, spec: { ...item.obj.spec, replicas } } };
  rebuildSim(sim);
  return ok(`${k.kind}/${name} scaled\n`, true);
}

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
  const isNode = ['node', 'nodes', 'no'].includes(type.toLowerCase());
  const k = kindFor(type, ['pods', 'namespaces', 'services', 'deployments', 'statefulSets', 'daemonSets']);
  if (!k && !isNode) return fail(`error: the server doesn't have a resource type "${type}"\n`, 1);
  if (!changes.length) return fail('error: at least one label update is required\n', 1);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const c of changes) {
    const eq = c.indexOf('=');
    if (eq > 0) set[c.slice(0, eq)] = c.slice(eq + 1);
    else if (c.endsWith('-') && c.length > 1) remove.push(c.slice(0, -1));
    else return fail(`error: invalid label spec: ${c}\n`, 1);
  }
  const relabel = (current: Readonly<Record<string, string>>, kind: string): { labels: Record<string, string>; result?: CommandResult } => {
    const labels: Record<string, string> = { ...current };
    for (const [key, v] of Object.entries(set)) {
      if (!overwrite && key in labels && labels[key] !== v) return { labels, result: fail(`error: '${key}' already has a value (${labels[key]}), and --overwrite is false\n`, 1) };
    }
    const before = JSON.stringify(labels);
    Object.assign(labels, set);
    for (const key of remove) delete labels[key];
    return JSON.stringify(labels) === before ? { labels, result: ok(`${kind}/${name} not labeled\n`) } : { labels };
  };
  if (isNode) {
    // Nodes live in the Cluster's spec.nodes (the two default nodes when it lists none): the
    // scheduler, nodeSelector and affinity see the new labels after the rebuild.
    const cluster = sim.objects?.cluster;
    const nodes = cluster ? (cluster.obj.spec.nodes?.length ? cluster.obj.spec.nodes : DEFAULT_NODES) : [];
    const at = nodes.findIndex((n) => n.name === name);
    if (!cluster || at < 0) return fail(`Error from server (NotFound): nodes "${name}" not found\n`, 1);
    const r = relabel(nodes[at]!.labels ?? {}, 'node');
    if (r.result) return r.result;
    const next = nodes.map((n, i) => (i === at ? { ...n, labels: r.labels } : n));
    sim.objects!.cluster = { ...cluster, obj: { ...cluster.obj, spec: { ...cluster.obj.spec, nodes: next } } };
    rebuildSim(sim);
    return ok(`node/${name} labeled\n`, true);
  }
  if (!k) return fail(`error: the server doesn't have a resource type "${type}"\n`, 1);
  const list = sim.objects?.[k.list] as { obj: { metadata: Meta } }[] | undefined;
  const i = list?.findIndex((l) => l.obj.metadata.name === name && (!k.namespaced || (l.obj.metadata.namespace ?? 'default') === namespace)) ?? -1;
  if (!list || i < 0) {
    const made = k.list === 'pods' && sim.model.pods.find((p) => p.meta.name === name && p.meta.namespace === namespace);
    if (made) return fail(`error: knp: pod "${name}" was made by a workload, not declared in the scenario: label the workload's Pod template in the YAML instead\n`, 1);
    return fail(`Error from server (NotFound): ${k.resource} "${name}" not found\n`, 1);
  }
  const item = list[i]!;
  const { labels, result } = relabel(item.obj.metadata.labels ?? {}, k.kind);
  if (result) return result;
  list[i] = { ...item, obj: { ...item.obj, metadata: { ...item.obj.metadata, labels } } };
  rebuildSim(sim);
  return ok(`${k.kind}/${name} labeled\n`, true);
}

const FORCE_WARNING = 'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';

/**
 * `kubectl delete TYPE NAME... [-l SELECTOR] [--force]`. A Pod a controller owns comes back
 * under a new name, on whichever node the scheduler picks, with a new address (the reason
 * Services exist); a Pod the scenario declares is gone. Other kinds leave the scenario objects,
 * and the endpoints, DNS and every node's rules follow (rebuildSim). Pods that keep running
 * stay where they are with their addresses.
 */
export function remove(sim: Sim, positional: readonly string[], namespace: string, selector: LabelSelector | null, force: boolean): CommandResult {
  let [type, ...names] = positional;
  if (type?.includes('/')) [type, names] = [type.slice(0, type.indexOf('/')), [type.slice(type.indexOf('/') + 1), ...names]];
  if (!type) return fail('error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'\n', 1);
  const k = kindFor(type, ['pods', 'services', 'deployments', 'statefulSets', 'replicaSets', 'daemonSets', 'networkPolicies', 'ingresses', 'configMaps']);
  if (!k) return fail(`error: the server doesn't have a resource type "${type}"\n`, 1);
  if (!names.length && !selector) return fail('error: resource(s) were provided, but no name was specified\n', 1);
  const out: string[] = [];
  const errs: string[] = [];
  if (k.list === 'pods') {
    let history = historyOf(sim.model, sim.history);
    const chosen = selector
      ? sim.model.pods.filter((p) => p.meta.namespace === namespace && matchesSelector(p.meta.labels, selector)).map((p) => p.meta.name)
      : names;
    for (const name of chosen) {
      const pod = sim.model.pods.find((p) => p.meta.name === name && p.meta.namespace === namespace);
      if (!pod) { errs.push(`Error from server (NotFound): pods "${name}" not found\n`); continue; }
      const declared = sim.objects?.pods.findIndex((l) => l.obj.metadata.name === name && (l.obj.metadata.namespace ?? 'default') === namespace) ?? -1;
      if (declared >= 0) sim.objects!.pods.splice(declared, 1);
      // A declared Pod is gone; a mirror Pod comes back as it was; a controller's under a new name.
      history = withDeleted(history, pod, declared < 0 && pod.meta.ownerKind !== 'Node');
      out.push(`pod "${name}" deleted\n`);
    }
    if (out.length) rebuildSim(sim, history);
  } else {
    const list = sim.objects?.[k.list] as { obj: { metadata: { name?: string; namespace?: string; labels?: Record<string, string> } } }[] | undefined;
    const chosen = selector ? (list ?? []).filter((l) => (l.obj.metadata.namespace ?? 'default') === namespace && matchesSelector(l.obj.metadata.labels ?? {}, selector)).map((l) => l.obj.metadata.name ?? '') : names;
    for (const name of chosen) {
      const i = list?.findIndex((l) => l.obj.metadata.name === name && (l.obj.metadata.namespace ?? 'default') === namespace) ?? -1;
      if (!list || i < 0) { errs.push(`Error from server (NotFound): ${k.resource} "${name}" not found\n`); continue; }
      list.splice(i, 1);
      out.push(`${k.kind} "${name}" deleted\n`);
    }
    if (out.length) rebuildSim(sim);
  }
  if (selector && !out.length && !errs.length) return { stdout: '', stderr: `No resources found in ${namespace} namespace.\n`, exitCode: 0 };
  const stderr = (force && out.length ? FORCE_WARNING : '') + errs.join('');
  return { stdout: out.join(''), stderr, exitCode: errs.length ? 1 : 0, ...(out.length ? { changed: true } : {}) };
}
