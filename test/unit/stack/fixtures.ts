/**
 * Small networks built by hand, the way `ip` commands would build them, for walk tests that do
 * not depend on the scenario builder: a veth pair, a bridge with several namespaces, two nodes
 * with flannel vxlan / udp / host-gw, calico ipip.
 */
import { buildSim } from '../../../src/engine/index';
import type { Sim } from '../../../src/engine/sim';
import type { Link, LinkKind, NetNs, Network, NsOwner, Route } from '../../../src/engine/net/types';

export class NetBuilder {
  readonly net: Network = { namespaces: new Map(), generation: 1 };
  private macSeq = 1;

  ns(id: string, owner?: NsOwner, machine?: string): NetNs {
    const o: NsOwner = owner ?? ownerFor(id);
    const ns: NetNs = { id, owner: o, machine: machine ?? id, links: [], routes: [], neigh: [], sysctl: {}, listeners: [], nextIfindex: 1 };
    this.net.namespaces.set(id, ns);
    this.link(ns, 'lo', 'loopback', { mac: '00:00:00:00:00:00', mtu: 65536 });
    this.addr(ns, 'lo', '127.0.0.1/8', 'host');
    return ns;
  }

  get(id: string): NetNs { return this.net.namespaces.get(id)!; }

  link(ns: NetNs, name: string, kind: LinkKind, extra: Partial<Link> = {}): Link {
    const l: Link = {
      ifindex: ns.nextIfindex++, name, kind, mac: this.mac(), mtu: 1500, up: true, addrs: [],
      stats: { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0 }, ...extra,
    };
    ns.links.push(l);
    return l;
  }

  mac(): string {
    const n = this.macSeq++;
    return `02:00:00:00:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;
  }

  veth(a: NetNs, aName: string, b: NetNs, bName: string, mtu = 1500): [Link, Link] {
    const la = this.link(a, aName, 'veth', { mtu });
    const lb = this.link(b, bName, 'veth', { mtu });
    la.peer = { ns: b.id, ifindex: lb.ifindex };
    lb.peer = { ns: a.id, ifindex: la.ifindex };
    return [la, lb];
  }

  /** Address plus the kernel's connected route (proto kernel scope link). */
  addr(ns: NetNs, dev: string, cidr: string, scope: 'host' | 'link' | 'global' = 'global'): void {
    const [address, len] = cidr.split('/') as [string, string];
    const link = ns.links.find((l) => l.name === dev)!;
    link.addrs.push({ family: 4, address, prefixLen: Number(len), scope });
    ns.routes.push({ family: 4, table: 255, type: 'local', dst: `${address}/32`, dev, src: address, proto: 'kernel', scope: 'host' });
    if (scope !== 'host' && Number(len) < 32) {
      const ip = address.split('.').map(Number);
      const n = Number(len);
      const v = ((ip[0]! << 24) | (ip[1]! << 16) | (ip[2]! << 8) | ip[3]!) >>> 0;
      const m = n === 0 ? 0 : (0xffffffff << (32 - n)) >>> 0;
      const b = (v & m) >>> 0;
      const net = `${b >>> 24}.${(b >>> 16) & 255}.${(b >>> 8) & 255}.${b & 255}/${n}`;
      ns.routes.push({ family: 4, table: 254, type: 'unicast', dst: net, dev, src: address, proto: 'kernel', scope: 'link' });
    }
    if (scope === 'host' && address === '127.0.0.1') {
      ns.routes.push({ family: 4, table: 255, type: 'local', dst: '127.0.0.0/8', dev, src: address, proto: 'kernel', scope: 'host' });
    }
  }

  route(ns: NetNs, dst: string, r: Partial<Route> & { dev?: string; via?: string }): void {
    ns.routes.push({ family: 4, table: 254, type: 'unicast', dst, proto: 'boot', scope: r.via ? 'global' : 'link', ...r });
  }

  bridge(ns: NetNs, name: string): Link {
    return this.link(ns, name, 'bridge', { fdb: [] });
  }

  enslave(ns: NetNs, dev: string, br: string): void {
    ns.links.find((l) => l.name === dev)!.master = br;
  }

  listen(ns: NetNs, protocol: 'tcp' | 'udp', port: number, owner: string, app: NetNs['listeners'][number]['app']): void {
    ns.listeners.push({ protocol, address: '0.0.0.0', port, owner, app });
  }

  sim(): Sim {
    const { sim } = buildSim('', { seed: 1 });
    return { ...sim, net: this.net };
  }
}

function ownerFor(id: string): NsOwner {
  const p = id.split('/');
  // As the builder does: a named namespace's machine is the Host's name ("h1" for host/h1#net1).
  if (id.includes('#')) return { kind: 'netns', machine: id.split('#')[0]!.split('/')[1]!, name: id.split('#')[1]! };
  if (p[0] === 'pod') return { kind: 'pod', namespace: p[1]!, name: p[2]! };
  if (p[0] === 'node') return { kind: 'node', name: p[1]! };
  if (p[0] === 'host') return { kind: 'host', name: p[1]! };
  return { kind: 'infra', name: p[1] ?? id };
}

/** The seed's first chapter: net1 and net2 joined by a veth pair, 20.1.1.1/24 and 20.1.1.2/24. */
export function vethPair(): { b: NetBuilder; sim: Sim } {
  const b = new NetBuilder();
  b.ns('host/h1');
  const n1 = b.ns('host/h1#net1');
  const n2 = b.ns('host/h1#net2');
  b.veth(n1, 'veth1', n2, 'veth2');
  b.addr(n1, 'veth1', '20.1.1.1/24');
  b.addr(n2, 'veth2', '20.1.1.2/24');
  return { b, sim: b.sim() };
}

/** Three namespaces on one bridge br0 in host h1 (the seed's n namespaces, n veths). */
export function bridgeOfThree(): { b: NetBuilder; sim: Sim } {
  const b = new NetBuilder();
  const h = b.ns('host/h1');
  b.bridge(h, 'br0');
  for (let i = 1; i <= 3; i++) {
    const n = b.ns(`host/h1#net${i}`);
    b.veth(n, 'eth0', h, `veth${i}`);
    b.enslave(h, `veth${i}`, 'br0');
    b.addr(n, 'eth0', `20.1.1.${i}/24`);
  }
  return { b, sim: b.sim() };
}

