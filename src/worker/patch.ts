/**
 * Snapshots travel as patches: the worker sends what changed since the snapshot it sent last,
 * and the client applies it to the one it holds, so the UI still sees a whole Snapshot. The
 * first answer of a worker (and any answer after a restart) is a whole snapshot (`base` 0).
 *
 * Protocol 5: a patch is a delta of the whole snapshot, nested down to the field that changed
 * (a Pod that moved sends its `node` and `ip`, a chain whose counters moved sends those rules'
 * counters). Arrays are edit scripts against the array held: keep k, drop k, insert values,
 * patch the next element; the worker matches elements by identity (an `id`, a chain's table and
 * name, a link's ifindex, a rule's text, a string itself), so neither ids nor the order travel
 * for what stayed. No engine import: the client is in the first-paint bundle.
 *
 *   worker: Snapshot(gen 7) ─ diff(sent, next) ─► { generation: 8, base: 7,
 *             delta: { d: { pods: [41, { '~': { s: { node: 'node-3', ip: '10.244.3.9' } } }] } } }
 *   client: Snapshot(gen 7) ─ applyPatch ───────► Snapshot(gen 8)
 */
import { put } from './pack';
import type { Snapshot } from './snapshot';

/**
 * A change to an object, read against the object held (which has the same keys in the same
 * order: a value whose keys changed is replaced whole by its parent).
 */
export interface ObjectDelta {
  /** Keys whose value is replaced. */
  readonly s?: Readonly<Record<string, unknown>>;
  /** Keys whose value changed inside: an ObjectDelta where the value held is an object, an ArrayDelta where it is an array. */
  readonly d?: Readonly<Record<string, Delta>>;
}

/**
 * An edit script read with a cursor on the array held: a positive number keeps that many
 * elements, a negative one drops that many, `+` inserts values, `~` patches the next element
 * (a Delta of its kind). Elements after the last operation are kept.
 */
export type ArrayOp = number | { readonly '+': readonly unknown[] } | { readonly '~': Delta };
export type ArrayDelta = readonly ArrayOp[];

export type Delta = ObjectDelta | ArrayDelta;

export type SnapshotPatch = {
  readonly generation: number;
} & (
  /** A whole snapshot (but its generation): applies to nothing. */
  | { readonly base: 0; readonly whole: Omit<Snapshot, 'generation'> }
  /** What changed since the snapshot of generation `base`; absent when nothing did. */
  | { readonly base: number; readonly delta?: ObjectDelta }
);

/** The worker's memory of what it sent, to tell what changed. */
export class SnapshotDiffer {
  private sent: Snapshot | null = null;

  /** Forget what was sent: the next patch is whole. */
  reset(): void {
    this.sent = null;
  }

  diff(next: Snapshot): SnapshotPatch {
    const prev = this.sent;
    this.sent = next;
    const { generation, ...rest } = next;
    if (prev) {
      const { generation: g, ...before } = prev;
      const d = diffValue(before, rest);
      if (d === undefined) return { generation, base: g };
      if (d !== REPLACE && !Array.isArray(d)) return { generation, base: g, delta: d as ObjectDelta };
    }
    return { generation, base: 0, whole: rest };
  }
}

/** diffValue's answer when the new value is sent whole. */
const REPLACE: unique symbol = Symbol('replace');

/**
 * How `b` differs from `a`: undefined when they are equal (as JSON, key order included), a Delta
 * when both are arrays, or objects with the same keys in the same order, and REPLACE otherwise.
 */
export function diffValue(a: unknown, b: unknown): Delta | typeof REPLACE | undefined {
  if (a === b) return undefined;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return REPLACE;
  const arr = Array.isArray(a);
  if (arr !== Array.isArray(b)) return REPLACE;
  if (arr) return diffArray(a as readonly unknown[], b as readonly unknown[]);
  return diffObject(a as Readonly<Record<string, unknown>>, b as Readonly<Record<string, unknown>>);
}

function diffObject(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): ObjectDelta | typeof REPLACE | undefined {
  let ka = Object.keys(a);
  const kb = Object.keys(b);
  if (!sameKeys(ka, kb)) {
    // Keys whose value is undefined are not sent: only the others must match.
    ka = ka.filter((k) => a[k] !== undefined);
    if (!sameKeys(ka, kb.filter((k) => b[k] !== undefined))) return REPLACE;
  }
  let s: Record<string, unknown> | undefined;
  let d: Record<string, Delta> | undefined;
  for (const k of ka) {
    const x = a[k];
    const y = b[k];
    if (x === undefined || y === undefined) {
      if (x === y) continue;
      return REPLACE;
    }
    const c = diffValue(x, y);
    if (c === undefined) continue;
    if (c === REPLACE) (s ??= {})[k] = y;
    else (d ??= {})[k] = c;
  }
  if (!s && !d) return undefined;
  return { ...(s ? { s } : {}), ...(d ? { d } : {}) };
}

