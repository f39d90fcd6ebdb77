/**
 * A packet as the inspector shows it: one section per header, outer to inner, and what changed
 * since the previous event (DNAT, SNAT, TTL, MAC rewrite, encapsulation). Pure.
 */
import type { Packet } from '../../engine/net/packet';
import { protoName } from '../../engine/net/packet';

export interface Field { readonly key: string; readonly label: string; readonly value: string }
export interface Layer { readonly name: string; readonly depth: number; readonly fields: readonly Field[] }

const ethType = (t: number): string => (t === 0x0800 ? 'IPv4 (0x0800)' : t === 0x0806 ? 'ARP (0x0806)' : t === 0x86dd ? 'IPv6 (0x86dd)' : `0x${t.toString(16)}`);
const flags = (f: Record<string, boolean | undefined>): string => Object.entries(f).filter(([, v]) => v).map(([k]) => k.toUpperCase()).join(',') || '-';

export function layers(p: Packet, depth = 0, prefix = ''): Layer[] {
  const out: Layer[] = [];
  const f = (key: string, label: string, value: unknown): Field => ({ key: `${prefix}${key}`, label, value: String(value) });
  if (p.eth) out.push({ name: 'Ethernet', depth, fields: [f('eth.src', 'src', p.eth.src), f('eth.dst', 'dst', p.eth.dst), f('eth.type', 'type', ethType(p.eth.type))] });
  if (p.arp) out.push({ name: 'ARP', depth, fields: [f('arp.op', 'op', p.arp.op === 1 ? 'request (1)' : 'reply (2)'), f('arp.sha', 'sender MAC', p.arp.sha), f('arp.spa', 'sender IP', p.arp.spa), f('arp.tha', 'target MAC', p.arp.tha), f('arp.tpa', 'target IP', p.arp.tpa)] });
  if (p.ip) out.push({ name: p.ip.version === 6 ? 'IPv6' : 'IPv4', depth, fields: [f('ip.src', 'src', p.ip.src), f('ip.dst', 'dst', p.ip.dst), f('ip.ttl', 'ttl', p.ip.ttl), f('ip.protocol', 'protocol', `${protoName(p.ip.protocol)} (${p.ip.protocol})`), f('ip.id', 'id', p.ip.id), f('ip.length', 'length', p.ip.length), f('ip.df', 'DF', p.ip.df ? 'set' : 'clear')] });
  if (p.tcp) out.push({ name: 'TCP', depth, fields: [f('tcp.sport', 'sport', p.tcp.sport), f('tcp.dport', 'dport', p.tcp.dport), f('tcp.flags', 'flags', flags(p.tcp.flags as Record<string, boolean | undefined>)), f('tcp.seq', 'seq', p.tcp.seq), f('tcp.ack', 'ack', p.tcp.ack)] });
  if (p.udp) out.push({ name: 'UDP', depth, fields: [f('udp.sport', 'sport', p.udp.sport), f('udp.dport', 'dport', p.udp.dport)] });
  if (p.icmp) out.push({ name: 'ICMP', depth, fields: [f('icmp.type', 'type', p.icmp.type), f('icmp.code', 'code', p.icmp.code), ...(p.icmp.id !== undefined ? [f('icmp.id', 'id', p.icmp.id)] : []), ...(p.icmp.seq !== undefined ? [f('icmp.seq', 'seq', p.icmp.seq)] : []), ...(p.icmp.mtu !== undefined ? [f('icmp.mtu', 'mtu', p.icmp.mtu)] : [])] });
  if (p.vxlan) out.push({ name: 'VXLAN', depth, fields: [f('vxlan.vni', 'VNI', p.vxlan.vni)] });
  if (p.mark) out.push({ name: 'skb', depth, fields: [f('mark', 'fwmark', `0x${p.mark.toString(16)}`)] });
  if (p.payload) {
    const pl = p.payload;
    const v = pl.kind === 'http-request' ? `${pl.method} ${pl.path} Host: ${pl.host}` : pl.kind === 'http-response' ? `HTTP ${pl.status} ${pl.body.slice(0, 60)}` : pl.kind === 'data' ? pl.text : pl.kind === 'bytes' ? `${pl.length} bytes` : 'DNS message';
    out.push({ name: 'Payload', depth, fields: [f('payload', pl.kind, v)] });
  }
  if (p.inner) out.push(...layers(p.inner, depth + 1, 'inner.'));
  return out;
}

export type ChangeKind = 'dnat' | 'snat' | 'ttl' | 'mac' | 'encap' | 'decap' | 'sport' | 'dport';

export interface Changes {
  readonly keys: ReadonlySet<string>;
  readonly kinds: readonly ChangeKind[];
}

/** What this hop changed. Across an encapsulation boundary the inner packet is compared. */
export function changes(prev: Packet | undefined, cur: Packet | undefined): Changes {
  if (!prev || !cur) return { keys: new Set(), kinds: [] };
  const kinds = new Set<ChangeKind>();
  const keys = new Set<string>();
  let a = prev;
  let b = cur;
  let prefix = '';
  if (!prev.inner && cur.inner) { kinds.add('encap'); b = cur.inner; prefix = 'inner.'; for (const l of layers(cur)) if (l.depth === 0) for (const x of l.fields) keys.add(x.key); }
  else if (prev.inner && !cur.inner) { kinds.add('decap'); a = prev.inner; }
  const fa = new Map(layers(a).map((l) => l.fields).flat().map((x) => [x.key, x.value]));
  for (const l of layers(b)) for (const x of l.fields) {
    const before = fa.get(x.key);
    if (before !== undefined && before !== x.value) keys.add(`${prefix}${x.key}`);
  }
  if (a.ip && b.ip) {
    if (a.ip.dst !== b.ip.dst) kinds.add('dnat');
    if (a.ip.src !== b.ip.src) kinds.add('snat');
    if (b.ip.ttl < a.ip.ttl) kinds.add('ttl');
  }
  const pa = a.tcp ?? a.udp;
  const pb = b.tcp ?? b.udp;
  if (pa && pb) {
    if (pa.dport !== pb.dport) kinds.add(kinds.has('dnat') ? 'dnat' : 'dport');
    if (pa.sport !== pb.sport) kinds.add(kinds.has('snat') ? 'snat' : 'sport');
  }
  if (a.eth && b.eth && (a.eth.src !== b.eth.src || a.eth.dst !== b.eth.dst)) kinds.add('mac');
  return { keys, kinds: [...kinds] };
}
