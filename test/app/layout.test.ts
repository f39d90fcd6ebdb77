/**
 * The cluster view's layout: deterministic, no overlaps, groups that hold their children, and
 * stable across edits (the ids that were drawn stay where they were).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine';
import { toFlow, type Flow, type FlowNode } from '../../src/app/canvas/flow';
import { layoutCluster, type ClusterInput } from '../../src/app/canvas/layout';
import { snapshot } from '../../src/worker/snapshot';
import { bigScenario } from '../../bench/ui';

const DEFAULT = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8');
const CLUSTER = { kind: 'cluster' } as const;

const snap = (yaml: string) => snapshot(buildSim(yaml, { seed: 1, file: 'scenario.yaml' }).sim, 1);
const where = (f: Flow) => new Map(f.nodes.map((n) => [n.id, n.position]));

interface Rect { id: string; x: number; y: number; w: number; h: number }
const rect = (n: FlowNode): Rect => ({ id: n.id, x: n.position.x, y: n.position.y, w: n.width ?? 0, h: n.height ?? 0 });
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Pairs of siblings (same parent, or both top-level) whose boxes overlap. */
function overlapping(f: Flow): string[] {
  const byParent = new Map<string, Rect[]>();
  for (const n of f.nodes) {
    const k = n.parentId ?? '';
    byParent.set(k, [...(byParent.get(k) ?? []), rect(n)]);
  }
  const out: string[] = [];
  for (const rs of byParent.values()) {
    for (let i = 0; i < rs.length; i++) for (let j = i + 1; j < rs.length; j++) if (overlap(rs[i]!, rs[j]!)) out.push(`${rs[i]!.id} × ${rs[j]!.id}`);
  }
  return out;
}

/** Children that stick out of their group box. */
function escaping(f: Flow): string[] {
  const byId = new Map(f.nodes.map((n) => [n.id, n]));
  return f.nodes.filter((n) => n.parentId).filter((n) => {
    const g = byId.get(n.parentId!)!;
    return n.position.x < 0 || n.position.y < 0 || n.position.x + (n.width ?? 0) > (g.width ?? 0) || n.position.y + (n.height ?? 0) > (g.height ?? 0);
  }).map((n) => n.id);
}

describe('cluster layout', () => {
  const base = snap(DEFAULT);

  it('is deterministic: the same snapshot gives the same positions, whatever order its lists come in', () => {
    const a = toFlow(base, CLUSTER, {});
    const shuffled = { ...base, services: [...base.services].reverse(), hosts: [...base.hosts].reverse(), pods: [...base.pods].reverse() };
    expect(where(toFlow(base, CLUSTER, {}))).toEqual(where(a));
    expect(where(toFlow(shuffled, CLUSTER, {}))).toEqual(where(a));
  });

  it('draws no two siblings on top of each other and keeps every child inside its machine', () => {
    const f = toFlow(base, CLUSTER, {});
    expect(overlapping(f)).toEqual([]);
    expect(escaping(f)).toEqual([]);
  });

  it('keeps the drawn nodes where they were when a replica is added, and places the new Pod in its machine', () => {
    const before = toFlow(base, CLUSTER, {});
    const after = toFlow(snap(DEFAULT.replace('replicas: 2', 'replicas: 3')), CLUSTER, {}, before.memory);
    const was = where(before);
    const now = where(after);
    const added = [...now.keys()].filter((id) => !was.has(id));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^pod\/default\/my-nginx-/);
    for (const [id, p] of was) expect(now.get(id), id).toEqual(p);
    expect(overlapping(after)).toEqual([]);
    expect(escaping(after)).toEqual([]);
  });

  it('keeps the drawn nodes where they were when a Service is added', () => {
    const before = toFlow(base, CLUSTER, {});
    const svc = '---\napiVersion: v1\nkind: Service\nmetadata: {name: extra}\nspec:\n  selector: {app: client}\n  ports: [{port: 8080}]\n';
    const after = toFlow(snap(`${DEFAULT}\n${svc}`), CLUSTER, {}, before.memory);
    for (const [id, p] of where(before)) expect(where(after).get(id), id).toEqual(p);
    expect(where(after).has('svc/default/extra')).toBe(true);
    expect(overlapping(after)).toEqual([]);
  });

  it('lets a dragged node stay where it was dragged', () => {
    const before = toFlow(base, CLUSTER, {});
    const moved = { 'svc/default/my-nginx': { x: -500, y: 900 } };
    const after = toFlow(snap(DEFAULT.replace('replicas: 2', 'replicas: 3')), CLUSTER, moved, before.memory);
    expect(where(after).get('svc/default/my-nginx')).toEqual({ x: -500, y: 900 });
  });

  it('packs 300 Pods on 10 machines into columns inside a grid of machines', () => {
    const f = toFlow(snap(bigScenario()), CLUSTER, {});
    expect(overlapping(f)).toEqual([]);
    expect(escaping(f)).toEqual([]);
    const machines = f.nodes.filter((n) => n.type === 'machine').map(rect);
    expect(machines).toHaveLength(10);
    // Several rows of machines, each machine several rows of Pods: never one long row.
    expect(new Set(machines.map((m) => m.y)).size).toBeGreaterThan(1);
    const right = Math.max(...machines.map((m) => m.x + m.w));
    const bottom = Math.max(...machines.map((m) => m.y + m.h));
    expect(right / bottom).toBeLessThan(3);
    for (const m of machines) expect(m.w).toBeLessThan(1500);
    // 300 Pods of one namespace: each machine draws them as one counted group (canvas/flow.ts
    // POD_GROUP_THRESHOLD), and the 300 endpoints as one edge per group, labelled with the count.
    const groups = f.nodes.filter((n) => n.type === 'podgroup' && n.id.endsWith('/default'));
    expect(groups.map((g) => g.parentId).sort()).toEqual(machines.map((m) => m.id).sort());
    const web = f.edges.filter((e) => e.source === 'svc/default/web');
    expect(web.map((e) => e.target).sort()).toEqual(groups.map((g) => g.id).sort());
    expect(web.reduce((a, e) => a + Number(/^(\d+) endpoints$/.exec(e.data?.label ?? '')?.[1]), 0)).toBe(300);
  });
});

