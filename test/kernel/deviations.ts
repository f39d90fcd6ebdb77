/**
 * Known deviations: places where the kernel tier found the simulator answering differently from
 * Linux, each with the kernel behaviour it misses and the engine area that owns the fix.
 *
 * Conntrack entries are compared only when both sides reached the same responder, so a deviation
 * in the answer carries no conntrack aspect.
 *
 * A listed deviation does not fail the tier; a listed deviation that stops happening DOES fail it
 * ("now equal: remove it"), so this list and docs/linux-fidelity.md (generated from it) never
 * claim a difference that is gone. Anything not listed fails with both answers side by side.
 */
import type { Area } from './grid';

export type Aspect = 'answer' | 'conntrack' | 'neighbours';

export interface Deviation {
  readonly id: string;
  /** Scenario names it applies to. */
  readonly scenarios: RegExp;
  readonly probes: readonly string[];
  readonly aspects: readonly Aspect[];
  /** What Linux does that the simulator does not, in one or two sentences. */
  readonly kernel: string;
  readonly owner: Area;
}

export const DEVIATIONS: readonly Deviation[] = [
  {
    id: 'rst-kills-unreplied-conntrack',
    scenarios: /^grid6?\/[^/]+\/(pod-to-pod(-dual|-v6only)?|hostport)$/,
    probes: ['closed-port', 'other-node-not-published'],
    aspects: ['conntrack'],
    kernel: 'When the only answer to a SYN is a RST, nf_conntrack_tcp deletes the entry at once ("we can consider ourselves not to have an established connection"); the simulator keeps it in CLOSE.',
    owner: 'netfilter',
  },
  {
    id: 'br-netfilter-bridged-dnat',
    scenarios: /^grid\/weave\/networkpolicy$/,
    probes: ['client-denied'],
    aspects: ['conntrack'],
    kernel: 'With bridge-nf-call-iptables, a frame entering a bridge port passes nat PREROUTING inside the bridge; when the DNATed destination routes out of that same bridge, br_nf_pre_routing_finish bridges the frame (bridged_dnat) instead of routing it, so FORWARD sees it with physdev-out vethwe-bridge, weave-npc accepts it on the client\'s node and the endpoint\'s node drops it; the simulator routes it and weave-npc drops it on the client\'s node, so no entry is confirmed there.',
    owner: 'netfilter',
  },
  {
    id: 'vxlan-icmp-error-outer-flow',
    scenarios: /^grid6\/flannel-vxlan\//,
    probes: ['closed-udp-port'],
    aspects: ['conntrack'],
    kernel: 'The ICMPv6 port unreachable that answers a UDP datagram across flannel-v6.1 leaves node-2 in a VXLAN datagram of its own (outer source port hashed from the inner packet, destination 8472), which both nodes track as a new outer flow node-2 > node-1:8472; in the simulator that outer datagram is taken as the reply of the request\'s outer flow, so the second outer entry is missing.',
    owner: 'stack',
  },
];

export function deviationFor(scenario: string, probe: string, aspect: Aspect): Deviation | undefined {
  return DEVIATIONS.find((d) => d.scenarios.test(scenario) && d.probes.includes(probe) && d.aspects.includes(aspect));
}

/**
 * Collects one scenario's disagreements: known deviations are noted, anything else is a problem,
 * and a known deviation that did not happen is a problem too.
 */
export class DeviationLedger {
  private readonly seen = new Set<string>();
  private readonly list: string[] = [];
  constructor(private readonly scenario: string, private readonly probes: readonly string[]) {}

  report(probe: string, aspect: Aspect, text: string | null): void {
    if (!text) return;
    const known = deviationFor(this.scenario, probe, aspect);
    if (known) this.seen.add(`${known.id}/${probe}/${aspect}`);
    else this.list.push(text);
  }

  problems(): string[] {
    const out = [...this.list];
    for (const d of DEVIATIONS.filter((x) => x.scenarios.test(this.scenario))) {
      for (const probe of d.probes.filter((x) => this.probes.includes(x))) {
        for (const aspect of d.aspects) {
          if (!this.seen.has(`${d.id}/${probe}/${aspect}`)) out.push(`${this.scenario} / ${probe}: known deviation ${d.id} (${aspect}) no longer happens: the simulator now agrees with the kernel; remove it from test/kernel/deviations.ts`);
        }
      }
    }
    return out;
  }
}
