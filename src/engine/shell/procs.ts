/**
 * The processes of the simulated machines, for ps, nsenter, docker inspect, crictl inspect and
 * /proc/PID/ns/net. A node runs init, containerd and kubelet, and for every Pod scheduled on it
 * the pause container (which holds the Pod's network namespace) and one process per container;
 * a Host runs init, containerd and dockerd and one process per Docker container. Each process
 * knows the shell target whose network namespace it is in, so `nsenter -t PID -n CMD` runs CMD
 * there. PIDs are stable: derived from the Pod's UID and the container name, not from order.
 */
import type { PodModel } from '../model/cluster';
import type { Sim } from '../sim';
import { hashString } from '../util/rand';
import { CLUSTER_START_MS } from '../util/clock';
import type { Target } from './types';

export interface Proc {
  readonly pid: number;
  readonly ppid: number;
  readonly user: string;
  /** The command line as /proc/PID/cmdline shows it (ps's COMMAND). */
  readonly cmd: string;
  /** Where it runs: its network namespace is this target's. */
  readonly target: Target;
  /** When it started, ms since the epoch (ps START). */
  readonly startMs: number;
  readonly pod?: PodModel;
  /** Container name, or "POD" for the pause container (crictl's name for the sandbox). */
  readonly container?: string;
  /** A Docker container on a host. */
  readonly docker?: string;
}

const SYSTEM_START = CLUSTER_START_MS;

/** PID of a Pod's container ("POD" = pause) or a Docker container: stable per identity. */
export function pidFor(key: string): number {
  return 2000 + (hashString(key) % 60000);
}

/** PID of a daemon on a machine (kubelet, sshd, kube-proxy): stable per machine and program. */
export function daemonPid(owner: string, name: string): number {
  return 1000 + (hashString(`${owner}/${name}`) % 60000);
}

export function imageBase(image: string): string {
  return image.split('@')[0]!.split('/').pop()!.split(':')[0]!;
}

/** What a container's main process is, from its command and args or its image's default. */
export function containerCommand(image: string, command?: readonly string[], args?: readonly string[]): string {
  if (command?.length) return [...command, ...(args ?? [])].join(' ');
  const base = imageBase(image);
  const dflt: Record<string, string> = {
    nginx: 'nginx: master process nginx -g daemon off;',
    httpd: 'httpd -DFOREGROUND',
    redis: 'redis-server *:6379',
    memcached: 'memcached',
    mysql: 'mysqld',
    postgres: 'postgres',
    mongo: 'mongod --bind_ip_all',
    coredns: '/coredns -conf /etc/coredns/Corefile',
    busybox: 'sh',
    alpine: '/bin/sh',
    ubuntu: '/bin/bash',
    debian: 'bash',
    pause: '/pause',
    whoami: '/whoami',
    'kube-proxy': '/usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/config.conf',
    flannel: '/opt/bin/flanneld --ip-masq --kube-subnet-mgr',
    'calico-node': 'calico-node -felix',
  };
  return args?.length ? `${dflt[base] ?? base} ${args.join(' ')}` : dflt[base] ?? base;
}

function podStart(p: PodModel): number {
  return CLUSTER_START_MS + (p.meta.createdAt ?? 0) * 1000;
}

/** The Pod's network target: its own namespace, or its node's with hostNetwork. */
export function podNetTarget(p: PodModel): Target {
  return p.hostNetwork && p.nodeName ? { kind: 'node', name: p.nodeName } : { kind: 'pod', namespace: p.meta.namespace, name: p.meta.name };
}

export function podProcs(p: PodModel): Proc[] {
  const net = podNetTarget(p);
  const start = podStart(p);
  const pause = pidFor(`${p.meta.uid}/POD`);
  const out: Proc[] = [{ pid: pause, ppid: pidFor(`${p.meta.uid}/shim`), user: '65535', cmd: '/pause', target: net, startMs: start, pod: p, container: 'POD' }];
  for (const c of p.containers) {
    const spec = p.spec.containers?.find((x) => x.name === c.name) as { command?: string[]; args?: string[] } | undefined;
    let cmd = containerCommand(c.image, spec?.command, spec?.args);
    const pid = pidFor(`${p.meta.uid}/${c.name}`);
    // nginx retitles its processes: a master ("nginx: master process CMDLINE") and workers as user 101.
    const nginx = /^nginx(\s|$)/.test(cmd) || (imageBase(c.image) === 'nginx' && !spec?.command?.length);
    if (nginx && !cmd.startsWith('nginx: ')) cmd = `nginx: master process ${cmd}`;
    out.push({ pid, ppid: pidFor(`${p.meta.uid}/shim`), user: 'root', cmd, target: net, startMs: start + 1000, pod: p, container: c.name });
    if (nginx) for (const w of [1, 2]) out.push({ pid: pid + w, ppid: pid, user: '101', cmd: 'nginx: worker process', target: net, startMs: start + 1000, pod: p, container: c.name });
  }
  return out;
}

