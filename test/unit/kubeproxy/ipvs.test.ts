/**
 * IPVS: the virtual servers kube-proxy programs, the schedulers' decisions (10,000 of them:
 * rr is exactly round-robin, persistence pins a client), ipvsadm/ipset formats, and the
 * probability ladder of iptables mode (each endpoint equally likely).
 */
import { describe, expect, it } from 'vitest';
import { buildIpvsState } from '../../../src/engine/agents/kubeproxy/ipvsstate';
import { ipvsCommit, ipvsReverse, ipvsSchedule, schedule, type IpvsService, type IpvsState } from '../../../src/engine/ipvs/ipvs';
import { formatIpvsadmList } from '../../../src/engine/ipvs/ipvsadm';
import { buildKubeIpsets } from '../../../src/engine/agents/kubeproxy/ipset';
import { formatIpsetList } from '../../../src/engine/netfilter/ipset';
import { allServicePorts } from '../../../src/engine/agents/kubeproxy/serviceports';
import { probability, savedProbability } from '../../../src/engine/agents/kubeproxy/names';
import type { Packet } from '../../../src/engine/net/packet';
import type { NetNs } from '../../../src/engine/net/types';
import { createRand } from '../../../src/engine/util/rand';
import { ep, model, node, port, service, slice } from './fixtures';

const node1 = node('node-1', '192.168.1.11', '10.244.1.0/24');
const node2 = node('node-2', '192.168.1.12', '10.244.2.0/24');
const eps = [ep('10.244.1.5', { nodeName: 'node-1' }), ep('10.244.2.7', { nodeName: 'node-2' }), ep('10.244.2.8', { nodeName: 'node-2' })];

function cluster(extra: Parameters<typeof service>[4] = {}, scheduler: 'rr' | 'wrr' | 'lc' | 'wlc' | 'sh' | 'dh' | 'sed' | 'nq' = 'rr') {
  return model({
    spec: { kubeProxy: { mode: 'ipvs', scheduler } }, nodes: [node1, node2],
    services: [service('default', 'web', '10.96.120.15', [port('http', 80, { targetPort: 8080, nodePort: 30080 })], { type: 'NodePort', ...extra })],
    slices: [slice('default', 'web', eps, [{ name: 'http', port: 8080 }])],
  });
}

function nsWith(state: IpvsState): NetNs {
  return { id: 'node/node-1', owner: { kind: 'node', name: 'node-1' }, machine: 'node-1', links: [], routes: [], neigh: [], sysctl: {}, listeners: [], nextIfindex: 1, ipvs: state };
}

function syn(src: string, sport: number, dst = '10.96.120.15', dport = 80): Packet {
  return { ip: { version: 4, src, dst, ttl: 64, protocol: 6, id: 0, df: true, tos: 0, length: 60 }, tcp: { sport, dport, seq: 0, ack: 0, flags: { syn: true }, window: 64240 } };
}

