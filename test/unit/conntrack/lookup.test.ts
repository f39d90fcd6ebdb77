import { describe, expect, it } from 'vitest';
import { conntrackIn, findForPacket, lookupTuple, newConntrackTable, tupleOf } from '../../../src/engine/conntrack/table';
import type { Packet } from '../../../src/engine/net/packet';

const ip4 = (src: string, dst: string, protocol: number) => ({ version: 4 as const, src, dst, ttl: 64, protocol, id: 0, df: true, tos: 0, length: 60 });
const ip6 = (src: string, dst: string, protocol: number) => ({ version: 6 as const, src, dst, ttl: 64, protocol, id: 0, df: true, tos: 0, length: 60 });
const flags = { syn: true, ack: false, fin: false, rst: false, psh: false };

const packets: Packet[] = [
  { ip: ip4('10.244.1.2', '10.96.0.10', 6), tcp: { sport: 40000, dport: 80, seq: 1, ack: 0, flags, window: 64240 } },
  { ip: ip4('10.244.1.2', '10.96.0.10', 17), udp: { sport: 40001, dport: 53 } },
  { ip: ip4('10.244.1.2', '10.244.2.3', 1), icmp: { type: 8, code: 0, id: 7, seq: 1 } },
  { ip: ip4('10.244.1.2', '10.244.2.3', 1), icmp: { type: 8, code: 0, seq: 1 } },
  { ip: ip4('10.244.1.2', '10.244.2.3', 47) },
  { ip: ip6('fd00::2', 'fd00::3', 58), icmp: { type: 128, code: 0, id: 9, seq: 1 } },
  { ip: ip6('fd00::2', 'fd00::3', 17), udp: { sport: 5000, dport: 53 } },
] as Packet[];

describe('findForPacket', () => {
  it('finds what lookupTuple finds for the packet\'s tuple (ORIGINAL and REPLY), and nothing for an unknown packet', () => {
    for (const p of packets) {
      const t = newConntrackTable();
      expect(findForPacket(t, p, 0), JSON.stringify(p)).toBeUndefined();
      const r = conntrackIn(t, p, 0);
      expect(r.kind).toBe('tracked');
      const hit = lookupTuple(t, tupleOf(p)!, 0, true)!;
      const found = findForPacket(t, p, 0)!;
      expect(found.entry).toBe(hit.entry);
      expect(found.ref).toEqual({ id: hit.entry.id, dir: 'original', state: 'NEW' });
      // The reply direction: the entry's reply tuple as a packet.
      const rep = hit.entry.reply;
      const back = { ...p, ip: { ...p.ip!, src: rep.src, dst: rep.dst }, ...(p.tcp ? { tcp: { ...p.tcp, sport: rep.sport, dport: rep.dport } } : {}), ...(p.udp ? { udp: { ...p.udp, sport: rep.sport, dport: rep.dport } } : {}) } as Packet;
      expect(findForPacket(t, back, 0)?.ref.dir).toBe('reply');
      // Expired: gone, as lookupTuple says.
      expect(findForPacket(t, p, 1e12)).toBeUndefined();
    }
  });

  it('finds nothing for packets conntrack does not track (ICMPv6 neighbour discovery, no IP header)', () => {
    const t = newConntrackTable();
    expect(findForPacket(t, { ip: ip6('fd00::2', 'ff02::1:ff00:3', 58), icmp: { type: 135, code: 0 } } as Packet, 0)).toBeUndefined();
    expect(findForPacket(t, {} as Packet, 0)).toBeUndefined();
  });
});
