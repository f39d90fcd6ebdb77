/**
 * `ip route` (show with selectors, get, add, del, replace, change, flush) and `ip neigh`
 * (show, add, del, replace, flush), with iproute2's messages: "RTNETLINK answers: File
 * exists", "Error: Nexthop has invalid gateway.", "RTNETLINK answers: Network is unreachable".
 */
import { formatIPv4, parseIPv4, parsePrefix } from '../addr/ip';
import { formatIPv6, formatPrefix6, parseIPv6, parsePrefix6 } from '../addr/ip6';
import { IP6_RT_PRIO_USER } from '../net/ipv6';
import { isMac } from '../addr/mac';
import { fibLookup, fibLookup6, lookupTable, lookupTable6, RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../route/fib';
import { linkByName } from '../net/lookup';
import { addRoute } from '../net/mutate';
import type { Route } from '../net/types';
import { changed, matches, noDevice, RTNL, type Env } from './ip-common';
import { formatNeigh, showRoutes, tableName } from './ip-show';
import { fail, ok, type CommandResult } from './types';

// ─── ip route ───────────────────────────────────────────────────────────────────────────────

function parseTable(s: string): number | undefined {
  if (s === 'local') return RT_TABLE_LOCAL;
  if (s === 'main') return RT_TABLE_MAIN;
  if (s === 'default') return 253;
  if (s === 'all' || s === 'unspec') return 0;
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The first word that is neither a keyword taking a value nor that value. */
function positional(args: readonly string[], keywords: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (keywords.includes(args[i]!)) { i++; continue; }
    return args[i];
  }
  return undefined;
}

function valueOf(args: readonly string[], key: string): string | undefined {
  const i = args.indexOf(key);
  return i >= 0 ? args[i + 1] : undefined;
}

export function routeCmd(env: Env, args: readonly string[]): CommandResult {
  const sub = args[0];
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    let table = RT_TABLE_MAIN;
    let dev: string | undefined;
    const keep: ((r: Route) => boolean)[] = [];
    const rest = args.slice(sub === undefined ? 0 : 1);
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      const v = rest[i + 1];
      if (a === 'table') {
        const t = parseTable(rest[++i] ?? '');
        if (t === undefined) return fail(`Error: argument "${rest[i]}" is wrong: "table" value is invalid\n`, 1);
        table = t;
      } else if (a === 'dev' || a === 'oif') { dev = v; i++; }
      else if (a === 'proto' || a === 'protocol') { i++; keep.push((r) => (r.proto === 'felix' ? '80' : String(r.proto)) === v); }
      else if (a === 'scope') { i++; keep.push((r) => r.scope === (v === 'universe' ? 'global' : v)); }
      else if (a === 'type') { i++; keep.push((r) => r.type === v); }
      else if (a === 'via') { i++; keep.push((r) => r.via === v); }
      else {
        // A bare PREFIX (or `to PREFIX`) selects that exact destination.
        const p = a === 'to' ? (i++, v) : a;
        if (p === undefined) continue;
        if (env.opts.family === 6 || p.includes(':')) {
          const p6 = p === 'default' || p === '::/0' ? 'default' : parsePrefix6(p, true);
          if (p6 === null) return fail(`Error: any valid prefix is expected rather than "${p}".\n`, 1);
          const d6 = typeof p6 === 'string' ? p6 : p6.len === 128 ? formatIPv6(p6.base) : formatPrefix6(p6);
          keep.push((r) => r.dst === d6);
          continue;
        }
        const norm = p === 'default' || p === '0/0' || p === '0.0.0.0/0' ? 'default' : parsePrefix(p.includes('/') ? p : `${p}/32`, true);
        if (norm === null) return fail(`Error: any valid prefix is expected rather than "${p}".\n`, 1);
        const dst = typeof norm === 'string' ? norm : `${formatIPv4(norm.base)}/${norm.len}`;
        keep.push((r) => r.dst === dst);
      }
    }
    if (dev !== undefined && !linkByName(env.ns, dev)) return fail(`Cannot find device "${dev}"\n`, 1);
    const view = keep.length ? { ...env.ns, routes: env.ns.routes.filter((r) => keep.every((k) => k(r))) } : env.ns;
    return ok(showRoutes(env.net, view, table, dev, env.opts.family ?? 4));
  }
  // IPv6: -6, or an IPv6 destination (iproute2 infers the family from the prefix).
  const six = env.opts.family === 6 || args.slice(1).some((a) => a.includes(':') && !/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(a));
  if (matches(sub, 'get')) return six ? routeGet6(env, args.slice(1)) : routeGet(env, args.slice(1));
  if (matches(sub, 'add') || matches(sub, 'delete') || matches(sub, 'replace') || matches(sub, 'change')) return six ? routeChange6(env, sub, args.slice(1)) : routeChange(env, sub, args.slice(1));
  if (matches(sub, 'flush')) {
    const rest = args.slice(1);
    const dev = rest[rest.indexOf('dev') + 1];
    if (rest.length === 0) return fail('"ip route flush" requires arguments.\n', 1);
    env.ns.routes = env.ns.routes.filter((r) => r.table !== RT_TABLE_MAIN || (rest.includes('dev') && r.dev !== dev));
    return changed(env.net);
  }
  return fail(`Command "${sub}" is unknown, try "ip route help".\n`, 1);
}

