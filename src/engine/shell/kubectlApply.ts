/**
 * kubectl's verbs that add objects to the cluster: `apply -f`, `create -f`, `create KIND`, `run`,
 * `expose`, `delete -f` and `edit`. Each one writes the object the real kubectl would send (as
 * YAML), loads it through the same scenario loader the editor's text goes through, and adds it
 * to the scenario objects after everything already there (so it is created last: Pods made
 * before a Service do not get its environment variables). The control plane and the nodes then
 * catch up (rebuildSim), as they do for scale and label.
 *
 * `kubectl edit` cannot open an editor inside the engine: it answers with `editor` set (kind,
 * namespace, name and the object's YAML); the terminal opens it in the playground's editor, and
 * saving there is `kubectl apply` of the edited text. Without a UI it prints what kubectl
 * prints when the editor is closed unchanged: "Edit cancelled, no changes made."
 */
import { stringify } from 'yaml';
import type { Sim } from '../sim';
import { loadScenario, type Loaded, type Origin, type ScenarioObjects } from '../scenario/load';
import { rebuildSim } from '../build/rebuild';
import { imageKey } from '../model/listen';
import { matchesMap } from '../control/selector';
import { findResource } from './kubectlResources';
import { readSimFile } from './files';
import { remove } from './kubectlScale';
import { toYaml } from './kubectl';
import { fail, ok, type CommandResult, type ShellContext } from './types';

type Bucket = Exclude<keyof ScenarioObjects, 'cluster'>;

/** kubectl's "TYPE/NAME" for an applied object: "deployment.apps/web", "service/web". */
const PREFIX: Readonly<Record<string, string>> = {
  namespaces: 'namespace', pods: 'pod', deployments: 'deployment.apps', replicaSets: 'replicaset.apps', statefulSets: 'statefulset.apps',
  daemonSets: 'daemonset.apps', services: 'service', endpoints: 'endpoints', endpointSlices: 'endpointslice.discovery.k8s.io',
  configMaps: 'configmap', secrets: 'secret', ingresses: 'ingress.networking.k8s.io', ingressClasses: 'ingressclass.networking.k8s.io',
  networkPolicies: 'networkpolicy.networking.k8s.io',
};
const RESOURCE: Readonly<Record<string, string>> = {
  namespaces: 'namespaces', pods: 'pods', deployments: 'deployments.apps', replicaSets: 'replicasets.apps', statefulSets: 'statefulsets.apps',
  daemonSets: 'daemonsets.apps', services: 'services', endpoints: 'endpoints', endpointSlices: 'endpointslices.discovery.k8s.io',
  configMaps: 'configmaps', secrets: 'secrets', ingresses: 'ingresses.networking.k8s.io', ingressClasses: 'ingressclasses.networking.k8s.io',
  networkPolicies: 'networkpolicies.networking.k8s.io',
};
const CLUSTER_SCOPED = new Set(['namespaces', 'ingressClasses']);

type Meta = { name?: string; namespace?: string; labels?: Record<string, string> };
type Obj = { metadata: Meta } & Record<string, unknown>;

/** An origin placed after every document the simulation holds, so creation order is "now". */
function lastOrigin(sim: Sim, o: Origin): Origin {
  let max = 0;
  const objs = sim.objects;
  if (objs) for (const k of Object.keys(PREFIX) as Bucket[]) for (const l of objs[k] as Loaded<unknown>[]) max = Math.max(max, l.origin.doc);
  return { file: o.file, doc: Math.max(max + 1, 1000) + o.doc, locate: o.locate };
}

export interface ApplyOptions {
  readonly mode: 'apply' | 'create';
  readonly namespace: string;
  /** Whether -n was given (a document's own namespace must then agree). */
  readonly explicitNs: boolean;
  readonly source: string;
  readonly dryRun?: boolean;
}

