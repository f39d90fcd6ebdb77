/**
 * `kubectl` against the simulated API server: get, describe, exec, scale, version, cluster-info.
 * Output follows kubectl's printers column for column; errors read like the real ones
 * ("Error from server (NotFound): pods "x" not found", "No resources found in default namespace.").
 */
import { stringify } from 'yaml';
import type { Sim } from '../sim';
import { matchesSelector, parseSelectorString } from '../control/selector';
import { KUBERNETES_VERSION } from '../control/system';
import type { LabelSelector } from '../scenario/schema/common';
import { describeResource } from './kubectlDescribe';
import { apply, create, deleteFiles, edit, expose, run, type MutateFlags } from './kubectlApply';
import { logs } from './kubectlLogs';
import { label, remove, scale } from './kubectlScale';
import { jsonpath } from './kubectlJsonpath';
import { table } from './kubectlFormat';
import { ALL, findResource, RESOURCES, type Item, type ResourceType } from './kubectlResources';
import { fail, ok, type Command, type CommandResult, type ShellContext } from './types';

export interface KubectlFlags {
  namespace: string;
  allNamespaces: boolean;
  output: string | null;
  selector: LabelSelector | null;
  showLabels: boolean;
  noHeaders: boolean;
  container: string | null;
  /** `kubectl scale --replicas=N`. */
  replicas: string | null;
  /** `kubectl label --overwrite`. */
  overwrite: boolean;
  /** `kubectl delete --force` (--now and --grace-period are accepted: deletion is immediate here). */
  force: boolean;
  positional: string[];
  rest: string[] | null;
  error?: string;
}

const VALUED = new Set(['-n', '--namespace', '-o', '--output', '-l', '--selector', '-c', '--container', '--context', '--kubeconfig', '--field-selector', '--sort-by', '--replicas', '--grace-period', '--timeout', '--cascade', '--tail', '--since']);

export function parseKubectlArgs(argv: readonly string[], defaultNs: string): KubectlFlags {
  const f: KubectlFlags = { namespace: defaultNs, allNamespaces: false, output: null, selector: null, showLabels: false, noHeaders: false, container: null, replicas: null, overwrite: false, force: false, positional: [], rest: null };
  const set = (name: string, v: string) => {
    switch (name) {
      case '-n': case '--namespace': f.namespace = v; break;
      case '-o': case '--output': f.output = v; break;
      case '-l': case '--selector': {
        const s = parseSelectorString(v);
        if (typeof s === 'string') f.error = s; else f.selector = s;
        break;
      }
      case '-c': case '--container': f.container = v; break;
      case '--replicas': f.replicas = v; break;
    }
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { f.rest = argv.slice(i + 1) as string[]; break; }
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) { set(a.slice(0, eq), a.slice(eq + 1)); continue; }
    if (VALUED.has(a)) {
      const v = argv[i + 1];
      if (v === undefined) { f.error = `error: flag needs an argument: '${a.replace(/^-+/, '')}' in ${a}`; break; }
      set(a, v); i++; continue;
    }
    if (/^-[nolc].+/.test(a) && !a.startsWith('--')) { set(a.slice(0, 2), a.slice(2).replace(/^=/, '')); continue; }
    if (a === '-A' || a === '--all-namespaces') { f.allNamespaces = true; continue; }
    if (a === '--show-labels') { f.showLabels = true; continue; }
    if (a === '--no-headers') { f.noHeaders = true; continue; }
    if (a === '--overwrite') { f.overwrite = true; continue; }
    if (a === '--force') { f.force = true; continue; }
    if (a === '-f' || a === '--follow' || a === '--timestamps') continue;
    if (a === '--now' || a === '--wait' || a === '--wait=false' || a === '--wait=true') continue;
    if (a === '-it' || a === '-ti' || a === '-i' || a === '-t' || a === '--stdin' || a === '--tty' || a === '-w' || a === '--watch' || a === '-q' || a === '--quiet') continue;
    if (a.startsWith('-')) { f.error = `error: unknown shorthand flag: '${a.replace(/^-+/, '')[0] ?? ''}' in ${a}`; if (a.startsWith('--')) f.error = `error: unknown flag: ${a.split('=')[0]}`; break; }
    f.positional.push(a);
  }
  return f;
}

