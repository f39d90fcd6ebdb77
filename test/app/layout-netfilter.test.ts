/** The kernel view's netfilter pipeline as the inspector shows it: kernel table order, jumps, the rule that fired. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, walk } from '../../src/engine';
import { hookTables, pipelinePoint } from '../../src/app/inspect/hooks';
import { snapshot } from '../../src/worker/snapshot';

const r = (text: string, packets = 0) => ({ text, packets, bytes: 0 });

describe('hookTables', () => {
  const chains = [
    { table: 'filter', name: 'INPUT', policy: 'ACCEPT', rules: [r('-j KUBE-FIREWALL')] },
    { table: 'filter', name: 'KUBE-FIREWALL', rules: [r('-j DROP')] },
    { table: 'nat', name: 'INPUT', policy: 'ACCEPT', rules: [] },
    { table: 'mangle', name: 'INPUT', policy: 'ACCEPT', rules: [] },
    { table: 'nat', name: 'PREROUTING', policy: 'ACCEPT', rules: [r('-j KUBE-SERVICES', 3)] },
    { table: 'nat', name: 'KUBE-SERVICES', rules: [r('-d 10.96.0.20/32 -j KUBE-SVC-X')] },
    { table: 'nat', name: 'KUBE-SVC-X', rules: [r('-j KUBE-SERVICES')] },
    { table: 'raw', name: 'PREROUTING', policy: 'ACCEPT', rules: [] },
  ];

  it('lists the tables at a hook in the kernel\'s priority order (nat after filter at INPUT)', () => {
    expect(hookTables(chains, 'INPUT').map((t) => t.table)).toEqual(['mangle', 'filter', 'nat']);
    expect(hookTables(chains, 'PREROUTING').map((t) => t.table)).toEqual(['raw', 'nat']);
    expect(hookTables(chains, 'FORWARD')).toEqual([]);
  });

  it('follows jumps into user chains, each once, with their depth and counters', () => {
    const nat = hookTables(chains, 'PREROUTING').find((t) => t.table === 'nat')!;
    expect(nat.chains.map((c) => `${c.depth} ${c.name}`)).toEqual(['0 PREROUTING', '1 KUBE-SERVICES', '2 KUBE-SVC-X']);
    expect(nat.chains[0]!.rules[0]!.packets).toBe(3);
  });
});

describe('pipelinePoint', () => {
  it('names the hook, chain and rule of a replayed netfilter event on that namespace only', () => {
    const yaml = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8');
    const { sim } = buildSim(yaml, { seed: 1 });
    const trace = walk(sim, { from: 'pod/default/client', to: 'my-nginx:80', protocol: 'tcp' });
    const snap = snapshot(sim, 1);
    const ns = `node/${snap.pods.find((p) => p.id === 'pod/default/client')!.node}`;
    const points = trace.events.map((e) => pipelinePoint(e, ns)).filter((p) => p !== null);
    const dnat = points.find((p) => p.stage === 'PREROUTING' && p.table === 'nat' && p.chain === 'PREROUTING');
    expect(dnat?.rule).toBe(1);
    expect(points.some((p) => p.stage === 'routing')).toBe(true);
    // The rule it names is the rule the snapshot lists at that position.
    const chains = snap.namespaces.find((n) => n.id === ns)!.chains!;
    const pre = hookTables(chains, 'PREROUTING').find((t) => t.table === 'nat')!.chains[0]!;
    expect(pre.rules[dnat!.rule! - 1]!.text).toContain('KUBE-SERVICES');
    expect(pipelinePoint(trace.events[0]!, 'node/none')).toBeNull();
  });
});
