/**
 * installRules on a hand-built network: IPVS state, ipsets and kube-ipvs0 land in the node's
 * namespace, the shell's ipvsadm/ipset print them, the restore function receives each machine's
 * text, and userspace mode opens kube-proxy's sockets.
 */
import { describe, expect, it } from 'vitest';
import { installRules, userspaceStateOf } from '../../../src/engine/agents/kubeproxy/install';
import { userspaceAdvance, userspaceBackend } from '../../../src/engine/agents/kubeproxy/userspace';
import { runArgv } from '../../../src/engine/shell/run';
import type { ClusterModel } from '../../../src/engine/model/cluster';
import type { NetNs } from '../../../src/engine/net/types';
import type { Sim } from '../../../src/engine/sim';
import { acceptAll } from '../../../src/engine/netfilter/hook';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import { createRand } from '../../../src/engine/util/rand';
import type { ClusterSpecIn } from '../../../src/engine/scenario/schema/knp';
import { ep, model, node, port, service, slice } from './fixtures';

const node1 = node('node-1', '192.168.1.11', '10.244.1.0/24');

function nodeNs(): NetNs {
  return {
    id: 'node/node-1', owner: { kind: 'node', name: 'node-1' }, machine: 'node-1', routes: [], neigh: [], sysctl: {}, listeners: [], nextIfindex: 3,
    links: [{ ifindex: 2, name: 'eth0', kind: 'ether', mac: '02:00:00:00:00:01', mtu: 1500, up: true, addrs: [{ family: 4, address: '192.168.1.11', prefixLen: 24, scope: 'global' }], stats: { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0 } }],
  };
}

function sim(spec: ClusterSpecIn): { sim: Sim; ns: NetNs } {
  const m: ClusterModel = model({
    spec, nodes: [node1],
    services: [service('default', 'web', '10.96.120.15', [port('http', 80, { targetPort: 8080, nodePort: 30080 })], { type: 'NodePort' })],
    slices: [slice('default', 'web', [ep('10.244.1.5', { nodeName: 'node-1' }), ep('10.244.2.7', { nodeName: 'node-2' })], [{ name: 'http', port: 8080 }])],
  });
  const ns = nodeNs();
  const s: Sim = { file: 't.yaml', seed: 3, model: m, net: { namespaces: new Map([[ns.id, ns]]), generation: 0 }, diagnostics: [], rand: createRand(3), netfilter: acceptAll, apps: new Map(), now: 0 };
  return { sim: s, ns };
}

describe('installRules', () => {
  it('IPVS mode: table, ipsets, kube-ipvs0 and its local routes; ipvsadm and ipset print them', () => {
    const { sim: s, ns } = sim({ kubeProxy: { mode: 'ipvs' } });
    const texts: string[] = [];
    // The real restore: `ipset list`'s References counts the loaded rules that match the set.
    const res = installRules(s, (rns, text) => { texts.push(text); return iptablesRestore(rns, text); });
    expect(res.map((r) => r.machine)).toEqual(['node/node-1']);
    expect(texts[0]).toContain('KUBE-CLUSTER-IP');
    const dev = ns.links.find((l) => l.name === 'kube-ipvs0')!;
    expect(dev.kind).toBe('dummy');
    expect(dev.up).toBe(false);
    expect(dev.addrs.map((a) => `${a.address}/${a.prefixLen}`)).toEqual(['10.96.120.15/32']);
    expect(ns.sysctl['net.ipv4.vs.conntrack']).toBe('1');
    expect(ns.routes).toContainEqual(expect.objectContaining({ table: 255, type: 'local', dst: '10.96.120.15/32', dev: 'kube-ipvs0' }));
    const list = runArgv(s, { kind: 'node', name: 'node-1' }, ['ipvsadm', '-Ln']);
    expect(list.stdout).toContain('TCP  192.168.1.11:30080 rr\n');
    expect(list.stdout).toContain('TCP  10.96.120.15:80 rr\n');
    const one = runArgv(s, { kind: 'node', name: 'node-1' }, ['ipvsadm', '-Ln', '-t', '10.96.120.15:80']);
    expect(one.stdout).not.toContain('30080');
    expect(runArgv(s, { kind: 'node', name: 'node-1' }, ['ipvsadm', '-Ln', '-t', '10.1.1.1:80']).stderr).toBe('No such service\n');
    const set = runArgv(s, { kind: 'node', name: 'node-1' }, ['ipset', 'list', 'KUBE-CLUSTER-IP']);
    expect(set.stdout).toContain('References: 3\n');
    expect(set.stdout).toContain('Members:\n10.96.120.15,tcp:80\n');
    // installing again (after a model change) keeps one kube-ipvs0
    installRules(s);
    expect(ns.links.filter((l) => l.name === 'kube-ipvs0')).toHaveLength(1);
  });

  it('iptables mode: no IPVS state, the ruleset goes to the loader', () => {
    const { sim: s, ns } = sim({});
    const res = installRules(s, () => ({ ok: false, line: 3, error: 'bad' }));
    expect(res[0]!.error).toBe('line 3: bad');
    expect(res[0]!.rules).toContain('-A KUBE-NODEPORTS -m comment --comment default/web:http');
    expect(ns.ipvs).toBeUndefined();
    expect(ns.sysctl['net.ipv4.conf.all.route_localnet']).toBe('1');
    expect(runArgv(s, { kind: 'node', name: 'node-1' }, ['ipvsadm', '-Ln']).stdout).toBe('IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n');
  });

  it('userspace mode: kube-proxy listens, round-robin with retry on another backend', () => {
    const { sim: s, ns } = sim({ kubeProxy: { mode: 'userspace' } });
    installRules(s);
    const l = ns.listeners.find((x) => x.app.kind === 'proxy')!;
    expect(l.owner).toBe('node/node-1');
    const st = userspaceStateOf(ns)!;
    expect(userspaceBackend(st, l.port, 0)).toBe('10.244.1.5:8080');
    expect(userspaceBackend(st, l.port, 1)).toBe('10.244.2.7:8080');
    expect(userspaceBackend(st, l.port, 2)).toBeNull();
    userspaceAdvance(st, l.port);
    expect(userspaceBackend(st, l.port, 0)).toBe('10.244.2.7:8080');
    expect(userspaceBackend(st, l.port, 1)).toBe('10.244.1.5:8080');
  });
});
