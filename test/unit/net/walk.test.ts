/**
 * The state built here carries real packets: the stack's walk over namespaces made by the
 * builder and by a learner's `ip` commands.
 */
import { describe, expect, it } from 'vitest';
import { buildSim, runLine, walk } from '../../../src/engine/index';

const run = (sim: Parameters<typeof runLine>[0], t: Parameters<typeof runLine>[1], lines: string[]): void => {
  for (const l of lines) expect(runLine(sim, t, l).exitCode, l).toBe(0);
};

describe('walks over the built state', () => {
  it('the seed: three echo replies from 20.1.1.2 after typing its commands on an empty Host', () => {
    const { sim } = buildSim('apiVersion: knp/v1alpha1\nkind: Host\nmetadata: {name: k8s-master01}\n');
    run(sim, { kind: 'host', name: 'k8s-master01' }, [
      'ip netns add net1', 'ip netns add net2', 'ip link add name veth1 type veth peer name veth2',
      'ip link set veth1 netns net1', 'ip link set veth2 netns net2',
      'ip netns exec net1 ip link set veth1 up', 'ip netns exec net2 ip link set veth2 up',
      'ip netns exec net1 ip addr add 20.1.1.1/24 dev veth1', 'ip netns exec net2 ip addr add 20.1.1.2/24 dev veth2',
    ]);
    const t = walk(sim, { from: 'host/k8s-master01#net1', to: '20.1.1.2', protocol: 'icmp', count: 3 });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('host/k8s-master01#net2');
  });

  it('a hand-made VXLAN tunnel between two Hosts on the underlay', () => {
    const yaml = ['h1', 'h2'].map((h, i) => `apiVersion: knp/v1alpha1\nkind: Host\nmetadata: {name: ${h}}\nspec: {ip: 192.168.1.${21 + i}}\n`).join('---\n');
    const { sim } = buildSim(yaml);
    run(sim, { kind: 'host', name: 'h1' }, ['ip link add vx0 type vxlan id 42 remote 192.168.1.22 dstport 4789 dev eth0', 'ip addr add 10.42.0.1/24 dev vx0', 'ip link set vx0 up']);
    run(sim, { kind: 'host', name: 'h2' }, ['ip link add vx0 type vxlan id 42 remote 192.168.1.21 dstport 4789 dev eth0', 'ip addr add 10.42.0.2/24 dev vx0', 'ip link set vx0 up']);
    const t = walk(sim, { from: 'host/h1', to: 'tcp://10.42.0.2:22' });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('host/h2');
    expect(t.events.some((e) => e.type === 'encap' && e.where.dev === 'vx0')).toBe(true);
  });

  it('a Pod reaches a Pod on another node over flannel.1, and not after its route is deleted', () => {
    const yaml = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 192.168.1.12}
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: node-1, containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {nodeName: node-2, containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
`;
    const { sim } = buildSim(yaml);
    const b = sim.model.pods.find((p) => p.meta.name === 'b')!;
    const ok = walk(sim, { from: 'pod/default/a', to: `http://${b.podIP}/` });
    expect(ok.verdict).toBe('delivered');
    expect(ok.responder).toBe('pod/default/b');
    const lease = sim.model.nodes.find((n) => n.name === 'node-2')!.podCIDR;
    run(sim, { kind: 'node', name: 'node-1' }, [`ip route del ${lease}`]);
    expect(walk(sim, { from: 'pod/default/a', to: `http://${b.podIP}/` }).verdict).not.toBe('delivered');
  });
});

describe('nodes in two subnets behind the router', () => {
  const yaml = (backend: string): string => `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: flannel, backend: ${backend}}
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 10.9.0.12}
---
apiVersion: v1
kind: Pod
metadata: {name: a}
spec: {nodeName: node-1, containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec: {nodeName: node-2, containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
`;
  it('vxlan crosses the router; host-gw cannot, and says why', () => {
    const vx = buildSim(yaml('vxlan')).sim;
    const b = vx.model.pods.find((p) => p.meta.name === 'b')!;
    expect(walk(vx, { from: 'pod/default/a', to: `http://${b.podIP}/` }).verdict).toBe('delivered');
    const gw = buildSim(yaml('host-gw'));
    expect(gw.diagnostics.some((d) => d.code === 'flannel-host-gw-not-l2')).toBe(true);
    const b2 = gw.sim.model.pods.find((p) => p.meta.name === 'b')!;
    expect(walk(gw.sim, { from: 'pod/default/a', to: `http://${b2.podIP}/` }).verdict).not.toBe('delivered');
  });
});
