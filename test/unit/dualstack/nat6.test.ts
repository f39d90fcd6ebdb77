/** IPv6 NAT (issue #18): ip6tables NAT targets, ip6tables-restore, kube-proxy's IPv6 rules in the walk. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine } from '../../../src/engine';
import { kubeProxyIp6tables } from '../../../src/engine/agents/kubeproxy/iptables6';
import { parseIptables } from '../../../src/engine/netfilter/parse';
import { formatRule } from '../../../src/engine/netfilter/format';
import { walk } from '../../../src/engine/stack/walk';
import { installRules } from '../../../src/engine/agents/kubeproxy/install';
import { restoreDiagnostics } from '../../../src/engine/agents/restoreFailures';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import { nftLoad } from '../../../src/engine/netfilter/nft/ruleset';
import type { Sim } from '../../../src/engine/sim';

const DS = readFileSync('test/golden/kubectl/scenarios/dualstack6.yaml', 'utf8');
const n1 = { kind: 'node', name: 'node-1' } as const;
const n2 = { kind: 'node', name: 'node-2' } as const;
const client = { kind: 'pod', namespace: 'default', name: 'client' } as const;
const sim = (): Sim => buildSim(DS, { seed: 1 }).sim;

/** An ip6tables rule as ip6tables-save prints it back. */
function saved(args: string): string {
  const r = parseIptables(args.split(' '));
  if (!r.ok) throw new Error(r.error);
  const c = r.value.command;
  if (c.op !== 'A') throw new Error('not -A');
  return formatRule(c.chain, c.rule);
}

