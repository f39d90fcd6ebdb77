/**
 * The trace: the first-class output of a packet walk. The UI animates it, the inspector reads
 * it, lesson goals check it, golden tests print it as text. Contract: docs/trace-format.md.
 */
import type { Packet } from '../net/packet';
import type { NsId } from '../net/types';
import type { Message } from '../i18n/messages';

export type Verdict = 'delivered' | 'refused' | 'dropped' | 'unreachable' | 'timeout' | 'nxdomain' | 'error';

/** Where an event happened: the machine (canvas node), the namespace and, where it applies, the device. */
export interface Where {
  /** "node/node-1", "pod/default/web-1", "host/laptop", "infra/underlay" */
  readonly machine: string;
  readonly ns: NsId;
  readonly dev?: string;
}

/** One rule of a chain as the walk listed it: its 1-based index, its text, whether it matched. */
export interface ListedRule { readonly index: number; readonly text: string; readonly matched: boolean }

/** One nf_tables verdict-map lookup: `@service-ips`, `[10.96.0.10 . udp . 53]`, `goto service-…` (null: no element). */
export interface MapLookup { readonly map: string; readonly key: string; readonly verdict: string | null }

export type NetfilterHook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** One stretch of a chain (iptables, or an nf_tables chain with `nft: true`). */
export interface ChainDetail {
  readonly table: string;
  readonly chain: string;
  readonly hook: NetfilterHook;
  readonly rules: readonly ListedRule[];
  /** The target as iptables names it (`ACCEPT`, `KUBE-SVC-…`, `DNAT`, `policy ACCEPT`) or nft's words (`goto service-…`, `dnat to 10.244.1.3:80`). */
  readonly verdict: string;
  readonly matchedRule?: ListedRule;
  readonly lookups?: readonly MapLookup[];
  readonly evaluated: number;
  readonly rulesEvaluated: number;
  readonly nft?: true;
  readonly continued?: true;
}

/** A LOG target's line, as the kernel log would print it. */
export interface LogDetail {
  readonly table: string;
  readonly chain: string;
  readonly hook: NetfilterHook;
  readonly log: string;
  readonly level: number;
  readonly evaluated: 0;
  readonly rulesEvaluated: 0;
}

/** A packet enters a namespace whose iptables-restore failed: the tables that were not loaded. */
export interface RestoreFailedDetail {
  readonly hook: NetfilterHook;
  readonly restoreFailed: true;
  /** The failed load was `nft -f` (kube-proxy's nftables mode), not iptables-restore. */
  readonly nft?: true;
  readonly writer: string;
  readonly machine: string;
  readonly line: number;
  readonly text: string;
  readonly error: string;
  readonly tables: readonly string[];
}

export type ConntrackDetail =
  | { readonly action: 'invalid'; readonly reason: string }
  | { readonly action: 'new'; readonly entry: string; readonly id: number }
  | { readonly action: 'confirm'; readonly entry: string; readonly id: number }
  | { readonly action: 'match'; readonly dir: 'original' | 'reply'; readonly state: string; readonly entry: string; readonly id: number }
  /** A reply's reverse NAT: un-DNAT rewrites its source back, un-SNAT its destination. */
  | { readonly action: 'un-DNAT' | 'un-SNAT'; readonly manip: 'src' | 'dst'; readonly before: string; readonly after: string; readonly entry: string };

/** conntrack's reverse NAT on a reply. */
export type UnNatDetail = Extract<ConntrackDetail, { readonly action: 'un-DNAT' | 'un-SNAT' }>;
export const isUnNat = (d: ConntrackDetail): d is UnNatDetail => d.action === 'un-DNAT' || d.action === 'un-SNAT';

export type IpvsDetail =
  | { readonly service: string; readonly dest: string; readonly reason: 'connection' }
  | { readonly service: string; readonly dest: null }
  | { readonly service: string; readonly scheduler: string; readonly reason: string; readonly dest: string; readonly forward: string }
  | { readonly service: string; readonly unNat: true };

export type DeliverDetail =
  /** The walk's own client socket got its answer. */
  | { readonly socket: string; readonly client: true }
  /** A listening socket took it (`state` for TCP: SYN_RECV, ESTABLISHED…). */
  | { readonly listener: string; readonly owner: string; readonly seenSource: string; readonly state?: string }
  /** A TCP state change of a connection already accepted. */
  | { readonly state: string };

