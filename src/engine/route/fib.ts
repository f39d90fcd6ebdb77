/**
 * The FIB: longest-prefix match over a namespace's routes, answering as `ip route get` does.
 * With the default policy rules (`0: from all lookup local`, `32766: from all lookup main`) the
 * kernel consults table local (255) first, then main (254): that is the fast path, taken
 * whenever the namespace has no rules of its own. Otherwise the lookup walks the routing policy
 * rules (route/rules.ts) with the flow's source, mark and input device. Within a table the
 * longest prefix wins, then the lowest metric. Routes through a device that is down are skipped.
 * A kernel that returns a decision: pure, no mutation.
 */
import { parseIPv4, parsePrefix, prefixContains } from '../addr/ip';
import { parseIPv6, parsePrefix6, prefix6Contains } from '../addr/ip6';
import type { NetNs, Route, RoutingRule } from '../net/types';
import { ruleMatches, ruleMatches6, type Flow, type Flow6 } from './rules';

export const RT_TABLE_LOCAL = 255;
export const RT_TABLE_MAIN = 254;

export interface FibResult {
  readonly route: Route;
  /** Next hop to resolve with ARP: the gateway, or the destination itself for on-link routes. */
  readonly nexthop: string;
  /** Preferred source address for locally generated packets. */
  readonly src: string | undefined;
  /** The policy rule whose action decided, when the namespace has rules of its own. */
  readonly rule?: RoutingRule;
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

/**
 * fib_rules_lookup: the first rule that matches and yields a route. A `lookup` whose table has
 * nothing for `dst` falls through; blackhole / unreachable / prohibit rules answer with a route
 * of that type (table 0), as the kernel answers with that error.
 */
function ruleLookup(ns: NetNs, rules: readonly RoutingRule[], dst: number, flow: Flow | undefined): { route: Route; rule: RoutingRule } | undefined {
  for (const rule of rules) {
    if (rule.family !== 4 || !ruleMatches(ns, rule, dst, flow)) continue;
    if (rule.action !== 'lookup') return { route: { family: 4, table: 0, type: rule.action, dst: 'default', proto: 'kernel', scope: 'global' }, rule };
    const route = lookupTable(ns, rule.table ?? RT_TABLE_MAIN, dst);
    if (route) return { route, rule };
  }
  return undefined;
}

/**
 * `ip route get DST [from SRC] [mark M] [iif DEV]`: local table, then main, or the policy rules
 * when the namespace has its own. Undefined means "Network is unreachable".
 */
export function fibLookup(ns: NetNs, dstIp: string, flow?: Flow): FibResult | undefined {
  const dst = parseIPv4(dstIp);
  if (dst === null) return fibLookup6(ns, dstIp);
  if (ns.rules) {
    const hit = ruleLookup(ns, ns.rules, dst, flow);
    if (!hit) return undefined;
    const nexthop = hit.route.via ?? dstIp;
    return { route: hit.route, nexthop, src: hit.route.src ?? preferredSource(ns, hit.route, nexthop), rule: hit.rule };
  }
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

// ---------------------------------------------------------------- IPv6 (fib6)

/** Length of the IPv6 route's prefix that holds `ip`, or -1. */
function routeDstMatches6(r: Route, ip: bigint): number {
  if (r.dst === 'default') return 0;
  const p = parsePrefix6(r.dst, true);
  if (!p || !prefix6Contains(p, ip)) return -1;
  return p.len;
}

/** Looks an IPv6 `dst` up in one table: longest prefix, then lowest metric (IPv6 routes always carry one). */
export function lookupTable6(ns: NetNs, table: number, dst: bigint): Route | undefined {
  let best: Route | undefined;
  let bestLen = -1;
  for (const r of ns.routes) {
    if (r.table !== table || r.family !== 6) continue;
    const len = routeDstMatches6(r, dst);
    if (len < 0) continue;
    if (r.type === 'unicast' && !linkUsable(ns, r.dev)) continue;
    if (len > bestLen || (len === bestLen && (r.metric ?? 1024) < (best?.metric ?? 1024))) {
      best = r;
      bestLen = len;
    }
  }
  return best;
}

/** fib6_rule_lookup: the IPv6 policy rules in order; a lookup whose table has nothing falls through. */
function ruleLookup6(ns: NetNs, rules: readonly RoutingRule[], dst: bigint, flow: Flow6 | undefined): { route: Route; rule: RoutingRule } | undefined {
  for (const rule of rules) {
    if (rule.family !== 6 || !ruleMatches6(ns, rule, dst, flow)) continue;
    if (rule.action !== 'lookup') return { route: { family: 6, table: 0, type: rule.action, dst: 'default', proto: 'kernel', scope: 'global' }, rule };
    const route = lookupTable6(ns, rule.table ?? RT_TABLE_MAIN, dst);
    if (route) return { route, rule };
  }
  return undefined;
}

/**
 * fib6_lookup: table local, then main, or the namespace's own IPv6 policy rules (`ip -6 rule`,
 * ns.rules6) with the flow. A link-local destination goes out of the device whose fe80::/64
 * route comes first, as a scope id would name it.
 */
export function fibLookup6(ns: NetNs, dstIp: string, flow?: Flow6): FibResult | undefined {
  const dst = parseIPv6(dstIp);
  if (dst === null) return undefined;
  if (ns.rules6) {
    const hit = ruleLookup6(ns, ns.rules6, dst, flow);
    if (!hit) return undefined;
    const nexthop = hit.route.via ?? dstIp;
    return { route: hit.route, nexthop, src: hit.route.src ?? preferredSource6(ns, hit.route, dstIp), rule: hit.rule };
  }
  const route = lookupTable6(ns, RT_TABLE_LOCAL, dst) ?? lookupTable6(ns, RT_TABLE_MAIN, dst);
  if (!route) return undefined;
  const nexthop = route.via ?? dstIp;
  return { route, nexthop, src: route.src ?? preferredSource6(ns, route, dstIp) };
}

/**
 * ipv6_dev_get_saddr, simplified: a local route answers with its own address; a link-local
 * destination takes the device's link-local address; else a global address on the output
 * device (one whose prefix holds the destination first), else any global address.
 */
export function preferredSource6(ns: NetNs, route: Route, dst: string): string | undefined {
  if (route.type === 'local') return route.dst.split('/')[0];
  const link = route.dev ? ns.links.find((l) => l.name === route.dev) : undefined;
  if (/^fe[89ab]/i.test(dst)) return link?.addrs.find((a) => a.family === 6 && a.scope === 'link')?.address;
  const d = parseIPv6(dst);
  if (link) {
    const inPrefix = link.addrs.find((a) => {
      if (a.family !== 6 || a.scope !== 'global') return false;
      const p = parsePrefix6(`${a.address}/${a.prefixLen}`, true);
      return p !== null && d !== null && prefix6Contains(p, d);
    });
    if (inPrefix) return inPrefix.address;
    const any = link.addrs.find((a) => a.family === 6 && a.scope === 'global');
    if (any) return any.address;
  }
  for (const l of ns.links) {
    const a = l.addrs.find((x) => x.family === 6 && x.scope === 'global');
    if (a) return a.address;
  }
  return undefined;
}
