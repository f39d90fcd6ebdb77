/**
 * Building packets the way a socket would hand them to the stack, with lengths that match the
 * bytes the pcap writer renders, and one-line descriptions for trace summaries.
 */
import {
  ETH_P_ARP, ETH_P_IP, ETH_P_IPV6, IPPROTO_ICMPV6, IPPROTO_ESP, IPPROTO_ICMP, IPPROTO_IPIP, IPPROTO_TCP, IPPROTO_UDP,
  type IcmpHeader, type Packet, type Payload, type TcpFlags,
} from '../net/packet';

export const IP_HLEN = 20;
export const TCP_HLEN = 20;
export const UDP_HLEN = 8;
export const ICMP_HLEN = 8;
export const ETH_HLEN = 14;
export const VXLAN_HLEN = 8;
export const DEFAULT_TTL = 64;

/** ICMP types and codes the stack generates (RFC 792). */
export const ICMP_ECHOREPLY = 0;
export const ICMP_DEST_UNREACH = 3;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
export const ICMP_NET_ANO = 9;
export const ICMP_HOST_ANO = 10;
export const ICMP_PKT_FILTERED = 13;

/** ICMPv6 (RFC 4443, RFC 4861). */
export const IP6_HLEN = 40;
export const ICMPV6_DEST_UNREACH = 1;
export const ICMPV6_PKT_TOOBIG = 2;
export const ICMPV6_TIME_EXCEED = 3;
export const ICMPV6_PARAMPROB = 4;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
export const NDISC_NEIGHBOUR_SOLICITATION = 135;
export const NDISC_NEIGHBOUR_ADVERTISEMENT = 136;
/** Destination unreachable codes: no route, administratively prohibited, address unreachable, port unreachable. */
export const ICMPV6_NOROUTE = 0;
export const ICMPV6_ADM_PROHIBITED = 1;
export const ICMPV6_ADDR_UNREACH = 3;
export const ICMPV6_PORT_UNREACH = 4;

/** Whether an ICMP header (of either family) is an echo request / reply. */
export function isEchoRequest(p: Packet): boolean {
  return p.ip?.version === 6 ? p.icmp?.type === ICMPV6_ECHO_REQUEST : p.icmp?.type === ICMP_ECHO;
}
export function isEchoReply(p: Packet): boolean {
  return p.ip?.version === 6 ? p.icmp?.type === ICMPV6_ECHO_REPLY : p.icmp?.type === ICMP_ECHOREPLY;
}
/** ICMPv6 errors are types 0-127 (informational messages start at 128). */
export function isIcmpError(p: Packet): boolean {
  if (!p.icmp) return false;
  return p.ip?.version === 6 ? p.icmp.type < 128 : p.icmp.type !== ICMP_ECHO && p.icmp.type !== ICMP_ECHOREPLY;
}

/**
 * The ICMPv6 error for an ICMP (v4) type and code the stack decided on (icmp6_send's callers
 * pick the matching one): unreachable codes map onto RFC 4443's, frag-needed is packet too big.
 */
export function icmp6For(type: number, code: number): { type: number; code: number } {
  if (type === ICMP_TIME_EXCEEDED) return { type: ICMPV6_TIME_EXCEED, code: 0 };
  if (type === ICMP_DEST_UNREACH) {
    if (code === ICMP_FRAG_NEEDED) return { type: ICMPV6_PKT_TOOBIG, code: 0 };
    if (code === ICMP_NET_UNREACH) return { type: ICMPV6_DEST_UNREACH, code: ICMPV6_NOROUTE };
    if (code === ICMP_PORT_UNREACH) return { type: ICMPV6_DEST_UNREACH, code: ICMPV6_PORT_UNREACH };
    if (code === 2) return { type: ICMPV6_PARAMPROB, code: 1 };
    if (code === ICMP_PKT_FILTERED || code === ICMP_NET_ANO || code === ICMP_HOST_ANO) return { type: ICMPV6_DEST_UNREACH, code: ICMPV6_ADM_PROHIBITED };
    return { type: ICMPV6_DEST_UNREACH, code: ICMPV6_ADDR_UNREACH };
  }
  return { type, code };
}

