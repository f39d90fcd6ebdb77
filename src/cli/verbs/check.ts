/** `knp check FILE [--lang zh-CN|en]`: every diagnostic as FILE:LINE:COL: severity code: message; exit 1 on errors. */
import { formatDiagnostic, hasErrors } from '../../engine/index';
import { langFromEnv, type EngineLang } from '../../engine/i18n/messages';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

export const check: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed', 'lang']);
  const file = args.positional[0];
  if (!file) { io.stderr('usage: knp check FILE [--seed N] [--json] [--lang zh-CN|en]\n'); return 2; }
  const langArg = args.values.get('lang');
  if (langArg !== undefined && langArg !== 'en' && langArg !== 'zh-CN') { io.stderr(`knp: --lang must be zh-CN or en, not "${langArg}"\n`); return 2; }
  const lang: EngineLang = langArg ?? langFromEnv(io.env ?? {});
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  if (args.flags.has('json')) io.stdout(`${JSON.stringify(built.diagnostics, null, 2)}\n`);
  else for (const d of built.diagnostics) io.stdout(`${formatDiagnostic(d, lang)}\n`);
  return hasErrors(built.diagnostics) ? 1 : 0;
};
