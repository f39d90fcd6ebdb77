/**
 * A packet as the inspector shows it: one section per header, outer to inner, and what changed
 * since the previous event (DNAT, SNAT, TTL, MAC rewrite, encapsulation). Pure.
 */
import type { Packet } from '../../engine/net/packet';
import { protoName } from '../../engine/net/packet';

/**
 * One header field. `key` names it for change tracking (the same key in IPv4 and IPv6 where the
 * field means the same: ip.ttl is the hop limit, ip.protocol the next header); `label` is its
 * English name and `labelKey` its UI string (`packetField.*`, en and zh-CN); `value` is the text
 * shown, and `named` a UI string (`packetValue.*`) that names a number (ICMP types, ARP ops).
 */
export interface Field {
  readonly key: string;
  readonly label: string;
  readonly labelKey: string;
  readonly value: string;
  readonly named?: { readonly key: string; readonly n: number };
}
export interface Layer { readonly name: string; readonly depth: number; readonly fields: readonly Field[] }

const ethType = (t: number): string => (t === 0x0800 ? 'IPv4 (0x0800)' : t === 0x0806 ? 'ARP (0x0806)' : t === 0x86dd ? 'IPv6 (0x86dd)' : `0x${t.toString(16)}`);
const flags = (f: Record<string, boolean | undefined>): string => Object.entries(f).filter(([, v]) => v).map(([k]) => k.toUpperCase()).join(',') || '-';

/** IPv6's fixed header is 40 bytes; its payload length counts what follows (RFC 8200). */
const IP6_HLEN = 40;

/** ICMP (RFC 792) and ICMPv6 (RFC 4443, 4861) type names, as `packetValue.icmp4.*` / `packetValue.icmp6.*` keys. */
const ICMP4_TYPES: Readonly<Record<number, string>> = { 0: 'echoReply', 3: 'destUnreach', 8: 'echoRequest', 11: 'timeExceeded' };
const ICMP6_TYPES: Readonly<Record<number, string>> = {
  1: 'destUnreach', 2: 'packetTooBig', 3: 'timeExceeded', 4: 'paramProblem', 128: 'echoRequest', 129: 'echoReply',
  133: 'routerSolicitation', 134: 'routerAdvertisement', 135: 'neighbourSolicitation', 136: 'neighbourAdvertisement',
};
/** ICMPv6 destination unreachable codes (RFC 4443 3.1) and time exceeded's (3.3). */
const ICMP6_UNREACH_CODES: Readonly<Record<number, string>> = { 0: 'noRoute', 1: 'adminProhibited', 3: 'addressUnreachable', 4: 'portUnreachable' };
const ICMP6_TIME_CODES: Readonly<Record<number, string>> = { 0: 'hopLimit', 1: 'reassembly' };

/** "echo request (128)": the English name of a numbered value, as the tests and change tracking read it. */
const EN_NAMES: Readonly<Record<string, string>> = {
  echoReply: 'echo reply', echoRequest: 'echo request', destUnreach: 'destination unreachable', timeExceeded: 'time exceeded',
  packetTooBig: 'packet too big', paramProblem: 'parameter problem', routerSolicitation: 'router solicitation',
  routerAdvertisement: 'router advertisement', neighbourSolicitation: 'neighbor solicitation', neighbourAdvertisement: 'neighbor advertisement',
  noRoute: 'no route to destination', adminProhibited: 'administratively prohibited', addressUnreachable: 'address unreachable',
  portUnreachable: 'port unreachable', hopLimit: 'hop limit exceeded in transit', reassembly: 'reassembly time exceeded',
  request: 'request', reply: 'reply',
};

const hex = (n: number, digits: number): string => `0x${n.toString(16).padStart(digits, '0')}`;

