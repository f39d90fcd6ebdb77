/**
 * The seam between the packet walk (src/engine/stack) and netfilter (this folder).
 *
 * The stack calls `runHook` at each of the kernel's five hooks, exactly where Linux calls
 * NF_HOOK: PREROUTING after a packet is received (before routing), INPUT before local delivery,
 * FORWARD for routed packets, OUTPUT for locally generated packets (after the first routing
 * decision), POSTROUTING just before transmit. Bridged IPv4 frames pass PREROUTING/FORWARD/
 * POSTROUTING too when net.bridge.bridge-nf-call-iptables=1 (br_netfilter).
 *
 *          ┌──────────┐   route   ┌─────────┐               ┌─────────────┐
 *  rx ───► │PREROUTING├──►──┬────►│ FORWARD ├──────────┬───►│ POSTROUTING ├──► tx
 *          └──────────┘     │     └─────────┘          │    └─────────────┘
 *                           ▼                          │
 *                      ┌───────┐   local    ┌────────┐ │
 *                      │ INPUT ├──► app ──► │ OUTPUT ├─┘ (route)
 *                      └───────┘            └────────┘
 *
 * A hook may change the packet (NAT, MARK), so the stack re-routes after a DNAT in
 * PREROUTING/OUTPUT, as the kernel does (ip_route_me_harder / the routing decision after nat).
 */
import type { CtRef } from '../conntrack/types';
import type { Packet } from '../net/packet';
import type { NetNs } from '../net/types';
import type { Message } from '../i18n/messages';
import type { TraceEventDetails } from '../trace/types';

export type Hook = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

export interface HookContext {
  readonly inDev?: string;
  readonly outDev?: string;
  /** Bridge ports for -m physdev when the packet is bridged. */
  readonly physIn?: string;
  readonly physOut?: string;
  /** True when called from the bridge path (br_netfilter). */
  readonly bridged?: boolean;
  /** Simulated time (ms) for conntrack timeouts and -m recent. */
  readonly now: number;
  /** Seeded random source for -m statistic --mode random and IPVS/ephemeral choices. */
  readonly random: () => number;
  /**
   * Optional: the conntrack reference an earlier hook in this namespace returned for this packet
   * (skb->_nfct). When absent, INPUT/FORWARD/POSTROUTING find the entry from the packet's tuple.
   */
  readonly ct?: CtRef;
  /**
   * INPUT only: run one side of the point where IPVS sits (ip_vs_remote_request4, priority
   * NF_IP_PRI_NAT_SRC - 1): 'head' = mangle and filter, 'tail' = nat and confirm. A packet IPVS
   * takes never sees the tail: it leaves through POSTROUTING, where its entry is confirmed.
   */
  readonly split?: 'head' | 'tail';
  /**
   * OUTPUT only: the packet already belongs to a connection of this namespace and carries its
   * entry (skb->_nfct): IPVS sends a packet it took at LOCAL_IN out through LOCAL_OUT
   * (ip_vs_nat_send_or_cont). The entry is found from the tuple as at INPUT, none is created, and
   * nat, already done for it, does not run again.
   */
  readonly tracked?: boolean;
  /**
   * The network's generation (Network.generation, bumped by every change to kernel state): while
   * it, the namespace's links and its routes stay the same, the addresses addrtype LOCAL looks at
   * are kept between hooks. Absent: gathered again at each hook.
   */
  readonly generation?: number;
}

export type HookVerdict =
  /** `ct`: the conntrack entry the packet belongs to in this namespace (pass it back as HookContext.ct). */
  | { readonly verdict: 'accept'; readonly packet: Packet; readonly ct?: CtRef }
  | { readonly verdict: 'drop'; readonly packet: Packet; readonly reason: string }
  /** REJECT: the stack sends this ICMP error / TCP RST back to the sender. */
  | { readonly verdict: 'reject'; readonly packet: Packet; readonly reason: string; readonly reply: 'icmp-port-unreachable' | 'icmp-net-unreachable' | 'icmp-host-unreachable' | 'icmp-admin-prohibited' | 'tcp-reset' | 'icmp-proto-unreachable' | 'icmp-net-prohibited' | 'icmp-host-prohibited' };

/** The event types netfilter emits. */
export type HookEventType = 'netfilter' | 'nat' | 'conntrack';

/**
 * Partial trace events: the stack adds seq, time, where, flow and the English summary. `detail`
 * is the type's (src/engine/trace/types.ts): a chain stretch's rules, verdict and counts (sum
 * `rulesEvaluated` for Trace.rulesEvaluated), a NAT's before/after, a conntrack action.
 */
export type HookEvent = {
  [K in HookEventType]: { readonly type: K; readonly message: Message; readonly detail: TraceEventDetails[K]; readonly packet?: Packet }
}[HookEventType];

export interface NetfilterEngine {
  runHook(ns: NetNs, hook: Hook, packet: Packet, ctx: HookContext, emit: (e: HookEvent) => void): HookVerdict;
}

/** Until a namespace has netfilter state, every hook accepts (like a kernel with no rules loaded). */
export const acceptAll: NetfilterEngine = {
  runHook: (_ns, _hook, packet) => ({ verdict: 'accept', packet }),
};
