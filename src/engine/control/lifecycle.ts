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
