/**
 * `ip` (iproute2): show and change a namespace's links, addresses, routes and neighbours, and
 * manage named namespaces. Output and error messages follow iproute2 (formats in ip-show.ts);
 * every change goes through net/mutate.ts (the same operations the builder uses), bumps
 * net.generation and returns changed: true.
 *
 *   ip [-br] [-d] [-s] [-4] [-n NS] { link | addr | route | neigh | netns } [COMMAND [ARGS]]
 */
import { formatIPv4, parseIPv4, parsePrefix } from '../addr/ip';
import { isMac } from '../addr/mac';
import { fibLookup, RT_TABLE_LOCAL, RT_TABLE_MAIN } from '../route/fib';
import { namedNsId } from '../net/ids';
import { linkByName, nsForTarget } from '../net/lookup';
import {
  addAddr, addLink, addRoute, addVethPair, createNs, delAddr, inheritSysctls, delLink, moveLink, parseAddrLen, randomMac, setMaster,
  setUp, touch, v4Addr,
} from '../net/mutate';
import type { IfAddr, Link, NetNs, Network, Route } from '../net/types';
import type { Sim } from '../sim';
import { formatNeigh, showAddrs, showBrief, showLinks, showRoutes, tableName } from './ip-show';
import { fail, ok, type Command, type CommandResult, type ShellContext, type Target } from './types';

const IFNAMSIZ = 15;

interface Opts {
  brief: boolean;
  details: boolean;
  stats: boolean;
  netns?: string;
}

/** `iproute2`'s matches(): a word is accepted when it is a prefix of the full keyword. */
function matches(word: string | undefined, full: string, min = 1): boolean {
  return word !== undefined && word.length >= min && full.startsWith(word);
}

const RTNL = (msg: string): CommandResult => fail(`RTNETLINK answers: ${msg}\n`, 2);
const noDevice = (d: string): CommandResult => fail(`Cannot find device "${d}"\n`, 1);

/** The target's machine root (node/NAME or host/NAME without a netns). */
function machineTarget(t: Target): { kind: 'node' | 'host'; name: string } | undefined {
  if (t.kind === 'node' || t.kind === 'host') return { kind: t.kind, name: t.name };
  return undefined;
}

/** Named namespaces (`ip netns`) of the target's machine, by name. */
function namedNs(sim: Sim, t: Target, name: string): NetNs | undefined {
  const m = machineTarget(t);
  if (!m) return undefined;
  const root = nsForTarget(sim, m);
  if (!root) return undefined;
  const ns = sim.net.namespaces.get(namedNsId(root.id, name));
  if (ns?.netnsName === name) return ns;
  // Pod namespaces live under their own ids but carry containerd's /run/netns name (cni-UUID).
  for (const x of sim.net.namespaces.values()) if (x.machine === root.id && x.netnsName === name) return x;
  return undefined;
}

