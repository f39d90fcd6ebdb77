/**
 * One cross-node trace in a 50-node, 5,000-Pod flannel vxlan cluster (target < 1 ms). The
 * network is built by hand here, the way flannel and the bridge plugin lay it out, so the
 * figure measures the walk alone (model build time is the network builder's bench).
 */
import { buildSim } from '../src/engine/index';
import type { Link, LinkKind, NetNs, Network } from '../src/engine/net/types';
import type { Sim } from '../src/engine/sim';
import { walk } from '../src/engine/stack/walk';
import { time, type Bench } from './harness';

const NODES = 50;
const PODS_PER_NODE = 100;

function mac(n: number): string {
  const h = (x: number): string => (x & 255).toString(16).padStart(2, '0');
  return `02:00:${h(n >>> 24)}:${h(n >>> 16)}:${h(n >>> 8)}:${h(n)}`;
}

export function bigCluster(): Sim {
  const net: Network = { namespaces: new Map(), generation: 1 };
  let macs = 1;
  const mkNs = (id: string, owner: NetNs['owner']): NetNs => {
    const ns: NetNs = { id, owner, machine: id, links: [], routes: [], neigh: [], sysctl: {}, listeners: [], nextIfindex: 1 };
    net.namespaces.set(id, ns);
    link(ns, 'lo', 'loopback', '127.0.0.1', 8).mac = '00:00:00:00:00:00';
    return ns;
  };
  function link(ns: NetNs, name: string, kind: LinkKind, ip?: string, len = 24, mtu = 1500): Link {
    const l: Link = { ifindex: ns.nextIfindex++, name, kind, mac: mac(macs++), mtu, up: true, addrs: [], stats: { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0 } };
    ns.links.push(l);
    if (ip) {
      l.addrs.push({ family: 4, address: ip, prefixLen: len, scope: name === 'lo' ? 'host' : 'global' });
      ns.routes.push({ family: 4, table: 255, type: 'local', dst: `${ip}/32`, dev: name, src: ip, proto: 'kernel', scope: 'host' });
      if (len < 32 && name !== 'lo') {
        const p = ip.split('.').map(Number);
        const base = len === 24 ? `${p[0]}.${p[1]}.${p[2]}.0/24` : `${p[0]}.${p[1]}.0.0/16`;
        ns.routes.push({ family: 4, table: 254, type: 'unicast', dst: base, dev: name, src: ip, proto: 'kernel', scope: 'link' });
      }
    }
    return l;
  }
  const pair = (a: NetNs, an: string, b: NetNs, bn: string, mtu: number): [Link, Link] => {
    const x = link(a, an, 'veth', undefined, 24, mtu);
    const y = link(b, bn, 'veth', undefined, 24, mtu);
    x.peer = { ns: b.id, ifindex: y.ifindex };
    y.peer = { ns: a.id, ifindex: x.ifindex };
    return [x, y];
  };
  const under = mkNs('infra/underlay', { kind: 'infra', name: 'underlay' });
  const ubr = link(under, 'br0', 'bridge');
  ubr.fdb = [];
  const vteps: Link[] = [];
  const nodes: NetNs[] = [];
  for (let i = 1; i <= NODES; i++) {
    const node = mkNs(`node/node-${i}`, { kind: 'node', name: `node-${i}` });
    nodes.push(node);
    node.sysctl['net.ipv4.ip_forward'] = '1';
    const [eth] = pair(node, 'eth0', under, `port${i}`, 1500);
    void eth;
    under.links[under.links.length - 1]!.master = 'br0';
    node.links.find((l) => l.name === 'eth0')!.addrs.push({ family: 4, address: `192.168.0.${i}`, prefixLen: 16, scope: 'global' });
    node.routes.push({ family: 4, table: 255, type: 'local', dst: `192.168.0.${i}/32`, dev: 'eth0', src: `192.168.0.${i}`, proto: 'kernel', scope: 'host' });
    node.routes.push({ family: 4, table: 254, type: 'unicast', dst: '192.168.0.0/16', dev: 'eth0', src: `192.168.0.${i}`, proto: 'kernel', scope: 'link' });
    const cni = link(node, 'cni0', 'bridge', `10.244.${i}.1`, 24, 1450);
    cni.fdb = [];
    const vx = link(node, 'flannel.1', 'vxlan', `10.244.${i}.0`, 32, 1450);
    vx.vxlan = { vni: 1, port: 8472, local: `192.168.0.${i}`, dev: 'eth0', learning: false };
    vx.fdb = [];
    vteps.push(vx);
    for (let j = 2; j < 2 + PODS_PER_NODE; j++) {
      const pod = mkNs(`pod/default/p-${i}-${j}`, { kind: 'pod', namespace: 'default', name: `p-${i}-${j}` });
      pair(pod, 'eth0', node, `veth${i}x${j}`, 1450);
      node.links[node.links.length - 1]!.master = 'cni0';
      const e = pod.links.find((l) => l.name === 'eth0')!;
      e.addrs.push({ family: 4, address: `10.244.${i}.${j}`, prefixLen: 24, scope: 'global' });
      pod.routes.push({ family: 4, table: 255, type: 'local', dst: `10.244.${i}.${j}/32`, dev: 'eth0', src: `10.244.${i}.${j}`, proto: 'kernel', scope: 'host' });
      pod.routes.push({ family: 4, table: 254, type: 'unicast', dst: `10.244.${i}.0/24`, dev: 'eth0', src: `10.244.${i}.${j}`, proto: 'kernel', scope: 'link' });
      pod.routes.push({ family: 4, table: 254, type: 'unicast', dst: 'default', via: `10.244.${i}.1`, dev: 'eth0', proto: 'boot', scope: 'global' });
      pod.listeners.push({ protocol: 'tcp', address: '0.0.0.0', port: 80, owner: pod.id, app: { kind: 'http', name: `p-${i}-${j}` } });
    }
  }
  for (let i = 1; i <= NODES; i++) {
    const node = nodes[i - 1]!;
    for (let k = 1; k <= NODES; k++) {
      if (k === i) continue;
      node.routes.push({ family: 4, table: 254, type: 'unicast', dst: `10.244.${k}.0/24`, via: `10.244.${k}.0`, dev: 'flannel.1', onlink: true, proto: 'boot', scope: 'global' });
      node.neigh.push({ family: 4, ip: `10.244.${k}.0`, dev: 'flannel.1', mac: vteps[k - 1]!.mac, state: 'PERMANENT', updatedAt: 0 });
      vteps[i - 1]!.fdb!.push({ mac: vteps[k - 1]!.mac, dev: 'flannel.1', dst: `192.168.0.${k}`, permanent: true, updatedAt: 0 });
    }
  }
  const { sim } = buildSim('', { seed: 1 });
  return { ...sim, net };
}

export const bench: Bench = () => {
  const sim = bigCluster();
  const ping = { from: 'pod/default/p-1-2', to: '10.244.50.101', protocol: 'icmp' as const };
  const http = { from: 'pod/default/p-1-3', to: 'http://10.244.49.77/' };
  if (walk(sim, ping).verdict !== 'delivered' || walk(sim, http).verdict !== 'delivered') throw new Error('bench walk did not deliver');
  return [
    time('walk: cross-node ping, 50 nodes / 5,000 Pods (flannel vxlan)', () => { walk(sim, ping); }, { runs: 200, warmup: 20, targetMs: 1 }),
    time('walk: cross-node HTTP (SYN..FIN), 50 nodes / 5,000 Pods (flannel vxlan)', () => { walk(sim, http); }, { runs: 100, warmup: 10, targetMs: 1, note: 'full TCP exchange, 7 legs' }),
  ];
};
