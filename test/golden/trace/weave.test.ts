/**
 * Weave Net golden traces, on content/scenarios/weave.yaml (client on node-2, an nginx replica on
 * each node, db on node-1 behind a NetworkPolicy): same-node and cross-node Pod to Pod, Pod to a
 * ClusterIP, the sleeve fallback with a password, and weave-npc dropping what the policy does
 * not allow. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/trace/weave.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import type { Sim } from '../../../src/engine/sim';
import { walk, type WalkRequest } from '../../../src/engine/stack/walk';
import { formatTrace } from '../../../src/engine/trace/format';

const DIR = new URL('./weave/', import.meta.url);
const YAML = readFileSync(new URL('../../../content/scenarios/weave.yaml', import.meta.url), 'utf8');

function expectGolden(name: string, text: string): void {
  const file = new URL(`${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden weave/${name}.txt: run UPDATE_GOLDEN=1 npx vitest run test/golden/trace/weave.test.ts`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

function build(yaml: string): Sim {
  const { sim, diagnostics } = buildSim(yaml, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  return sim;
}

const nginxOn = (sim: Sim, node: string): string => sim.model.pods.find((p) => p.meta.labels['run'] === 'my-nginx' && p.nodeName === node)!.podIP!;
const ipOf = (sim: Sim, name: string): string => sim.model.pods.find((p) => p.meta.name === name)!.podIP!;

function trace(name: string, sim: Sim, req: WalkRequest): string {
  const text = formatTrace(walk(sim, req));
  expectGolden(name, text);
  return text;
}

describe('weave golden traces', () => {
  it('same node: the weave bridge switches the frame between two vethwepl ports', () => {
    const sim = build(YAML);
    const t = trace('same-node-ping', sim, { from: 'pod/default/client', to: nginxOn(sim, 'node-2'), protocol: 'icmp' });
    expect(t).toContain('verdict: delivered');
    // Only the ARP broadcast goes to the peers (weave floods broadcasts to every peer); the echo stays on the bridge.
    expect(t.split('\n').filter((l) => l.includes('[echo-') && l.includes('vxlan-6784'))).toEqual([]);
  });

  it('cross node over fastdp: ARP and the packet cross vethwe-bridge, datapath and vxlan-6784 (UDP 6784)', () => {
    const sim = build(YAML);
    const t = trace('cross-node-fastdp-ping', sim, { from: 'pod/default/client', to: nginxOn(sim, 'node-1'), protocol: 'icmp' });
    expect(t).toContain('verdict: delivered');
    expect(t).toMatch(/vxlan-6784 +encap +VXLAN encap vni \d+: fdb [0-9a-f:]+ dst 192\.168\.1\.11 -> 192\.168\.1\.12:\d+ > 192\.168\.1\.11:6784/);
    expect(t).toMatch(/datapath +bridge-forward +datapath: fdb [0-9a-f:]+ -> vxlan-6784/);
  });

  it('Pod to ClusterIP: kube-proxy DNAT on node-2, then the chosen endpoint over the weave network', () => {
    const sim = build(YAML);
    const svc = sim.model.services.find((s) => s.meta.name === 'my-nginx')!.clusterIP!;
    const t = trace('pod-to-clusterip', sim, { from: 'pod/default/client', to: `http://${svc}/` });
    expect(t).toContain('verdict: delivered');
    expect(t).toContain('KUBE-SVC-');
  });

  it('sleeve with a password: weaver captures on vethwe-pcap and seals the frame in UDP 6783', () => {
    const sim = build(YAML.replace('backend: fastdp', 'backend: sleeve, encryption: true'));
    const t = trace('cross-node-sleeve-encrypted-ping', sim, { from: 'pod/default/client', to: nginxOn(sim, 'node-1'), protocol: 'icmp' });
    expect(t).toContain('verdict: delivered');
    expect(t).toContain('weaver wraps the frame in UDP 6783 to 192.168.1.11, payload sealed with NaCl secretbox');
    expect(t).not.toContain('vxlan-6784');
  });

  it('fastdp with a password: the VXLAN datagram leaves eth0 as IPsec ESP and is decrypted before vxlan-6784', () => {
    const sim = build(YAML.replace('backend: fastdp', 'backend: fastdp, encryption: true'));
    const t = trace('cross-node-fastdp-encrypted-ping', sim, { from: 'pod/default/client', to: nginxOn(sim, 'node-1'), protocol: 'icmp' });
    expect(t).toContain('verdict: delivered');
    const onWire = t.split('\n').filter((l) => / eth0 +tx +tx eth0: 192\.168\.1\.1\d > 192\.168\.1\.1\d /.test(l));
    expect(onWire.length).toBeGreaterThan(0);
    expect(onWire.every((l) => l.includes(' ESP(spi=0x') && !l.includes('VXLAN'))).toBe(true);
    expect(t).toMatch(/IPsec: xfrm state spi 0x[0-9a-f]{8} \(weave\) decrypts ESP from 192\.168\.1\.12/);
  });

  it('weave-npc: the client is not role=backend, so its SYN to db is dropped on db\'s node', () => {
    const sim = build(YAML);
    const t = trace('policy-drop', sim, { from: 'pod/default/client', to: `tcp://${ipOf(sim, 'db')}:6379` });
    expect(t).toContain('filter WEAVE-NPC-INGRESS: RETURN (end of chain)');
    expect(t).toContain('drop: FORWARD: dropped by filter/FORWARD rule 3: -A FORWARD -o weave -j DROP');
    expect(t).toMatch(/verdict: (timeout|dropped)/);
  });
});
