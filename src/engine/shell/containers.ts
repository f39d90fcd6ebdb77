/**
 * Container runtimes as the seeds use them: `docker` on a Host (ps, inspect [-f TEMPLATE],
 * network ls|inspect|create, run -d --network=bridge|host|none|container:NAME [-p H:C], exec,
 * rm -f) and `crictl` on a node (pods, ps, inspect, inspectp [-o json|go-template]). Both read
 * the same model the network is built from: `docker run` adds a Container to the scenario's
 * objects and rebuilds, so its namespace, veth, address and rules are there as dockerd would
 * make them. IDs are 64 hex digits derived from the names; PIDs are the ones ps shows.
 */
import { nsForTarget } from '../net/lookup';
import type { PodModel } from '../model/cluster';
import { rebuildSim } from '../build/rebuild';
import type { Loaded } from '../scenario/load';
import type { ContainerIn } from '../scenario/schema/knp';
import type { Sim } from '../sim';
import { formatIso, wallClockMs, CLUSTER_START_MS } from '../util/clock';
import { parsePublish } from '../agents/docker/hostrules';
import { renderTemplate } from './gotemplate';
import { containerCommand, containerId, dockerNetTarget, hexId, imageBase, pidFor, podNetTarget, sandboxId } from './procs';
import { fail, ok, type Command, type CommandResult, type ShellContext, type Target } from './types';

type DockerObj = Sim['model']['containers'][number];

/** "5 minutes ago", "About a minute ago", "2 hours ago", "10 days ago": docker's and crictl's ages. */
export function ago(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 1) return 'Less than a second';
  if (s < 60) return `${s} seconds`;
  const m = Math.round(s / 60);
  if (m === 1) return 'About a minute';
  if (m < 60) return `${m} minutes`;
  const h = Math.round(s / 3600);
  if (h === 1) return 'About an hour';
  if (h < 48) return `${h} hours`;
  const d = Math.floor(s / 86400);
  if (d < 14) return `${d} days`;
  return `${Math.floor(d / 7)} weeks`;
}

