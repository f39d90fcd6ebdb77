/**
 * Protocol 5's nested snapshot deltas (src/worker/patch.ts): whatever the two values, applying
 * the delta of prev → next to prev gives next exactly (as JSON, key order included), and the
 * client ends with the snapshot a whole send would give, over random edits of the content
 * scenarios sent through the worker's handler and the wire (pack, JSON, unpack).
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EngineHost } from '../../../src/worker/host';
import { pack, unpack } from '../../../src/worker/pack';
import { applyDelta, applyPatch, diffValue, PatchError, SnapshotDiffer, type Delta, type SnapshotPatch } from '../../../src/worker/patch';
import { PROTOCOL_VERSION, type Request } from '../../../src/worker/protocol';
import { snapshot, type Snapshot } from '../../../src/worker/snapshot';
import type { Sim } from '../../../src/engine';

/** Applies the delta of a → b to a; b itself when there is nothing to apply to. */
function roundTrip(a: unknown, b: unknown): unknown {
  const d = diffValue(a, b);
  if (d === undefined) return a;
  if (typeof d === 'symbol') return b;
  // The delta crosses the wire as JSON.
  return applyDelta(a, JSON.parse(JSON.stringify(d)) as Delta);
}

/** Random changes of a JSON value: the shapes snapshots change by (a field, an element in or out, a move). */
function mutated(v: unknown, pick: () => number, fresh: () => unknown): unknown {
  if (Array.isArray(v)) {
    const out = v.map((x) => (pick() < 0.3 ? mutated(x, pick, fresh) : x));
    const r = pick();
    if (r < 0.2 && out.length) out.splice(Math.floor(pick() * out.length), 1);
    else if (r < 0.4) out.splice(Math.floor(pick() * (out.length + 1)), 0, fresh());
    else if (r < 0.5 && out.length > 1) out.push(out.shift());
    return out;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const r = pick();
      if (r < 0.1) continue;
      Object.defineProperty(out, k, { value: r < 0.5 ? mutated(x, pick, fresh) : x, enumerable: true, writable: true, configurable: true });
    }
    if (pick() < 0.1) out[`k${Math.floor(pick() * 3)}`] = fresh();
    return out;
  }
  return pick() < 0.5 ? fresh() : v;
}

/** Objects with an `id` or a `name`, as snapshot lists hold: the differ matches them by it. */
const item = fc.record({ id: fc.constantFrom('a', 'b', 'c', 'd', 'e'), v: fc.jsonValue({ maxDepth: 2 }) });
const value = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.array(item, { maxLength: 8 }), fc.array(fc.constantFrom('x', 'y', 'z'), { maxLength: 8 }));

describe('nested deltas', () => {
  it('applying the delta of a → b to a gives b exactly, for any two JSON values', () => {
    fc.assert(fc.property(value, value, (a, b) => {
      expect(JSON.stringify(roundTrip(a, b))).toBe(JSON.stringify(b));
    }), { numRuns: 500 });
  });

  it('and for b made from a by random edits (fields changed, elements in, out and moved)', () => {
    fc.assert(fc.property(value, fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 64 }), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 8 }), (a, rs, fresh) => {
      let r = 0;
      let f = 0;
      const b = mutated(a, () => rs[r++ % rs.length]!, () => fresh[f++ % fresh.length]);
      expect(JSON.stringify(roundTrip(a, b))).toBe(JSON.stringify(b));
      // Equal values make no delta.
      expect(diffValue(a, JSON.parse(JSON.stringify(a)))).toBeUndefined();
    }), { numRuns: 500 });
  });

  it('sends only the changed field of a changed element, and nothing for the elements kept', () => {
    const a = { pods: [{ id: 'p1', node: 'n1', ip: '10.0.0.1' }, { id: 'p2', node: 'n1', ip: '10.0.0.2' }, { id: 'p3', node: 'n2', ip: '10.0.0.3' }] };
    const b = { pods: [{ id: 'p1', node: 'n1', ip: '10.0.0.1' }, { id: 'p2', node: 'n2', ip: '10.0.0.9' }, { id: 'p4', node: 'n2', ip: '10.0.0.4' }] };
    expect(diffValue(a, b)).toEqual({ d: { pods: [1, { '~': { s: { node: 'n2', ip: '10.0.0.9' } } }, { '+': [b.pods[2]] }, -1] } });
    // A moved element is dropped where it was and inserted where it is; the others stay.
    expect(diffValue(['a', 'b', 'c', 'd'], ['b', 'c', 'd', 'a'])).toEqual([-1, 3, { '+': ['a'] }]);
  });

  it('a key order that changed replaces the object, so the client sees the keys in the new order', () => {
    const b = { labels: { tier: 'web', app: 'x' } };
    expect(diffValue({ labels: { app: 'x', tier: 'web' } }, b)).toEqual({ s: { labels: b.labels } });
    expect(Object.keys(roundTrip({ labels: { app: 'x', tier: 'web' } }, b) as object)).toEqual(['labels']);
    expect(Object.keys((roundTrip({ labels: { app: 'x', tier: 'web' } }, b) as typeof b).labels)).toEqual(['tier', 'app']);
  });

  it('refuses a delta that does not fit the value held', () => {
    expect(() => applyDelta([1, 2], [3])).toThrow(PatchError);
    expect(() => applyDelta({ a: 1 }, { s: { b: 2 } })).toThrow(PatchError);
    expect(() => applyDelta('x', { s: { a: 1 } })).toThrow(PatchError);
  });
});

