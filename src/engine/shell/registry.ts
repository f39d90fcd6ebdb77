/**
 * The command table shared by `knp exec`, `knp shell` and the browser terminal. Each area of
 * the engine contributes its commands from its own file; this is the one place they meet.
 * To add a command: export it from your area's file and list that file's table here.
 */
import type { Command } from './types';
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
];

export const commands: ReadonlyMap<string, Command> = new Map(tables.flatMap((t) => Object.entries(t)));

export function commandNames(): string[] {
  return [...commands.keys()].sort();
}
