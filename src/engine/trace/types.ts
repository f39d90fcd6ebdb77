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

export type TraceEventType =
  | 'send'              // an application hands data to the stack
  | 'route'             // FIB lookup: detail.route (as `ip route get` prints it) or no route
  | 'arp-request'
  | 'arp-reply'
  | 'neigh'             // neighbour table hit / entry created
  | 'tx'                // a device transmits
  | 'rx'                // a device receives
  | 'veth'              // crossing a veth pair into the peer namespace
  | 'bridge-forward'    // FDB hit, forwarded to one port
  | 'bridge-flood'      // unknown unicast / broadcast flooded
  | 'bridge-learn'      // FDB learned a source MAC
  | 'bridge-local'      // frame addressed to the bridge itself: handed up to IP
  | 'forward'           // IP forwarding in a namespace (TTL decremented)
  | 'encap'             // VXLAN / UDP / IPIP encapsulation
  | 'decap'
  | 'userspace'         // handed to a user-space process (flanneld, kube-proxy userspace, ingress-nginx)
  | 'netfilter'         // a chain traversal: detail.table, chain, rules evaluated, matched rule, verdict
  | 'nat'               // DNAT / SNAT / MASQUERADE / REDIRECT applied
  | 'conntrack'         // entry created / matched / reply un-NAT
  | 'ipvs'              // IPVS virtual server lookup and real server choice
  | 'hook'              // a program at a device or socket hook (XDP, tc ingress/egress, cgroup/connect4) decided: detail.hook, program, verdict
  | 'policy'            // NetworkPolicy decision
  | 'deliver'           // handed to a listening socket
  | 'app'               // the application's answer (HTTP response, echo)
  | 'dns'               // a resolver step (search-list attempt, answer)
  | 'icmp-error'        // the stack generates an ICMP error
  | 'drop';             // dropped: detail.reason

export interface TraceEvent {
  readonly seq: number;
  /** Simulated time in microseconds since the walk started. */
  readonly t: number;
  readonly type: TraceEventType;
  readonly where: Where;
  /** Which leg of the exchange: the first packet of the request, a reply, an ARP exchange... */
  readonly flow: string;
  /** One readable line, as the CLI prints it. */
  readonly summary: string;
  /** The packet as it is at this point (after this event's change). */
  readonly packet?: Packet;
  /** Type-specific facts: route, rule text, NAT before/after, drop reason, counters. */
  readonly detail?: Readonly<Record<string, unknown>>;
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
