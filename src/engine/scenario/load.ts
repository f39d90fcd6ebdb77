/**
 * YAML documents → typed scenario objects. Each document is checked against its kind's
 * schema; problems become diagnostics at the exact field. A document with errors is left out
 * (as the API server would reject it); the rest of the scenario still loads.
 */
import type { z } from 'zod';
import type { Diagnostic, Severity, SourceRange } from './diagnostics';
import { parseYamlSource, type Path, type SourceDoc } from './source';
import * as k8s from './schema/k8s';
import * as knp from './schema/knp';
import * as challengeSchema from './schema/challenge';

/** Where an object came from, so later stages can point at its fields. */
export interface Origin {
  readonly file: string;
  readonly doc: number;
  locate(path: Path, key?: boolean): SourceRange;
}

export interface Loaded<T> {
  readonly obj: T;
  readonly origin: Origin;
}

export interface ScenarioObjects {
  cluster?: Loaded<z.output<typeof knp.cluster>>;
  /** At most one Challenge: goals, hints and variables (docs/lessons.md). */
  challenge?: Loaded<challengeSchema.ChallengeIn>;
  namespaces: Loaded<k8s.NamespaceIn>[];
  pods: Loaded<k8s.PodIn>[];
  deployments: Loaded<k8s.DeploymentIn>[];
  replicaSets: Loaded<k8s.ReplicaSetIn>[];
  statefulSets: Loaded<k8s.StatefulSetIn>[];
  daemonSets: Loaded<k8s.DaemonSetIn>[];
  services: Loaded<k8s.ServiceIn>[];
  endpoints: Loaded<k8s.EndpointsIn>[];
  endpointSlices: Loaded<k8s.EndpointSliceIn>[];
  configMaps: Loaded<k8s.ConfigMapIn>[];
  secrets: Loaded<k8s.SecretIn>[];
  ingresses: Loaded<k8s.IngressIn>[];
  ingressClasses: Loaded<k8s.IngressClassIn>[];
  networkPolicies: Loaded<k8s.NetworkPolicyIn>[];
  probes: Loaded<knp.ProbeIn>[];
  hosts: Loaded<knp.HostIn>[];
  containers: Loaded<knp.ContainerIn>[];
}

type Bucket = keyof ScenarioObjects;

interface KindEntry {
  schema: z.ZodType;
  bucket: Bucket;
  /** Set for old apiVersions: a warning is given and `convert` turns it into the current form. */
  deprecated?: string;
  convert?: (o: never) => unknown;
}

const CORE = 'v1';
const kinds = new Map<string, KindEntry>([
  [`${CORE}/Namespace`, { schema: k8s.namespace, bucket: 'namespaces' }],
  [`${CORE}/Pod`, { schema: k8s.pod, bucket: 'pods' }],
  [`${CORE}/Service`, { schema: k8s.service, bucket: 'services' }],
  [`${CORE}/Endpoints`, { schema: k8s.endpoints, bucket: 'endpoints' }],
  [`${CORE}/ConfigMap`, { schema: k8s.configMap, bucket: 'configMaps' }],
  [`${CORE}/Secret`, { schema: k8s.secret, bucket: 'secrets' }],
  ['apps/v1/Deployment', { schema: k8s.deployment, bucket: 'deployments' }],
  ['apps/v1/ReplicaSet', { schema: k8s.replicaSet, bucket: 'replicaSets' }],
  ['apps/v1/StatefulSet', { schema: k8s.statefulSet, bucket: 'statefulSets' }],
  ['apps/v1/DaemonSet', { schema: k8s.daemonSet, bucket: 'daemonSets' }],
  ['extensions/v1beta1/Deployment', { schema: k8s.deployment, bucket: 'deployments', deprecated: 'apps/v1' }],
  ['apps/v1beta1/Deployment', { schema: k8s.deployment, bucket: 'deployments', deprecated: 'apps/v1' }],
  ['apps/v1beta2/Deployment', { schema: k8s.deployment, bucket: 'deployments', deprecated: 'apps/v1' }],
  ['extensions/v1beta1/DaemonSet', { schema: k8s.daemonSet, bucket: 'daemonSets', deprecated: 'apps/v1' }],
  ['discovery.k8s.io/v1/EndpointSlice', { schema: k8s.endpointSlice, bucket: 'endpointSlices' }],
  ['networking.k8s.io/v1/Ingress', { schema: k8s.ingressV1, bucket: 'ingresses' }],
  ['networking.k8s.io/v1beta1/Ingress', { schema: k8s.ingressV1beta1, bucket: 'ingresses', deprecated: 'networking.k8s.io/v1', convert: convertIngressV1beta1 as (o: never) => unknown }],
  ['extensions/v1beta1/Ingress', { schema: k8s.ingressV1beta1, bucket: 'ingresses', deprecated: 'networking.k8s.io/v1', convert: convertIngressV1beta1 as (o: never) => unknown }],
  ['networking.k8s.io/v1/IngressClass', { schema: k8s.ingressClass, bucket: 'ingressClasses' }],
  ['networking.k8s.io/v1/NetworkPolicy', { schema: k8s.networkPolicy, bucket: 'networkPolicies' }],
  ['extensions/v1beta1/NetworkPolicy', { schema: k8s.networkPolicy, bucket: 'networkPolicies', deprecated: 'networking.k8s.io/v1' }],
  [`${knp.KNP_API_VERSION}/Cluster`, { schema: knp.cluster, bucket: 'cluster' }],
  [`${knp.KNP_API_VERSION}/Probe`, { schema: knp.probe, bucket: 'probes' }],
  [`${knp.KNP_API_VERSION}/Host`, { schema: knp.host, bucket: 'hosts' }],
  [`${knp.KNP_API_VERSION}/Container`, { schema: knp.container, bucket: 'containers' }],
  [`${knp.KNP_API_VERSION}/Challenge`, { schema: challengeSchema.challenge, bucket: 'challenge' }],
]);