/** Loads `text` (one or more documents) and creates or updates each object. */
export function applyText(sim: Sim, text: string, opts: ApplyOptions): CommandResult {
  if (!sim.objects) return fail('error: knp: this simulation has no scenario objects to change\n', 1);
  const file = opts.source === '-' ? 'STDIN' : opts.source;
  const { objects, diagnostics } = loadScenario(file, text);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) {
    const d = errors[0]!;
    return fail(`error: error validating "${file}": error validating data: ${d.message} (line ${d.line}, column ${d.col}); ${d.hint ?? ''}\n`, 1);
  }
  let stdout = '';
  let stderr = '';
  let exit = 0;
  let changed = false;
  const buckets = (Object.keys(PREFIX) as Bucket[]);
  const incoming = buckets.flatMap((b) => (objects[b] as Loaded<Obj>[]).map((l) => ({ b, l })));
  incoming.sort((x, y) => x.l.origin.doc - y.l.origin.doc);
  const added: { b: Bucket; name: string; ns: string; ref: string }[] = [];
  if (!incoming.length) return fail('error: no objects passed to apply\n', 1);
  for (const { b, l } of incoming) {
    const md = l.obj.metadata;
    const name = md.name ?? '';
    if (!CLUSTER_SCOPED.has(b)) {
      if (md.namespace !== undefined && opts.explicitNs && md.namespace !== opts.namespace) {
        stderr += `error: the namespace from the provided object "${md.namespace}" does not match the namespace "${opts.namespace}". You must pass '--namespace=${md.namespace}' to perform this operation.\n`;
        exit = 1; continue;
      }
      if (md.namespace === undefined && opts.namespace !== 'default') l.obj.metadata = { ...md, namespace: opts.namespace };
    }
    const ns = l.obj.metadata.namespace ?? 'default';
    const list = sim.objects[b] as Loaded<Obj>[];
    const i = list.findIndex((x) => x.obj.metadata.name === name && (CLUSTER_SCOPED.has(b) || (x.obj.metadata.namespace ?? 'default') === ns));
    const ref = `${PREFIX[b]}/${name}`;
    if (opts.dryRun) { stdout += `${ref} ${opts.mode === 'apply' ? (i >= 0 ? 'configured' : 'created') : 'created'} (dry run)\n`; continue; }
    if (i >= 0 && opts.mode === 'create') {
      stderr += `Error from server (AlreadyExists): error when creating "${file}": ${RESOURCE[b]} "${name}" already exists\n`;
      exit = 1; continue;
    }
    if (i >= 0) {
      const before = list[i]!;
      if (JSON.stringify(before.obj) === JSON.stringify(l.obj)) { stdout += `${ref} unchanged\n`; continue; }
      // The object keeps its place in creation order; its fields are the new text's.
      list[i] = { obj: l.obj, origin: { ...l.origin, doc: before.origin.doc, locate: l.origin.locate } };
      stdout += `${ref} configured\n`;
    } else {
      if (!CLUSTER_SCOPED.has(b) && ns !== 'default' && !sim.model.namespaces.some((n) => n.name === ns) && !incoming.some((x) => x.b === 'namespaces' && x.l.obj.metadata.name === ns)) {
        stderr += `Error from server (NotFound): error when creating "${file}": namespaces "${ns}" not found\n`;
        exit = 1; continue;
      }
      list.push({ obj: l.obj, origin: lastOrigin(sim, l.origin) });
      added.push({ b, name, ns, ref });
      stdout += `${ref} created\n`;
    }
    changed = true;
  }
  if (changed) {
    // The API server refuses what fails validation: it is not stored, and kubectl says why.
    const ds = rebuildSim(sim).filter((d) => d.severity === 'error' && d.file === file);
    const refused = added.filter((a) => !inModel(sim, a.b, a.name, a.ns));
    if (refused.length) {
      for (const a of refused) {
        const list = sim.objects[a.b] as Loaded<Obj>[];
        const i = list.findIndex((x) => x.obj.metadata.name === a.name && (CLUSTER_SCOPED.has(a.b) || (x.obj.metadata.namespace ?? 'default') === a.ns));
        if (i >= 0) list.splice(i, 1);
        stdout = stdout.replace(`${a.ref} created\n`, '');
      }
      stderr += ds.map((d) => (/ is invalid: /.test(d.message) ? `The ${d.message}\n` : `Error from server (Invalid): error when creating "${file}": ${d.message}\n`)).join('') || `Error from server (Invalid): error when creating "${file}"\n`;
      exit = 1;
      rebuildSim(sim);
    }
  }
  return { stdout, stderr, exitCode: exit, ...(changed ? { changed } : {}) };
}

