import { describe, expect, it } from 'vitest';
import { locate, toFlow } from '../../../src/app/canvas/flow';
import type { NsSnap, Snapshot } from '../../../src/worker/snapshot';

const link = (name: string, kind: string, extra: Partial<NsSnap['links'][number]> = {}) => ({
  ifindex: 1, name, kind, mac: '02:00:00:00:00:01', mtu: 1500, up: true, addrs: [], fdb: [], stats: { rx: 0, tx: 0, dropped: 0 }, ...extra,
});

/** A two-node flannel cluster as the worker would describe it. */
function snap(): Snapshot {
  const nodeNs = (n: string, i: number): NsSnap => ({
    id: `node/${n}`, machine: `node/${n}`, owner: { kind: 'node', name: n }, routes: [], neigh: [], listeners: [], chains: null, conntrack: null, ipvs: null,
    links: [link('lo', 'loopback'), link('eth0', 'ether', { addrs: [`192.168.1.1${i}/24`] }), link('cni0', 'bridge', { addrs: [`10.244.${i}.1/24`] }), link('flannel.1', 'vxlan'), link(`veth${i}`, 'veth', { master: 'cni0' })],
  });
  const podNs = (name: string, node: number): NsSnap => ({
    id: `pod/default/${name}`, machine: `pod/default/${name}`, owner: { kind: 'pod', namespace: 'default', name }, routes: [], neigh: [], listeners: [], chains: null, conntrack: null, ipvs: null,
    links: [link('eth0', 'veth', { peer: { ns: `node/node-${node}`, dev: `veth${node}` } })],
  });
  const pod = (name: string, node: string, ip: string) => ({ id: `pod/default/${name}`, namespace: 'default', name, node, ip, phase: 'Running', labels: {}, system: false, hostNetwork: false, containers: [] });
  return {
    generation: 1,
    cluster: { name: 'c', hasCluster: true, plugin: 'flannel', backend: 'vxlan', bridge: 'cni0', kubeProxy: 'iptables', podCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/12', underlayCIDR: '192.168.1.0/24' },
    nodes: [1, 2].map((i) => ({ id: `node/node-${i}`, name: `node-${i}`, ip: `192.168.1.1${i}`, podCIDR: `10.244.${i}.0/24`, controlPlane: false, ready: true })),
    pods: [pod('client', 'node-1', '10.244.1.2'), pod('web-1', 'node-2', '10.244.2.2')],
    services: [{ id: 'svc/default/web', namespace: 'default', name: 'web', type: 'ClusterIP', clusterIP: '10.96.0.20', ports: ['80→8080/TCP'], endpoints: ['pod/default/web-1'] }],
    hosts: [],
    probes: [],
    policies: [],
    namespaces: [nodeNs('node-1', 1), nodeNs('node-2', 2), podNs('client', 1), podNs('web-1', 2)],
  };
}

describe('cluster view', () => {
  const flow = toFlow(snap(), { kind: 'cluster' }, {});
  const byId = new Map(flow.nodes.map((n) => [n.id, n]));

  it('draws nodes as groups holding their Pods and their bridge, tunnel and eth0', () => {
    expect(byId.get('node/node-1')?.type).toBe('machine');
    expect(byId.get('pod/default/client')?.parentId).toBe('node/node-1');
    expect(byId.get('pod/default/web-1')?.parentId).toBe('node/node-2');
    for (const d of ['cni0', 'flannel.1', 'eth0']) expect(byId.get(`node/node-1/${d}`)?.parentId).toBe('node/node-1');
    expect(byId.has('node/node-1/lo')).toBe(false);
    expect(byId.get('svc/default/web')?.type).toBe('service');
    expect(byId.get('infra/underlay')?.type).toBe('underlay');
  });

  it('puts every parent before its children, as React Flow requires', () => {
    const index = new Map(flow.nodes.map((n, i) => [n.id, i]));
    for (const n of flow.nodes) if (n.parentId) expect(index.get(n.parentId)!).toBeLessThan(index.get(n.id)!);
  });

  it('joins Pods to the bridge by their veth, the tunnels to each other and eth0 to the underlay', () => {
    const kinds = flow.edges.map((e) => `${e.data?.kind} ${e.source} ${e.target}`);
    expect(kinds).toContain('veth pod/default/client node/node-1/cni0');
    expect(flow.edges.find((e) => e.source === 'pod/default/client')?.data?.label).toBe('veth1');
    expect(kinds).toContain('tunnel node/node-1/flannel.1 node/node-2/flannel.1');
    expect(kinds).toContain('underlay node/node-1/eth0 infra/underlay');
    expect(kinds).toContain('endpoint svc/default/web pod/default/web-1');
  });

  it('is stable: the same snapshot gives the same layout, and dragged positions win', () => {
    expect(toFlow(snap(), { kind: 'cluster' }, {})).toEqual(flow);
    const moved = toFlow(snap(), { kind: 'cluster' }, { 'pod/default/client': { x: 5, y: 6 } });
    expect(moved.nodes.find((n) => n.id === 'pod/default/client')?.position).toEqual({ x: 5, y: 6 });
  });
});

describe('kernel view', () => {
  it('shows one node: its Pods, veths, bridge, netfilter pipeline, tunnel and eth0', () => {
    const flow = toFlow(snap(), { kind: 'kernel', node: 'node-1' }, {});
    const ids = flow.nodes.map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining(['pod/default/client', 'node/node-1/veth1', 'node/node-1/cni0', 'node/node-1/netfilter', 'node/node-1/flannel.1', 'node/node-1/eth0']));
    expect(ids).not.toContain('pod/default/web-1');
    const edges = flow.edges.map((e) => `${e.source}>${e.target}`);
    expect(edges).toEqual(expect.arrayContaining(['pod/default/client>node/node-1/veth1', 'node/node-1/veth1>node/node-1/cni0', 'node/node-1/cni0>node/node-1/netfilter']));
    for (const n of flow.nodes) expect(Number.isFinite(n.position.x) && Number.isFinite(n.position.y)).toBe(true);
  });

  it('runs left to right for a wide canvas: Pod beside its veth, then bridge, netfilter, tunnel, eth0, the underlay under eth0, nothing overlapping', () => {
    const s = snap();
    // Five Pods on node-1 (each with its veth): more than one column of the Pod block.
    const extra = ['a', 'b', 'c', 'd'].map((x, i) => ({ ...s.pods[0]!, id: `pod/default/${x}`, name: x, ip: `10.244.1.${10 + i}` }));
    const ns = s.namespaces.find((n) => n.id === 'node/node-1')!;
    const wide: Snapshot = {
      ...s,
      pods: [...s.pods, ...extra],
      namespaces: [
        ...s.namespaces.filter((n) => n.id !== 'node/node-1'),
        { ...ns, links: [...ns.links, ...extra.map((p) => link(`veth-${p.name}`, 'veth', { master: 'cni0' }))] },
        ...extra.map((p) => ({ ...s.namespaces.find((n) => n.id === 'pod/default/client')!, id: p.id, machine: p.id, owner: { kind: 'pod' as const, namespace: 'default', name: p.name }, links: [link('eth0', 'veth', { peer: { ns: 'node/node-1', dev: `veth-${p.name}` } })] })),
      ],
    };
    const flow = toFlow(wide, { kind: 'kernel', node: 'node-1' }, {});
    const box = new Map(flow.nodes.map((n) => [n.id, { x: n.position.x, y: n.position.y, w: n.width!, h: n.height! }]));
    const b = (id: string) => box.get(id)!;
    const right = (id: string) => b(id).x + b(id).w;
    // A Pod's veth is on its right, on the same row.
    expect(b('node/node-1/veth-a').x).toBeGreaterThan(right('pod/default/a'));
    expect(Math.abs(b('node/node-1/veth-a').y + b('node/node-1/veth-a').h / 2 - (b('pod/default/a').y + b('pod/default/a').h / 2))).toBeLessThan(1);
    const pods = ['client', 'a', 'b', 'c', 'd'].map((p) => `pod/default/${p}`);
    for (const p of pods) expect(b('node/node-1/cni0').x, p).toBeGreaterThan(right(p));
    expect(b('node/node-1/netfilter').x).toBeGreaterThan(right('node/node-1/cni0'));
    expect(b('node/node-1/flannel.1').x).toBeGreaterThan(right('node/node-1/netfilter'));
    expect(b('node/node-1/eth0').x).toBeGreaterThan(right('node/node-1/netfilter'));
    expect(b('infra/underlay').y).toBeGreaterThan(b('node/node-1/eth0').y + b('node/node-1/eth0').h);
    // The whole drawing is wider than high, as the canvas is.
    const all = [...box.values()];
    const w = Math.max(...all.map((r) => r.x + r.w)) - Math.min(...all.map((r) => r.x));
    const h = Math.max(...all.map((r) => r.y + r.h)) - Math.min(...all.map((r) => r.y));
    expect(w / h).toBeGreaterThan(2);
    const ids = [...box.keys()];
    const overlaps = ids.flatMap((a, i) => ids.slice(i + 1).filter((c) => b(a).x < right(c) && b(c).x < right(a) && b(a).y < b(c).y + b(c).h && b(c).y < b(a).y + b(a).h).map((c) => `${a} / ${c}`));
    expect(overlaps).toEqual([]);
  });
});

