/**
 * `bridge` (iproute2): bridge ports and forwarding databases.
 *
 *   bridge link [show] [dev D]         the ports of every bridge, with their STP state
 *   bridge fdb [show] [br B] [dev D]   bridge FDBs (own addresses "permanent", learned ones) and
 *                                      VXLAN FDBs ("dst REMOTE self permanent", as flanneld writes)
 *   bridge fdb add|append|del MAC dev D [dst IP]
 */
import { isMac } from '../addr/mac';
import { linkByName, nsForTarget } from '../net/lookup';
import { touch } from '../net/mutate';
import type { FdbEntry, Link, NetNs } from '../net/types';
import { linkFlags } from '../net/linkstate';
import { linkDisplayName } from './ip-show';
import { fail, ok, type Command } from './types';

/** The bridge a port-level FDB entry belongs to, for "master BR". */
function fdbLine(owner: Link, e: FdbEntry): string {
  if (owner.kind === 'vxlan') return `${e.mac} dev ${owner.name} dst ${e.dst ?? '0.0.0.0'} self ${e.permanent ? 'permanent' : ''}\n`.replace(/ \n$/, '\n');
  return `${e.mac} dev ${e.dev} master ${owner.name} ${e.permanent ? 'permanent' : ''}\n`.replace(/ \n$/, ' \n');
}

export function showFdb(ns: NetNs, filter: { br?: string; dev?: string } = {}): string {
  let out = '';
  for (const l of [...ns.links].sort((a, b) => a.ifindex - b.ifindex)) {
    if (!l.fdb || (l.kind !== 'bridge' && l.kind !== 'vxlan')) continue;
    if (filter.br !== undefined && (l.kind !== 'bridge' || l.name !== filter.br)) continue;
    for (const e of l.fdb) {
      if (filter.dev !== undefined && e.dev !== filter.dev) continue;
      out += fdbLine(l, e);
    }
  }
  return out;
}

