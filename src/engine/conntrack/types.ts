/**
 * Connection tracking as nf_conntrack models it: every flow has an ORIGINAL tuple (as the first
 * packet looked when it arrived) and a REPLY tuple (what an answer will look like on the wire).
 * NAT is nothing more than making the reply tuple differ from the inverted original:
 *
 *   ORIGINAL  src=10.244.1.2 dst=10.96.0.10 sport=40000 dport=53      (client → Service IP)
 *   REPLY     src=10.244.2.3 dst=10.244.1.2 sport=53    dport=40000   (backend → client: DNAT)
 *
 * A reply is recognised by its REPLY tuple and translated back to the inverse of ORIGINAL.
 */

export interface Tuple {
  /** IP protocol number (6 tcp, 17 udp, 1 icmp). */
  readonly proto: number;
  readonly src: string;
  readonly dst: string;
  /** TCP/UDP ports; ICMP echo carries its id in both. */
  readonly sport: number;
  readonly dport: number;
}

export type CtDir = 'original' | 'reply';

/** The TCP states of nf_conntrack_proto_tcp (SYN_SENT2 and the ignore state left out). */
export type TcpState = 'NONE' | 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';

export interface CtEntry {
  readonly id: number;
  readonly orig: Tuple;
  reply: Tuple;
  /** Status bits shown by conntrack -L ([UNREPLIED], [ASSURED]) and the NAT bits (IPS_SRC_NAT, IPS_DST_NAT). */
  seenReply: boolean;
  assured: boolean;
  /** Unconfirmed entries exist only while their first packet is in flight (the kernel's unconfirmed list). */
  confirmed: boolean;
  srcNat: boolean;
  dstNat: boolean;
  /** A NAT binding (possibly the null binding) was set up for this manip type (nf_nat_initialized). */
  natDoneSrc: boolean;
  natDoneDst: boolean;
  tcp?: TcpState;
  /** For TCP FIN bookkeeping: which direction closed first. */
  finFrom?: CtDir;
  /** Expiry time in simulated ms. */
  expires: number;
  mark: number;
  /** Which rule set up NAT, for the trace ("KUBE-SEP-... rule 1"). */
  natBy?: string;
}

/** How a packet relates to an entry, as skb->_nfct + ctinfo. */
export interface CtRef {
  readonly id: number;
  readonly dir: CtDir;
  /** The ctstate -m conntrack sees: NEW, ESTABLISHED or RELATED (INVALID packets get no ref). */
  readonly state: 'NEW' | 'ESTABLISHED' | 'RELATED';
}

export interface ConntrackTable {
  readonly entries: Map<number, CtEntry>;
  /** Tuple key → entry for the ORIGINAL and REPLY tuples (the kernel's hash). */
  readonly byTuple: Map<string, { readonly id: number; readonly dir: CtDir }>;
  /**
   * Tuple key → entry for a packet between the hooks, after DNAT but before SNAT (or, for a
   * reply, after un-SNAT and before un-DNAT): lets INPUT/FORWARD/POSTROUTING find the entry
   * when the walk does not carry the CtRef along.
   */
  readonly byMid: Map<string, { readonly id: number; readonly dir: CtDir }>;
  nextId: number;
  /** No entry expires before this time (ms): sweeping earlier finds nothing. */
  nextExpiry: number;
}