describe('IPVS virtual servers', () => {
  it('one per ClusterIP and per node address for a NodePort, real servers from the endpoints', () => {
    const state = buildIpvsState(cluster(), node1);
    expect([...state.services.keys()].sort()).toEqual(['TCP|10.96.120.15|80', 'TCP|192.168.1.11|30080']);
    expect(state.boundAddresses).toEqual(['10.96.120.15']);
    expect(formatIpvsadmList(state)).toBe([
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port Scheduler Flags',
      '  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn',
      'TCP  10.96.120.15:80 rr',
      '  -> 10.244.1.5:8080              Masq    1      0          0         ',
      '  -> 10.244.2.7:8080              Masq    1      0          0         ',
      '  -> 10.244.2.8:8080              Masq    1      0          0         ',
      'TCP  192.168.1.11:30080 rr',
      '  -> 10.244.1.5:8080              Masq    1      0          0         ',
      '  -> 10.244.2.7:8080              Masq    1      0          0         ',
      '  -> 10.244.2.8:8080              Masq    1      0          0         ',
      '',
    ].join('\n'));
  });

  it('ipvsadm -Ln --stats', () => {
    const state = buildIpvsState(cluster(), node1);
    const ns = nsWith(state);
    const pkt = syn('10.244.1.2', 4000);
    ipvsCommit(ns, ipvsSchedule(ns, pkt, { now: 0 }), pkt, 60);
    expect(formatIpvsadmList(state, { stats: true, only: 'TCP|10.96.120.15|80' })).toBe([
      'IP Virtual Server version 1.2.1 (size=4096)',
      'Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes',
      '  -> RemoteAddress:Port',
      'TCP  10.96.120.15:80                     1        1        0       60        0',
      '  -> 10.244.1.5:8080                     1        1        0       60        0',
      '  -> 10.244.2.7:8080                     0        0        0        0        0',
      '  -> 10.244.2.8:8080                     0        0        0        0        0',
      '',
    ].join('\n'));
  });

  it('ClientIP affinity is persistence with the affinity timeout', () => {
    const state = buildIpvsState(cluster({ sessionAffinity: 'ClientIP', sessionAffinityTimeout: 600 }), node1);
    expect(formatIpvsadmList(state)).toContain('TCP  10.96.120.15:80 rr persistent 600\n');
  });

  it('externalTrafficPolicy Local keeps only local real servers on the NodePort', () => {
    const state = buildIpvsState(cluster({ externalTrafficPolicy: 'Local' }), node2);
    expect(state.services.get('TCP|192.168.1.12|30080')!.dests.map((d) => d.address)).toEqual(['10.244.2.7', '10.244.2.8']);
    expect(state.services.get('TCP|10.96.120.15|80')!.dests).toHaveLength(3);
  });

  it('ipsets and ipset list', () => {
    const m = cluster();
    const ports = allServicePorts(m);
    const sets = buildKubeIpsets(ports, 'node-1', buildIpvsState(m, node1, { ports }));
    expect([...sets.get('KUBE-CLUSTER-IP')!.members]).toEqual(['10.96.120.15,tcp:80']);
    expect([...sets.get('KUBE-LOOP-BACK')!.members]).toEqual(['10.244.1.5,tcp:8080,10.244.1.5']);
    expect([...sets.get('KUBE-NODE-PORT-TCP')!.members]).toEqual(['30080']);
    expect(formatIpsetList([sets.get('KUBE-CLUSTER-IP')!])).toBe([
      'Name: KUBE-CLUSTER-IP', 'Type: hash:ip,port', 'Revision: 7', 'Header: family inet hashsize 1024 maxelem 65536',
      'Size in memory: 432', 'References: 0', 'Number of entries: 1', 'Members:', '10.96.120.15,tcp:80', ''].join('\n'));
  });
});