function sameKeys(ka: readonly string[], kb: readonly string[]): boolean {
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return false;
  return true;
}

/**
 * Who an element is, to match it across the two arrays: its `id`; a chain's table and name; a
 * link's ifindex; a rule's text; a container's or probe's name; a string or number itself; else
 * its JSON. Only the patch's size depends on this, never what it applies to.
 */
function identity(x: unknown): string {
  if (typeof x === 'string') return `s${x}`;
  if (typeof x === 'number') return `n${x}`;
  if (x && typeof x === 'object' && !Array.isArray(x)) {
    const o = x as Record<string, unknown>;
    if (typeof o.id === 'string') return `i${o.id}`;
    if (typeof o.table === 'string' && typeof o.name === 'string') return `c${o.table} ${o.name}`;
    if (typeof o.ifindex === 'number') return `x${o.ifindex}`;
    if (typeof o.text === 'string') return `t${o.text}`;
    if (typeof o.name === 'string') return `m${o.name}`;
  }
  return `j${JSON.stringify(x)}`;
}

/** identity(x) === identity(y), without making the strings (the common case: elements in place). */
function sameIdentity(x: unknown, y: unknown): boolean {
  if (typeof x !== 'object' || typeof y !== 'object' || !x || !y || Array.isArray(x) || Array.isArray(y)) return identity(x) === identity(y);
  const o = x as Record<string, unknown>;
  const p = y as Record<string, unknown>;
  if (typeof o.id === 'string' || typeof p.id === 'string') return o.id === p.id;
  if ((typeof o.table === 'string' && typeof o.name === 'string') || (typeof p.table === 'string' && typeof p.name === 'string')) return o.table === p.table && o.name === p.name;
  if (typeof o.ifindex === 'number' || typeof p.ifindex === 'number') return o.ifindex === p.ifindex;
  if (typeof o.text === 'string' || typeof p.text === 'string') return o.text === p.text;
  if (typeof o.name === 'string' || typeof p.name === 'string') return o.name === p.name;
  return identity(x) === identity(y);
}

/** Identities made unique: the second element with the same one is matched with the second. */
function identities(xs: readonly unknown[]): string[] {
  const seen = new Map<string, number>();
  return xs.map((x) => {
    const k = identity(x);
    const n = seen.get(k);
    seen.set(k, (n ?? 0) + 1);
    return n === undefined ? k : `${k}\u0000${n}`;
  });
}

/** Builds an edit script, merging neighbouring operations of one kind. */
class Script {
  readonly ops: ArrayOp[] = [];
  private keepRun = 0;
  private dropRun = 0;
  private adds: unknown[] | null = null;
  anchored = 0;

  keep(): void {
    this.flushDrop(); this.flushAdds();
    this.keepRun++;
    this.anchored++;
  }

  drop(n: number): void {
    if (n <= 0) return;
    this.flushKeep(); this.flushAdds();
    this.dropRun += n;
  }

  add(v: unknown): void {
    this.flushKeep(); this.flushDrop();
    (this.adds ??= []).push(v);
  }

  patch(d: Delta): void {
    this.flushKeep(); this.flushDrop(); this.flushAdds();
    this.ops.push({ '~': d });
    this.anchored++;
  }

  /** The script; trailing kept elements need no operation. */
  end(): ArrayOp[] {
    this.flushDrop(); this.flushAdds();
    return this.ops;
  }

  private flushKeep(): void {
    if (this.keepRun) { this.ops.push(this.keepRun); this.keepRun = 0; }
  }

  private flushDrop(): void {
    if (this.dropRun) { this.ops.push(-this.dropRun); this.dropRun = 0; }
  }

  private flushAdds(): void {
    if (this.adds) { this.ops.push({ '+': this.adds }); this.adds = null; }
  }
}