/**
 * Every event type and its `detail`: THE one place to add a variant. A type whose detail is
 * `undefined` carries none; `X | undefined` means sometimes. Add a line here (and, for its
 * summary, a code `event.<type>…` in src/engine/i18n/messages.ts), and every reader's
 * `switch (e.type)` narrows to it. See docs/trace-format.md, "Adding an event type".
 */
export interface TraceEventDetails {
  /** an application hands data to the stack */
  send: undefined;
  /** FIB lookup: the route as `ip route get` prints it, or null (Network is unreachable) */
  route: { readonly route: string | null; readonly dst: string; readonly rule?: string };
  'arp-request': undefined;
  'arp-reply': { readonly proxyArp: true } | undefined;
  /** IPv6 neighbour discovery: a neighbour solicitation to the target's solicited-node group (flow `ndisc`) */
  'ndisc-solicit': { readonly target: string; readonly group: string };
  /** the neighbour advertisement answering it */
  'ndisc-advert': { readonly target: string; readonly mac: string; readonly router: boolean };
  /** neighbour table hit / entry created */
  neigh: { readonly ip: string; readonly mac: string | undefined; readonly state: string };
  /** a device transmits (one pcap record each) */
  tx: undefined;
  /** a device receives */
  rx: undefined;
  /** crossing a veth pair (or a cable) into the peer namespace */
  veth: { readonly from: { readonly ns: string; readonly dev: string }; readonly to: { readonly ns: string; readonly dev: string } };
  /** FDB hit, forwarded to one port */
  'bridge-forward': { readonly port: string; readonly mac?: string };
  /** unknown unicast / broadcast flooded */
  'bridge-flood': { readonly ports: readonly string[] };
  /** FDB learned a source MAC, or an entry aged out */
  'bridge-learn': { readonly mac: string; readonly dev: string; readonly moved: boolean } | { readonly mac: string; readonly dev: string; readonly aged: true };
  /** frame addressed to the bridge itself: handed up to IP */
  'bridge-local': undefined;
  /** IP forwarding in a namespace (TTL decremented) */
  forward: { readonly in: string; readonly out: string | undefined; readonly ttl: number };
  /** VXLAN / IPIP / a user-space UDP tunnel's encapsulation */
  encap: { readonly kind: 'vxlan'; readonly vni: number; readonly vtep: string; readonly label?: string }
    | { readonly kind: 'ipip'; readonly remote: string; readonly label?: string }
    /** a user-space UDP tunnel: flannel's UDP backend (L3), weave's sleeve (L2; `label`, `encrypted` when its payload is sealed) */
    | { readonly kind: 'udp'; readonly peer: string; readonly label?: string; readonly encrypted?: string }
    /** IPsec transport mode (weave's encrypted fastdp): the packet leaves as ESP */
    | { readonly kind: 'esp'; readonly spi: number; readonly remote: string; readonly label?: string };
  decap: { readonly kind: 'vxlan'; readonly vni: number | undefined; readonly label?: string } | { readonly kind: 'ipip'; readonly label?: string } | { readonly kind: 'udp'; readonly label?: string } | { readonly kind: 'esp'; readonly spi: number; readonly label?: string };
  /** handed to a user-space process (one reading a TUN device or capturing on a packet socket, stack/userspace.ts) */
  userspace: { readonly process: string; readonly direction: 'up' | 'down' };
  /** a chain traversal, a LOG line, or a machine whose rules did not load */
  netfilter: ChainDetail | LogDetail | RestoreFailedDetail;
  /** DNAT / SNAT applied on the original direction; `rule` is the rule that chose it */
  nat: { readonly kind: 'DNAT' | 'SNAT'; readonly manip: 'src' | 'dst'; readonly before: string; readonly after: string; readonly rule?: string };
  /** entry created / matched / confirmed / reply un-NAT */
  conntrack: ConntrackDetail;
  /** IPVS virtual server lookup and real server choice */
  ipvs: IpvsDetail;
  /**
   * a program at a hook point decided (src/engine/stack/hooks.ts): `hook` (xdp, tc-ingress,
   * tc-egress, an IP point, sock-connect), `program`, `verdict`, and what the program reports
   * (identities, backend, `modelled: true` for Cilium's programs)
   */
  hook: { readonly hook: string; readonly program: string; readonly verdict?: string; readonly [fact: string]: unknown };
  /** NetworkPolicy decision (no emitter yet: plugins that enforce policy do it with netfilter events) */
  policy: { readonly policy: string; readonly verdict: string } | undefined;
  /** handed to a socket (or to the kernel, for an echo request or an ICMP error) */
  deliver: DeliverDetail | undefined;
  /** the application's answer (HTTP response, echo, DNS answer, relay) */
  app: { readonly app: string; readonly owner: string };
  /** one search-list attempt of the stub resolver */
  dns: {
    readonly name: string; readonly qtype: string; readonly server: string; readonly outcome: string;
    readonly rcode: string | null; readonly answers: readonly unknown[]; readonly forwardedTo?: string;
  };
  /** ip_fragment: a datagram over the device MTU without DF leaves in pieces; the walk follows the first */
  fragment: { readonly mtu: number; readonly fragments: number; readonly [fact: string]: unknown };
  /** the stack generates an ICMP error */
  'icmp-error': { readonly type: number; readonly code: number; readonly mtu?: number };
  /** dropped, and why */
  drop: { readonly reason: string };
}