/** The ICMP (v4) meaning of an ICMPv6 error, for code that explains either family the same way. */
export function icmp4Equivalent(p: Packet): { type: number; code: number } {
  const i = p.icmp!;
  if (p.ip?.version !== 6) return { type: i.type, code: i.code };
  switch (i.type) {
    case ICMPV6_TIME_EXCEED: return { type: ICMP_TIME_EXCEEDED, code: 0 };
    case ICMPV6_PKT_TOOBIG: return { type: ICMP_DEST_UNREACH, code: ICMP_FRAG_NEEDED };
    case ICMPV6_PARAMPROB: return { type: ICMP_DEST_UNREACH, code: 2 };
    case ICMPV6_DEST_UNREACH:
      return { type: ICMP_DEST_UNREACH, code: i.code === ICMPV6_NOROUTE ? ICMP_NET_UNREACH : i.code === ICMPV6_PORT_UNREACH ? ICMP_PORT_UNREACH : i.code === ICMPV6_ADM_PROHIBITED ? ICMP_PKT_FILTERED : ICMP_HOST_UNREACH };
    case ICMPV6_ECHO_REPLY: return { type: ICMP_ECHOREPLY, code: 0 };
    case ICMPV6_ECHO_REQUEST: return { type: ICMP_ECHO, code: 0 };
    default: return { type: i.type, code: i.code };
  }
}

