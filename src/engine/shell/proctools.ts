/**
 * Looking at processes and namespaces the way the seeds do: `ps aux` / `ps -ef` (procps) on a
 * node or host and busybox `ps` in a Pod, `nsenter -t PID -n CMD`, `ls` and `readlink` of
 * /var/run/netns, /proc/PID/ns[/net], /etc/cni/net.d (the plugin's conflist) and /run/flannel.
 */
import { nsForTarget } from '../net/lookup';
import type { Sim } from '../sim';
import { wallClockMs } from '../util/clock';
import { hashString } from '../util/rand';
import { cniOf } from '../cni/registry';
import { readSimFile } from './files';
import { machineOf, machineProcs, pidFor, podProcs, procByPid, type Proc } from './procs';
import { fail, ok, type Command, type ShellContext, type Target } from './types';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

/** ps START/STIME: HH:MM today, MonDD before. */
function startText(ms: number, now: number): string {
  const d = new Date(ms);
  const today = new Date(now);
  return d.getUTCFullYear() === today.getUTCFullYear() && d.getUTCMonth() === today.getUTCMonth() && d.getUTCDate() === today.getUTCDate()
    ? `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}` : `${MONTHS[d.getUTCMonth()]}${p2(d.getUTCDate())}`;
}

function podOf(sim: Sim, t: Target): ReturnType<Sim['model']['pods']['find']> {
  return t.kind === 'pod' ? sim.model.pods.find((p) => p.meta.namespace === t.namespace && p.meta.name === t.name) : undefined;
}

// ---------------------------------------------------------------- ps

const ps: Command = (ctx, argv) => {
  const now = wallClockMs(ctx.sim);
  const self = argv.join(' ');
  const pod = podOf(ctx.sim, ctx.target);
  if (pod) {
    // Inside a container: its own PID namespace, busybox's ps. PID 1 is the container's process.
    const t = ctx.target as Extract<Target, { kind: 'pod' }>;
    const mine = podProcs(pod).find((p) => p.container === (t.container ?? pod.containers[0]?.name));
    const rows = [`${'1'.padStart(5)} ${'root'.padEnd(8)} ${'0:00'.padStart(5)} ${mine?.cmd ?? 'sh'}`, `${'7'.padStart(5)} ${'root'.padEnd(8)} ${'0:00'.padStart(5)} ${self}`];
    return ok(`PID   USER     TIME  COMMAND\n${rows.join('\n')}\n`);
  }
  const m = machineOf(ctx.sim, ctx.target);
  if (!m) return fail('ps: this terminal is your workstation: run it on a node or host (knp exec FILE node/NAME -- ps aux)\n', 1);
  const procs: Proc[] = [...machineProcs(ctx.sim, m), { pid: 31337, ppid: 31300, user: 'root', cmd: self, target: ctx.target, startMs: now }];
  const flags = argv.slice(1).join(' ');
  const bsd = /^a?u?x?$/.test(flags.replace(/^-/, '')) && flags.includes('u');
  if (bsd) {
    let out = 'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n';
    for (const p of procs) {
      const isSelf = p.pid === 31337;
      const vsz = isSelf ? 11000 : 100000 + (hashString(p.cmd) % 900000);
      const rss = isSelf ? 4300 : 4000 + (hashString(`${p.cmd}rss`) % 60000);
      out += `${p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${'0.0'.padStart(4)} ${'0.1'.padStart(4)} ${String(vsz).padStart(6)} ${String(rss).padStart(5)} ${(isSelf ? 'pts/0' : '?').padEnd(8)} ${(isSelf ? 'R+' : p.user === '101' ? 'S' : p.pid === 1 || p.cmd.startsWith('nginx: master') ? 'Ss' : 'Ssl').padEnd(4)} ${startText(p.startMs, now).padStart(5)} ${'0:00'.padStart(6)} ${p.cmd}\n`;
    }
    return ok(out);
  }
  let out = 'UID          PID    PPID  C STIME TTY          TIME CMD\n';
  for (const p of procs) {
    const isSelf = p.pid === 31337;
    out += `${p.user.padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)}  0 ${startText(p.startMs, now).padEnd(5)} ${(isSelf ? 'pts/0' : '?').padEnd(8)} 00:00:00 ${p.cmd}\n`;
  }
  return ok(out);
};

