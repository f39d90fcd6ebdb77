/**
 * The lab's engine parts beyond the network: the netfilter module's `iptablesSave` prints each
 * namespace's ruleset for iptables-restore (a namespace without rules gets none).
 */
import type { NetNs } from '../engine/net/types';
import { iptablesSave } from '../engine/netfilter/restore';

export type IptablesSave = (ns: NetNs) => string | null;

export async function netfilterForLab(): Promise<IptablesSave | null> {
  return (ns) => {
    if (!ns.netfilter) return null;
    const text = iptablesSave(ns);
    return text.trim() ? text : null;
  };
}