export const bridgeCommand: Command = (ctx, argv) => {
  const obj = argv[1];
  const sub = argv[2];
  const rest = argv.slice(3);
  if (ctx.target.kind === 'workstation') return fail('knp: bridge runs inside a machine: give a node, pod or host target\n', 1);
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail('knp: no network namespace for this target\n', 1);
  const val = (args: readonly string[], k: string): string | undefined => {
    const i = args.indexOf(k);
    return i >= 0 ? args[i + 1] : undefined;
  };
  if (obj === undefined) return fail('Usage: bridge [ OPTIONS ] OBJECT { COMMAND | help }\nwhere  OBJECT := { link | fdb | mdb | vlan | monitor }\n', 255);
  if ('link'.startsWith(obj)) {
    const args = argv.slice(2);
    const dev = val(args, 'dev');
    const ports = [...ns.links].filter((l) => l.master && (dev === undefined || l.name === dev)).sort((a, b) => a.ifindex - b.ifindex);
    return ok(ports.map((p) => `${p.ifindex}: ${linkDisplayName(ctx.sim.net, ns, p)}: <${linkFlags(ctx.sim.net, ns, p).join(',')}> mtu ${p.mtu} master ${p.master} state ${p.up ? 'forwarding' : 'disabled'} priority 32 cost 2 \n`).join(''));
  }
  if ('fdb'.startsWith(obj)) {
    if (sub === undefined || 'show'.startsWith(sub) || 'list'.startsWith(sub)) {
      const args = argv.slice(sub === undefined ? 2 : 3);
      const br = val(args, 'br');
      const dev = val(args, 'dev');
      if (br !== undefined && !linkByName(ns, br)) return fail(`Cannot find bridge device "${br}"\n`, 1);
      if (dev !== undefined && !linkByName(ns, dev)) return fail(`Cannot find device "${dev}"\n`, 1);
      const devLink = dev !== undefined ? linkByName(ns, dev) : undefined;
      // `dev flannel.1` shows the vxlan device's own table; `dev PORT` the bridge entries on that port.
      if (devLink?.kind === 'vxlan') return ok(showFdb(ns).split('\n').filter((l) => l.includes(` dev ${dev} `)).map((l) => `${l}\n`).join(''));
      return ok(showFdb(ns, { ...(br !== undefined ? { br } : {}), ...(dev !== undefined ? { dev } : {}) }));
    }
    if (sub === 'add' || sub === 'append' || sub === 'replace' || 'delete'.startsWith(sub)) {
      const mac = rest[0]?.toLowerCase();
      const dev = val(rest, 'dev');
      const dst = val(rest, 'dst');
      if (!mac || !isMac(mac)) return fail(`Invalid mac address ${rest[0] ?? ''}\n`, 255);
      if (dev === undefined) return fail('Device and address are required arguments.\n', 255);
      const link = linkByName(ns, dev);
      if (!link) return fail(`Cannot find device "${dev}"\n`, 1);
      const table = link.kind === 'vxlan' ? link : link.master ? linkByName(ns, link.master) : undefined;
      if (!table) return fail('RTNETLINK answers: Operation not supported\n', 2);
      table.fdb ??= [];
      const same = (e: FdbEntry): boolean => e.mac === mac && e.dev === dev && (sub !== 'append' || e.dst === dst);
      if ('delete'.startsWith(sub)) {
        const before = table.fdb.length;
        table.fdb = table.fdb.filter((e) => !(e.mac === mac && e.dev === dev && (dst === undefined || e.dst === dst)));
        if (table.fdb.length === before) return fail('RTNETLINK answers: No such file or directory\n', 2);
      } else {
        if (table.fdb.some(same) && sub === 'add') return fail('RTNETLINK answers: File exists\n', 2);
        table.fdb = table.fdb.filter((e) => !same(e));
        table.fdb.push({ mac, dev, permanent: true, updatedAt: ctx.sim.now, ...(dst !== undefined ? { dst } : {}) });
      }
      touch(ctx.sim.net);
      return ok('', true);
    }
    return fail(`Command "${sub}" is unknown, try "bridge fdb help".\n`, 255);
  }
  return fail(`Object "${obj}" is unknown, try "bridge help".\n`, 255);
};

export const bridgeCommands: Record<string, Command> = { bridge: bridgeCommand };

