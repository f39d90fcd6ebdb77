/**
 * Per-namespace lookup indexes the walk needs on every hop: links by name and ifindex, and the
 * set of local addresses. Built lazily and kept until the network's generation (or the link
 * count) changes, so a trace through a 5,000-Pod cluster never scans every link of every node.
 */
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

interface Cached { readonly gen: number; readonly links: number; readonly addrs: number; readonly view: NsView }

const cache = new WeakMap<NetNs, Cached>();

function addrCount(ns: NetNs): number {
  let n = 0;
  for (const l of ns.links) n += l.addrs.length;
  return n;
}

export function nsView(net: Network, ns: NetNs): NsView {
  const c = cache.get(ns);
  const addrs = addrCount(ns);
  if (c && c.gen === net.generation && c.links === ns.links.length && c.addrs === addrs) return c.view;
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
  cache.set(ns, { gen: net.generation, links: ns.links.length, addrs, view });
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