// ---------------------------------------------------------------- nsenter

const NSENTER_USAGE = '\nUsage:\n nsenter [options] [<program> [<argument>...]]\n\nRun a program with namespaces of other processes.\n';

const nsenter: Command = (ctx, argv) => {
  let pid: number | undefined;
  let netPath: string | undefined;
  let i = 1;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { i++; break; }
    if (!a.startsWith('-')) break;
    if (a === '-t' || a === '--target') { pid = Number(argv[++i]); continue; }
    if (a.startsWith('--target=')) { pid = Number(a.slice(9)); continue; }
    if (a.startsWith('--net=') || a.startsWith('--network=')) { netPath = a.slice(a.indexOf('=') + 1); continue; }
    if (/^-t\d+$/.test(a)) { pid = Number(a.slice(2)); continue; }
    if (/^-[nmuipUCTa]+$/.test(a) || ['--net', '--mount', '--uts', '--ipc', '--pid', '--all'].includes(a)) {
      // -n etc.; a bundled -t at the end takes the next word ("-nt PID" is not valid; "-t PID" is).
      continue;
    }
    return fail(`nsenter: unrecognized option '${a}'\nTry 'nsenter --help' for more information.\n`, 1);
  }
  const cmd = argv.slice(i);
  const m = machineOf(ctx.sim, ctx.target);
  if (!m || ctx.target.kind === 'pod') return fail('nsenter: reassociate to namespace \'ns/net\' failed: Operation not permitted\n', 1);
  let target: Target | undefined;
  if (netPath !== undefined) {
    const named = /^\/(?:var\/)?run\/netns\/(.+)$/.exec(netPath);
    const proc = /^\/proc\/(\d+)\/ns\/net$/.exec(netPath);
    if (named) {
      const root = nsForTarget(ctx.sim, { kind: m.kind, name: m.name } as Target);
      const ok2 = root && [...ctx.sim.net.namespaces.values()].some((ns) => ns.machine === root.id && ns.netnsName === named[1]);
      if (!ok2) return fail(`nsenter: cannot open ${netPath}: No such file or directory\n`, 1);
      target = { kind: m.kind, name: m.name, netns: named[1]! } as Target;
    } else if (proc) pid = Number(proc[1]);
    else return fail(`nsenter: cannot open ${netPath}: No such file or directory\n`, 1);
  }
  if (!target) {
    if (pid === undefined || !Number.isInteger(pid)) return fail(`nsenter: neither filename nor target pid supplied for ns/net\n${NSENTER_USAGE}`, 1);
    const p = procByPid(ctx.sim, { kind: m.kind, name: m.name } as Target, pid);
    if (!p) return fail(`nsenter: cannot open /proc/${pid}/ns/net: No such file or directory\n`, 1);
    target = p.target;
  }
  if (cmd.length === 0) return fail(`knp: nsenter without a command would start an interactive shell; give the command: nsenter -t ${pid ?? 'PID'} -n ip addr\n`, 1);
  return ctx.run(target, cmd, ctx.stdin);
};

// ---------------------------------------------------------------- ls, readlink

/** The inode of a network namespace as /proc/PID/ns/net reads (init_net is 4026531840). */
function netInode(sim: Sim, t: Target): number {
  const ns = nsForTarget(sim, t);
  if (!ns) return 0;
  return ns.id === ns.machine ? 4026531840 : 4026532000 + (hashString(ns.id) % 1000) * 8;
}

const NS_KINDS = ['cgroup', 'ipc', 'mnt', 'net', 'pid', 'pid_for_children', 'time', 'time_for_children', 'user', 'uts'];

interface Entry { name: string; link?: string }

