/**
 * `knp shell FILE`: command lines from standard input against one live simulation, so a change
 * made by one command is seen by the next. `use TARGET` switches where commands run.
 */
import { formatTarget, parseTarget, runLine, type Target } from '../../engine/index';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

export const shell: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed']);
  const file = args.positional[0];
  if (!file) { io.stderr('usage: knp shell FILE [--seed N]  (commands on standard input; "use TARGET" switches target)\n'); return 2; }
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  const lines = io.readLines();
  if (!lines) { io.stderr('knp shell: no standard input\n'); return 2; }
  let target: Target = { kind: 'workstation' };
  if (args.values.has('target') || args.positional[1]) {
    const t = parseTarget(args.values.get('target') ?? args.positional[1]!);
    if (t) target = t;
  }
  let last = 0;
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    if (line === 'exit' || line === 'quit') break;
    const use = /^use\s+(\S+)$/.exec(line);
    if (use) {
      const t = parseTarget(use[1]!);
      if (!t) { io.stderr(`knp shell: bad target "${use[1]}"\n`); last = 2; continue; }
      target = t;
      io.stderr(`# now on ${formatTarget(target)}\n`);
      continue;
    }
    const r = runLine(built.sim, target, line);
    io.stdout(r.stdout);
    io.stderr(r.stderr);
    last = r.exitCode;
  }
  return last;
};
