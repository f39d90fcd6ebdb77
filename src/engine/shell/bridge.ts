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

/** bridge-utils' `brctl show [BR]`: each bridge, its id, STP, and its ports one per line. */
export const brctlCommand: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail('brctl: no network namespace here: give a node, pod or host target\n', 1);
  const sub = argv[1];
  if (sub !== 'show') return fail(sub === undefined ? 'Usage: brctl [commands]\n' : `never heard of command [${sub}]\n`, 1);
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
