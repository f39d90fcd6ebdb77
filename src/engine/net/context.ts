/**
 * What every builder step shares: the model being built from, the network being built, the seeded
 * random source and the diagnostics list. Per-object randomness comes from `rand.fork(label)`, so
 * a node's MACs do not change when another Pod is added to the scenario.
 */
import type { ClusterModel } from '../model/cluster';
import type { Diagnostic } from '../scenario/diagnostics';
import type { Origin } from '../scenario/load';
import { NO_RANGE } from '../scenario/diagnostics';
import type { Rand } from '../util/rand';
import { randomMac } from './mutate';
import type { Network } from './types';

export interface BuildCtx {
  readonly model: ClusterModel;
  readonly net: Network;
  readonly rand: Rand;
  readonly diagnostics: Diagnostic[];
}

/** A MAC that depends only on the seed and the label ("node/n1 eth0"). */
export function macFor(ctx: BuildCtx, label: string): string {
  return randomMac(ctx.rand.fork(label));
}

/** Eight (or `n`) hex characters that depend only on the seed and the label: CNI's random veth names. */
export function hexFor(ctx: BuildCtx, label: string, n = 8): string {
  const r = ctx.rand.fork(label);
  let s = '';
  while (s.length < n) s += r.int(2 ** 32).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

/** Reports a problem at a model object's origin (or at the top of the file when it has none). */
export function report(
  ctx: BuildCtx, origin: Origin | undefined, path: (string | number)[], severity: Diagnostic['severity'],
  code: string, message: string, hint?: string,
): void {
  const range = origin ? origin.locate(path) : NO_RANGE;
  ctx.diagnostics.push({ file: origin?.file ?? 'scenario.yaml', ...range, severity, code, message, ...(hint ? { hint } : {}) });
}