/** Columns as Go's tabwriter lays them: each as wide as its widest cell plus `pad`. */
function table(rows: string[][], pad = 3, min = 0): string {
  const widths = rows[0]!.map((_, i) => Math.max(min, ...rows.map((r) => (r[i] ?? '').length + pad)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('').trimEnd() + '\n').join('');
}

// ---------------------------------------------------------------- docker

const NO_DAEMON = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n';

function hostOf(ctx: ShellContext): string | null {
  return ctx.target.kind === 'host' && !ctx.target.netns ? ctx.target.name : null;
}

function dockerId(host: string, name: string): string {
  return hexId(`docker/${host}/${name}`);
}

function findContainer(sim: Sim, host: string, ref: string): DockerObj | undefined {
  return sim.model.containers.find((c) => c.spec.host === host && (c.meta.name === ref || (ref.length >= 3 && dockerId(host, c.meta.name).startsWith(ref))));
}

function addrOf(sim: Sim, host: string, c: DockerObj): { ip: string; len: number; mac: string; gw: string } | null {
  if (c.spec.network !== 'bridge') return null;
  const ns = nsForTarget(sim, { kind: 'host', name: host, netns: c.meta.name });
  const eth0 = ns?.links.find((l) => l.name === 'eth0');
  const a = eth0?.addrs.find((x) => x.family === 4);
  const gw = ns?.routes.find((r) => r.dst === 'default')?.via ?? '';
  return a && eth0 ? { ip: a.address, len: a.prefixLen, mac: eth0.mac, gw } : null;
}

function inspectObj(sim: Sim, host: string, c: DockerObj): Record<string, unknown> {
  const id = dockerId(host, c.meta.name);
  const created = formatIso(CLUSTER_START_MS + c.meta.createdAt * 1000);
  const a = addrOf(sim, host, c);
  const ports: Record<string, unknown> = {};
  for (const p of c.spec.ports ?? []) {
    const pp = parsePublish(p);
    if (pp) ports[`${pp.containerPort}/${pp.protocol}`] = [{ HostIp: pp.hostIP, HostPort: String(pp.hostPort) }];
  }
  const cmd = containerCommand(c.spec.image ?? 'busybox').split(' ');
  const mode = c.spec.network;
  const netId = hexId(`docker-network/${host}/${mode.startsWith('container:') ? 'container' : mode}`);
  const networks: Record<string, unknown> = mode === 'bridge' || mode === 'host' || mode === 'none'
    ? { [mode]: { NetworkID: netId, EndpointID: a ? hexId(`endpoint/${host}/${c.meta.name}`) : '', Gateway: a?.gw ?? '', IPAddress: a?.ip ?? '', IPPrefixLen: a?.len ?? 0, MacAddress: a?.mac ?? '' } }
    : {};
  return {
    Id: id, Created: created, Path: cmd[0], Args: cmd.slice(1),
    State: { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: pidFor(`docker/${host}/${c.meta.name}`), ExitCode: 0, Error: '', StartedAt: created, FinishedAt: '0001-01-01T00:00:00Z' },
    Image: `sha256:${hexId(`image/${c.spec.image ?? 'busybox'}`)}`,
    Name: `/${c.meta.name}`,
    HostConfig: { NetworkMode: mode, PortBindings: ports },
    Config: { Hostname: mode === 'host' ? host : id.slice(0, 12), Image: c.spec.image ?? 'busybox', Cmd: cmd },
    NetworkSettings: {
      Bridge: '', SandboxID: hexId(`sandbox/${host}/${c.meta.name}`), SandboxKey: mode === 'host' ? '/var/run/docker/netns/default' : `/var/run/docker/netns/${hexId(`sandbox/${host}/${c.meta.name}`).slice(0, 12)}`,
      Ports: ports, Gateway: a?.gw ?? '', IPAddress: a?.ip ?? '', IPPrefixLen: a?.len ?? 0, MacAddress: a?.mac ?? '', Networks: networks,
    },
  };
}

function formatOpt(args: string[]): { format?: string; rest: string[] } {
  const rest: string[] = [];
  let format: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-f' || a === '--format') format = args[++i];
    else if (a.startsWith('--format=')) format = a.slice(9);
    else rest.push(a);
  }
  return { ...(format !== undefined ? { format } : {}), rest };
}

function render(tpl: string, v: unknown, tool: string): CommandResult | string {
  try { return renderTemplate(tpl, v); } catch (e) { return fail(`${tool}: template: ${(e as Error).message}\n`, 1); }
}

const networks = new WeakMap<Sim, Map<string, string[]>>();

function dockerNetworks(sim: Sim, host: string): { name: string; driver: string }[] {
  const user = networks.get(sim)?.get(host) ?? [];
  return [{ name: 'bridge', driver: 'bridge' }, { name: 'host', driver: 'host' }, { name: 'none', driver: 'null' }, ...user.map((n) => ({ name: n, driver: 'bridge' }))];
}

