/**
 * `sudo CMD...`: the seeds prefix their commands with it; every simulated shell is already root,
 * so sudo runs the command as it is (skipping sudo's own options).
 */
import { fail, type Command } from './types';

const WITH_VALUE = new Set(['-u', '-g', '-C', '-h', '-p', '-U', '-r', '-t', '-D']);

export const sudoCommand: Command = (ctx, argv) => {
  let i = 1;
  while (i < argv.length && argv[i]!.startsWith('-')) {
    if (argv[i] === '--') { i++; break; }
    i += WITH_VALUE.has(argv[i]!) ? 2 : 1;
  }
  const cmd = argv.slice(i);
  if (cmd.length === 0) return fail('usage: sudo -h | -K | -k | -V\nusage: sudo [-AbEHknPS] [-u user] command [arg ...]\n', 1);
  return ctx.run(ctx.target, cmd, ctx.stdin);
};

export const sudoCommands: Record<string, Command> = { sudo: sudoCommand };