function diffArray(a: readonly unknown[], b: readonly unknown[]): ArrayDelta | typeof REPLACE | undefined {
  let out: Script | undefined;
  if (a.length === b.length && aligned(a, b)) {
    // The same elements in the same order (the usual case): compare them pairwise.
    for (let i = 0; i < a.length; i++) {
      const d = diffValue(a[i], b[i]);
      if (d === undefined) { out?.keep(); continue; }
      if (!out) { out = new Script(); for (let k = 0; k < i; k++) out.keep(); }
      element(out, d, b[i]);
    }
    if (!out) return undefined;
  } else {
    out = new Script();
    const ka = identities(a);
    const kb = identities(b);
    const at = new Map<string, number>();
    for (let i = 0; i < ka.length; i++) at.set(ka[i]!, i);
    const from = kb.map((k) => at.get(k) ?? -1);
    const anchored = increasingRun(from);
    let i = 0;
    for (let j = 0; j < b.length; j++) {
      if (!anchored[j]) { out.add(b[j]); continue; }
      const m = from[j]!;
      out.drop(m - i);
      const d = diffValue(a[m], b[j]);
      if (d === undefined) out.keep(); else element(out, d, b[j]);
      i = m + 1;
    }
    out.drop(a.length - i);
  }
  const ops = out.end();
  if (ops.length === 0) return undefined;
  // Nothing of the old array survives: the new one whole is no longer than the script.
  return out.anchored === 0 ? REPLACE : ops;
}

/** Whether each element of b is where the element with its identity is in a (same length). */
function aligned(a: readonly unknown[], b: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !sameIdentity(a[i], b[i])) return false;
  return true;
}

/** One element that changed: patched in place, or replaced. */
function element(out: Script, d: Delta | typeof REPLACE, y: unknown): void {
  if (d === REPLACE) { out.drop(1); out.add(y); } else out.patch(d);
}

/**
 * Marks a longest strictly increasing subsequence of `from` (ignoring -1): the elements of the
 * new array that stay in the old one's order (patience sorting, O(n log n)).
 */
function increasingRun(from: readonly number[]): boolean[] {
  const tails: number[] = [];   // index into `from` of the smallest tail of a run of each length
  const prev = new Array<number>(from.length).fill(-1);
  for (let j = 0; j < from.length; j++) {
    const v = from[j]!;
    if (v < 0) continue;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (from[tails[mid]!]! < v) lo = mid + 1; else hi = mid;
    }
    if (lo > 0) prev[j] = tails[lo - 1]!;
    tails[lo] = j;
  }
  const marked = new Array<boolean>(from.length).fill(false);
  for (let j = tails.length ? tails[tails.length - 1]! : -1; j >= 0; j = prev[j]!) marked[j] = true;
  return marked;
}

export class PatchError extends Error {}

/** The value `d` makes of `held`. Throws PatchError when the delta does not fit it. */
export function applyDelta(held: unknown, d: Delta): unknown {
  if (Array.isArray(held)) {
    if (!Array.isArray(d)) throw new PatchError('an object delta for an array');
    const out: unknown[] = [];
    let i = 0;
    for (const op of d as ArrayDelta) {
      if (typeof op === 'number') {
        if (i + Math.abs(op) > held.length) throw new PatchError(`an edit script past the end of an array of ${held.length}`);
        if (op > 0) for (let n = 0; n < op; n++) out.push(held[i + n]);
        i += Math.abs(op);
      } else if ('+' in op) {
        for (const v of op['+']) out.push(v);
      } else {
        if (i >= held.length) throw new PatchError(`a patch past the end of an array of ${held.length}`);
        out.push(applyDelta(held[i++], op['~']));
      }
    }
    for (; i < held.length; i++) out.push(held[i]);
    return out;
  }
  if (!held || typeof held !== 'object' || Array.isArray(d)) throw new PatchError('a delta for a value that is not an object');
  const o = d as ObjectDelta;
  const out: Record<string, unknown> = { ...(held as Record<string, unknown>) };
  for (const k in o.s) {
    if (!(k in out)) throw new PatchError(`a delta sets "${k}", which the value held does not have`);
    put(out, k, o.s[k]);
  }
  for (const k in o.d) {
    if (!(k in out)) throw new PatchError(`a delta changes "${k}", which the value held does not have`);
    put(out, k, applyDelta(out[k], o.d[k]!));
  }
  return out;
}


/** The snapshot `patch` makes of `prev` (a whole patch ignores prev). Throws PatchError when its base is not prev. */
export function applyPatch(prev: Snapshot | null, patch: SnapshotPatch): Snapshot {
  if ('whole' in patch) return { generation: patch.generation, ...patch.whole };
  if (prev?.generation !== patch.base) {
    throw new PatchError(`snapshot patch for generation ${patch.base} arrived on ${prev ? prev.generation : 'nothing'}`);
  }
  const { generation: _g, ...rest } = prev;
  const next = 'delta' in patch && patch.delta ? applyDelta(rest, patch.delta) as Omit<Snapshot, 'generation'> : rest;
  return { generation: patch.generation, ...next };
}