function routeGet(env: Env, args: readonly string[]): CommandResult {
  const dst = positional(args, ['from', 'iif', 'oif', 'mark', 'to', 'dev', 'vrf', 'tos', 'dport', 'sport', 'ipproto', 'uid']) ?? valueOf(args, 'to');
  if (dst === undefined) return fail('need at least a destination address\n', 1);
  if (parseIPv4(dst.replace(/\/32$/, '')) === null) return fail(`Error: any valid prefix is expected rather than "${dst}".\n`, 1);
  const ip = dst.replace(/\/32$/, '');
  const from = valueOf(args, 'from');
  const iif = valueOf(args, 'iif');
  const oif = valueOf(args, 'oif') ?? valueOf(args, 'dev');
  const markArg = valueOf(args, 'mark');
  const fromIp = from !== undefined ? parseIPv4(from) : null;
  if (from !== undefined && fromIp === null) return fail(`Error: inet address is expected rather than "${from}".\n`, 1);
  const mark = markArg !== undefined ? Number(markArg) : 0;
  if (markArg !== undefined && (!Number.isInteger(mark) || mark < 0 || mark > 0xffffffff)) return fail(`Error: argument "${markArg}" is wrong: "mark" value is invalid\n`, 1);
  for (const d of [iif, oif]) if (d !== undefined && !linkByName(env.ns, d)) return noDevice(d);
  const local = (a: string): boolean => env.ns.links.some((l) => l.addrs.some((x) => x.family === 4 && x.address === a));
  // An output lookup from an address this machine does not have finds no device (ip_route_output_key_hash_rcu).
  if (iif === undefined && from !== undefined && !local(from)) return RTNL('Network is unreachable');
  if (iif !== undefined && from === undefined) return RTNL('Invalid argument');
  const res = fibLookup(env.ns, ip, { ...(fromIp !== null ? { src: fromIp } : {}), ...(mark ? { mark } : {}), ...(iif !== undefined ? { iif } : {}), ...(oif !== undefined ? { oif } : {}) });
  if (!res) return RTNL('Network is unreachable');
  const r = res.route;
  if (r.type === 'blackhole' || r.type === 'unreachable' || r.type === 'prohibit') {
    return RTNL(r.type === 'blackhole' ? 'Invalid argument' : r.type === 'prohibit' ? 'Permission denied' : 'No route to host');
  }
  if (r.type === 'local') return ok(`local ${ip} dev lo table local ${res.src ? `src ${res.src} ` : ''}uid 0 \n    cache <local> \n`);
  if (r.type === 'broadcast') return ok(`broadcast ${ip} dev ${r.dev} table local ${res.src ? `src ${res.src} ` : ''}uid 0 \n    cache <local,brd> \n`);
  const table = r.table !== RT_TABLE_MAIN ? `table ${tableName(r.table)} ` : '';
  const markText = mark ? `mark 0x${mark.toString(16)} ` : '';
  // With `from`, iproute2 prints the given source in place of the chosen one.
  const source = from !== undefined ? `from ${from} ` : '';
  const head = `${ip} ${source}${r.via ? `via ${r.via} ` : ''}dev ${r.dev} ${table}`;
  if (iif !== undefined) {
    // An input lookup (a packet arriving on iif): no uid; <redirect> when it leaves where it came in.
    return ok(`${head}${markText}\n    cache ${r.dev === iif ? '<redirect> ' : ''}iif ${iif} \n`);
  }
  const src = from !== undefined ? '' : `src ${res.src ?? '0.0.0.0'} `;
  return ok(`${head}${src}${markText}uid 0 \n    cache \n`);
}