/** Flags of the verbs that create things (run, create, expose, apply, edit, logs, delete -f). */
const MUTATE_VALUED = new Set(['-n', '--namespace', '-o', '--output', '-l', '--selector', '-c', '--container', '--image', '--port', '--labels', '--env', '--restart',
  '--type', '--target-port', '--name', '--protocol', '--tcp', '--node-port', '--clusterip', '--external-name', '--from-literal', '--rule', '--class',
  '--replicas', '-f', '--filename', '--generator', '--overrides', '--tail', '--since', '--timeout', '--grace-period', '--context', '--kubeconfig', '--field-manager', '--cascade', '--pod-running-timeout']);
const MUTATE_BOOL = new Set(['-i', '-t', '--stdin', '--tty', '--rm', '--expose', '--command', '--quiet', '-q', '--force', '--now', '--all', '--record', '--save-config',
  '--wait', '-p', '--previous', '--timestamps', '--follow', '--all-containers', '--prefix', '--dry-run', '-A', '--all-namespaces', '--validate', '--overwrite', '--show-labels', '--no-headers']);
const SHORT_ALIAS: Readonly<Record<string, string>> = { '--filename': '-f', '--stdin': '-i', '--tty': '-t', '--previous': '-p', '--namespace': '-n', '--output': '-o', '--selector': '-l', '--container': '-c', '--all-namespaces': '-A' };

export function parseMutateArgs(argv: readonly string[], defaultNs: string, verb: string): MutateFlags & { error?: string; selector: LabelSelector | null } {
  const values = new Map<string, string[]>();
  const bools = new Set<string>();
  const positional: string[] = [];
  let rest: string[] | null = null;
  let error: string | undefined;
  const put = (k0: string, v: string) => { const k = SHORT_ALIAS[k0] ?? k0; values.set(k, [...(values.get(k) ?? []), v]); };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { rest = argv.slice(i + 1) as string[]; break; }
    const eq = a.indexOf('=');
    if (a.startsWith('--') && eq > 0) {
      const k = a.slice(0, eq);
      if (!MUTATE_VALUED.has(k) && !MUTATE_BOOL.has(k)) { error = `error: unknown flag: ${k}`; break; }
      if (MUTATE_BOOL.has(k) && !MUTATE_VALUED.has(k) && k !== '--dry-run' && k !== '--expose' && k !== '--validate' && k !== '--wait') { if (a.slice(eq + 1) !== 'false') bools.add(SHORT_ALIAS[k] ?? k); continue; }
      put(k, a.slice(eq + 1)); continue;
    }
    // `logs -f` follows; everywhere else -f names a file.
    if (verb === 'logs' && a === '-f') { bools.add('--follow'); continue; }
    if (MUTATE_VALUED.has(a)) {
      const v = argv[i + 1];
      if (v === undefined) { error = `error: flag needs an argument: '${a.replace(/^-+/, '')}' in ${a}`; break; }
      put(a, v); i++; continue;
    }
    if (MUTATE_BOOL.has(a)) { bools.add(SHORT_ALIAS[a] ?? a); continue; }
    if (/^-[a-zA-Z]{2,}$/.test(a)) {
      // Bundled short flags: -it, -ti, -itq; -nfoo is -n foo.
      if ('nolcf'.includes(a[1]!)) { put(`-${a[1]}`, a.slice(2).replace(/^=/, '')); continue; }
      for (const ch of a.slice(1)) {
        if (!MUTATE_BOOL.has(`-${ch}`)) { error = `error: unknown shorthand flag: '${ch}' in ${a}`; break; }
        bools.add(`-${ch}`);
      }
      if (error) break;
      continue;
    }
    if (a.startsWith('-') && a !== '-') { error = a.startsWith('--') ? `error: unknown flag: ${a}` : `error: unknown shorthand flag: '${a[1] ?? ''}' in ${a}`; break; }
    positional.push(a);
  }
  const nsv = values.get('-n');
  const namespace = nsv?.[nsv.length - 1] ?? defaultNs;
  let selector: LabelSelector | null = null;
  const sel = values.get('-l')?.[0];
  if (sel !== undefined && verb !== 'run') {
    const s = parseSelectorString(sel);
    if (typeof s === 'string') error = s; else selector = s;
  }
  const out = values.get('-o')?.[0] ?? null;
  return { namespace, explicitNs: nsv !== undefined, positional, rest, values, bools, output: out, selector, ...(error ? { error } : {}) };
}

