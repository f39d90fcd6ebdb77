import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine';
import { groupId, POD_GROUP_THRESHOLD, toFlow } from '../../../src/app/canvas/flow';
import { snapshot } from '../../../src/worker/snapshot';
import { generate } from '../../../bench/scenarios/generate';

const DEFAULT = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');

describe('Pod groups in the cluster view', () => {
  it('the two-node lesson draws every Pod, no group', () => {
    const f = toFlow(snapshot(buildSim(DEFAULT, { seed: 1 }).sim, 1), { kind: 'cluster' }, {});
    expect(f.nodes.filter((n) => n.type === 'podgroup')).toEqual([]);
    expect(f.nodes.some((n) => n.id === 'pod/default/client')).toBe(true);
  });

  it('a crowded node draws one counted group per namespace; an expanded group draws its Pods too', () => {
    const snap = snapshot(buildSim(generate('M'), { seed: 1 }).sim, 1, new Set());
    const collapsed = toFlow(snap, { kind: 'cluster' }, {});
    const groups = collapsed.nodes.filter((n) => n.type === 'podgroup');
    expect(groups.length).toBeGreaterThan(0);
    expect(collapsed.nodes.filter((n) => n.type === 'pod')).toEqual([]);
    // Every Pod on a node over the threshold is counted in exactly one of its groups.
    for (const node of snap.nodes) {
      const pods = snap.pods.filter((p) => p.node === node.name && !p.hostNetwork);
      const mine = groups.filter((g) => g.parentId === node.id);
      if (pods.length > POD_GROUP_THRESHOLD) expect(mine.reduce((a, g) => a + (g.data as { count: number }).count, 0)).toBe(pods.length);
    }
    // A Service's endpoints in a collapsed group draw to the group.
    expect(collapsed.edges.some((e) => e.data?.kind === 'endpoint' && e.target.startsWith('group/'))).toBe(true);
    const pod = snap.pods.find((p) => p.namespace === 'team-1' && p.node)!;
    const g = groupId(pod.node!, 'team-1');
    const open = toFlow(snap, { kind: 'cluster' }, {}, null, { expanded: new Set([g]) });
    const drawn = open.nodes.filter((n) => n.type === 'pod').map((n) => n.id).sort();
    expect(drawn).toEqual(snap.pods.filter((p) => p.namespace === 'team-1' && p.node === pod.node && !p.hostNetwork).map((p) => p.id).sort());
    expect(open.nodes.find((n) => n.id === g)?.data).toMatchObject({ expanded: true });
  }, 60_000);
});
