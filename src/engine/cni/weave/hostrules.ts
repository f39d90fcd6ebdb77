/**
 * The rules the weave container writes on each node (weave 2.8, prog/weaver and net/iptables):
 *
 *   nat   POSTROUTING -j WEAVE: Pod → outside the range is masqueraded to the node's address,
 *         and so is the host (or anything not from the range) → a Pod, so a Pod on another node
 *         can answer through the overlay; multicast and traffic inside the range are left alone.
 *   filter FORWARD: frames from the weave bridge go to WEAVE-NPC-EGRESS, frames to it to
 *         WEAVE-NPC (weave-npc's chains, policy.ts), then whatever weave-npc did not accept for a
 *         Pod is dropped; traffic from the bridge out of the node is accepted.
 *
 * weave-npc also logs each NEW connection it drops with `-j NFLOG --nflog-group 86`; the
 * playground has no NFLOG target, so those log rules are left out (the DROP that follows stays).
 */
import type { Ruleset } from '../../netfilter/ruleset';
import { WEAVE_BRIDGE } from './plugin';

const NOTE = '-m comment --comment "NOTE: this must go before \'-j KUBE-FORWARD\'"';

export function writeWeaveRules(rs: Ruleset, range: string): void {
  rs.chain('nat', 'WEAVE');
  rs.append('nat', 'POSTROUTING', '-m comment --comment "weave-net" -j WEAVE');
  rs.append('nat', 'WEAVE', `-s ${range} -d 224.0.0.0/4 -j RETURN`);
  rs.append('nat', 'WEAVE', `! -s ${range} -d ${range} -j MASQUERADE`);
  rs.append('nat', 'WEAVE', `-s ${range} ! -d ${range} -j MASQUERADE`);
  for (const c of ['WEAVE-NPC', 'WEAVE-NPC-DEFAULT', 'WEAVE-NPC-INGRESS', 'WEAVE-NPC-EGRESS', 'WEAVE-NPC-EGRESS-ACCEPT', 'WEAVE-NPC-EGRESS-CUSTOM', 'WEAVE-NPC-EGRESS-DEFAULT']) rs.chain('filter', c);
  rs.prepend('filter', 'FORWARD', `-o ${WEAVE_BRIDGE} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  rs.prepend('filter', 'FORWARD', `-i ${WEAVE_BRIDGE} ! -o ${WEAVE_BRIDGE} -j ACCEPT`);
  rs.prepend('filter', 'FORWARD', `-o ${WEAVE_BRIDGE} -j DROP`);
  rs.prepend('filter', 'FORWARD', `-o ${WEAVE_BRIDGE} ${NOTE} -j WEAVE-NPC`);
  rs.prepend('filter', 'FORWARD', `-i ${WEAVE_BRIDGE} ${NOTE} -j WEAVE-NPC-EGRESS`);
}