function inModel(sim: Sim, b: Bucket, name: string, ns: string): boolean {
  const m = sim.model;
  const has = (xs: readonly { meta: { name: string; namespace: string } }[]) => xs.some((x) => x.meta.name === name && x.meta.namespace === ns);
  switch (b) {
    case 'namespaces': return m.namespaces.some((n) => n.name === name);
    case 'pods': return has(m.pods);
    case 'deployments': case 'replicaSets': case 'statefulSets': case 'daemonSets': return has(m.workloads);
    case 'services': return has(m.services);
    case 'configMaps': return has(m.configMaps);
    case 'secrets': return has(m.secrets);
    case 'ingresses': return has(m.ingresses);
    case 'ingressClasses': return m.ingressClasses.some((c) => c.meta.name === name);
    case 'networkPolicies': return has(m.networkPolicies);
    default: return true;
  }
}

/** The text behind `-f PATH` (or `-f -`: standard input). */
export function readManifest(ctx: ShellContext, path: string): string | CommandResult {
  if (path === '-') return ctx.stdin ?? '';
  if (/^https?:\/\//.test(path)) return fail(`error: unable to read URL "${path}", server reported 000 (no network in the playground): write the manifest in the terminal (cat > file.yaml <<EOF) or paste it into the editor\n`, 1);
  const t = readSimFile(ctx, path);
  if (t === null) return fail(`error: the path "${path}" does not exist\n`, 1);
  return t;
}

export interface MutateFlags {
  readonly namespace: string;
  readonly explicitNs: boolean;
  readonly positional: readonly string[];
  readonly rest: readonly string[] | null;
  readonly values: ReadonlyMap<string, string[]>;
  readonly bools: ReadonlySet<string>;
  readonly output: string | null;
}

const one = (f: MutateFlags, name: string): string | undefined => f.values.get(name)?.[0];
const dryRun = (f: MutateFlags): boolean => (one(f, '--dry-run') ?? (f.bools.has('--dry-run') ? 'client' : 'none')) !== 'none';

/** Either prints the object (--dry-run -o yaml) or creates it. */
function createObject(ctx: ShellContext, f: MutateFlags, doc: Record<string, unknown>, verbWord = 'created'): CommandResult {
  if (dryRun(f)) {
    if (f.output === 'yaml') return ok(toYaml(doc));
    if (f.output === 'json') return ok(`${JSON.stringify(doc, null, 4)}\n`);
  }
  const r = applyText(ctx.sim, stringify(doc), { mode: 'create', namespace: f.namespace, explicitNs: f.explicitNs, source: 'kubectl', dryRun: dryRun(f) });
  return verbWord === 'created' ? r : { ...r, stdout: r.stdout.replace(/ created\n/g, ` ${verbWord}\n`) };
}

/** kubectl's container name for an image: "radial/busyboxplus:curl" → "busyboxplus". */
const containerName = (image: string): string => imageKey(image).replace(/[^a-z0-9-]/g, '-') || 'app';

function parsePort(s: string | undefined): number | null {
  if (s === undefined) return null;
  return /^\d+$/.test(s) && Number(s) > 0 && Number(s) < 65536 ? Number(s) : null;
}

function literalData(f: MutateFlags): Record<string, string> | string {
  const data: Record<string, string> = {};
  for (const lit of f.values.get('--from-literal') ?? []) {
    const eq = lit.indexOf('=');
    if (eq <= 0) return `error: invalid literal source ${lit}, expected key=value`;
    data[lit.slice(0, eq)] = lit.slice(eq + 1);
  }
  return data;
}

function utf8(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
export function base64(text: string): string {
  const bytes = utf8(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + (i + 1 < bytes.length ? B64[(n >> 6) & 63]! : '=') + (i + 2 < bytes.length ? B64[n & 63]! : '=');
  }
  return out;
}

/** `kubectl create deployment|service|namespace|configmap|secret|ingress …` and `create -f`. */
export function create(ctx: ShellContext, f: MutateFlags): CommandResult {
  const files = f.values.get('-f');
  if (files?.length) return fromFiles(ctx, f, files, 'create');
  const [what, a, b] = f.positional;
  const meta = (name: string, labels?: Record<string, string>) => ({ name, ...(f.explicitNs ? { namespace: f.namespace } : {}), ...(labels ? { labels } : {}) });
  switch (what) {
    case 'deployment': case 'deploy': {
      const name = a;
      if (!name) return fail('error: exactly one NAME is required, got 0\nSee \'kubectl create deployment -h\' for help and examples\n', 1);
      const images = f.values.get('--image') ?? [];
      if (!images.length) return fail('error: required flag(s) "image" not set\n', 1);
      const port = parsePort(one(f, '--port'));
      const replicas = Number(one(f, '--replicas') ?? '1');
      const containers = images.map((image) => ({
        name: containerName(image), image,
        ...(f.rest?.length ? { command: [...f.rest] } : {}),
        ...(port ? { ports: [{ containerPort: port }] } : {}),
      }));
      return createObject(ctx, f, {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(name, { app: name }),
        spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers } } },
      });
    }
    case 'service': case 'svc': {
      const type = a;
      const name = b;
      const types: Record<string, string> = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' };
      if (!type || !types[type]) return fail('error: Create a service using a specified subcommand.\nAvailable Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n  loadbalancer   Create a LoadBalancer service\n  nodeport       Create a NodePort service\n', 1);
      if (!name) return fail('error: exactly one NAME is required, got 0\n', 1);
      const tcp = f.values.get('--tcp') ?? [];
      if (!tcp.length && type !== 'externalname' && one(f, '--clusterip') !== 'None') return fail('error: at least one port must be specified\n', 1);
      const ports: Record<string, unknown>[] = [];
      for (const t of tcp) {
        const [p, tp] = t.split(':');
        const port = parsePort(p);
        const target = tp === undefined ? port : parsePort(tp);
        if (port === null || target === null) return fail(`error: invalid port spec "${t}": ports are numbers 1-65535\n`, 1);
        const np = parsePort(one(f, '--node-port'));
        ports.push({ name: `${port}-${target}`, port, protocol: 'TCP', targetPort: target, ...(type === 'nodeport' && np ? { nodePort: np } : {}) });
      }
      return createObject(ctx, f, {
        apiVersion: 'v1', kind: 'Service', metadata: meta(name, { app: name }),
        spec: { type: types[type], ...(one(f, '--clusterip') ? { clusterIP: one(f, '--clusterip') } : {}), ...(type === 'externalname' ? { externalName: one(f, '--external-name') ?? '' } : { selector: { app: name } }), ...(ports.length ? { ports } : {}) },
      });
    }
    case 'namespace': case 'ns': {
      if (!a) return fail('error: exactly one NAME is required, got 0\n', 1);
      return createObject(ctx, f, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: a } });
    }
    case 'configmap': case 'cm': {
      if (!a) return fail('error: exactly one NAME is required, got 0\n', 1);
      const data = literalData(f);
      if (typeof data === 'string') return fail(`${data}\n`, 1);
      return createObject(ctx, f, { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(a), data });
    }
    case 'secret': {
      if (a !== 'generic' && a !== 'tls' && a !== 'docker-registry') return fail('error: Create a secret with specified type.\nAvailable Commands:\n  docker-registry   Create a secret for use with a Docker registry\n  generic           Create a secret from a local file, directory, or literal value\n  tls               Create a TLS secret\n', 1);
      if (a !== 'generic') return fail(`error: knp: only "create secret generic" is simulated; write the Secret as YAML for type ${a}\n`, 1);
      if (!b) return fail('error: exactly one NAME is required, got 0\n', 1);
      const data = literalData(f);
      if (typeof data === 'string') return fail(`${data}\n`, 1);
      return createObject(ctx, f, { apiVersion: 'v1', kind: 'Secret', metadata: meta(b), type: 'Opaque', data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, base64(v)])) });
    }
    case 'ingress': case 'ing': {
      if (!a) return fail('error: exactly one NAME is required, got 0\n', 1);
      const rules: { host?: string; http: { paths: unknown[] } }[] = [];
      for (const spec of f.values.get('--rule') ?? []) {
        // host/path=service:port[,tls[=secret]]
        const m = /^([^/=]*)(\/[^=]*)?=([^:,]+):([^,]+)/.exec(spec);
        if (!m) return fail(`error: rule ${spec} is invalid and should be in format host/path=svcname:svcport[,tls[=secret]]\n`, 1);
        const host = m[1] || undefined;
        let path = m[2] ?? '/';
        const prefix = path.endsWith('*');
        if (prefix) path = path.slice(0, -1) || '/';
        const port = /^\d+$/.test(m[4]!) ? { number: Number(m[4]) } : { name: m[4] };
        let rule = rules.find((r) => r.host === host);
        if (!rule) { rule = { ...(host ? { host } : {}), http: { paths: [] } }; rules.push(rule); }
        rule.http.paths.push({ path, pathType: prefix ? 'Prefix' : 'Exact', backend: { service: { name: m[3], port } } });
      }
      const cls = one(f, '--class');
      return createObject(ctx, f, { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta(a), spec: { ...(cls ? { ingressClassName: cls } : {}), rules } });
    }
    default:
      return fail(`error: unknown command "${what ?? ''}" for "kubectl create"\nAvailable kinds (simulated): configmap, deployment, ingress, namespace, secret generic, service clusterip|nodeport|loadbalancer|externalname, or -f FILE\n`, 1);
  }
}