/**
 * `ip -6 route get ADDR [from ADDR] [iif DEV] [mark M]`, as iproute2 prints an IPv6 answer:
 * `DST from SRC|:: via GW dev DEV [table T] [proto P] src PREFSRC metric M pref medium`.
 */
function routeGet6(env: Env, args: readonly string[]): CommandResult {
  const dst = positional(args, ['from', 'iif', 'oif', 'mark', 'to', 'dev', 'vrf', 'tos', 'dport', 'sport', 'ipproto', 'uid']) ?? valueOf(args, 'to');
  if (dst === undefined) return fail('need at least a destination address\n', 1);
  const d = parseIPv6(dst.replace(/\/128$/, ''));
  if (d === null) return fail(`Error: inet6 prefix is expected rather than "${dst}".\n`, 1);
  const ip = formatIPv6(d);
  const from = valueOf(args, 'from');
  const iif = valueOf(args, 'iif');
  const markArg = valueOf(args, 'mark');
  const f = from !== undefined ? parseIPv6(from) : null;
  if (from !== undefined && f === null) return fail(`Error: inet6 address is expected rather than "${from}".\n`, 1);
  const mark = markArg !== undefined ? Number(markArg) : 0;
  if (markArg !== undefined && (!Number.isInteger(mark) || mark < 0 || mark > 0xffffffff)) return fail(`Error: argument "${markArg}" is wrong: "mark" value is invalid\n`, 1);
  if (iif !== undefined && !linkByName(env.ns, iif)) return noDevice(iif);
  const res = fibLookup6(env.ns, ip, { ...(f !== null ? { src: f } : {}), ...(mark ? { mark } : {}), ...(iif !== undefined ? { iif } : {}) });
  if (!res) return RTNL('Network is unreachable');
  const r = res.route;
  if (r.type === 'blackhole' || r.type === 'unreachable' || r.type === 'prohibit') return RTNL(r.type === 'prohibit' ? 'Permission denied' : r.type === 'blackhole' ? 'Invalid argument' : 'Network is unreachable');
  const fromText = `from ${from !== undefined ? formatIPv6(f!) : '::'} `;
  if (r.type === 'local') return ok(`local ${ip} ${fromText}dev lo table local proto kernel src ${ip} metric 0 pref medium\n`);
  const table = r.table !== RT_TABLE_MAIN ? `table ${tableName(r.table)} ` : '';
  const proto = r.proto !== 'boot' ? `proto ${r.proto === 'felix' ? '80' : r.proto} ` : '';
  const src = iif === undefined && res.src ? `src ${res.src} ` : '';
  return ok(`${ip} ${fromText}${r.via ? `via ${r.via} ` : ''}dev ${r.dev} ${table}${proto}${src}metric ${r.metric ?? IP6_RT_PRIO_USER} ${iif !== undefined ? `iif ${iif} ` : ''}pref medium\n`);
}