/** Global flags written before the verb (`kubectl -n kube-system get pods`) move after it. */
function verbFirst(argv: readonly string[]): string[] {
  const args = argv.slice(1);
  const lead: string[] = [];
  let i = 0;
  while (i < args.length && args[i]!.startsWith('-') && args[i] !== '--' && !['-h', '--help'].includes(args[i]!)) {
    const a = args[i]!;
    lead.push(a);
    if (!a.includes('=') && ['-n', '--namespace', '--context', '--kubeconfig', '-s', '--server', '--user', '--cluster'].includes(a) && i + 1 < args.length) lead.push(args[++i]!);
    i++;
  }
  if (!lead.length || i >= args.length) return [...argv];
  return [argv[0]!, args[i]!, ...lead, ...args.slice(i + 1)];
}

/** The namespace kubectl uses by default: the Pod's own when run inside one (in-cluster config), else "default". */
function defaultNamespace(ctx: ShellContext): string {
  return ctx.target.kind === 'pod' ? ctx.target.namespace : 'default';
}

function noCluster(sim: Sim): CommandResult | null {
  if (sim.model.hasCluster) return null;
  return fail('E0501 09:00:00.000000    4242 memcache.go:265] couldn\'t get current server API group list: Get "http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: connection refused\nThe connection to the server localhost:8080 was refused - did you specify the right host or port?\n', 1);
}

/** Splits "svc,ep" and "pod/NAME" into (type, names) requests. */
function requests(positional: readonly string[]): { types: ResourceType[]; names: string[] } | string {
  const first = positional[0];
  if (!first) return 'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help and examples';
  if (first.includes('/')) {
    const [t, n] = first.split('/');
    const rt = findResource(t ?? '');
    if (!rt) return `error: the server doesn't have a resource type "${t}"`;
    return { types: [rt], names: [n ?? '', ...positional.slice(1).map((p) => p.split('/')[1] ?? p)] };
  }
  const types: ResourceType[] = [];
  for (const t of first.split(',')) {
    if (t === 'all') { types.push(...ALL.map((a) => findResource(a)!)); continue; }
    const rt = findResource(t);
    if (!rt) return `error: the server doesn't have a resource type "${t}"`;
    types.push(rt);
  }
  return { types, names: positional.slice(1) };
}

function listFor(sim: Sim, rt: ResourceType, f: KubectlFlags): Item[] {
  return rt.list(sim).filter((it) => !rt.namespaced || f.allNamespaces || it.meta.namespace === f.namespace)
    .filter((it) => !f.selector || matchesSelector(it.meta.labels, f.selector));
}

function labelsText(l: Readonly<Record<string, string>>): string {
  const keys = Object.keys(l).sort();
  return keys.length ? keys.map((k) => `${k}=${l[k]}`).join(',') : '<none>';
}

