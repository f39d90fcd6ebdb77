/**
 * Golden traces for AWS VPC CNI (content/scenarios/aws-vpc-cni.yaml): the client's address lives
 * on node-1's secondary ENI eth1, so its packets to other nodes leave by eth1's own table (rule
 * 1536), to outside the VPC by the primary ENI after CONNMARK (rule 1024), SNATed by
 * AWS-SNAT-CHAIN-0. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/trace/aws-vpc-cni.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import type { Sim } from '../../../src/engine/sim';
import { walk, type WalkRequest } from '../../../src/engine/stack/walk';
import { formatTrace } from '../../../src/engine/trace/format';

const YAML = readFileSync(new URL('../../../content/scenarios/aws-vpc-cni.yaml', import.meta.url), 'utf8');

function golden(name: string, sim: Sim, req: WalkRequest): string {
  const text = formatTrace(walk(sim, req));
  const file = new URL(`${name}.txt`, import.meta.url);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden ${name}.txt`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
  return text;
}

function sim(): Sim {
  const b = buildSim(YAML, { seed: 1 });
  expect(b.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return b.sim;
}

const webOn = (s: Sim, node: string): string => s.model.pods.find((p) => p.meta.name.startsWith('web-') && p.nodeName === node)!.podIP!;

describe('aws-vpc-cni golden traces', () => {
  it('same node: Pod to Pod through the two eni veths and a /32 route', () => {
    const s = sim();
    const t = golden('aws-vpc-cni-same-node-ping', s, { from: 'pod/default/client', to: webOn(s, 'node-1'), protocol: 'icmp' });
    expect(t).toContain('verdict: delivered');
    expect(t).toMatch(/route 192\.168\.1\.\d+: 192\.168\.1\.\d+\/32 dev eni[0-9a-f]{11} scope link src 192\.168\.1\.11 \(rule 512: from all to 192\.168\.1\.\d+ lookup main\)/);
  });

  it('cross node: the client on eth1 leaves by table 2; node-2 answers ARP for its Pod on the ENI that holds it', () => {
    const s = sim();
    const t = golden('aws-vpc-cni-cross-node-ping', s, { from: 'pod/default/client', to: webOn(s, 'node-2'), protocol: 'icmp' });
    expect(t).toContain('verdict: delivered');
    expect(t).toContain('table 2 src 192.168.1.103 (rule 1536: from 192.168.1.104 lookup 2)');
    expect(t).toContain('(proxy_arp)');
  });

  it('Pod to ClusterIP: kube-proxy DNATs, no SNAT inside the VPC', () => {
    const s = sim();
    const t = golden('aws-vpc-cni-clusterip-http', s, { from: 'pod/default/client', to: 'http://web/', protocol: 'tcp' });
    expect(t).toContain('verdict: delivered');
    expect(t).toMatch(/seen source: 192\.168\.1\.104:/);
  });

  it('Pod to outside the VPC: CONNMARK picks main (rule 1024), AWS-SNAT-CHAIN-0 SNATs to the primary address', () => {
    const s = sim();
    const t = golden('aws-vpc-cni-outside-http', s, { from: 'pod/default/client', to: 'http://203.0.113.10/', protocol: 'tcp' });
    expect(t).toContain('verdict: delivered');
    expect(t).toContain('(rule 1024: from all fwmark 0x80/0x80 lookup main)');
    expect(t).toMatch(/seen source: 192\.168\.1\.11:/);
  });
});
