/**
 * The kernel's state-changing operations on namespaces, as rtnetlink performs them. The network
 * builder (CNI plugins, Docker, the underlay) and the `ip`/`bridge`/`sysctl` commands both go
 * through these, so a namespace built from YAML and one a learner builds by hand look the same.
 *
 * What the kernel does for us and we therefore do here:
 *   - an address on an UP link adds `local ADDR` and (prefix < /31) `broadcast LAST` to table
 *     local, and the connected `PREFIX dev L proto kernel scope link src ADDR` to table main
 *     (fib_add_ifaddr); for loopback the prefix route is `local` in table local instead;
 *   - a link going down removes every route through it, in every table (fib_disable_ip), and a
 *     link coming up re-adds only the kernel's own routes (static routes are gone for good);
 *   - a link moved to another namespace goes down, loses its addresses and its master, and keeps
 *     its ifindex when that index is free there (dev_change_net_namespace);
 *   - deleting one end of a veth deletes the other; deleting a bridge releases its ports.
 */
import { formatIPv4, maskOf, parseIPv4, parsePrefix } from '../addr/ip';
import { macFromValue, type Mac } from '../addr/mac';
import type { Rand } from '../util/rand';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../route/fib';
import { kernelRoutes6 } from './ipv6';
import { linkByIndex, linkByName, peerOf } from './lookup';
import type { IfAddr, Link, LinkKind, NetNs, Network, NsId, NsOwner, Route } from './types';

/** Bumps the generation: every change to kernel state does, so caches keyed on it drop. */
export function touch(net: Network): void {
  net.generation++;
}

/** A fresh MAC from a random source (two draws: the source yields 32 bits at a time). */
export function randomMac(rand: Rand): Mac {
  return macFromValue(rand.int(256) * 2 ** 32 + rand.int(2 ** 32));
}

/** Sysctls a fresh namespace starts with (kernel defaults). */
export function defaultSysctls(): Record<string, string> {
  return {
    'net.ipv4.ip_forward': '0',
    'net.ipv4.conf.all.forwarding': '0',
    'net.ipv4.conf.all.rp_filter': '0',
    'net.ipv4.conf.default.rp_filter': '0',
    'net.ipv4.ip_local_port_range': '32768\t60999',
    'net.ipv4.ping_group_range': '1\t0',
    'net.ipv4.tcp_syn_retries': '6',
  };
}

/**
 * A new namespace inherits the creating machine's IPv4 conf/all and conf/default settings (and
 * so ip_forward) from the initial namespace: net.core.devconf_inherit_init_net = 0, the default.
 */
export function inheritSysctls(ns: NetNs, root: NetNs): void {
  for (const k in root.sysctl) {
    if (k === 'net.ipv4.ip_forward' || k.startsWith('net.ipv4.conf.all.') || k.startsWith('net.ipv4.conf.default.')) ns.sysctl[k] = root.sysctl[k]!;
  }
}

/** A new namespace holding only `lo`, down and without addresses, as `unshare -n` gives it. */
export function createNs(net: Network, id: NsId, owner: NsOwner, machine: string): NetNs {
  const ns: NetNs = {
    id, owner, machine, links: [], routes: [], neigh: [], sysctl: defaultSysctls(), listeners: [], nextIfindex: 1,
  };
  addLink(ns, { name: 'lo', kind: 'loopback', mac: '00:00:00:00:00:00', mtu: 65536, qlen: 1000 });
  net.namespaces.set(id, ns);
  return ns;
}

/** Brings `lo` up: the kernel then gives it 127.0.0.1/8 (inetdev_event on a loopback NETDEV_UP). */
export function loopbackUp(ns: NetNs): void {
  const lo = ns.links.find((l) => l.kind === 'loopback');
  if (!lo) return;
  setUp(ns, lo, true);
}

/** Indexes a namespace does not hand out again yet: those of devices that went away (holdIfindexes). */
const held = new WeakMap<NetNs, ReadonlySet<number>>();

/**
 * While a rebuild re-wires a node, the indexes of the devices of Pods that are gone stay taken,
 * as the kernel's counter has moved past them (undefined: release them).
 */
export function holdIfindexes(ns: NetNs, indexes: ReadonlySet<number> | undefined): void {
  if (indexes?.size) held.set(ns, indexes);
  else held.delete(ns);
}

/**
 * The highest ifindex in a links array, remembered with the array's length. A namespace's links
 * array only grows in place (addLink, moveLink, a dummy device's push); every removal replaces it
 * (`filter`), so the same array with the same length holds the same links.
 */
