import { describe, expect, it } from 'vitest';
import { bindPod, hostPortsOf, newScheduleMemo, schedule, type NodeLoad } from '../../../src/engine/control/scheduler';
import type { NodeModel } from '../../../src/engine/model/cluster';
import type { PodSpecIn } from '../../../src/engine/scenario/schema/k8s';
import { createRand } from '../../../src/engine/util/rand';

function node(i: number, zone: string, tainted: boolean): NodeModel {
  return {
    name: `node-${i}`, ip: `192.168.1.${10 + i}`, extraAddresses: [], podCIDR: `10.244.${i}.0/24`,
    labels: { 'kubernetes.io/hostname': `node-${i}`, zone },
    taints: tainted ? [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] : [],
    controlPlane: tainted, ready: true, createdIndex: i,
  };
}

describe('scheduler: the memo of one placement run', () => {
  it('places every Pod where the filters and the spread without it do, and fails with the same reasons', () => {
    const nodes = Array.from({ length: 7 }, (_, i) => node(i, i % 3 === 0 ? 'a' : 'b', i === 0));
    const specs: PodSpecIn[] = [
      { containers: [{ name: 'c' }] },
      { containers: [{ name: 'c' }], tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }] },
      { containers: [{ name: 'c' }], nodeSelector: { zone: 'a' } },
      { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] },
      { containers: [{ name: 'c', ports: [{ containerPort: 53, protocol: 'UDP' }] }], hostNetwork: true, nodeSelector: { zone: 'b' } },
      { containers: [{ name: 'c' }], nodeSelector: { zone: 'nowhere' } },
    ] as PodSpecIn[];
    const loads = () => new Map<string, NodeLoad>(nodes.map((n, i) => [n.name, i === 5 ? { pods: [], maxPods: 3 } : { pods: [] }]));
    const plain = loads(), memoed = loads();
    const memo = newScheduleMemo();
    const rand = createRand(7);
    let placed = 0, failed = 0;
    for (let k = 0; k < 300; k++) {
      const spec = specs[rand.int(specs.length)]!;
      const owner = `Deployment/default/app-${rand.int(5)}`;
      const a = schedule(spec, owner, nodes, plain);
      const b = schedule(spec, owner, nodes, memoed, memo);
      expect(b).toEqual(a);
      if ('node' in a) {
        placed++;
        bindPod(plain.get(a.node)!, { owner, hostPorts: hostPortsOf(spec) });
        bindPod(memoed.get(a.node)!, { owner, hostPorts: hostPortsOf(spec) });
      } else failed++;
    }
    expect(placed).toBeGreaterThan(0);
    expect(failed).toBeGreaterThan(0);
  });
});