/** Kinds we know by name, to tell "wrong apiVersion" apart from "unknown kind". */
const kindNames = new Map<string, string[]>();
for (const key of kinds.keys()) {
  const i = key.lastIndexOf('/');
  const kind = key.slice(i + 1);
  const list = kindNames.get(kind) ?? [];
  list.push(key.slice(0, i));
  kindNames.set(kind, list);
}

export function emptyObjects(): ScenarioObjects {
  return {
    namespaces: [], pods: [], deployments: [], replicaSets: [], statefulSets: [], daemonSets: [],
    services: [], endpoints: [], endpointSlices: [], configMaps: [], secrets: [], ingresses: [],
    ingressClasses: [], networkPolicies: [], probes: [], hosts: [], containers: [],
  };
}

export interface LoadResult {
  objects: ScenarioObjects;
  diagnostics: Diagnostic[];
}

export function loadScenario(file: string, text: string): LoadResult {
  const { docs, diagnostics } = parseYamlSource(file, text);
  const objects = emptyObjects();
  for (const doc of docs) loadDoc(doc, objects, diagnostics);
  return { objects, diagnostics };
}

/** `params`: the values the message names, so the UI can say it in zh-CN (src/app/i18n/features/diagnostics.ts). */
function diag(doc: SourceDoc, path: Path, severity: Severity, code: string, message: string, hint?: string, key = false, params?: Readonly<Record<string, string | number>>): Diagnostic {
  return { file: doc.file, ...doc.locate(path, key), severity, code, message, ...(hint ? { hint } : {}), ...(params ? { params } : {}) };
}

