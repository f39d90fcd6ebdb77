/**
 * `ip` (iproute2): show and change a namespace's links, addresses, routes and neighbours, and
 * manage named namespaces. Output and error messages follow iproute2 (formats in ip-show.ts);
 * every change goes through net/mutate.ts (the same operations the builder uses), bumps
 * net.generation and returns changed: true.
 *
 *   ip [-br] [-d] [-s] [-4] [-n NS] { link | addr | route | rule | neigh | netns } [COMMAND [ARGS]]
 */
import { formatIPv4, parseIPv4 } from '../addr/ip';
import { isMac } from '../addr/mac';
import { linkByName, nsForTarget } from '../net/lookup';
import {
  addAddr, addLink, addVethPair, delAddr, delLink, moveLink, parseAddrLen, randomMac, setMaster, setUp, touch, v4Addr,
} from '../net/mutate';
import type { IfAddr, NetNs } from '../net/types';
import {
  changed, IFNAMSIZ, machineTarget, matches, namedNs, noDevice, RTNL, selectLinks, type Env, type Opts,
} from './ip-common';
import { netnsCmd } from './ip-netns';
import { neighCmd, routeCmd } from './ip-route';
import { ruleCmd } from './ip-rule';
import { oneline, showAddrs, showAddrsOneline, showBrief, showLinks } from './ip-show';
import { fail, ok, type Command, type CommandResult, type Target } from './types';

export const ipCommand: Command = (ctx, argv) => {
  const opts: Opts = { brief: false, details: false, stats: false };
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) break;
    const flag = a.replace(/^--?/, '');
    if (flag === 'br' || matches(flag, 'brief', 2)) opts.brief = true;
    else if (flag === 'o' || matches(flag, 'oneline', 2)) opts.oneline = true;
    else if (matches(flag, 'details')) opts.details = true;
    else if (matches(flag, 'stats') || matches(flag, 'statistics')) opts.stats = true;
    else if (flag === '4') opts.family = 4;
    else if (flag === '6') opts.family = 6;
    else if (flag === 'f' || matches(flag, 'family', 2)) {
      const f = argv[++i];
      if (f === 'inet') opts.family = 4;
      else if (f === 'inet6') opts.family = 6;
      else return fail(`Error: argument "${f ?? ''}" is wrong: invalid protocol family\n`, 255);
    } else if (matches(flag, 'color') || flag === 'c') continue;
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
    return ctx.run({ ...m, netns: opts.netns } as Target, ['ip', ...(opts.family ? [`-${opts.family}`] : []), ...(opts.brief ? ['-br'] : []), ...(opts.oneline ? ['-o'] : []), ...(opts.details ? ['-d'] : []), ...(opts.stats ? ['-s'] : []), ...rest]);
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
  if (matches(obj, 'rule', 2)) return ruleCmd(env, args);
  if (matches(obj, 'neighbour') || matches(obj, 'neighbor')) return neighCmd(env, args);
  return fail(`Object "${obj}" is unknown, try "ip help".\n`, 1);
};

const USAGE = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | link | neighbour | netns | route | rule }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -br[ief] | -n[etns] name }
`;

// ─── ip addr ────────────────────────────────────────────────────────────────────────────────

function addrCmd(env: Env, args: readonly string[]): CommandResult {
  const sub = args[0];
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    const sel = selectLinks(env, args.slice(sub === undefined ? 0 : 1));
    if ('error' in sel) return sel.error;
    // -4 / -6: only that family's addresses, and only the links that have one (no link/ether line).
    const fam = env.opts.family;
    const links = fam ? sel.links.filter((l) => l.addrs.some((a) => a.family === fam)).map((l) => ({ ...l, addrs: l.addrs.filter((a) => a.family === fam) })) : sel.links;
    if (env.opts.brief) return ok(showBrief(env.net, env.ns, links, 'addr'));
    if (env.opts.oneline) return ok(showAddrsOneline(links));
    return ok(showAddrs(env.net, env.ns, links, { ...env.opts, ...(fam ? { noLinkLayer: true } : {}) }));
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
    if (env.opts.oneline) return ok(oneline(showLinks(env.net, env.ns, sel.links, env.opts)));
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
  // iproute2 resolves names and parses values before sending its one netlink request, so
  // these errors leave the link untouched.
  for (const [op, v] of ops) {
    if (op === 'master' && !linkByName(env.ns, v!)) return noDevice(v!);
    if (op === 'netns' && !namedNs(env.ctx.sim, env.ctx.target, v!) && !(v === '1' && rootOf(env))) return fail(`Cannot open network namespace "${v}": No such file or directory\n`, 1);
    if (op === 'mtu' && !/^\d+$/.test(v!)) return fail(`Error: argument "${v}" is wrong: Invalid "mtu" value\n`, 1);
    if (op === 'name' && !validIfname(v!)) return fail(`Error: argument "${v}" is wrong: "name" not a valid ifname\n`, 1);
    if (op === 'address' && !isMac(v!)) return fail(`"${v}" is invalid lladdr.\n`, 1);
  }
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
        // lo and bridges are netns-local (NETIF_F_NETNS_LOCAL): the kernel refuses to move them.
        if (link.kind === 'loopback' || link.kind === 'bridge') return RTNL('Invalid argument');
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

export const ipCommands: Record<string, Command> = { ip: ipCommand };