export const docker: Command = (ctx, argv) => {
  const host = hostOf(ctx);
  if (!host) return fail(ctx.target.kind === 'node' ? `${NO_DAEMON}(this node runs containerd: use crictl ps, crictl pods)\n` : NO_DAEMON, 1);
  const sim = ctx.sim;
  const sub = argv[1];
  const args = argv.slice(2);
  const now = wallClockMs(sim);
  const mine = sim.model.containers.filter((c) => c.spec.host === host);
  switch (sub) {
    case 'ps': case 'container': {
      if (sub === 'container' && args[0] !== 'ls' && args[0] !== 'ps') break;
      const quiet = args.includes('-q');
      if (quiet) return ok(mine.map((c) => `${dockerId(host, c.meta.name).slice(0, 12)}\n`).join(''));
      const rows = [['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES']];
      for (const c of mine) {
        const age = ago((now - (CLUSTER_START_MS + c.meta.createdAt * 1000)) / 1000);
        let cmd = containerCommand(c.spec.image ?? 'busybox');
        if (cmd.length > 20) cmd = `${cmd.slice(0, 19)}…`;
        const ports = (c.spec.ports ?? []).map(parsePublish).filter((p) => p !== null).map((p) => `${p!.hostIP}:${p!.hostPort}->${p!.containerPort}/${p!.protocol}`).join(', ');
        rows.push([dockerId(host, c.meta.name).slice(0, 12), c.spec.image ?? 'busybox', `"${cmd}"`, `${age} ago`, `Up ${age}`, ports, c.meta.name]);
      }
      return ok(table(rows));
    }
    case 'inspect': {
      const { format, rest } = formatOpt(args);
      if (rest.length === 0) return fail('"docker inspect" requires at least 1 argument.\nSee \'docker inspect --help\'.\n\nUsage:  docker inspect [OPTIONS] NAME|ID [NAME|ID...]\n\nReturn low-level information on Docker objects\n', 1);
      const objs: unknown[] = [];
      let err = '';
      for (const ref of rest) {
        const c = findContainer(sim, host, ref);
        if (c) objs.push(inspectObj(sim, host, c));
        else err += `Error: No such object: ${ref}\n`;
      }
      if (format !== undefined) {
        let out = '';
        for (const o of objs) { const r = render(format, o, 'docker'); if (typeof r !== 'string') return r; out += `${r}\n`; }
        return { stdout: out, stderr: err, exitCode: err ? 1 : 0 };
      }
      return { stdout: `${JSON.stringify(objs, null, 4)}\n`, stderr: err, exitCode: err ? 1 : 0 };
    }
    case 'network': {
      const op = args[0];
      const nets = dockerNetworks(sim, host);
      if (op === 'ls' || op === 'list') {
        return ok(table([['NETWORK ID', 'NAME', 'DRIVER', 'SCOPE'], ...nets.map((n) => [hexId(`docker-network/${host}/${n.name}`).slice(0, 12), n.name, n.driver, 'local'])]));
      }
      if (op === 'inspect') {
        const { format, rest } = formatOpt(args.slice(1));
        const out: unknown[] = [];
        for (const name of rest) {
          const n = nets.find((x) => x.name === name || hexId(`docker-network/${host}/${x.name}`).startsWith(name));
          if (!n) return fail(`Error response from daemon: network ${name} not found\n`, 1);
          const members = mine.filter((c) => c.spec.network === n.name);
          const spec = sim.model.hosts.find((h) => h.meta.name === host)?.spec;
          const cidr = spec?.docker?.bridgeCIDR ?? '172.17.0.0/16';
          out.push({
            Name: n.name, Id: hexId(`docker-network/${host}/${n.name}`), Created: formatIso(CLUSTER_START_MS), Scope: 'local', Driver: n.driver, EnableIPv6: false,
            IPAM: { Driver: 'default', Options: null, Config: n.name === 'bridge' ? [{ Subnet: cidr, Gateway: cidr.replace(/\.0\/\d+$/, '.1') }] : [] },
            Internal: false, Attachable: false, Ingress: false,
            Containers: Object.fromEntries(members.map((c) => { const a = addrOf(sim, host, c); return [dockerId(host, c.meta.name), { Name: c.meta.name, EndpointID: hexId(`endpoint/${host}/${c.meta.name}`), MacAddress: a?.mac ?? '', IPv4Address: a ? `${a.ip}/${a.len}` : '', IPv6Address: '' }]; })),
            Options: n.name === 'bridge' ? { 'com.docker.network.bridge.default_bridge': 'true', 'com.docker.network.bridge.enable_icc': 'true', 'com.docker.network.bridge.enable_ip_masquerade': 'true', 'com.docker.network.bridge.host_binding_ipv4': '0.0.0.0', 'com.docker.network.bridge.name': 'docker0', 'com.docker.network.driver.mtu': '1500' } : {},
            Labels: {},
          });
        }
        if (out.length === 0) return fail('"docker network inspect" requires at least 1 argument.\n', 1);
        if (format !== undefined) { let s = ''; for (const o of out) { const r = render(format, o, 'docker'); if (typeof r !== 'string') return r; s += `${r}\n`; } return ok(s); }
        return ok(`${JSON.stringify(out, null, 4)}\n`);
      }
      if (op === 'create') {
        const name = args.slice(1).filter((a) => !a.startsWith('-')).pop();
        if (!name) return fail('"docker network create" requires exactly 1 argument.\n', 1);
        if (nets.some((n) => n.name === name)) return fail(`Error response from daemon: network with name ${name} already exists\n`, 1);
        let m = networks.get(sim);
        if (!m) { m = new Map(); networks.set(sim, m); }
        m.set(host, [...(m.get(host) ?? []), name]);
        return { stdout: `${hexId(`docker-network/${host}/${name}`)}\n`, stderr: `knp: user-defined networks are listed, not built: run containers with --network=bridge, host, none or container:NAME\n`, exitCode: 0 };
      }
      return fail(`docker: '${op ?? ''}' is not a docker network command.\nSee 'docker network --help'\n`, 1);
    }
    case 'run': return dockerRun(ctx, host, args);
    case 'exec': {
      let i = 0;
      while (i < args.length && args[i]!.startsWith('-')) { if (['-e', '--env', '-u', '--user', '-w', '--workdir'].includes(args[i]!)) i++; i++; }
      const ref = args[i];
      const cmd = args.slice(i + 1);
      if (!ref || cmd.length === 0) return fail('"docker exec" requires at least 2 arguments.\nSee \'docker exec --help\'.\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nExecute a command in a running container\n', 1);
      const c = findContainer(sim, host, ref);
      if (!c) return fail(`Error response from daemon: No such container: ${ref}\n`, 1);
      if (c.spec.network === 'none' && cmd[0] !== 'ip' && cmd[0] !== 'ls' && cmd[0] !== 'cat' && cmd[0] !== 'ps') { /* runs anyway: the namespace has lo only */ }
      return ctx.run(dockerNetTarget(sim, host, c.meta.name), cmd, ctx.stdin);
    }
    case 'rm': case 'stop': {
      const refs = args.filter((a) => !a.startsWith('-'));
      let out = ''; let err = '';
      const objs = sim.objects?.containers;
      for (const ref of refs) {
        const c = findContainer(sim, host, ref);
        if (!c) { err += `Error response from daemon: No such container: ${ref}\n`; continue; }
        if (sub === 'rm' && !args.includes('-f') && !args.includes('--force')) { err += `Error response from daemon: You cannot remove a running container ${dockerId(host, c.meta.name)}. Stop the container before attempting removal or force remove\n`; continue; }
        if (sub === 'rm' && objs) { const k = objs.findIndex((l) => l.obj.metadata.name === c.meta.name && l.obj.spec.host === host); if (k >= 0) objs.splice(k, 1); }
        out += `${ref}\n`;
      }
      if (sub === 'rm' && out) rebuildSim(sim);
      return { stdout: out, stderr: sub === 'stop' && out ? 'knp: stopped containers are not modelled; docker rm -f removes it\n' : err, exitCode: err ? 1 : 0, ...(out && sub === 'rm' ? { changed: true } : {}) };
    }
    case 'version': return ok('Client: Docker Engine - Community\n Version:           24.0.7\n\nServer: Docker Engine - Community\n Engine:\n  Version:          24.0.7\n');
    case undefined: return fail('\nUsage:  docker [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n', 1);
    default: break;
  }
  return fail(`docker: '${sub}' is not a docker command.\nSee 'docker --help'\n`, 1);
};