function get(ctx: ShellContext, f: KubectlFlags): CommandResult {
  const sim = ctx.sim;
  const req = requests(f.positional);
  if (typeof req === 'string') return fail(`${req}\n`, 1);
  const out = f.output;
  if (out && !['wide', 'yaml', 'json', 'name'].includes(out) && !out.startsWith('jsonpath') && !out.startsWith('custom-columns')) {
    return fail(`error: unable to match a printer suitable for the output format "${out}", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n`, 1);
  }
  let stdout = '';
  let stderr = '';
  const objects: Record<string, unknown>[] = [];
  const multi = req.types.length > 1;
  const prefixed = multi || (f.positional[0] ?? '').split(',').includes('all');
  let printedGroups = 0;
  let exit = 0;
  for (const rt of req.types) {
    let items = listFor(sim, rt, f);
    if (req.names.length) {
      const found: Item[] = [];
      for (const n of req.names) {
        const it = rt.list(sim).find((x) => x.meta.name === n && (!rt.namespaced || f.allNamespaces || x.meta.namespace === f.namespace));
        if (it) found.push(it);
        else { stderr += `Error from server (NotFound): ${qualified(rt)} "${n}" not found\n`; exit = 1; }
      }
      items = found;
    }
    if (items.length === 0) continue;
    if (out === 'yaml' || out === 'json' || out?.startsWith('jsonpath')) { objects.push(...items.map((it) => rt.object(sim, it))); continue; }
    if (out === 'name') { stdout += items.map((it) => `${rt.prefix}/${it.meta.name}\n`).join(''); continue; }
    const wide = out === 'wide';
    const nsCol = rt.namespaced && f.allNamespaces;
    const rows: string[][] = [];
    if (!f.noHeaders) rows.push([...(nsCol ? ['NAMESPACE'] : []), ...rt.headers(wide), ...(f.showLabels ? ['LABELS'] : [])]);
    for (const it of items) {
      const row = rt.row(sim, it, wide);
      if (prefixed) row[0] = `${rt.prefix}/${row[0]}`;
      rows.push([...(nsCol ? [it.meta.namespace] : []), ...row, ...(f.showLabels ? [labelsText(it.meta.labels)] : [])]);
    }
    if (printedGroups > 0) stdout += '\n';
    stdout += table(rows);
    printedGroups++;
  }
  if (out?.startsWith('jsonpath')) {
    const template = out.replace(/^jsonpath=/, '');
    if (!out.startsWith('jsonpath=')) return fail('error: template format specified but no template given\n', 1);
    const single = objects.length === 1 && req.names.length === 1 && !multi;
    const r = jsonpath(template, single ? objects[0] : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } });
    if ('error' in r) return fail(`${r.error}\n`, 1);
    return { stdout: r.text, stderr, exitCode: exit };
  }
  if (out === 'yaml' || out === 'json') {
    const single = objects.length === 1 && req.names.length === 1 && !multi;
    const doc = single ? objects[0]! : { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
    if (objects.length > 0 || req.names.length === 0) stdout += out === 'json' ? `${JSON.stringify(doc, null, 4)}\n` : toYaml(doc);
  }
  if (stdout === '' && exit === 0) {
    const namespaced = req.types.some((t) => t.namespaced);
    stderr += namespaced && !f.allNamespaces ? `No resources found in ${f.namespace} namespace.\n` : 'No resources found\n';
  }
  return { stdout, stderr, exitCode: exit };
}

function exec(ctx: ShellContext, f: KubectlFlags, interactive = false): CommandResult {
  const name = f.positional[0];
  if (!name) return fail('error: expected \'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]\'.\nPOD or TYPE/NAME is a required argument for the exec command\nSee \'kubectl exec -h\' for help and examples\n', 1);
  let podName = name.startsWith('pod/') || name.startsWith('po/') || name.startsWith('pods/') ? name.slice(name.indexOf('/') + 1) : name;
  // deploy/NAME and svc/NAME pick the first Pod, as kubectl does.
  const slash = podName.indexOf('/');
  if (slash >= 0) {
    const kind = podName.slice(0, slash); const n = podName.slice(slash + 1);
    const w = ctx.sim.model.workloads.find((x) => x.meta.namespace === f.namespace && x.meta.name === n && findResource(kind)?.kind === x.kind);
    if (!w || !w.pods[0]) return fail(`Error from server (NotFound): ${findResource(kind)?.plural ?? kind} "${n}" not found\n`, 1);
    podName = w.pods[0];
  }
  const cmd = f.rest ?? f.positional.slice(1);
  if (cmd.length === 0) return fail('error: you must specify at least one command for the container\n', 1);
  const shell = cmd.length === 1 && ['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash'].includes(cmd[0]!);
  const pod = ctx.sim.model.pods.find((p) => p.meta.namespace === f.namespace && p.meta.name === podName);
  if (!pod) return fail(`Error from server (NotFound): pods "${podName}" not found\n`, 1);
  const container = f.container ?? pod.containers[0]?.name ?? '';
  if (!pod.containers.some((c) => c.name === container)) return fail(`error: unable to upgrade connection: container ${container} not found in pod ${podName}\n`, 1);
  if (pod.phase !== 'Running') return fail(`error: unable to upgrade connection: container not found ("${container}")\n`, 1);
  let stderr = '';
  if (!f.container && pod.containers.length > 1) stderr = `Defaulted container "${container}" out of: ${pod.containers.map((c) => c.name).join(', ')}\n`;
  // `exec -it POD -- sh`: an interactive shell in the container; the terminal switches to it (`exit` returns).
  if (interactive && shell) return { stdout: '', stderr, exitCode: 0, session: { target: { kind: 'pod', namespace: pod.meta.namespace, name: pod.meta.name, container } } };
  const r = ctx.run({ kind: 'pod', namespace: pod.meta.namespace, name: pod.meta.name, container }, cmd);
  // kubectl exits with the remote command's status and says so on stderr.
  const tail = r.exitCode !== 0 && r.exitCode !== 127 ? `command terminated with exit code ${r.exitCode}\n` : r.exitCode === 127 ? `error: Internal error occurred: error executing command in container: failed to exec in container: exec: "${cmd[0]}": executable file not found in $PATH: unknown\n` : '';
  return { stdout: r.stdout, stderr: stderr + (r.exitCode === 127 ? '' : r.stderr) + tail, exitCode: r.exitCode, ...(r.changed ? { changed: true } : {}), ...(r.traces ? { traces: r.traces } : {}) };
}