function fromFiles(ctx: ShellContext, f: MutateFlags, files: readonly string[], mode: 'apply' | 'create'): CommandResult {
  let stdout = ''; let stderr = ''; let exit = 0; let changed = false;
  for (const path of files) {
    const text = readManifest(ctx, path);
    if (typeof text !== 'string') { stderr += text.stderr; exit = 1; continue; }
    const r = applyText(ctx.sim, text, { mode, namespace: f.namespace, explicitNs: f.explicitNs, source: path, dryRun: dryRun(f) });
    stdout += r.stdout; stderr += r.stderr; if (r.exitCode) exit = r.exitCode; if (r.changed) changed = true;
  }
  return { stdout, stderr, exitCode: exit, ...(changed ? { changed } : {}) };
}

export function apply(ctx: ShellContext, f: MutateFlags): CommandResult {
  const files = f.values.get('-f');
  if (!files?.length) return fail('error: must specify one of -f and -k\n', 1);
  return fromFiles(ctx, f, files, 'apply');
}

/** `kubectl delete -f FILE`: every object the file names, by kind and name. */
export function deleteFiles(ctx: ShellContext, f: MutateFlags, files: readonly string[]): CommandResult {
  let stdout = ''; let stderr = ''; let exit = 0; let changed = false;
  for (const path of files) {
    const text = readManifest(ctx, path);
    if (typeof text !== 'string') { stderr += text.stderr; exit = 1; continue; }
    const { objects } = loadScenario(path, text);
    for (const b of Object.keys(PREFIX) as Bucket[]) {
      for (const l of objects[b] as Loaded<Obj>[]) {
        const ns = l.obj.metadata.namespace ?? f.namespace;
        const r = remove(ctx.sim, [PREFIX[b]!.split('.')[0]!, l.obj.metadata.name ?? ''], ns, null, false);
        stdout += r.stdout; stderr += r.stderr; if (r.exitCode) exit = r.exitCode; if (r.changed) changed = true;
      }
    }
  }
  return { stdout, stderr, exitCode: exit, ...(changed ? { changed } : {}) };
}

