/**
 * Nodes whose writers produce the same chain share one parsed Chain (restore.ts ChainCache):
 * the tables print and behave exactly as separately parsed ones, each node counts its own
 * packets, a change on one node copies the chain first (copy-on-write), text the fast path does
 * not take gives iptables-restore's own errors, and the cache on the Sim survives rebuildSim.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine } from '../../../src/engine/index';
import { applyCommand } from '../../../src/engine/netfilter/ops';
import { parseIptables } from '../../../src/engine/netfilter/parse';
import { ChainCache, iptablesRestore, iptablesSave } from '../../../src/engine/netfilter/restore';
import { readCounters, ruleCounters } from '../../../src/engine/netfilter/state';
import { nodeNs } from './fixtures';

const TEXT = (podCIDR: string): string => `*nat
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-A - [0:0]
:KUBE-SEP-A1 - [0:0]
:KUBE-SEP-A2 - [0:0]
:FLANNEL-POSTRTG - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -j FLANNEL-POSTRTG
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-A
-A KUBE-SVC-A -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-A1
-A KUBE-SVC-A -j KUBE-SEP-A2
-A KUBE-SEP-A1 -p tcp -m tcp -j DNAT --to-destination 10.244.1.2:80
-A KUBE-SEP-A2 -p tcp -m tcp -j DNAT --to-destination 10.244.2.2:80
-A FLANNEL-POSTRTG -s ${podCIDR} -d 10.244.0.0/16 -j RETURN
COMMIT
*filter
:INPUT ACCEPT [0:0]
:FORWARD DROP [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-FORWARD - [0:0]
-A FORWARD -j KUBE-FORWARD
-A KUBE-FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
`;

function pair() {
  const cache = new ChainCache();
  const a = nodeNs('node/a');
  const b = nodeNs('node/b');
  expect(iptablesRestore(a, TEXT('10.244.1.0/24'), { shared: cache })).toEqual({ ok: true });
  expect(iptablesRestore(b, TEXT('10.244.2.0/24'), { shared: cache })).toEqual({ ok: true });
  return { cache, a, b, natA: a.netfilter!.tables.nat, natB: b.netfilter!.tables.nat };
}

describe('chains shared between nodes', () => {
  it('identical chains are one object; differing ones are not; both print as a plain restore does', () => {
    const { cache, a, b, natA, natB } = pair();
    expect(natA.chains.get('KUBE-SVC-A')).toBe(natB.chains.get('KUBE-SVC-A'));
    expect(natA.chains.get('KUBE-SERVICES')).toBe(natB.chains.get('KUBE-SERVICES'));
    expect(natA.chains.get('FLANNEL-POSTRTG')).not.toBe(natB.chains.get('FLANNEL-POSTRTG'));
    expect(natA.chains.get('POSTROUTING')).not.toBe(natB.chains.get('POSTROUTING'));
    expect(cache.reused).toBeGreaterThanOrEqual(5);
    for (const [ns, cidr] of [[a, '10.244.1.0/24'], [b, '10.244.2.0/24']] as const) {
      const plain = nodeNs('node/plain');
      iptablesRestore(plain, TEXT(cidr));
      expect(iptablesSave(ns)).toBe(iptablesSave(plain));
    }
  });

  it('each node counts its own packets on a shared rule, and -Z zeroes only its own', () => {
    const { natA, natB } = pair();
    const rule = natA.chains.get('KUBE-SVC-A')!.rules[1]!;
    expect(rule.shared).toBe(true);
    ruleCounters(natA, rule).pkts += 3;
    ruleCounters(natA, rule).bytes += 180;
    expect(readCounters(natA, rule)).toEqual({ pkts: 3, bytes: 180 });
    expect(readCounters(natB, rule)).toEqual({ pkts: 0, bytes: 0 });
    ruleCounters(natB, rule).pkts++;
    const z = parseIptables(['-t', 'nat', '-Z', 'KUBE-SVC-A']);
    if (!z.ok) throw new Error(z.error);
    expect(applyCommand(natA, z.value.command)).toEqual({ ok: true });
    expect(readCounters(natA, rule).pkts).toBe(0);
    expect(readCounters(natB, rule).pkts).toBe(1);
  });

  it('a change on one node copies the chain: the other node keeps its rules', () => {
    const { natA, natB } = pair();
    const before = natB.chains.get('KUBE-SVC-A')!;
    const add = parseIptables(['-t', 'nat', '-I', 'KUBE-SVC-A', '-j', 'KUBE-SEP-A2']);
    if (!add.ok) throw new Error(add.error);
    expect(applyCommand(natA, add.value.command)).toEqual({ ok: true });
    expect(natA.chains.get('KUBE-SVC-A')!.rules).toHaveLength(3);
    expect(natB.chains.get('KUBE-SVC-A')).toBe(before);
    expect(before.rules).toHaveLength(2);
    const flush = parseIptables(['-t', 'nat', '-F']);
    if (!flush.ok) throw new Error(flush.error);
    expect(applyCommand(natA, flush.value.command)).toEqual({ ok: true });
    expect(natB.chains.get('KUBE-SERVICES')!.rules).toHaveLength(1);
    // A --noflush restore on one node copies what it touches, too.
    const b2 = nodeNs('node/b2');
    const cache = new ChainCache();
    iptablesRestore(b2, TEXT('10.244.3.0/24'), { shared: cache });
    const c2 = nodeNs('node/c2');
    iptablesRestore(c2, TEXT('10.244.4.0/24'), { shared: cache });
    expect(iptablesRestore(b2, '*nat\n-A KUBE-SVC-A -j KUBE-SEP-A1\nCOMMIT\n', { noflush: true })).toEqual({ ok: true });
    expect(b2.netfilter!.tables.nat.chains.get('KUBE-SVC-A')!.rules).toHaveLength(3);
    expect(c2.netfilter!.tables.nat.chains.get('KUBE-SVC-A')!.rules).toHaveLength(2);
  });

  it('text the fast path does not take fails exactly as iptables-restore does', () => {
    const bad = TEXT('10.244.1.0/24').replace('-j KUBE-SEP-A2\n-A KUBE-SEP-A1', '-j KUBE-SEP-NOPE\n-A KUBE-SEP-A1');
    const plain = iptablesRestore(nodeNs(), bad);
    expect(plain.ok).toBe(false);
    expect(iptablesRestore(nodeNs(), bad, { shared: new ChainCache() })).toEqual(plain);
    const loop = TEXT('10.244.1.0/24').replace('-A KUBE-SEP-A2 -p tcp -m tcp -j DNAT --to-destination 10.244.2.2:80', '-A KUBE-SEP-A2 -j KUBE-SVC-A');
    expect(iptablesRestore(nodeNs(), loop, { shared: new ChainCache() })).toEqual(iptablesRestore(nodeNs(), loop));
  });

  it('a simulation shares chains between its nodes and keeps its parsed chains across kubectl scale', () => {
    const yaml = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');
    const { sim } = buildSim(yaml);
    const nat = (n: string) => sim.net.namespaces.get(`node/${n}`)!.netfilter!.tables.nat;
    const svc = [...nat('node-1').chains.keys()].find((c) => c.startsWith('KUBE-SVC-'))!;
    expect(nat('node-1').chains.get(svc)).toBe(nat('node-2').chains.get(svc));
    const cache = sim.caches!.chains;
    const parsed = cache.parsed;
    const r = runLine(sim, { kind: 'workstation' }, 'kubectl scale deployment my-nginx --replicas=3');
    expect(r.exitCode).toBe(0);
    expect(sim.caches!.chains).toBe(cache);
    // Only the chains the third replica changed are parsed again.
    expect(cache.parsed - parsed).toBeGreaterThan(0);
    expect(cache.parsed - parsed).toBeLessThan(12);
    // The same as a cold build of the same objects.
    const cold = buildSim(yaml).sim;
    runLine(cold, { kind: 'workstation' }, 'kubectl scale deployment my-nginx --replicas=3');
    const save = (s: typeof sim) => runLine(s, { kind: 'node', name: 'node-2' }, 'iptables-save').stdout;
    expect(save(sim)).toBe(save(cold));
    // An edit of the YAML built with the previous Sim reuses its chains and gives the state a cold
    // build of the same text gives (same YAML and seed, same cluster).
    const edited = yaml.replace('replicas: 2', 'replicas: 4');
    const next = buildSim(edited, { previous: sim }).sim;
    expect(next.caches!.chains).toBe(cache);
    expect(save(next)).toBe(save(buildSim(edited).sim));
  });
  it('a learner editing node-1\'s rules in its terminal copies the chain there: node-2 keeps the shared one, and its counters', () => {
    const yaml = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');
    const { sim } = buildSim(yaml);
    const nat = (n: string) => sim.net.namespaces.get(`node/${n}`)!.netfilter!.tables.nat;
    const save = (n: string) => runLine(sim, { kind: 'node', name: n }, 'iptables-save -t nat').stdout;
    const shared = nat('node-2').chains.get('KUBE-SERVICES')!;
    expect(nat('node-1').chains.get('KUBE-SERVICES')).toBe(shared);
    const before2 = save('node-2');
    const rules = shared.rules.length;
    // node-2 counts a packet on a shared rule; node-1 does not see it.
    ruleCounters(nat('node-2'), shared.rules[0]!).pkts += 5;
    const r = runLine(sim, { kind: 'node', name: 'node-1' }, 'iptables -t nat -I KUBE-SERVICES 1 -s 10.9.9.9/32 -j RETURN');
    expect(r.exitCode).toBe(0);
    expect(nat('node-1').chains.get('KUBE-SERVICES')).not.toBe(shared);
    expect(nat('node-1').chains.get('KUBE-SERVICES')!.rules).toHaveLength(rules + 1);
    expect(nat('node-2').chains.get('KUBE-SERVICES')).toBe(shared);
    expect(shared.rules).toHaveLength(rules);
    expect(save('node-2')).toBe(before2);
    expect(save('node-1')).toContain('-A KUBE-SERVICES -s 10.9.9.9/32 -j RETURN');
    expect(readCounters(nat('node-2'), shared.rules[0]!).pkts).toBe(5);
    expect(readCounters(nat('node-1'), nat('node-1').chains.get('KUBE-SERVICES')!.rules[1]!).pkts).toBe(0);
  });

  it('a rebuild after kubectl scale keeps every chain the scale did not change as the same object, on every node', () => {
    const yaml = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');
    const { sim } = buildSim(yaml);
    const chainsOf = (n: string) => new Map(sim.net.namespaces.get(`node/${n}`)!.netfilter!.tables.nat.chains);
    const before = { 'node-1': chainsOf('node-1'), 'node-2': chainsOf('node-2') };
    const cache = sim.caches!.chains;
    const skipped = cache.checksSkipped;
    expect(runLine(sim, { kind: 'workstation' }, 'kubectl scale deployment my-nginx --replicas=3').exitCode).toBe(0);
    // The second node's tables had the same chain graph as the first's: checked once.
    expect(cache.checksSkipped).toBeGreaterThan(skipped);
    const changed = new Set<string>();
    for (const n of ['node-1', 'node-2'] as const) {
      const after = chainsOf(n);
      for (const [name, chain] of after) if (!chain.shared || before[n].get(name) !== chain) changed.add(name);
    }
    // Only what the new endpoint touches: the Services' chains, their new KUBE-SEP, the node-local ones.
    const svcChains = [...changed].filter((c) => /^KUBE-(SVC|EXT|SEP)-/.test(c));
    expect(svcChains.length).toBeGreaterThan(0);
    for (const c of changed) expect(c).toMatch(/^(KUBE-(SVC|EXT|SEP|SERVICES|NODEPORTS)|FLANNEL|PREROUTING|INPUT|OUTPUT|POSTROUTING|CNI-)/);
    const kept = [...before['node-1'].keys()].filter((c) => before['node-1'].get(c)!.shared && before['node-2'].get(c) === before['node-1'].get(c) && !changed.has(c));
    expect(kept.length).toBeGreaterThan(3);
    for (const c of kept) {
      expect(chainsOf('node-1').get(c)).toBe(before['node-1'].get(c));
      expect(chainsOf('node-2').get(c)).toBe(before['node-1'].get(c));
    }
  });
});