describe('ip6tables NAT targets', () => {
  it('parses DNAT to [v6]:port, [v6], a bare v6 address and a range, printing them as ip6tables-save does', () => {
    expect(saved('-A X -p tcp -j DNAT --to-destination [FD00::3]:8080')).toBe('-A X -p tcp -j DNAT --to-destination [fd00::3]:8080');
    expect(saved('-A X -j DNAT --to-destination [fd00::3]')).toBe('-A X -j DNAT --to-destination fd00::3');
    expect(saved('-A X -j DNAT --to-destination fd00::3')).toBe('-A X -j DNAT --to-destination fd00::3');
    expect(saved('-A X -p udp -j SNAT --to-source [fd00::1-fd00::9]:1000-2000 --random-fully')).toBe('-A X -p udp -j SNAT --to-source [fd00::1-fd00::9]:1000-2000 --random-fully');
    expect(saved('-A X -s fd00:10:244::/56 ! -d ::1/128 -j MASQUERADE --random-fully')).toBe('-A X -s fd00:10:244::/56 ! -d ::1/128 -j MASQUERADE --random-fully');
    expect(parseIptables('-A X -j DNAT --to-destination [fd00::zz]:80'.split(' ')).ok).toBe(false);
    expect(parseIptables('-A X -j DNAT --to-destination [fd00::3'.split(' ')).ok).toBe(false);
  });

  it('DNAT in ip6tables rewrites the destination and conntrack reverses it on the reply; conntrack -L -f ipv6 shows both tuples', () => {
    const s = sim();
    const web6b = 'fd00:10:244:1::3';
    expect(runLine(s, n1, `ip6tables -t nat -I PREROUTING -d fd00:10:244:1::99/128 -p tcp --dport 80 -j DNAT --to-destination [${web6b}]:80`).exitCode).toBe(0);
    const t = walk(s, { from: 'pod/default/client', to: '[fd00:10:244:1::99]:80' });
    expect(t.verdict).toBe('delivered');
    const nat = t.events.find((e) => e.type === 'nat')!;
    expect(nat.detail).toMatchObject({ kind: 'DNAT', before: '[fd00:10:244:1::99]:80', after: `[${web6b}]:80` });
    // The client's socket sees the answer from the address it asked.
    const back = t.events.filter((e) => e.type === 'conntrack' && (e.detail as { action?: string }).action === 'un-DNAT');
    expect(back.length).toBeGreaterThan(0);
    expect(back[0]!.detail).toMatchObject({ before: `[${web6b}]:80`, after: '[fd00:10:244:1::99]:80' });
    const ct = runLine(s, n1, 'conntrack -L -f ipv6 -p tcp').stdout;
    const me = s.model.pods.find((p) => p.meta.name === 'client')!.podIPs!.find((a) => a.includes(':'))!;
    expect(ct).toMatch(new RegExp(`src=${me} dst=fd00:10:244:1::99 sport=\\d+ dport=80 src=${web6b} dst=${me} sport=80`));
    expect(runLine(s, n1, 'conntrack -L -p tcp').stdout).not.toContain('fd00:');
  });

  it('a DROP inserted with ip6tables -I stops the next packet to the IPv6 clusterIP, and IPv4 to the same Service still passes', () => {
    const s = sim();
    expect(walk(s, { from: 'pod/default/client', to: '[fd00:10:96::80]:80' }).verdict).toBe('delivered');
    expect(runLine(s, n1, 'ip6tables -I FORWARD -d fd00:10:244::/56 -p tcp --dport 80 -j DROP').exitCode).toBe(0);
    const t = walk(s, { from: 'pod/default/client', to: '[fd00:10:96::80]:80' });
    expect(t.verdict).not.toBe('delivered');
    expect(t.events.some((e) => e.type === 'drop' && e.where.ns === 'node/node-1')).toBe(true);
    expect(walk(s, { from: 'pod/default/client', to: '10.96.0.80:80' }).verdict).toBe('delivered');
  });

  it('MASQUERADE picks the outgoing device\'s IPv6 address; REDIRECT in OUTPUT goes to ::1', () => {
    const s = sim();
    const t = walk(s, { from: 'node/node-1', to: '[fd00:192:168:1::12]:30086' });
    expect(t.verdict).toBe('delivered');
    const snat = t.events.find((e) => e.type === 'nat' && (e.detail as { kind?: string }).kind === 'SNAT')!;
    expect((snat.detail as { after: string }).after).toMatch(/^\[fd00:10:244:1::1\]:\d+$/);
    expect(runLine(s, n2, 'ip6tables -t nat -A OUTPUT -d fd00:10:244:1::77/128 -p tcp -j REDIRECT --to-ports 8080').exitCode).toBe(0);
    const r = walk(s, { from: 'node/node-2', to: '[fd00:10:244:1::77]:80' });
    expect(r.events.find((e) => e.type === 'nat')!.detail).toMatchObject({ after: '[::1]:8080' });
  });
});

describe('each tool its own family', () => {
  it('ip6tables refuses an IPv4 address and iptables an IPv6 one, as the real tools cannot resolve them', () => {
    const s = sim();
    const e6 = runLine(s, n1, 'ip6tables -A INPUT -s 10.0.0.1 -j DROP');
    expect([e6.exitCode, e6.stderr.split('\n')[0]]).toEqual([2, "ip6tables v1.8.9 (nf_tables): host/network `10.0.0.1' not found"]);
    const e4 = runLine(s, n1, 'iptables -t nat -A OUTPUT -p tcp -j DNAT --to-destination [fd00::1]:80');
    expect([e4.exitCode, e4.stderr.split('\n')[0]]).toEqual([2, 'iptables v1.8.9 (nf_tables): Bad IP address "[fd00::1]:80"']);
    expect(runLine(s, n1, 'ip6tables -t nat -A OUTPUT -p tcp -j DNAT --to-destination [fd00::1]:80').exitCode).toBe(0);
    expect(runLine(s, n1, 'iptables -t nat -A OUTPUT -p tcp -j DNAT --to-destination :8080').exitCode).toBe(0);
  });
});

