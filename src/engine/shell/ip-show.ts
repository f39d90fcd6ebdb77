/**
 * iproute2's output formats, byte for byte: `ip link`, `ip addr`, `ip -br`, `ip -d`, `ip route`,
 * `ip neigh`. Pure functions from a namespace to text, shared by the shell and the UI inspector.
 * Trailing spaces are iproute2's own (it prints "key value " pairs and then the newline).
 */
import { parsePrefix } from '../addr/ip';
import { parsePrefix6 } from '../addr/ip6';
import { RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../route/fib';
import { hasCarrier, linkFlags, operState, qdiscOf } from '../net/linkstate';
import { peerOf } from '../net/lookup';
import type { IfAddr, Link, NeighEntry, NetNs, Network, Route } from '../net/types';

export interface ShowOpts {
  readonly details?: boolean;
  readonly stats?: boolean;
  /** `ip -4|-6 addr`: no link/ether line under the header. */
  readonly noLinkLayer?: boolean;
}

/** "eth0@if9" for a veth whose peer lives elsewhere, "veth1@veth2" in the same namespace. */
export function linkDisplayName(net: Network, ns: NetNs, link: Link): string {
  if (link.kind === 'ipip') return `${link.name}@NONE`;
  if (link.kind !== 'veth' || !link.peer) return link.name;
  const peer = peerOf(net, link);
  if (!peer) return link.name;
  return peer.ns === ns ? `${link.name}@${peer.link.name}` : `${link.name}@if${peer.link.ifindex}`;
}

function linkNetns(net: Network, ns: NetNs, link: Link): string {
  if (link.kind !== 'veth' || !link.peer || link.peer.ns === ns.id) return '';
  const peerNs = net.namespaces.get(link.peer.ns);
  if (peerNs?.netnsName && peerNs.machine === ns.machine && ns.netnsName === undefined) return ` link-netns ${peerNs.netnsName}`;
  const id = ns.nsids?.get(link.peer.ns);
  return id === undefined ? '' : ` link-netnsid ${id}`;
}

function linkHeader(net: Network, ns: NetNs, link: Link, mode: boolean): string {
  const master = link.master ? ` master ${link.master}` : '';
  const qlen = link.qlen !== undefined ? `qlen ${link.qlen}` : '';
  return `${link.ifindex}: ${linkDisplayName(net, ns, link)}: <${linkFlags(net, ns, link).join(',')}> mtu ${link.mtu} qdisc ${qdiscOf(link)}${master} state ${operState(net, ns, link)}${mode ? ' mode DEFAULT' : ''} group default ${qlen}`;
}

function linkLayer(net: Network, ns: NetNs, link: Link, opts: ShowOpts): string {
  let s: string;
  switch (link.kind) {
    case 'loopback': s = `    link/loopback ${link.mac} brd 00:00:00:00:00:00`; break;
    case 'tun': s = '    link/none '; break;
    case 'ipip': s = `    link/ipip ${link.ipip?.local ?? '0.0.0.0'} brd ${link.ipip?.remote ?? '0.0.0.0'}`; break;
    default: s = `    link/ether ${link.mac} brd ff:ff:ff:ff:ff:ff`;
  }
  s += linkNetns(net, ns, link);
  if (opts.details) s += ` promiscuity ${link.kind === 'bridge' || link.master ? 1 : 0} minmtu ${link.kind === 'loopback' ? 0 : 68} maxmtu ${maxMtu(link)} ${detailLine(link)}`;
  return `${s}\n`;
}

function maxMtu(link: Link): number {
  switch (link.kind) {
    case 'ether': return 9000;
    case 'veth': case 'bridge': case 'vxlan': case 'tun': case 'dummy': return 65535;
    case 'ipip': return 65515;
    case 'loopback': return 0;
  }
}

/** The `ip -d link` line describing the device type. */
function detailLine(link: Link): string {
  const tail = 'addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 ';
  const slave = link.master ? `\n    bridge_slave state ${link.up ? 'forwarding' : 'disabled'} priority 32 cost 2 hairpin off guard off root_block off fastleave off learning on flood on mcast_flood on mcast_to_unicast off neigh_suppress off vlan_tunnel off isolated off ` : '';
  switch (link.kind) {
    case 'vxlan': {
      const v = link.vxlan!;
      const remote = v.external ? undefined : link.fdb?.find((e) => e.mac === '00:00:00:00:00:00')?.dst;
      return `\n    vxlan ${v.external ? 'external ' : ''}id ${v.vni}${remote ? ` remote ${remote}` : ''}${v.local ? ` local ${v.local}` : ''}${v.dev ? ` dev ${v.dev}` : ''} srcport 0 0 dstport ${v.port} ${v.learning ? '' : 'nolearning '}ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx ${tail}`;
    }
    case 'veth': return `\n    veth ${slave}${tail}`;
    case 'bridge': {
      if (link.openvswitch) return `\n    openvswitch ${tail}`;
      const ageing = 30000;
      return `\n    bridge forward_delay 1500 hello_time 200 max_age 2000 ageing_time ${ageing} stp_state 0 priority 32768 vlan_filtering 0 vlan_protocol 802.1Q bridge_id 8000.${link.mac.replace(/:/g, '')} designated_root 8000.${link.mac.replace(/:/g, '')} ${tail}`;
    }
    case 'ipip': return `\n    ipip any remote ${link.ipip?.remote ?? 'any'} local ${link.ipip?.local ?? 'any'} ttl inherit nopmtudisc ${tail}`;
    case 'tun': return `\n    tun type tun pi off vnet_hdr off persist off ${tail}`;
    case 'dummy': return `\n    dummy ${tail}`;
    default: return `${slave}${tail}`;
  }
}

/** `ip link [show [dev] D]` */
export function showLinks(net: Network, ns: NetNs, links: readonly Link[], opts: ShowOpts = {}): string {
  return links.map((l) => `${linkHeader(net, ns, l, true)}\n${linkLayer(net, ns, l, opts)}${opts.stats ? linkStats(l) : ''}`).join('');
}

/** `ip -s link`: counters right-aligned under iproute2's column headers. */
function linkStats(l: Link): string {
  const s = l.stats;
  const widths = [10, 8, 7, 8, 8, 8];
  const row = (a: number[]): string => `    ${a.map((x, i) => String(x).padStart(widths[i]!)).join('')} \n`;
  return `    RX:  bytes packets errors dropped  missed   mcast           \n${row([s.rxBytes, s.rxPackets, 0, s.rxDropped, 0, 0])}`
    + `    TX:  bytes packets errors dropped carrier collsns           \n${row([s.txBytes, s.txPackets, 0, s.txDropped, 0, 0])}`;
}

function addrLine(link: Link, a: IfAddr, secondary: boolean): string {
  // inet6 lines end at the scope (and flags), without the label: iproute2 prints none for IPv6.
  if (a.family === 6) return `    inet6 ${a.address}/${a.prefixLen} scope ${a.scope} \n       valid_lft forever preferred_lft forever\n`;
  const fam = 'inet';
  const brd = a.broadcast ? ` brd ${a.broadcast}` : '';
  return `    ${fam} ${a.address}/${a.prefixLen}${brd} scope ${a.scope}${secondary ? ' secondary' : ''} ${a.label ?? link.name}\n       valid_lft forever preferred_lft forever\n`;
}

/** Whether an address is secondary: an earlier address on the link covers the same subnet. */
function isSecondary(link: Link, i: number): boolean {
  const a = link.addrs[i]!;
  const p = parsePrefix(`${a.address}/${a.prefixLen}`, true);
  return link.addrs.slice(0, i).some((b) => {
    const q = parsePrefix(`${b.address}/${b.prefixLen}`, true);
    return !!p && !!q && p.len === q.len && p.base === q.base;
  });
}

/** `ip addr [show [dev] D]` */
export function showAddrs(net: Network, ns: NetNs, links: readonly Link[], opts: ShowOpts = {}): string {
  return links.map((l) => `${linkHeader(net, ns, l, false)}\n${opts.noLinkLayer ? '' : linkLayer(net, ns, l, opts)}${l.addrs.map((a, i) => addrLine(l, a, isSecondary(l, i))).join('')}`).join('');
}

/** `ip -o link`: each record on one line, its inner line breaks printed as "\\". */
export function oneline(text: string): string {
  return text.replace(/\n(?=    )/g, '\\');
}

/** `ip -o addr`: one line per address, "N: NAME    inet A/L ... NAME\\       valid_lft ...". */
export function showAddrsOneline(links: readonly Link[]): string {
  return links.flatMap((l) => l.addrs.map((a, i) => `${l.ifindex}: ${l.name}${addrLine(l, a, isSecondary(l, i)).replace(/\n(?=.)/, '\\')}`)).join('');
}

/** `ip -br addr` / `ip -br link` */
export function showBrief(net: Network, ns: NetNs, links: readonly Link[], what: 'addr' | 'link'): string {
  return links.map((l) => {
    const head = `${linkDisplayName(net, ns, l).padEnd(16)} ${operState(net, ns, l).padEnd(14)} `;
    if (what === 'addr') return `${head}${l.addrs.map((a) => `${a.address}/${a.prefixLen} `).join('')}\n`;
    const mac = l.kind === 'tun' ? '' : `${l.mac} `;
    return `${head}${mac}<${linkFlags(net, ns, l).join(',')}> \n`;
  }).join('');
}

const TABLE_NAMES: Record<number, string> = { 255: 'local', 254: 'main', 253: 'default' };
export const tableName = (t: number): string => TABLE_NAMES[t] ?? String(t);

function dstKey(dst: string): [number, number] {
  if (dst === 'default') return [0, 0];
  const p = parsePrefix(dst, true);
  return p ? [p.base, p.len] : [0, 0];
}

function dstKey6(dst: string): [bigint, number] {
  // `ip -6 route` lists the default route after every prefix.
  if (dst === 'default') return [1n << 128n, 0];
  const p = parsePrefix6(dst, true);
  return p ? [p.base, p.len] : [0n, 0];
}

/** Routes in the order the kernel's FIB trie dumps them: by address, longer prefix first. */
export function sortRoutes(routes: readonly Route[]): Route[] {
  return [...routes].sort((x, y) => {
    if (x.family === 6 || y.family === 6) {
      // fib6's tree walk: by table, then prefix (shorter first: default before its subnets), then metric.
      if (x.table !== y.table) return x.table - y.table;
      const [bx, lx] = dstKey6(x.dst);
      const [by, ly] = dstKey6(y.dst);
      return (bx < by ? -1 : bx > by ? 1 : 0) || lx - ly || (x.metric ?? 0) - (y.metric ?? 0);
    }
    if (x.table !== y.table) return x.table - y.table;
    const [bx, lx] = dstKey(x.dst);
    const [by, ly] = dstKey(y.dst);
    return bx - by || ly - lx || (x.metric ?? 0) - (y.metric ?? 0);
  });
}

export function formatDst(dst: string): string {
  return dst.endsWith('/32') ? dst.slice(0, -3) : dst;
}

/**
 * One `ip route` line. `showTable`: print "table X" (ip route show table all); `hideDev`: the
 * listing is filtered by `dev`, which iproute2 then leaves out of every line.
 */
export function formatRoute(net: Network, ns: NetNs, r: Route, showTable: boolean, hideDev = false): string {
  let s = r.type === 'unicast' ? '' : `${r.type} `;
  s += `${formatDst(r.dst)} `;
  if (r.via) s += `via ${r.via} `;
  if (r.dev && !hideDev) s += `dev ${r.dev} `;
  if (showTable && r.table !== RT_TABLE_MAIN) s += `table ${tableName(r.table)} `;
  if (r.proto !== 'boot') s += `proto ${r.proto === 'felix' ? '80' : r.proto} `;
  if (r.scope !== 'global') s += `scope ${r.scope} `;
  if (r.src) s += `src ${r.src} `;
  if (r.metric !== undefined) s += `metric ${r.metric} `;
  if (r.onlink) s += 'onlink ';
  const link = r.dev ? ns.links.find((l) => l.name === r.dev) : undefined;
  if (link && r.type === 'unicast' && !hasCarrier(net, ns, link)) s += 'linkdown ';
  if (r.family === 6) s += 'pref medium ';
  return `${s}\n`;
}

/** `ip route show [table T]`: T is a number, or 0 for all tables. */
export function showRoutes(net: Network, ns: NetNs, table: number, dev?: string, family: 4 | 6 = 4): string {
  const rs = sortRoutes(ns.routes.filter((r) => (table === 0 || r.table === table) && r.family === family && (dev === undefined || r.dev === dev)));
  return rs.map((r) => formatRoute(net, ns, r, table === 0, dev !== undefined)).join('');
}

/** `ip neigh show` line (without "dev D" when the listing is filtered by device, as iproute2 does). */
export function formatNeigh(n: NeighEntry, hideDev = false): string {
  const ll = n.mac ? ` lladdr ${n.mac}` : ' ';
  return `${n.ip}${hideDev ? '' : ` dev ${n.dev}`}${ll} ${n.state}\n`;
}

export { RT_TABLE_LOCAL, RT_TABLE_MAIN };