/** `ip -6 route add|del|replace|change PREFIX [via GW] [dev DEV] [table T] [metric M] [proto P]`: IPv6 routes carry metric 1024 unless told. */
function routeChange6(env: Env, sub: string, args: readonly string[]): CommandResult {
  const del = matches(sub, 'delete');
  const replace = matches(sub, 'replace') || matches(sub, 'change');
  const a = parseRouteArgs(args);
  if ('exitCode' in a) return a;
  const { type, dst, via, metric, table, onlink, proto } = a;
  let dev = a.dev;
  if (dst === undefined) return fail('Error: either "to" is duplicate, or "' + (args[0] ?? '') + '" is a garbage.\n', 1);
  let dstNorm: string;
  if (dst === 'default' || dst === '::/0') dstNorm = 'default';
  else {
    const p = parsePrefix6(dst.includes('/') ? dst : `${dst}/128`, true);
    if (!p) return fail(`Error: inet6 prefix is expected rather than "${dst}".\n`, 1);
    if (parsePrefix6(dst.includes('/') ? dst : `${dst}/128`, false) === null) return fail('Error: Invalid prefix for given prefix length.\n', 2);
    dstNorm = p.len === 0 ? 'default' : p.len === 128 ? formatIPv6(p.base) : formatPrefix6(p);
  }
  const gw = via !== undefined ? parseIPv6(via) : null;
  if (via !== undefined && gw === null) return fail(`Error: inet6 prefix is expected rather than "${via}".\n`, 1);
  if (dev !== undefined && !linkByName(env.ns, dev)) return noDevice(dev);
  const ns = env.ns;
  const m = metric ?? IP6_RT_PRIO_USER;
  if (del) {
    const idx = ns.routes.findIndex((r) => r.family === 6 && r.table === table && r.dst === dstNorm && (dev === undefined || r.dev === dev) && (via === undefined || r.via === formatIPv6(gw!)) && (metric === undefined || (r.metric ?? IP6_RT_PRIO_USER) === metric));
    if (idx < 0) return RTNL('No such process');
    ns.routes.splice(idx, 1);
    return changed(env.net);
  }
  if (type === 'unicast') {
    if (gw !== null && !onlink && dev === undefined) {
      // ip6_route_check_nh: a global gateway must be on-link through a connected route.
      const nh = lookupTable6(ns, RT_TABLE_MAIN, gw);
      if (!nh || nh.via !== undefined || nh.type !== 'unicast') return fail('Error: Nexthop has invalid gateway.\n', 2);
      dev = nh.dev;
    }
    if (dev === undefined) return fail('Error: Device for nexthop is not up.\n', 2);
    if (!linkByName(ns, dev)!.up) return fail('Error: Device for nexthop is not up.\n', 2);
  }
  const route: Route = {
    family: 6, table, type, dst: dstNorm, proto, scope: 'global', metric: m,
    ...(dev !== undefined && type === 'unicast' ? { dev } : {}),
    ...(gw !== null ? { via: formatIPv6(gw) } : {}),
    ...(onlink ? { onlink } : {}),
  };
  const same = ns.routes.findIndex((r) => r.family === 6 && r.table === table && r.dst === dstNorm && (r.metric ?? IP6_RT_PRIO_USER) === m && r.type !== 'local');
  if (same >= 0) {
    if (!replace) return RTNL('File exists');
    ns.routes.splice(same, 1);
  }
  addRoute(ns, route);
  return changed(env.net);
}

/** The words of `ip route add|del|replace|change` (either family), or iproute2's error for a bad table. */
interface RouteArgs {
  type: Route['type'];
  dst?: string;
  via?: string;
  dev?: string;
  src?: string;
  metric?: number;
  table: number;
  onlink: boolean;
  proto: Route['proto'];
  scope?: Route['scope'];
}

