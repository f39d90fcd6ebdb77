import { describe, expect, it } from 'vitest';
import type { Packet } from '../../../src/engine/net/packet';
import { changes, layers } from '../../../src/app/inspect/layers';
import { complete } from '../../../src/app/terminal/complete';
import { decodeLink, encodeFragment } from '../../../src/engine';

const syn = (src: string, dst: string, dport: number, ttl = 64, mac = '02:00:00:00:00:01'): Packet => ({
  eth: { src: mac as never, dst: '02:00:00:00:00:ff' as never, type: 0x0800 },
  ip: { version: 4, src, dst, ttl, protocol: 6, id: 1, df: true, tos: 0, length: 60 },
  tcp: { sport: 40000, dport, seq: 1, ack: 0, flags: { syn: true }, window: 64240 },
});

describe('packet inspector', () => {
  it('lists the headers outer to inner, with the inner frame of a VXLAN packet indented', () => {
    const inner = syn('10.244.1.2', '10.244.2.2', 80);
    const outer: Packet = { ...syn('192.168.1.11', '192.168.1.12', 8472), tcp: undefined, udp: { sport: 51000, dport: 8472 }, vxlan: { vni: 1 }, inner } as Packet;
    expect(layers(outer).map((l) => `${l.depth}:${l.name}`)).toEqual(['0:Ethernet', '0:IPv4', '0:UDP', '0:VXLAN', '1:Ethernet', '1:IPv4', '1:TCP']);
  });

  it('names what a hop changed: DNAT, SNAT, TTL, MAC rewrite', () => {
    const a = syn('10.244.1.2', '10.96.0.20', 80);
    expect(changes(a, syn('10.244.1.2', '10.244.2.2', 8080)).kinds).toEqual(['dnat']);
    expect(changes(a, syn('192.168.1.11', '10.96.0.20', 80)).kinds).toEqual(['snat']);
    const routed = changes(a, syn('10.244.1.2', '10.96.0.20', 80, 63, '02:00:00:00:00:02'));
    expect(routed.kinds).toEqual(['ttl', 'mac']);
    expect([...routed.keys].sort()).toEqual(['eth.src', 'ip.ttl']);
  });

  it('reports encapsulation and decapsulation, comparing the inner packet across the boundary', () => {
    const a = syn('10.244.1.2', '10.244.2.2', 80);
    const wrapped = { ...syn('192.168.1.11', '192.168.1.12', 8472), inner: a } as Packet;
    expect(changes(a, wrapped).kinds).toEqual(['encap']);
    expect(changes(wrapped, a).kinds).toEqual(['decap']);
  });

  it('says nothing changed when there is nothing to compare', () => {
    expect(changes(undefined, syn('1.1.1.1', '2.2.2.2', 1)).kinds).toEqual([]);
  });
});

describe('terminal completion', () => {
  const words = { commands: ['ip', 'iptables', 'kubectl', 'curl'], targets: ['pod/default/client', 'pod/default/web-1', 'node/node-1'], names: ['client', 'web-1'] };
  it('completes a unique command and adds a space', () => {
    expect(complete('kub', words)).toEqual({ line: 'kubectl ', options: [] });
  });
  it('extends to the common prefix and lists the choices when ambiguous', () => {
    expect(complete('ip', words)).toEqual({ line: 'ip', options: ['ip', 'iptables'] });
    expect(complete('kubectl exec pod/default/', words).options).toEqual(['pod/default/client', 'pod/default/web-1']);
  });
  it('completes names after the first word and commands after a pipe', () => {
    expect(complete('kubectl logs we', words).line).toBe('kubectl logs web-1 ');
    expect(complete('kubectl get pods | cu', words).line).toBe('kubectl get pods | curl ');
  });
});

describe('share links', () => {
  it('round-trips a scenario through the URL hash', async () => {
    const yaml = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: 客户端-ü\n';
    const hash = encodeFragment({ yaml, journal: [] });
    expect(hash).toMatch(/^v=1&d=[A-Za-z0-9_-]+$/);
    expect(decodeLink(`#${hash}`)).toEqual({ ok: true, state: { yaml, journal: [] } });
  });
  it('a hash that does not decode is an error, not a scenario', async () => {
    expect(decodeLink('#s=not-deflate')).toMatchObject({ ok: false, code: 'corrupt' });
    expect(decodeLink('#other')).toMatchObject({ ok: false, code: 'no-link' });
  });
});
