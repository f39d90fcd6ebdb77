/**
 * The FIB: longest-prefix match over a namespace's routes, answering as `ip route get` does.
 * The kernel consults table local (255) first, then main (254) (the default policy rules
 * `0: from all lookup local`, `32766: from all lookup main`). Within a table the longest
 * prefix wins, then the lowest metric. Routes through a device that is down are skipped.
 * A kernel that returns a decision: pure, no mutation.
 */
import { parseIPv4, parsePrefix, prefixContains } from '../addr/ip';
import type { NetNs, Route } from '../net/types';

export const RT_TABLE_LOCAL = 255;
export const RT_TABLE_MAIN = 254;

export interface FibResult {
  readonly route: Route;
  /** Next hop to resolve with ARP: the gateway, or the destination itself for on-link routes. */
  readonly nexthop: string;
  /** Preferred source address for locally generated packets. */
  readonly src: string | undefined;
}

export function routeDstMatches(r: Route, ip: number): number {
  if (r.dst === 'default') return 0;
  const p = parsePrefix(r.dst, true);
  if (!p || !prefixContains(p, ip)) return -1;
  return p.len;
}

function linkUsable(ns: NetNs, dev: string | undefined): boolean {
  if (!dev) return true;
  const link = ns.links.find((l) => l.name === dev);
  return !!link && link.up;
}

/** Looks `dst` up in one table; returns the best route or undefined. */
export function lookupTable(ns: NetNs, table: number, dst: number): Route | undefined {
  let best: Route | undefined;
  let bestLen = -1;
  for (const r of ns.routes) {
    if (r.table !== table || r.family !== 4) continue;
    const len = routeDstMatches(r, dst);
    if (len < 0) continue;
    if (r.type === 'unicast' && !linkUsable(ns, r.dev)) continue;
    if (len > bestLen || (len === bestLen && (r.metric ?? 0) < (best?.metric ?? 0))) {
      best = r;
      bestLen = len;
    }
  }
  return best;
}

/** `ip route get DST`: local table, then main. Undefined means "Network is unreachable". */
export function fibLookup(ns: NetNs, dstIp: string): FibResult | undefined {
  const dst = parseIPv4(dstIp);
  if (dst === null) return undefined;
  const route = lookupTable(ns, RT_TABLE_LOCAL, dst) ?? lookupTable(ns, RT_TABLE_MAIN, dst);
  if (!route) return undefined;
  const nexthop = route.via ?? dstIp;
  return { route, nexthop, src: route.src ?? preferredSource(ns, route, nexthop) };
}

/** The kernel's source choice: the first primary address on the output device in the next hop's subnet, else any on that device, else any global. */
export function preferredSource(ns: NetNs, route: Route, nexthop: string): string | undefined {
  if (route.type === 'local') return route.dst.split('/')[0];
  const link = route.dev ? ns.links.find((l) => l.name === route.dev) : undefined;
  const nh = parseIPv4(nexthop);
  if (link) {
    const inSubnet = link.addrs.find((a) => {
      const p = parsePrefix(`${a.address}/${a.prefixLen}`, true);
      return a.family === 4 && p !== null && nh !== null && prefixContains(p, nh);
    });
    if (inSubnet) return inSubnet.address;
    const any = link.addrs.find((a) => a.family === 4 && a.scope === 'global');
    if (any) return any.address;
  }
  for (const l of ns.links) {
    const a = l.addrs.find((x) => x.family === 4 && x.scope === 'global');
    if (a) return a.address;
  }
  return undefined;
}
