/**
 * Per-namespace lookup indexes the walk needs on every hop: links by name and ifindex, and the
 * set of local addresses. Built lazily and kept until the network's generation (or the link
 * count) changes, so a trace through a 5,000-Pod cluster never scans every link of every node.
 */
import { fibLookup, type FibResult } from '../route/fib';
import type { Link, NetNs, Network } from '../net/types';

export interface NsView {
  readonly ns: NetNs;
  readonly byName: ReadonlyMap<string, Link>;
  readonly byIfindex: ReadonlyMap<number, Link>;
  /** Addresses configured on any link of the namespace (the kernel's `local` table, simplified). */
  readonly local: ReadonlySet<string>;
  /** Directed broadcast addresses of the namespace's subnets. */
  readonly broadcast: ReadonlySet<string>;
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
      if (a.family !== 4) continue;
      local.add(a.address);
      if (a.broadcast) broadcast.add(a.broadcast);
    }
  }
  const view: NsView = { ns, byName, byIfindex, local, broadcast };
  cache.set(ns, { gen: net.generation, links: ns.links, count: ns.links.length, view });
  return view;
}

/** The canvas/owner name of a namespace as traces print it: pod/NS/NAME, node/NAME, host/NAME, host/h1#net1. */
export function ownerId(ns: NetNs): string {
  switch (ns.owner.kind) {
    case 'node': return `node/${ns.owner.name}`;
    case 'pod': return `pod/${ns.owner.namespace}/${ns.owner.name}`;
    case 'host': return `host/${ns.owner.name}`;
    case 'netns': return ns.id;
    case 'infra': return `infra/${ns.owner.name}`;
  }
}

interface FibMemo { readonly gen: number; readonly routes: NetNs['routes']; readonly count: number; readonly up: number; readonly results: Map<string, FibResult | undefined> }

const fibMemo = new WeakMap<NetNs, FibMemo>();

function upCount(ns: NetNs): number {
  let n = 0;
  for (const l of ns.links) if (l.up) n++;
  return n;
}

/**
 * fibLookup (route/fib.ts) remembered per namespace and destination, for as long as the routes,
 * the generation and the set of links that are up stay the same: a walk asks the same
 * question at every packet of an exchange.
 */
export function fibCached(net: Network, ns: NetNs, dst: string): FibResult | undefined {
  let m = fibMemo.get(ns);
  const up = upCount(ns);
  if (!m || m.gen !== net.generation || m.routes !== ns.routes || m.count !== ns.routes.length || m.up !== up) {
    m = { gen: net.generation, routes: ns.routes, count: ns.routes.length, up, results: new Map() };
    fibMemo.set(ns, m);
  }
  if (m.results.has(dst)) return m.results.get(dst);
  const r = fibLookup(ns, dst);
  m.results.set(dst, r);
  return r;
}
