import { describe, expect, it } from 'vitest';
import { runKnp } from '../../helpers/cli';

const host = 'apiVersion: knp/v1alpha1\nkind: Host\nmetadata: {name: k8s-master01}\n';

const cluster = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: flannel, backend: vxlan}
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 192.168.1.12}
`;

describe('knp with the network commands', () => {
  it('the seed\'s veth commands, typed one by one in knp shell on an empty Host', async () => {
    const stdin = [
      'use host/k8s-master01',
      'ip netns add net1', 'ip netns add net2',
      'ip link add name veth1 type veth peer name veth2',
      'ip link set veth1 netns net1', 'ip link set veth2 netns net2',
      'ip netns exec net1 ip link set veth1 up', 'ip netns exec net2 ip link set veth2 up',
      'ip netns exec net1 ip addr add 20.1.1.1/24 dev veth1', 'ip netns exec net2 ip addr add 20.1.1.2/24 dev veth2',
      'ip netns exec net1 ip route get 20.1.1.2',
    ].join('\n');
    const r = await runKnp(['shell', 'h.yaml'], { files: { 'h.yaml': host }, stdin });
    expect(r.stdout).toBe('20.1.1.2 dev veth1 src 20.1.1.1 uid 0 \n    cache \n');
    expect(r.code).toBe(0);
  });

  it('knp exec shows a reconciled node\'s routes to the other node\'s lease', async () => {
    const r = await runKnp(['exec', 'c.yaml', 'node/node-1', '--', 'ip', 'route'], { files: { 'c.yaml': cluster } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^10\.244\.\d+\.0\/24 via 10\.244\.\d+\.0 dev flannel\.1 onlink $/m);
    expect(r.stdout).toContain('default via 192.168.1.1 dev eth0 \n');
  });
});