function dockerRun(ctx: ShellContext, host: string, args: string[]): CommandResult {
  const sim = ctx.sim;
  let name: string | undefined;
  let network = 'bridge';
  let detach = false;
  const ports: string[] = [];
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-')) break;
    const val = (): string | undefined => (a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i]);
    if (a === '-d' || a === '--detach' || a === '-it' || a === '-i' || a === '-t' || a === '--rm' || a === '-dit' || a === '-itd') { if (a.includes('d')) detach = true; continue; }
    if (a === '--name' || a.startsWith('--name=')) name = val();
    else if (a === '--network' || a.startsWith('--network=') || a === '--net' || a.startsWith('--net=')) network = val() ?? 'bridge';
    else if (a === '-p' || a === '--publish' || a.startsWith('--publish=')) { const v = val(); if (v) ports.push(v); }
    else if (a === '-e' || a === '--env' || a === '-v' || a === '--volume' || a === '--hostname' || a === '-h') val();
    else return fail(`unknown flag: ${a}\nSee 'docker run --help'.\n`, 125);
  }
  const image = args[i];
  if (!image) return fail('"docker run" requires at least 1 argument.\nSee \'docker run --help\'.\n\nUsage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nCreate and run a new container from an image\n', 1);
  if (!['bridge', 'host', 'none'].includes(network) && !network.startsWith('container:')) {
    if (dockerNetworks(sim, host).some((n) => n.name === network)) return fail(`knp: user-defined network "${network}" is not built; use bridge, host, none or container:NAME\n`, 125);
    return fail(`docker: Error response from daemon: network ${network} not found.\n`, 125);
  }
  if (network.startsWith('container:') && !findContainer(sim, host, network.slice(10))) return fail(`docker: Error response from daemon: joining network namespace of container: No such container: ${network.slice(10)}.\n`, 125);
  for (const p of ports) if (!parsePublish(p)) return fail(`docker: Invalid containerPort: ${p}.\nSee 'docker run --help'.\n`, 125);
  const existing = sim.model.containers.filter((c) => c.spec.host === host).map((c) => c.meta.name);
  const cname = name ?? `${['admiring', 'brave', 'eager', 'focused', 'happy', 'quirky'][existing.length % 6]}_${['turing', 'hopper', 'lovelace', 'ritchie', 'thompson', 'torvalds'][(existing.length * 5 + 1) % 6]}`;
  if (existing.includes(cname)) return fail(`docker: Error response from daemon: Conflict. The container name "/${cname}" is already in use by container "${dockerId(host, cname)}". You have to remove (or rename) that container to be able to reuse that name.\n`, 125);
  if (!sim.objects) return fail('knp: this simulation was not built from a scenario; docker run cannot add a container\n', 1);
  if (!sim.model.hosts.some((h) => h.meta.name === host)) return fail(NO_DAEMON, 1);
  // The image's own ports listen (nginx 80, redis 6379, …); an image the playground does not know listens on none.
  const LISTEN: Record<string, (number | string)[]> = { nginx: [80], httpd: [80], redis: [6379], memcached: [11211], mysql: [3306], postgres: [5432], mongo: [27017], whoami: [80], traefik: [80] };
  const spec: ContainerIn['spec'] = { host, image, network, ...(ports.length ? { ports } : {}), ...(LISTEN[imageBase(image)] ? { listen: LISTEN[imageBase(image)]! } : {}) };
  const loaded: Loaded<ContainerIn> = {
    obj: { apiVersion: 'knp/v1alpha1', kind: 'Container', metadata: { name: cname }, spec } as unknown as ContainerIn,
    origin: { file: '(terminal)', doc: 0, locate: () => ({ line: 1, col: 1, endLine: 1, endCol: 1 }) },
  };
  sim.objects.containers.push(loaded);
  const ds = rebuildSim(sim);
  const bad = ds.find((d) => d.severity === 'error');
  if (bad) {
    sim.objects.containers.pop();
    rebuildSim(sim);
    return fail(`docker: Error response from daemon: ${bad.message}\n`, 125);
  }
  const id = dockerId(host, cname);
  if (!detach) return { stdout: '', stderr: `knp: the container runs in the background here (as with -d): ${id.slice(0, 12)}\n`, exitCode: 0, changed: true };
  return { stdout: `${id}\n`, stderr: '', exitCode: 0, changed: true };
}