export type TraceEventType = keyof TraceEventDetails;
export const TRACE_EVENT_TYPES = [
  'send', 'route', 'arp-request', 'arp-reply', 'ndisc-solicit', 'ndisc-advert', 'neigh', 'tx', 'rx', 'veth', 'bridge-forward', 'bridge-flood', 'bridge-learn',
  'bridge-local', 'forward', 'encap', 'decap', 'userspace', 'netfilter', 'nat', 'conntrack', 'ipvs', 'hook', 'policy', 'deliver', 'app', 'fragment',
  'dns', 'icmp-error', 'drop',
] as const satisfies readonly TraceEventType[];
// Fails to compile when TraceEventDetails gains a type the list above lacks.
type MissingType = Exclude<TraceEventType, (typeof TRACE_EVENT_TYPES)[number]>;
const _allTypesListed: [MissingType] extends [never] ? true : MissingType = true;
void _allTypesListed;

/** `detail` is required when the type always has one, optional when sometimes, absent when never. */
type DetailField<D> = [D] extends [undefined] ? { readonly detail?: undefined } : undefined extends D ? { readonly detail?: Exclude<D, undefined> } : { readonly detail: D };

interface EventBase {
  readonly seq: number;
  /** Simulated time in microseconds since the walk started. */
  readonly t: number;
  readonly where: Where;
  /** Which leg of the exchange: the first packet of the request, a reply, an ARP exchange... */
  readonly flow: string;
  /** One readable line in English, as the CLI prints it: `message` rendered in en. */
  readonly summary: string;
  /** The same line as a message code with parameters (`event.*` in src/engine/i18n/messages.ts), for zh-CN and en. */
  readonly message: Message;
  /** The packet as it is at this point (after this event's change). */
  readonly packet?: Packet;
}

/** The event of one type, with that type's detail. */
export type TraceEventOf<K extends TraceEventType> = EventBase & { readonly type: K } & DetailField<TraceEventDetails[K]>;

/** A trace event: one variant per `type`; `switch (e.type)` narrows `detail`. */
export type TraceEvent = { [K in TraceEventType]: TraceEventOf<K> }[TraceEventType];

/** An event's detail as a plain record, for code that shows every field (the inspector) or probes any one (tests). */
export function detailRecord(e: { readonly detail?: object } | undefined): Readonly<Record<string, unknown>> {
  return (e?.detail ?? {}) as Readonly<Record<string, unknown>>;
}

/** Narrows an event to one type: `trace.events.filter(isEvent('nat'))`. */
export function isEvent<K extends TraceEventType>(type: K): (e: TraceEvent) => e is TraceEvent & TraceEventOf<K> {
  return (e): e is TraceEvent & TraceEventOf<K> => e.type === type;
}

export interface Hop {
  readonly machine: string;
  readonly dev?: string;
}

export interface Trace {
  readonly from: string;
  readonly to: string;
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'sctp';
  readonly verdict: Verdict;
  /** pod/NS/NAME, node/NAME or host/NAME that answered, or null. */
  readonly responder: string | null;
  /** Source IP:port the responder saw (NAT makes this differ from the client's own address). */
  readonly seenSource: string | null;
  /** Why, in one sentence, for verdicts other than delivered. */
  readonly reason?: string;
  /** The same reason as a message code with parameters (src/engine/i18n/messages.ts), for zh-CN and en. */
  readonly reasonMessage?: Message;
  readonly events: readonly TraceEvent[];
  /** Machines the request crossed, in order, and the reply's path back. */
  readonly path: readonly Hop[];
  readonly replyPath: readonly Hop[];
  /** Total iptables rules evaluated during the walk (linear cost, to compare with IPVS). */
  readonly rulesEvaluated: number;
}
