/**
 * Issue #19: a node's tables are made when first read (netfilter/state.ts deferTable), not when
 * its writers' restore is read and checked. Counters start at zero whenever a table is made, so a
 * late table equals an early one: a build whose tables are made at install (the engine loaded
 * with deferTable making them at once) and the normal build print the same iptables-save and
 * ip6tables-save on every machine, give the same traces and the same diagnostics, for the
 * generated S and M clusters and a scenario per network plugin and kube-proxy mode. Only the
 * tables something reads are made.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generate } from '../../../bench/scenarios/generate';
import { buildSim, runLine, walk, type Sim } from '../../../src/engine/index';
import type { NetNs } from '../../../src/engine/net/types';
import { writeNodeRuleset6 } from '../../../src/engine/agents/hostrules6';
import { proxyConfig } from '../../../src/engine/agents/kubeproxy/config';
import { ChainCache, ip6tablesRestorePieces, iptablesRestore, iptablesSave } from '../../../src/engine/netfilter/restore';
import { onTables6, tableDeferred } from '../../../src/engine/netfilter/state';
import { TABLE_NAMES, type NetfilterState } from '../../../src/engine/netfilter/types';
import { nodeNs } from './fixtures';

type Engine = typeof import('../../../src/engine/index');
let eager: Engine;

beforeAll(async () => {
  // A second copy of the engine whose restores make every table at once (as before tables were deferred).
  vi.resetModules();
  vi.doMock('../../../src/engine/netfilter/state', async (importOriginal) => {
    const real = await importOriginal<typeof import('../../../src/engine/netfilter/state')>();
    return { ...real, deferTable: (state: NetfilterState, name: (typeof TABLE_NAMES)[number], make: () => never) => { state.tables[name] = make(); } };
  });
  eager = await import('../../../src/engine/index');
  vi.doUnmock('../../../src/engine/netfilter/state');
  vi.resetModules();
});
afterAll(() => { vi.resetModules(); });

const scenarios = new URL('../../../content/scenarios/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, scenarios), 'utf8');
const withMode = (mode: string): string => read('default.yaml').replace('kubeProxy: {mode: iptables}', `kubeProxy: {mode: ${mode}}`);

/** Every machine's rules as iptables-save -c and ip6tables-save -c print them (reading makes the tables). */
function saves(sim: Sim): Record<string, string> {
  const out: Record<string, string> = {};
  for (const ns of sim.net.namespaces.values()) {
    const v4 = iptablesSave(ns, undefined, { counters: true });
    const v6 = onTables6(ns, () => iptablesSave(ns, undefined, { counters: true }));
    if (v4 || v6) out[ns.id] = `${v4}---\n${v6}`;
  }
  return out;
}

/** A few walks: first user Pod to the first user Service's ClusterIP, and to the last user Pod. */
function traces(sim: Sim): string[] {
  const pods = sim.model.pods.filter((p) => !p.system && p.podIP && p.nodeName);
  const from = pods[0];
  if (!from) return [];
  const out: string[] = [];
  const svc = sim.model.services.find((s) => s.meta.namespace !== 'kube-system' && s.clusterIP && !s.headless && s.ports.length);
  const reqs = [
    ...(svc ? [`${svc.clusterIP}:${svc.ports[0]!.port}`] : []),
    pods[pods.length - 1]!.podIP!,
  ];
  for (const to of reqs) {
    const t = walk(sim, { from: `pod/${from.meta.namespace}/${from.meta.name}`, to, ...(to.includes(':') && !to.includes('::') ? {} : { protocol: 'icmp' as const }) });
    out.push(JSON.stringify({ verdict: t.verdict, events: t.events, rules: t.rulesEvaluated }));
  }
  return out;
}

function deferredTables(sim: Sim): number {
  let n = 0;
  for (const ns of sim.net.namespaces.values()) {
    for (const st of [ns.netfilter, ns.netfilter6]) if (st) for (const t of TABLE_NAMES) if (tableDeferred(st, t)) n++;
  }
  return n;
}

