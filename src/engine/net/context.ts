/**
 * What every builder step shares: the model being built from, the network being built, the seeded
 * random source and the diagnostics list. Per-object randomness comes from `rand.fork(label)`, so
 * a node's MACs do not change when another Pod is added to the scenario.
 */
import type { ClusterModel } from '../model/cluster';
import type { ListenPort } from '../model/listen';
import type { Diagnostic } from '../scenario/diagnostics';
import type { Origin } from '../scenario/load';
import { NO_RANGE } from '../scenario/diagnostics';
import { hashString, type Rand } from '../util/rand';
import { macFromValue } from '../addr/mac';
import type { Network } from './types';

export interface BuildCtx {
  readonly model: ClusterModel;
  readonly net: Network;
  readonly rand: Rand;
  readonly diagnostics: Diagnostic[];
  /** Drawn once from `rand`: the salt of every per-label value (macFor, hexFor). */
  readonly salt: number;
  /**
   * What each container opens, remembered for this build by its spec object (a workload's
   * replicas share it): net/pod.ts podListeners.
   */
  readonly listens?: WeakMap<object, { readonly annotations: Readonly<Record<string, string>>; readonly index: number; readonly ports: readonly ListenPort[] }>;
}

/** murmur3's finaliser: spreads FNV-1a's bits so labels differing by one character look unrelated. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** 32 random-looking bits that depend only on the seed (salt), the label and a lane number. */
export function labelBits(ctx: BuildCtx, label: string, lane = 0): number {
  return mix(hashString(label, (ctx.salt ^ Math.imul(lane + 1, 0x9e3779b9)) >>> 0));
}

/** A MAC that depends only on the seed and the label ("node/n1 eth0"). */
export function macFor(ctx: BuildCtx, label: string): string {
  return macFromValue((labelBits(ctx, label, 1) & 0xff) * 2 ** 32 + labelBits(ctx, label, 2));
}

/** Eight (or `n`) hex characters that depend only on the seed and the label: CNI's random veth names. */
export function hexFor(ctx: BuildCtx, label: string, n = 8): string {
  let s = '';
  for (let lane = 3; s.length < n; lane++) s += labelBits(ctx, label, lane).toString(16).padStart(8, '0');
  return s.slice(0, n);
}

/** Reports a problem at a model object's origin (or at the top of the file when it has none). */
export function report(
  ctx: BuildCtx, origin: Origin | undefined, path: (string | number)[], severity: Diagnostic['severity'],
  code: string, message: string, hint?: string,
  /** The values the message names (src/engine/i18n/diagnostics.ts writes the sentence from them). */
  params?: Readonly<Record<string, string | number>>,
): void {
  const range = origin ? origin.locate(path) : NO_RANGE;
  ctx.diagnostics.push({ file: origin?.file ?? 'scenario.yaml', ...range, severity, code, message, ...(hint ? { hint } : {}), ...(params ? { params } : {}) });
}