describe('packed answers', () => {
  /** JSON values with repeats (what pack references) and keys the wire format itself uses. */
  const key = fc.constantFrom('$', '@', '__proto__', 'name', 'packets', 'a long key of a shape');
  const repeated = fc.jsonValue({ maxDepth: 3 }).chain((x) => fc.array(fc.oneof(fc.constant(x), fc.jsonValue({ maxDepth: 2 }), fc.dictionary(key, fc.oneof(fc.constant(x), fc.nat(), fc.array(fc.nat()))), fc.constant({ $: 1 }), fc.constant({ '@': [0, 1] })), { maxLength: 10 }));

  /** Few distinct leaves, so that equal and nearly equal values (the packer's ids, quotes, commas) meet often. */
  const leaf = fc.constantFrom<unknown>(0, 1, 2, '0', '#0', '"a', ',', 'a,b:c', 'a long string number one', 'a long string number two', null, true);
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(fc.constantFrom('a', 'b', '$', 'a long key of a shape'), tie('tree'), { maxKeys: 3 })),
  }));

  it('unpack(pack(x)) is x after the wire, for any JSON value', () => {
    fc.assert(fc.property(fc.oneof(repeated, fc.array(tree, { maxLength: 6 })), (x) => {
      const back = unpack(JSON.parse(JSON.stringify(pack(x))));
      expect(JSON.stringify(back)).toBe(JSON.stringify(x));
      expect(back).toEqual(JSON.parse(JSON.stringify(x)));
    }), { numRuns: 500 });
  });

  it('sends an object whose keys it has sent as its shape and values', () => {
    const rules = [{ text: '-j KUBE-SEP-PWVB65NL65TCXCAJ', packets: 1, bytes: 60 }, { text: '-j KUBE-MARK-MASQ', packets: 0, bytes: 0 }];
    expect(pack(rules)).toEqual([rules[0], { '@': [0, '-j KUBE-MARK-MASQ', 0, 0] }]);
    expect(pack([{ $: 0 }, { '@': [] }])).toEqual([{ '@': [-1, '$', 0] }, { '@': [-1, '@', []] }]);
  });
});

const SCENARIOS = readdirSync(new URL('../../../content/scenarios/', import.meta.url)).filter((f) => f.endsWith('.yaml')).sort();
const text = (f: string): string => readFileSync(new URL(`../../../content/scenarios/${f}`, import.meta.url), 'utf8');