describe('locate', () => {
  const ids = new Set(['node/node-1', 'node/node-1/cni0', 'pod/default/client', 'infra/underlay']);
  it('maps a trace event to the most specific canvas node', () => {
    expect(locate({ machine: 'node/node-1', ns: 'node/node-1', dev: 'cni0' }, ids)).toBe('node/node-1/cni0');
    expect(locate({ machine: 'node/node-1', ns: 'node/node-1', dev: 'veth9' }, ids)).toBe('node/node-1');
    expect(locate({ machine: 'pod/default/client', ns: 'pod/default/client', dev: 'eth0' }, ids)).toBe('pod/default/client');
    expect(locate({ machine: 'infra/router', ns: 'infra/router', dev: 'eth0' }, ids)).toBe('infra/underlay');
    expect(locate({ machine: 'host/x', ns: 'host/x' }, ids)).toBeNull();
  });
});

describe('netfilter pipeline', () => {
  it('expands a hook into its built-in chains and the user chains they jump to, table by table', async () => {
    const { reachable } = await import('../../../src/app/canvas/nodes');
    const r = (text: string) => ({ text, packets: 0, bytes: 0 });
    const chains = [
      { table: 'filter', name: 'FORWARD', policy: 'ACCEPT', rules: [r('-j KUBE-FORWARD')] },
      { table: 'filter', name: 'KUBE-FORWARD', rules: [r('-m conntrack --ctstate INVALID -j DROP')] },
      { table: 'nat', name: 'PREROUTING', policy: 'ACCEPT', rules: [r('-m comment --comment "kubernetes service portals" -j KUBE-SERVICES')] },
      { table: 'nat', name: 'KUBE-SERVICES', rules: [r('-d 10.96.0.20/32 -p tcp --dport 80 -j KUBE-SVC-X')] },
      { table: 'nat', name: 'KUBE-SVC-X', rules: [r('-j KUBE-SEP-Y')] },
      { table: 'nat', name: 'KUBE-SEP-Y', rules: [r('-p tcp -j DNAT --to-destination 10.244.2.2:8080')] },
      { table: 'nat', name: 'KUBE-UNUSED', rules: [] },
    ];
    expect(reachable(chains, 'PREROUTING').map((c) => `${c.table}/${c.name}`)).toEqual(['nat/PREROUTING', 'nat/KUBE-SERVICES', 'nat/KUBE-SVC-X', 'nat/KUBE-SEP-Y']);
    expect(reachable(chains, 'FORWARD').map((c) => c.name)).toEqual(['FORWARD', 'KUBE-FORWARD']);
  });
});