describe('IPVS scheduling, 10,000 decisions', () => {
  it('rr is exactly round-robin', () => {
    const ns = nsWith(buildIpvsState(cluster(), node1));
    const counts = new Map<string, number>();
    const seq: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const pkt = syn(`10.244.1.${(i % 200) + 2}`, 10000 + i);
      const d = ipvsSchedule(ns, pkt, { now: i });
      if (d.kind !== 'dnat') throw new Error('expected a real server');
      ipvsCommit(ns, d, pkt);
      seq.push(d.dest.address);
      counts.set(d.dest.address, (counts.get(d.dest.address) ?? 0) + 1);
    }
    expect(seq.slice(0, 6)).toEqual(['10.244.1.5', '10.244.2.7', '10.244.2.8', '10.244.1.5', '10.244.2.7', '10.244.2.8']);
    for (let i = 3; i < seq.length; i++) expect(seq[i]).toBe(seq[i - 3]);
    expect([...counts.values()].sort()).toEqual([3333, 3333, 3334]);
    expect(formatIpvsadmList(ns.ipvs as IpvsState)).toContain('  -> 10.244.1.5:8080              Masq    1      3334       0         ');
  });

  it('persistence pins a client to its first real server until the template expires', () => {
    const ns = nsWith(buildIpvsState(cluster({ sessionAffinity: 'ClientIP', sessionAffinityTimeout: 10800 }), node1));
    const first = new Map<string, string>();
    for (let i = 0; i < 10_000; i++) {
      const client = `10.244.1.${(i % 50) + 2}`;
      const pkt = syn(client, 20000 + i);
      const d = ipvsSchedule(ns, pkt, { now: i * 10 });
      if (d.kind !== 'dnat') throw new Error('expected a real server');
      ipvsCommit(ns, d, pkt);
      const was = first.get(client);
      if (was) expect(d.dest.address).toBe(was);
      else first.set(client, d.dest.address);
    }
    expect(new Set(first.values()).size).toBe(3);
    // After the timeout a new pick happens (rr moves on).
    const late = ipvsSchedule(ns, syn('10.244.1.2', 1234), { now: 10_000 * 10 + 10_800_001 });
    expect(late.kind === 'dnat' && late.reason).toBe('scheduled');
  });

  it('sh pins by source address, dh by destination; lc/wlc/sed/nq pick the least loaded', () => {
    const sh = buildIpvsState(cluster({}, 'sh'), node1).services.get('TCP|10.96.120.15|80')!;
    const a = schedule(sh, '10.244.1.9', '10.96.120.15')!.index;
    for (let i = 0; i < 100; i++) expect(schedule(sh, '10.244.1.9', '10.96.120.15')!.index).toBe(a);
    const spread = new Set(Array.from({ length: 200 }, (_, i) => schedule(sh, `10.1.${i >> 8}.${i & 255}`, '10.96.120.15')!.index));
    expect(spread.size).toBe(3);
    const lc: IpvsService = buildIpvsState(cluster({}, 'lc'), node1).services.get('TCP|10.96.120.15|80')!;
    lc.dests[0]!.activeConn = 2;
    lc.dests[1]!.activeConn = 1;
    expect(schedule(lc, 'x', 'y')!.index).toBe(2);
    const nq = buildIpvsState(cluster({}, 'nq'), node1).services.get('TCP|10.96.120.15|80')!;
    nq.dests[0]!.activeConn = 5;
    expect(schedule(nq, 'x', 'y')!.index).toBe(1);
    const wrr = buildIpvsState(cluster({}, 'wrr'), node1).services.get('TCP|10.96.120.15|80')!;
    wrr.dests[0]!.weight = 2;
    const picks: number[] = [];
    for (let i = 0; i < 8; i++) {
      const p = schedule(wrr, 'x', 'y')!;
      wrr.cursor = p.cursor;
      wrr.cw = p.cw;
      picks.push(p.index);
    }
    expect(picks).toEqual([0, 0, 1, 2, 0, 0, 1, 2]);
  });

  it('the rest of a connection keeps its real server, and replies get the virtual address back', () => {
    const ns = nsWith(buildIpvsState(cluster(), node1));
    const first = syn('10.244.1.2', 5555);
    const d = ipvsSchedule(ns, first, { now: 0 });
    ipvsCommit(ns, d, first);
    ipvsCommit(ns, ipvsSchedule(ns, syn('10.244.1.3', 6666), { now: 1 }), syn('10.244.1.3', 6666));
    const again = ipvsSchedule(ns, first, { now: 2 });
    expect(again.kind === 'dnat' && again.reason).toBe('connection');
    expect(again.kind === 'dnat' && again.dest).toEqual(d.kind === 'dnat' && d.dest);
    const reply: Packet = { ip: { version: 4, src: '10.244.1.5', dst: '10.244.1.2', ttl: 64, protocol: 6, id: 0, df: true, tos: 0, length: 60 }, tcp: { sport: 8080, dport: 5555, seq: 0, ack: 1, flags: { syn: true, ack: true }, window: 64240 } };
    expect(ipvsReverse(ns, reply)).toMatchObject({ address: '10.96.120.15', port: 80 });
    expect(ipvsReverse(ns, { ...reply, tcp: { ...reply.tcp!, dport: 1 } })).toBeNull();
  });

  it('a virtual server without real servers drops; other destinations pass untouched', () => {
    const m = model({ spec: { kubeProxy: { mode: 'ipvs' } }, nodes: [node1], services: [service('default', 'empty', '10.96.9.9', [port('', 80)])] });
    const ns = nsWith(buildIpvsState(m, node1));
    expect(ipvsSchedule(ns, syn('10.244.1.2', 1000, '10.96.9.9'), { now: 0 }).kind).toBe('no-dest');
    expect(ipvsSchedule(ns, syn('10.244.1.2', 1000, '8.8.8.8'), { now: 0 }).kind).toBe('none');
  });
});

describe('iptables mode probability ladder', () => {
  it('1/(n-i) per rule gives every endpoint the same share', () => {
    for (const n of [2, 3, 5, 7]) {
      const ladder = Array.from({ length: n - 1 }, (_, i) => Number(probability(n - i)));
      // P(endpoint k) = p_k * prod_{j<k} (1 - p_j); the last rule catches the rest.
      let rest = 1;
      for (const p of ladder) {
        expect(rest * p).toBeCloseTo(1 / n, 9);
        rest *= 1 - p;
      }
      expect(rest).toBeCloseTo(1 / n, 9);
    }
  });

  it('formats as kube-proxy writes and as iptables-save prints', () => {
    expect(probability(3)).toBe('0.3333333333');
    expect(probability(2)).toBe('0.5000000000');
    expect(probability(2048)).toBe('0.0004882812');
    expect(savedProbability(Number(probability(3)))).toBe('0.33333333349');
    expect(savedProbability(Number(probability(5)))).toBe('0.20000000019');
    expect(savedProbability(Number(probability(2)))).toBe('0.50000000000');
  });

  it('10,000 seeded walks down the ladder spread within statistical bounds', () => {
    const r = createRand(42);
    const n = 3;
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) {
      let k = 0;
      while (k < n - 1 && !(r.next() < Number(probability(n - k)))) k++;
      counts[k]!++;
    }
    // Binomial(10000, 1/3): sd ≈ 47; allow 5 sd.
    for (const c of counts) expect(Math.abs(c - 10_000 / 3)).toBeLessThan(240);
  });
});
