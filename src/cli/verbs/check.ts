/** `knp check FILE`: every diagnostic as FILE:LINE:COL: severity code: message; exit 1 on errors. */
import { formatDiagnostic, hasErrors } from '../../engine/index';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

export const check: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed']);
  const file = args.positional[0];
  if (!file) { io.stderr('usage: knp check FILE [--seed N] [--json]\n'); return 2; }
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  if (args.flags.has('json')) io.stdout(`${JSON.stringify(built.diagnostics, null, 2)}\n`);
  else for (const d of built.diagnostics) io.stdout(`${formatDiagnostic(d)}\n`);
  return hasErrors(built.diagnostics) ? 1 : 0;
};
