import { describe, expect, it } from 'vitest';
import { runLine } from '../../../src/engine/shell/run';
import { fibLookup } from '../../../src/engine/route/fib';
import { flannelCluster, hostObj, model, nodeT, hostT, sh, sim } from './fixture';

describe('state-changing commands', () => {
  it('bump the generation and report changed', () => {
    const s = sim(flannelCluster());
    const g = s.net.generation;
    const r = runLine(s, nodeT('node-0'), 'ip route del 10.244.2.0/24');
    expect(r).toMatchObject({ exitCode: 0, changed: true });
    expect(s.net.generation).toBe(g + 1);
    expect(fibLookup(s.net.namespaces.get('node/node-0')!, '10.244.2.5')?.route.dst).toBe('default');
    expect(sh(s, nodeT('node-0'), 'ip route del 10.244.2.0/24')).toBe('RTNETLINK answers: No such process\n');
  });

  it('a link set down loses its routes; up restores only the kernel ones', () => {
    const s = sim(flannelCluster());
    const t = nodeT('node-0');
    sh(s, t, 'ip link set flannel.1 down');
    expect(sh(s, t, 'ip route')).not.toContain('flannel.1');
    sh(s, t, 'ip link set flannel.1 up');
    expect(sh(s, t, 'ip route show table local')).toContain('local 10.244.0.0 dev flannel.1');
    expect(sh(s, t, 'ip route')).not.toContain('via 10.244.1.0');
  });

  it('ip route add checks the gateway is on-link, and refuses duplicates', () => {
    const s = sim(flannelCluster());
    const t = nodeT('node-0');
    expect(sh(s, t, 'ip route add 10.99.0.0/16 via 172.16.0.1')).toBe('Error: Nexthop has invalid gateway.\n');
    expect(sh(s, t, 'ip route add 10.99.0.0/16 via 192.168.1.11')).toBe('');
    expect(sh(s, t, 'ip route add 10.99.0.0/16 via 192.168.1.12')).toBe('RTNETLINK answers: File exists\n');
    sh(s, t, 'ip route replace 10.99.0.0/16 via 192.168.1.12');
    expect(sh(s, t, 'ip route show dev eth0')).toContain('10.99.0.0/16 via 192.168.1.12 dev eth0 \n');
    expect(sh(s, t, 'ip route get 10.99.1.1')).toBe('10.99.1.1 via 192.168.1.12 dev eth0 src 192.168.1.10 uid 0 \n    cache \n');
  });

  it('ip addr add brings the kernel routes; del takes them away', () => {
    const s = sim(model({}, [], [], { hasCluster: false, hosts: [hostObj('h')] }));
    const t = hostT('h');
    sh(s, t, 'ip link add d0 type dummy', 'ip link set d0 up', 'ip addr add 10.1.2.3/24 dev d0');
    expect(sh(s, t, 'ip route')).toBe('10.1.2.0/24 dev d0 proto kernel scope link src 10.1.2.3 \n');
    sh(s, t, 'ip addr del 10.1.2.3/24 dev d0');
    expect(sh(s, t, 'ip route')).toBe('');
    expect(sh(s, t, 'ip addr del 10.1.2.3/24 dev d0')).toBe('Error: ipv4: Address not found.\n');
  });

  it('ip neigh add/show/flush keeps permanent entries on flush', () => {
    const s = sim(flannelCluster());
    const t = nodeT('node-0');
    sh(s, t, 'ip neigh add 192.168.1.77 lladdr 02:00:00:00:00:77 dev eth0 nud reachable');
    expect(sh(s, t, 'ip neigh show dev eth0')).toBe('192.168.1.77 dev eth0 lladdr 02:00:00:00:00:77 REACHABLE\n');
    sh(s, t, 'ip neigh flush all');
    expect(sh(s, t, 'ip neigh')).not.toContain('192.168.1.77');
    expect(sh(s, t, 'ip neigh')).toContain('PERMANENT');
  });

  it('sysctl reads, writes and rejects unknown keys like procps', () => {
    const s = sim(flannelCluster());
    const t = nodeT('node-0');
    expect(sh(s, t, 'sysctl -w net.ipv4.ip_forward=0')).toBe('net.ipv4.ip_forward = 0\n');
    expect(sh(s, t, 'sysctl -n net.ipv4.conf.all.forwarding')).toBe('0\n');
    expect(sh(s, t, 'sysctl net.ipv4.nope')).toBe('sysctl: cannot stat /proc/sys/net/ipv4/nope: No such file or directory\n');
    expect(sh(s, t, 'sysctl -a | grep bridge-nf-call-iptables')).toBe('net.bridge.bridge-nf-call-iptables = 1\n');
  });

  it('deleting a namespace destroys its veths and their peers; ip netns del twice fails', () => {
    const s = sim(model({}, [], [], { hasCluster: false, hosts: [hostObj('h')] }));
    const t = hostT('h');
    sh(s, t, 'ip netns add a', 'ip link add x type veth peer name y', 'ip link set x netns a');
    expect(sh(s, t, 'ip -br link')).toContain('y@if');
    sh(s, t, 'ip netns del a');
    expect(sh(s, t, 'ip -br link')).not.toContain('y@');
    expect(sh(s, t, 'ip netns del a')).toBe('Cannot remove namespace file "/var/run/netns/a": No such file or directory\n');
    expect(sh(s, hostT('h', 'zz'), 'ip addr')).toContain('no network namespace');
  });

  it('iproute2 argument errors', () => {
    const s = sim(model({}, [], [], { hasCluster: false, hosts: [hostObj('h')] }));
    const t = hostT('h');
    expect(sh(s, t, 'ip link add averyveryverylongname type bridge')).toBe('Error: argument "averyveryverylongname" is wrong: "name" not a valid ifname\n');
    expect(sh(s, t, 'ip foo')).toBe('Object "foo" is unknown, try "ip help".\n');
    expect(sh(s, t, 'ip link add b type bridge', 'ip link add b type bridge')).toBe('RTNETLINK answers: File exists\n');
    expect(sh(s, t, 'ip addr add 1.2.3.4/24 dev nope')).toBe('Cannot find device "nope"\n');
    expect(sh(s, t, 'ip netns exec ghost ip a')).toBe('Cannot open network namespace "ghost": No such file or directory\n');
  });
});

describe('ip link selections and veth peers in another namespace', () => {
  it('ip link add ... peer name P netns NS; ip link show master BR / type veth', () => {
    const s = sim(model({}, [], [], { hasCluster: false, hosts: [hostObj('h')] }));
    const t = hostT('h');
    sh(s, t, 'ip netns add blue', 'ip link add br0 type bridge', 'ip link add v0 type veth peer name eth0 netns blue', 'ip link set v0 master br0');
    expect(sh(s, t, 'ip -br link show master br0')).toMatch(/^v0@if\d+ +DOWN/);
    expect(sh(s, t, 'ip -br link show type veth').split('\n').filter(Boolean)).toHaveLength(1);
    expect(sh(s, t, 'ip -n blue -br link')).toMatch(/eth0@if\d+ +DOWN/);
  });
});
