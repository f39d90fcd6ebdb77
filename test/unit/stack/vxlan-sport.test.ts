/**
 * The VXLAN outer source port (udp_flow_src_port): a hash of the inner flow in the ephemeral
 * range, shaped as the kernel tier measured it on weave's fastdp (docs/linux-fidelity.md, Weave Net).
 */
import { describe, expect, it } from 'vitest';
import { flowPort } from '../../../src/engine/stack/tunnel';
import { icmpEcho, tcp } from '../../../src/engine/stack/packets';
import type { Packet } from '../../../src/engine/net/packet';

const arpRequest = (sha: string, spa: string, tpa: string): Packet => ({ eth: { src: sha, dst: 'ff:ff:ff:ff:ff:ff', type: 0x0806 }, arp: { op: 1, sha, spa, tha: '00:00:00:00:00:00', tpa } });
const eth = (p: Packet): Packet => ({ ...p, eth: { src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02', type: 0x0800 } });

describe('VXLAN outer source port', () => {
  it('an ICMP echo and its reply share one port (the flow dissector hash is symmetric and keys echo by id)', () => {
    const req = icmpEcho({ src: '10.40.0.2', dst: '10.32.0.3', id: 7, seq: 1, size: 56 });
    const rep = icmpEcho({ src: '10.32.0.3', dst: '10.40.0.2', id: 7, seq: 1, size: 56, reply: true });
    expect(flowPort(eth(rep))).toBe(flowPort(eth(req)));
    expect(flowPort(eth(icmpEcho({ src: '10.40.0.2', dst: '10.32.0.3', id: 8, seq: 1, size: 56 })))).not.toBe(flowPort(eth(req)));
  });

  it('each direction of a TCP connection has its own port (each end socket\'s txhash), stable along the connection', () => {
    const base = { src: '10.40.0.2', dst: '10.32.0.3', sport: 40000, dport: 80, seq: 1, ack: 0 };
    const syn = tcp({ ...base, flags: { syn: true } });
    const ack = tcp({ ...base, seq: 2, ack: 5, flags: { ack: true } });
    const synack = tcp({ src: '10.32.0.3', dst: '10.40.0.2', sport: 80, dport: 40000, seq: 4, ack: 2, flags: { syn: true, ack: true } });
    expect(flowPort(eth(ack))).toBe(flowPort(eth(syn)));
    expect(flowPort(eth(synack))).not.toBe(flowPort(eth(syn)));
  });

  it('every ARP frame shares one port, whoever asks for whom', () => {
    const a = arpRequest('02:00:00:00:00:01', '10.40.0.2', '10.32.0.3');
    const b = arpRequest('02:00:00:00:00:09', '10.32.0.9', '10.40.0.7');
    expect(flowPort(a)).toBe(flowPort(b));
  });

  it('stays in the ephemeral range (ip_local_port_range 32768-60999)', () => {
    for (let i = 0; i < 500; i++) {
      const p = flowPort(eth(tcp({ src: `10.0.${i >> 8}.${i & 255}`, dst: '10.1.0.1', sport: 1024 + i, dport: 80, seq: 0, ack: 0, flags: { syn: true } })));
      expect(p).toBeGreaterThanOrEqual(32768);
      expect(p).toBeLessThanOrEqual(60999);
    }
  });
});
