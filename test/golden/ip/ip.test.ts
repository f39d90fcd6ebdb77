import { describe, it } from 'vitest';
import type { Target } from '../../../src/engine/shell/types';
import { containerObj, flannelCluster, hostObj, model, node, nodeT, hostT, pod, podT, sim } from '../../unit/net/fixture';
import { expectGolden, transcript } from './golden';

const steps = (t: Target, ...lines: string[]): [Target, string][] => lines.map((l) => [t, l]);

describe('ip output, golden', () => {
  it('flannel vxlan node', () => {
    const s = sim(flannelCluster('vxlan'));
    expectGolden('flannel-vxlan-node', transcript(s, steps(nodeT('node-1'),
      'ip addr', 'ip route', 'ip route show table local', 'ip neigh', 'ip -d link show flannel.1', 'ip -br addr',
      'ip route get 10.244.2.3', 'ip route get 10.244.1.3', 'ip route get 10.244.1.1',
      'bridge fdb show dev flannel.1', 'bridge link', 'cat /run/flannel/subnet.env',
      'sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables', 'cat /proc/sys/net/ipv4/ip_forward', 'ip netns',
      'ip -s link show eth0')));
  });

  it('flannel udp and host-gw nodes, the bridge plugin\'s router', () => {
    const udp = sim(flannelCluster('udp'));
    const hostgw = sim(flannelCluster('host-gw'));
    const bridge = sim(model({ network: { plugin: 'bridge', bridge: 'cbr0' } }, [node(0), node(1)], [pod('a', node(0), 2)]));
    expectGolden('flannel-backends', [
      transcript(udp, steps(nodeT('node-0'), 'ip addr show flannel0', 'ip route', 'ip -d link show flannel0', 'cat /run/flannel/subnet.env')),
      transcript(hostgw, steps(nodeT('node-0'), 'ip route', 'cat /run/flannel/subnet.env')),
      transcript(bridge, steps(nodeT('node-0'), 'ip route', 'ip -br link')),
    ].join('\n'));
  });

  it('flannel Pod', () => {
    const s = sim(flannelCluster('vxlan'));
    expectGolden('flannel-pod', transcript(s, steps(podT('web-1'), 'ip addr', 'ip link', 'ip route', 'ip route get 10.244.2.2')));
  });

  it('calico ipip node and Pod', () => {
    const nodes = [node(0), node(1)];
    const s = sim(model({ network: { plugin: 'calico', backend: 'ipip' } }, nodes, [pod('a', nodes[0]!, 2), pod('b', nodes[1]!, 2)]));
    expectGolden('calico-node', transcript(s, [
      ...steps(nodeT('node-0'), 'ip addr', 'ip route', 'ip neigh'),
      ...steps(podT('a'), 'ip addr', 'ip route'),
    ]));
  });

  it('the seed: two namespaces joined by a veth pair, typed on an empty Host', () => {
    const s = sim(model({}, [], [], { hasCluster: false, hosts: [hostObj('k8s-master01')] }));
    expectGolden('seed-veth', transcript(s, steps(hostT('k8s-master01'),
      'ip netns add net1', 'ip netns add net2', 'ip netns show', 'ip netns exec net1 ip addr',
      'ip link add name veth1 type veth peer name veth2', 'ip link',
      'ip link set veth1 netns net1', 'ip link set veth2 netns net2',
      'ip netns exec net1 ip link set veth1 up', 'ip netns exec net2 ip link set veth2 up',
      'ip netns exec net1 ip addr add 20.1.1.1/24 dev veth1', 'ip netns exec net2 ip addr add 20.1.1.2/24 dev veth2',
      'ip netns list', 'ip netns exec net1 ip addr', 'ip netns exec net1 ip route', 'ip -n net2 route show table local',
      'ip netns exec net1 ip route get 20.1.1.2',
      'ip netns add net1', 'ip link set veth9 up', 'ip netns exec net1 ip addr add 20.1.1.1/24 dev veth1')));
  });

  it('Docker on a Host: bridge, container:NAME and none', () => {
    const s = sim(model({}, [], [], {
      hasCluster: false,
      hosts: [hostObj('docker-host', { ip: '192.168.1.20' })],
      containers: [
        containerObj('web', { host: 'docker-host', listen: [80] }),
        containerObj('sidecar', { host: 'docker-host', network: 'container:web' }),
        containerObj('db', { host: 'docker-host', listen: [5432] }),
        containerObj('offline', { host: 'docker-host', network: 'none' }),
      ],
    }));
    expectGolden('docker', transcript(s, [
      ...steps(hostT('docker-host'), 'ip addr', 'ip route', 'bridge link'),
      ...steps(hostT('docker-host', 'web'), 'ip addr', 'ip route'),
      ...steps(hostT('docker-host', 'sidecar'), 'ip -br addr'),
      ...steps(hostT('docker-host', 'offline'), 'ip addr'),
    ]));
  });

  it('the seed: three namespaces on one bridge', () => {
    const s = sim(model({}, [], [], { hasCluster: false, hosts: [hostObj('h1')] }));
    const h = hostT('h1');
    const lines: string[] = ['ip link add br0 type bridge', 'ip link set br0 up'];
    for (const n of [1, 2, 3]) {
      lines.push(
        `ip netns add ns${n}`,
        `ip link add veth${n} type veth peer name br-veth${n}`,
        `ip link set veth${n} netns ns${n}`,
        `ip link set br-veth${n} master br0`,
        `ip link set br-veth${n} up`,
        `ip -n ns${n} link set veth${n} up`,
        `ip -n ns${n} addr add 10.0.0.${n}/24 dev veth${n}`,
      );
    }
    lines.push('ip link', 'bridge link', 'bridge fdb show br br0', 'brctl show', 'ip -n ns2 addr', 'ip -br link');
    expectGolden('seed-bridge', transcript(s, steps(h, ...lines)));
  });
});