function describe(ctx: ShellContext, f: KubectlFlags): CommandResult {
  const [typeArg, ...names] = f.positional;
  if (!typeArg) return fail('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n', 1);
  let type = typeArg;
  let list = names;
  if (typeArg.includes('/')) { type = typeArg.split('/')[0]!; list = [typeArg.split('/')[1]!, ...names]; }
  const rt = findResource(type);
  if (!rt) return fail(`error: the server doesn't have a resource type "${type}"\n`, 1);
  const candidates = listFor(ctx.sim, rt, f);
  let chosen: Item[];
  let stderr = '';
  if (list.length === 0) chosen = candidates;
  else {
    chosen = [];
    for (const n of list) {
      const exact = candidates.filter((c) => c.meta.name === n);
      // kubectl describe falls back to a name-prefix match.
      const hits = exact.length ? exact : candidates.filter((c) => c.meta.name.startsWith(n));
      if (hits.length === 0) stderr += `Error from server (NotFound): ${qualified(rt)} "${n}" not found\n`;
      chosen.push(...hits);
    }
  }
  if (chosen.length === 0 && !stderr) return fail(rt.namespaced && !f.allNamespaces ? `No resources found in ${f.namespace} namespace.\n` : 'No resources found\n', 0);
  const texts = chosen.map((it) => describeResource(ctx.sim, rt, it));
  return { stdout: texts.join('\n\n'), stderr, exitCode: stderr ? 1 : 0 };
}

/** The resource as the API server names it in errors: "pods", "deployments.apps", "networkpolicies.networking.k8s.io". */
function qualified(rt: ResourceType): string {
  const slash = rt.apiVersion.indexOf('/');
  return slash < 0 ? rt.plural : `${rt.plural}.${rt.apiVersion.slice(0, slash)}`;
}

