/**
 * The rule model: iptables rules held parsed, the way the kernel's x_tables holds them (an IP
 * part, a list of matches, one target), so that `iptables-save` prints exactly what runs and a
 * rule typed in the terminal runs the same code as one loaded by kube-proxy.
 *
 *   NetfilterState ─ tables: raw, mangle, nat, filter
 *                      └─ Table ─ chains (built-in ones carry a policy)
 *                                   └─ Chain ─ rules: Rule[] (counters on each)
 *                  ─ ipsets       (`ipset`: the one store; kube-proxy and calico fill it, -m set reads it)
 *                  ─ recent       (`-m recent` lists, kube-proxy's ClientIP affinity)
 */

export type TableName = 'raw' | 'mangle' | 'nat' | 'filter';
export const TABLE_NAMES: readonly TableName[] = ['raw', 'mangle', 'nat', 'filter'];

export type Policy = 'ACCEPT' | 'DROP';

export interface Counters {
  pkts: number;
  bytes: number;
}

/** An address match: `[!] -s 10.0.0.0/8`. Numbers are unsigned 32-bit IPv4. */
export interface AddrMatch {
  readonly base: number;
  readonly len: number;
  readonly inv: boolean;
  /** An ip6tables address (`-s fd00::/64`): `base` is then 0 and `len` the IPv6 prefix length. */
  readonly v6?: bigint;
}

/** `[!] -i eth0` / `-o veth+` (a trailing + matches any name with that prefix). */
export interface IfaceMatch {
  readonly name: string;
  readonly inv: boolean;
}

export interface PortRange {
  readonly min: number;
  readonly max: number;
}

export interface InvPorts {
  readonly range: PortRange;
  readonly inv: boolean;
}

/** conntrack --ctstate bits, printed in this order by iptables. */
export const CT_STATES = ['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'] as const;
export type CtStateName = (typeof CT_STATES)[number];

export type Match =
  | { readonly kind: 'comment'; readonly comment: string }
  /** xt_nfacct: always matches, counting the packet in the named extended accounting object. */
  | { readonly kind: 'nfacct'; readonly name: string }
  | { readonly kind: 'tcp' | 'udp' | 'sctp'; readonly sport?: InvPorts; readonly dport?: InvPorts; readonly tcpFlags?: { readonly mask: number; readonly comp: number; readonly inv: boolean } }
  | { readonly kind: 'icmp'; readonly type: number; readonly codeMin: number; readonly codeMax: number; readonly inv: boolean }
  | { readonly kind: 'addrtype'; readonly src?: { readonly types: readonly string[]; readonly inv: boolean }; readonly dst?: { readonly types: readonly string[]; readonly inv: boolean }; readonly limitIn?: boolean; readonly limitOut?: boolean }
  | { readonly kind: 'mark'; readonly value: number; readonly mask: number; readonly inv: boolean }
  | { readonly kind: 'conntrack' | 'state'; readonly states: readonly CtStateName[]; readonly inv: boolean }
  | { readonly kind: 'statistic'; readonly mode: 'random'; readonly probability: number; readonly inv: boolean }
  /** nth keeps its packet counter in the match, as the kernel's xt_statistic does. */
  | { readonly kind: 'statistic'; readonly mode: 'nth'; readonly every: number; readonly packet: number; readonly inv: boolean; readonly counter: { n: number } }
  /** `mask6` is an ip6tables rule's --mask (then `mask` is unused). */
  | { readonly kind: 'recent'; readonly name: string; readonly op: 'set' | 'rcheck' | 'update' | 'remove'; readonly seconds?: number; readonly hitcount?: number; readonly reap: boolean; readonly rttl: boolean; readonly mask: number; readonly mask6?: bigint; readonly side: 'source' | 'dest'; readonly inv: boolean }
  | { readonly kind: 'set'; readonly name: string; readonly flags: readonly ('src' | 'dst')[]; readonly inv: boolean }
  | { readonly kind: 'multiport'; readonly which: 'sports' | 'dports' | 'ports'; readonly ports: readonly PortRange[]; readonly inv: boolean }
  | { readonly kind: 'physdev'; readonly in?: IfaceMatch; readonly out?: IfaceMatch; readonly isIn?: boolean; readonly isOut?: boolean; readonly isBridged?: boolean; readonly isInInv?: boolean; readonly isOutInv?: boolean; readonly isBridgedInv?: boolean };

export type RejectWith =
  | 'icmp-port-unreachable' | 'icmp-net-unreachable' | 'icmp-host-unreachable' | 'icmp-proto-unreachable'
  | 'icmp-net-prohibited' | 'icmp-host-prohibited' | 'icmp-admin-prohibited' | 'tcp-reset';

/** A NAT range: `--to-destination 10.244.1.2:8080`, `--to-source 1.2.3.4-1.2.3.9:1024-2000`. */
export interface NatRange {
  readonly minIp: number;
  readonly maxIp: number;
  /** ip6tables' range (`--to-destination [fd00::3]:80`): minIp/maxIp are then 0. */
  readonly min6?: bigint;
  readonly max6?: bigint;
  readonly ports?: PortRange;
}

