/**
 * nf_tables: `nft -f` loading (atomic, errors by line), `nft list` printing, the evaluator
 * (verdict maps, numgen, marks, NAT statements), base chains at their priorities beside
 * iptables' tables, and kube-proxy's nftables mode end to end: the golden of
 * `nft list table ip kube-proxy` and Pod→ClusterIP / host→NodePort traces.
 * Regenerate goldens with UPDATE_GOLDEN=1 npx vitest run test/unit/netfilter/nft.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { baseChains, runBaseChain } from '../../../src/engine/netfilter/nft/eval';
import { newNftState, nftLoad, parseRule, ruleText, rulesetText } from '../../../src/engine/netfilter/nft/ruleset';
import type { MatchEnv, PacketView } from '../../../src/engine/netfilter/match';
import type { HookEvent } from '../../../src/engine/netfilter/hook';
import { runLine } from '../../../src/engine/shell/run';
import { walk } from '../../../src/engine/stack/walk';
import { deriveStory } from '../../../src/engine/trace/story';
import { renderMessage } from '../../../src/engine/i18n/messages';
import { formatTrace } from '../../../src/engine/trace/format';
import type { Sim } from '../../../src/engine/sim';

const NODE1 = { kind: 'node', name: 'node-1' } as const;
const GOLDEN = new URL('../../golden/netfilter/', import.meta.url);

function expectGolden(name: string, text: string): void {
  const file = new URL(name, GOLDEN);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden ${name}: run UPDATE_GOLDEN=1 npx vitest run test/unit/netfilter/nft.test.ts`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const SMALL = [
  'add table ip t { comment "demo" ; }',
  'add chain ip t pre { type nat hook prerouting priority dstnat ; }',
  'add chain ip t post { type nat hook postrouting priority srcnat ; }',
  'add chain ip t ep0',
  'add chain ip t ep1',
  'add chain ip t svc',
  'add chain ip t masq',
  'add map ip t svcs { type ipv4_addr . inet_proto . inet_service : verdict ; }',
  'add rule ip t pre ip daddr . meta l4proto . th dport vmap @svcs',
  'add rule ip t svc numgen random mod 2 vmap { 0 : goto ep0 , 1 : goto ep1 }',
  'add rule ip t ep0 mark set mark or 0x4000',
  'add rule ip t ep0 meta l4proto tcp dnat to 10.0.0.10:8080',
  'add rule ip t ep1 meta l4proto tcp dnat to 10.0.0.11:8080',
  'add rule ip t post jump masq',
  'add rule ip t masq mark and 0x4000 == 0 return',
  'add rule ip t masq mark set mark xor 0x4000',
  'add rule ip t masq masquerade fully-random',
  'add element ip t svcs { 10.96.0.5 . tcp . 80 : goto svc }',
  '',
].join('\n');

function view(dst: string, dport: number, proto = 6): PacketView {
  const [a, b, c, d] = dst.split('.').map(Number) as [number, number, number, number];
  return { src: (10 << 24 | 244 << 16 | 1 << 8 | 4) >>> 0, dst: ((a << 24) | (b << 16) | (c << 8) | d) >>> 0, proto, sport: 40000, dport, tcpFlags: 2, length: 60, ttl: 64 };
}

function env(rand: number, mark = 0): MatchEnv {
  return { bridged: false, now: 0, random: () => rand, ctState: 'NEW', ctSnat: false, ctDnat: false, mark, isLocal: () => false, state: {} as MatchEnv['state'], findSet: () => undefined };
}

describe('nft -f and nft list', () => {
  it('loads a transaction and prints it the way nft list ruleset does', () => {
    const st = newNftState();
    expect(nftLoad(st, SMALL)).toEqual({ ok: true });
    const text = rulesetText(st);
    expect(text).toContain('table ip t {\n\tcomment "demo"\n');
    expect(text).toContain('\tchain pre {\n\t\ttype nat hook prerouting priority dstnat; policy accept;\n\t\tip daddr . meta l4proto . th dport vmap @svcs\n\t}');
    expect(text).toContain('\t\ttype nat hook postrouting priority srcnat; policy accept;');
    expect(text).toContain('\t\tnumgen random mod 2 vmap { 0 : goto ep0, 1 : goto ep1 }');
    expect(text).toContain('\t\tmeta mark set meta mark | 0x00004000\n');
    expect(text).toContain('\t\tmeta mark & 0x00004000 == 0x00000000 return\n');
    expect(text).toContain('\t\tmeta l4proto tcp dnat to 10.0.0.10:8080\n');
    expect(text).toContain('\t\telements = { 10.96.0.5 . tcp . 80 : goto svc }');
  });

  it('is atomic: one bad line rejects the whole file and names the line', () => {
    const st = newNftState();
    const bad = SMALL.replace('add rule ip t ep1 meta l4proto tcp dnat to 10.0.0.11:8080', 'add rule ip t ep1 frobnicate 7');
    const r = nftLoad(st, bad);
    expect(r.ok).toBe(false);
    if (!r.ok) { expect(r.line).toBe(13); expect(r.error).toMatch(/frobnicate/); }
    expect(st.tables).toEqual([]);
    const missing = nftLoad(st, 'add table ip t\nadd rule ip t nowhere accept\n');
    expect(missing).toMatchObject({ ok: false, line: 2 });
    expect(nftLoad(st, 'add table ip t\nadd chain ip t c\nadd rule ip t c jump ghost\n')).toMatchObject({ ok: false, line: 3 });
  });

  it('keeps rule text stable through parse and print', () => {
    for (const r of ['ip daddr @cluster-ips reject comment "x y"', 'ct state new jump firewall-check', 'fib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports', 'ip saddr != { 10.0.0.0/8, 192.168.0.0/16 } drop']) {
      expect(ruleText(parseRule(r, 1))).toBe(r);
    }
  });
});

describe('nft evaluation', () => {
  const st = newNftState();
  nftLoad(st, SMALL);

  it('dispatches by verdict map, picks an endpoint by numgen and ends with the dnat binding', () => {
    const [pre] = baseChains(st, 'PREROUTING');
    for (const [rand, ip] of [[0.1, '10.0.0.10'], [0.9, '10.0.0.11']] as const) {
      const events: HookEvent[] = [];
      const e = env(rand);
      const o = runBaseChain(pre!, 'PREROUTING', view('10.96.0.5', 80), e, (x) => events.push(x));
      expect(o.kind).toBe('nat');
      if (o.kind === 'nat' && o.target.kind === 'DNAT') expect(o.target.to?.minIp).toBe(ip.split('.').reduce((a, b) => ((a << 8) | Number(b)) >>> 0, 0));
      const svc = events.find((x) => x.detail?.['chain'] === 'pre');
      expect(svc?.detail?.['lookups']).toEqual([{ map: '@svcs', key: '10.96.0.5 . tcp . 80', verdict: 'goto svc' }]);
      expect(events[events.length - 1]!.detail?.['verdict']).toBe(`dnat to ${ip}:8080`);
      expect(e.mark).toBe(rand < 0.5 ? 0x4000 : 0);
    }
  });

  it('a key the map does not hold continues with the next rule and ends at the policy', () => {
    const [pre] = baseChains(st, 'PREROUTING');
    expect(runBaseChain(pre!, 'PREROUTING', view('10.96.0.5', 81), env(0), () => {}).kind).toBe('accept');
    expect(runBaseChain(pre!, 'PREROUTING', view('10.96.0.5', 80, 17), env(0), () => {}).kind).toBe('accept');
  });

  it('masquerades only marked packets and clears the mark', () => {
    const [post] = baseChains(st, 'POSTROUTING');
    expect(runBaseChain(post!, 'POSTROUTING', view('10.0.0.10', 8080), env(0), () => {}).kind).toBe('accept');
    const e = env(0, 0x4000);
    const o = runBaseChain(post!, 'POSTROUTING', view('10.0.0.10', 8080), e, () => {});
    expect(o).toMatchObject({ kind: 'nat', target: { kind: 'MASQUERADE', randomFully: true } });
    expect(e.mark).toBe(0);
  });

  it('orders base chains by priority', () => {
    const s = newNftState();
    nftLoad(s, 'add table ip a\nadd chain ip a late { type filter hook output priority 10 ; }\nadd chain ip a early { type filter hook output priority -110 ; }\nadd chain ip a mid { type nat hook output priority -100 ; }\n');
    expect(baseChains(s, 'OUTPUT').map((b) => b.chain.name)).toEqual(['early', 'mid', 'late']);
  });
});

const NFT_YAML = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8').replace('kubeProxy: {mode: iptables}', 'kubeProxy: {mode: nftables}');

function sim(): Sim {
  expect(NFT_YAML).toContain('mode: nftables');
  const { sim: s, diagnostics } = buildSim(NFT_YAML, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return s;
}

describe('kube-proxy in nftables mode (default scenario)', () => {
  it('nft list table ip kube-proxy on node-1 (golden); no KUBE- chains in iptables', () => {
    const s = sim();
    const r = runLine(s, NODE1, 'nft list table ip kube-proxy');
    expect(r.exitCode).toBe(0);
    expectGolden('kube-proxy-nftables-node-1.nft', r.stdout);
    expect(runLine(s, NODE1, 'nft list tables').stdout).toBe('table ip kube-proxy\n');
    expect(runLine(s, NODE1, 'iptables-save -t nat').stdout).not.toContain('KUBE-SERVICES');
    const chain = runLine(s, NODE1, 'nft list chain ip kube-proxy services');
    expect(chain.stdout).toBe('table ip kube-proxy {\n\tchain services {\n\t\tip daddr . meta l4proto . th dport vmap @service-ips\n\t\tfib daddr type local ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports\n\t}\n}\n');
    expect(runLine(s, NODE1, 'nft list chain ip kube-proxy nope').exitCode).toBe(1);
  });

  it('Pod → ClusterIP: delivered, DNAT by an endpoint- chain after the service-ips lookup, reply un-DNATed', () => {
    const s = sim();
    const svc = s.model.services.find((x) => x.meta.name === 'my-nginx')!;
    const trace = walk(s, { from: 'pod/default/client', to: `http://${svc.clusterIP}:80/` });
    expect(trace.verdict).toBe('delivered');
    const nat = trace.events.find((e) => e.type === 'nat' && e.detail?.['kind'] === 'DNAT')!;
    expect(String(nat.detail?.['rule'])).toMatch(/^ip kube-proxy\/endpoint-[A-Z2-7]{8}-default\/my-nginx\/tcp\/__10\.244\.\d+\.\d+\/80 rule 2: meta l4proto tcp dnat to /);
    expect(trace.events.some((e) => e.type === 'netfilter' && (e.detail?.['lookups'] as { map: string }[] | undefined)?.some((l) => l.map === '@service-ips'))).toBe(true);
    expect(trace.events.some((e) => e.type === 'conntrack' && e.detail?.['action'] === 'un-DNAT')).toBe(true);
    const story = deriveStory(trace).map((st) => renderMessage(st.message.code, st.message.params, 'en')).join('\n');
    expect(story).toMatch(/endpoint-[A-Z2-7]{8}-default\/my-nginx/);
    expectGolden('kube-proxy-nftables-clusterip.trace', formatTrace(trace));
  });

  it('host → NodePort: delivered through service-nodeports and external-, masqueraded, reply un-NATed', () => {
    const s = sim();
    const trace = walk(s, { from: 'host/laptop', to: 'http://192.168.1.12:30080/' });
    expect(trace.verdict).toBe('delivered');
    expect(trace.events.some((e) => e.type === 'netfilter' && (e.detail?.['lookups'] as { map: string; verdict: string }[] | undefined)?.some((l) => l.map === '@service-nodeports' && l.verdict.startsWith('goto external-')))).toBe(true);
    const dnat = trace.events.find((e) => e.type === 'nat' && e.detail?.['kind'] === 'DNAT')!;
    expect(String(dnat.detail?.['rule'])).toMatch(/endpoint-.*my-nginx-nodeport/);
    expect(trace.events.some((e) => e.type === 'nat' && e.detail?.['kind'] === 'SNAT' && String(e.detail?.['rule']).includes('masquerading'))).toBe(true);
    expect(trace.events.some((e) => e.type === 'conntrack' && e.detail?.['action'] === 'un-DNAT')).toBe(true);
    expectGolden('kube-proxy-nftables-nodeport.trace', formatTrace(trace));
  });

  it('a Service without endpoints is rejected by filter-forward through @no-endpoint-services', () => {
    const yaml = `${NFT_YAML}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ghost}\nspec:\n  selector: {run: nobody}\n  ports:\n    - {port: 80, targetPort: 80}\n`;
    const { sim: s, diagnostics } = buildSim(yaml, { seed: 1 });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const ip = s.model.services.find((x) => x.meta.name === 'ghost')!.clusterIP!;
    expect(runLine(s, NODE1, 'nft list map ip kube-proxy no-endpoint-services').stdout).toContain(`${ip} . tcp . 80 comment "default/ghost" : goto reject-chain`);
    const trace = walk(s, { from: 'pod/default/client', to: `http://${ip}:80/` });
    expect(trace.verdict).toBe('refused');
    const lookup = trace.events.find((e) => e.type === 'netfilter' && e.detail?.['chain'] === 'service-endpoints-check' && (e.detail?.['lookups'] as { verdict: string | null }[] | undefined)?.some((l) => l.verdict === 'goto reject-chain'));
    expect(lookup?.detail?.['hook']).toBe('FORWARD');
    expect(trace.events.some((e) => e.type === 'netfilter' && e.detail?.['chain'] === 'reject-chain' && e.detail?.['verdict'] === 'reject')).toBe(true);
  });

  it('is deterministic: the same YAML and seed give the same trace', () => {
    const a = formatTrace(walk(sim(), { from: 'pod/default/client', to: 'http://my-nginx/' }));
    const b = formatTrace(walk(sim(), { from: 'pod/default/client', to: 'http://my-nginx/' }));
    expect(a).toBe(b);
  });
});

describe('kube-proxy in nftables mode: session affinity and --nodeport-addresses', () => {
  const AFFINITY_YAML = NFT_YAML.replace('spec:\n  selector: {run: my-nginx}\n  ports:\n    - {port: 80, targetPort: 80, protocol: TCP}', 'spec:\n  selector: {run: my-nginx}\n  sessionAffinity: ClientIP\n  ports:\n    - {port: 80, targetPort: 80, protocol: TCP}');

  it('ClientIP affinity: one dynamic affinity- set per endpoint, filled from the packet path; the client stays on one endpoint until the timeout', () => {
    expect(AFFINITY_YAML).toContain('sessionAffinity: ClientIP');
    const { sim: s, diagnostics } = buildSim(AFFINITY_YAML, { seed: 1 });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const table = runLine(s, NODE1, 'nft list table ip kube-proxy').stdout;
    const sets = [...table.matchAll(/\tset (affinity-[A-Z2-7]{8}-default\/my-nginx\/tcp\/__10\.244\.\d+\.\d+\/80) \{\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 3h\n\t\}/g)].map((m) => m[1]!);
    expect(sets).toHaveLength(2);
    // The service chain checks each endpoint's set before the random choice; the endpoint chain records the source.
    const svcChain = /\tchain (service-[A-Z2-7]{8}-default\/my-nginx\/tcp\/) \{\n([^}]*)\}/.exec(table)!;
    const rules = svcChain[2]!.trim().split('\n').map((l) => l.trim());
    expect(rules.slice(1, 3).every((r) => /^ip saddr @affinity-\S+ goto endpoint-\S+$/.test(r))).toBe(true);
    expect(rules[3]).toMatch(/^numgen random mod 2 vmap/);
    expect(table).toMatch(/\t\tupdate @affinity-\S+ \{ ip saddr \}\n\t\tmeta l4proto tcp dnat to/);

    const responders = new Set<string | null>();
    for (let i = 0; i < 12; i++) responders.add(walk(s, { from: 'pod/default/client', to: 'http://my-nginx/' }).responder);
    expect(responders.size).toBe(1);
    const client = s.model.pods.find((p) => p.meta.name === 'client')!.podIP!;
    const listed = sets.map((n) => runLine(s, NODE1, `nft list set ip kube-proxy ${n}`).stdout).filter((t) => t.includes('elements'));
    const clientNode = s.model.pods.find((p) => p.meta.name === 'client')!.nodeName;
    const onClientNode = sets.map((n) => runLine(s, { kind: 'node', name: clientNode! }, `nft list set ip kube-proxy ${n}`).stdout).filter((t) => t.includes('elements'));
    // The walks take no simulated time; nft prints the expiry relative to the clock.
    expect([...listed, ...onClientNode].join('')).toContain(`elements = { ${client} expires 3h }`);
    s.now += 60_000;
    expect(sets.map((n) => runLine(s, { kind: 'node', name: clientNode! }, `nft list set ip kube-proxy ${n}`).stdout).join('')).toContain(`elements = { ${client} expires 2h59m }`);
    // Past the timeout the element is gone, as the set's garbage collector reaps it.
    s.now += 10_800_000;
    const after = sets.map((n) => runLine(s, { kind: 'node', name: clientNode! }, `nft list set ip kube-proxy ${n}`).stdout).join('');
    expect(after).not.toContain('elements');
  });

  it('without affinity the same twelve requests reach both endpoints (the check above can fail)', () => {
    const s = sim();
    const responders = new Set<string | null>();
    for (let i = 0; i < 12; i++) responders.add(walk(s, { from: 'pod/default/client', to: 'http://my-nginx/' }).responder);
    expect(responders.size).toBe(2);
  });

  it('--nodeport-addresses: the nodeport-ips set replaces fib daddr type local, and only those addresses take NodePorts', () => {
    const yaml = NFT_YAML.replace('kubeProxy: {mode: nftables}', 'kubeProxy: {mode: nftables, nodePortAddresses: [192.168.1.12/32]}');
    const { sim: s, diagnostics } = buildSim(yaml, { seed: 1 });
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const node2 = { kind: 'node', name: 'node-2' } as const;
    expect(runLine(s, node2, 'nft list set ip kube-proxy nodeport-ips').stdout).toBe('table ip kube-proxy {\n\tset nodeport-ips {\n\t\ttype ipv4_addr\n\t\tcomment "IPs that accept NodePort traffic"\n\t\telements = { 192.168.1.12 }\n\t}\n}\n');
    expect(runLine(s, NODE1, 'nft list set ip kube-proxy nodeport-ips').stdout).not.toContain('elements');
    expect(runLine(s, node2, 'nft list chain ip kube-proxy services').stdout).toContain('\t\tip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports\n');
    expect(walk(s, { from: 'host/laptop', to: 'http://192.168.1.12:30080/' }).verdict).toBe('delivered');
    expect(walk(s, { from: 'host/laptop', to: 'http://192.168.1.11:30080/' }).verdict).not.toBe('delivered');
  });
});
