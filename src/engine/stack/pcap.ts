/**
 * The packets of a trace as a pcap file (libpcap format, LINKTYPE_ETHERNET) that Wireshark and
 * tshark decode: one record per device transmit, with real Ethernet, ARP, IPv4, ICMP, TCP,
 * UDP and VXLAN bytes and correct checksums. Packets without an Ethernet header (TUN, IPIP
 * devices) get a zero-MAC Ethernet header so the file keeps one link type.
 *
 * Decode VXLAN on port 8472 with: tshark -r FILE -d udp.port==8472,vxlan
 */
import { ETH_P_ARP, ETH_P_IP, IPPROTO_IPIP, IPPROTO_TCP, IPPROTO_UDP, type Packet } from '../net/packet';
import { payloadBytes } from './packets';
import type { Trace } from '../trace/types';

function mac(s: string): number[] {
  const b = s.split(':').map((x) => parseInt(x, 16) & 255);
  return b.length === 6 ? b : [0, 0, 0, 0, 0, 0];
}

function ip4(s: string): number[] {
  const b = s.split('.').map((x) => Number(x) & 255);
  return b.length === 4 ? b : [0, 0, 0, 0];
}

const u16 = (v: number): number[] => [(v >>> 8) & 255, v & 255];
const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];

/** The Internet checksum (RFC 1071) over bytes. */
export function checksum(bytes: readonly number[], initial = 0): number {
  let sum = initial;
  for (let i = 0; i < bytes.length; i += 2) sum += ((bytes[i]! << 8) | (bytes[i + 1] ?? 0));
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return (~sum) & 0xffff;
}

function pseudoSum(src: string, dst: string, proto: number, len: number): number {
  const b = [...ip4(src), ...ip4(dst), 0, proto, ...u16(len)];
  let sum = 0;
  for (let i = 0; i < b.length; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
  return sum;
}

function setU16(b: number[], at: number, v: number): void {
  b[at] = (v >>> 8) & 255;
  b[at + 1] = v & 255;
}

function ipHeader(p: Packet, totalLen: number): number[] {
  const ip = p.ip!;
  const h = [0x45, ip.tos & 255, ...u16(totalLen), ...u16(ip.id & 0xffff), ...u16(ip.df ? 0x4000 : 0), ip.ttl & 255, ip.protocol & 255, 0, 0, ...ip4(ip.src), ...ip4(ip.dst)];
  setU16(h, 10, checksum(h));
  return h;
}

function l4Bytes(p: Packet): number[] {
  const ip = p.ip!;
  if (p.tcp) {
    const t = p.tcp;
    const data = p.payload ? payloadBytes(p.payload) : [];
    const f = t.flags;
    const flags = (f.fin ? 1 : 0) | (f.syn ? 2 : 0) | (f.rst ? 4 : 0) | (f.psh ? 8 : 0) | (f.ack ? 16 : 0);
    const seg = [...u16(t.sport), ...u16(t.dport), ...u32(t.seq >>> 0), ...u32(t.ack >>> 0), 5 << 4, flags, ...u16(t.window), 0, 0, 0, 0, ...data];
    setU16(seg, 16, checksum(seg, pseudoSum(ip.src, ip.dst, IPPROTO_TCP, seg.length)));
    return seg;
  }
  if (p.udp) {
    let data: number[];
    if (p.vxlan && p.inner) data = [0x08, 0, 0, 0, ...u32(p.vxlan.vni << 8), ...frameBytes(p.inner)];
    else if (p.inner) data = ipBytes(p.inner);
    else data = p.payload ? payloadBytes(p.payload) : [];
    const dg = [...u16(p.udp.sport), ...u16(p.udp.dport), ...u16(8 + data.length), 0, 0, ...data];
    const c = checksum(dg, pseudoSum(ip.src, ip.dst, IPPROTO_UDP, dg.length));
    setU16(dg, 6, c === 0 ? 0xffff : c);
    return dg;
  }
  if (p.icmp) {
    const i = p.icmp;
    let rest: number[];
    if (i.original) {
      const o = i.original;
      const quoted = o.ip ? [...ipHeader(o, o.ip.length), ...l4Bytes(o).slice(0, 8)] : [];
      rest = [0, 0, ...u16(i.mtu ?? 0), ...quoted];
    } else {
      rest = [...u16(i.id ?? 0), ...u16(i.seq ?? 0), ...(p.payload ? payloadBytes(p.payload) : [])];
    }
    const msg = [i.type & 255, i.code & 255, 0, 0, ...rest];
    setU16(msg, 2, checksum(msg));
    return msg;
  }
  if (ip.protocol === IPPROTO_IPIP && p.inner) return ipBytes(p.inner);
  if (p.esp) {
    // The ciphertext: as many bytes as the packet carries, unreadable (a keyed stream stands in for AES-GCM).
    const n = Math.max(0, ip.length - 20 - 8);
    let h = p.esp.spi ^ p.esp.seq;
    const body = Array.from({ length: n }, () => { h = (Math.imul(h, 1103515245) + 12345) >>> 0; return h >>> 24; });
    return [...u32(p.esp.spi >>> 0), ...u32(p.esp.seq >>> 0), ...body];
  }
  return p.payload ? payloadBytes(p.payload) : [];
}

export function ipBytes(p: Packet): number[] {
  if (!p.ip) return [];
  const l4 = l4Bytes(p);
  return [...ipHeader(p, 20 + l4.length), ...l4];
}

export function frameBytes(p: Packet): number[] {
  const eth = p.eth ?? { src: '00:00:00:00:00:00', dst: '00:00:00:00:00:00', type: p.arp ? ETH_P_ARP : ETH_P_IP };
  const head = [...mac(eth.dst), ...mac(eth.src), ...u16(eth.type)];
  if (p.arp) {
    const a = p.arp;
    return [...head, 0, 1, 8, 0, 6, 4, ...u16(a.op), ...mac(a.sha), ...ip4(a.spa), ...mac(a.tha), ...ip4(a.tpa)];
  }
  return [...head, ...ipBytes(p)];
}

/** Every packet a device transmitted during the walk, in order, as a pcap file. */
export function tracePcap(trace: Trace, baseMs = 0): Uint8Array {
  const out: number[] = [];
  const le32 = (v: number): void => { out.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255); };
  const le16 = (v: number): void => { out.push(v & 255, (v >>> 8) & 255); };
  le32(0xa1b2c3d4); le16(2); le16(4); le32(0); le32(0); le32(262144); le32(1);
  const baseUs = Math.round(baseMs * 1000) + 1_700_000_000_000_000;
  for (const e of trace.events) {
    if (e.type !== 'tx' || !e.packet) continue;
    const bytes = frameBytes(e.packet);
    const us = baseUs + e.t;
    le32(Math.floor(us / 1e6)); le32(us % 1e6); le32(bytes.length); le32(bytes.length);
    for (const b of bytes) out.push(b);
  }
  return Uint8Array.from(out);
}