function loadDoc(doc: SourceDoc, out: ScenarioObjects, ds: Diagnostic[]): void {
  const v = doc.value;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    ds.push(diag(doc, [], 'error', 'not-an-object', 'a document must be a mapping with apiVersion, kind and metadata', 'start the document with "apiVersion: v1" and "kind: ..."', false, {}));
    return;
  }
  const o = v as Record<string, unknown>;
  if (o.kind === 'List' && Array.isArray(o.items)) {
    ds.push(diag(doc, ['kind'], 'warning', 'list-kind', 'kind: List is expanded into its items', undefined, false, {}));
    o.items.forEach((item, i) => loadDoc({ ...doc, value: item, locate: (p, k) => doc.locate(['items', i, ...p], k) }, out, ds));
    return;
  }
  if (typeof o.apiVersion !== 'string') {
    ds.push(diag(doc, o.apiVersion === undefined ? [] : ['apiVersion'], 'error', 'missing-apiversion', 'apiVersion is missing or not a string', 'add e.g. "apiVersion: v1" (Pod, Service), "apps/v1" (Deployment) or "knp/v1alpha1" (Cluster)', false, {}));
    return;
  }
  if (typeof o.kind !== 'string') {
    ds.push(diag(doc, o.kind === undefined ? [] : ['kind'], 'error', 'missing-kind', 'kind is missing or not a string', 'add e.g. "kind: Pod"', false, {}));
    return;
  }
  const key = `${o.apiVersion}/${o.kind}`;
  const entry = kinds.get(key);
  if (!entry) {
    const known = kindNames.get(o.kind);
    if (known) {
      ds.push(diag(doc, ['apiVersion'], 'error', 'unknown-apiversion', `${o.kind} is not served at apiVersion ${o.apiVersion}`, `use apiVersion: ${known[0]}`, false, { kind: o.kind, apiVersion: o.apiVersion, known: known[0]! }));
    } else {
      ds.push(diag(doc, ['kind'], 'warning', 'unknown-kind', `kind ${o.kind} (${o.apiVersion}) is not modelled by the playground; this document is ignored`, 'the rest of the scenario still loads', false, { kind: o.kind, apiVersion: o.apiVersion }));
    }
    return;
  }
  if (entry.deprecated) {
    ds.push(diag(doc, ['apiVersion'], 'warning', 'deprecated-apiversion', `${o.apiVersion} ${o.kind} is deprecated and no longer served by current clusters; it was converted to ${entry.deprecated}`, `write apiVersion: ${entry.deprecated}`, false, { kind: o.kind, apiVersion: o.apiVersion, now: entry.deprecated }));
  }
  let value: unknown = v;
  let result = entry.schema.safeParse(value);
  if (!result.success) {
    // Unknown fields are warnings (kubectl --validate=warn); drop them and parse again.
    const unknown = result.error.issues.filter((i) => i.code === 'unrecognized_keys');
    for (const issue of unknown) {
      for (const k of (issue as { keys: string[] }).keys) {
        const path = [...issue.path.map(asSeg), k];
        ds.push(diag(doc, path, 'warning', 'unknown-field', `unknown field "${fieldPath(path)}" in ${o.kind}`, suggestField(k), true, { field: fieldPath(path), kind: o.kind }));
      }
    }
    if (unknown.length) {
      value = JSON.parse(JSON.stringify(value)) as unknown;
      for (const issue of unknown) removeKeys(value, issue.path.map(asSeg), (issue as { keys: string[] }).keys);
      result = entry.schema.safeParse(value);
    }
  }
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') continue;
      const path = issue.path.map(asSeg);
      const input = valueAt(value, path);
      ds.push(diag(doc, path, 'error', issueCode(issue, input), describeIssue(o.kind, path, issue, input), issueHint(issue, input), false, { kind: o.kind, field: path.length ? fieldPath(path) : o.kind }));
    }
    return;
  }
  let obj = result.data as Record<string, unknown>;
  if (entry.convert) obj = entry.convert(obj as never) as Record<string, unknown>;
  const origin: Origin = { file: doc.file, doc: doc.index, locate: doc.locate };
  if (entry.bucket === 'cluster') {
    if (out.cluster) {
      ds.push(diag(doc, ['kind'], 'error', 'duplicate-cluster', 'a scenario has at most one Cluster; this one is ignored', 'merge the two Cluster documents', false, {}));
      return;
    }
    out.cluster = { obj: obj as never, origin };
    return;
  }
  if (entry.bucket === 'challenge') {
    if (out.challenge) {
      ds.push(diag(doc, ['kind'], 'error', 'duplicate-challenge', 'a scenario has at most one Challenge; this one is ignored', 'keep one Challenge document and put all its goals in it'));
      return;
    }
    out.challenge = { obj: obj as never, origin };
    return;
  }
  (out[entry.bucket] as Loaded<unknown>[]).push({ obj, origin });
}

const asSeg = (s: PropertyKey): string | number => (typeof s === 'number' ? s : String(s));

function removeKeys(root: unknown, path: (string | number)[], keys: string[]): void {
  let cur: unknown = root;
  for (const seg of path) cur = (cur as Record<string | number, unknown>)?.[seg];
  if (cur && typeof cur === 'object') for (const k of keys) delete (cur as Record<string, unknown>)[k];
}

function valueAt(root: unknown, path: (string | number)[]): unknown {
  let cur: unknown = root;
  for (const seg of path) cur = (cur as Record<string | number, unknown> | undefined)?.[seg];
  return cur;
}

