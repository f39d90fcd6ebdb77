import { describe, expect, it } from 'vitest';
import { nsForRef, nsForTarget } from '../../../src/engine/net/lookup';
import { caliName } from '../../../src/engine/cni/calico/plugin';
import { sha1Hex } from '../../../src/engine/util/sha1';
import { fibLookup } from '../../../src/engine/route/fib';
import { containerObj, flannelCluster, hostObj, model, node, nodeT, pod, podT, sh, sim } from './fixture';

describe('buildNetwork', () => {
  it('gives every node a root namespace, every running Pod its own, and infra around them', () => {
    const s = sim(flannelCluster());
    const ids = [...s.net.namespaces.keys()];
    expect(ids).toContain('node/node-0');
    expect(ids).toContain('pod/default/web-2');
    expect(ids).toContain('infra/underlay');
    expect(ids).toContain('infra/router');
    expect(s.diagnosticsOut).toEqual([]);
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = sim(flannelCluster(), 7).net.namespaces.get('node/node-1')!;
    const b = sim(flannelCluster(), 7).net.namespaces.get('node/node-1')!;
    const c = sim(flannelCluster(), 8).net.namespaces.get('node/node-1')!;
    expect(JSON.stringify(a.links)).toBe(JSON.stringify(b.links));
    expect(a.links.map((l) => l.mac)).not.toEqual(c.links.map((l) => l.mac));
  });

  it('pairs Pod eth0 with a vethXXXXXXXX on the node bridge', () => {
    const s = sim(flannelCluster());
    const p = nsForTarget(s, podT('web-1'))!;
    const eth0 = p.links.find((l) => l.name === 'eth0')!;
    expect(eth0.peer?.ns).toBe('node/node-1');
    const host = s.net.namespaces.get('node/node-1')!.links.find((l) => l.ifindex === eth0.peer?.ifindex)!;
    expect(host.name).toMatch(/^veth[0-9a-f]{8}$/);
    expect(host.master).toBe('cni0');
    expect(fibLookup(p, '10.244.2.2')?.route.via).toBe('10.244.1.1');
  });

  it('opens a socket per container port; CoreDNS answers DNS on 53 over UDP and TCP', () => {
    const n = node(0);
    const dns = pod('coredns-1', n, 5, { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' }, ports: [{ port: 53, protocol: 'UDP' }, { port: 9153 }] });
    const s = sim(model({}, [n], [dns, pod('web', n, 2, { ports: [{ port: 8080 }, { port: 9000, protocol: 'UDP' }] })]));
    const d = s.net.namespaces.get('pod/kube-system/coredns-1')!;
    expect(d.listeners.filter((l) => l.port === 53).map((l) => `${l.protocol}:${l.app.kind}`).sort()).toEqual(['tcp:dns', 'udp:dns']);
    const w = s.net.namespaces.get('pod/default/web')!;
    expect(w.listeners.map((l) => `${l.protocol}/${l.port}/${l.app.kind}`)).toEqual(['tcp/8080/http', 'udp/9000/echo']);
  });

  it('reports two containers of one Pod on the same port', () => {
    const n = node(0);
    const p = pod('twins', n, 2, { containers: [{ name: 'a', ports: [{ port: 80 }] }, { name: 'b', ports: [{ port: 80 }] }] });
    const s = sim(model({}, [n], [p]));
    expect(s.diagnosticsOut.map((d) => d.code)).toEqual(['pod-port-conflict']);
  });

  it('puts a hostNetwork Pod\'s sockets in the node namespace and resolves its target there', () => {
    const n = node(0);
    const s = sim(model({}, [n], [pod('hn', n, 0, { hostNetwork: true, ports: [{ port: 9100 }] })]));
    expect(s.net.namespaces.has('pod/default/hn')).toBe(false);
    const ns = nsForTarget(s, podT('hn'))!;
    expect(ns.id).toBe('node/node-0');
    expect(ns.listeners.some((l) => l.port === 9100 && l.owner === 'pod/default/hn')).toBe(true);
  });

  it('flannel udp: flannel0 TUN with the cluster route, flanneld on 8285', () => {
    const s = sim(flannelCluster('udp'));
    const ns = s.net.namespaces.get('node/node-0')!;
    expect(ns.links.find((l) => l.name === 'flannel0')?.kind).toBe('tun');
    expect(fibLookup(ns, '10.244.2.2')?.route.dev).toBe('flannel0');
    expect(ns.listeners.some((l) => l.port === 8285 && l.protocol === 'udp' && l.app.kind === 'flanneld')).toBe(true);
  });

  it('flannel host-gw: routes via peer node IPs; nodes off the segment get a diagnostic', () => {
    const s = sim(flannelCluster('host-gw'));
    expect(fibLookup(s.net.namespaces.get('node/node-0')!, '10.244.2.2')?.route.via).toBe('192.168.1.12');
    const far = node(2, { ip: '10.9.0.5' });
    const s2 = sim(model({ network: { plugin: 'flannel', backend: 'host-gw' } }, [node(0), far], []));
    expect(s2.diagnosticsOut.some((d) => d.code === 'flannel-host-gw-not-l2')).toBe(true);
  });

  it('bridge plugin: the router carries each node\'s Pod subnet', () => {
    const s = sim(model({ network: { plugin: 'bridge' } }, [node(0), node(1)], []));
    expect(fibLookup(s.net.namespaces.get('infra/router')!, '10.244.1.9')?.route.via).toBe('192.168.1.11');
  });

  it('calico names host veths like Calico does', () => {
    expect(sha1Hex('abc')).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(caliName('default', 'a')).toMatch(/^cali[0-9a-f]{11}$/);
  });

  it('external hosts hang off the router; Hosts and Docker containers get their namespaces', () => {
    const m = model({}, [node(0)], [], {
      externalHosts: [{ name: 'dns', ip: '8.8.8.8', ports: [{ port: 53, protocol: 'UDP' }] }],
      hosts: [hostObj('h1', { ip: '192.168.1.50', namespaces: ['net1'] })],
      containers: [containerObj('c1', { host: 'h1', listen: [80] }), containerObj('c2', { host: 'h1', network: 'container:c1' }), containerObj('c3', { host: 'h1', network: 'host' })],
    });
    const s = sim(m);
    expect(s.diagnosticsOut).toEqual([]);
    expect(fibLookup(s.net.namespaces.get('infra/router')!, '8.8.8.8')?.route.dev).toBe('eth1');
    const c1 = nsForRef(s, 'host/h1#c1')!;
    expect(c1.links.find((l) => l.name === 'eth0')?.addrs[0]?.address).toBe('172.17.0.2');
    expect(c1.links.find((l) => l.name === 'eth0')?.mac).toBe('02:42:ac:11:00:02');
    expect(nsForRef(s, 'host/h1#c2')).toBe(c1);
    expect(nsForRef(s, 'host/h1#c3')?.id).toBe('host/h1');
    expect(nsForRef(s, 'host/h1#net1')?.netnsName).toBe('net1');
  });
});

describe('other plugins and backends', () => {
  const two = () => [node(0), node(1)];
  it('calico bgp: remote blocks via the peer node over eth0, proto bird; own block blackholed', () => {
    const n = two();
    const s = sim(model({ network: { plugin: 'calico', backend: 'bgp' } }, n, [pod('a', n[0]!, 2)]));
    const ns = s.net.namespaces.get('node/node-0')!;
    expect(ns.routes.find((r) => r.dst === '10.244.1.0/24')).toMatchObject({ via: '192.168.1.11', dev: 'eth0', proto: 'bird' });
    expect(ns.routes.find((r) => r.dst === '10.244.0.0/24')?.type).toBe('blackhole');
    expect(fibLookup(ns, '10.244.0.2')?.route.dev).toMatch(/^cali/);
    expect(ns.links.find((l) => l.name.startsWith('cali'))).toMatchObject({ mac: 'ee:ee:ee:ee:ee:ee', proxyArp: true });
  });

  it('calico vxlan: vxlan.calico with permanent neighbour and FDB per peer', () => {
    const s = sim(model({ network: { plugin: 'calico', backend: 'vxlan' } }, two(), []));
    const ns = s.net.namespaces.get('node/node-0')!;
    const dev = ns.links.find((l) => l.name === 'vxlan.calico')!;
    expect(dev.vxlan).toMatchObject({ vni: 4096, port: 4789 });
    expect(dev.fdb?.[0]?.dst).toBe('192.168.1.11');
    expect(ns.neigh[0]).toMatchObject({ ip: '10.244.1.0', state: 'PERMANENT' });
  });

  it('canal: cali veths on each node, flannel.1 between nodes', () => {
    const n = two();
    const s = sim(model({ network: { plugin: 'canal' } }, n, [pod('a', n[0]!, 2)]));
    const ns = s.net.namespaces.get('node/node-0')!;
    expect(ns.links.some((l) => l.name === 'flannel.1')).toBe(true);
    expect(ns.links.some((l) => l.kind === 'bridge')).toBe(false);
    expect(fibLookup(ns, '10.244.1.7')?.route.dev).toBe('flannel.1');
  });

  it('containerd\'s cni-UUID namespaces are listed on the node and usable with ip netns exec', () => {
    const s = sim(flannelCluster());
    const list = sh(s, nodeT('node-0'), 'ip netns list');
    const name = /^(cni-[0-9a-f-]{36}) \(id: \d+\)$/m.exec(list)?.[1];
    expect(name).toBeDefined();
    expect(sh(s, nodeT('node-0'), `ip netns exec ${name!} ip -br addr show eth0`)).toMatch(/^eth0@if\d+ +UP +10\.244\.0\.[23]\/24 \n$/);
  });
});

describe('the underlay', () => {
  it('puts a node outside the underlay CIDR in its own subnet behind the router', () => {
    const s = sim(model({ network: { plugin: 'flannel', backend: 'vxlan' } }, [node(0), node(1, { ip: '10.9.0.5' })], []));
    const far = s.net.namespaces.get('node/node-1')!;
    expect(fibLookup(far, '192.168.1.10')?.route.via).toBe('10.9.0.1');
    const router = s.net.namespaces.get('infra/router')!;
    expect(router.links.find((l) => l.name === 'eth0')?.addrs.map((a) => a.address)).toEqual(['192.168.1.1', '10.9.0.1']);
    expect(s.diagnosticsOut).toEqual([]);
  });

  it('reports two machines with one address', () => {
    const s = sim(model({}, [node(0), node(1, { ip: '192.168.1.10' })], []));
    expect(s.diagnosticsOut.map((d) => d.code)).toEqual(['underlay-address-conflict']);
  });
});
