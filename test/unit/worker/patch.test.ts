import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine, walk } from '../../../src/engine';
import { EngineClient } from '../../../src/worker/client';
import { EngineHost } from '../../../src/worker/host';
import { inProcessTransport } from '../../../src/worker/in-process';
import { applyPatch, SnapshotDiffer, type ArrayDelta, type ObjectDelta, type SnapshotPatch } from '../../../src/worker/patch';
import { pack, unpack } from '../../../src/worker/pack';
import { PROTOCOL_VERSION, type Request } from '../../../src/worker/protocol';
import { snapshot, type Snapshot } from '../../../src/worker/snapshot';
import { generate } from '../../../bench/scenarios/generate';

const DEFAULT = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');
const bytes = (x: unknown): number => JSON.stringify(x).length;

/** The delta of one top-level list of a patch, or undefined when the list did not change. */
const listOps = (p: SnapshotPatch, k: string): ArrayDelta | undefined => ('delta' in p ? p.delta?.d?.[k] as ArrayDelta | undefined : undefined);
/** The ids of the items a list's edit script inserts or patches, read against the list held. */
function touched(held: readonly { id: string }[], ops: ArrayDelta): { patched: string[]; inserted: string[] } {
  const out = { patched: [] as string[], inserted: [] as string[] };
  let i = 0;
  for (const op of ops) {
    if (typeof op === 'number') i += Math.abs(op);
    else if ('+' in op) out.inserted.push(...(op['+'] as { id: string }[]).map((x) => x.id));
    else out.patched.push(held[i++]!.id);
  }
  return out;
}

describe('snapshot patches (protocol 5)', () => {
  it('a patch applied to the snapshot it was made against gives the next snapshot exactly', () => {
    const { sim } = buildSim(DEFAULT, { seed: 1 });
    const differ = new SnapshotDiffer();
    const a = snapshot(sim, 1);
    const pa = differ.diff(a);
    expect(pa.base).toBe(0);
    const held = applyPatch(null, pa);
    expect(held).toEqual(a);
    // A packet changes counters, conntrack and neighbours: only those namespaces travel.
    expect(walk(sim, { from: 'pod/default/client', to: 'my-nginx', protocol: 'tcp', port: 80 }).verdict).not.toBe('error');
    const b = snapshot(sim, 2);
    const pb = differ.diff(b);
    expect(pb.base).toBe(1);
    expect(listOps(pb, 'pods')).toBeUndefined();
    const ns = touched(a.namespaces, listOps(pb, 'namespaces')!);
    expect(ns.patched.length).toBeGreaterThan(0);
    expect(ns.patched.length).toBeLessThan(b.namespaces.length);
    expect(ns.inserted).toEqual([]);
    // Inside a namespace, only what the packet changed: counters, conntrack, neighbours, link stats.
    const node = (listOps(pb, 'namespaces')!.find((op) => typeof op === 'object' && '~' in op) as { '~': ObjectDelta })['~'];
    expect(Object.keys(node.s ?? {})).not.toContain('links');
    expect(bytes(pb)).toBeLessThan(bytes(b) / 10);
    expect(applyPatch(held, pb)).toEqual(b);
  });

  it('drops the Pods that went, without resending the ids or the order of the others', () => {
    const { sim } = buildSim(DEFAULT, { seed: 1 });
    const differ = new SnapshotDiffer();
    const a = snapshot(sim, 1);
    const held = applyPatch(null, differ.diff(a));
    const r = runLine(sim, { kind: 'workstation' }, 'kubectl scale deployment my-nginx --replicas=1');
    expect(r.exitCode).toBe(0);
    const b = snapshot(sim, 2);
    const pb = differ.diff(b);
    // The Pods that went are dropped from the list held; no id or order travels for the others.
    const ops = listOps(pb, 'pods')!;
    expect(ops.some((op) => typeof op === 'number' && op < 0)).toBe(true);
    expect(JSON.stringify(ops)).not.toContain('pod/default/client');
    expect(applyPatch(held, pb)).toEqual(b);
  });

  it('refuses a patch made against another snapshot', () => {
    const { sim } = buildSim(DEFAULT, { seed: 1 });
    const differ = new SnapshotDiffer();
    differ.diff(snapshot(sim, 1));
    const p2 = differ.diff(snapshot(sim, 2));
    expect(() => applyPatch(null, p2)).toThrow(/generation 1/);
  });

  it('a large cluster sends namespaces outside the focus as outlines, and the focused one in full', () => {
    const host = new EngineHost();
    let id = 0;
    const ask = (req: Request) => {
      const r = host.handle({ v: PROTOCOL_VERSION, id: ++id, req });
      if (!r.ok) throw new Error(r.error.message);
      return unpack(r.value) as { snapshot: SnapshotPatch };
    };
    const load = ask({ type: 'load', yaml: generate('M'), seed: 1 });
    let held: Snapshot = applyPatch(null, load.snapshot);
    const node = held.namespaces.find((n) => n.id === 'node/node-2')!;
    expect(node.partial).toBe(true);
    expect(node.chains).toBeNull();
    expect(node.links.length).toBeGreaterThan(0);
    const focus = ask({ type: 'focus', ids: ['node/node-2'] });
    // Only the focused namespace travels, now in full with its chains.
    const sent = touched(held.namespaces, listOps(focus.snapshot, 'namespaces')!);
    expect([...sent.patched, ...sent.inserted]).toEqual(['node/node-2']);
    held = applyPatch(held, focus.snapshot);
    const full = held.namespaces.find((n) => n.id === 'node/node-2')!;
    expect(full.partial).toBeUndefined();
    expect(full.chains!.length).toBeGreaterThan(10);
    // A one-line edit (a Deployment's replicas) sends far less than the load.
    const yaml = generate('M').replace(/replicas: (\d+)/, (_m, n) => `replicas: ${Number(n) + 1}`);
    const edit = ask({ type: 'load', yaml, seed: 1 });
    expect(bytes(edit.snapshot)).toBeLessThan(bytes(load.snapshot) / 2);
    // The edit is built as a cold build of the same text would be (same YAML and seed, same
    // cluster wherever it is opened): every Pod the patch leaves in place is where a fresh build
    // puts it.
    const fresh = new Map(buildSim(yaml, { seed: 1 }).sim.model.pods.map((p) => [`pod/${p.meta.namespace}/${p.meta.name}`, p.nodeName]));
    const patched = applyPatch(held, edit.snapshot);
    expect(patched.pods.length).toBe(fresh.size);
    for (const p of patched.pods) expect(fresh.get(p.id), p.id).toBe(p.node);
    held = applyPatch(held, edit.snapshot);
    expect(held.namespaces.find((n) => n.id === 'node/node-2')!.chains).not.toBeNull();
  }, 60_000);
});

