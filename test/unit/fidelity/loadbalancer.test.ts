/**
 * Issue 16: a LoadBalancer Service is reachable from outside at its EXTERNAL-IP, through a load
 * balancer forwarding to the nodes' NodePorts (Local: only nodes whose health check answers 200),
 * and the trace shows that hop.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine, walk } from '../../../src/engine';

const yaml = readFileSync(new URL('../../kernel/corpus/loadbalancer.yaml', import.meta.url), 'utf8');
const node1 = { kind: 'node', name: 'node-1' } as const;

describe('LoadBalancer Services from outside', () => {
  it('the built-in cloud load balancer gives EXTERNAL-IPs when no role: loadbalancer host is declared', () => {
    const { sim, diagnostics } = buildSim(yaml.replace('role: loadbalancer', 'role: server').replaceAll('status:\n  loadBalancer:\n    ingress: [{ip: 203.0.113.50}]\n', ''));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(runLine(sim, node1, 'kubectl get svc web').stdout).toMatch(/web\s+LoadBalancer\s+\S+\s+198\.18\.0\.10\s+80:30080\/TCP/);
    const t = walk(sim, { from: 'host/laptop', to: 'http://198.18.0.10/' });
    expect(t.verdict).toBe('delivered');
    expect(t.path.map((h) => h.machine)).toContain('host/cloud-lb');
  });

  it('a role: loadbalancer host holds the EXTERNAL-IP and DNATs to a NodePort: the hop is in the trace', () => {
    const { sim } = buildSim(yaml);
    expect(runLine(sim, node1, 'kubectl get svc web').stdout).toMatch(/web\s+LoadBalancer\s+\S+\s+203\.0\.113\.50\s+80:30080\/TCP/);
    const t = walk(sim, { from: 'host/laptop', to: 'http://203.0.113.50/' });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('pod/default/web');
    const lbNat = t.events.find((e) => e.where.machine === 'host/lb' && e.type === 'nat');
    expect(lbNat?.summary).toMatch(/^DNAT dst 203\.0\.113\.50:80 → 192\.168\.1\.1[123]:30080$/);
    expect(t.path.map((h) => h.machine)).toEqual(expect.arrayContaining(['host/laptop', 'host/lb', 'pod/default/web']));
    expect(t.replyPath.map((h) => h.machine)).toContain('host/lb');
  });

  it('externalTrafficPolicy: Local: only the node whose health check answers 200 gets traffic', () => {
    const { sim } = buildSim(yaml);
    const save = runLine(sim, { kind: 'host', name: 'lb' }, 'iptables-save -t nat').stdout;
    expect(save).toMatch(/default\/web-local:http -> node node-2 healthz 192\.168\.1\.12:32000 200 localEndpoints=1" -m tcp -j DNAT --to-destination 192\.168\.1\.12:30081/);
    expect(save).not.toMatch(/web-local:http -> node node-1/);
    for (let i = 0; i < 4; i++) {
      const t = walk(sim, { from: 'host/laptop', to: 'http://203.0.113.50:8080/' });
      expect(t.verdict).toBe('delivered');
      expect(t.events.some((e) => e.type === 'nat' && e.where.machine === 'host/lb' && e.summary.includes('192.168.1.12:30081'))).toBe(true);
    }
  });
});