// ---------------------------------------------------------------- crictl

function nodeOf(ctx: ShellContext): string | null {
  return ctx.target.kind === 'node' && !ctx.target.netns ? ctx.target.name : null;
}

function podsOn(sim: Sim, node: string): PodModel[] {
  return sim.model.pods.filter((p) => p.nodeName === node && p.phase !== 'Pending');
}

function podAge(sim: Sim, p: PodModel): string {
  return `${ago((wallClockMs(sim) - (CLUSTER_START_MS + p.meta.createdAt * 1000)) / 1000)} ago`;
}

function crictlOutput(args: string[]): { mode: 'json' | 'yaml' | 'tpl' | 'table'; tpl?: string; rest: string[] } {
  let mode: 'json' | 'yaml' | 'tpl' | 'table' = 'table';
  let tpl: string | undefined;
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-o' || a === '--output') { const v = args[++i]; mode = v === 'go-template' ? 'tpl' : v === 'yaml' ? 'yaml' : v === 'json' ? 'json' : 'table'; }
    else if (a.startsWith('--output=')) { const v = a.slice(9); mode = v === 'go-template' ? 'tpl' : v === 'json' ? 'json' : 'table'; }
    else if (a === '--template') tpl = args[++i];
    else if (a.startsWith('--template=')) tpl = a.slice(11);
    else rest.push(a);
  }
  return { mode, ...(tpl !== undefined ? { tpl } : {}), rest };
}

