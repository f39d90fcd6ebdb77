/**
 * The cluster view at scale: a namespace's Services fold into one counted group past
 * SERVICE_GROUP_THRESHOLD (rows wrapped at the machines' width, so a hundred Services do not
 * squeeze the machines), the Services a trace goes through stay drawn, opening a group or a
 * one-line edit moves nothing that was drawn, and zoom-to-expand opens and folds groups.
 */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine';
import { SERVICE_GROUP_THRESHOLD, serviceGroupId, toFlow, type Flow, type FlowNode } from '../../src/app/canvas/flow';
import { COLLAPSE_ZOOM, EXPAND_ZOOM, MAX_OPEN_PER_ZOOM, zoomGroups, type ScreenBox } from '../../src/app/canvas/zoomgroups';
import { snapshot } from '../../src/worker/snapshot';
import { generate, SIZES } from '../../bench/scenarios/generate';
import { editedText } from '../../bench/scale';

const CLUSTER = { kind: 'cluster' } as const;
const snap = (yaml: string) => snapshot(buildSim(yaml, { seed: 1, file: 'scenario.yaml' }).sim, 1);
const of = (f: Flow, type: string): FlowNode[] => f.nodes.filter((n) => n.type === type);
const span = (ns: readonly FlowNode[]) => ({ left: Math.min(...ns.map((n) => n.position.x)), right: Math.max(...ns.map((n) => n.position.x + (n.width ?? 0))) });

describe('Services at M', () => {
  const M = generate('M');
  const base = snap(M);
  const flow = toFlow(base, CLUSTER, {});

  it('folds each namespace\'s Services into one counted group, and draws a namespace\'s single Service as itself', () => {
    expect(base.services.length).toBeGreaterThan(SERVICE_GROUP_THRESHOLD);
    const groups = of(flow, 'servicegroup');
    expect(groups.map((g) => g.id)).toEqual(Array.from({ length: SIZES.M.namespaces }, (_, i) => serviceGroupId(`team-${i}`)));
    const drawn = of(flow, 'service').map((s) => s.id);
    // Every Service is counted in a group or drawn, never both and never lost.
    const counted = groups.reduce((a, g) => a + (g.data as { count: number }).count, 0);
    expect(counted + drawn.length).toBe(base.services.length);
    expect(drawn.sort()).toEqual(['svc/default/kubernetes', 'svc/kube-system/kube-dns']);
  });

  it('wraps the Services into rows no wider than the machines, above them', () => {
    const all = toFlow(base, CLUSTER, {}, null, { expanded: new Set(of(flow, 'servicegroup').map((g) => g.id)) });
    const svcs = of(all, 'service');
    expect(svcs).toHaveLength(base.services.length);
    const machines = span(of(all, 'machine'));
    const rows = span(svcs);
    expect(new Set(svcs.map((s) => s.position.y)).size).toBeGreaterThan(1);
    expect(rows.right - machines.right).toBeLessThanOrEqual(232 / 2);
    expect(machines.left - rows.left).toBeLessThanOrEqual(232 / 2);
    const top = Math.min(...of(all, 'machine').map((m) => m.position.y));
    for (const s of svcs) expect(s.position.y + (s.height ?? 0)).toBeLessThan(top);
    // The machines are where they are without the Services drawn one by one.
    for (const m of of(flow, 'machine')) expect(all.nodes.find((n) => n.id === m.id)!.position).toEqual(m.position);
  });

  it('draws the Services a trace goes through, even in a folded group', () => {
    const svc = base.services.find((s) => s.namespace === 'team-3')!.id;
    const f = toFlow(base, CLUSTER, {}, flow.memory, { pinned: new Set([svc]) });
    expect(of(f, 'service').map((s) => s.id)).toContain(svc);
    const g = of(f, 'servicegroup').find((n) => n.id === serviceGroupId('team-3'))!;
    expect(g.data).toMatchObject({ expanded: false, shown: 1, count: 20 });
    // Pinning one Service moves nothing that was drawn.
    const before = new Map(flow.nodes.map((n) => [n.id, n.position]));
    for (const n of f.nodes) if (before.has(n.id)) expect(n.position, n.id).toEqual(before.get(n.id));
  });

  it('opens a group without moving anything drawn before', () => {
    const id = serviceGroupId('team-1');
    const f = toFlow(base, CLUSTER, {}, flow.memory, { expanded: new Set([id]) });
    expect(of(f, 'service').filter((s) => s.id.startsWith('svc/team-1/'))).toHaveLength(20);
    const before = new Map(flow.nodes.map((n) => [n.id, n.position]));
    for (const n of f.nodes) if (before.has(n.id)) expect(n.position, n.id).toEqual(before.get(n.id));
  });

  it('keeps every drawn node in place through a one-line edit (one more replica)', () => {
    const edited = snap(editedText(M));
    expect(edited.pods.length).toBe(base.pods.length + 1);
    const f = toFlow(edited, CLUSTER, {}, flow.memory);
    const before = new Map(flow.nodes.map((n) => [n.id, n.position]));
    let kept = 0;
    for (const n of f.nodes) if (before.has(n.id)) { expect(n.position, n.id).toEqual(before.get(n.id)); kept++; }
    // The rebuilt cluster may schedule a Pod afresh (the client alone in its namespace on a node
    // can move, so its one-Pod group goes and another comes); everything else is still drawn.
    expect(kept).toBeGreaterThanOrEqual(flow.nodes.length - 1);
  });
});

describe('zoom-to-expand', () => {
  const box = (id: string, x: number, y: number, expanded = false): ScreenBox => ({ id, x, y, w: 120, h: 40, expanded });
  const view = { width: 800, height: 300 };

  it('opens the collapsed groups wholly on screen when a zoom in reaches EXPAND_ZOOM, nearest the middle first', () => {
    const groups = [box('g/a', 340, 130), box('g/b', 10, 10), box('g/off', 760, 10), box('g/open', 300, 100, true),
      ...Array.from({ length: 6 }, (_, i) => box(`g/row${i}`, 10 + i * 125, 250))];
    const r = zoomGroups({ ...view, zoom: EXPAND_ZOOM, previousZoom: 0.3, groups, opened: new Set() });
    expect(r.close).toEqual([]);
    expect(r.open).toHaveLength(MAX_OPEN_PER_ZOOM);
    expect(r.open[0]).toBe('g/a');
    expect(r.open).not.toContain('g/off');
    expect(r.open).not.toContain('g/open');
  });

  it('opens nothing below EXPAND_ZOOM, on a pan, or on a zoom out', () => {
    const groups = [box('g/a', 340, 130)];
    expect(zoomGroups({ ...view, zoom: EXPAND_ZOOM - 0.01, previousZoom: 0.2, groups, opened: new Set() }).open).toEqual([]);
    expect(zoomGroups({ ...view, zoom: 1, previousZoom: 1, groups, opened: new Set() }).open).toEqual([]);
    expect(zoomGroups({ ...view, zoom: 0.9, previousZoom: 1.2, groups, opened: new Set() }).open).toEqual([]);
  });

  it('folds what zooming opened once a zoom out goes below COLLAPSE_ZOOM, and only then', () => {
    const opened = new Set(['g/b', 'g/a']);
    expect(zoomGroups({ ...view, zoom: COLLAPSE_ZOOM + 0.05, previousZoom: 1, groups: [], opened }).close).toEqual([]);
    expect(zoomGroups({ ...view, zoom: COLLAPSE_ZOOM - 0.05, previousZoom: 1, groups: [], opened }).close).toEqual(['g/a', 'g/b']);
  });
});
