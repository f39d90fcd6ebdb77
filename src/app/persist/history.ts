/**
 * The history of the learner's work, as pure functions over a list (newest first): an edit
 * close in time to the previous edit version replaces it, anything else becomes a new version;
 * the list keeps the last MAX_VERSIONS. Opening a link or a file always adds a version and
 * never drops the learner's own.
 */
import type { JournalEntry } from '../../engine';
import type { HistoryItem } from '../store';

export const MAX_VERSIONS = 40;
/** Edits within this many ms of the newest edit version are folded into it. */
export const FOLD_MS = 20_000;

export interface Work {
  readonly yaml: string;
  readonly journal: readonly JournalEntry[];
}

export function sameWork(a: Work, b: Work): boolean {
  return a.yaml === b.yaml && a.journal.length === b.journal.length && a.journal.every((j, i) => j.target === b.journal[i]!.target && j.line === b.journal[i]!.line);
}

/** The history after the learner's work reached `work` at time `at`. */
export function recordEdit(history: readonly HistoryItem[], work: Work, at: number, newId: () => string): HistoryItem[] {
  const top = history[0];
  if (top && sameWork(top, work)) return [...history];
  const item: HistoryItem = { id: newId(), at, source: 'edit', yaml: work.yaml, journal: [...work.journal] };
  if (top && top.source === 'edit' && at - top.at < FOLD_MS && at >= top.at) return [{ ...item, id: top.id }, ...history.slice(1)];
  return [item, ...history].slice(0, MAX_VERSIONS);
}

/** The history after opening a link or file while the learner's own work is `own`. */
export function recordOpened(history: readonly HistoryItem[], own: Work | null, opened: Work, source: 'link' | 'file', at: number, newId: () => string): HistoryItem[] {
  let h = [...history];
  // Own work is kept as its own version, never folded into what was opened.
  if (own && !(h[0] && sameWork(h[0], own))) h = [{ id: newId(), at, source: 'edit', yaml: own.yaml, journal: [...own.journal] }, ...h];
  return [{ id: newId(), at, source, yaml: opened.yaml, journal: [...opened.journal] }, ...h].slice(0, MAX_VERSIONS);
}

/** Reads a stored history defensively: anything malformed is dropped, not trusted. */
export function readHistory(data: unknown): HistoryItem[] {
  if (!Array.isArray(data)) return [];
  return data.filter((d): d is HistoryItem => !!d && typeof d === 'object'
    && typeof d.id === 'string' && typeof d.at === 'number' && typeof d.yaml === 'string'
    && (d.source === 'edit' || d.source === 'link' || d.source === 'file')
    && Array.isArray(d.journal) && d.journal.every((j: unknown) => !!j && typeof (j as JournalEntry).target === 'string' && typeof (j as JournalEntry).line === 'string'))
    .slice(0, MAX_VERSIONS);
}

export function readWork(data: unknown): Work | null {
  if (!data || typeof data !== 'object') return null;
  const d = data as Work;
  if (typeof d.yaml !== 'string' || !Array.isArray(d.journal)) return null;
  if (!d.journal.every((j) => !!j && typeof j.target === 'string' && typeof j.line === 'string')) return null;
  return { yaml: d.yaml, journal: d.journal.map((j) => ({ target: j.target, line: j.line })) };
}
