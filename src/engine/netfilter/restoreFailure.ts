/** A failed iptables-restore, described for the learner (see agents/restoreFailures.ts). */
import type { RestoreFailure, TableName } from './types';

/**
 * What a failed restore means for the machine: the writer of the offending line (from the
 * ruleset's line-by-line writers) and the tables left unloaded (iptables-restore applies each
 * table at its COMMIT, so the failing table and every later one keep their previous rules).
 */
export function describeRestoreFailure(machine: string, written: { readonly text: string; readonly writers: readonly string[] }, res: { line: number; error: string }): RestoreFailure {
  const lines = written.text.split('\n');
  const idx = Math.min(res.line, lines.length) - 1;
  let start = idx;
  while (start > 0 && !lines[start]!.startsWith('*')) start--;
  const tables: TableName[] = [];
  for (let i = start; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.startsWith('*')) tables.push(l.slice(1).trim() as TableName);
  }
  return { machine, writer: written.writers[idx] ?? 'iptables-restore', line: res.line, text: lines[idx] ?? '', error: res.error, tables };
}