function listDir(ctx: ShellContext, path: string): { dir: boolean; entries: Entry[] } | null {
  const sim = ctx.sim;
  const m = machineOf(sim, ctx.target);
  const clean = path.replace(/\/+$/, '') || '/';
  const onMachine = ctx.target.kind === 'node' || ctx.target.kind === 'host';
  if ((clean === '/var/run/netns' || clean === '/run/netns') && onMachine && m) {
    const root = nsForTarget(sim, { kind: m.kind, name: m.name } as Target);
    const names = root ? [...sim.net.namespaces.values()].filter((ns) => ns.machine === root.id && ns.netnsName !== undefined).map((ns) => ns.netnsName!) : [];
    return { dir: true, entries: names.sort().map((name) => ({ name })) };
  }
  const pidM = /^\/proc\/(\d+|self)\/ns(?:\/(\w+))?$/.exec(clean);
  if (pidM) {
    let t: Target | undefined;
    if (pidM[1] === 'self') t = ctx.target;
    else if (ctx.target.kind === 'pod') t = pidM[1] === '1' ? ctx.target : undefined;
    else t = m ? procByPid(sim, ctx.target, Number(pidM[1]))?.target : undefined;
    if (!t) return null;
    const link = (k: string): string => `${k}:[${k === 'net' ? netInode(sim, t!) : 4026531830 + NS_KINDS.indexOf(k) + (hashString(`${pidM[1]}${k}`) % 4) * 0}]`;
    if (pidM[2]) return NS_KINDS.includes(pidM[2]) ? { dir: false, entries: [{ name: clean, link: link(pidM[2]) }] } : null;
    return { dir: true, entries: NS_KINDS.map((k) => ({ name: k, link: link(k) })) };
  }
  if (clean === '/etc/cni/net.d' && ctx.target.kind === 'node') return { dir: true, entries: [{ name: cniOf(sim.model.spec).conflistFile }] };
  if (clean === '/run/flannel' && readSimFile(ctx, '/run/flannel/subnet.env') !== null) return { dir: true, entries: [{ name: 'subnet.env' }] };
  if (readSimFile(ctx, clean) !== null) return { dir: false, entries: [{ name: clean }] };
  return null;
}

const ls: Command = (ctx, argv) => {
  const flags = argv.slice(1).filter((a) => a.startsWith('-')).join('');
  const paths = argv.slice(1).filter((a) => !a.startsWith('-'));
  const long = flags.includes('l');
  const one = flags.includes('1');
  const stamp = (() => { const d = new Date(wallClockMs(ctx.sim)); return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}`; })();
  if (paths.length === 0) return ok('');
  let out = '';
  let err = '';
  const many = paths.length > 1;
  for (const path of paths) {
    const r = listDir(ctx, path);
    if (!r) { err += `ls: cannot access '${path}': No such file or directory\n`; continue; }
    if (many && r.dir) out += `${out ? '\n' : ''}${path}:\n`;
    if (long) {
      if (r.dir) out += `total 0\n`;
      for (const e of r.entries) {
        out += e.link !== undefined
          ? `lrwxrwxrwx 1 root root 0 ${stamp} ${e.name} -> '${e.link}'\n`
          : `${path.includes('netns') ? '-r--r--r--' : '-rw-r--r--'} 1 root root ${path.includes('netns') ? 0 : (readSimFile(ctx, r.dir ? `${path.replace(/\/+$/, '')}/${e.name}` : e.name)?.length ?? 0)} ${stamp} ${e.name}\n`;
      }
    } else if (r.entries.length) out += one ? r.entries.map((e) => `${e.name}\n`).join('') : `${r.entries.map((e) => e.name).join('  ')}\n`;
  }
  return { stdout: out, stderr: err, exitCode: err ? 2 : 0 };
};

const readlink: Command = (ctx, argv) => {
  const path = argv.slice(1).find((a) => !a.startsWith('-'));
  if (!path) return fail("readlink: missing operand\nTry 'readlink --help' for more information.\n", 1);
  const r = listDir(ctx, path);
  const link = r && !r.dir ? r.entries[0]?.link : undefined;
  return link ? ok(`${link}\n`) : { stdout: '', stderr: '', exitCode: 1 };
};

export const procCommands: Record<string, Command> = { ps, nsenter, ls, readlink };
