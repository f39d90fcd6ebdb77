/**
 * A Challenge's variables: drawn from the seed and written wherever `${NAME}` appears in the
 * file, before the documents are loaded, so two learners with different seeds get different
 * names, addresses or ports and cannot copy each other's answer. A file without a Challenge
 * (or without variables) is returned as it is.
 */
import type { Diagnostic } from './diagnostics';
import { parseYamlSource } from './source';
import { createRand } from '../util/rand';

export interface Expanded {
  readonly text: string;
  readonly values: Readonly<Record<string, string>>;
  readonly diagnostics: Diagnostic[];
}

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

export function expandVariables(file: string, text: string, seed: number): Expanded {
  if (!text.includes('${')) return { text, values: {}, diagnostics: [] };
  // ${NAME} inside a flow mapping is not YAML yet: read the variables with each reference
  // standing in as a plain word.
  const { docs } = parseYamlSource(file, text.replace(REF, (_, name: string) => `knpvar_${name}`));
  const doc = docs.find((d) => {
    const v = d.value as Record<string, unknown> | null;
    return !!v && typeof v === 'object' && v.kind === 'Challenge' && v.apiVersion === 'knp/v1alpha1';
  });
  const vars = ((doc?.value as { spec?: { variables?: unknown } } | undefined)?.spec?.variables ?? null) as Record<string, unknown> | null;
  if (!doc || !vars || typeof vars !== 'object') return { text, values: {}, diagnostics: [] };
  const rand = createRand(seed).fork('challenge-variables');
  const values: Record<string, string> = {};
  // Sorted, so adding a variable does not reshuffle the others' draws.
  for (const name of Object.keys(vars).sort()) {
    const v = vars[name] as { oneOf?: unknown; range?: unknown } | null;
    const pick = rand.fork(name);
    if (v && Array.isArray(v.oneOf) && v.oneOf.length) values[name] = String(v.oneOf[pick.int(v.oneOf.length)]);
    else if (v && Array.isArray(v.range) && typeof v.range[0] === 'number' && typeof v.range[1] === 'number' && v.range[1] >= v.range[0]) {
      values[name] = String(v.range[0] + pick.int(v.range[1] - v.range[0] + 1));
    }
  }
  const diagnostics: Diagnostic[] = [];
  const lines = text.split('\n');
  const out = lines.map((line, i) => line.replace(REF, (whole, name: string, col: number) => {
    const value = values[name];
    if (value !== undefined) return value;
    diagnostics.push({
      file, line: i + 1, col: col + 1, endLine: i + 1, endCol: col + 1 + whole.length, severity: 'error', code: 'challenge-unknown-variable',
      message: `\${${name}} is not one of the Challenge's variables (${Object.keys(values).join(', ') || 'none'})`,
      hint: `declare it under spec.variables, e.g. ${name}: {oneOf: [a, b]}`,
      params: { ref: whole, name, known: Object.keys(values).join(', ') || '-' },
    });
    return whole;
  }));
  return { text: out.join('\n'), values, diagnostics };
}
