/**
 * Issue 16: a rule that fails to load never fails silently. An SCTP Service port loads (it once
 * threw away a node's whole nat table); when a restore does fail, the learner sees it in `knp
 * check`, in kube-proxy's log and in the trace of a packet that then misses the rules — for
 * iptables-restore and for kube-proxy's nftables transaction alike.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine';
import { installRules, type NftLoadFn } from '../../../src/engine/agents/kubeproxy/install';
import { nftLoad } from '../../../src/engine/netfilter/nft/ruleset';
import { restoreDiagnostics } from '../../../src/engine/agents/restoreFailures';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import { parseIptables } from '../../../src/engine/netfilter/parse';
import { runLine } from '../../../src/engine/shell/run';
import { parseTarget } from '../../../src/engine/shell/types';
import { walk } from '../../../src/engine/stack/walk';

const yaml = readFileSync(new URL('./sctp.yaml', import.meta.url), 'utf8');
const sh = (sim: ReturnType<typeof buildSim>['sim'], target: string, line: string) => runLine(sim, parseTarget(target)!, line);

describe('SCTP rules load', () => {
  it('parses -p sctp -m sctp --dport / --sport and saves them back', () => {
    const r = parseIptables(['-A', 'X', '-p', 'sctp', '-m', 'sctp', '--dport', '53', '--sport', '1000:2000', '-j', 'ACCEPT']);
    expect(r.ok).toBe(true);
    expect(parseIptables(['-A', 'X', '-p', 'tcp', '-m', 'sctp', '--dport', '53', '-j', 'ACCEPT'])).toMatchObject({ ok: false, error: expect.stringContaining('sctp match: only valid for protocol 132') });
  });

  it('a Service with 53/SCTP beside 53/UDP keeps the node\'s whole nat table', () => {
    const { sim, diagnostics } = buildSim(yaml);
    expect(diagnostics.filter((d) => d.code === 'iptables-restore-failed')).toEqual([]);
    const nat = sh(sim, 'node/node-1', 'iptables-save -t nat').stdout;
    expect(nat).toContain('-A KUBE-SERVICES -d');
    expect(nat).toMatch(/-p sctp -m comment --comment "default\/dns:sctp cluster IP" -m sctp --dport 53 -j KUBE-SVC-/);
    expect(nat).toMatch(/-A KUBE-SEP-\w+ -p udp .* -j DNAT/);
    // ... and the ClusterIP still works for TCP beside it.
    expect(walk(sim, { from: 'pod/default/client', to: 'http://dns.default.svc.cluster.local/' }).verdict).toBe('delivered');
  });
});

describe('a failed restore is reported', () => {
  // A writer emits a match this iptables cannot load (as SCTP once was): same line numbers.
  const broken = (ns: Parameters<typeof iptablesRestore>[0], text: string) => iptablesRestore(ns, text.replace('-m sctp', '-m bogus'));

  it('names node, writer and offending line in a diagnostic, kube-proxy\'s log and the trace', () => {
    const { sim } = buildSim(yaml);
    // The nodes boot with the broken writer: no earlier rules to keep.
    for (const ns of sim.net.namespaces.values()) delete (ns as { netfilter?: unknown }).netfilter;
    const results = installRules(sim, broken);
    const failed = results.filter((r) => r.failure);
    expect(failed.map((r) => r.machine)).toEqual(['node/node-1', 'node/node-2']);
    expect(failed[0]!.failure).toMatchObject({ writer: 'kube-proxy', tables: ['nat'], text: expect.stringContaining('-A KUBE-SERVICES -m comment --comment \"default/dns:sctp cluster IP\"') });

    const diags = restoreDiagnostics(sim.model, sim.net, sim.file);
    expect(diags).toHaveLength(2);
    expect(diags[0]).toMatchObject({ code: 'iptables-restore-failed', severity: 'error' });
    expect(diags[0]!.message).toMatch(/^node\/node-1: kube-proxy's rules did not load: line \d+ failed: .*Couldn't load match `bogus'.*-A KUBE-SERVICES .*dns:sctp cluster IP.*nat table is missing/);
    // Placed on the Service the rule serves (its `kind:` line), not on line 1.
    expect(diags[0]!.line).toBeGreaterThan(20);

    const pods = sh(sim, 'node/node-1', 'kubectl get pods -n kube-system -o wide').stdout;
    const proxyPod = /^(kube-proxy-\w+)\s.*node-1/m.exec(pods)![1]!;
    const log = sh(sim, 'node/node-1', `kubectl logs -n kube-system ${proxyPod}`);
    expect(log.exitCode).toBe(0);
    expect(log.stdout).toContain('"Failed to execute iptables-restore"');
    expect(log.stdout).toMatch(/writer="kube-proxy" line="-A KUBE-SERVICES .*dns:sctp cluster IP/);

    // The packet that then misses kube-proxy's rules carries the failure in its trace.
    const t = walk(sim, { from: 'pod/default/client', to: 'http://dns.default.svc.cluster.local/' });
    expect(t.verdict).not.toBe('delivered');
    const ev = t.events.find((e) => e.detail?.restoreFailed === true);
    expect(ev?.summary).toMatch(/iptables-restore by kube-proxy failed on node\/node-\d.*the nat table was not loaded/);
  });

  it('a healthy node logs no failure', () => {
    const { sim } = buildSim(yaml);
    const pods = sh(sim, 'node/node-1', 'kubectl get pods -n kube-system').stdout;
    const proxyPod = /^(kube-proxy-\w+)/m.exec(pods)![1]!;
    const log = sh(sim, 'node/node-1', `kubectl logs -n kube-system ${proxyPod}`).stdout;
    expect(log).toContain('"Using iptables proxy"');
    expect(log).not.toContain('Failed');
  });
});

describe('NAT targets with a port need a protocol with ports (libxt_DNAT), as the kernel tier found', () => {
  it('refuses DNAT/REDIRECT to a port without -p tcp|udp|sctp|dccp', () => {
    expect(parseIptables(['-t', 'nat', '-A', 'X', '-j', 'DNAT', '--to-destination', '10.0.0.1:80'])).toMatchObject({ ok: false, error: expect.stringContaining('Need TCP, UDP, SCTP or DCCP with port specification') });
    expect(parseIptables(['-t', 'nat', '-A', 'X', '-j', 'REDIRECT', '--to-ports', '8080'])).toMatchObject({ ok: false });
    expect(parseIptables(['-t', 'nat', '-A', 'X', '-p', 'sctp', '-j', 'DNAT', '--to-destination', '10.0.0.1:80']).ok).toBe(true);
    expect(parseIptables(['-t', 'nat', '-A', 'X', '-j', 'DNAT', '--to-destination', '10.0.0.1']).ok).toBe(true);
  });
});

describe('a failed nftables transaction is reported', () => {
  const nftYaml = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8').replace('kubeProxy: {mode: iptables}', 'kubeProxy: {mode: nftables}');
  // A kernel refusing one expression of the transaction (here my-nginx's numgen, as one without
  // nft_numgen would): nft -f fails as a whole.
  const noNumgen: NftLoadFn = (st, text) => {
    const at = text.split('\n').findIndex((l) => l.includes('numgen random') && l.includes('/my-nginx/'));
    return at < 0 ? nftLoad(st, text) : { ok: false, line: at + 1, error: 'Could not process rule: No such file or directory' };
  };

  it('names the node and the offending line in a diagnostic on the Service, kube-proxy\'s log and the trace; nothing of the transaction applies', () => {
    const { sim } = buildSim(nftYaml);
    for (const ns of sim.net.namespaces.values()) delete (ns as { nft?: unknown }).nft;
    installRules(sim, undefined, noNumgen);
    expect(sh(sim, 'node/node-1', 'nft list tables').stdout).toBe('');
    const diags = restoreDiagnostics(sim.model, sim.net, sim.file).filter((d) => d.code === 'nftables-load-failed');
    expect(diags.map((d) => d.message.split(':')[0])).toEqual(['node/node-1', 'node/node-2']);
    expect(diags[0]!.message).toMatch(/kube-proxy's nftables transaction did not load: line \d+: Could not process rule: No such file or directory: add rule ip kube-proxy service-[A-Z2-7]{8}-default\/my-nginx\/tcp\/ numgen random mod \d vmap/);
    // On the Service whose chain the line belongs to, not on line 1.
    expect(diags[0]!.line).toBeGreaterThan(1);

    const pods = sh(sim, 'node/node-1', 'kubectl get pods -n kube-system -o wide').stdout;
    const proxyPod = /^(kube-proxy-\w+)\s.*node-1/m.exec(pods)![1]!;
    const log = sh(sim, 'node/node-1', `kubectl logs -n kube-system ${proxyPod}`).stdout;
    expect(log).toContain('"Using nftables proxy"');
    expect(log).toMatch(/"nftables sync failed" err="\/dev\/stdin:\d+:1-\d+: Error: Could not process rule: No such file or directory"/);
    expect(log).toContain('"Sync failed" ipFamily="IPv4" retryingTime="30s"');

    const t = walk(sim, { from: 'pod/default/client', to: 'http://my-nginx/' });
    expect(t.verdict).not.toBe('delivered');
    expect(t.events.some((e) => e.type === 'netfilter' && /nft -f by kube-proxy failed on node\/node-\d .*the ip kube-proxy table holds none/.test(e.summary))).toBe(true);
  });

  it('a healthy load leaves no failure behind', () => {
    const { sim, diagnostics } = buildSim(nftYaml);
    expect(diagnostics.filter((d) => d.code === 'nftables-load-failed')).toEqual([]);
    const pods = sh(sim, 'node/node-1', 'kubectl get pods -n kube-system').stdout;
    const log = sh(sim, 'node/node-1', `kubectl logs -n kube-system ${/^(kube-proxy-\w+)/m.exec(pods)![1]!}`).stdout;
    expect(log).not.toContain('sync failed');
  });
});
