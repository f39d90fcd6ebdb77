/** The canvas's follow-the-packet facts, derived from a real walk on the default scenario. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, walk } from '../../../src/engine';
import { machineAt, serviceAt, trailOf } from '../../../src/app/canvas/follow';
import { locate, toFlow } from '../../../src/app/canvas/flow';
import { snapshot } from '../../../src/worker/snapshot';
import { detailRecord } from '../../../src/engine/trace/types';

const DEFAULT = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');

function serviceWalk() {
  const { sim } = buildSim(DEFAULT, { seed: 1 });
  const ids = new Set(toFlow(snapshot(sim, 1), { kind: 'cluster' }, {}).nodes.map((n) => n.id));
  const trace = walk(sim, { from: 'pod/default/client', to: 'my-nginx:80', protocol: 'tcp' });
  return { trace, ids };
}

describe('following the packet', () => {
  it('lights the Service only at the events where its KUBE-SVC/KUBE-SEP rules act', () => {
    const { trace } = serviceWalk();
    const lit = trace.events.filter((e) => serviceAt(e) === 'svc/default/my-nginx');
    expect(lit.length).toBeGreaterThanOrEqual(2);
    for (const e of lit) expect(String(detailRecord(e)['chain'])).toMatch(/^KUBE-(SVC|SEP)-/);
    // The DNS lookup before it goes through kube-dns's chains, not my-nginx's.
    expect(trace.events.some((e) => serviceAt(e) === 'svc/kube-system/kube-dns')).toBe(true);
    // Every other event lights nothing: the built-in chains and KUBE-SERVICES itself.
    for (const e of trace.events) if (e.type !== 'netfilter' || !/^KUBE-(SVC|SEP|EXT|FW)-/.test(String(detailRecord(e)['chain']))) expect(serviceAt(e)).toBeNull();
  });

  it('the trail grows with the cursor, starts at the client and ends where the packet is', () => {
    const { trace, ids } = serviceWalk();
    const evs = trace.events;
    const mid = Math.floor(evs.length / 2);
    const half = trailOf(evs, mid, ids);
    const all = trailOf(evs, evs.length - 1, ids);
    expect(half[0]).toBe('pod/default/client');
    expect(all.slice(0, half.length)).toEqual(half);
    expect(all.length).toBeGreaterThan(half.length);
    expect(all[all.length - 1]).toBe(locate(evs[evs.length - 1]!.where, ids));
    for (let i = 1; i < all.length; i++) expect(all[i]).not.toBe(all[i - 1]);
    expect(trailOf(evs, -1, ids)).toEqual([]);
  });

  it('names the node the packet is on', () => {
    const { trace } = serviceWalk();
    const nodes = new Set(trace.events.map(machineAt).filter(Boolean));
    expect([...nodes].sort()).toEqual(['node-1', 'node-2'].filter((n) => nodes.has(n)));
    expect(nodes.size).toBeGreaterThan(0);
  });
});
