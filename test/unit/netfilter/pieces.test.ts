/**
 * Issue #19: a node's writers hand the netfilter their pieces (kube-proxy's blocks of Services
 * are the same string objects on every node), and nodes with the same pieces share one parsed
 * chain. Observably nothing changes: every machine of every scenario prints what a line-by-line
 * restore of its joined text prints, each node keeps its own counters and its own edits, a
 * restore that fails still fails with iptables-restore's line, and a kubectl scale leaves the
 * chains it did not change as they were.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine, walk, type Sim } from '../../../src/engine/index';
import { writeHostRuleset, writeNodeRuleset } from '../../../src/engine/agents/hostrules';
import { installRules } from '../../../src/engine/agents/kubeproxy/install';
import { KubeProxyCache } from '../../../src/engine/agents/kubeproxy/iptables';
import { ChainCache, iptablesRestore, iptablesRestorePieces, iptablesSave } from '../../../src/engine/netfilter/restore';
import { restorePieces } from '../../../src/engine/netfilter/shared';
import { generate } from '../../../bench/scenarios/generate';
import { nodeNs } from './fixtures';

const scenarios = new URL('../../../content/scenarios/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, scenarios), 'utf8');
const sh = (sim: Sim, target: { kind: 'node'; name: string } | { kind: 'workstation' }, line: string) => runLine(sim, target, line);
const node = (name: string) => ({ kind: 'node' as const, name });

describe('pieces restore', () => {
  it('every machine of every scenario: the pieces load into exactly what the joined text loads into, through the shared reader', () => {
    let machines = 0;
    let copied = 0;
    for (const file of readdirSync(scenarios).filter((f) => f.endsWith('.yaml'))) {
      const { sim } = buildSim(read(file), { file });
      const cache = new ChainCache();
      const kp = new KubeProxyCache();
      const written = [
        ...sim.model.nodes.map((n) => writeNodeRuleset(sim.model, n, { cache: kp, seed: sim.seed })),
        ...sim.model.hosts.filter((h) => h.spec.docker).map((h) => writeHostRuleset(sim.model, h.meta.name)),
      ];
      for (const w of written) {
        expect(w.pieces.join('')).toBe(w.text);
        // The shared reader takes every writer's output (no silent fall back to the line-by-line restore).
        expect(restorePieces(w.pieces, cache), file).not.toBeNull();
        const a = nodeNs('node/a');
        const b = nodeNs('node/b');
        expect(iptablesRestorePieces(a, w.pieces, cache)).toEqual({ ok: true });
        expect(iptablesRestore(b, w.text)).toEqual({ ok: true });
        expect(iptablesSave(a), file).toBe(iptablesSave(b));
        machines++;
      }
      copied += cache.tablesCopied;
    }
    expect(machines).toBeGreaterThan(15);
    // Later nodes' tables were copies of the first's with their own chains made again (the delta path ran).
    expect(copied).toBeGreaterThan(10);
  });

  it('a piece that does not load fails as the joined text does, at the same line, and leaves the table as it was', () => {
    const pieces = ['*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:X - [0:0]\n', '-A X -j ACCEPT\n-A X -j NOPE\n', 'COMMIT\n'];
    const a = nodeNs('node/a');
    const res = iptablesRestorePieces(a, pieces, new ChainCache());
    expect(res).toEqual(iptablesRestore(nodeNs(), pieces.join('')));
    expect(res).toMatchObject({ ok: false, line: 7 });
    expect(a.netfilter!.tables.filter.chains.has('X')).toBe(false);
  });

  it('a node\'s writer whose line does not load is reported with its writer and line, as with the text restore', () => {
    const yaml = readFileSync(new URL('../fidelity/sctp.yaml', import.meta.url), 'utf8');
    const viaText = buildSim(yaml).sim;
    const viaPieces = buildSim(yaml).sim;
    for (const s of [viaText, viaPieces]) for (const ns of s.net.namespaces.values()) delete (ns as { netfilter?: unknown }).netfilter;
    const text = installRules(viaText, (ns, t) => iptablesRestore(ns, t.replace('-m sctp', '-m bogus')));
    const cache = new ChainCache();
    const pieces = installRules(viaPieces, { pieces: (ns, ps) => iptablesRestorePieces(ns, ps.map((p) => p.replace('-m sctp', '-m bogus')), cache) });
    const failures = (rs: typeof text) => rs.filter((r) => r.failure).map((r) => r.failure);
    expect(failures(pieces)).toHaveLength(2);
    expect(failures(pieces)).toEqual(failures(text));
    expect(failures(pieces)[0]).toMatchObject({ writer: 'kube-proxy', tables: ['nat'] });
  });

  it('a packet through node-1 moves node-1\'s counters of a shared rule, never node-2\'s', () => {
    const { sim } = buildSim(read('default.yaml'));
    const client = sim.model.pods.find((p) => p.meta.name === 'client')!;
    const other = client.nodeName === 'node-1' ? 'node-2' : 'node-1';
    const rule = (n: string) => sh(sim, node(n), 'iptables-save -c -t nat').stdout.split('\n').find((l) => l.includes('default/my-nginx cluster IP') && l.includes('-A KUBE-SERVICES'))!;
    expect(rule(client.nodeName!)).toMatch(/^\[0:0\] /);
    const nat = (n: string) => sim.net.namespaces.get(`node/${n}`)!.netfilter!.tables.nat;
    expect(nat(client.nodeName!).chains.get('KUBE-SERVICES')).toBe(nat(other).chains.get('KUBE-SERVICES'));
    expect(walk(sim, { from: 'pod/default/client', to: 'http://my-nginx.default.svc.cluster.local/' }).verdict).toBe('delivered');
    expect(rule(client.nodeName!)).toMatch(/^\[1:\d+\] /);
    expect(rule(other)).toMatch(/^\[0:0\] /);
  });

  it('`iptables -I INPUT 1 -j DROP` on node-1 changes node-1 only, though the two nodes share INPUT\'s rules', () => {
    const { sim } = buildSim(read('default.yaml'));
    const filter = (n: string) => sim.net.namespaces.get(`node/${n}`)!.netfilter!.tables.filter;
    const [r1, r2] = [filter('node-1').chains.get('INPUT')!.rules[0]!, filter('node-2').chains.get('INPUT')!.rules[0]!];
    expect(r1).toBe(r2);
    const before2 = sh(sim, node('node-2'), 'iptables-save').stdout;
    const before1 = sh(sim, node('node-1'), 'iptables-save').stdout;
    expect(sh(sim, node('node-1'), 'iptables -I INPUT 1 -j DROP').exitCode).toBe(0);
    expect(sh(sim, node('node-2'), 'iptables-save').stdout).toBe(before2);
    const after1 = sh(sim, node('node-1'), 'iptables-save').stdout;
    expect(after1).not.toBe(before1);
    expect(after1).toContain(':INPUT ACCEPT [0:0]\n');
    expect(after1.split('\n').filter((l) => l.startsWith('-A INPUT '))[0]).toBe('-A INPUT -j DROP');
    expect(filter('node-2').chains.get('INPUT')!.rules[0]).toBe(r2);
  });
});

describe('kubectl scale at M: only what changed is read again', () => {
  it('unchanged Services\' chains stay the same objects on every node, few pieces are parsed, and every node prints what a cold build prints', () => {
    const yaml = generate('M');
    const { sim } = buildSim(yaml, { file: 'm.yaml' });
    const nodes = sim.model.nodes.map((n) => n.name);
    const nat = (s: Sim, n: string) => s.net.namespaces.get(`node/${n}`)!.netfilter!.tables.nat;
    const before = new Map(nodes.map((n) => [n, new Map(nat(sim, n).chains)]));
    const cache = sim.caches!.chains;
    const piecesParsed = cache.piecesParsed;
    const ns = sim.model.pods.find((p) => p.meta.name.startsWith('app-0-'))!.meta.namespace;
    expect(sh(sim, { kind: 'workstation' }, `kubectl scale deployment app-0 -n ${ns} --replicas=9`).exitCode).toBe(0);
    const parsedNow = cache.piecesParsed - piecesParsed;
    // Per node, about 20 pieces are handed over; only those holding the changed Service (and the
    // nodes' own small ones whose text changed) are parsed, once for all nodes.
    expect(parsedNow).toBeGreaterThan(0);
    expect(parsedNow).toBeLessThan(nodes.length * 2);
    const svcOf = (chain: string, rules: readonly { matches: readonly { kind: string; comment?: string }[] }[]) => rules.some((r) => r.matches.some((m) => m.kind === 'comment' && m.comment?.startsWith(`${ns}/app-0`)));
    let kept = 0;
    for (const n of nodes) {
      for (const [name, chain] of nat(sim, n).chains) {
        if (!/^KUBE-(SVC|SEP)-/.test(name) || svcOf(name, chain.rules)) continue;
        expect(chain, `${n} ${name}`).toBe(before.get(n)!.get(name));
        kept++;
      }
    }
    expect(kept).toBeGreaterThan(nodes.length * 100);
    const cold = buildSim(yaml, { file: 'm.yaml' }).sim;
    expect(sh(cold, { kind: 'workstation' }, `kubectl scale deployment app-0 -n ${ns} --replicas=9`).exitCode).toBe(0);
    for (const n of nodes) expect(sh(sim, node(n), 'iptables-save').stdout).toBe(sh(cold, node(n), 'iptables-save').stdout);
  });
});
