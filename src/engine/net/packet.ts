/**
 * Packets as layered headers, the way the kernel sees an skb: Ethernet, then ARP or IP, then
 * TCP/UDP/ICMP, then (for tunnels) an inner packet. Values are plain data; the stack copies a
 * packet when a hop changes it, so every trace event holds the headers as they were there.
 */
import type { Mac } from '../addr/mac';

export const ETH_P_IP = 0x0800;
export const ETH_P_ARP = 0x0806;
export const ETH_P_IPV6 = 0x86dd;

export const IPPROTO_ICMP = 1;
export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_ESP = 50;
export const IPPROTO_SCTP = 132;
export const IPPROTO_ICMPV6 = 58;

export interface EthHeader {
  readonly src: Mac;
  readonly dst: Mac;
  readonly type: number;
}

export interface ArpHeader {
  /** 1 = request, 2 = reply */
  readonly op: 1 | 2;
  readonly sha: Mac;
  readonly spa: string;
  readonly tha: Mac;
  readonly tpa: string;
}

export interface IpHeader {
  readonly version: 4 | 6;
  readonly src: string;
  readonly dst: string;
  readonly ttl: number;
  readonly protocol: number;
  readonly id: number;
  readonly df: boolean;
  readonly tos: number;
  /** Total length in bytes (header + payload), as the kernel would put on the wire. */
  readonly length: number;
}

export interface TcpFlags {
  readonly syn?: boolean;
  readonly ack?: boolean;
  readonly fin?: boolean;
  readonly rst?: boolean;
  readonly psh?: boolean;
}

export interface TcpHeader {
  readonly sport: number;
  readonly dport: number;
  readonly seq: number;
  readonly ack: number;
  readonly flags: TcpFlags;
  readonly window: number;
}

export interface UdpHeader {
  readonly sport: number;
  readonly dport: number;
}

export interface IcmpHeader {
  readonly type: number;
  readonly code: number;
  /** Echo id/sequence. */
  readonly id?: number;
  readonly seq?: number;
  /** For errors (unreachable, time exceeded, frag needed): the offending packet's IP header + 8 bytes. */
  readonly original?: Packet;
  /** Frag-needed next-hop MTU (ICMPv6: packet too big's MTU). */
  readonly mtu?: number;
  /** ICMPv6 neighbour solicitation / advertisement: the target address. */
  readonly target?: string;
  /** NDP's source (NS) or target (NA) link-layer address option. */
  readonly lladdr?: string;
  /** NA flags: R (the sender is a router), S (solicited), O (override). */
  readonly router?: boolean;
  readonly solicited?: boolean;
}

/** IPsec ESP (transport mode): the encrypted payload is `inner`, the packet as it was before the transform. */
export interface EspHeader {
  readonly spi: number;
  readonly seq: number;
}

export interface VxlanHeader {
  readonly vni: number;
}

/** What the application put in the packet, kept symbolic (the lab and pcap render it to bytes). */
export type Payload =
  | { readonly kind: 'http-request'; readonly method: string; readonly path: string; readonly host: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'http-response'; readonly status: number; readonly body: string; readonly headers: Readonly<Record<string, string>> }
  | { readonly kind: 'dns'; readonly message: unknown }
  | { readonly kind: 'data'; readonly text: string }
  | { readonly kind: 'bytes'; readonly length: number };

export interface Packet {
  readonly eth?: EthHeader;
  readonly arp?: ArpHeader;
  readonly ip?: IpHeader;
  readonly tcp?: TcpHeader;
  readonly udp?: UdpHeader;
  readonly icmp?: IcmpHeader;
  /** VXLAN header (inside outer UDP); `inner` holds the encapsulated frame. */
  readonly vxlan?: VxlanHeader;
  /** ESP header (protocol 50); `inner` holds the packet it encrypts (unreadable on the wire). */
  readonly esp?: EspHeader;
  /** Flannel UDP backend: outer UDP whose payload is the inner IP packet. IPIP: protocol 4, inner IP packet. */
  readonly inner?: Packet;
  readonly payload?: Payload;
  /** skb->mark (fwmark): set by iptables MARK, read by routing rules and KUBE-POSTROUTING. Not on the wire. */
  readonly mark?: number;
  /**
   * Tunnel metadata a program set on the skb (bpf_skb_set_tunnel_key): a VXLAN device in
   * external (collect_md) mode encapsulates towards `remote` with `vni`. Not on the wire.
   */
  readonly tunnelKey?: { readonly remote: string; readonly vni: number };
}

export function protoName(p: number): string {
  switch (p) {
    case IPPROTO_ICMP: return 'icmp';
    case IPPROTO_TCP: return 'tcp';
    case IPPROTO_UDP: return 'udp';
    case IPPROTO_IPIP: return 'ipip';
    case IPPROTO_ESP: return 'esp';
    case IPPROTO_SCTP: return 'sctp';
    case IPPROTO_ICMPV6: return 'ipv6-icmp';
    default: return String(p);
  }
}

/** A DNS query type (the QTYPE the resolver asks and CoreDNS answers). */
export type RRType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT' | 'NS' | 'SOA' | 'ANY';

export interface DnsQuestion {
  readonly name: string;
  readonly type: RRType;
}

export interface DnsRR {
  readonly name: string;
  readonly type: RRType;
  readonly ttl: number;
  /** A/AAAA: address; CNAME/PTR/NS: target name; SRV: "prio weight port target"; SOA: the SOA rdata. */
  readonly data: string;
}

export interface DnsResponse {
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  readonly authoritative: boolean;
  readonly answers: readonly DnsRR[];
  readonly authority: readonly DnsRR[];
  /** Glue: the A records of SRV targets and NS names. */
  readonly additional?: readonly DnsRR[];
  /** RA: the server recurses for clients (the upstream resolver does; CoreDNS's own answers do not say so). */
  readonly recursionAvailable?: boolean;
  /** The Corefile sent this question upstream (`forward . IP`): the stack walks it there and back. */
  readonly forwardTo?: string;
  /** What CoreDNS would log about its configuration while answering (unknown plugins...). */
  readonly notes?: readonly string[];
}
