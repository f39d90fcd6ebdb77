/**
 * The command table shared by `knp exec`, `knp shell` and the browser terminal. Each area of
 * the engine contributes its commands from its own file; this is the one place they meet.
 * To add a command: export it from your area's file and list that file's table here.
 */
import { CNI_PLUGINS, cniOf } from '../cni/registry';
import { fail, type Command, type StreamCommand } from './types';
import { textCommands } from './text';
import { procCommands } from './proctools';
import { webtoolCommands } from './webtools';
import { containerCommands } from './containers';
import { tcpdumpCommands } from './tcpdump';
import { conntrackStreamCommands } from './conntrackEvents';
import { basicCommands } from './basics';
import { fileCommands } from './files';
import { ipCommands } from './ip';
import { bridgeCommands, brctlCommands } from './bridge';
import { sysctlCommands } from './sysctl';
import { sudoCommands } from './sudo';
import { netstatCommands } from './netstat';
import { nettoolCommands } from './nettools';
import { kubectlCommands } from './kubectl';
import { k8sCommands } from './k8sfiles';
import { ipvsCommands } from './ipvs';
import { dnsCommands } from './dns';
import { iptablesCommands } from './iptables';
import { nftCommands } from './nft';

/**
 * The network plugins' own tools (calicoctl, birdcl, ...), each living in its plugin's folder: the
 * name is known to the shell whatever the plugin, and runs the running plugin's tool; a cluster
 * whose plugin does not ship it answers as bash does for a program that is not installed.
 */
function pluginTools(): Record<string, Command> {
  const names = new Set(Object.values(CNI_PLUGINS).flatMap((p) => Object.keys(p.tools ?? {})));
  return Object.fromEntries([...names].map((name): [string, Command] => [name, (ctx, argv) => {
    const tool = cniOf(ctx.sim.model.spec).tools?.[name];
    return tool ? tool(ctx.sim, ctx.target, argv) : fail(`bash: ${name}: command not found\n`, 127);
  }]));
}

const tables: readonly Readonly<Record<string, Command>>[] = [
  basicCommands,
  fileCommands,
  ipCommands,
  bridgeCommands,
  brctlCommands,
  sysctlCommands,
  sudoCommands,
  netstatCommands,
  nettoolCommands,
  kubectlCommands,
  k8sCommands,
  ipvsCommands,
  dnsCommands,
  iptablesCommands,
  nftCommands,
  textCommands,
  procCommands,
  webtoolCommands,
  containerCommands,
  pluginTools(),
];

export const commands: ReadonlyMap<string, Command> = new Map(tables.flatMap((t) => Object.entries(t)));

/** Tools that keep running while other commands run (tcpdump, conntrack -E): see Stream in types.ts. */
const streamTables: readonly Readonly<Record<string, StreamCommand>>[] = [tcpdumpCommands, conntrackStreamCommands];

export const streamCommands: ReadonlyMap<string, StreamCommand> = new Map(streamTables.flatMap((t) => Object.entries(t)));

export function commandNames(): string[] {
  return [...new Set([...commands.keys(), ...streamCommands.keys()])].sort();
}
