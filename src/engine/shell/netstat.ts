/**
 * net-tools, still in many tutorials: `route -n` and `arp -n` over the FIB's main table and the
 * neighbour table, and `netstat` over a namespace's listening sockets: `netstat -lpn | grep :80` is how
 * the seeds show that a hostNetwork Pod's nginx listens in the node's own namespace.
 *
 *   netstat [-l] [-t] [-u] [-n] [-p] [-a]
 *
 * Only listening sockets exist in the simulation (connections live in the walk), so -a shows
 * the same as -l. Process ids are stable per owner and container (seeded by their names).
 */
import { formatIPv4, maskOf, parsePrefix } from '../addr/ip';
import { RT_TABLE_MAIN } from '../route/fib';
import { nsForTarget } from '../net/lookup';
import { sortRoutes } from './ip-show';
import type { Listener } from '../net/types';
import type { Sim } from '../sim';
import { daemonPid, pidFor } from './procs';
import { fail, ok, type Command } from './types';

/** The process behind a socket, as `PID/Program name` shows it. */
export function processOf(sim: Sim, l: Listener): { pid: number; name: string } {
  const name = programName(sim, l);
  // One process per container (all its sockets), one per daemon on a machine: the PIDs ps shows (procs.ts).
  if (l.container !== undefined && l.owner.startsWith('pod/')) {
    const [, ns, pod] = l.owner.split('/');
    const p = sim.model.pods.find((x) => x.meta.namespace === ns && x.meta.name === pod);
    if (p) return { pid: pidFor(`${p.meta.uid}/${l.container}`), name };
  }
  return { pid: daemonPid(l.owner.split('#')[0]!, name), name };
}

function programName(sim: Sim, l: Listener): string {
  switch (l.app.kind) {
    case 'dns': return l.owner.startsWith('pod/') ? 'coredns' : 'dnsmasq';
    case 'sshd': return 'sshd';
    case 'flanneld': return 'flanneld';
    case 'proxy': return 'kube-proxy';
    default: break;
  }
  if (!l.owner.startsWith('pod/')) return l.app.kind === 'http' && !l.owner.includes('#') && l.owner.startsWith('node/') ? l.app.name : 'server';
  const [, ns, name] = l.owner.split('/');
  const pod = sim.model.pods.find((p) => p.meta.namespace === ns && p.meta.name === name);
  const image = pod?.containers.find((c) => c.name === l.container)?.image ?? 'app';
  const base = image.split('@')[0]!.split('/').pop()!.split(':')[0]!;
  // nginx rewrites its process title; netstat shows the start of it.
  return base === 'nginx' ? 'nginx: master' : base;
}

export const netstatCommand: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail('netstat: no network namespace here: give a node, pod or host target\n', 1);
  let tcp = false;
  let udp = false;
  let listening = false;
  let prog = false;
  for (const a of argv.slice(1)) {
    if (a === '--tcp') tcp = true;
    else if (a === '--udp') udp = true;
    else if (a === '--listening' || a === '--all') listening = true;
    else if (a === '--program') prog = true;
    else if (a === '--numeric') continue;
    else if (a.startsWith('-') && !a.startsWith('--')) {
      for (const f of a.slice(1)) {
        if (f === 't') tcp = true;
        else if (f === 'u') udp = true;
        else if (f === 'l' || f === 'a') listening = true;
        else if (f === 'p') prog = true;
        else if (f === 'n' || f === 'e' || f === 'W') continue;
        else return fail(`netstat: invalid option -- '${f}'\n`, 1);
      }
    } else return fail(`netstat: unrecognized argument '${a}'\n`, 1);
  }
  if (!tcp && !udp) { tcp = true; udp = true; }
  const head = `Active Internet connections (${listening ? 'only servers' : 'w/o servers'})\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ${prog ? ' PID/Program name    ' : ''}\n`;
  if (!listening) return ok(head);
  const rows = ns.listeners
    .filter((l) => (l.protocol === 'tcp' && tcp) || (l.protocol === 'udp' && udp))
    .sort((a, b) => (a.protocol === b.protocol ? 0 : a.protocol === 'tcp' ? -1 : 1))
    .map((l) => {
      const p = processOf(ctx.sim, l);
      const state = l.protocol === 'tcp' ? 'LISTEN' : '';
      const pid = prog ? ` ${`${p.pid}/${p.name}`.padEnd(20)}` : '';
      return `${l.protocol.padEnd(4)}  ${'0'.padStart(6)} ${'0'.padStart(6)} ${`${l.address}:${l.port}`.padEnd(23)} ${'0.0.0.0:*'.padEnd(23)} ${state.padEnd(11)}${pid}`.replace(/\s+$/, '') + '\n';
    });
  return ok(head + rows.join(''));
};