/** Every process on a node or host, init first, then by PID. */
export function machineProcs(sim: Sim, machine: { kind: 'node' | 'host'; name: string }): Proc[] {
  const t: Target = { kind: machine.kind, name: machine.name };
  const base: Proc[] = [
    { pid: 1, ppid: 0, user: 'root', cmd: '/sbin/init', target: t, startMs: SYSTEM_START },
    { pid: 412, ppid: 1, user: 'root', cmd: '/usr/bin/containerd', target: t, startMs: SYSTEM_START + 3000 },
  ];
  // Daemons with sockets (sshd, kube-proxy on the host network…) are where ss and netstat say they are.
  const owner = `${machine.kind}/${machine.name}`;
  const ns = sim.net.namespaces.get(owner);
  const named = new Set<string>();
  for (const l of ns?.listeners ?? []) {
    if (l.owner !== owner || l.container !== undefined) continue;
    const prog = l.app.kind === 'sshd' ? 'sshd' : l.app.kind === 'flanneld' ? 'flanneld' : l.app.kind === 'proxy' ? 'kube-proxy' : l.app.kind === 'dns' ? 'dnsmasq' : l.app.kind === 'http' ? l.app.name : '';
    if (!prog || prog === 'kubelet' || named.has(prog)) continue;
    named.add(prog);
    const cmd = prog === 'sshd' ? 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups' : prog === 'kube-proxy' ? `/usr/local/bin/kube-proxy --config=/var/lib/kube-proxy/config.conf --hostname-override=${machine.name}` : prog === 'flanneld' ? '/opt/bin/flanneld --ip-masq --kube-subnet-mgr' : prog;
    base.push({ pid: daemonPid(owner, prog), ppid: 1, user: 'root', cmd, target: t, startMs: SYSTEM_START + 6000 });
  }
  if (machine.kind === 'node') {
    base.push({ pid: daemonPid(owner, 'kubelet'), ppid: 1, user: 'root', cmd: '/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///var/run/containerd/containerd.sock', target: t, startMs: SYSTEM_START + 5000 });
    for (const p of sim.model.pods) {
      if (p.nodeName !== machine.name || p.phase === 'Pending') continue;
      base.push({ pid: pidFor(`${p.meta.uid}/shim`), ppid: 1, user: 'root', cmd: `/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${sandboxId(p)} -address /run/containerd/containerd.sock`, target: t, startMs: podStart(p) });
      base.push(...podProcs(p));
    }
  } else {
    base.push({ pid: 498, ppid: 1, user: 'root', cmd: '/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock', target: t, startMs: SYSTEM_START + 4000 });
    for (const c of sim.model.containers) {
      if (c.spec.host !== machine.name) continue;
      base.push({ pid: pidFor(`docker/${machine.name}/${c.meta.name}`), ppid: pidFor(`docker/${machine.name}/${c.meta.name}/shim`), user: 'root', cmd: containerCommand(c.spec.image ?? 'busybox'), target: dockerNetTarget(sim, machine.name, c.meta.name), startMs: CLUSTER_START_MS + c.meta.createdAt * 1000, docker: c.meta.name });
    }
  }
  return base.sort((a, b) => a.pid - b.pid);
}

/** A Docker container's network target: its own namespace, the host's (host), or another container's (container:NAME). */
export function dockerNetTarget(sim: Sim, host: string, name: string, seen = new Set<string>()): Target {
  const c = sim.model.containers.find((x) => x.spec.host === host && x.meta.name === name);
  const mode = c?.spec.network ?? 'bridge';
  if (mode === 'host') return { kind: 'host', name: host };
  if (mode.startsWith('container:') && !seen.has(name)) { seen.add(name); return dockerNetTarget(sim, host, mode.slice('container:'.length), seen); }
  return { kind: 'host', name: host, netns: name };
}

/** containerd's 64-hex ids, stable per Pod and container. */
export function hexId(key: string): string {
  let s = '';
  for (let i = 0; s.length < 64; i++) s += (hashString(`${key}#${i}`) >>> 0).toString(16).padStart(8, '0');
  return s.slice(0, 64);
}

export function sandboxId(p: PodModel): string {
  return hexId(`sandbox/${p.meta.uid}`);
}

export function containerId(p: PodModel, container: string): string {
  return hexId(`container/${p.meta.uid}/${container}`);
}

/** The process with this PID on the machine a target is on (a Pod's processes are on its node). */
export function procByPid(sim: Sim, target: Target, pid: number): Proc | undefined {
  const m = machineOf(sim, target);
  return m ? machineProcs(sim, m).find((p) => p.pid === pid) : undefined;
}

export function machineOf(sim: Sim, target: Target): { kind: 'node' | 'host'; name: string } | undefined {
  if (target.kind === 'node' || target.kind === 'host') return { kind: target.kind, name: target.name };
  if (target.kind === 'pod') {
    const p = sim.model.pods.find((x) => x.meta.namespace === target.namespace && x.meta.name === target.name);
    return p?.nodeName ? { kind: 'node', name: p.nodeName } : undefined;
  }
  return undefined;
}