function parseRouteArgs(args: readonly string[]): RouteArgs | CommandResult {
  const r: RouteArgs = { type: 'unicast', table: RT_TABLE_MAIN, onlink: false, proto: 'boot' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'via') r.via = args[++i];
    else if (a === 'dev' || a === 'oif') r.dev = args[++i];
    else if (a === 'src') r.src = args[++i];
    else if (a === 'metric' || a === 'priority' || a === 'preference') r.metric = Number(args[++i]);
    else if (a === 'table') {
      const t = parseTable(args[++i] ?? '');
      if (t === undefined || t === 0) return fail(`Error: argument "${args[i]}" is wrong: "table" value is invalid\n`, 1);
      r.table = t;
    } else if (a === 'onlink') r.onlink = true;
    else if (a === 'proto' || a === 'protocol') {
      const p = args[++i];
      r.proto = p === 'static' || p === 'kernel' || p === 'bird' || p === 'dhcp' || p === 'boot' ? p : p === '80' ? 'felix' : p !== undefined && /^\d+$/.test(p) && Number(p) < 256 ? Number(p) : 'static';
    } else if (a === 'scope') {
      const sc = args[++i];
      r.scope = sc === 'host' || sc === 'link' ? sc : 'global';
    } else if (a === 'blackhole' || a === 'unreachable' || a === 'prohibit' || a === 'local' || a === 'broadcast' || a === 'unicast') r.type = a;
    else if (a === 'to') r.dst = args[++i];
    else if (a === 'mtu' || a === 'advmss' || a === 'realm' || a === 'tos' || a === 'pref') i++;
    else r.dst = a;
  }
  return r;
}

function routeChange(env: Env, sub: string, args: readonly string[]): CommandResult {
  const del = matches(sub, 'delete');
  const replace = matches(sub, 'replace') || matches(sub, 'change');
  const a = parseRouteArgs(args);
  if ('exitCode' in a) return a;
  const { type, dst, via, src, metric, table, onlink, proto, scope } = a;
  let dev = a.dev;
  if (dst === undefined) return fail('Error: either "to" is duplicate, or "' + (args[0] ?? '') + '" is a garbage.\n', 1);
  let dstNorm: string;
  if (dst === 'default' || dst === '0.0.0.0/0' || dst === '0/0') dstNorm = 'default';
  else {
    const p = parsePrefix(dst.includes('/') ? dst : `${dst}/32`, true);
    if (!p) return fail(`Error: any valid prefix is expected rather than "${dst}".\n`, 1);
    if (parsePrefix(dst.includes('/') ? dst : `${dst}/32`, false) === null) return fail(`Error: Invalid prefix for given prefix length.\n`, 2);
    dstNorm = p.len === 0 ? 'default' : `${formatIPv4(p.base)}/${p.len}`;
  }
  if (via !== undefined && parseIPv4(via) === null) return fail(`Error: inet prefix is expected rather than "${via}".\n`, 1);
  if (dev !== undefined && !linkByName(env.ns, dev)) return noDevice(dev);
  const ns = env.ns;
  if (del) {
    const idx = ns.routes.findIndex((r) => r.table === table && r.dst === dstNorm && (dev === undefined || r.dev === dev) && (via === undefined || r.via === via) && (metric === undefined || (r.metric ?? 0) === metric) && (type === 'unicast' || r.type === type));
    if (idx < 0) return RTNL('No such process');
    ns.routes.splice(idx, 1);
    return changed(env.net);
  }
  if (type === 'unicast') {
    if (via !== undefined && !onlink) {
      // The gateway must be reachable on-link: through a scope-link route (fib_check_nh).
      // fib_check_nh: the route's own table first, then the main and local tables.
      const gw = parseIPv4(via)!;
      const nhRoute = (table !== RT_TABLE_MAIN ? lookupTable(ns, table, gw) : undefined) ?? lookupTable(ns, RT_TABLE_LOCAL, gw) ?? lookupTable(ns, RT_TABLE_MAIN, gw);
      if (!nhRoute || nhRoute.via !== undefined || nhRoute.type !== 'unicast' || (dev !== undefined && nhRoute.dev !== dev)) {
        return fail('Error: Nexthop has invalid gateway.\n', 2);
      }
      dev ??= nhRoute.dev;
    }
    if (dev === undefined) return fail('Error: Device for nexthop is not up.\n', 2);
    const link = linkByName(ns, dev)!;
    if (!link.up) return fail('Error: Device for nexthop is not up.\n', 2);
  }
  const route: Route = {
    family: 4, table, type, dst: dstNorm, proto,
    scope: scope ?? (type === 'local' ? 'host' : via === undefined && type === 'unicast' ? 'link' : 'global'),
    ...(dev !== undefined && type !== 'blackhole' && type !== 'unreachable' && type !== 'prohibit' ? { dev } : {}),
    ...(via !== undefined ? { via } : {}),
    ...(src !== undefined ? { src } : {}),
    ...(metric !== undefined && metric !== 0 ? { metric } : {}),
    ...(onlink ? { onlink } : {}),
  };
  const same = ns.routes.findIndex((r) => r.table === table && r.dst === dstNorm && (r.metric ?? 0) === (metric ?? 0) && r.type !== 'local' && r.type !== 'broadcast');
  if (same >= 0) {
    if (!replace) return RTNL('File exists');
    ns.routes.splice(same, 1);
  }
  addRoute(ns, route);
  return changed(env.net);
}