export type Target =
  /** No -j: the rule only counts packets. */
  | { readonly kind: 'none' }
  | { readonly kind: 'ACCEPT' | 'DROP' | 'RETURN' }
  | { readonly kind: 'jump' | 'goto'; readonly chain: string }
  | { readonly kind: 'REJECT'; readonly with: RejectWith }
  | { readonly kind: 'LOG'; readonly prefix?: string; readonly level?: number }
  /** MARK as the kernel holds it: mark = (mark & ~mask) ^ value. */
  | { readonly kind: 'MARK'; readonly value: number; readonly mask: number }
  /**
   * CONNMARK: `set` ctmark = (ctmark & ~mask) ^ value; `restore` nfmark = (nfmark & ~nfmask) ^
   * (ctmark & ctmask); `save` ctmark = (ctmark & ~ctmask) ^ (nfmark & nfmask) (xt_CONNMARK).
   */
  | { readonly kind: 'CONNMARK'; readonly op: 'set'; readonly value: number; readonly mask: number }
  | { readonly kind: 'CONNMARK'; readonly op: 'restore' | 'save'; readonly nfmask: number; readonly ctmask: number }
  | { readonly kind: 'DNAT'; readonly to?: NatRange; readonly random: boolean; readonly persistent: boolean }
  | { readonly kind: 'SNAT'; readonly to?: NatRange; readonly random: boolean; readonly randomFully: boolean; readonly persistent: boolean }
  | { readonly kind: 'MASQUERADE'; readonly ports?: PortRange; readonly random: boolean; readonly randomFully: boolean }
  | { readonly kind: 'REDIRECT'; readonly ports?: PortRange; readonly random: boolean };

export interface Rule {
  readonly src?: AddrMatch;
  readonly dst?: AddrMatch;
  readonly inIface?: IfaceMatch;
  readonly outIface?: IfaceMatch;
  /** Protocol number (0 = all); absent = all. */
  readonly proto?: { readonly num: number; readonly inv: boolean };
  readonly matches: readonly Match[];
  readonly target: Target;
  /** The rule's own counters. A shared rule (below) never moves these: see ruleCounters (state.ts). */
  counters: Counters;
  /**
   * Held by the chains of several machines (nodes whose writers produced the same chain, parsed
   * once: restore.ts ChainCache). Its counters live per table (Table.counters), so each node
   * counts its own packets.
   */
  readonly shared?: true;
}

/** Per-chain lookup index (see dispatch.ts); dropped whenever the chain's rules change. */
export interface ChainIndex {
  readonly byDst: Map<number, number[]>;
  readonly wildcard: number[];
}

export interface Chain {
  readonly name: string;
  /** Built-in chains have a policy; user chains have none ("-" in iptables-save). */
  policy?: Policy;
  policyCounters: Counters;
  rules: Rule[];
  index?: ChainIndex;
  /**
   * Also installed in other machines' tables (restore.ts ChainCache): never changed in place. A
   * change copies it into the table first (copy-on-write: ops.ts ownChain, restore's own()).
   */
  readonly shared?: true;
}

export interface Table {
  readonly name: TableName;
  readonly chains: Map<string, Chain>;
  /** Set once anything loaded or changed the table: iptables-save lists only tables in use. */
  used?: boolean;
  /** This machine's counters of its shared rules (Rule.shared); a full restore of the table starts them over. */
  counters?: WeakMap<Rule, Counters>;
}

/** One ipset (`ipset create NAME TYPE`): members kept in the text form `ipset list` prints. */
export interface IpSet {
  readonly name: string;
  readonly type: string;
  readonly members: Set<string>;
  /** Free-form header options (family inet, hashsize, maxelem, comment) kept for `ipset list`. */
  readonly options: Readonly<Record<string, string>>;
  /** The writer's description (kube-proxy's set comments), used in the rules that match the set. */
  readonly comment?: string;
}

/** `-m recent` list: address (IPv4 as a number, IPv6 as a bigint) → the times (ms) it was seen. */
export type RecentList = Map<number | bigint, number[]>;

export interface NetfilterState {
  readonly tables: Record<TableName, Table>;
  readonly ipsets: Map<string, IpSet>;
  readonly recent: Map<string, RecentList>;
  /**
   * The machine's daemons' last iptables-restore failed: the table holding the offending line
   * (and every table after it) kept its previous rules. Every packet entering the namespace
   * carries a trace event saying so, since it then misses the rules that did not load.
   */
  restoreFailure?: RestoreFailure;
  /** nfnetlink_acct objects (`nfacct add NAME`), the counters `-m nfacct --nfacct-name NAME` moves. */
  nfacct?: Map<string, { pkts: number; bytes: number }>;
}

/** An iptables-restore that did not load, as the writer's log and `knp check` report it. */
export interface RestoreFailure {
  /** node/NAME or host/NAME. */
  readonly machine: string;
  /** The daemon that wrote the offending line: kube-proxy, kubelet, flannel, calico, portmap, dockerd. */
  readonly writer: string;
  /** 1-based line number in the restore input, and its text. */
  readonly line: number;
  readonly text: string;
  /** iptables-restore's message ("iptables-restore: line N failed: ..."). */
  readonly error: string;
  /** The tables that were not loaded (the failing one and those after it). */
  readonly tables: readonly TableName[];
}

export const BUILTIN_CHAINS: Readonly<Record<TableName, readonly string[]>> = {
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
};

export function isBuiltin(table: TableName, chain: string): boolean {
  return BUILTIN_CHAINS[table].includes(chain);
}
