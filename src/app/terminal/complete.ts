/**
 * Tab completion for the terminal: the first word completes to a command, later words to
 * targets (pod/NS/NAME, node/NAME…) and to object names `kubectl` takes. Pure, so it is tested
 * without a browser.
 */
export interface CompletionWords {
  readonly commands: readonly string[];
  readonly targets: readonly string[];
  readonly names: readonly string[];
}

export interface Completion {
  /** The line after completing (unchanged when nothing or several things match). */
  readonly line: string;
  /** Candidates to list when the word is ambiguous. */
  readonly options: readonly string[];
}

function commonPrefix(xs: readonly string[]): string {
  if (!xs.length) return '';
  let p = xs[0]!;
  for (const x of xs) while (!x.startsWith(p)) p = p.slice(0, -1);
  return p;
}

export function complete(line: string, words: CompletionWords): Completion {
  const m = /(\S*)$/.exec(line);
  const word = m?.[1] ?? '';
  const before = line.slice(0, line.length - word.length);
  const first = before.trim() === '' || /(\||&&|;)\s*$/.test(before);
  const pool = first ? words.commands : [...words.targets, ...words.names];
  const hits = [...new Set(pool.filter((w) => w.startsWith(word)))].sort();
  if (hits.length === 1) return { line: `${before}${hits[0]} `, options: [] };
  if (hits.length === 0) return { line, options: [] };
  const prefix = commonPrefix(hits);
  return { line: `${before}${prefix.length > word.length ? prefix : word}`, options: hits };
}
