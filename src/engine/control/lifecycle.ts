/**
 * Whether a container's process keeps running. A Pod with `restartPolicy: Never` (or OnFailure)
 * whose containers all run a command that ends (`cat /etc/hosts`, `echo hi`, a shell with no
 * terminal) finishes: phase Succeeded, STATUS `Completed`, and `kubectl logs` shows what it
 * printed. Servers (anything k8s/listen.ts finds listening), `sleep`, `tail -f`, loops, and
 * shells given a terminal (`stdin`/`tty`, as `kubectl run -it` sets) keep running.
 */
import type { PodSpecIn } from '../scenario/schema/k8s';
import { containerListens, IMAGE_PORTS, imageKey } from '../model/listen';

type Container = PodSpecIn['containers'][number];

const FOREVER = /\b(sleep|tail\s+-f|while|httpd|nginx|nc\s+-l|watch|top|yes)\b/;
const SHELLS = new Set(['sh', 'bash', 'ash', '/bin/sh', '/bin/bash', '/bin/ash']);

export function containerEnds(c: Container, annotations: Readonly<Record<string, string>>, index: number): boolean {
  if (containerListens({ meta: { annotations } }, c, index).length) return false;
  const words = [...(c.command ?? []), ...(c.args ?? [])];
  const text = words.join(' ');
  if (FOREVER.test(text)) return false;
  const interactive = (c as { stdin?: unknown }).stdin === true || (c as { tty?: unknown }).tty === true;
  // An image's default process: a shell (busybox, alpine) ends at once without a terminal.
  if (!words.length) {
    const entry = IMAGE_PORTS[imageKey(c.image ?? '')];
    return entry !== undefined && entry.ports.length === 0 && !interactive;
  }
  if (words.length === 1 && SHELLS.has(words[0]!)) return !interactive;
  return true;
}

/** The phase kubelet reports for a started Pod: Succeeded when it runs to completion and is not restarted. */
export function startedPhase(spec: PodSpecIn, annotations: Readonly<Record<string, string>>): 'Running' | 'Succeeded' {
  const policy = (spec as { restartPolicy?: unknown }).restartPolicy;
  if (policy !== 'Never' && policy !== 'OnFailure') return 'Running';
  return spec.containers.length > 0 && spec.containers.every((c, i) => containerEnds(c, annotations, i)) ? 'Succeeded' : 'Running';
}

/**
 * A container kubelet keeps restarting (restartPolicy Always, the default): one whose own
 * command or args end (`sh -c "echo hi; exit 1"`, busybox's `date`, `cat /etc/hosts`). Its Pod is
 * Running but not Ready, and `kubectl get pods` shows the restarts (crashRestarts) and
 * CrashLoopBackOff. A container with no command (the image's default process) or a bare shell
 * is taken as the long-lived client the playground's scenarios mean by it, and keeps running.
 */
export function crashingContainer(spec: PodSpecIn, annotations: Readonly<Record<string, string>>): { readonly name: string; readonly exitCode: number } | null {
  const policy = (spec as { restartPolicy?: unknown }).restartPolicy;
  if (policy === 'Never') return null;
  for (let i = 0; i < spec.containers.length; i++) {
    const c = spec.containers[i]!;
    const words = [...(c.command ?? []), ...(c.args ?? [])];
    if (!words.length || (words.length === 1 && SHELLS.has(words[0]!))) continue;
    // Only where we know the process: a tool image (busybox, alpine, ...) or a `sh -c` script;
    // an image we do not know may well be a server whose arguments we cannot read.
    const entry = IMAGE_PORTS[imageKey(c.image ?? '')];
    const script = SHELLS.has(words[0]!) && words[1] === '-c';
    if (!script && !(entry !== undefined && entry.ports.length === 0 && entry.app !== 'http')) continue;
    if (!containerEnds(c, annotations, i)) continue;
    const exitCode = exitCodeOf(words);
    // OnFailure restarts only a container that failed; one that exits 0 completes.
    if (policy === 'OnFailure' && exitCode === 0) continue;
    return { name: c.name, exitCode };
  }
  return null;
}

/** The exit status of a command that ends: the last `exit N` of a script, 1 for `false`, else 0. */
export function exitCodeOf(words: readonly string[]): number {
  const text = words.join(' ');
  const exits = [...text.matchAll(/\bexit\s+(\d+)/g)];
  if (exits.length) return Number(exits[exits.length - 1]![1]) & 255;
  if (/(^|[;&|]\s*|\s)false\s*$/.test(text) || text.trim() === 'false') return 1;
  return 0;
}

/**
 * How many times kubelet has restarted a crashing container `age` seconds after the Pod
 * started: it waits 10s before the first restart, doubling after each, at most 5 minutes
 * (kubelet's container back-off), and the container exits right away each time.
 */
export function crashRestarts(ageSeconds: number): number {
  return crashHistory(ageSeconds).restarts;
}

/** The restarts by `age` seconds and when (seconds after the start) the last one was. */
export function crashHistory(ageSeconds: number): { readonly restarts: number; readonly last: number } {
  let restarts = 0;
  let at = 0;
  let delay = 10;
  for (;;) {
    if (at + delay > ageSeconds) return { restarts, last: at };
    at += delay;
    restarts++;
    delay = Math.min(delay * 2, 300);
  }
}
