/**
 * Commands every target has that belong to no particular subsystem: echo, true, false, help.
 * Text filters (grep, head, tail, wc, sort) are applied by the runner to piped output.
 */
import { ok, type Command } from './types';

export const basicCommands: Record<string, Command> = {
  echo: (_ctx, argv) => ok(`${argv.slice(1).filter((a) => a !== '-n').join(' ')}${argv[1] === '-n' ? '' : '\n'}`),
  true: () => ok(''),
  false: () => ({ stdout: '', stderr: '', exitCode: 1 }),
};