function flagValue(args: readonly string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    for (const n of names) { if (a === n) return args[i + 1]; if (a.startsWith(`${n}=`)) return a.slice(n.length + 1); }
  }
  return undefined;
}

function podNetnsPath(sim: Sim, p: PodModel): string {
  if (p.hostNetwork) return '';
  const ns = nsForTarget(sim, podNetTarget(p));
  return ns?.netnsName ? `/var/run/netns/${ns.netnsName}` : '';
}

export const crictl: Command = (ctx, argv) => {
  const node = nodeOf(ctx);
  if (!node) return fail('crictl: this runs on a node (knp exec FILE node/NAME -- crictl ps); it talks to containerd at unix:///run/containerd/containerd.sock\n', 1);
  const sim = ctx.sim;
  const sub = argv[1];
  const { mode, tpl, rest } = crictlOutput(argv.slice(2));
  const pods = podsOn(sim, node);
  const quiet = rest.includes('-q') || rest.includes('--quiet');
  const nameFilter = flagValue(rest, '--name');
  const nsFilter = flagValue(rest, '--namespace');
  const podFilter = flagValue(rest, '-p', '--pod');
  const find = (ref: string): PodModel | undefined => pods.find((p) => sandboxId(p).startsWith(ref) || p.meta.name === ref);
  const emit = (obj: unknown): CommandResult => {
    if (mode === 'tpl') { if (tpl === undefined) return fail('crictl: template is required for go-template output\n', 1); const r = render(tpl, obj, 'crictl'); return typeof r === 'string' ? ok(r.endsWith('\n') ? r : `${r}\n`) : r; }
    return ok(`${JSON.stringify(obj, null, 2)}\n`);
  };
  switch (sub) {
    case 'pods': {
      const shown = pods.filter((p) => (!nameFilter || p.meta.name.includes(nameFilter)) && (!nsFilter || p.meta.namespace === nsFilter));
      if (quiet) return ok(shown.map((p) => `${sandboxId(p)}\n`).join(''));
      const rows = [['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT', 'RUNTIME'], ...shown.map((p) => [sandboxId(p).slice(0, 13), podAge(sim, p), 'Ready', p.meta.name, p.meta.namespace, '0', '(default)'])];
      return ok(table(rows, 3, 20));
    }
    case 'ps': {
      const rows = [['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID', 'POD']];
      const ids: string[] = [];
      for (const p of pods) {
        if (podFilter && !sandboxId(p).startsWith(podFilter)) continue;
        for (const c of p.containers) {
          if (nameFilter && !c.name.includes(nameFilter)) continue;
          ids.push(containerId(p, c.name));
          rows.push([containerId(p, c.name).slice(0, 13), c.image, podAge(sim, p), 'Running', c.name, '0', sandboxId(p).slice(0, 13), p.meta.name]);
        }
      }
      if (quiet) return ok(ids.map((x) => `${x}\n`).join(''));
      return ok(table(rows, 3, 20));
    }
    case 'inspect': {
      const ref = rest.find((a) => !a.startsWith('-'));
      if (!ref) return fail('crictl: ID cannot be empty\n', 1);
      for (const p of pods) for (const c of p.containers) {
        const id = containerId(p, c.name);
        if (!id.startsWith(ref) && c.name !== ref) continue;
        const pid = pidFor(`${p.meta.uid}/${c.name}`);
        return emit({
          status: { id, metadata: { attempt: 0, name: c.name }, state: 'CONTAINER_RUNNING', createdAt: formatIso(CLUSTER_START_MS + p.meta.createdAt * 1000), image: { image: c.image }, imageRef: `docker.io/library/${c.image}`, labels: { 'io.kubernetes.container.name': c.name, 'io.kubernetes.pod.name': p.meta.name, 'io.kubernetes.pod.namespace': p.meta.namespace, 'io.kubernetes.pod.uid': p.meta.uid } },
          info: { sandboxID: sandboxId(p), pid, runtimeSpec: { linux: { namespaces: [{ type: 'pid' }, { type: 'ipc', path: `/proc/${pidFor(`${p.meta.uid}/POD`)}/ns/ipc` }, { type: 'uts', path: `/proc/${pidFor(`${p.meta.uid}/POD`)}/ns/uts` }, { type: 'mount' }, ...(p.hostNetwork ? [] : [{ type: 'network', path: `/proc/${pidFor(`${p.meta.uid}/POD`)}/ns/net` }])] } } },
        });
      }
      return fail(`E1206 08:05:00.000000   31337 remote_runtime.go:625] "ContainerStatus from runtime service failed" err="rpc error: code = NotFound desc = an error occurred when try to find container \\"${ref}\\": not found" containerID="${ref}"\nFATA[0000] getting the status of the container "${ref}": rpc error: code = NotFound desc = an error occurred when try to find container "${ref}": not found\n`, 1);
    }
    case 'inspectp': {
      const ref = rest.find((a) => !a.startsWith('-'));
      if (!ref) return fail('crictl: ID cannot be empty\n', 1);
      const p = find(ref);
      if (!p) return fail(`FATA[0000] getting the pod sandbox status for "${ref}": rpc error: code = NotFound desc = an error occurred when try to find sandbox "${ref}": not found\n`, 1);
      return emit({
        status: { id: sandboxId(p), metadata: { attempt: 0, name: p.meta.name, namespace: p.meta.namespace, uid: p.meta.uid }, state: 'SANDBOX_READY', createdAt: formatIso(CLUSTER_START_MS + p.meta.createdAt * 1000), network: { additionalIps: [], ip: p.podIP ?? '' }, linux: { namespaces: { options: { ipc: 'POD', network: p.hostNetwork ? 'NODE' : 'POD', pid: 'CONTAINER', targetId: '' } } }, labels: { ...p.meta.labels, 'io.kubernetes.pod.name': p.meta.name, 'io.kubernetes.pod.namespace': p.meta.namespace, 'io.kubernetes.pod.uid': p.meta.uid } },
        info: { pid: pidFor(`${p.meta.uid}/POD`), image: 'registry.k8s.io/pause:3.9', runtimeSpec: { linux: { namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...(p.hostNetwork ? [] : [{ type: 'network', path: podNetnsPath(sim, p) }])] } } },
      });
    }
    case 'version': return ok('Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v1.7.11\nRuntimeApiVersion:  v1\n');
    default: return fail(`No help topic for '${sub ?? ''}'\n`, 1);
  }
};

export const containerCommands: Record<string, Command> = { docker, crictl };
export type { Target };
