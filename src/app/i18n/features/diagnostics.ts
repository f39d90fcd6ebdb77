/**
 * The engine's diagnostics in both languages for i18next, keyed by their stable code: the table
 * lives in the engine (src/engine/i18n/diagnostics.ts) so the CLI renders the same sentences.
 * test/unit/app/diagnostics.test.ts fails if a code lacks a language or a sentence.
 */
import { DIAGNOSTIC_SENTENCES, DIAGNOSTIC_TITLES } from '../../../engine/i18n/diagnostics';
import { bilingual, type Tree } from './index';

function tree(lang: 1 | 2): Tree {
  const out: Record<string, Record<string, string>> = {};
  for (const row of DIAGNOSTIC_TITLES) out[row[0]] = { title: row[lang] };
  for (const s of DIAGNOSTIC_SENTENCES) out[s[0]] = { ...out[s[0]], ...s[lang] };
  return { diag: out };
}

export const diagnostics = bilingual(tree(1), tree(2));

/** Every code with a title (the test compares it with the codes the engine emits and documents). */
export const DIAGNOSTIC_CODES: readonly string[] = DIAGNOSTIC_TITLES.map((r) => r[0]);

export { DIAGNOSTIC_SENTENCES };