/** One random edit of a scenario's YAML, as a learner might make in the editor. */
const edit = fc.oneof(
  fc.record({ kind: fc.constant('replicas' as const), nth: fc.nat(4), to: fc.nat(4) }),
  fc.record({ kind: fc.constant('drop' as const), nth: fc.nat(12) }),
  fc.record({ kind: fc.constant('swap' as const), nth: fc.nat(12) }),
  fc.record({ kind: fc.constant('label' as const), nth: fc.nat(6) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(yaml: string, e: Edit): string {
  const docs = yaml.split(/^---$/m);
  switch (e.kind) {
    case 'replicas': {
      let n = 0;
      return yaml.replace(/replicas: \d+/g, (m) => (n++ === e.nth ? `replicas: ${e.to}` : m));
    }
    case 'drop':
      if (docs.length > 1) docs.splice(e.nth % docs.length, 1);
      return docs.join('---');
    case 'swap': {
      if (docs.length < 3) return yaml;
      const i = 1 + (e.nth % (docs.length - 2));
      [docs[i], docs[i + 1]] = [docs[i + 1]!, docs[i]!];
      return docs.join('---');
    }
    case 'label': {
      let n = 0;
      return yaml.replace(/app: ([\w-]+)/g, (m, v: string) => (n++ === e.nth ? `app: ${v}-2` : m));
    }
  }
}

/** What the worker posts, through the wire as the page receives it. */
function asker(host: EngineHost) {
  let id = 0;
  return (req: Request): { snapshot?: SnapshotPatch } => {
    const r = JSON.parse(JSON.stringify(host.handle({ v: PROTOCOL_VERSION, id: ++id, req })));
    if (!r.ok) throw new Error(`${req.type}: ${r.error.message}`);
    return unpack(r.value) as { snapshot?: SnapshotPatch };
  };
}

const simOf = (host: EngineHost): Sim => (host as unknown as { sim: Sim }).sim;

describe('the client ends with the snapshot a whole send would give', () => {
  it('over random edits of the content scenarios, with commands and packets between them', () => {
    fc.assert(fc.property(fc.constantFrom(...SCENARIOS), fc.array(edit, { minLength: 1, maxLength: 3 }), fc.boolean(), (file, edits, walkFirst) => {
      const host = new EngineHost();
      const ask = asker(host);
      let yaml = text(file);
      let held: Snapshot | null = null;
      const check = (p: SnapshotPatch | undefined) => {
        if (!p) return;
        held = applyPatch(held, p);
        // The host's snapshots of a small scenario are whole ('all' detail).
        expect(JSON.stringify(held)).toBe(JSON.stringify(snapshot(simOf(host), held.generation)));
      };
      check(ask({ type: 'load', yaml, seed: 7 }).snapshot);
      for (const e of edits) {
        if (walkFirst) {
          const pods = simOf(host).model.pods.filter((p) => p.podIP && !p.hostNetwork);
          if (pods.length >= 2) check(ask({ type: 'trace', req: { from: `pod/${pods[0]!.meta.namespace}/${pods[0]!.meta.name}`, to: pods[pods.length - 1]!.podIP!, protocol: 'tcp', port: 80 } }).snapshot);
          check(ask({ type: 'exec', target: 'workstation', line: 'kubectl delete pod --all -n default' }).snapshot);
        }
        yaml = applyEdit(yaml, e);
        check(ask({ type: 'load', yaml, seed: 7 }).snapshot);
      }
    }), { numRuns: 16 });
  }, 120_000);

  it('with namespaces outside a random focus sent as outlines, and the focus moving', () => {
    fc.assert(fc.property(fc.constantFrom(...SCENARIOS), edit, fc.array(fc.nat(40), { maxLength: 4 }), fc.array(fc.nat(40), { maxLength: 4 }), (file, e, f1, f2) => {
      const host = new EngineHost();
      const ask = asker(host);
      ask({ type: 'load', yaml: text(file), seed: 3 });
      const sim1 = simOf(host);
      const ids = [...sim1.net.namespaces.keys()];
      const differ = new SnapshotDiffer();
      const focus1 = new Set(f1.map((i) => ids[i % ids.length]!));
      const a = snapshot(sim1, 1, focus1);
      let held = applyPatch(null, unpack(JSON.parse(JSON.stringify(pack(differ.diff(a))))) as SnapshotPatch);
      expect(held).toEqual(a);
      ask({ type: 'load', yaml: applyEdit(text(file), e), seed: 3 });
      const sim2 = simOf(host);
      const b = snapshot(sim2, 2, new Set(f2.map((i) => ids[i % ids.length]!)));
      held = applyPatch(held, unpack(JSON.parse(JSON.stringify(pack(differ.diff(b))))) as SnapshotPatch);
      expect(JSON.stringify(held)).toBe(JSON.stringify(b));
    }), { numRuns: 12 });
  }, 120_000);
});