const cases: [string, () => string][] = [
  ['generated S', () => generate('S')],
  ['generated M', () => generate('M')],
  ...readdirSync(scenarios).filter((f) => f.endsWith('.yaml')).map((f): [string, () => string] => [f, () => read(f)]),
  ...['ipvs', 'userspace', 'nftables'].map((m): [string, () => string] => [`default.yaml, kube-proxy ${m}`, () => withMode(m)]),
];

describe('tables made when first read equal tables made at install', () => {
  for (const [name, text] of cases) {
    it(name, () => {
      const yaml = text();
      const early = eager.buildSim(yaml, { file: 'x.yaml' });
      const late = buildSim(yaml, { file: 'x.yaml' });
      expect(deferredTables(early.sim)).toBe(0);
      expect(deferredTables(late.sim)).toBeGreaterThan(0);
      expect(late.diagnostics).toEqual(early.diagnostics);
      // The walk makes the tables of the machines it crosses, mid-walk.
      expect(traces(late.sim)).toEqual(traces(early.sim));
      expect(saves(late.sim)).toEqual(saves(early.sim));
    });
  }
});

describe('only what is read is made', () => {
  it('a build makes no node table; iptables-save on node-2 makes node-2\'s only', () => {
    const { sim } = buildSim(generate('M'), { file: 'm.yaml' });
    const node = (n: string): NetNs => sim.net.namespaces.get(`node/${n}`)!;
    const made = (n: string): boolean => !TABLE_NAMES.some((t) => tableDeferred(node(n).netfilter!, t));
    expect(sim.model.nodes.some((n) => made(n.name) && node(n.name).netfilter!.tables.nat.chains.size > 4)).toBe(false);
    expect(runLine(sim, { kind: 'node', name: 'node-2' }, 'iptables-save').stdout).toContain('-A KUBE-SERVICES');
    expect(made('node-2')).toBe(true);
    expect(sim.model.nodes.filter((n) => n.name !== 'node-2').every((n) => tableDeferred(node(n.name).netfilter!, 'nat'))).toBe(true);
  });

  it('an edit built on a Sim whose tables were mostly never made equals a cold build of the edited text', () => {
    const yaml = generate('M');
    const edited = yaml.replace(/replicas: (\d+)/, (_, n: string) => `replicas: ${Number(n) + 1}`);
    const first = buildSim(yaml, { file: 'm.yaml' }).sim;
    runLine(first, { kind: 'node', name: 'node-3' }, 'iptables -A INPUT -j ACCEPT');
    const next = buildSim(edited, { file: 'm.yaml', previous: first }).sim;
    const cold = buildSim(edited, { file: 'm.yaml' }).sim;
    expect(saves(next)).toEqual(saves(cold));
  });
});

describe('a node\'s ip6tables rules through the shared reader', () => {
  it('load into exactly what ip6tables-restore of the joined text loads, and report its failures as ip6tables-restore', () => {
    let machines = 0;
    for (const file of ['dual-stack.yaml', 'calico-dual-stack.yaml', 'ipv6-only.yaml']) {
      const { sim } = buildSim(read(file), { file });
      const cache = new ChainCache();
      for (const n of sim.model.nodes) {
        const w = writeNodeRuleset6(sim.model, n, proxyConfig(sim.model))!;
        const a = nodeNs('node/a');
        const b = nodeNs('node/b');
        expect(ip6tablesRestorePieces(a, w.pieces, cache)).toEqual({ ok: true });
        expect(iptablesRestore(b, w.text, { family: 6 })).toEqual({ ok: true });
        const save = (ns: NetNs) => onTables6(ns, () => iptablesSave(ns));
        expect(save(a), file).toBe(save(b));
        expect(save(a)).toContain('*nat');
        expect(a.netfilter).toBeUndefined();
        machines++;
      }
      expect(cache.tablesCopied).toBeGreaterThan(0);
    }
    expect(machines).toBeGreaterThan(4);
    const bad = ['*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n', '-A INPUT -j NOPE\n', 'COMMIT\n'];
    const res = ip6tablesRestorePieces(nodeNs('node/a'), bad, new ChainCache());
    expect(res).toEqual(iptablesRestore(nodeNs('node/b'), bad.join(''), { family: 6 }));
    expect(res).toMatchObject({ ok: false, line: 5, error: expect.stringMatching(/^ip6tables-restore: line 5 failed/) });
  });
});