/** bridge-utils' brctl: `show [BR]` (each bridge, its id, STP, its ports one per line), addbr, delbr, addif, delif, showmacs. */
export const brctlCommand: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail('brctl: no network namespace here: give a node, pod or host target\n', 1);
  const sub = argv[1];
  const a = argv[2];
  const b = argv[3];
  const isBridge = (n: string | undefined): boolean => ns.links.some((l) => l.kind === 'bridge' && l.name === n);
  // The changes are the ip commands brctl's ioctls amount to; errors are brctl's own words.
  const via = (words: string[], onErr: string): ReturnType<Command> => {
    const r = ctx.run(ctx.target, words);
    return r.exitCode === 0 ? ok('', true) : fail(onErr, 1);
  };
  switch (sub) {
    case 'addbr':
      if (!a) return fail('Incorrect number of arguments for command\nUsage: brctl addbr <bridge>\tadd bridge\n', 1);
      if (ns.links.some((l) => l.name === a)) return fail(`device ${a} already exists; can't create bridge with the same name\n`, 1);
      return via(['ip', 'link', 'add', a, 'type', 'bridge'], `add bridge failed: ${a}\n`);
    case 'delbr':
      if (!a) return fail('Incorrect number of arguments for command\nUsage: brctl delbr <bridge>\tdelete bridge\n', 1);
      if (!isBridge(a)) return fail(`bridge ${a} doesn't exist; can't delete it\n`, 1);
      if (ns.links.find((l) => l.name === a)?.up) return fail(`bridge ${a} is still up; can't delete it\n`, 1);
      return via(['ip', 'link', 'del', a], `can't delete bridge ${a}\n`);
    case 'addif': case 'delif': {
      if (!a || !b) return fail(`Incorrect number of arguments for command\nUsage: brctl ${sub} <bridge> <device>\t${sub === 'addif' ? 'add' : 'delete'} interface ${sub === 'addif' ? 'to' : 'from'} bridge\n`, 1);
      if (!isBridge(a)) return fail(`bridge ${a} does not exist!\n`, 1);
      const dev = ns.links.find((l) => l.name === b);
      if (!dev) return fail(`interface ${b} does not exist!\n`, 1);
      if (sub === 'addif') {
        if (dev.master === a) return fail(`device ${b} is already a member of a bridge; can't enslave it to bridge ${a}.\n`, 1);
        if (dev.master) return fail(`device ${b} is already a member of a bridge; can't enslave it to bridge ${a}.\n`, 1);
        return via(['ip', 'link', 'set', b, 'master', a], `can't add ${b} to bridge ${a}\n`);
      }
      if (dev.master !== a) return fail(`device ${b} is not a slave of ${a}\n`, 1);
      return via(['ip', 'link', 'set', b, 'nomaster'], `can't delete ${b} from ${a}\n`);
    }
    case 'showmacs': {
      if (!a) return fail('Incorrect number of arguments for command\nUsage: brctl showmacs <bridge>\tshow a list of mac addrs\n', 1);
      const br = ns.links.find((l) => l.kind === 'bridge' && l.name === a);
      if (!br) return fail(`read of forward table failed: No such device\n`, 1);
      const ports = ns.links.filter((l) => l.master === a).sort((x, y) => x.ifindex - y.ifindex);
      const rows = (br.fdb ?? [])
        .map((e) => ({ e, port: ports.findIndex((p) => p.name === e.dev) + 1 }))
        .filter((r) => r.port > 0 && !(r.e.permanent && !r.e.local && !ports.some((p) => p.mac === r.e.mac)))
        .sort((x, y) => x.port - y.port || (x.e.mac < y.e.mac ? -1 : 1));
      let out = 'port no\tmac addr\t\tis local?\tageing timer\n';
      for (const { e, port } of rows) {
        const local = e.local || ports.some((p) => p.mac === e.mac);
        const age = local ? 0 : Math.max(0, (ctx.sim.now - e.updatedAt) / 1000);
        out += `${String(port).padStart(3)}\t${e.mac}\t${local ? 'yes' : 'no'}\t\t${age.toFixed(2).padStart(7)}\n`;
      }
      return ok(out);
    }
    case 'show': break;
    default: return fail(sub === undefined ? 'Usage: brctl [commands]\ncommands:\n\taddbr     \t<bridge>\t\tadd bridge\n\tdelbr     \t<bridge>\t\tdelete bridge\n\taddif     \t<bridge> <device>\tadd interface to bridge\n\tdelif     \t<bridge> <device>\tdelete interface from bridge\n\tshow      \t[ <bridge> ]\t\tshow a list of bridges\n\tshowmacs  \t<bridge>\t\tshow a list of mac addrs\n' : `never heard of command [${sub}]\n`, 1);
  }
  const only = argv[2];
  const bridges = ns.links.filter((l) => l.kind === 'bridge' && (only === undefined || l.name === only)).sort((a, b) => a.ifindex - b.ifindex);
  if (only !== undefined && bridges.length === 0) return fail(`bridge ${only} does not exist!\n`, 1);
  let out = 'bridge name\tbridge id\t\tSTP enabled\tinterfaces\n';
  for (const br of bridges) {
    const ports = ns.links.filter((l) => l.master === br.name).map((l) => l.name).sort();
    out += `${br.name}\t\t8000.${br.mac.replace(/:/g, '')}\tno\t\t${ports[0] ?? ''}\n`;
    for (const p of ports.slice(1)) out += `\t\t\t\t\t\t\t${p}\n`;
  }
  return ok(out);
};

export const brctlCommands: Record<string, Command> = { brctl: brctlCommand };
