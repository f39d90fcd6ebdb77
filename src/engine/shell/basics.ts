/**
 * Commands every target has that belong to no particular subsystem: echo, printf, true, false,
 * date (the simulation's clock), sleep (returns at once, moving the simulation's clock on by that
 * long: ages, kubelet's restarts of a crashing container and conntrack timeouts follow it).
 * Text tools (grep, head, awk, ...) are in text.ts; the shell language itself is run.ts.
 */
import { formatDate, wallClockMs } from '../util/clock';
import { fail, ok, type Command } from './types';

/** echo's -e escapes and printf's. */
function escapes(s: string): string {
  return s.replace(/\\(n|t|\\|r)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c === 'r' ? '\r' : '\\'));
}

export const basicCommands: Record<string, Command> = {
  echo: (_ctx, argv) => {
    let i = 1;
    let newline = true;
    let esc = false;
    for (; i < argv.length && /^-[neE]+$/.test(argv[i]!); i++) { if (argv[i]!.includes('n')) newline = false; if (argv[i]!.includes('e')) esc = true; }
    const text = argv.slice(i).join(' ');
    return ok(`${esc ? escapes(text) : text}${newline ? '\n' : ''}`);
  },
  printf: (_ctx, argv) => {
    if (argv.length < 2) return fail('printf: usage: printf [-v var] format [arguments]\n', 2);
    const fmt = escapes(argv[1]!);
    const args = argv.slice(2);
    let out = '';
    let k = 0;
    do {
      out += fmt.replace(/%([sd%])/g, (_, c: string) => (c === '%' ? '%' : c === 'd' ? String(Number(args[k++] ?? 0) || 0) : args[k++] ?? ''));
    } while (k < args.length && /%[sd]/.test(fmt));
    return ok(out);
  },
  date: (ctx, argv) => {
    const now = wallClockMs(ctx.sim);
    if (argv[1] === '+%s') return ok(`${Math.floor(now / 1000)}\n`);
    return ok(`${formatDate(now)}\n`);
  },
  sleep: (ctx, argv) => {
    if (argv[1] === undefined) return fail("sleep: missing operand\nTry 'sleep --help' for more information.\n", 1);
    // GNU sleep: NUMBER[smhd], several add up; `infinity` would never return (here: at once).
    let ms = 0;
    for (const a of argv.slice(1)) {
      if (a === 'infinity' || a === 'inf') return ok('');
      const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a);
      if (!m) return fail(`sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`, 1);
      ms += Number(m[1]) * 1000 * ({ '': 1, s: 1, m: 60, h: 3600, d: 86400 } as Record<string, number>)[m[2]!]!;
    }
    ctx.sim.now += Math.round(ms);
    return ok('', ms > 0);
  },
  true: () => ok(''),
  false: () => ({ stdout: '', stderr: '', exitCode: 1 }),
};
