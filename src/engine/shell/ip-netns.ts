/**
 * `ip netns list|add|del|exec|identify`: the names under /run/netns of a node or host. Pods'
 * namespaces appear there under containerd's cni-UUID names; Docker's containers do not.
 * `exec` runs the rest of the line in the named namespace through ctx.run.
 */
import { namedNsId } from '../net/ids';
import { nsForTarget } from '../net/lookup';
import { createNs, delLink, inheritSysctls, touch } from '../net/mutate';
import { machineTarget, matches } from './ip-common';
import { fail, ok, type CommandResult, type ShellContext, type Target } from './types';
import { procByPid } from './procs';

// ─── ip netns ───────────────────────────────────────────────────────────────────────────────

export function netnsCmd(ctx: ShellContext, args: readonly string[]): CommandResult {
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
  if (matches(sub, 'identify')) {
    // `ip netns identify PID`: the /run/netns name of that process's namespace (a Pod's cni-… name).
    if (name !== undefined) {
      const proc = /^\d+$/.test(name) ? procByPid(ctx.sim, m, Number(name)) : undefined;
      if (!proc) return fail(`Cannot open network namespace: No such file or directory\n`, 1);
      const ns = nsForTarget(ctx.sim, proc.target);
      return ok(ns?.netnsName ? `${ns.netnsName}\n` : '\n');
    }
    return ok(here.netnsName ? `${here.netnsName}\n` : '\n');
  }
  return fail(`Command "${sub}" is unknown, try "ip netns help".\n`, 1);
}