/**
 * `kubectl run NAME --image=I [--port=P] [--expose] [--labels=k=v] [--env=K=V] [--restart=Never]
 * [--command] [-i] [-t] [--rm] [-- ARGS]`: a bare Pod labelled run=NAME (and with --expose a
 * ClusterIP Service of the same name). With -i and -t the terminal attaches to it (`session`);
 * with --rm the Pod is deleted when that shell exits.
 */
export function run(ctx: ShellContext, f: MutateFlags): CommandResult {
  const name = f.positional[0];
  if (!name) return fail('error: NAME is required for run\nSee \'kubectl run -h\' for help and examples\n', 1);
  const image = one(f, '--image');
  if (!image) return fail('error: required flag(s) "image" not set\n', 1);
  const port = one(f, '--port');
  if (port !== undefined && parsePort(port) === null) return fail(`error: invalid argument "${port}" for "--port" flag: strconv.ParseInt: parsing "${port}": invalid syntax\n`, 1);
  const expose = f.bools.has('--expose') || one(f, '--expose') === 'true';
  if (expose && !port) return fail('error: --port must be set when exposing a service\n', 1);
  const labels: Record<string, string> = { run: name };
  const labelText = one(f, '--labels') ?? one(f, '-l');
  if (labelText) {
    for (const kv of labelText.split(',')) {
      const eq = kv.indexOf('=');
      if (eq <= 0) return fail(`error: invalid label spec: ${kv}\n`, 1);
      labels[kv.slice(0, eq)] = kv.slice(eq + 1);
    }
    delete labels.run;
  }
  const env = (f.values.get('--env') ?? []).map((kv) => ({ name: kv.slice(0, kv.indexOf('=')), value: kv.slice(kv.indexOf('=') + 1) }));
  const restart = one(f, '--restart') ?? 'Always';
  if (!['Always', 'OnFailure', 'Never'].includes(restart)) return fail(`error: invalid restart policy: ${restart}\n`, 1);
  const interactive = f.bools.has('-i') && f.bools.has('-t');
  const rm = f.bools.has('--rm');
  if (rm && !f.bools.has('-i')) return fail('error: --rm should only be used for attached containers\n', 1);
  const words = f.rest ?? [];
  const container = {
    name, image,
    ...(words.length ? (f.bools.has('--command') ? { command: [...words] } : { args: [...words] }) : {}),
    ...(port ? { ports: [{ containerPort: Number(port) }] } : {}),
    ...(env.length ? { env } : {}),
    ...(interactive ? { stdin: true, tty: true } : {}),
  };
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(f.explicitNs ? { namespace: f.namespace } : {}), labels }, spec: { containers: [container], restartPolicy: restart, dnsPolicy: 'ClusterFirst' } };
  let stdout = '';
  let stderr = '';
  let changed = false;
  if (expose) {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name, ...(f.explicitNs ? { namespace: f.namespace } : {}) }, spec: { ports: [{ port: Number(port), protocol: 'TCP', targetPort: Number(port) }], selector: labels } };
    const r = createObject(ctx, f, svc);
    if (r.exitCode) return r;
    stdout += r.stdout; changed = true;
  }
  const r = createObject(ctx, f, pod);
  if (r.exitCode) return { ...r, stdout: stdout + r.stdout, ...(changed ? { changed } : {}) };
  if (dryRun(f) || !interactive) return { ...r, stdout: stdout + r.stdout };
  const made = ctx.sim.model.pods.find((p) => p.meta.name === name && p.meta.namespace === f.namespace);
  if (!made || made.phase !== 'Running') {
    stderr += `error: timed out waiting for the condition\n`;
    return { stdout, stderr, exitCode: 1, changed: true };
  }
  // kubectl attaches and says nothing more than this; the prompt is then the container's.
  stdout += 'If you don\'t see a command prompt, try pressing enter.\n';
  return {
    stdout, stderr, exitCode: 0, changed: true,
    // Leaving: --rm deletes the Pod; otherwise kubectl says how to come back.
    session: {
      target: { kind: 'pod', namespace: f.namespace, name, container: name },
      onExit: rm ? ['kubectl', 'delete', 'pod', name, '-n', f.namespace, '--now'] : ['echo', `"Session ended, resume using 'kubectl attach ${name} -c ${name} -i -t' command when the pod is running"`],
    },
  };
}

