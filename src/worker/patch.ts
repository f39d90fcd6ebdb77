/**
 * Snapshots travel as patches (protocol 3): the worker sends what changed since the snapshot it
 * sent last, and the client applies it to the one it holds, so the UI still sees a whole
 * Snapshot. The first answer of a worker (and any answer after a restart) is a patch from
 * nothing (`base` 0). Lists are keyed by id: changed or new items, removed ids, and the order
 * only when the membership changed. No engine import: the client is in the first-paint bundle.
 *
 *   worker: Snapshot(gen 7) ─ diff(sent, next) ─► { generation: 8, base: 7, pods: { set: [pod/a] } }
 *   client: Snapshot(gen 7) ─ applyPatch ───────► Snapshot(gen 8)
 */
import type { Snapshot } from './snapshot';

export interface ListPatch<T> {
  /** Items new or changed since the base. */
  readonly set: readonly T[];
  /** Ids gone since the base. */
  readonly del: readonly string[];
  /** Every id in order; present only when ids came or went (or on a patch from nothing). */
  readonly order?: readonly string[];
}

type Keyed = 'nodes' | 'pods' | 'services' | 'hosts' | 'policies' | 'namespaces';
const KEYED: readonly Keyed[] = ['nodes', 'pods', 'services', 'hosts', 'policies', 'namespaces'];
type Whole = 'cluster' | 'probes';
const WHOLE: readonly Whole[] = ['cluster', 'probes'];

type Item<K extends Keyed> = Snapshot[K][number];

export type SnapshotPatch = {
  readonly generation: number;
  /** The generation this applies to; 0: a whole snapshot, applies to nothing. */
  readonly base: number;
} & { readonly [K in Keyed]?: ListPatch<Item<K>> } & { readonly [K in Whole]?: Snapshot[K] };

/** The worker's memory of what it sent: each item's JSON, to tell what changed. */
export class SnapshotDiffer {
  private sent: { generation: number; json: Map<string, Map<string, string>>; whole: Map<string, string> } | null = null;

  /** Forget what was sent: the next patch is whole. */
  reset(): void {
    this.sent = null;
  }

  diff(next: Snapshot): SnapshotPatch {
    const prev = this.sent;
    const json = new Map<string, Map<string, string>>();
    const whole = new Map<string, string>();
    const out: Record<string, unknown> = { generation: next.generation, base: prev ? prev.generation : 0 };
    for (const k of WHOLE) {
      const j = JSON.stringify(next[k]);
      whole.set(k, j);
      if (!prev || prev.whole.get(k) !== j) out[k] = next[k];
    }
    for (const k of KEYED) {
      const items = next[k] as readonly { id: string }[];
      const before = prev?.json.get(k);
      const now = new Map<string, string>();
      const set: unknown[] = [];
      for (const it of items) {
        const j = JSON.stringify(it);
        now.set(it.id, j);
        if (before?.get(it.id) !== j) set.push(it);
      }
      json.set(k, now);
      const del = before ? [...before.keys()].filter((id) => !now.has(id)) : [];
      const membership = !before || del.length > 0 || items.some((it) => !before.has(it.id)) || !sameOrder(before, items);
      if (set.length || del.length || membership) out[k] = { set, del, ...(membership && prev ? { order: items.map((it) => it.id) } : {}) };
    }
    this.sent = { generation: next.generation, json, whole };
    return out as SnapshotPatch;
  }
}

function sameOrder(before: Map<string, string>, items: readonly { id: string }[]): boolean {
  if (before.size !== items.length) return false;
  let i = 0;
  for (const id of before.keys()) if (items[i++]!.id !== id) return false;
  return true;
}

export class PatchError extends Error {}

/** The snapshot `patch` makes of `prev` (a whole patch ignores prev). Throws PatchError when its base is not prev. */
export function applyPatch(prev: Snapshot | null, patch: SnapshotPatch): Snapshot {
  if (patch.base !== 0 && prev?.generation !== patch.base) {
    throw new PatchError(`snapshot patch for generation ${patch.base} arrived on ${prev ? prev.generation : 'nothing'}`);
  }
  const base = patch.base === 0 ? null : prev;
  const out: Record<string, unknown> = { generation: patch.generation };
  for (const k of WHOLE) {
    const v = patch[k] ?? base?.[k];
    if (v === undefined) throw new PatchError(`a whole snapshot patch without ${k}`);
    out[k] = v;
  }
  for (const k of KEYED) {
    const lp = patch[k] as ListPatch<{ id: string }> | undefined;
    const old = (base?.[k] ?? []) as readonly { id: string }[];
    if (!lp) { out[k] = old; continue; }
    if (!base) { out[k] = lp.set; continue; }
    const changed = new Map(lp.set.map((x) => [x.id, x]));
    if (lp.order) {
      const byId = new Map(old.map((x) => [x.id, x]));
      out[k] = lp.order.map((id) => {
        const x = changed.get(id) ?? byId.get(id);
        if (!x) throw new PatchError(`${k}: ${id} is neither sent nor held`);
        return x;
      });
    } else {
      out[k] = old.map((x) => changed.get(x.id) ?? x);
    }
  }
  return out as unknown as Snapshot;
}
