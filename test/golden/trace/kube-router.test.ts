/**
 * kube-router's paths as golden traces, built from content/scenarios/kube-router.yaml: Pod→Pod on
 * one node (kube-bridge), Pod→Pod across nodes (a BGP-learned `proto 17` route), Pod→ClusterIP
 * (kube-router's IPVS on kube-dummy-if), and the IPIP overlay to a node in another subnet.
 * Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/trace/kube-router.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import type { Sim } from '../../../src/engine/sim';
import { walk, type WalkRequest } from '../../../src/engine/stack/walk';
import { formatTrace } from '../../../src/engine/trace/format';

const DIR = new URL('./', import.meta.url);
const SCENARIO = readFileSync(new URL('../../../content/scenarios/kube-router.yaml', import.meta.url), 'utf8');

function expectGolden(name: string, text: string): void {
  const file = new URL(`${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden ${name}.txt: run UPDATE_GOLDEN=1 npx vitest run test/golden/trace/kube-router.test.ts`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

function build(yaml: string): Sim {
  const { sim, diagnostics } = buildSim(yaml, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

const nginxOn = (sim: Sim, node: string): string => sim.model.pods.find((p) => p.meta.name.startsWith('my-nginx') && p.nodeName === node)!.podIP!;

function trace(name: string, sim: Sim, req: WalkRequest): string {
  const text = formatTrace(walk(sim, req));
  expectGolden(name, text);
  return text;
}

describe('kube-router golden traces', () => {
  it('same node: client → nginx over kube-bridge, through the NetworkPolicy chains', () => {
    const sim = build(SCENARIO);
    const t = trace('kube-router-same-node-http', sim, { from: 'pod/default/client', to: `http://${nginxOn(sim, 'node-2')}/` });
    expect(t).toContain('verdict: delivered');
    expect(t).toContain('kube-bridge');
    expect(t).toContain('KUBE-POD-FW-');
  });

  it('cross node: client → nginx on node-1 by the BGP route (proto 17), no encapsulation', () => {
    const sim = build(SCENARIO);
    const t = trace('kube-router-cross-node-http', sim, { from: 'pod/default/client', to: `http://${nginxOn(sim, 'node-1')}/` });
    expect(t).toContain('verdict: delivered');
    expect(t).toContain('proto 17');
    expect(t).not.toContain('encap');
  });

  it('Pod → ClusterIP: kube-router\'s IPVS picks a real server (no KUBE-SERVICES chain)', () => {
    const sim = build(SCENARIO);
    const vip = sim.model.services.find((s) => s.meta.name === 'my-nginx')!.clusterIP;
    const t = trace('kube-router-clusterip-http', sim, { from: 'pod/default/client', to: `http://${vip}/` });
    expect(t).toContain('verdict: delivered');
    expect(t).toMatch(/ipvs/i);
    expect(t).not.toContain('KUBE-SERVICES');
  });

  it('ipip backend: a node in another subnet is reached through its tun- tunnel', () => {
    const yaml = SCENARIO.replace('backend: bgp', 'backend: ipip').replace('ip: 192.168.1.12', 'ip: 192.168.2.12');
    const sim = build(yaml);
    const t = trace('kube-router-ipip-cross-subnet-ping', sim, { from: 'pod/default/client', to: nginxOn(sim, 'node-1'), protocol: 'icmp' });
    expect(t).toContain('verdict: delivered');
    expect(t).toMatch(/IPIP encap/);
    expect(t).toMatch(/tun-[0-9a-f]{11}/);
  });
});