export type Backend = 'vxlan' | 'udp' | 'host-gw' | 'ipip' | 'bgp' | 'bridge';

/**
 * Two nodes (192.168.1.11/.12 on an underlay bridge), each with cni0 and two Pods, joined by the
 * given backend. Pods: pod/default/a-N and b-N on node-N, 10.244.N.2 and .3.
 */
export function twoNodes(backend: Backend, opts: { podMtu?: number } = {}): { b: NetBuilder; sim: Sim } {
  const b = new NetBuilder();
  const under = b.ns('infra/underlay');
  b.bridge(under, 'br-underlay');
  const nodes: NetNs[] = [];
  const calico = backend === 'ipip' || backend === 'bgp';
  const overlayMtu = backend === 'vxlan' ? 1450 : backend === 'udp' ? 1472 : backend === 'ipip' ? 1480 : 1500;
  for (const i of [1, 2]) {
    const node = b.ns(`node/node-${i}`);
    nodes.push(node);
    node.sysctl['net.ipv4.ip_forward'] = '1';
    b.veth(node, 'eth0', under, `port${i}`);
    b.enslave(under, `port${i}`, 'br-underlay');
    b.addr(node, 'eth0', `192.168.1.1${i}/24`);
    if (!calico) {
      b.bridge(node, 'cni0').mtu = overlayMtu;
      b.addr(node, 'cni0', `10.244.${i}.1/24`);
    }
    for (const [j, name] of [[2, `a-${i}`], [3, `b-${i}`]] as const) {
      const pod = b.ns(`pod/default/${name}`, undefined, `node/node-${i}`);
      const hostEnd = calico ? `cali${i}${j}` : `veth${i}${j}`;
      b.veth(pod, 'eth0', node, hostEnd, opts.podMtu ?? overlayMtu);
      b.addr(pod, 'eth0', `10.244.${i}.${j}/${calico ? 32 : 24}`);
      b.listen(pod, 'tcp', 80, `pod/default/${name}`, { kind: 'http', name });
      b.listen(pod, 'udp', 7, `pod/default/${name}`, { kind: 'echo' });
      if (calico) {
        b.route(pod, '169.254.1.1/32', { dev: 'eth0', scope: 'link' });
        b.route(pod, 'default', { via: '169.254.1.1', dev: 'eth0' });
        const l = node.links.find((x) => x.name === hostEnd)!;
        l.proxyArp = true;
        l.mac = 'ee:ee:ee:ee:ee:ee';
        b.route(node, `10.244.${i}.${j}/32`, { dev: hostEnd, scope: 'link', proto: 'static' });
      } else {
        b.route(pod, 'default', { via: `10.244.${i}.1`, dev: 'eth0' });
        b.enslave(node, hostEnd, 'cni0');
      }
    }
  }
  const [n1, n2] = nodes as [NetNs, NetNs];
  if (backend === 'vxlan') {
    const vteps: Link[] = [];
    for (const [i, n] of [[1, n1], [2, n2]] as const) {
      const vx = b.link(n, 'flannel.1', 'vxlan', { mtu: 1450, fdb: [], vxlan: { vni: 1, port: 8472, local: `192.168.1.1${i}`, dev: 'eth0', learning: false } });
      b.addr(n, 'flannel.1', `10.244.${i}.0/32`);
      vteps.push(vx);
    }
    for (const [i, n, other] of [[1, n1, 2], [2, n2, 1]] as const) {
      const peer = vteps[other - 1]!;
      const vx = vteps[i - 1]!;
      b.route(n, `10.244.${other}.0/24`, { via: `10.244.${other}.0`, dev: 'flannel.1', onlink: true });
      n.neigh.push({ family: 4, ip: `10.244.${other}.0`, dev: 'flannel.1', mac: peer.mac, state: 'PERMANENT', updatedAt: 0 });
      vx.fdb!.push({ mac: peer.mac, dev: 'flannel.1', dst: `192.168.1.1${other}`, permanent: true, updatedAt: 0 });
    }
  } else if (backend === 'udp') {
    for (const [i, n] of [[1, n1], [2, n2]] as const) {
      b.link(n, 'flannel0', 'tun', { mtu: 1472, tun: { owner: 'flanneld', port: 8285 }, mac: '00:00:00:00:00:00' });
      b.addr(n, 'flannel0', `10.244.${i}.0/16`);
      n.routes.splice(n.routes.findIndex((r) => r.dst === '10.244.0.0/16'), 1);
      b.route(n, '10.244.0.0/16', { dev: 'flannel0' });
      b.listen(n, 'udp', 8285, `node/node-${i}`, { kind: 'flanneld' });
    }
  } else if (backend === 'host-gw' || backend === 'bgp') {
    b.route(n1, '10.244.2.0/24', { via: '192.168.1.12', dev: 'eth0', ...(backend === 'bgp' ? { proto: 'bird' } : {}) });
    b.route(n2, '10.244.1.0/24', { via: '192.168.1.11', dev: 'eth0', ...(backend === 'bgp' ? { proto: 'bird' } : {}) });
  } else if (backend === 'ipip') {
    for (const [i, n, other] of [[1, n1, 2], [2, n2, 1]] as const) {
      b.link(n, 'tunl0', 'ipip', { mtu: 1480, mac: '00:00:00:00:00:00', ipip: {} });
      b.addr(n, 'tunl0', `10.244.${i}.0/32`);
      b.route(n, `10.244.${other}.0/24`, { via: `192.168.1.1${other}`, dev: 'tunl0', onlink: true, proto: 'bird' });
    }
  }
  if (backend !== 'bridge') {
    // A default route towards the underlay gateway, as nodes have (Calico's proxy ARP needs a route for 169.254.1.1).
    b.route(n1, 'default', { via: '192.168.1.1', dev: 'eth0' });
    b.route(n2, 'default', { via: '192.168.1.1', dev: 'eth0' });
  } else {
    // The routed model without an overlay: a router on the underlay holds a route per node's Pod CIDR.
    const r = b.ns('infra/router');
    r.sysctl['net.ipv4.ip_forward'] = '1';
    b.veth(r, 'eth0', under, 'port-router');
    b.enslave(under, 'port-router', 'br-underlay');
    b.addr(r, 'eth0', '192.168.1.1/24');
    b.route(r, '10.244.1.0/24', { via: '192.168.1.11', dev: 'eth0' });
    b.route(r, '10.244.2.0/24', { via: '192.168.1.12', dev: 'eth0' });
    b.route(n1, 'default', { via: '192.168.1.1', dev: 'eth0' });
    b.route(n2, 'default', { via: '192.168.1.1', dev: 'eth0' });
  }
  return { b, sim: b.sim() };
}
