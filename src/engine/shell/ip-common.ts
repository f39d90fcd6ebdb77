/**
 * What the `ip` subcommands share: iproute2's keyword matching and error texts, the command
 * environment (the namespace the target runs in), named-namespace lookup and link selection.
 */
import { nsForTarget, linkByName } from '../net/lookup';
import { namedNsId } from '../net/ids';
import { touch } from '../net/mutate';
import type { Link, NetNs, Network } from '../net/types';
import type { Sim } from '../sim';
import { fail, ok, type CommandResult, type ShellContext, type Target } from './types';

export const IFNAMSIZ = 15;

export interface Opts {
  brief: boolean;
  /** -o: one line per record, inner newlines shown as a backslash. */
  oneline?: boolean;
  details: boolean;
  stats: boolean;
  netns?: string;
  /** -4 / -6 / -f inet|inet6: the address family shown (absent: iproute2's default for the object). */
  family?: 4 | 6;
}

/** `iproute2`'s matches(): a word is accepted when it is a prefix of the full keyword. */
export function matches(word: string | undefined, full: string, min = 1): boolean {
  return word !== undefined && word.length >= min && full.startsWith(word);
}

export const RTNL = (msg: string): CommandResult => fail(`RTNETLINK answers: ${msg}\n`, 2);
export const noDevice = (d: string): CommandResult => fail(`Cannot find device "${d}"\n`, 1);

/** The target's machine root (node/NAME or host/NAME without a netns). */
export function machineTarget(t: Target): { kind: 'node' | 'host'; name: string } | undefined {
  if (t.kind === 'node' || t.kind === 'host') return { kind: t.kind, name: t.name };
  return undefined;
}

/** Named namespaces (`ip netns`) of the target's machine, by name. */
export function namedNs(sim: Sim, t: Target, name: string): NetNs | undefined {
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
export interface Env {
  readonly ctx: ShellContext;
  readonly net: Network;
  readonly ns: NetNs;
  readonly opts: Opts;
}

export const changed = (net: Network): CommandResult => {
  touch(net);
  return ok('', true);
};

/** `[dev] NAME` selection for show commands; undefined name = all links. */
export function selectLinks(env: Env, args: readonly string[]): { links: Link[] } | { error: CommandResult } {
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
