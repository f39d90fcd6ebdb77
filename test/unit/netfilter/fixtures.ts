/** Hand-made namespaces and packets for netfilter and conntrack tests. */
import type { Packet, TcpFlags } from '../../../src/engine/net/packet';
import type { Link, NetNs } from '../../../src/engine/net/types';
import type { HookContext, HookEvent } from '../../../src/engine/netfilter/hook';
import { createRand } from '../../../src/engine/util/rand';
import { render } from '../../../src/engine/i18n/messages';

export function link(name: string, ifindex: number, addrs: [string, number][]): Link {
  return {
    ifindex, name, kind: name === 'lo' ? 'loopback' : 'veth', mac: '02:00:00:00:00:01' as Link['mac'], mtu: 1500, up: true,
    addrs: addrs.map(([address, prefixLen]) => ({ family: 4 as const, address, prefixLen, scope: address.startsWith('127.') ? 'host' as const : 'global' as const })),
    stats: { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
  };
}

/** A node-like namespace: lo, eth0 192.168.1.10/24, cni0 10.244.1.1/24. */
export function nodeNs(id = 'node/n1'): NetNs {
  return {
    id, owner: { kind: 'node', name: id.split('/')[1] ?? 'n1' }, machine: id,
    links: [link('lo', 1, [['127.0.0.1', 8]]), link('eth0', 2, [['192.168.1.10', 24]]), link('cni0', 3, [['10.244.1.1', 24]])],
    routes: [], neigh: [], sysctl: {}, listeners: [], nextIfindex: 4,
  };
}

export function tcp(src: string, sport: number, dst: string, dport: number, flags: TcpFlags = { syn: true }): Packet {
  return {
    ip: { version: 4, src, dst, ttl: 64, protocol: 6, id: 1, df: true, tos: 0, length: 60 },
    tcp: { sport, dport, seq: 0, ack: 0, flags, window: 64240 },
  };
}

export function udp(src: string, sport: number, dst: string, dport: number): Packet {
  return { ip: { version: 4, src, dst, ttl: 64, protocol: 17, id: 1, df: false, tos: 0, length: 60 }, udp: { sport, dport } };
}

export function ctx(over: Partial<HookContext> = {}, seed = 7): HookContext {
  const r = createRand(seed);
  return { now: 0, random: () => r.next(), ...over };
}

export function collect(): { events: HookEvent[]; emit: (e: HookEvent) => void } {
  const events: HookEvent[] = [];
  return { events, emit: (e) => { events.push(e); } };
}

/** A hook event's line as the trace prints it (the stack renders `message` in English). */
export const summaryOf = (e: HookEvent | undefined): string => (e ? render(e.message, 'en') : '');
