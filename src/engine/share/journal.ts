/**
 * The journal: terminal commands that changed the simulation, in order, each with where it ran.
 * Replaying it on a Sim freshly built from the same YAML and seed gives the same state, so a
 * share link or a restored session shows what the learner saw.
 *
 * As text (`knp share --commands`, `knp open --commands`) it is what `knp shell` reads:
 * `use TARGET` lines switch the target, every other non-blank, non-# line is a command.
 */
import { runLine } from '../shell/run';
import type { Sim } from '../sim';
import { parseTarget, type CommandResult } from '../shell/types';
import type { JournalEntry } from './link';

export type { JournalEntry } from './link';

/** Runs each entry in order; returns each command's result (a bad target is exit 2, not a throw). */
export function replayJournal(sim: Sim, journal: readonly JournalEntry[]): CommandResult[] {
  return journal.map((j) => {
    const target = parseTarget(j.target);
    if (!target) return { stdout: '', stderr: `knp: unknown target "${j.target}"\n`, exitCode: 2 };
    return runLine(sim, target, j.line);
  });
}

export function formatJournal(journal: readonly JournalEntry[]): string {
  let out = '';
  let target: string | null = null;
  for (const j of journal) {
    if (j.target !== target) { out += `use ${j.target}\n`; target = j.target; }
    out += `${j.line}\n`;
  }
  return out;
}

export type ParsedJournal =
  | { readonly ok: true; readonly journal: JournalEntry[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

export function parseJournal(text: string): ParsedJournal {
  const journal: JournalEntry[] = [];
  let target = 'workstation';
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const use = /^use\s+(\S+)$/.exec(line);
    if (use) {
      if (!parseTarget(use[1]!)) return { ok: false, line: i + 1, message: `bad target "${use[1]}" (use node/NAME, pod/NS/NAME, host/NAME or workstation)` };
      target = use[1]!;
      continue;
    }
    journal.push({ target, line });
  }
  return { ok: true, journal };
}
