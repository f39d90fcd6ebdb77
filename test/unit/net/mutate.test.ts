import { describe, expect, it } from 'vitest';
import { runLine } from '../../../src/engine/shell/run';
import { fibLookup } from '../../../src/engine/route/fib';
import { flannelCluster, hostObj, model, node, nodeT, hostT, pod, podT, sh, sim } from './fixture';

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
    expect(sh(s, t, 'ip route show dev eth0')).toContain('10.99.0.0/16 via 192.168.1.12 \n');
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
    expect(sh(s, t, 'ip neigh show dev eth0')).toBe('192.168.1.77 lladdr 02:00:00:00:00:77 REACHABLE\n');
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

describe('ip link add type vxlan', () => {
  it('keeps remote as the all-zeros FDB entry and warns about the default port like iproute2', () => {
    const s = sim(flannelCluster());
    const t = nodeT('node-0');
    const r = runLine(s, t, 'ip link add vx0 type vxlan id 42 remote 192.168.1.12 dev eth0');
    expect(r.stderr).toContain('vxlan: destination port not specified');
    expect(sh(s, t, 'bridge fdb show dev vx0')).toBe('00:00:00:00:00:00 dev vx0 dst 192.168.1.12 self permanent\n');
    expect(sh(s, t, 'ip -d link show vx0')).toContain('vxlan id 42 remote 192.168.1.12 dev eth0 srcport 0 0 dstport 8472 ttl auto');
    expect(sh(s, t, 'ip link add vx1 type vxlan remote 1.2.3.4')).toBe('vxlan: missing virtual network identifier\n');
  });
});

describe('Host declarations', () => {
  it('report unknown namespaces, devices and unreachable gateways with codes', () => {
    const s = sim(model({}, [], [], {
      hasCluster: false,
      hosts: [hostObj('h', {
        namespaces: ['a'],
        links: [{ name: 'v1', type: 'veth', peer: 'v2', peerNamespace: 'zz', up: true }, { name: 'p', type: 'veth', peer: 'q', namespace: 'a', master: 'nobr', up: true }],
        addresses: [{ dev: 'ghost', address: '10.0.0.1/24' }, { dev: 'p', address: '10.0.0.1/24', namespace: 'a' }],
        routes: [{ to: '10.9.0.0/16', via: '10.5.5.5', namespace: 'a' }, { to: 'default', via: '10.0.0.254', namespace: 'a' }],
      })],
    }));
    expect(s.diagnosticsOut.map((d) => d.code).sort()).toEqual(['host-dev-unknown', 'host-master-unknown', 'host-netns-unknown', 'host-route-unreachable']);
    expect(sh(s, hostT('h', 'a'), 'ip route')).toBe('default via 10.0.0.254 dev p \n10.0.0.0/24 dev p proto kernel scope link src 10.0.0.1 \n');
  });
});

describe('sudo and netstat', () => {
  it('the seed\'s hostNetwork nginx: sudo netstat -lpn | grep ":80 " on the node', () => {
    const n = node(0);
    const p = pod('nginx', n, 0, { hostNetwork: true, image: 'nginx', ports: [{ port: 80 }] });
    const s = sim(model({}, [n], [p]));
    const out = sh(s, nodeT('node-0'), 'sudo netstat -lpn | grep ":80 "');
    expect(out).toMatch(/^tcp {8}0 {6}0 0\.0\.0\.0:80 {14}0\.0\.0\.0:\* {15}LISTEN {6}\d+\/nginx: master\n$/);
    expect(sh(s, nodeT('node-0'), 'sudo -E ip -br link show lo')).toMatch(/^lo +UNKNOWN/);
    expect(sh(s, podT('nginx'), 'netstat -lnu')).toBe('Active Internet connections (only servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      \n');
  });
});

describe('ip route show selectors', () => {
  it('selects by exact prefix, proto, scope and type', () => {
    const nodes = [node(0), node(1)];
    const s = sim(model({ network: { plugin: 'calico', backend: 'bgp' } }, nodes, [pod('a', nodes[0]!, 2)]));
    const t = nodeT('node-0');
    expect(sh(s, t, 'ip route show 10.244.1.0/24')).toBe('10.244.1.0/24 via 192.168.1.11 dev eth0 proto bird \n');
    expect(sh(s, t, 'ip route show proto bird')).toBe('blackhole 10.244.0.0/24 proto bird \n10.244.1.0/24 via 192.168.1.11 dev eth0 proto bird \n');
    expect(sh(s, t, 'ip route show type blackhole')).toBe('blackhole 10.244.0.0/24 proto bird \n');
    expect(sh(s, t, 'ip route show scope link')).toMatch(/^10\.244\.0\.2 dev cali[0-9a-f]{11} scope link \n192\.168\.1\.0\/24 dev eth0 proto kernel scope link src 192\.168\.1\.10 \n$/);
  });
});

describe('route -n and arp -n', () => {
  it('print the main table and the neighbours in net-tools columns', () => {
    const s = sim(flannelCluster());
    const t = nodeT('node-0');
    const r = sh(s, t, 'route -n');
    expect(r.split('\n').slice(0, 4).join('\n')).toBe([
      'Kernel IP routing table',
      'Destination     Gateway         Genmask         Flags Metric Ref    Use Iface',
      '0.0.0.0         192.168.1.1     0.0.0.0         UG    0      0        0 eth0',
      '10.244.0.0      0.0.0.0         255.255.255.0   U     0      0        0 cni0',
    ].join('\n'));
    expect(sh(s, t, 'arp -n')).toMatch(/^Address {18}HWtype {2}HWaddress {11}Flags Mask {12}Iface\n10\.244\.1\.0 {15}ether {3}([0-9a-f]{2}:){5}[0-9a-f]{2} {3}CM {20}flannel\.1\n/);
  });
});

describe('ip route get arguments', () => {
  it('finds the destination among from/iif keywords', () => {
    const s = sim(flannelCluster());
    expect(sh(s, nodeT('node-0'), 'ip route get from 192.168.1.10 10.244.2.9')).toBe('10.244.2.9 from 192.168.1.10 via 10.244.2.0 dev flannel.1 uid 0 \n    cache \n');
  });
});

describe('ip link set validation', () => {
  it('leaves the link untouched when a later argument is wrong; bridges cannot change namespace', () => {
    const s = sim(model({}, [], [], { hasCluster: false, hosts: [hostObj('h')] }));
    const t = hostT('h');
    sh(s, t, 'ip netns add n', 'ip link add v type veth peer name w', 'ip link add br0 type bridge');
    expect(sh(s, t, 'ip link set v up master nope')).toBe('Cannot find device "nope"\n');
    expect(sh(s, t, 'ip -br link show v')).toMatch(/^v@w +DOWN/);
    expect(sh(s, t, 'ip link set br0 netns n')).toBe('RTNETLINK answers: Invalid argument\n');
  });
});

describe('ip -o', () => {
  it('prints one line per address and per link', () => {
    const s = sim(flannelCluster());
    const t = nodeT('node-0');
    expect(sh(s, t, 'ip -o addr show dev eth0')).toBe('2: eth0    inet 192.168.1.10/24 brd 192.168.1.255 scope global eth0\\       valid_lft forever preferred_lft forever\n');
    expect(sh(s, t, 'ip -o link show lo')).toBe('1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n');
  });
});