/** kubectl's way of naming a field: spec.containers[0].ports[0].containerPort */
export function fieldPath(path: readonly (string | number)[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

function issueCode(issue: z.core.$ZodIssue, input: unknown): string {
  switch (issue.code) {
    case 'invalid_type': return input === undefined ? 'missing-field' : 'invalid-type';
    case 'invalid_value': return 'invalid-value';
    case 'invalid_union': return 'invalid-type';
    case 'too_small': case 'too_big': return 'out-of-range';
    default: return 'invalid-value';
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string "${v}"`;
  return `${typeof v} ${String(v)}`;
}

function describeIssue(kind: string, path: (string | number)[], issue: z.core.$ZodIssue, input: unknown): string {
  const field = path.length ? fieldPath(path) : kind;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `${kind}: required field "${field}" is missing`;
      return `${kind}: "${field}" must be ${expected(issue.expected)}, not ${typeName(input)}`;
    case 'invalid_value':
      return `${kind}: "${field}" must be one of ${issue.values.map((x) => JSON.stringify(x)).join(', ')}, not ${typeName(input)}`;
    case 'invalid_union':
      return `${kind}: "${field}" has the wrong type (${typeName(input)})`;
    case 'too_small':
      return `${kind}: "${field}" must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `${kind}: "${field}" must be at most ${String(issue.maximum)}`;
    default:
      return `${kind}: "${field}": ${issue.message}`;
  }
}

function expected(t: string): string {
  switch (t) {
    case 'object': return 'a mapping (key: value lines)';
    case 'array': return 'a list ("- item" lines)';
    case 'int': return 'a whole number';
    default: return `a ${t}`;
  }
}

function issueHint(issue: z.core.$ZodIssue, input: unknown): string | undefined {
  if (issue.code === 'invalid_value' && typeof input === 'string') {
    const near = issue.values.find((x) => typeof x === 'string' && x.toLowerCase() === input.toLowerCase());
    if (near !== undefined) return `did you mean "${String(near)}"? Values are case-sensitive`;
  }
  if (issue.code === 'invalid_type' && input === undefined) return 'add the field; it is required';
  if (issue.code === 'invalid_type' && issue.expected === 'string') return 'quote the value if it looks like a number or boolean, e.g. "80" or "true"';
  if (issue.code === 'invalid_type' && (issue.expected === 'number' || issue.expected === 'int')) return 'write the number without quotes';
  if (issue.code === 'invalid_type' && issue.expected === 'array') return 'start each item on its own line with "- "';
  return undefined;
}

const COMMON_TYPOS: Record<string, string> = {
  contianers: 'containers', continers: 'containers', containerport: 'containerPort', targetport: 'targetPort',
  nodeport: 'nodePort', hostport: 'hostPort', selecter: 'selector', lables: 'labels', label: 'labels',
  replica: 'replicas', port: 'ports', image: 'image', namepsace: 'namespace', matchlabels: 'matchLabels',
};

function suggestField(k: string): string {
  const s = COMMON_TYPOS[k.toLowerCase()];
  if (s && s !== k) return `did you mean "${s}"? Field names are case-sensitive`;
  return 'check the spelling and indentation; the field is ignored';
}

function convertIngressV1beta1(o: k8s.IngressV1beta1In): k8s.IngressIn {
  const backend = (b: { serviceName: string; servicePort: string | number }) => ({
    service: { name: b.serviceName, port: typeof b.servicePort === 'number' ? { number: b.servicePort } : { name: b.servicePort } },
  });
  const spec = o.spec;
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: o.metadata,
    ...(spec ? {
      spec: {
        ...(spec.ingressClassName ? { ingressClassName: spec.ingressClassName } : {}),
        ...(spec.backend ? { defaultBackend: backend(spec.backend) } : {}),
        ...(spec.tls ? { tls: spec.tls } : {}),
        ...(spec.rules ? {
          rules: spec.rules.map((r) => ({
            ...(r.host !== undefined ? { host: r.host } : {}),
            ...(r.http ? { http: { paths: r.http.paths.map((p) => ({ ...(p.path !== undefined ? { path: p.path } : {}), pathType: p.pathType ?? 'ImplementationSpecific', backend: backend(p.backend) })) } } : {}),
          })),
        } : {}),
      },
    } : {}),
  };
}