const USAGE = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (simulated):
  get           Display one or many resources
  describe      Show details of a specific resource or group of resources
  exec          Execute a command in a container (exec -it POD -- sh opens a shell in it)
  run           Run a particular image on the cluster (--image, --port, --expose, --rm -it -- sh)
  create        Create a resource from a file or from stdin, or: deployment, service, namespace, configmap, secret generic, ingress
  expose        Take a deployment, pod, replica set or service and expose it as a new Service
  apply         Apply a configuration to a resource by file name or stdin (-f FILE, -f - <<EOF)
  edit          Edit a resource (opens it in the playground's editor)
  logs          Print the logs for a container in a pod
  scale         Set a new size for a deployment, replica set or stateful set
  label         Update the labels on a resource
  delete        Delete resources by names or label selector (a controller's Pod comes back)
  cluster-info  Display cluster information
  api-resources Print the supported API resources on the server
  version       Print the client and server version information

Usage:
  kubectl [flags] [options]
`;

export const kubectl: Command = (ctx, argv0) => {
  const argv = verbFirst(argv0);
  const verb = argv[1];
  if (verb && MUTATING.has(verb) && !(verb === 'delete' && !argv.some((a) => a === '-f' || a.startsWith('--filename') || a.startsWith('-f=')))) {
    const nc = noCluster(ctx.sim);
    if (nc) return nc;
    const m = parseMutateArgs(argv.slice(2), defaultNamespace(ctx), verb);
    if (m.error) return fail(`${m.error}\nSee 'kubectl ${verb} --help' for usage.\n`, 1);
    let warn = '';
    if (m.values.has('--generator')) warn = 'Flag --generator has been deprecated, has no effect and will be removed in the future.\n';
    const r = mutating(ctx, verb, m);
    return warn ? { ...r, stderr: warn + r.stderr } : r;
  }
  if (!verb || verb === '-h' || verb === '--help' || verb === 'help') return ok(USAGE);
  const f = parseKubectlArgs(argv.slice(2), defaultNamespace(ctx));
  if (f.error) return fail(`${f.error}\nSee 'kubectl ${verb} --help' for usage.\n`, 1);
  if (verb === 'version') {
    const client = `Client Version: ${KUBERNETES_VERSION}\nKustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3\n`;
    return ctx.sim.model.hasCluster ? ok(`${client}Server Version: ${KUBERNETES_VERSION}\n`) : { stdout: client, stderr: noCluster(ctx.sim)!.stderr, exitCode: 1 };
  }
  const nc = noCluster(ctx.sim);
  if (nc) return nc;
  switch (verb) {
    case 'get': return get(ctx, f);
    case 'describe': return describe(ctx, f);
    case 'exec': {
      const before = argv.indexOf('--') < 0 ? argv : argv.slice(0, argv.indexOf('--'));
      const has = (c: string) => before.some((a) => a === `-${c}` || /^-[a-z]+$/.test(a) && a.includes(c)) || before.includes(c === 'i' ? '--stdin' : '--tty');
      return exec(ctx, f, has('i') && has('t'));
    }
    case 'scale': return scale(ctx.sim, f.positional, f.namespace, f.replicas);
    case 'label': return label(ctx.sim, f.positional, f.namespace, f.overwrite);
    case 'delete': {
      // `kubectl delete deployments,svc NAME`: each type in turn, as kubectl does.
      const [types, ...names] = f.positional;
      if (!types?.includes(',') || types.includes('/')) return remove(ctx.sim, f.positional, f.namespace, f.selector, f.force);
      let stdout = ''; let stderr = ''; let exitCode = 0; let changed = false;
      for (const t of types.split(',').filter(Boolean)) {
        const r = remove(ctx.sim, [t, ...names], f.namespace, f.selector, f.force);
        stdout += r.stdout; stderr += r.stderr; if (r.exitCode) exitCode = r.exitCode; if (r.changed) changed = true;
      }
      return { stdout, stderr, exitCode, ...(changed ? { changed } : {}) };
    }
    case 'api-resources': {
      const rows = [['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], ...[...RESOURCES].sort((x, y) => x.plural.localeCompare(y.plural))
        .map((r) => [r.plural, r.aliases.filter((a) => !a.includes('.')).join(','), r.apiVersion, String(r.namespaced), r.kind])];
      return ok(table(rows));
    }
    case 'cluster-info': {
      const api = ctx.sim.model.apiServer;
      const host = api ? `https://${api.ip}:${api.port}` : 'https://127.0.0.1:6443';
      return ok(`\x1b[0;32mKubernetes control plane\x1b[0m is running at \x1b[0;33m${host}\x1b[0m\n\x1b[0;32mCoreDNS\x1b[0m is running at \x1b[0;33m${host}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\x1b[0m\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n`);
    }
    default:
      return fail(`error: unknown command "${verb}" for "kubectl"\n\nDid you mean this?\n\tget\n\tdescribe\n\texec\n`, 1);
  }
};

const MUTATING = new Set(['run', 'create', 'expose', 'apply', 'edit', 'logs', 'delete']);

function mutating(ctx: ShellContext, verb: string, m: ReturnType<typeof parseMutateArgs>): CommandResult {
  switch (verb) {
    case 'run': return run(ctx, m);
    case 'create': return create(ctx, m);
    case 'expose': return expose(ctx, m);
    case 'apply': return apply(ctx, m);
    case 'delete': return deleteFiles(ctx, m, m.values.get('-f') ?? []);
    case 'logs': return logs(ctx, m);
    case 'edit': return edit(ctx, m, (type, name) => {
      const f = parseKubectlArgs([`${type}/${name}`, '-o', 'yaml', '-n', m.namespace], m.namespace);
      const r = get(ctx, f);
      return r.exitCode ? r : r.stdout;
    });
    default: return fail(`error: unknown command "${verb}" for "kubectl"\n`, 1);
  }
}

/** kubectl's YAML: sequences not indented under their key, timestamps quoted (go-yaml's YAML 1.1). */
export function toYaml(doc: unknown): string {
  return stringify(doc, { lineWidth: 0, indentSeq: false }).replace(/^(\s*[\w.-]+: )(\d{4}-\d\d-\d\dT[\d:]+Z)$/gm, '$1"$2"');
}

export const kubectlCommands: Record<string, Command> = { kubectl, k: kubectl };
