/**
 * `kubectl logs [-n NS] POD|deploy/NAME [-c CONTAINER] [--tail N] [--timestamps] [-l SELECTOR]`:
 * what the container's process printed. Derived, never written per scenario:
 *  - the lines applications logged while traffic ran (stack/apps.ts appLog): nginx-style access
 *    lines for each HTTP request that reached the process, CoreDNS query lines when the Corefile
 *    has `log`;
 *  - the startup lines of the images that print them (nginx's entrypoint, CoreDNS's banner,
 *    kube-proxy's choice of proxier);
 *  - for a Pod that ran to completion, or a container kubelet keeps restarting (CrashLoopBackOff;
 *    `--previous` shows the run before, which prints the same), the output of its command, run
 *    in the Pod by the shell.
 */
import type { PodModel } from '../model/cluster';
import type { Sim } from '../sim';
import { imageKey } from '../model/listen';
import { matchesSelector } from '../control/selector';
import { kubeProxyLog } from '../agents/restoreFailures';
import { CLUSTER_EPOCH_MS, timestamp } from './kubectlFormat';
import type { MutateFlags } from './kubectlApply';
import type { LabelSelector } from '../scenario/schema/common';
import { fail, type CommandResult, type ShellContext } from './types';
import { podRestarts } from './kubectlResources';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** nginx's $time_local: "[01/May/2024:09:05:00 +0000]". */
function nginxTime(seconds: number): string {
  const d = new Date(CLUSTER_EPOCH_MS + seconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `[${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000]`;
}

/** klog's header: "I0501 09:00:00.000000       1 ". */
function klog(seconds: number, file: string, text: string): string {
  const d = new Date(CLUSTER_EPOCH_MS + seconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `I${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.000000       1 ${file}] ${text}`;
}

function startup(sim: Sim, pod: PodModel, container: string): { at: number; text: string }[] {
  const c = pod.spec.containers.find((x) => x.name === container);
  const image = imageKey(c?.image ?? '');
  const at = pod.meta.createdAt;
  // kube-proxy's own lines (start-up, and a failed iptables-restore with its offending line).
  if (pod.meta.namespace === 'kube-system' && pod.meta.labels['k8s-app'] === 'kube-proxy') {
    return kubeProxyLog(sim.model, sim.net, pod).split('\n').filter(Boolean).map((text) => ({ at, text }));
  }
  if (image === 'coredns') {
    return ['.:53', '[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908', 'CoreDNS-1.11.1', 'linux/amd64, go1.20.7, ae2bbc2'].map((text) => ({ at, text }));
  }
  if ((image === 'nginx' || image === 'nginx-unprivileged') && (!c?.command?.length)) {
    return [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
    ].map((text) => ({ at, text }));
  }
  return [];
}

/** What a finished container printed: its command, run in the Pod by the simulated shell. */
function completedOutput(ctx: ShellContext, pod: PodModel, container: string): string {
  const c = pod.spec.containers.find((x) => x.name === container);
  const words = [...(c?.command ?? []), ...(c?.args ?? [])];
  if (!words.length) return '';
  const target = { kind: 'pod' as const, namespace: pod.meta.namespace, name: pod.meta.name, container };
  // `sh -c SCRIPT` runs the script; anything else is one command line.
  const script = (words[0] === 'sh' || words[0] === '/bin/sh' || words[0] === 'bash') && words[1] === '-c' ? words.slice(2).join(' ') : null;
  if (script !== null) {
    let out = '';
    for (const part of script.split(/;|\n/).map((x) => x.trim()).filter(Boolean)) out += ctx.run(target, splitSimple(part)).stdout;
    return out;
  }
  return ctx.run(target, words).stdout;
}

function splitSimple(s: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

export function podLog(ctx: ShellContext, pod: PodModel, container: string, timestamps: boolean): string {
  const sim = ctx.sim;
  const base = sim.model.ageBase ?? 0;
  const lines: { at: number; text: string }[] = [...startup(sim, pod, container)];
  // A finished container, or a crashing one (each run prints the same; logs shows the last).
  if (pod.phase === 'Succeeded' || pod.crashLoop?.container === container) {
    for (const l of completedOutput(ctx, pod, container).split('\n').slice(0, -1)) lines.push({ at: pod.meta.createdAt, text: l });
  }
  for (const raw of sim.appLog?.get(`pod/${pod.meta.namespace}/${pod.meta.name}/${container}`) ?? []) {
    const tab = raw.indexOf('\t');
    const at = base + Number(raw.slice(0, tab));
    lines.push({ at, text: raw.slice(tab + 1).replace('{{time}}', nginxTime(at)) });
  }
  return lines.map((l) => `${timestamps ? `${timestamp(l.at).replace('Z', '.000000000Z')} ` : ''}${l.text}\n`).join('');
}

export function logs(ctx: ShellContext, f: MutateFlags & { selector: LabelSelector | null }): CommandResult {
  const m = ctx.sim.model;
  let pods: PodModel[];
  const arg = f.positional[0];
  if (f.selector) {
    pods = m.pods.filter((p) => p.meta.namespace === f.namespace && matchesSelector(p.meta.labels, f.selector!));
    if (!pods.length) return fail(`No resources found in ${f.namespace} namespace.\n`, 0);
  } else {
    if (!arg) return fail('error: expected \'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]\'.\nPOD or TYPE/NAME is a required argument for the logs command\nSee \'kubectl logs -h\' for help and examples\n', 1);
    let name = arg.replace(/^(pod|pods|po)\//, '');
    const slash = name.indexOf('/');
    if (slash >= 0) {
      const kind = name.slice(0, slash).toLowerCase();
      const n = name.slice(slash + 1);
      const kinds: Record<string, string> = { deploy: 'Deployment', deployment: 'Deployment', deployments: 'Deployment', ds: 'DaemonSet', daemonset: 'DaemonSet', sts: 'StatefulSet', statefulset: 'StatefulSet', rs: 'ReplicaSet', replicaset: 'ReplicaSet' };
      const w = m.workloads.find((x) => x.kind === kinds[kind] && x.meta.namespace === f.namespace && x.meta.name === n);
      if (!w) return fail(`error: error from server (NotFound): ${kind.startsWith('deploy') ? 'deployments.apps' : `${kind}s`} "${n}" not found in namespace "${f.namespace}"\n`, 1);
      name = w.pods[0] ?? '';
    }
    const pod = m.pods.find((p) => p.meta.namespace === f.namespace && p.meta.name === name);
    if (!pod) return fail(`Error from server (NotFound): pods "${name}" not found\n`, 1);
    pods = [pod];
  }
  let stdout = '';
  let stderr = '';
  const cflag = f.values.get('-c')?.[0];
  for (const pod of pods) {
    const names = pod.containers.map((c) => c.name);
    let container = cflag ?? names[0] ?? '';
    if (cflag && !names.includes(cflag)) return fail(`error: container ${cflag} is not valid for pod ${pod.meta.name}\n`, 1);
    if (!cflag && names.length > 1) stderr += `Defaulted container "${container}" out of: ${names.join(', ')}\n`;
    if (pod.phase === 'Pending') return fail(`Error from server (BadRequest): container "${container}" in pod "${pod.meta.name}" is waiting to start: ContainerCreating\n`, 1);
    // --previous: the run before the current one, which only a restarted container has.
    if (f.bools.has('-p') && !(pod.crashLoop?.container === container && podRestarts(ctx.sim, pod) > 0)) {
      return fail(`Error from server (BadRequest): previous terminated container "${container}" in pod "${pod.meta.name}" not found\n`, 1);
    }
    let text = podLog(ctx, pod, container, f.bools.has('--timestamps'));
    const tail = f.values.get('--tail')?.[0];
    if (tail !== undefined && Number(tail) >= 0) {
      const ls = text.split('\n').slice(0, -1);
      text = ls.slice(Math.max(0, ls.length - Number(tail))).map((l) => `${l}\n`).join('');
    }
    stdout += f.bools.has('--prefix') ? text.split('\n').slice(0, -1).map((l) => `[pod/${pod.meta.name}/${container}] ${l}\n`).join('') : text;
    container = '';
  }
  return { stdout, stderr, exitCode: 0 };
}
