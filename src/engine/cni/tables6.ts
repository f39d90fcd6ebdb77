/**
 * The IPv6 side of a plugin daemon's rules: Felix and kube-router write their IPv6 chains with
 * ip6tables-restore (and kube-router its inet6 ipsets) into the namespace's IPv6 tables,
 * `ns.netfilter6`, which IPv6 packets traverse. The loaders work on `ns.netfilter`, so the load
 * runs with the IPv6 tables swapped in (created on first use); whatever the loader records (a
 * restore failure) stays with them.
 */
import type { NetNs } from '../net/types';

export function onTables6<T>(ns: NetNs, load: () => T): T {
  const v4 = ns.netfilter;
  if (ns.netfilter6) ns.netfilter = ns.netfilter6; else delete ns.netfilter;
  try { return load(); } finally {
    if (ns.netfilter) ns.netfilter6 = ns.netfilter;
    if (v4) ns.netfilter = v4; else delete ns.netfilter;
  }
}