const maxIndexOf = new WeakMap<readonly Link[], { len: number; max: number }>();

function maxIfindex(links: readonly Link[]): number {
  // A short array is scanned (remembering costs more than it saves: a Pod has two or three links).
  if (links.length < 8) {
    let max = 0;
    for (const l of links) if (l.ifindex > max) max = l.ifindex;
    return max;
  }
  let m = maxIndexOf.get(links);
  if (!m) maxIndexOf.set(links, (m = { len: 0, max: 0 }));
  for (; m.len < links.length; m.len++) m.max = Math.max(m.max, links[m.len]!.ifindex);
  return m.max;
}

/** The next free ifindex of a namespace (dev_new_index: a counter that skips used indexes). */
function allocIfindex(ns: NetNs): number {
  const hold = held.get(ns);
  // Past every index in use only the held ones can be taken (the common case: no scan).
  if (ns.nextIfindex > maxIfindex(ns.links)) {
    while (hold?.has(ns.nextIfindex)) ns.nextIfindex++;
    return ns.nextIfindex++;
  }
  while (ns.links.some((l) => l.ifindex === ns.nextIfindex) || hold?.has(ns.nextIfindex)) ns.nextIfindex++;
  return ns.nextIfindex++;
}

export interface LinkSpec {
  readonly name: string;
  readonly kind: LinkKind;
  readonly mac: Mac;
  readonly mtu: number;
  readonly up?: boolean;
  readonly qlen?: number;
  readonly ifindex?: number;
}