/** `route [-n]`: the main table as the kernel's old /proc/net/route view (numeric only). */
export const routeCommand: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail('route: no network namespace here: give a node, pod or host target\n', 1);
  const bad = argv.slice(1).find((a) => !['-n', '-e', '-v', '--numeric'].includes(a));
  if (bad !== undefined) return fail(`route: ${bad.startsWith('-') ? `invalid option -- '${bad.replace(/^-+/, '')}'` : 'changing routes: use ip route add|del'}\n`, 4);
  let out = 'Kernel IP routing table\nDestination     Gateway         Genmask         Flags Metric Ref    Use Iface\n';
  for (const r of sortRoutes(ns.routes.filter((x) => x.table === RT_TABLE_MAIN && x.family === 4))) {
    const p = r.dst === 'default' ? { base: 0, len: 0 } : parsePrefix(r.dst, true);
    if (!p) continue;
    const reject = r.type === 'blackhole' || r.type === 'unreachable' || r.type === 'prohibit';
    const flags = `${reject ? '!' : 'U'}${r.via ? 'G' : ''}${p.len === 32 ? 'H' : ''}`;
    out += `${formatIPv4(p.base).padEnd(15)} ${(r.via ?? '0.0.0.0').padEnd(15)} ${formatIPv4(maskOf(p.len)).padEnd(15)} ${flags.padEnd(5)} ${String(r.metric ?? 0).padEnd(6)} ${(reject ? '-' : '0').padEnd(3)} ${'0'.padStart(6)} ${reject ? '-' : r.dev ?? '*'}\n`;
  }
  return ok(out);
};

/** `arp [-n]`: the neighbour table (C = complete, M = permanent). */
export const arpCommand: Command = (ctx, argv) => {
  const ns = nsForTarget(ctx.sim, ctx.target);
  if (!ns) return fail('arp: no network namespace here: give a node, pod or host target\n', 1);
  const bad = argv.slice(1).find((a) => !['-n', '-a', '-e', '-v'].includes(a));
  if (bad !== undefined) return fail(`arp: use ip neigh to change the table\n`, 1);
  let out = 'Address                  HWtype  HWaddress           Flags Mask            Iface\n';
  for (const n of ns.neigh) {
    if (n.family !== 4 || n.state === 'NOARP') continue;
    if (!n.mac || n.state === 'INCOMPLETE' || n.state === 'FAILED') {
      out += `${n.ip.padEnd(24)} ${'(incomplete)'.padEnd(28)} ${''.padEnd(21)} ${n.dev}\n`;
      continue;
    }
    const flags = n.state === 'PERMANENT' ? 'CM' : 'C';
    out += `${n.ip.padEnd(24)} ${'ether'.padEnd(7)} ${n.mac.padEnd(19)} ${flags.padEnd(5)} ${''.padEnd(15)} ${n.dev}\n`;
  }
  return ok(out);
};

export const netstatCommands: Record<string, Command> = { netstat: netstatCommand, route: routeCommand, arp: arpCommand };