export const ipCommand: Command = (ctx, argv) => {
  const opts: Opts = { brief: false, details: false, stats: false };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) break;
    const flag = a.replace(/^--?/, '');
    if (flag === 'br' || matches(flag, 'brief', 2)) opts.brief = true;
    else if (matches(flag, 'details')) opts.details = true;
    else if (matches(flag, 'stats') || matches(flag, 'statistics')) opts.stats = true;
    else if (flag === '4' || matches(flag, 'color') || flag === 'c') continue;
    else if (flag === 'n' || matches(flag, 'netns', 3)) {
      const name = argv[++i];
      if (name === undefined) return fail('Command line is not complete. Try option "help"\n', 255);
      opts.netns = name;
    } else if (flag === 'V' || matches(flag, 'Version')) return ok('ip utility, iproute2-6.1.0, libbpf 1.1.0\n');
    else return fail(`Option "${a}" is unknown, try "ip -help".\n`, 255);
  }
  if (opts.netns !== undefined) {
    if (!namedNs(ctx.sim, ctx.target, opts.netns)) return fail(`Cannot open network namespace "${opts.netns}": No such file or directory\n`, 255);
    const m = machineTarget(ctx.target)!;
    const rest = argv.slice(i);
    return ctx.run({ ...m, netns: opts.netns } as Target, ['ip', ...(opts.brief ? ['-br'] : []), ...(opts.details ? ['-d'] : []), ...(opts.stats ? ['-s'] : []), ...rest]);
  }
  const obj = argv[i];
  const args = argv.slice(i + 1);
  if (obj === undefined || obj === 'help') return fail(USAGE, obj === undefined ? 255 : 0);
  if (matches(obj, 'netns', 2)) return netnsCmd(ctx, args);
  if (ctx.target.kind === 'workstation') return fail('knp: ip runs inside a machine: give a target, e.g. knp exec FILE node/NAME -- ip addr\n', 1);
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail(`knp: no network namespace for this target (is the Pod running?)\n`, 1);
  const env: Env = { ctx, net: ctx.sim.net, ns, opts };
  if (matches(obj, 'address') || obj === 'addr') return addrCmd(env, args);
  if (matches(obj, 'link')) return linkCmd(env, args);
  if (matches(obj, 'route') || obj === 'r') return routeCmd(env, args);
  if (matches(obj, 'neighbour') || matches(obj, 'neighbor')) return neighCmd(env, args);
  return fail(`Object "${obj}" is unknown, try "ip help".\n`, 1);
};

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | link | neighbour | netns | route }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -br[ief] | -n[etns] name }
`;

interface Env {
  readonly ctx: ShellContext;
  readonly net: Network;
  readonly ns: NetNs;
  readonly opts: Opts;
}

const changed = (net: Network): CommandResult => {
  touch(net);
  return ok('', true);
};

/** `[dev] NAME` selection for show commands; undefined name = all links. */
function selectLinks(env: Env, args: readonly string[]): { links: Link[] } | { error: CommandResult } {
  let dev: string | undefined;
  let up = false;
  let type: string | undefined;
  let master: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'dev') dev = args[++i];
    else if (a === 'up') up = true;
    else if (a === 'type') type = args[++i];
    else if (a === 'master') master = args[++i];
    else if (a === 'label' || a === 'scope' || a === 'to') i++;
    else dev = a;
  }
  if (dev !== undefined) {
    const l = linkByName(env.ns, dev.split('@')[0]!);
    if (!l) return { error: fail(`Device "${dev}" does not exist.\n`, 1) };
    return { links: [l] };
  }
  if (master !== undefined && !linkByName(env.ns, master)) return { error: fail(`Device "${master}" does not exist.\n`, 1) };
  // `type` names iproute2's kinds; our ether NICs and loopback have no kind to match.
  const all = [...env.ns.links].sort((a, b) => a.ifindex - b.ifindex).filter((l) =>
    (!up || l.up) && (master === undefined || l.master === master) && (type === undefined || (l.kind === type && l.kind !== 'ether' && l.kind !== 'loopback')));
  return { links: all };
}

// ─── ip addr ────────────────────────────────────────────────────────────────────────────────

function addrCmd(env: Env, args: readonly string[]): CommandResult {
  const sub = args[0];
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    const sel = selectLinks(env, args.slice(sub === undefined ? 0 : 1));
    if ('error' in sel) return sel.error;
    if (env.opts.brief) return ok(showBrief(env.net, env.ns, sel.links, 'addr'));
    return ok(showAddrs(env.net, env.ns, sel.links, env.opts));
  }
  if (matches(sub, 'add') || matches(sub, 'replace') || matches(sub, 'delete')) {
    const del = matches(sub, 'delete');
    let spec: string | undefined;
    let dev: string | undefined;
    let brd: string | undefined;
    let label: string | undefined;
    const rest = args.slice(1);
    for (let i = 0; i < rest.length; i++) {
      const a = rest[i]!;
      if (a === 'dev') dev = rest[++i];
      else if (matches(a, 'broadcast', 3) || a === 'brd') brd = rest[++i];
      else if (a === 'label') label = rest[++i];
      else if (a === 'local') spec = rest[++i];
      else if (a === 'scope' || a === 'valid_lft' || a === 'preferred_lft' || a === 'peer' || a === 'metric') i++;
      else spec = a;
    }
    if (dev === undefined) return fail('Not enough information: "dev" argument is required.\n', 1);
    if (spec === undefined) return fail('Not enough information: "dev" argument is required.\n', 1);
    const parsed = parseAddrLen(spec);
    if (!parsed || parseIPv4(parsed.address) === null) return fail(`Error: any valid prefix is expected rather than "${spec}".\n`, 1);
    const link = linkByName(env.ns, dev);
    if (!link) return noDevice(dev);
    if (del) {
      const a = link.addrs.find((x) => x.address === parsed.address && (!spec.includes('/') || x.prefixLen === parsed.prefixLen));
      if (!a) return fail('Error: ipv4: Address not found.\n', 2);
      delAddr(env.ns, link, a);
      return changed(env.net);
    }
    const existing = link.addrs.find((x) => x.address === parsed.address && x.prefixLen === parsed.prefixLen);
    if (existing) {
      if (matches(sub, 'replace')) return ok('');
      return fail('Error: ipv4: Address already assigned.\n', 2);
    }
    let broadcast: string | undefined;
    if (brd === '+') broadcast = parsed.prefixLen < 31 ? formatIPv4(((parseIPv4(parsed.address)! | ~(parsed.prefixLen === 0 ? 0 : (0xffffffff << (32 - parsed.prefixLen)))) >>> 0)) : undefined;
    else if (brd !== undefined) broadcast = brd;
    const a: IfAddr = { ...v4Addr(parsed.address, parsed.prefixLen), ...(broadcast ? { broadcast } : {}), ...(label ? { label } : {}) };
    addAddr(env.ns, link, a);
    return changed(env.net);
  }
  if (matches(sub, 'flush')) {
    const sel = selectLinks(env, args.slice(1));
    if ('error' in sel) return sel.error;
    if (args.length < 2) return fail('Flush requires arguments.\n', 1);
    for (const l of sel.links) for (const a of [...l.addrs]) if (l.kind !== 'loopback') delAddr(env.ns, l, a);
    return changed(env.net);
  }
  return fail(`Command "${sub}" is unknown, try "ip address help".\n`, 1);
}

// ─── ip link ────────────────────────────────────────────────────────────────────────────────

function validIfname(name: string): boolean {
  return name.length > 0 && name.length <= IFNAMSIZ && !/[\s/:]/.test(name);
}

function linkCmd(env: Env, args: readonly string[]): CommandResult {
  const sub = args[0];
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    const sel = selectLinks(env, args.slice(sub === undefined ? 0 : 1));
    if ('error' in sel) return sel.error;
    if (env.opts.brief) return ok(showBrief(env.net, env.ns, sel.links, 'link'));
    return ok(showLinks(env.net, env.ns, sel.links, env.opts));
  }
  if (matches(sub, 'add')) return linkAdd(env, args.slice(1));
  if (matches(sub, 'delete')) {
    const rest = args.slice(1).filter((a) => a !== 'dev');
    const name = rest[0];
    if (name === undefined) return fail('Not enough information: "dev" argument is required.\n', 1);
    const link = linkByName(env.ns, name);
    if (!link) return noDevice(name);
    if (link.kind === 'loopback' || link.kind === 'ether') return RTNL('Operation not supported');
    delLink(env.net, env.ns, link);
    return changed(env.net);
  }
  if (matches(sub, 'set')) return linkSet(env, args.slice(1));
  return fail(`Command "${sub}" is unknown, try "ip link help".\n`, 1);
}

function linkAdd(env: Env, args: readonly string[]): CommandResult {
  let name: string | undefined;
  let type: string | undefined;
  let peer: string | undefined;
  let mtu: number | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'name' || a === 'dev') name = args[++i];
    else if (a === 'type') { type = args[++i]; i++; break; }
    else if (a === 'mtu') mtu = Number(args[++i]);
    else if (a === 'link' || a === 'address' || a === 'txqueuelen') i++;
    else name = a;
  }
  const typeArgs = args.slice(i);
  if (name === undefined) return fail('Not enough information: "dev" argument is required.\n', 1);
  if (!validIfname(name)) return fail(`Error: argument "${name}" is wrong: "name" not a valid ifname\n`, 1);
  if (type === undefined) return fail('Not enough information: "type" argument is required\n', 1);
  if (linkByName(env.ns, name)) return RTNL('File exists');
  const rand = env.ctx.sim.rand;
  switch (type) {
    case 'veth': {
      let peerNsName: string | undefined;
      for (let j = 0; j < typeArgs.length; j++) {
        const a = typeArgs[j]!;
        if (a === 'peer') continue;
        if (a === 'name') peer = typeArgs[++j];
        else if (a === 'netns') peerNsName = typeArgs[++j];
        else if (a === 'mtu' || a === 'address' || a === 'txqueuelen') j++;
        else if (peer === undefined) peer = a;
      }
      // `peer name P netns NS` creates the other end directly in NS (as CNI plugins do).
      const peerNs = peerNsName === undefined ? env.ns : namedNs(env.ctx.sim, env.ctx.target, peerNsName);
      if (!peerNs) return fail(`Cannot open network namespace "${peerNsName}": No such file or directory\n`, 1);
      peer ??= `veth${env.ns.links.filter((l) => /^veth\d+$/.test(l.name)).length}`;
      if (!validIfname(peer)) return fail(`Error: argument "${peer}" is wrong: "name" not a valid ifname\n`, 1);
      if (linkByName(peerNs, peer) || (peerNs === env.ns && peer === name)) return RTNL('File exists');
      addVethPair(env.ns, name, randomMac(rand), peerNs, peer, randomMac(rand), mtu ?? 1500, 1000);
      return changed(env.net);
    }
    case 'bridge': case 'dummy': {
      const l = addLink(env.ns, { name, kind: type, mac: randomMac(rand), mtu: mtu ?? 1500, qlen: 1000 });
      if (mtu !== undefined) l.mtuSet = true;
      return changed(env.net);
    }
    case 'vxlan': return vxlanAdd(env, name, typeArgs, mtu);
    default:
      return fail(`Error: Unknown device type.\n`, 2);
  }
}

/**
 * `ip link add NAME type vxlan id VNI [remote IP | group IP] [local IP] [dev D] [dstport P] [nolearning]`.
 * `remote` is kept as the kernel keeps it: an all-zeros FDB entry, the default destination.
 */
function vxlanAdd(env: Env, name: string, args: readonly string[], mtu: number | undefined): CommandResult {
  let vni: number | undefined;
  let remote: string | undefined;
  let local: string | undefined;
  let dev: string | undefined;
  let port: number | undefined;
  let learning = true;
  for (let j = 0; j < args.length; j++) {
    const a = args[j]!;
    const v = args[j + 1];
    if (a === 'id' || a === 'vni') { vni = Number(v); j++; }
    else if (a === 'remote' || a === 'group') { remote = v; j++; }
    else if (a === 'local') { local = v; j++; }
    else if (a === 'dev') { dev = v; j++; }
    else if (a === 'dstport') { port = Number(v); j++; }
    else if (a === 'nolearning') learning = false;
    else if (a === 'learning') learning = true;
    else if (a === 'ttl' || a === 'tos' || a === 'ageing' || a === 'srcport') j += a === 'srcport' ? 2 : 1;
  }
  if (vni === undefined || !Number.isInteger(vni) || vni < 0 || vni >= 2 ** 24) return fail('vxlan: missing virtual network identifier\n', 1);
  for (const ip of [remote, local]) if (ip !== undefined && parseIPv4(ip) === null) return fail(`Error: inet address is expected rather than "${ip}".\n`, 1);
  const lower = dev !== undefined ? linkByName(env.ns, dev) : undefined;
  if (dev !== undefined && !lower) return noDevice(dev);
  let warn = '';
  if (port === undefined) {
    warn = "vxlan: destination port not specified\nWill use Linux kernel default (non-standard value)\nUse 'dstport 4789' to get the IANA assigned value\nUse 'dstport 0' to get default and quiet this message\n";
    port = 8472;
  } else if (port === 0) port = 8472;
  const link = addLink(env.ns, { name, kind: 'vxlan', mac: randomMac(env.ctx.sim.rand), mtu: mtu ?? (lower ? lower.mtu - 50 : 1450), qlen: 1000 });
  link.vxlan = { vni, port, learning, ...(local !== undefined ? { local } : {}), ...(dev !== undefined ? { dev } : {}) };
  link.fdb = remote !== undefined ? [{ mac: '00:00:00:00:00:00', dev: name, dst: remote, permanent: true, updatedAt: env.ctx.sim.now }] : [];
  touch(env.net);
  return { stdout: '', stderr: warn, exitCode: 0, changed: true };
}

function linkSet(env: Env, args: readonly string[]): CommandResult {
  let name: string | undefined;
  const ops: [string, string?][] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'dev') name = args[++i];
    else if (a === 'up' || a === 'down' || a === 'nomaster') ops.push([a]);
    else if (a === 'netns' || a === 'master' || a === 'mtu' || a === 'name' || a === 'address' || a === 'txqueuelen' || a === 'qlen' || a === 'arp' || a === 'promisc') {
      const v = args[++i];
      if (v === undefined) return fail('Command line is not complete. Try option "help"\n', 255);
      ops.push([a, v]);
    } else if (name === undefined) name = a;
    else return fail(`Error: either "dev" is duplicate, or "${a}" is a garbage.\n`, 1);
  }
  if (name === undefined) return fail('Not enough information: "dev" argument is required.\n', 1);
  let link = linkByName(env.ns, name);
  if (!link) return noDevice(name);
  let ns = env.ns;
  for (const [op, v] of ops) {
    switch (op) {
      case 'up': case 'down': setUp(ns, link, op === 'up'); break;
      case 'nomaster': setMaster(ns, link, undefined); break;
      case 'master': {
        const br = linkByName(ns, v!);
        if (!br) return noDevice(v!);
        if (br.kind !== 'bridge') return fail('Error: Device does not allow enslaving to a master.\n', 2);
        if (br === link) return fail('Error: Can not enslave a device to itself.\n', 2);
        setMaster(ns, link, br);
        break;
      }
      case 'mtu': {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) return fail(`Error: argument "${v}" is wrong: Invalid "mtu" value\n`, 1);
        if (n < 68 || n > 65535) return fail(`Error: mtu less than device minimum.\n`, 2);
        link.mtu = n;
        if (link.kind === 'bridge') link.mtuSet = true;
        break;
      }
      case 'name': {
        if (!validIfname(v!)) return fail(`Error: argument "${v}" is wrong: "name" not a valid ifname\n`, 1);
        if (link.up) return RTNL('Device or resource busy');
        if (linkByName(ns, v!)) return RTNL('File exists');
        for (const p of ns.links) if (p.master === link.name) p.master = v!;
        link.name = v!;
        break;
      }
      case 'address':
        if (!isMac(v!)) return fail(`"${v}" is invalid lladdr.\n`, 1);
        link.mac = v!.toLowerCase();
        break;
      case 'netns': {
        const target = namedNs(env.ctx.sim, env.ctx.target, v!) ?? (v === '1' ? rootOf(env) : undefined);
        if (!target) return fail(`Cannot open network namespace "${v}": No such file or directory\n`, 1);
        if (target === ns) break;
        if (link.kind === 'loopback') return RTNL('Invalid argument');
        if (linkByName(target, link.name)) return RTNL('File exists');
        link = moveLink(env.net, ns, link, target);
        ns = target;
        break;
      }
      default: break;
    }
  }
  return changed(env.net);
}

function rootOf(env: Env): NetNs | undefined {
  const m = machineTarget(env.ctx.target);
  return m ? nsForTarget(env.ctx.sim, m) : undefined;
}

// ─── ip route ───────────────────────────────────────────────────────────────────────────────

function parseTable(s: string): number | undefined {
  if (s === 'local') return RT_TABLE_LOCAL;
  if (s === 'main') return RT_TABLE_MAIN;
  if (s === 'default') return 253;
  if (s === 'all' || s === 'unspec') return 0;
  const n = Number(s);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

function routeCmd(env: Env, args: readonly string[]): CommandResult {
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
      else if (a === 'proto' || a === 'protocol') { i++; keep.push((r) => (r.proto === 'felix' ? '80' : r.proto) === v); }
      else if (a === 'scope') { i++; keep.push((r) => r.scope === (v === 'universe' ? 'global' : v)); }
      else if (a === 'type') { i++; keep.push((r) => r.type === v); }
      else if (a === 'via') { i++; keep.push((r) => r.via === v); }
      else {
        // A bare PREFIX (or `to PREFIX`) selects that exact destination.
        const p = a === 'to' ? (i++, v) : a;
        if (p === undefined) continue;
        const norm = p === 'default' || p === '0/0' || p === '0.0.0.0/0' ? 'default' : parsePrefix(p.includes('/') ? p : `${p}/32`, true);
        if (norm === null) return fail(`Error: any valid prefix is expected rather than "${p}".\n`, 1);
        const dst = typeof norm === 'string' ? norm : `${formatIPv4(norm.base)}/${norm.len}`;
        keep.push((r) => r.dst === dst);
      }
    }
    if (dev !== undefined && !linkByName(env.ns, dev)) return fail(`Cannot find device "${dev}"\n`, 1);
    const view = keep.length ? { ...env.ns, routes: env.ns.routes.filter((r) => keep.every((k) => k(r))) } : env.ns;
    return ok(showRoutes(env.net, view, table, dev));
  }
  if (matches(sub, 'get')) return routeGet(env, args.slice(1));
  if (matches(sub, 'add') || matches(sub, 'delete') || matches(sub, 'replace') || matches(sub, 'change')) return routeChange(env, sub, args.slice(1));
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
  const dst = args.find((a, i) => i === 0 || !['from', 'iif', 'oif', 'mark', 'to'].includes(args[i - 1]!)) ?? args[args.indexOf('to') + 1];
  if (dst === undefined) return fail('need at least a destination address\n', 1);
  if (parseIPv4(dst.replace(/\/32$/, '')) === null) return fail(`Error: any valid prefix is expected rather than "${dst}".\n`, 1);
  const ip = dst.replace(/\/32$/, '');
  const res = fibLookup(env.ns, ip);
  if (!res) return RTNL('Network is unreachable');
  const r = res.route;
  if (r.type === 'blackhole' || r.type === 'unreachable' || r.type === 'prohibit') {
    return RTNL(r.type === 'blackhole' ? 'Invalid argument' : r.type === 'prohibit' ? 'Permission denied' : 'No route to host');
  }
  if (r.type === 'local') return ok(`local ${ip} dev lo table local ${res.src ? `src ${res.src} ` : ''}uid 0 \n    cache <local> \n`);
  if (r.type === 'broadcast') return ok(`broadcast ${ip} dev ${r.dev} table local ${res.src ? `src ${res.src} ` : ''}uid 0 \n    cache <local,brd> \n`);
  const table = r.table !== RT_TABLE_MAIN ? `table ${tableName(r.table)} ` : '';
  return ok(`${ip} ${r.via ? `via ${r.via} ` : ''}dev ${r.dev} ${table}src ${res.src ?? '0.0.0.0'} uid 0 \n    cache \n`);
}

function routeChange(env: Env, sub: string, args: readonly string[]): CommandResult {
  const del = matches(sub, 'delete');
  const replace = matches(sub, 'replace') || matches(sub, 'change');
  let type: Route['type'] = 'unicast';
  let dst: string | undefined;
  let via: string | undefined;
  let dev: string | undefined;
  let src: string | undefined;
  let metric: number | undefined;
  let table = RT_TABLE_MAIN;
  let onlink = false;
  let proto: Route['proto'] = 'boot';
  let scope: Route['scope'] | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === 'via') via = args[++i];
    else if (a === 'dev' || a === 'oif') dev = args[++i];
    else if (a === 'src') src = args[++i];
    else if (a === 'metric' || a === 'priority' || a === 'preference') metric = Number(args[++i]);
    else if (a === 'table') {
      const t = parseTable(args[++i] ?? '');
      if (t === undefined || t === 0) return fail(`Error: argument "${args[i]}" is wrong: "table" value is invalid\n`, 1);
      table = t;
    } else if (a === 'onlink') onlink = true;
    else if (a === 'proto' || a === 'protocol') {
      const p = args[++i];
      proto = p === 'static' || p === 'kernel' || p === 'bird' || p === 'dhcp' || p === 'boot' ? p : p === '80' ? 'felix' : 'static';
    } else if (a === 'scope') {
      const s = args[++i];
      scope = s === 'host' || s === 'link' ? s : 'global';
    } else if (a === 'blackhole' || a === 'unreachable' || a === 'prohibit' || a === 'local' || a === 'broadcast' || a === 'unicast') type = a;
    else if (a === 'to') dst = args[++i];
    else if (a === 'mtu' || a === 'advmss' || a === 'realm' || a === 'tos') i++;
    else dst = a;
  }
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
      const nh = fibLookup({ ...ns, routes: ns.routes.filter((r) => r.table === RT_TABLE_MAIN || r.table === RT_TABLE_LOCAL) }, via);
      const nhRoute = nh?.route;
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

function neighCmd(env: Env, args: readonly string[]): CommandResult {
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
    return ok(ns.neigh.filter((n) => n.family === 4 && (dev === undefined || n.dev === dev) && n.state !== 'NOARP').map((n) => formatNeigh(n, dev !== undefined)).join(''));
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
    const ip = rest.find((a, i) => i === 0 || !['lladdr', 'dev', 'nud', 'to', 'proxy'].includes(rest[i - 1]!)) ?? val('to');
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

// ─── ip netns ───────────────────────────────────────────────────────────────────────────────

function netnsCmd(ctx: ShellContext, args: readonly string[]): CommandResult {
  const sub = args[0];
  const m = machineTarget(ctx.target);
  const root = m ? nsForTarget(ctx.sim, m) : undefined;
  if (!m || !root) {
    if (ctx.target.kind === 'pod') return fail('mount --make-shared /run/netns failed: Operation not permitted\n', 1);
    return fail('knp: ip netns runs on a node or host: knp exec FILE host/NAME -- ip netns list\n', 1);
  }
  const here = nsForTarget(ctx.sim, ctx.target) ?? root;
  const named = [...ctx.sim.net.namespaces.values()].filter((ns) => ns.machine === root.id && ns.netnsName !== undefined);
  if (sub === undefined || matches(sub, 'list') || matches(sub, 'show')) {
    // /run/netns is a tmpfs: readdir lists the newest entry first.
    return ok(named.reverse().map((ns) => {
      const id = here.nsids?.get(ns.id);
      return `${ns.netnsName!}${id !== undefined ? ` (id: ${id})` : ''}\n`;
    }).join(''));
  }
  const name = args[1];
  if (matches(sub, 'add')) {
    if (name === undefined) return fail('No netns name specified\n', 1);
    if (name.includes('/') || name === '.' || name === '..') return fail(`Invalid netns name "${name}"\n`, 1);
    if (named.some((ns) => ns.netnsName === name)) return fail(`Cannot create namespace file "/var/run/netns/${name}": File exists\n`, 1);
    const ns = createNs(ctx.sim.net, namedNsId(root.id, name), { kind: 'netns', machine: m.name, name }, root.id);
    ns.netnsName = name;
    inheritSysctls(ns, root);
    touch(ctx.sim.net);
    return ok('', true);
  }
  if (matches(sub, 'delete')) {
    if (name === undefined) return fail('No netns name specified\n', 1);
    const ns = named.find((x) => x.netnsName === name);
    if (!ns) return fail(`Cannot remove namespace file "/var/run/netns/${name}": No such file or directory\n`, 1);
    // Destroying a namespace destroys its virtual devices (and so the other end of each veth).
    for (const l of [...ns.links]) if (l.kind === 'veth') delLink(ctx.sim.net, ns, l);
    ctx.sim.net.namespaces.delete(ns.id);
    ctx.sim.net.aliases?.delete(namedNsId(root.id, name));
    for (const other of ctx.sim.net.namespaces.values()) other.nsids?.delete(ns.id);
    touch(ctx.sim.net);
    return ok('', true);
  }
  if (matches(sub, 'exec')) {
    if (name === undefined) return fail('No netns name specified\n', 1);
    if (!named.some((x) => x.netnsName === name)) return fail(`Cannot open network namespace "${name}": No such file or directory\n`, 1);
    const cmd = args.slice(2);
    if (cmd.length === 0) return fail('No command specified\n', 1);
    return ctx.run({ ...m, netns: name } as Target, cmd);
  }
  if (matches(sub, 'identify')) return ok(here.netnsName ? `${here.netnsName}\n` : '\n');
  return fail(`Command "${sub}" is unknown, try "ip netns help".\n`, 1);
}

export const ipCommands: Record<string, Command> = { ip: ipCommand };