/**
 * `kubectl expose (deployment|pod|rs|svc) NAME [--port] [--target-port] [--type] [--name]
 * [--protocol]`: a Service selecting what the object selects; the port defaults to the first
 * container port of its Pods, as kubectl's introspection does.
 */
export function expose(ctx: ShellContext, f: MutateFlags): CommandResult {
  let [type, name] = f.positional;
  if (type?.includes('/')) [type, name] = [type.slice(0, type.indexOf('/')), type.slice(type.indexOf('/') + 1)];
  if (!type || !name) return fail('error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'\n', 1);
  const rt = findResource(type);
  if (!rt || !['Deployment', 'ReplicaSet', 'Pod', 'Service', 'StatefulSet'].includes(rt.kind)) {
    return fail(`error: cannot expose a ${rt?.kind ?? type}\n`, 1);
  }
  const m = ctx.sim.model;
  let selector: Record<string, string> | null = null;
  let labels: Record<string, string> = {};
  let ports: { port: number; protocol: string; name?: string }[] = [];
  if (rt.kind === 'Pod') {
    const p = m.pods.find((x) => x.meta.namespace === f.namespace && x.meta.name === name);
    if (!p) return fail(`Error from server (NotFound): pods "${name}" not found\n`, 1);
    selector = { ...p.meta.labels }; labels = { ...p.meta.labels };
    ports = p.containers.flatMap((c) => c.ports.map((x) => ({ port: x.containerPort, protocol: x.protocol, ...(x.name ? { name: x.name } : {}) })));
  } else if (rt.kind === 'Service') {
    const s = m.services.find((x) => x.meta.namespace === f.namespace && x.meta.name === name);
    if (!s) return fail(`Error from server (NotFound): services "${name}" not found\n`, 1);
    selector = s.selector ? { ...s.selector } : null; labels = { ...s.meta.labels };
    ports = s.ports.map((p) => ({ port: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) }));
  } else {
    const w = m.workloads.find((x) => x.kind === rt.kind && x.meta.namespace === f.namespace && x.meta.name === name);
    if (!w) return fail(`Error from server (NotFound): ${rt.plural}.apps "${name}" not found\n`, 1);
    const ml = (w.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels;
    if (!ml || (w.selector as { matchExpressions?: unknown[] }).matchExpressions?.length) return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the ${rt.kind} has match expressions\n`, 1);
    selector = { ...ml }; labels = { ...w.meta.labels };
    const pod = m.pods.find((p) => p.meta.namespace === f.namespace && matchesMap(p.meta.labels, ml));
    ports = (pod?.containers ?? []).flatMap((c) => c.ports.map((x) => ({ port: x.containerPort, protocol: x.protocol, ...(x.name ? { name: x.name } : {}) })));
  }
  if (!selector) return fail(`error: couldn't retrieve selectors via --selector flag or introspection: the service has no selector\n`, 1);
  const portFlag = one(f, '--port');
  const protocol = one(f, '--protocol') ?? 'TCP';
  const target = one(f, '--target-port');
  let specPorts: Record<string, unknown>[];
  if (portFlag !== undefined) {
    const p = parsePort(portFlag);
    if (p === null) return fail(`error: invalid argument "${portFlag}" for "--port" flag\n`, 1);
    specPorts = [{ port: p, protocol, targetPort: target === undefined ? p : (/^\d+$/.test(target) ? Number(target) : target) }];
  } else {
    if (!ports.length) return fail('error: couldn\'t find port via --port flag or introspection\nSee \'kubectl expose -h\' for help and examples\n', 1);
    specPorts = ports.map((p, i) => ({ ...(ports.length > 1 ? { name: p.name ?? `port-${i + 1}` } : {}), port: p.port, protocol: p.protocol, targetPort: target === undefined ? p.port : (/^\d+$/.test(target) ? Number(target) : target) }));
  }
  const type2 = one(f, '--type');
  const types: Record<string, string> = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer' };
  if (type2 !== undefined && !types[type2.toLowerCase()]) return fail(`error: Service "${one(f, '--name') ?? name}" is invalid: spec.type: Unsupported value: "${type2}": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"\n`, 1);
  const svcName = one(f, '--name') ?? name;
  const doc = {
    apiVersion: 'v1', kind: 'Service', metadata: { name: svcName, ...(f.explicitNs ? { namespace: f.namespace } : {}), ...(Object.keys(labels).length ? { labels } : {}) },
    spec: { ...(type2 ? { type: types[type2.toLowerCase()] } : {}), ports: specPorts, selector },
  };
  return createObject(ctx, f, doc, 'exposed');
}

/** `kubectl edit TYPE NAME`: hands the object to the editor (see the module comment). */
export function edit(ctx: ShellContext, f: MutateFlags, objectYaml: (type: string, name: string) => string | CommandResult): CommandResult {
  let [type, name] = f.positional;
  if (type?.includes('/')) [type, name] = [type.slice(0, type.indexOf('/')), type.slice(type.indexOf('/') + 1)];
  if (!type || !name) return fail('error: You must provide one or more resources by argument or filename.\n', 1);
  const y = objectYaml(type, name);
  if (typeof y !== 'string') return y;
  const rt = findResource(type)!;
  return { stdout: 'Edit cancelled, no changes made.\n', stderr: '', exitCode: 0, editor: { kind: rt.kind, namespace: rt.namespaced ? f.namespace : '', name, yaml: y } };
}