export function layers(p: Packet, depth = 0, prefix = ''): Layer[] {
  const out: Layer[] = [];
  const f = (key: string, labelKey: string, label: string, value: unknown): Field => ({ key: `${prefix}${key}`, label, labelKey: `packetField.${labelKey}`, value: String(value) });
  /** A number with its name: "echo request (128)", the name a UI string. */
  const named = (key: string, labelKey: string, label: string, group: string, name: string | undefined, n: number): Field =>
    name ? { ...f(key, labelKey, label, `${EN_NAMES[name] ?? name} (${n})`), named: { key: `packetValue.${group}.${name}`, n } } : f(key, labelKey, label, n);
  const v6 = p.ip?.version === 6;
  if (p.eth) out.push({ name: 'Ethernet', depth, fields: [f('eth.src', 'src', 'src', p.eth.src), f('eth.dst', 'dst', 'dst', p.eth.dst), f('eth.type', 'type', 'type', ethType(p.eth.type))] });
  if (p.arp) {
    out.push({ name: 'ARP', depth, fields: [
      named('arp.op', 'op', 'op', 'arp', p.arp.op === 1 ? 'request' : 'reply', p.arp.op), f('arp.sha', 'senderMac', 'sender MAC', p.arp.sha), f('arp.spa', 'senderIp', 'sender IP', p.arp.spa),
      f('arp.tha', 'targetMac', 'target MAC', p.arp.tha), f('arp.tpa', 'targetIp', 'target IP', p.arp.tpa),
    ] });
  }
  if (p.ip && v6) {
    // The fixed IPv6 header (RFC 8200 section 3), field by field in its order.
    const flow = (p.ip as { flowLabel?: number }).flowLabel ?? 0;
    out.push({ name: 'IPv6', depth, fields: [
      f('ip.version', 'version', 'version', 6), f('ip.tos', 'trafficClass', 'traffic class', hex(p.ip.tos, 2)), f('ip.flow', 'flowLabel', 'flow label', hex(flow, 5)),
      f('ip.length', 'payloadLength', 'payload length', Math.max(0, p.ip.length - IP6_HLEN)),
      f('ip.protocol', 'nextHeader', 'next header', `${protoName(p.ip.protocol)} (${p.ip.protocol})`), f('ip.ttl', 'hopLimit', 'hop limit', p.ip.ttl),
      f('ip.src', 'src', 'src', p.ip.src), f('ip.dst', 'dst', 'dst', p.ip.dst),
    ] });
  } else if (p.ip) {
    out.push({ name: 'IPv4', depth, fields: [
      f('ip.src', 'src', 'src', p.ip.src), f('ip.dst', 'dst', 'dst', p.ip.dst), f('ip.ttl', 'ttl', 'ttl', p.ip.ttl), f('ip.protocol', 'protocol', 'protocol', `${protoName(p.ip.protocol)} (${p.ip.protocol})`),
      f('ip.id', 'id', 'id', p.ip.id), f('ip.length', 'length', 'length', p.ip.length), { ...f('ip.df', 'df', 'DF', p.ip.df ? 'set' : 'clear'), named: { key: `packetValue.df.${p.ip.df ? 'set' : 'clear'}`, n: Number(p.ip.df) } },
    ] });
  }
  if (p.tcp) out.push({ name: 'TCP', depth, fields: [f('tcp.sport', 'sport', 'sport', p.tcp.sport), f('tcp.dport', 'dport', 'dport', p.tcp.dport), f('tcp.flags', 'flags', 'flags', flags(p.tcp.flags as Record<string, boolean | undefined>)), f('tcp.seq', 'seq', 'seq', p.tcp.seq), f('tcp.ack', 'ack', 'ack', p.tcp.ack)] });
  if (p.udp) out.push({ name: 'UDP', depth, fields: [f('udp.sport', 'sport', 'sport', p.udp.sport), f('udp.dport', 'dport', 'dport', p.udp.dport)] });
  if (p.icmp && v6) out.push({ name: 'ICMPv6', depth, fields: icmp6Fields(p.icmp, f, named) });
  else if (p.icmp) {
    out.push({ name: 'ICMP', depth, fields: [
      named('icmp.type', 'type', 'type', 'icmp4', ICMP4_TYPES[p.icmp.type], p.icmp.type), f('icmp.code', 'code', 'code', p.icmp.code),
      ...(p.icmp.id !== undefined ? [f('icmp.id', 'id', 'id', p.icmp.id)] : []), ...(p.icmp.seq !== undefined ? [f('icmp.seq', 'seq', 'seq', p.icmp.seq)] : []),
      ...(p.icmp.mtu !== undefined ? [f('icmp.mtu', 'mtu', 'mtu', p.icmp.mtu)] : []),
    ] });
  }
  if (p.vxlan) out.push({ name: 'VXLAN', depth, fields: [f('vxlan.vni', 'vni', 'VNI', p.vxlan.vni)] });
  if (p.mark) out.push({ name: 'skb', depth, fields: [f('mark', 'fwmark', 'fwmark', `0x${p.mark.toString(16)}`)] });
  if (p.payload) {
    const pl = p.payload;
    const v = pl.kind === 'http-request' ? `${pl.method} ${pl.path} Host: ${pl.host}` : pl.kind === 'http-response' ? `HTTP ${pl.status} ${pl.body.slice(0, 60)}` : pl.kind === 'data' ? pl.text : pl.kind === 'bytes' ? `${pl.length} bytes` : 'DNS message';
    out.push({ name: 'Payload', depth, fields: [f('payload', `payload.${pl.kind}`, pl.kind, v)] });
  }
  if (p.inner) out.push(...layers(p.inner, depth + 1, 'inner.'));
  return out;
}

type FieldOf = (key: string, labelKey: string, label: string, value: unknown) => Field;
type NamedOf = (key: string, labelKey: string, label: string, group: string, name: string | undefined, n: number) => Field;

/** ICMPv6: type and code by name; echo's id and sequence; an NDP message's target and link-layer option; a too-big's MTU. */
function icmp6Fields(icmp: NonNullable<Packet['icmp']>, f: FieldOf, named: NamedOf): Field[] {
  const codes = icmp.type === 1 ? ICMP6_UNREACH_CODES : icmp.type === 3 ? ICMP6_TIME_CODES : {};
  const na = icmp.type === 136;
  const naFlags = [icmp.router && 'R', icmp.solicited && 'S'].filter(Boolean).join(',') || '-';
  return [
    named('icmp.type', 'type', 'type', 'icmp6', ICMP6_TYPES[icmp.type], icmp.type),
    named('icmp.code', 'code', 'code', 'icmp6code', codes[icmp.code], icmp.code),
    ...(icmp.id !== undefined ? [f('icmp.id', 'id', 'id', icmp.id)] : []),
    ...(icmp.seq !== undefined ? [f('icmp.seq', 'seq', 'seq', icmp.seq)] : []),
    ...(icmp.target !== undefined ? [f('icmp.target', 'target', 'target address', icmp.target)] : []),
    ...(na ? [f('icmp.naFlags', 'naFlags', 'flags', naFlags)] : []),
    ...(icmp.lladdr !== undefined ? [f('icmp.lladdr', na ? 'targetLladdr' : 'sourceLladdr', na ? 'target link-layer address' : 'source link-layer address', icmp.lladdr)] : []),
    ...(icmp.mtu !== undefined ? [f('icmp.mtu', 'mtu', 'mtu', icmp.mtu)] : []),
  ];
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
