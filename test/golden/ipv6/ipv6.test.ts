/**
 * IPv6 golden texts (issue #18, stage 2a) on content/scenarios/dual-stack.yaml and
 * ipv6-only.yaml (the bridge plugin): Pod→Pod across nodes by IPv6 as traces, `ping -6` and the
 * node's `ip -6` views after it; Services over IPv6 (issue #18: ip6tables NAT) as short digests
 * of their traces and a shell transcript. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/ipv6
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Sim } from '../../../src/engine/sim';
import { walk } from '../../../src/engine/stack/walk';
import { formatEvent, formatPath, formatTrace } from '../../../src/engine/trace/format';
import type { Trace } from '../../../src/engine/trace/types';

const DIR = new URL('./', import.meta.url);
const scenario = (name: string): string => readFileSync(new URL(`../../../content/scenarios/${name}.yaml`, import.meta.url), 'utf8');

function expectGolden(name: string, text: string): void {
  const file = new URL(`${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden ${name}.txt: run UPDATE_GOLDEN=1 npx vitest run test/golden/ipv6`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

function build(name: string): Sim {
  const { sim, diagnostics } = buildSim(scenario(name), { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

const web6 = (s: Sim): string => s.model.pods.find((p) => p.meta.name === 'web')!.podIPs!.find((a) => a.includes(':'))!;
const client = { kind: 'pod', namespace: 'default', name: 'client' } as const;

describe('IPv6 golden texts', () => {
  it('dual-stack: ping -6 from a Pod on node-1 to a Pod on node-2 (NDP at every hop, hop limit 64 → 61)', () => {
    const s = build('dual-stack');
    const text = formatTrace(walk(s, { from: 'pod/default/client', to: web6(s), protocol: 'icmp' }));
    expect(text).toContain('verdict: delivered');
    expect(text).toContain('ndisc-solicit');
    expectGolden('dual-stack-cross-node-ping6', text);
  });

  it('IPv6-only: HTTP to http://[web]/ across nodes, the server answering the IPv6 source', () => {
    const s = build('ipv6-only');
    const text = formatTrace(walk(s, { from: 'pod/default/client', to: `http://[${web6(s)}]/` }));
    expect(text).toContain('responder: pod/default/web');
    expectGolden('ipv6-only-cross-node-http', text);
  });

  it('ping -6 in the shell, then the node\'s ip -6 addr, route and neigh', () => {
    const s = build('dual-stack');
    const node = { kind: 'node', name: 'node-1' } as const;
    const out = [
      `$ ping -6 -c 2 ${web6(s)}`, runLine(s, client, `ping -6 -c 2 ${web6(s)}`).stdout,
      '$ ip -6 addr   (node-1)', runLine(s, node, 'ip -6 addr').stdout,
      '$ ip -6 route   (node-1)', runLine(s, node, 'ip -6 route').stdout,
      '$ ip -6 neigh   (node-1)', runLine(s, node, 'ip -6 neigh').stdout,
      '$ ip neigh   (client: both families)', runLine(s, client, 'ip neigh').stdout,
    ].join('\n');
    expect(out).toContain('2 received');
    expectGolden('dual-stack-shell', out);
  });
});

/** A NodePort Service in front of the web Pod: dual-stack (both families' clusterIPs) or IPv6 only. */
const SERVICE = `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ipFamilyPolicy: PreferDualStack
  clusterIP: 10.96.0.80
  clusterIPs: [10.96.0.80, "fd00:10:96::80"]
  ports: [{port: 80, nodePort: 30080}]
`;
const SERVICE6 = SERVICE.replace('  ipFamilyPolicy: PreferDualStack\n  clusterIP: 10.96.0.80\n  clusterIPs: [10.96.0.80, "fd00:10:96::80"]\n', '  clusterIP: "fd00:10:96::80"\n');

function buildWith(name: string, extra: string): Sim {
  const { sim, diagnostics } = buildSim(scenario(name) + extra, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

/** The decisive lines of a walk: the first packet each way (routes, NAT, conntrack, delivery) and the verdict. */
function digest(t: Trace): string {
  const legs = new Set(['syn', 'syn-ack']);
  const keep = new Set(['send', 'route', 'nat', 'conntrack', 'encap', 'decap', 'deliver', 'drop']);
  const lines = [`trace ${t.from} -> ${t.to} (${t.protocol})`];
  for (const e of t.events) if (legs.has(e.flow) && keep.has(e.type)) lines.push(formatEvent(e));
  lines.push(`verdict: ${t.verdict}`, `responder: ${t.responder ?? '-'}`, `seen source: ${t.seenSource ?? '-'}`, `path: ${formatPath(t.path)}`);
  return `${lines.join('\n')}\n`;
}

describe('Services over IPv6 (ip6tables NAT)', () => {
  it('dual-stack: a Pod reaches the dual-stack Service by each family, DNATed by iptables and by ip6tables', () => {
    const s = buildWith('dual-stack', SERVICE);
    const v4 = walk(s, { from: 'pod/default/client', to: '10.96.0.80:80' });
    const v6 = walk(s, { from: 'pod/default/client', to: '[fd00:10:96::80]:80' });
    expect(v4.verdict).toBe('delivered');
    expect(v6.verdict).toBe('delivered');
    const text = `${digest(v4)}\n${digest(v6)}`;
    expect(text).toContain('DNAT dst 10.96.0.80:80 → 10.244.1.3:80');
    expect(text).toContain('DNAT dst [fd00:10:96::80]:80 → [fd00:10:244:1::3]:80');
    expect(text).toContain('reply un-DNAT src [fd00:10:244:1::3]:80 → [fd00:10:96::80]:80');
    expectGolden('dual-stack-service-by-family', text);
  });

  it('dual-stack: NodePort on node-2\'s IPv6 address from node-1, masqueraded towards the Pod', () => {
    const s = buildWith('dual-stack', SERVICE);
    const t = walk(s, { from: 'node/node-1', to: '[fd00:192:168:1::12]:30080' });
    expect(t.verdict).toBe('delivered');
    const text = digest(t);
    expect(text).toContain('DNAT dst [fd00:192:168:1::12]:30080 → [fd00:10:244:1::3]:80');
    expect(text).toContain('SNAT src [fd00:192:168:1::11]');
    expectGolden('dual-stack-nodeport6', text);
  });

  it('IPv6-only: dig AAAA and nslookup (its AAAA query), then curl by name through the IPv6 clusterIP; conntrack -f ipv6 shows the NATed tuples', () => {
    const s = buildWith('ipv6-only', SERVICE6);
    const node1 = { kind: 'node', name: 'node-1' } as const;
    const run = (target: typeof client | typeof node1, cmd: string): string => `$ ${cmd}\n${runLine(s, target, cmd).stdout}`;
    const out = [
      run(client, 'cat /etc/resolv.conf'),
      run(client, 'dig +short AAAA web.default.svc.cluster.local'),
      run(client, 'nslookup web'),
      run(client, 'curl -s http://web/'),
      run(node1, 'conntrack -L -f ipv6 -p tcp'),
    ].join('\n');
    expect(out).toContain('fd00:10:96::80\n');
    expect(out).toContain('Name:\tweb.default.svc.cluster.local\nAddress: fd00:10:96::80\n');
    expect(out).toContain('Hostname: web');
    expect(out).toMatch(/src=fd00:10:244::3 dst=fd00:10:96::80 sport=\d+ dport=80 src=fd00:10:244:1::3 dst=fd00:10:244::3/);
    expectGolden('ipv6-only-dns-curl', out);
  });
});