describe('layoutCluster', () => {
  const input = (pods: string[]): ClusterInput => ({
    groups: [{ id: 'node/a', pods, devices: ['node/a/cni0', 'node/a/eth0'] }, { id: 'node/b', pods: [], devices: ['node/b/eth0'] }],
    services: [{ id: 'svc/x', endpoints: pods }],
    hosts: ['host/h'],
    underlay: 'infra/underlay',
  });

  it('keeps one free Pod slot, so the next Pod moves nothing', () => {
    const a = layoutCluster(input(['p1', 'p2', 'p3']));
    const b = layoutCluster(input(['p1', 'p2', 'p3', 'p4']), a.memory);
    for (const [id, p] of a.pos) expect(b.pos.get(id), id).toEqual(p);
    expect(b.size.get('node/a')).toEqual(a.size.get('node/a'));
  });

  it('grows a full machine downwards and pushes what lies below it, never what lies beside it', () => {
    let l = layoutCluster(input(['p1']));
    const first = l;
    const pods = ['p1'];
    for (let i = 2; i <= 12; i++) { pods.push(`p${i}`); l = layoutCluster(input(pods), l.memory); }
    // Pods already placed never move, the other machine stays, the underlay goes down.
    expect(l.pos.get('p1')).toEqual(first.pos.get('p1'));
    expect(l.pos.get('node/b')!.x).toBe(first.pos.get('node/b')!.x);
    expect(l.pos.get('node/b')!.y).toBeGreaterThanOrEqual(first.pos.get('node/b')!.y);
    expect(l.size.get('node/a')!.h).toBeGreaterThan(first.size.get('node/a')!.h);
    expect(l.pos.get('infra/underlay')!.y).toBeGreaterThan(first.pos.get('infra/underlay')!.y);
  });

  it('gives a removed Pod\'s slot to the next new one', () => {
    const a = layoutCluster(input(['p1', 'p2', 'p3']));
    const b = layoutCluster(input(['p1', 'p3']), a.memory);
    const c = layoutCluster(input(['p1', 'p3', 'p9']), b.memory);
    expect(c.pos.get('p9')).toEqual(a.pos.get('p2'));
    expect(c.pos.get('p3')).toEqual(a.pos.get('p3'));
  });
});

describe('kernel view layout', () => {
  const KERNEL = { kind: 'kernel', node: 'node-1' } as const;

  it('is deterministic, overlaps nothing, and keeps what was drawn when a replica is added', () => {
    const base = snap(DEFAULT);
    const a = toFlow(base, KERNEL, {});
    expect(where(toFlow(base, KERNEL, {}))).toEqual(where(a));
    expect(overlapping(a)).toEqual([]);
    const b = toFlow(snap(DEFAULT.replace('replicas: 2', 'replicas: 4')), KERNEL, {}, a.memory);
    for (const [id, p] of where(a)) expect(where(b).get(id), id).toEqual(p);
    expect(b.nodes.length).toBeGreaterThan(a.nodes.length);
    expect(overlapping(b)).toEqual([]);
  });

  it('stacks 30 Pods with their veths in rows, not one 30-wide rank', () => {
    const f = toFlow(snap(bigScenario()), KERNEL, {});
    expect(overlapping(f)).toEqual([]);
    const pods = f.nodes.filter((n) => n.type === 'pod').map(rect);
    expect(pods.length).toBeGreaterThan(20);
    expect(new Set(pods.map((p) => p.y)).size).toBeGreaterThan(2);
    // The kernel view runs left to right (it fits the 1280x720 canvas): each Pod's veth sits on
    // the Pod's row, to its right.
    const byId = new Map(f.nodes.map((n) => [n.id, n]));
    const veths = f.edges.filter((x) => x.data?.kind === 'veth');
    expect(veths.length).toBeGreaterThan(20);
    for (const e of veths) {
      const pod = byId.get(e.source)!;
      const veth = byId.get(e.target)!;
      expect(veth.position.x).toBeGreaterThanOrEqual(pod.position.x + (pod.width ?? 0));
      expect(Math.abs(veth.position.y + (veth.height ?? 0) / 2 - (pod.position.y + (pod.height ?? 0) / 2))).toBeLessThan(1);
    }
  });
});