/** Adds a device to a namespace with the next ifindex. Addresses come separately (addAddr). */
export function addLink(ns: NetNs, spec: LinkSpec): Link {
  const ifindex = spec.ifindex !== undefined && !linkByIndex(ns, spec.ifindex) ? spec.ifindex : allocIfindex(ns);
  const link: Link = {
    ifindex, name: spec.name, kind: spec.kind, mac: spec.mac, mtu: spec.mtu, up: false, addrs: [],
    stats: { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
  };
  if (spec.qlen !== undefined) link.qlen = spec.qlen;
  if (spec.kind === 'bridge') link.fdb = [{ mac: spec.mac, dev: spec.name, permanent: true, local: true, updatedAt: 0 }];
  ns.links.push(link);
  if (spec.up) setUp(ns, link, true);
  return link;
}

/** The number this namespace gives `other` (assigned on first use, like peernet2id_alloc). */
export function nsidFor(ns: NetNs, other: NsId): number {
  ns.nsids ??= new Map();
  let id = ns.nsids.get(other);
  if (id === undefined) {
    id = ns.nsids.size;
    ns.nsids.set(other, id);
  }
  return id;
}

/**
 * Joins two links as the ends of one veth pair (and numbers each namespace for the other).
 * `cable`: a NIC plugged into the simulated switch; it is physical, so no netns ids are taken.
 */
export function pairVeth(a: { ns: NetNs; link: Link }, b: { ns: NetNs; link: Link }, cable = false): void {
  a.link.peer = { ns: b.ns.id, ifindex: b.link.ifindex };
  b.link.peer = { ns: a.ns.id, ifindex: a.link.ifindex };
  if (a.ns !== b.ns && !cable) {
    nsidFor(a.ns, b.ns.id);
    nsidFor(b.ns, a.ns.id);
  }
}

/** `ip link add A type veth peer name B [netns N]`: both ends created down. */
export function addVethPair(
  nsA: NetNs, nameA: string, macA: Mac, nsB: NetNs, nameB: string, macB: Mac, mtu: number, qlen?: number,
): [Link, Link] {
  const a = addLink(nsA, { name: nameA, kind: 'veth', mac: macA, mtu });
  const b = addLink(nsB, { name: nameB, kind: 'veth', mac: macB, mtu });
  if (qlen !== undefined) { a.qlen = qlen; b.qlen = qlen; }
  pairVeth({ ns: nsA, link: a }, { ns: nsB, link: b });
  return [a, b];
}

const hostRoute = (ip: string): string => `${ip}/32`;

/** The routes the kernel adds for one address on an up link (fib_add_ifaddr). */
export function kernelRoutesFor(link: Link, a: IfAddr): Route[] {
  if (a.family !== 4) return kernelRoutes6(link, a);
  const ip = parseIPv4(a.address);
  if (ip === null) return [];
  const len = a.prefixLen;
  const base = (ip & maskOf(len)) >>> 0;
  const dev = link.name, src = a.address;
  // Object literals written out (no spreads, no closure): this runs for every address of a 5,000-Pod build.
  const local: Route = { family: 4, table: RT_TABLE_LOCAL, type: 'local', dst: hostRoute(src), dev, src, proto: 'kernel', scope: 'host' };
  let prefix: Route | undefined;
  if (link.kind === 'loopback') {
    if (len < 32) prefix = { family: 4, table: RT_TABLE_LOCAL, type: 'local', dst: `${formatIPv4(base)}/${len}`, dev, src, proto: 'kernel', scope: 'host' };
  } else if (!(base === ip && len === 32) && base !== 0) {
    prefix = { family: 4, table: RT_TABLE_MAIN, type: 'unicast', dst: `${formatIPv4(base)}/${len}`, dev, src, proto: 'kernel', scope: 'link' };
  }
  if (len >= 31) return prefix ? [local, prefix] : [local];
  const brd: Route = { family: 4, table: RT_TABLE_LOCAL, type: 'broadcast', dst: hostRoute(formatIPv4((base | ~maskOf(len)) >>> 0)), dev, src, proto: 'kernel', scope: 'link' };
  return prefix ? [local, prefix, brd] : [local, brd];
}

const sameRoute = (x: Route, y: Route): boolean =>
  x.table === y.table && x.type === y.type && x.dst === y.dst && x.dev === y.dev && x.src === y.src && x.via === y.via;

/** lo's three routes are the same in every namespace; routes are immutable, so they are shared. */
let loopbackRoutes: Route[] | undefined;
/** lo's 127.0.0.1/8, the same (immutable) address in every namespace. */
const LOOPBACK_ADDR: IfAddr = { family: 4, address: '127.0.0.1', prefixLen: 8, scope: 'host' };

/**
 * A long routes array's routes by destination, so adding a route does not compare it with every
 * route of a node holding a /32 per Pod. Remembered with the array's length and last route: an
 * array grown only by push (addRoute) is indexed incrementally; any other change (a splice, a
 * replaced array) is seen and the index made again. Dropped after each build (dropRouteIndexes).
 */
interface RouteIndex { len: number; last: Route | undefined; byDst: Map<string, Route[]> }
let routeIndexes = new WeakMap<readonly Route[], RouteIndex>();
const INDEX_FROM = 16;

function routeIndex(routes: readonly Route[]): RouteIndex {
  let idx = routeIndexes.get(routes);
  if (!idx || routes.length < idx.len || (idx.len > 0 && routes[idx.len - 1] !== idx.last)) {
    routeIndexes.set(routes, (idx = { len: 0, last: undefined, byDst: new Map() }));
  }
  for (; idx.len < routes.length; idx.len++) {
    const r = routes[idx.len]!;
    const same = idx.byDst.get(r.dst);
    if (same) same.push(r);
    else idx.byDst.set(r.dst, [r]);
  }
  idx.last = routes[routes.length - 1];
  return idx;
}

/** Whether `ns` holds a route equal to `r` (same table, type, destination, device, source, gateway). */
function hasRoute(ns: NetNs, r: Route): boolean {
  const routes = ns.routes.length < INDEX_FROM ? ns.routes : routeIndex(ns.routes).byDst.get(r.dst);
  if (routes) for (const x of routes) if (sameRoute(x, r)) return true;
  return false;
}

/** Forgets the route indexes (buildNetwork calls it when the network is built: they only speed up building). */
export function dropRouteIndexes(): void {
  routeIndexes = new WeakMap();
}

function addKernelRoutes(ns: NetNs, link: Link, a: IfAddr): void {
  const isLo = link.kind === 'loopback' && link.name === 'lo' && a.address === '127.0.0.1' && a.prefixLen === 8;
  const routes = isLo ? (loopbackRoutes ??= kernelRoutesFor(link, a)) : kernelRoutesFor(link, a);
  for (const r of routes) if (!hasRoute(ns, r)) ns.routes.push(r);
}

/** The broadcast netlink.AddrAdd fills in (CNI plugins, Docker); `ip addr add` leaves it unset. */
export function broadcastOf(address: string, prefixLen: number): string | undefined {
  const ip = parseIPv4(address);
  if (ip === null || prefixLen >= 31) return undefined;
  return formatIPv4((ip | ~maskOf(prefixLen)) >>> 0);
}

/** Adds an address to a link (and the kernel's routes when the link is up). */
export function addAddr(ns: NetNs, link: Link, a: IfAddr): void {
  link.addrs.push(a);
  if (link.up) addKernelRoutes(ns, link, a);
}

/** An IPv4 address "A/LEN" with scope chosen as the kernel does (host for 127/8). */
export function v4Addr(address: string, prefixLen: number, opts: { broadcast?: boolean; scope?: IfAddr['scope'] } = {}): IfAddr {
  const scope = opts.scope ?? (address.startsWith('127.') ? 'host' : 'global');
  const brd = opts.broadcast ? broadcastOf(address, prefixLen) : undefined;
  return brd ? { family: 4, address, prefixLen, scope, broadcast: brd } : { family: 4, address, prefixLen, scope };
}

/** Removes an address and the kernel routes it brought (fib_del_ifaddr). */
export function delAddr(ns: NetNs, link: Link, a: IfAddr): void {
  link.addrs = link.addrs.filter((x) => x !== a);
  const gone = kernelRoutesFor(link, a);
  ns.routes = ns.routes.filter((r) => !gone.some((g) => sameRoute(g, r)));
}

/**
 * `ip link set DEV up|down`. Down removes every route through the device (in every table);
 * up restores the kernel's local, broadcast and connected routes for its addresses.
 */
export function setUp(ns: NetNs, link: Link, up: boolean): void {
  if (link.up === up) return;
  link.up = up;
  if (up) {
    if (link.kind === 'loopback' && !link.addrs.some((a) => a.address === '127.0.0.1')) {
      link.addrs.unshift(LOOPBACK_ADDR);
    }
    for (const a of link.addrs) addKernelRoutes(ns, link, a);
  } else {
    ns.routes = ns.routes.filter((r) => r.dev !== link.name);
  }
}

/** Enslaves a link to a bridge in the same namespace (`ip link set DEV master BR`). */
export function setMaster(ns: NetNs, link: Link, bridge: Link | undefined): void {
  const old = link.master ? linkByName(ns, link.master) : undefined;
  if (old?.fdb) old.fdb = old.fdb.filter((e) => e.dev !== link.name);
  if (!bridge) {
    delete link.master;
    return;
  }
  link.master = bridge.name;
  bridge.fdb ??= [];
  bridge.fdb.push({ mac: link.mac, dev: link.name, permanent: true, local: true, updatedAt: 0 });
  // The bridge's MTU follows its smallest port until set by hand (br_mtu_auto_adjust).
  if (!bridge.mtuSet) {
    const first = !ns.links.some((l) => l !== link && l.master === bridge.name);
    bridge.mtu = first ? link.mtu : Math.min(bridge.mtu, link.mtu);
  }
}

/** Deletes a link; a veth takes its peer with it, a bridge releases its ports. */
export function delLink(net: Network, ns: NetNs, link: Link): void {
  const peer = peerOf(net, link);
  removeLink(ns, link);
  if (peer) removeLink(peer.ns, peer.link);
}

function removeLink(ns: NetNs, link: Link): void {
  if (link.master) setMaster(ns, link, undefined);
  for (const port of ns.links) if (port.master === link.name) delete port.master;
  ns.routes = ns.routes.filter((r) => r.dev !== link.name);
  ns.neigh = ns.neigh.filter((n) => n.dev !== link.name);
  ns.links = ns.links.filter((l) => l !== link);
}

/** `ip link set DEV netns NS`: the link arrives down, without addresses or master. */
export function moveLink(net: Network, from: NetNs, link: Link, to: NetNs): Link {
  setUp(from, link, false);
  if (link.master) setMaster(from, link, undefined);
  from.neigh = from.neigh.filter((n) => n.dev !== link.name);
  from.links = from.links.filter((l) => l !== link);
  const ifindex = linkByIndex(to, link.ifindex) ? allocIfindex(to) : link.ifindex;
  const moved: Link = { ...link, ifindex, addrs: [], up: false };
  // The move's netlink notification numbers the destination in the source namespace.
  nsidFor(from, to.id);
  delete moved.master;
  to.links.push(moved);
  const peer = moved.peer ? net.namespaces.get(moved.peer.ns) : undefined;
  const peerLink = peer && moved.peer ? linkByIndex(peer, moved.peer.ifindex) : undefined;
  if (peer && peerLink) pairVeth({ ns: to, link: moved }, { ns: peer, link: peerLink }, moved.kind === 'ether');
  return moved;
}

/** Adds a route unless an identical one exists. */
export function addRoute(ns: NetNs, r: Route): void {
  if (!hasRoute(ns, r)) ns.routes.push(r);
}

/** Whether "A/LEN" parses; returns the address and length. */
export function parseAddrLen(s: string): { address: string; prefixLen: number } | null {
  const p = parsePrefix(s.includes('/') ? s : `${s}/32`, true);
  if (!p) return null;
  return { address: s.split('/')[0] as string, prefixLen: p.len };
}
