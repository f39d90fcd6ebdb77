/**
 * The command table shared by `knp exec`, `knp shell` and the browser terminal. Each area of
 * the engine contributes its commands from its own file; this is the one place they meet.
 * To add a command: export it from your area's file and list that file's table here.
 */
import type { Command, StreamCommand } from './types';
import { textCommands } from './text';
import { procCommands } from './proctools';
import { webtoolCommands } from './webtools';
import { containerCommands } from './containers';
import { calicoCommands } from './calico';
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
  calicoCommands,
];

export const commands: ReadonlyMap<string, Command> = new Map(tables.flatMap((t) => Object.entries(t)));

/** Tools that keep running while other commands run (tcpdump, conntrack -E): see Stream in types.ts. */
const streamTables: readonly Readonly<Record<string, StreamCommand>>[] = [tcpdumpCommands, conntrackStreamCommands];

export const streamCommands: ReadonlyMap<string, StreamCommand> = new Map(streamTables.flatMap((t) => Object.entries(t)));

export function commandNames(): string[] {
  return [...new Set([...commands.keys(), ...streamCommands.keys()])].sort();
}