// ─── ip neigh ───────────────────────────────────────────────────────────────────────────────

export function neighCmd(env: Env, args: readonly string[]): CommandResult {
  const sub = args[0];
  const ns = env.ns;
  const rest = args.slice(1);
  const val = (k: string): string | undefined => {
    const i = rest.indexOf(k);
    return i >= 0 ? rest[i + 1] : undefined;
  };
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    const dev = val('dev');
    if (dev !== undefined && !linkByName(ns, dev)) return fail(`Cannot find device "${dev}"\n`, 1);
    const fam = env.opts.family;
    return ok(ns.neigh.filter((n) => (fam === undefined || n.family === fam) && (dev === undefined || n.dev === dev) && n.state !== 'NOARP').map((n) => formatNeigh(n, dev !== undefined)).join(''));
  }
  if (matches(sub, 'flush')) {
    const dev = val('dev');
    if (rest.length === 0) return fail('Flush requires arguments.\n', 1);
    if (dev !== undefined && !linkByName(ns, dev)) return fail(`Cannot find device "${dev}"\n`, 1);
    // flush removes learned entries, never PERMANENT ones (unless "nud permanent" is asked).
    const all = rest.includes('permanent');
    ns.neigh = ns.neigh.filter((n) => (dev !== undefined && n.dev !== dev) || (n.state === 'PERMANENT' && !all) || n.state === 'NOARP');
    return changed(env.net);
  }
  if (matches(sub, 'add') || matches(sub, 'replace') || matches(sub, 'change') || matches(sub, 'delete')) {
    const ip = positional(rest, ['lladdr', 'dev', 'nud', 'to', 'proxy', 'router', 'extern_learn']) ?? val('to');
    const dev = val('dev');
    const mac = val('lladdr');
    const nud = (val('nud') ?? 'permanent').toUpperCase();
    if (ip === undefined || parseIPv4(ip) === null) return fail(`Error: any valid address is expected rather than "${ip ?? ''}".\n`, 1);
    if (dev === undefined) return fail('Device and destination are required arguments.\n', 255);
    if (!linkByName(ns, dev)) return noDevice(dev);
    const idx = ns.neigh.findIndex((n) => n.ip === ip && n.dev === dev);
    if (matches(sub, 'delete')) {
      if (idx < 0) return RTNL('No such file or directory');
      ns.neigh.splice(idx, 1);
      return changed(env.net);
    }
    if (mac !== undefined && !isMac(mac)) return fail(`"${mac}" is invalid lladdr.\n`, 1);
    if (idx >= 0 && matches(sub, 'add')) return RTNL('File exists');
    const state = (['PERMANENT', 'REACHABLE', 'STALE', 'NOARP', 'DELAY', 'PROBE', 'FAILED', 'INCOMPLETE'] as const).find((s) => s === nud) ?? 'PERMANENT';
    const entry = { family: 4 as const, ip, dev, state, updatedAt: env.ctx.sim.now, ...(mac ? { mac: mac.toLowerCase() } : {}) };
    if (idx >= 0) ns.neigh[idx] = entry;
    else ns.neigh.push(entry);
    return changed(env.net);
  }
  return fail(`Command "${sub}" is unknown, try "ip neigh help".\n`, 1);
}
