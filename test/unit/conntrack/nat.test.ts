import { describe, expect, it } from 'vitest';
import { formatEntry } from '../../../src/engine/conntrack/format';
import { netfilterEngine } from '../../../src/engine/netfilter/engine';
import type { Hook, HookContext, HookVerdict } from '../../../src/engine/netfilter/hook';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import type { Packet } from '../../../src/engine/net/packet';
import type { NetNs } from '../../../src/engine/net/types';
import { collect, ctx, nodeNs, summaryOf, tcp, udp } from '../netfilter/fixtures';

const RULES = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
-A PREROUTING -d 10.96.0.10/32 -p udp -m udp --dport 53 -j DNAT --to-destination 10.244.2.3:53
-A PREROUTING -d 10.96.0.20/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.244.2.4:8080
-A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE
COMMIT
`;

function setup(): NetNs {
  const ns = nodeNs();
  expect(iptablesRestore(ns, RULES)).toEqual({ ok: true });
  return ns;
}

/** A routed packet through the node: PREROUTING → FORWARD → POSTROUTING. */
function forward(ns: NetNs, p: Packet, inDev: string, outDev: string, c: Partial<HookContext> = {}): HookVerdict {
  const { emit } = collect();
  let v: HookVerdict = { verdict: 'accept', packet: p };
  for (const hook of ['PREROUTING', 'FORWARD', 'POSTROUTING'] as Hook[]) {
    v = netfilterEngine.runHook(ns, hook, v.packet, ctx({ inDev, outDev, ...c, ...(v.verdict === 'accept' && v.ct ? { ct: v.ct } : {}) }), emit);
    if (v.verdict !== 'accept') return v;
  }
  return v;
}

describe('conntrack NAT', () => {
  it('DNATs the first packet and un-DNATs the reply', () => {
    const ns = setup();
    const out = forward(ns, udp('10.244.1.2', 40000, '10.96.0.10', 53), 'cni0', 'flannel.1');
    expect(out.packet.ip!.dst).toBe('10.244.2.3');
    expect(out.packet.udp!.dport).toBe(53);
    const back = forward(ns, udp('10.244.2.3', 53, '10.244.1.2', 40000), 'flannel.1', 'cni0');
    expect(back.packet.ip!.src).toBe('10.96.0.10');
    expect(back.packet.udp!.sport).toBe(53);
    const e = [...ns.conntrack!.entries.values()][0]!;
    expect(formatEntry(e, 0)).toBe('udp      17 29 src=10.244.1.2 dst=10.96.0.10 sport=40000 dport=53 src=10.244.2.3 dst=10.244.1.2 sport=53 dport=40000 mark=0 use=1');
  });

  it('consults the nat table only for the first packet of a connection', () => {
    const ns = setup();
    for (let i = 0; i < 3; i++) forward(ns, udp('10.244.1.2', 40000, '10.96.0.10', 53), 'cni0', 'flannel.1');
    const rule = ns.netfilter!.tables.nat.chains.get('PREROUTING')!.rules[0]!;
    expect(rule.counters.pkts).toBe(1);
    expect(ns.conntrack!.entries.size).toBe(1);
  });

  it('changes the DNAT target port', () => {
    const ns = setup();
    const out = forward(ns, tcp('10.244.1.2', 40001, '10.96.0.20', 80), 'cni0', 'flannel.1');
    expect(`${out.packet.ip!.dst}:${out.packet.tcp!.dport}`).toBe('10.244.2.4:8080');
  });

  it('MASQUERADEs to the outgoing address, keeps the port, and reverses the reply', () => {
    const ns = setup();
    const out = forward(ns, tcp('10.244.1.2', 40000, '8.8.8.8', 443), 'cni0', 'eth0');
    expect(out.packet.ip!.src).toBe('192.168.1.10');
    expect(out.packet.tcp!.sport).toBe(40000);
    const back = forward(ns, tcp('8.8.8.8', 443, '192.168.1.10', 40000, { syn: true, ack: true }), 'eth0', 'cni0');
    expect(back.packet.ip!.dst).toBe('10.244.1.2');
    expect(back.packet.tcp!.dport).toBe(40000);
  });

  it('picks another source port when two clients clash on the masquerade address', () => {
    const ns = setup();
    forward(ns, tcp('10.244.1.2', 40000, '8.8.8.8', 443), 'cni0', 'eth0');
    const second = forward(ns, tcp('10.244.1.3', 40000, '8.8.8.8', 443), 'cni0', 'eth0');
    expect(second.packet.ip!.src).toBe('192.168.1.10');
    expect(second.packet.tcp!.sport).not.toBe(40000);
    const back = forward(ns, tcp('8.8.8.8', 443, '192.168.1.10', second.packet.tcp!.sport, { syn: true, ack: true }), 'eth0', 'cni0');
    expect(back.packet.ip!.dst).toBe('10.244.1.3');
  });

  it('emits nat and conntrack events', () => {
    const ns = setup();
    const { events, emit } = collect();
    netfilterEngine.runHook(ns, 'PREROUTING', udp('10.244.1.2', 40000, '10.96.0.10', 53), ctx({ inDev: 'cni0' }), emit);
    expect(events.map((e) => e.type)).toEqual(['conntrack', 'netfilter', 'nat']);
    expect(summaryOf(events[2])).toBe('DNAT dst 10.96.0.10:53 → 10.244.2.3:53');
  });

  it('follows the TCP handshake to ESTABLISHED and ASSURED', () => {
    const ns = setup();
    forward(ns, tcp('10.244.1.2', 40000, '10.96.0.20', 80), 'cni0', 'flannel.1');
    forward(ns, tcp('10.244.2.4', 8080, '10.244.1.2', 40000, { syn: true, ack: true }), 'flannel.1', 'cni0');
    const e = [...ns.conntrack!.entries.values()][0]!;
    expect(e.tcp).toBe('SYN_RECV');
    forward(ns, tcp('10.244.1.2', 40000, '10.96.0.20', 80, { ack: true }), 'cni0', 'flannel.1');
    expect(e.tcp).toBe('ESTABLISHED');
    expect(formatEntry(e, 0)).toBe('tcp      6 431999 ESTABLISHED src=10.244.1.2 dst=10.96.0.20 sport=40000 dport=80 src=10.244.2.4 dst=10.244.1.2 sport=8080 dport=40000 [ASSURED] mark=0 use=1');
    forward(ns, tcp('10.244.1.2', 40000, '10.96.0.20', 80, { fin: true, ack: true }), 'cni0', 'flannel.1');
    expect(e.tcp).toBe('FIN_WAIT');
    forward(ns, tcp('10.244.2.4', 8080, '10.244.1.2', 40000, { fin: true, ack: true }), 'flannel.1', 'cni0');
    expect(e.tcp).toBe('LAST_ACK');
    forward(ns, tcp('10.244.1.2', 40000, '10.96.0.20', 80, { ack: true }), 'cni0', 'flannel.1');
    expect(e.tcp).toBe('TIME_WAIT');
  });

  it('expires entries on the simulated clock', () => {
    const ns = setup();
    forward(ns, udp('10.244.1.2', 40000, '10.96.0.10', 53), 'cni0', 'flannel.1');
    expect(ns.conntrack!.entries.size).toBe(1);
    forward(ns, udp('10.244.1.9', 1, '10.244.1.8', 2), 'cni0', 'cni0', { now: 31_000 });
    expect([...ns.conntrack!.entries.values()].map((e) => e.orig.src)).toEqual(['10.244.1.9']);
  });

  it('treats an ICMP error as RELATED and translates the quoted packet', () => {
    const ns = setup();
    forward(ns, udp('10.244.1.2', 40000, '10.96.0.10', 53), 'cni0', 'flannel.1');
    const quoted = udp('10.244.1.2', 40000, '10.244.2.3', 53);
    const err: Packet = { ip: { version: 4, src: '10.244.2.3', dst: '10.244.1.2', ttl: 64, protocol: 1, id: 2, df: false, tos: 0, length: 56 }, icmp: { type: 3, code: 3, original: quoted } };
    const { events, emit } = collect();
    let v: HookVerdict = { verdict: 'accept', packet: err };
    for (const hook of ['PREROUTING', 'FORWARD', 'POSTROUTING'] as Hook[]) v = netfilterEngine.runHook(ns, hook, v.packet, ctx({ inDev: 'flannel.1', outDev: 'cni0' }), emit);
    expect(v.packet.ip!.src).toBe('10.96.0.10');
    expect(v.packet.icmp!.original!.ip!.dst).toBe('10.96.0.10');
    expect(events.some((e) => summaryOf(e).includes('RELATED'))).toBe(true);
  });

  it('drops the unconfirmed entry when a later hook drops the first packet', () => {
    const ns = setup();
    iptablesRestore(ns, '*filter\n:FORWARD DROP [0:0]\nCOMMIT\n');
    const v = forward(ns, udp('10.244.1.2', 40000, '10.96.0.10', 53), 'cni0', 'flannel.1');
    expect(v.verdict).toBe('drop');
    expect(ns.conntrack!.entries.size).toBe(0);
  });
});

describe('conntrack over loopback', () => {
  it('a node talking to a DNATed local address keeps one entry and un-DNATs the reply', () => {
    const ns = nodeNs();
    iptablesRestore(ns, '*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -d 10.96.0.1/32 -p tcp -m tcp --dport 443 -j DNAT --to-destination 192.168.1.10:6443\nCOMMIT\n');
    const path = (p: Packet, hooks: [Hook, Partial<HookContext>][]): Packet => {
      let v: HookVerdict = { verdict: 'accept', packet: p };
      for (const [h, c] of hooks) { v = netfilterEngine.runHook(ns, h, v.packet, ctx(c), () => {}); expect(v.verdict).toBe('accept'); }
      return v.packet;
    };
    const loop: [Hook, Partial<HookContext>][] = [['OUTPUT', { outDev: 'lo' }], ['POSTROUTING', { outDev: 'lo' }], ['PREROUTING', { inDev: 'lo' }], ['INPUT', { inDev: 'lo' }]];
    const syn = path(tcp('192.168.1.10', 50000, '10.96.0.1', 443), loop);
    expect(`${syn.ip!.dst}:${syn.tcp!.dport}`).toBe('192.168.1.10:6443');
    const synack = path(tcp('192.168.1.10', 6443, '192.168.1.10', 50000, { syn: true, ack: true }), loop);
    expect(`${synack.ip!.src}:${synack.tcp!.sport}`).toBe('10.96.0.1:443');
    expect(ns.conntrack!.entries.size).toBe(1);
    expect([...ns.conntrack!.entries.values()][0]!.tcp).toBe('SYN_RECV');
  });
});

describe('MASQUERADE address choice', () => {
  it('out of lo it picks the first global address, not 127.0.0.1', () => {
    const ns = nodeNs();
    iptablesRestore(ns, '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n');
    netfilterEngine.runHook(ns, 'OUTPUT', tcp('192.168.1.10', 50001, '192.168.1.10', 6443), ctx({ outDev: 'lo' }), () => {});
    const v = netfilterEngine.runHook(ns, 'POSTROUTING', tcp('192.168.1.10', 50001, '192.168.1.10', 6443), ctx({ outDev: 'lo' }), () => {});
    expect(v.packet.ip!.src).toBe('192.168.1.10');
  });
});

describe('ICMP echo', () => {
  const ping = (src: string, dst: string, type: number, id: number): Packet => ({ ip: { version: 4, src, dst, ttl: 64, protocol: 1, id: 1, df: false, tos: 0, length: 84 }, icmp: { type, code: 0, id, seq: 1 } });

  it('masquerades a ping and matches the reply by id', () => {
    const ns = setup();
    const out = forward(ns, ping('10.244.1.2', '8.8.8.8', 8, 77), 'cni0', 'eth0');
    expect(out.packet.ip!.src).toBe('192.168.1.10');
    const back = forward(ns, ping('8.8.8.8', '192.168.1.10', 0, out.packet.icmp!.id!), 'eth0', 'cni0');
    expect(back.packet.ip!.dst).toBe('10.244.1.2');
    expect(back.packet.icmp!.id).toBe(77);
  });

  it('--random-fully gives the ping a new id and the reply still finds its way back', () => {
    const ns = nodeNs();
    iptablesRestore(ns, '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE --random-fully\nCOMMIT\n');
    const out = forward(ns, ping('10.244.1.2', '8.8.8.8', 8, 77), 'cni0', 'eth0');
    expect(out.packet.icmp!.id).not.toBe(77);
    const back = forward(ns, ping('8.8.8.8', '192.168.1.10', 0, out.packet.icmp!.id!), 'eth0', 'cni0');
    expect(back.packet.ip!.dst).toBe('10.244.1.2');
    expect(back.packet.icmp!.id).toBe(77);
  });

  it('an echo reply with no request is INVALID', () => {
    const ns = setup();
    const { events, emit } = collect();
    netfilterEngine.runHook(ns, 'PREROUTING', ping('8.8.8.8', '192.168.1.10', 0, 5), ctx({ inDev: 'eth0' }), emit);
    expect(summaryOf(events[0])).toContain('INVALID');
  });
});

describe('IPVS with vs/conntrack=1', () => {
  it('the real-server choice becomes the entry\'s DNAT binding; replies are un-DNATed', async () => {
    const { ipvsBindConntrack } = await import('../../../src/engine/ipvs/conntrack');
    const ns = nodeNs();
    iptablesRestore(ns, '*nat\n:POSTROUTING ACCEPT [0:0]\nCOMMIT\n');
    const syn = udp('10.244.1.2', 40000, '10.96.0.50', 80);
    netfilterEngine.runHook(ns, 'PREROUTING', syn, ctx({ inDev: 'cni0' }), () => {});
    netfilterEngine.runHook(ns, 'INPUT', syn, ctx({ inDev: 'cni0' }), () => {});
    expect(ipvsBindConntrack(ns, syn, '10.244.2.3', 8080, 0)?.dir).toBe('original');
    const e = [...ns.conntrack!.entries.values()][0]!;
    expect(e.reply).toMatchObject({ src: '10.244.2.3', sport: 8080 });
    const back = forward(ns, udp('10.244.2.3', 8080, '10.244.1.2', 40000), 'flannel.1', 'cni0');
    expect(`${back.packet.ip!.src}:${back.packet.udp!.sport}`).toBe('10.96.0.50:80');
  });
});

describe('other NAT targets', () => {
  it('REDIRECT sends a forwarded connection to a local port on the incoming address', () => {
    const ns = nodeNs();
    iptablesRestore(ns, '*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -d 10.96.0.30/32 -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 34567\nCOMMIT\n');
    const v = netfilterEngine.runHook(ns, 'PREROUTING', tcp('10.244.1.2', 40000, '10.96.0.30', 80), ctx({ inDev: 'cni0' }), () => {});
    expect(`${v.packet.ip!.dst}:${v.packet.tcp!.dport}`).toBe('10.244.1.1:34567');
  });

  it('REDIRECT in OUTPUT goes to 127.0.0.1', () => {
    const ns = nodeNs();
    iptablesRestore(ns, '*nat\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -p tcp -m tcp --dport 80 -j REDIRECT --to-ports 8080\nCOMMIT\n');
    const v = netfilterEngine.runHook(ns, 'OUTPUT', tcp('192.168.1.10', 40000, '10.96.0.30', 80), ctx({ outDev: 'eth0' }), () => {});
    expect(`${v.packet.ip!.dst}:${v.packet.tcp!.dport}`).toBe('127.0.0.1:8080');
  });

  it('SNAT --to-source with a port range, and MASQUERADE --to-ports', () => {
    const ns = nodeNs();
    iptablesRestore(ns, '*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -o eth0 -p tcp -j SNAT --to-source 192.168.1.99:2000-2010\n-A POSTROUTING -o cni0 -p tcp -j MASQUERADE --to-ports 3000-3001\nCOMMIT\n');
    const a = forward(ns, tcp('10.244.1.2', 40000, '8.8.8.8', 443), 'cni0', 'eth0');
    expect(a.packet.ip!.src).toBe('192.168.1.99');
    expect(a.packet.tcp!.sport).toBeGreaterThanOrEqual(2000);
    expect(a.packet.tcp!.sport).toBeLessThanOrEqual(2010);
    const b = forward(ns, tcp('8.8.8.8', 1, '10.244.1.2', 40000), 'eth0', 'cni0');
    expect(b.packet.ip!.src).toBe('10.244.1.1');
    expect([3000, 3001]).toContain(b.packet.tcp!.sport);
  });
});
