/** `knp exec FILE [TARGET] -- COMMAND [ARGS...]`: one simulated command, printed as the real tool prints it. */
import { parseTarget, runArgv, type Target } from '../../engine/index';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

export const exec: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed']);
  const [file, targetText] = args.positional;
  if (!file || !args.rest || args.rest.length === 0) {
    io.stderr('usage: knp exec FILE [TARGET] -- COMMAND [ARGS...]   (TARGET: node/NAME, pod/NS/NAME, pod/NAME, host/NAME)\n');
    return 2;
  }
  let target: Target = { kind: 'workstation' };
  if (targetText) {
    const t = parseTarget(targetText);
    if (!t) { io.stderr(`knp: bad target "${targetText}": use node/NAME, pod/NS/NAME, pod/NAME or host/NAME\n`); return 2; }
    target = t;
  }
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  const r = runArgv(built.sim, target, args.rest);
  io.stdout(r.stdout);
  io.stderr(r.stderr);
  return r.exitCode;
};