/** Minimal UTF-8 encoder (the engine has no TextEncoder: lib is plain ES2022). */
export function utf8(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** How many bytes utf8(s) gives, without making them. */
function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** The User-Agent of an HTTP request that names none: Send, probes and curl send curl's. */
export const DEFAULT_USER_AGENT = 'curl/8.5.0';

/** The User-Agent a request carries on the wire (what a server logs). */
export function userAgentOf(p: { readonly headers: Readonly<Record<string, string>> }): string {
  const key = Object.keys(p.headers).find((k) => k.toLowerCase() === 'user-agent');
  return key === undefined ? DEFAULT_USER_AGENT : p.headers[key]!;
}

/** The application text of a payload (HTTP, plain data); null for binary payloads. */
export function payloadText(p: Payload): string | null {
  switch (p.kind) {
    case 'http-request': {
      const hs = Object.entries({ Host: p.host, 'User-Agent': DEFAULT_USER_AGENT, Accept: '*/*', ...p.headers });
      return `${p.method} ${p.path} HTTP/1.1\r\n${hs.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
    }
    case 'http-response': {
      const hs = Object.entries({ 'Content-Type': 'text/plain', 'Content-Length': String(utf8(p.body).length), ...p.headers });
      return `HTTP/1.1 ${p.status} ${p.status === 200 ? 'OK' : 'Error'}\r\n${hs.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${p.body}`;
    }
    case 'data': return p.text;
    case 'dns': return null;
    case 'bytes': return null;
  }
}

const RR_TYPES: Record<string, number> = { A: 1, NS: 2, CNAME: 5, SOA: 6, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 };
const RCODES: Record<string, number> = { NOERROR: 0, SERVFAIL: 2, NXDOMAIN: 3, REFUSED: 5 };

function dnsName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.replace(/\.$/, '').split('.')) {
    if (!label) continue;
    const b = utf8(label).slice(0, 63);
    out.push(b.length, ...b);
  }
  out.push(0);
  return out;
}

const u16 = (v: number): number[] => [(v >> 8) & 255, v & 255];

/** A DNS message in wire format (RFC 1035): header, the question, A/CNAME/PTR answers. */
function dnsBytes(message: unknown): number[] {
  const m = (message ?? {}) as { id?: number; question?: { name?: string; type?: string }; response?: { rcode?: string; authoritative?: boolean; answers?: readonly { name: string; type: string; ttl: number; data: string }[] } };
  const q = m.question ?? {};
  const res = m.response;
  const answers = (res?.answers ?? []).filter((a) => a.type === 'A' || a.type === 'CNAME' || a.type === 'PTR');
  const flags = res ? 0x8000 | (res.authoritative ? 0x0400 : 0) | 0x0100 | 0x0080 | (RCODES[res.rcode ?? 'NOERROR'] ?? 2) : 0x0100;
  const out = [...u16(m.id ?? 0), ...u16(flags), ...u16(1), ...u16(answers.length), 0, 0, 0, 0];
  out.push(...dnsName(q.name ?? '.'), ...u16(RR_TYPES[q.type ?? 'A'] ?? 1), ...u16(1));
  for (const a of answers) {
    const rdata = a.type === 'A' ? a.data.split('.').map((x) => Number(x) & 255) : dnsName(a.data);
    out.push(...dnsName(a.name), ...u16(RR_TYPES[a.type] ?? 1), ...u16(1), (a.ttl >>> 24) & 255, (a.ttl >>> 16) & 255, (a.ttl >>> 8) & 255, a.ttl & 255, ...u16(rdata.length), ...rdata);
  }
  return out;
}

/** How many bytes dnsName(name) gives, without making them. */
function dnsNameLength(name: string): number {
  let n = 1;
  for (const label of name.replace(/\.$/, '').split('.')) if (label) n += 1 + Math.min(utf8Length(label), 63);
  return n;
}

/** How many bytes dnsBytes(message) gives, counted the way it writes them (a DNS length is asked of every packet that carries one). */
function dnsLength(message: unknown): number {
  const m = (message ?? {}) as { question?: { name?: string }; response?: { answers?: readonly { name: string; type: string; data: string }[] } };
  let n = 12 + dnsNameLength(m.question?.name ?? '.') + 4;
  for (const a of m.response?.answers ?? []) {
    if (a.type !== 'A' && a.type !== 'CNAME' && a.type !== 'PTR') continue;
    n += dnsNameLength(a.name) + 10 + (a.type === 'A' ? a.data.split('.').length : dnsNameLength(a.data));
  }
  return n;
}

/** The bytes an application put on the wire (what the pcap writer renders). */
export function payloadBytes(p: Payload): number[] {
  if (p.kind === 'bytes') {
    // iputils fills the echo payload with 0x10, 0x11, ... after its timestamp.
    return Array.from({ length: p.length }, (_, i) => (0x10 + i) & 255);
  }
  if (p.kind === 'dns') return dnsBytes(p.message);
  return utf8(payloadText(p) ?? '');
}

export function payloadLength(p: Payload | undefined): number {
  if (!p) return 0;
  if (p.kind === 'bytes') return p.length;
  // The same count as payloadBytes(p).length, without building the bytes.
  if (p.kind === 'dns') return dnsLength(p.message);
  return utf8Length(payloadText(p) ?? '');
}

/** Length of a frame's IP packet plus its Ethernet header (what a VXLAN header wraps). */
export function frameLength(p: Packet): number {
  return (p.eth ? ETH_HLEN : 0) + (p.ip ? p.ip.length : p.arp ? 28 : 0);
}

interface IpOpts { readonly src: string; readonly dst: string; readonly ttl?: number; readonly df?: boolean; readonly id?: number; readonly tos?: number }

function ip(o: IpOpts, protocol: number, length: number): Packet['ip'] {
  // IPv6: a 40-byte header, ICMP is ICMPv6 (58), and routers never fragment (no DF bit: PMTU is the sender's job).
  if (o.dst.includes(':')) return { version: 6, src: o.src, dst: o.dst, ttl: o.ttl ?? DEFAULT_TTL, protocol: protocol === IPPROTO_ICMP ? IPPROTO_ICMPV6 : protocol, id: 0, df: true, tos: o.tos ?? 0, length: length - IP_HLEN + IP6_HLEN };
  return { version: 4, src: o.src, dst: o.dst, ttl: o.ttl ?? DEFAULT_TTL, protocol, id: o.id ?? 0, df: o.df ?? true, tos: o.tos ?? 0, length };
}

export function icmpEcho(o: IpOpts & { readonly id: number; readonly seq: number; readonly size: number; readonly reply?: boolean }): Packet {
  return {
    ip: ip(o, IPPROTO_ICMP, IP_HLEN + ICMP_HLEN + o.size),
    icmp: o.dst.includes(':')
      ? { type: o.reply ? ICMPV6_ECHO_REPLY : ICMPV6_ECHO_REQUEST, code: 0, id: o.id, seq: o.seq }
      : { type: o.reply ? ICMP_ECHOREPLY : ICMP_ECHO, code: 0, id: o.id, seq: o.seq },
    payload: { kind: 'bytes', length: o.size },
  };
}

/** The quoted part of an ICMP error: the offending IP header plus the first 8 bytes of its payload. */
export function icmpError(o: IpOpts, type: number, code: number, offending: Packet, mtu?: number): Packet {
  const original: Packet = stripL2(offending);
  const icmp: IcmpHeader = { type, code, original, ...(mtu !== undefined ? { mtu } : {}) };
  return { ip: ip({ ...o, df: false }, IPPROTO_ICMP, IP_HLEN + ICMP_HLEN + IP_HLEN + 8), icmp };
}

export function udp(o: IpOpts & { readonly sport: number; readonly dport: number; readonly payload?: Payload }): Packet {
  return {
    ip: ip(o, IPPROTO_UDP, IP_HLEN + UDP_HLEN + payloadLength(o.payload)),
    udp: { sport: o.sport, dport: o.dport },
    ...(o.payload ? { payload: o.payload } : {}),
  };
}

export function tcp(o: IpOpts & { readonly sport: number; readonly dport: number; readonly seq: number; readonly ack: number; readonly flags: TcpFlags; readonly payload?: Payload }): Packet {
  return {
    ip: ip(o, IPPROTO_TCP, IP_HLEN + TCP_HLEN + payloadLength(o.payload)),
    tcp: { sport: o.sport, dport: o.dport, seq: o.seq, ack: o.ack, flags: o.flags, window: 64240 },
    ...(o.payload ? { payload: o.payload } : {}),
  };
}

/** Outer IPIP header around an inner IP packet (protocol 4). */
export function ipipWrap(o: IpOpts, inner: Packet): Packet {
  return { ip: ip(o, IPPROTO_IPIP, IP_HLEN + (inner.ip?.length ?? 0)), inner };
}

/** Outer IP/UDP/VXLAN around an inner Ethernet frame. */
export function vxlanWrap(o: IpOpts & { readonly sport: number; readonly dport: number; readonly vni: number }, frame: Packet): Packet {
  return {
    ip: ip(o, IPPROTO_UDP, IP_HLEN + UDP_HLEN + VXLAN_HLEN + frameLength(frame)),
    udp: { sport: o.sport, dport: o.dport },
    vxlan: { vni: o.vni },
    inner: frame,
  };
}

/** An IP packet as a UDP payload (a user-space L3 tunnel: a TUN read by a process, userspace.ts). */
export function udpWrap(o: IpOpts & { readonly sport: number; readonly dport: number }, inner: Packet): Packet {
  return { ip: ip(o, IPPROTO_UDP, IP_HLEN + UDP_HLEN + (inner.ip?.length ?? 0)), udp: { sport: o.sport, dport: o.dport }, inner };
}

/** A whole Ethernet frame as a UDP payload (a user-space L2 tunnel such as weave's sleeve). */
export function l2UdpWrap(o: IpOpts & { readonly sport: number; readonly dport: number }, frame: Packet): Packet {
  return { ip: ip(o, IPPROTO_UDP, IP_HLEN + UDP_HLEN + frameLength(frame)), udp: { sport: o.sport, dport: o.dport }, inner: frame };
}

/** ESP overhead in transport mode with AES-GCM: header 8, IV 8, trailer 2 + padding, ICV 16. */
export const ESP_OVERHEAD = 36;

/** IPsec ESP, transport mode: the IP header stays, the rest becomes ESP's encrypted payload. */
export function espWrap(p: Packet, spi: number, seq: number): Packet {
  const ipH = p.ip!;
  const { ip: _ip, eth: _eth, ...rest } = p;
  return { ip: { ...ipH, protocol: IPPROTO_ESP, length: ipH.length + ESP_OVERHEAD }, esp: { spi, seq }, inner: { ip: ipH, ...rest } };
}

export function withEth(p: Packet, src: string, dst: string): Packet {
  return { ...p, eth: { src, dst, type: p.arp ? ETH_P_ARP : p.ip?.version === 6 ? ETH_P_IPV6 : ETH_P_IP } };
}

export function stripL2(p: Packet): Packet {
  if (!p.eth) return p;
  const { eth: _eth, ...rest } = p;
  return rest;
}

export function tcpFlagsText(f: TcpFlags): string {
  let s = '';
  if (f.syn) s += 'S';
  if (f.fin) s += 'F';
  if (f.rst) s += 'R';
  if (f.psh) s += 'P';
  if (f.ack) s += '.';
  return s || 'none';
}

function icmp6Text(i: IcmpHeader): string {
  switch (i.type) {
    case ICMPV6_ECHO_REQUEST: return `echo request id ${i.id ?? 0} seq ${i.seq ?? 0}`;
    case ICMPV6_ECHO_REPLY: return `echo reply id ${i.id ?? 0} seq ${i.seq ?? 0}`;
    case NDISC_NEIGHBOUR_SOLICITATION: return `neighbor solicitation, who has ${i.target ?? '?'}`;
    case NDISC_NEIGHBOUR_ADVERTISEMENT: return `neighbor advertisement, tgt is ${i.target ?? '?'}`;
    case ICMPV6_TIME_EXCEED: return 'time exceeded in-transit';
    case ICMPV6_PKT_TOOBIG: return `packet too big, mtu ${i.mtu ?? 0}`;
    case ICMPV6_PARAMPROB: return 'parameter problem';
    case ICMPV6_DEST_UNREACH: return `destination unreachable, ${['no route', 'administratively prohibited', 'beyond scope', 'address unreachable', 'port unreachable'][i.code] ?? `code ${i.code}`}`;
    default: return `type ${i.type} code ${i.code}`;
  }
}

function icmpText(i: IcmpHeader): string {
  switch (i.type) {
    case ICMP_ECHO: return `echo request id ${i.id ?? 0} seq ${i.seq ?? 0}`;
    case ICMP_ECHOREPLY: return `echo reply id ${i.id ?? 0} seq ${i.seq ?? 0}`;
    case ICMP_TIME_EXCEEDED: return 'time exceeded in-transit';
    case ICMP_DEST_UNREACH: {
      const what = ['net', 'host', 'protocol', 'port', 'fragmentation needed', 'source route failed', 'net unknown', 'host unknown', 'isolated', 'net prohibited', 'host prohibited', 'net tos', 'host tos', 'administratively prohibited'][i.code] ?? `code ${i.code}`;
      return i.code === ICMP_FRAG_NEEDED ? `${what} and DF set (mtu ${i.mtu ?? 0})` : `${what} unreachable`;
    }
    default: return `type ${i.type} code ${i.code}`;
  }
}

/** Descriptions by packet: packets are never changed in place, and a walk describes one packet at several hops (tx, rx, send). */
const described = new WeakMap<Packet, string>();

/** One line, tcpdump-like: "10.244.1.2.40000 > 10.244.2.3.80: tcp S seq 1 ttl 64 len 60". */
export function describe(p: Packet): string {
  let s = described.get(p);
  if (s === undefined) { s = describeNew(p); described.set(p, s); }
  return s;
}

function describeNew(p: Packet): string {
  if (p.arp) {
    return p.arp.op === 1 ? `ARP who-has ${p.arp.tpa} tell ${p.arp.spa}` : `ARP ${p.arp.spa} is-at ${p.arp.sha}`;
  }
  if (!p.ip) return 'frame';
  const i = p.ip;
  let s: string;
  // An IPv6 address with a port is written in brackets ([fd00::2]:80).
  const ep = i.version === 6 ? (a: string, port: number): string => `[${a}]:${port}` : (a: string, port: number): string => `${a}:${port}`;
  if (p.tcp) s = `${ep(i.src, p.tcp.sport)} > ${ep(i.dst, p.tcp.dport)} TCP [${tcpFlagsText(p.tcp.flags)}] seq ${p.tcp.seq}${p.tcp.flags.ack ? ` ack ${p.tcp.ack}` : ''}`;
  else if (p.udp) s = `${ep(i.src, p.udp.sport)} > ${ep(i.dst, p.udp.dport)} UDP${p.vxlan ? ` VXLAN vni ${p.vxlan.vni}` : ''}`;
  else if (p.icmp && i.version === 6) s = `${i.src} > ${i.dst} ICMP6 ${icmp6Text(p.icmp)}`;
  else if (p.icmp) s = `${i.src} > ${i.dst} ICMP ${icmpText(p.icmp)}`;
  else if (i.protocol === IPPROTO_IPIP) s = `${i.src} > ${i.dst} IPIP`;
  else if (p.esp) s = `${i.src} > ${i.dst} ESP(spi=0x${p.esp.spi.toString(16).padStart(8, '0')},seq=0x${p.esp.seq.toString(16)})`;
  else s = `${i.src} > ${i.dst} proto ${i.protocol}`;
  s += i.version === 6 ? ` hlim ${i.ttl} len ${i.length}` : ` ttl ${i.ttl} len ${i.length}`;
  if (p.inner && !p.esp) s += ` [inner ${describe(p.inner)}]`;
  return s;
}
