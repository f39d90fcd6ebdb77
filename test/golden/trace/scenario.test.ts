/**
 * Golden traces on networks built from scenario YAML by the real builder (net/build.ts): every
 * CNI plugin and backend, the seed's typed commands on a plain Host, and the failure cases.
 * The trace cases are ./cases.ts, shared with the story goldens.
 * Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/trace/scenario.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import type { Sim } from '../../../src/engine/sim';
import { runLine } from '../../../src/engine/shell/run';
import { formatTrace } from '../../../src/engine/trace/format';
import { walk } from '../../../src/engine/stack/walk';
import { clusterYaml } from './scenario/cluster';
import { expectTraceCase, TRACE_CASES } from './cases';

const DIR = new URL('./', import.meta.url);

function expectGolden(name: string, text: string): void {
  const file = new URL(`${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden ${name}.txt: run UPDATE_GOLDEN=1 npx vitest run test/golden/trace/scenario.test.ts`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

function build(yaml: string): Sim {
  const { sim, diagnostics } = buildSim(yaml, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

describe('scenario-built golden traces', () => {
  for (const c of TRACE_CASES.filter((x) => x.group === 'scenario')) {
    it(c.title, () => expectTraceCase(c, formatTrace(c.trace()), expectGolden));
  }

  it('only the Pod\'s end of the veth at 1500 under a 1450 flannel.1: the host end drops the frame silently, as veth does', () => {
    // is_skb_forwardable: a frame longer than the receiving device's MTU is dropped there, with no
    // ICMP at all (test/kernel/vxlan-mtu.test.ts).
    const sim2 = build(clusterYaml('flannel', 'vxlan'));
    expect(runLine(sim2, { kind: 'pod', namespace: 'default', name: 'client' }, 'ip link set eth0 mtu 1500').exitCode).toBe(0);
    const web = sim2.model.pods.find((p) => p.meta.name === 'web')!.podIP!;
    const silent = walk(sim2, { from: 'pod/default/client', to: web, protocol: 'icmp', size: 1472, df: true });
    expect(silent.verdict).toBe('dropped');
    expect(silent.events.some((e) => e.type === 'icmp-error')).toBe(false);
    expect(silent.events.find((e) => e.type === 'drop' && e.flow === 'echo-request')?.summary).toMatch(/1500 bytes > mtu 1450 of veth\w+/);
  });

  it('the seed\'s first chapter, typed on an empty Host: three echo replies from 20.1.1.2', () => {
    const sim = build('apiVersion: knp/v1alpha1\nkind: Host\nmetadata: {name: k8s-master01}\n');
    const host = { kind: 'host', name: 'k8s-master01' } as const;
    for (const l of [
      'ip netns add net1', 'ip netns add net2', 'ip link add veth1 type veth peer name veth2',
      'ip link set veth1 netns net1', 'ip link set veth2 netns net2',
      'ip netns exec net1 ip link set veth1 up', 'ip netns exec net2 ip link set veth2 up',
      'ip netns exec net1 ip addr add 20.1.1.1/24 dev veth1', 'ip netns exec net2 ip addr add 20.1.1.2/24 dev veth2',
    ]) expect(runLine(sim, host, l).stderr).toBe('');
    const out = runLine(sim, host, 'ip netns exec net1 ping -c 3 20.1.1.2').stdout;
    expect(out.match(/^64 bytes from 20\.1\.1\.2: icmp_seq=\d ttl=64 time=0\.\d{3} ms$/gm)).toHaveLength(3);
    expectGolden('scenario-seed-veth-ping', out);
  });
});
