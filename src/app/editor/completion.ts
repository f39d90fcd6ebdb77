/**
 * Tidies what monaco-yaml proposes before Monaco shows it. The scenario schema dispatches every
 * kind with an `if {apiVersion, kind}` rule, and the YAML language service proposes the keys of
 * each rule it walks: in an empty document "apiVersion" and "kind" came once per kind, dozens
 * of times. Here each label is offered once, and in an empty document the ready-made documents
 * (./snippets.ts) come first, in their own order. Pure, so a unit test drives it.
 */

export interface Proposal {
  readonly label: string | { readonly label: string };
  sortText?: string;
}

/** True when the YAML document (between `---` lines) holding `line` (1-based) has no content yet. */
export function documentIsEmpty(text: string, line: number): boolean {
  const lines = text.split('\n');
  const sep = (l: string | undefined) => l !== undefined && /^---\s*(#.*)?$/.test(l);
  let a = line - 1;
  while (a > 0 && !sep(lines[a - 1])) a--;
  let b = line - 1;
  while (b < lines.length - 1 && !sep(lines[b + 1])) b++;
  for (let i = a; i <= b; i++) {
    const l = lines[i] ?? '';
    if (sep(l) || i === line - 1) continue;
    if (l.trim() && !l.trim().startsWith('#')) return false;
  }
  // The line being typed on counts as empty while it holds a bare word (the prefix of a key).
  return /^\s*[\w-]*\s*$/.test(lines[line - 1] ?? '');
}

const labelOf = (p: Proposal): string => (typeof p.label === 'string' ? p.label : p.label.label);

/** Each label once (the first proposal wins); in an empty document, snippets first in `snippets` order. */
export function arrange<T extends Proposal>(items: readonly T[], opts: { readonly emptyDoc: boolean; readonly snippets: readonly string[] }): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  for (const it of items) {
    const l = labelOf(it);
    if (seen.has(l)) continue;
    seen.add(l);
    out.push(it);
  }
  if (!opts.emptyDoc) return out;
  const rank = new Map(opts.snippets.map((s, i) => [s, i]));
  for (const it of out) {
    const r = rank.get(labelOf(it));
    it.sortText = r !== undefined ? `0${String(r).padStart(3, '0')}` : `1${it.sortText ?? labelOf(it)}`;
  }
  return out.sort((x, y) => (x.sortText ?? '').localeCompare(y.sortText ?? ''));
}
