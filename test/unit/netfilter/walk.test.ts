import { describe, expect, it } from 'vitest';
import { netfilterEngine } from '../../../src/engine/netfilter/engine';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import { collect, ctx, nodeNs, summaryOf, tcp } from './fixtures';
import { detailRecord } from '../../../src/engine/trace/types';

function load(text: string) {
  const ns = nodeNs();
  const r = iptablesRestore(ns, text);
  expect(r).toEqual({ ok: true });
  return ns;
}

const run = (ns: ReturnType<typeof nodeNs>, hook: 'FORWARD' | 'INPUT' | 'OUTPUT', p = tcp('10.244.1.2', 40000, '10.0.0.9', 80)) => {
  const c = collect();
  const v = netfilterEngine.runHook(ns, hook, p, ctx({ inDev: 'cni0', outDev: 'eth0' }), c.emit);
  return { v, events: c.events };
};

describe('chain walk', () => {
  it('returns from a jumped chain and continues after the jump', () => {
    const ns = load('*filter\n:FORWARD DROP [0:0]\n:A - [0:0]\n-A FORWARD -j A\n-A FORWARD -j ACCEPT\n-A A -j RETURN\n-A A -j DROP\nCOMMIT\n');
    const { v, events } = run(ns, 'FORWARD');
    expect(v.verdict).toBe('accept');
    const chains = events.filter((e) => e.type === 'netfilter').map((e) => `${detailRecord(e)['chain']}:${detailRecord(e)['verdict']}`);
    expect(chains).toEqual(['FORWARD:jump A', 'A:RETURN', 'FORWARD:ACCEPT']);
  });

  it('goto does not come back: the end of the goto target applies the policy', () => {
    const ns = load('*filter\n:FORWARD DROP [0:0]\n:A - [0:0]\n-A FORWARD -g A\n-A FORWARD -j ACCEPT\n-A A -p udp -j ACCEPT\nCOMMIT\n');
    const { v } = run(ns, 'FORWARD');
    expect(v.verdict).toBe('drop');
    if (v.verdict === 'drop') expect(v.reason).toContain('policy of FORWARD');
  });

  it('applies the chain policy when nothing matches and counts it', () => {
    const ns = load('*filter\n:INPUT DROP [0:0]\n-A INPUT -p udp -j ACCEPT\nCOMMIT\n');
    expect(run(ns, 'INPUT').v.verdict).toBe('drop');
    expect(ns.netfilter!.tables.filter.chains.get('INPUT')!.policyCounters).toEqual({ pkts: 1, bytes: 60 });
  });

  it('matches interfaces with + wildcards and inversions', () => {
    const ns = load('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -i cni+ ! -o cni0 -j DROP\nCOMMIT\n');
    expect(run(ns, 'FORWARD').v.verdict).toBe('drop');
  });

  it('REJECT tells the walk which error to send', () => {
    const ns = load('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -p tcp -m tcp --dport 80 -j REJECT --reject-with tcp-reset\nCOMMIT\n');
    const { v } = run(ns, 'FORWARD');
    expect(v.verdict).toBe('reject');
    if (v.verdict === 'reject') expect(v.reply).toBe('tcp-reset');
  });

  it('updates per-rule counters for matched rules only', () => {
    const ns = load('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -p udp -j DROP\n-A FORWARD -p tcp\n-A FORWARD -j ACCEPT\nCOMMIT\n');
    run(ns, 'FORWARD'); run(ns, 'FORWARD');
    const rules = ns.netfilter!.tables.filter.chains.get('FORWARD')!.rules;
    expect(rules.map((r) => r.counters.pkts)).toEqual([0, 2, 2]);
  });

  it('MARK changes the packet mark and later rules see it', () => {
    const ns = load('*mangle\n:FORWARD ACCEPT [0:0]\n-A FORWARD -j MARK --set-xmark 0x4000/0x4000\nCOMMIT\n*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m mark --mark 0x4000/0x4000 -j DROP\nCOMMIT\n');
    const { v } = run(ns, 'FORWARD');
    expect(v.verdict).toBe('drop');
    expect(v.packet.mark).toBe(0x4000);
  });

  it('reports the linear rule count even when the dispatch index skips rules', () => {
    const lines = ['*nat', ':OUTPUT ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', '-A OUTPUT -j KUBE-SERVICES'];
    for (let i = 0; i < 100; i++) lines.push(`-A KUBE-SERVICES -d 10.96.0.${i + 1}/32 -p tcp -m tcp --dport 80 -j RETURN`);
    lines.push('COMMIT');
    const ns = load(`${lines.join('\n')}\n`);
    const c = collect();
    netfilterEngine.runHook(ns, 'OUTPUT', tcp('192.168.1.10', 40000, '10.96.0.50', 80), ctx(), c.emit);
    const svc = c.events.find((e) => detailRecord(e)['chain'] === 'KUBE-SERVICES')!;
    expect(detailRecord(svc)['evaluated']).toBe(50);
    expect((detailRecord(svc)['rules'] as unknown[]).length).toBe(1);
    // Same answer as a linear walk: the rule that matched is rule 50.
    expect((detailRecord(svc)['matchedRule'] as { index: number }).index).toBe(50);
  });

  it('a namespace without netfilter state accepts everything', () => {
    const ns = nodeNs();
    expect(netfilterEngine.runHook(ns, 'INPUT', tcp('1.1.1.1', 1, '2.2.2.2', 2), ctx(), () => {}).verdict).toBe('accept');
  });
});

describe('LOG', () => {
  it('emits the kernel log line and continues', () => {
    const ns = load('*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -p tcp -j LOG --log-prefix "fwd: "\n-A FORWARD -j DROP\nCOMMIT\n');
    const { v, events } = run(ns, 'FORWARD');
    expect(v.verdict).toBe('drop');
    expect(events.map(summaryOf)).toContain('LOG fwd: IN=cni0 OUT=eth0 SRC=10.244.1.2 DST=10.0.0.9 LEN=60 TTL=64 PROTO=TCP SPT=40000 DPT=80');
  });
});