describe('ip6tables-restore', () => {
  it('loads into the IPv6 tables only, --noflush keeps what is there, and a bad line is reported with its number', () => {
    const s = sim();
    const before = runLine(s, n1, 'ip6tables-save -t nat').stdout;
    const ok = runLine(s, n1, 'ip6tables-restore --noflush <<EOF\n*nat\n:TEST6 - [0:0]\n-A TEST6 -p tcp -j DNAT --to-destination [fd00::3]:80\nCOMMIT\nEOF');
    expect(ok.exitCode).toBe(0);
    const after = runLine(s, n1, 'ip6tables-save -t nat').stdout;
    expect(after).toContain('-A TEST6 -p tcp -j DNAT --to-destination [fd00::3]:80');
    expect(after).toContain('KUBE-SERVICES');
    expect(runLine(s, n1, 'iptables-save -t nat').stdout).not.toContain('TEST6');
    const bad = runLine(s, n1, 'ip6tables-restore -n <<EOF\n*nat\n:TEST7 - [0:0]\n-A TEST7 -p tcp -j DNAT --to-destination [fd00::zz]:80\nCOMMIT\nEOF');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toContain('ip6tables-restore v1.8.9 (nf_tables): line 3 failed');
    expect(bad.stderr).toContain('Error occurred at line: 3');
    expect(runLine(s, n1, 'ip6tables-save -t nat').stdout).not.toContain('TEST7');
    // Without --noflush the table is replaced: kube-proxy's chains are gone.
    expect(runLine(s, n1, 'ip6tables-restore <<EOF\n*nat\n:TEST8 - [0:0]\nCOMMIT\nEOF').exitCode).toBe(0);
    const flushed = runLine(s, n1, 'ip6tables-save -t nat').stdout;
    expect(flushed).toContain(':TEST8');
    expect(flushed).not.toContain('KUBE-SERVICES');
    expect(before).not.toBe(flushed);
  });

  it('after install, ip6tables-save holds every rule kube-proxy\'s IPv6 proxier wrote (iptables-save\'s option order aside)', () => {
    const s = sim();
    const written = kubeProxyIp6tables(s.model, s.model.nodes[0]!);
    const live = runLine(s, n1, 'ip6tables-save').stdout;
    const rules = written.split('\n').filter((l) => l.startsWith('-A '));
    expect(rules.length).toBeGreaterThan(10);
    // Each of kube-proxy's chains holds as many rules live as it wrote (its own chains: nothing else writes them).
    const count = (text: string, chain: string): number => text.split('\n').filter((l) => l.startsWith(`-A ${chain} `)).length;
    const chains = written.split('\n').filter((l) => l.startsWith(':KUBE-')).map((l) => l.slice(1, l.indexOf(' ')));
    for (const c of chains.filter((x) => /^KUBE-(SVC|SEP|EXT|MARK-MASQ|POSTROUTING|NODEPORTS)/.test(x))) expect([c, count(live, c)]).toEqual([c, count(written, c)]);
    // And each endpoint's DNAT and each Service's capture rule, as ip6tables-save prints them.
    for (const m of written.matchAll(/-A (KUBE-SEP-\w+) .*-j DNAT --to-destination (\S+)/g)) expect(live).toMatch(new RegExp(`-A ${m[1]} -p tcp .*-j DNAT --to-destination ${m[2]!.replace(/[[\]]/g, '\\$&')}`));
    expect(live).toContain('-A KUBE-SERVICES ! -d ::1/128 -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
    expect(runLine(s, n1, 'ip6tables-save -t mangle').stdout).toContain(':KUBE-IPTABLES-HINT - [0:0]');
    expect(runLine(s, n1, 'ip6tables-save -t filter').stdout).not.toContain('KUBE-FIREWALL');
  });

  it('a failed IPv6 load is never silent: the install result, the namespace, the diagnostic and the trace say so', () => {
    const s = sim();
    // A writer's IPv6 line that ip6tables-restore rejects (line 5 of the node's IPv6 input).
    const broken = (ns: Parameters<typeof iptablesRestore>[0], text: string): ReturnType<typeof iptablesRestore> => {
      const lines = text.split('\n');
      lines[4] = '-A PREROUTING -j DNAT --to-destination [fd00::zz]:80';
      return iptablesRestore(ns, lines.join('\n'), { family: 6 });
    };
    const res = installRules(s, (ns, text) => iptablesRestore(ns, text), nftLoad, broken);
    const r1 = res.find((r) => r.machine === 'node/node-1')!;
    expect(r1.error).toContain('ip6tables-restore: line 5 failed');
    expect(s.net.namespaces.get('node/node-1')!.netfilter6!.restoreFailure).toMatchObject({ line: 5, machine: 'node/node-1' });
    const d = restoreDiagnostics(s.model, s.net, 'scenario.yaml').filter((x) => x.code === 'iptables-restore-failed');
    expect(d.map((x) => x.message).join('\n')).toContain('ip6tables-restore: line 5 failed');
    const t = walk(s, { from: 'pod/default/client', to: '[fd00:10:96::80]:80' });
    expect(t.events.some((e) => (e.detail as { restoreFailed?: boolean } | undefined)?.restoreFailed)).toBe(true);
  });

  it('an IPv4-only cluster has no IPv6 tables at all', () => {
    const v4 = buildSim(readFileSync('content/scenarios/default.yaml', 'utf8'), { seed: 1 }).sim;
    expect(runLine(v4, n1, 'ip6tables-save').stdout).toBe('');
    expect([...v4.net.namespaces.values()].some((ns) => ns.netfilter6)).toBe(false);
  });
});

describe('an IPv6 Service under the other kube-proxy modes', () => {
  const withMode = (mode: string): Sim => buildSim(DS.replace('spec:\n  podCIDR:', `spec:\n  kubeProxy: {mode: ${mode}}\n  podCIDR:`), { seed: 1 }).sim;

  it('nftables: IPv6 packets traverse the ip6 kube-proxy table (service-ips map, dnat to [ip]:port), IPv4 ones the ip table', () => {
    const s = withMode('nftables');
    const t = walk(s, { from: 'pod/default/client', to: '[fd00:10:96::80]:80' });
    expect(t.verdict).toBe('delivered');
    const tables = new Set(t.events.filter((e) => e.type === 'netfilter' && (e.detail as { nft?: boolean }).nft).map((e) => (e.detail as { table: string }).table));
    expect([...tables]).toEqual(['ip6 kube-proxy']);
    expect(t.events.find((e) => e.type === 'nat')!.detail).toMatchObject({ kind: 'DNAT', before: '[fd00:10:96::80]:80' });
    const np = walk(s, { from: 'node/node-1', to: '[fd00:192:168:1::12]:30086' });
    expect(np.verdict).toBe('delivered');
    const t4 = walk(s, { from: 'pod/default/client', to: '10.96.0.80:80' });
    expect(t4.events.some((e) => (e.detail as { table?: string } | undefined)?.table === 'ip6 kube-proxy')).toBe(false);
  });

  it('IPVS: the IPv6 virtual servers\' addresses are on kube-ipvs0 with local routes, and IPVS schedules the IPv6 connection', () => {
    const s = withMode('ipvs');
    expect(runLine(s, n1, 'ip -6 addr show kube-ipvs0').stdout).toContain('inet6 fd00:10:96::80/128');
    expect(runLine(s, n1, 'ip -6 addr show kube-ipvs0').stdout).not.toContain('fd00:192:168:1::11');
    const t = walk(s, { from: 'pod/default/client', to: '[fd00:10:96::80]:80' });
    expect(t.verdict).toBe('delivered');
    const ev = t.events.find((e) => e.type === 'ipvs')!;
    expect(ev.detail).toMatchObject({ dest: expect.stringMatching(/^\[fd00:10:244:(1)?::3\]:80$/) });
    expect(walk(s, { from: 'node/node-1', to: '[fd00:192:168:1::12]:30086' }).verdict).toBe('delivered');
  });
});