describe('answers travel with repeated strings sent once', () => {
  it('unpack(pack(x)) is x, and a trace packs to less than half its JSON', () => {
    const { sim } = buildSim(DEFAULT, { seed: 1 });
    const trace = walk(sim, { from: 'pod/default/client', to: 'http://my-nginx/' });
    const packed = pack(trace);
    expect(unpack(JSON.parse(JSON.stringify(packed)))).toEqual(JSON.parse(JSON.stringify(trace)));
    expect(bytes(packed)).toBeLessThan(bytes(trace) / 2);
    const odd = { a: 'a string long enough', b: ['a string long enough', { c: 'a string long enough' }], n: 1, z: null };
    expect(pack(odd)).toEqual({ a: 'a string long enough', b: [{ $: 0 }, { c: { $: 0 } }], n: 1, z: null });
    expect(unpack(pack(odd))).toEqual(odd);
  });
});

describe('the client holds the snapshot the patches apply to', () => {
  it('answers with whole snapshots, equal to one made directly from the same simulation', async () => {
    const client = new EngineClient(inProcessTransport);
    try {
      const r = await client.load(DEFAULT, 1);
      expect(r.ok).toBe(true);
      const t = await client.trace({ from: 'pod/default/client', to: 'my-nginx', protocol: 'tcp', port: 80 });
      expect(t.ok).toBe(true);
      const { sim } = buildSim(DEFAULT, { seed: 1 });
      walk(sim, { from: 'pod/default/client', to: 'my-nginx', protocol: 'tcp', port: 80 });
      if (t.ok) expect(t.value.snapshot).toEqual(snapshot(sim, t.value.snapshot.generation));
    } finally {
      client.close();
    }
  });

  it('reports what Services cost kube-proxy for the loaded scenario', async () => {
    const client = new EngineClient(inProcessTransport);
    try {
      await client.load(DEFAULT, 1);
      const r = await client.cost();
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value.report!.current.map((m) => m.mode)).toEqual(['iptables', 'ipvs', 'nftables']);
      expect(r.value.report!.curve.at(-1)!.services).toBe(10_000);
    } finally {
      client.close();
    }
  });
});
