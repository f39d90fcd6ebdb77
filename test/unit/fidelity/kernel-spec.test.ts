/**
 * Issue 16: kube-proxy on a current kernel. `spec.kernel: {nfacct, randomFully, routeLocalnet}`
 * (all true by default) decides what kube-proxy writes, as upstream's proxier does: nfacct
 * counters on the INVALID drop and the localhost NodePort rules (`nfacct list` shows them move),
 * MASQUERADE --random-fully, NodePorts on 127.0.0.1 through route_localnet.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine } from '../../../src/engine';

const base = readFileSync(new URL('../../../content/scenarios/nodeport.yaml', import.meta.url), 'utf8');
const node = { kind: 'node', name: 'k8s-node01' } as const;
const withKernel = (k: string): string => base.replace(/\n  nodes:/, `\n  kernel: ${k}\n  nodes:`);

describe('spec.kernel', () => {
  it('defaults (a current kernel): nfacct counters, --random-fully, localhost NodePorts', () => {
    const { sim, diagnostics } = buildSim(base);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const save = runLine(sim, node, 'iptables-save').stdout;
    expect(save).toContain('-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name  ct_state_invalid_dropped_pkts -j DROP');
    expect(save).toMatch(/-A KUBE-NODEPORTS -d 127\.0\.0\.0\/8 -p tcp -m comment --comment "default\/nginx-svc" -m tcp --dport 30001 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-/);
    expect(save).toContain('-j MASQUERADE --random-fully');
    expect(runLine(sim, node, 'sysctl net.ipv4.conf.all.route_localnet').stdout).toBe('net.ipv4.conf.all.route_localnet = 1\n');
  });

  it('nfacct list shows the localhost NodePort counter moving', () => {
    const { sim } = buildSim(base);
    const zero = '{ pkts = 00000000000000000000, bytes = 00000000000000000000 }';
    expect(runLine(sim, node, 'nfacct list').stdout).toBe(`${zero} = ct_state_invalid_dropped_pkts;\n${zero} = localhost_nps_accepted_pkts;\n`);
    expect(runLine(sim, node, 'curl -s -o /dev/null -w %{http_code} http://127.0.0.1:30001/').stdout).toBe('200');
    expect(runLine(sim, node, 'nfacct list').stdout).toMatch(/\{ pkts = 00000000000000000001, bytes = 0+[1-9]\d* \} = localhost_nps_accepted_pkts;/);
  });

  it('an older kernel: no nfacct, no --random-fully, no route_localnet', () => {
    const { sim, diagnostics } = buildSim(withKernel('{nfacct: false, randomFully: false, routeLocalnet: false}'));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const save = runLine(sim, node, 'iptables-save').stdout;
    expect(save).not.toContain('nfacct');
    expect(save).not.toContain('--random-fully');
    expect(save).toContain('-A KUBE-SERVICES ! -d 127.0.0.0/8 -m comment --comment "kubernetes service nodeports');
    expect(runLine(sim, node, 'nfacct list').stdout).toBe('');
    expect(runLine(sim, node, 'curl -s -m 1 -o /dev/null -w %{http_code} http://127.0.0.1:30001/').stdout).not.toBe('200');
  });
});
