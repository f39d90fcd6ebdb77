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
    scenarios: /^grid\/[^/]+\/(pod-to-pod|hostport)$/,
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
    id: 'ipv6-not-tracked',
    scenarios: /^grid6\//,
    probes: ['cross-node', 'same-node', 'cross-node-ping', 'closed-udp-port', 'node-no-route', 'pod-no-route-back'],
    aspects: ['conntrack'],
    kernel: 'kube-proxy\'s IPv6 rules (loaded with ip6tables-restore) match on conntrack state, so the kernel registers its IPv6 conntrack hooks in the node and tracks every IPv6 flow through it (TCP, UDP, ICMPv6 echo); the simulator does not walk those rules yet and keeps no IPv6 conntrack entries.',
    owner: 'netfilter',
  },
  {
    id: 'ipv6-vxlan-outer-not-tracked',
    scenarios: /^grid6\/flannel-vxlan\//,
    probes: ['closed-port'],
    aspects: ['conntrack'],
    kernel: 'The same IPv6 conntrack hooks track flannel-v6.1\'s outer UDP datagrams between the nodes\' IPv6 addresses (port 8472), also when the inner SYN is answered by a RST and its own entry is deleted; the simulator keeps no IPv6 conntrack entries.',
    owner: 'netfilter',
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
