/**
 * Per-namespace lookup indexes the walk needs on every hop: links by name and ifindex, and the
 * set of local addresses. Built lazily and kept until the network's generation (or the link
 * count) changes, so a trace through a 5,000-Pod cluster never scans every link of every node.
 */
import { parseIPv4 } from '../addr/ip';
import { parseIPv6 } from '../addr/ip6';
import { ownerRef } from '../net/lookup';
import { fibLookup, fibLookup6, type FibResult } from '../route/fib';
import type { Link, NetNs, Network } from '../net/types';

export interface NsView {
  readonly ns: NetNs;
  readonly byName: ReadonlyMap<string, Link>;
  readonly byIfindex: ReadonlyMap<number, Link>;
  /** Addresses configured on any link of the namespace (the kernel's `local` table, simplified). */
  readonly local: ReadonlySet<string>;
  /** Directed broadcast addresses of the namespace's subnets. */
  readonly broadcast: ReadonlySet<string>;
  /** Per bridge: its ports, and every MAC that belongs to it (its own and its ports'). */
  readonly bridges: ReadonlyMap<string, { readonly ports: readonly Link[]; readonly macs: ReadonlySet<string> }>;
}

interface Cached { readonly gen: number; readonly links: Link[]; readonly count: number; readonly view: NsView }

const cache = new WeakMap<NetNs, Cached>();

/** Valid while the generation, the links array and its length are unchanged (state changes bump the generation). */
export function nsView(net: Network, ns: NetNs): NsView {
  const c = cache.get(ns);
  if (c && c.gen === net.generation && c.links === ns.links && c.count === ns.links.length) return c.view;
  const byName = new Map<string, Link>();
  const byIfindex = new Map<number, Link>();
  const local = new Set<string>();
  const broadcast = new Set<string>();
  for (const l of ns.links) {
    byName.set(l.name, l);
    byIfindex.set(l.ifindex, l);
    for (const a of l.addrs) {
      local.add(a.address);
      if (a.family !== 4) continue;
      if (a.broadcast) broadcast.add(a.broadcast);
    }
  }
  const bridges = new Map<string, { ports: Link[]; macs: Set<string> }>();
  for (const l of ns.links) if (l.kind === 'bridge') bridges.set(l.name, { ports: [], macs: new Set([l.mac]) });
  for (const l of ns.links) {
    const b = l.master !== undefined ? bridges.get(l.master) : undefined;
    if (b) { b.ports.push(l); b.macs.add(l.mac); }
  }
  const view: NsView = { ns, byName, byIfindex, local, broadcast, bridges };
  cache.set(ns, { gen: net.generation, links: ns.links, count: ns.links.length, view });
  return view;
}

/** The owner name of a namespace as traces print it (net/lookup.ts ownerRef): pod/NS/NAME, node/NAME, host/NAME, host/h1#net1. */
export const ownerId = ownerRef;

interface FibMemo { readonly gen: number; readonly routes: NetNs['routes']; readonly rules: NetNs['rules']; readonly rules6: NetNs['rules6']; readonly count: number; readonly up: number; readonly results: Map<string, FibResult | undefined> }

const fibMemo = new WeakMap<NetNs, FibMemo>();

function upCount(ns: NetNs): number {
  let n = 0;
  for (const l of ns.links) if (l.up) n++;
  return n;
}

/**
 * fibLookup (route/fib.ts) remembered per namespace and destination, for as long as the routes,
 * the rules, the generation and the set of links that are up stay the same: a walk asks the
 * same question at every packet of an exchange. A namespace with policy rules of its own keys
 * the answer on the flow too (source, mark, input device); one without never looks at them.
 */
export function fibCached(net: Network, ns: NetNs, dst: string, src?: string, mark?: number, iif?: string): FibResult | undefined {
  let m = fibMemo.get(ns);
  const up = upCount(ns);
  if (!m || m.gen !== net.generation || m.routes !== ns.routes || m.rules !== ns.rules || m.rules6 !== ns.rules6 || m.count !== ns.routes.length || m.up !== up) {
    m = { gen: net.generation, routes: ns.routes, rules: ns.rules, rules6: ns.rules6, count: ns.routes.length, up, results: new Map() };
    fibMemo.set(ns, m);
  }
  if (ns.rules6 && dst.includes(':')) {
    // IPv6 with policy rules of the namespace's own (ip -6 rule): keyed on the flow too.
    const key6 = `${dst} ${src ?? ''} ${mark ?? 0} ${iif ?? ''}`;
    if (m.results.has(key6)) return m.results.get(key6);
    const s6 = src !== undefined ? parseIPv6(src) : null;
    const r6 = fibLookup6(ns, dst, { ...(s6 !== null ? { src: s6 } : {}), ...(mark ? { mark } : {}), ...(iif !== undefined ? { iif } : {}) });
    m.results.set(key6, r6);
    return r6;
  }
  const key = ns.rules ? `${dst} ${src ?? ''} ${mark ?? 0} ${iif ?? ''}` : dst;
  if (m.results.has(key)) return m.results.get(key);
  const s = ns.rules && src !== undefined ? parseIPv4(src) : null;
  const r = ns.rules ? fibLookup(ns, dst, { ...(s !== null ? { src: s } : {}), ...(mark ? { mark } : {}), ...(iif !== undefined ? { iif } : {}) }) : fibLookup(ns, dst);
  m.results.set(key, r);
  return r;
}

