/**
 * The journal: terminal commands that changed the simulation, in order, each with where it ran.
 * Replaying it on a Sim freshly built from the same YAML and seed gives the same state, so a
 * share link or a restored session shows what the learner saw.
 *
 * As text (`knp share --commands`, `knp open --commands`, `knp grade --commands`) it is what
 * `knp shell` reads: `use TARGET` lines switch the target, every other non-blank, non-# line is a
 * command (see parseJournal).
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
  | { readonly ok: true; readonly journal: JournalEntry[]; /** The 1-based line each entry starts on. */ readonly lines: number[] }
  | { readonly ok: false; readonly line: number; readonly message: string };

/**
 * The one journal text format, read by `knp share --commands`, `knp open --commands` (written
 * by formatJournal) and `knp grade --commands`; it is what `knp shell` reads on standard input:
 *
 * - `use TARGET` switches where the following commands run (start: workstation);
 * - `# ...` and blank lines are skipped;
 * - a here-document (`cat > f.yaml <<EOF` ... `EOF`) belongs to the command that opens it;
 * - every other line is a command. A line whose first word is a target (`node/node-1 iptables
 *   -L`, the first `knp grade` format) runs that one command there without switching.
 */
export function parseJournal(text: string): ParsedJournal {
  const journal: JournalEntry[] = [];
  const starts: number[] = [];
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
    let where = target;
    let command = line;
    const first = /^(\S+)\s+(.*)$/.exec(line);
    if (first && first[1]!.includes('/') && parseTarget(first[1]!)) { where = first[1]!; command = first[2]!; }
    else if (first && first[1] === 'workstation') { where = 'workstation'; command = first[2]!; }
    const tag = /<<-?\s*['"]?([A-Za-z_][\w-]*)/.exec(command);
    const at = i + 1;
    if (tag) {
      const body: string[] = [command];
      let closed = false;
      while (++i < lines.length) {
        const raw = lines[i]!.replace(/\r$/, '');
        body.push(raw);
        if (raw.replace(/^\t+/, '') === tag[1]) { closed = true; break; }
      }
      if (!closed) return { ok: false, line: at, message: `the here-document is not closed (no line "${tag[1]}")` };
      command = body.join('\n');
    }
    journal.push({ target: where, line: command });
    starts.push(at);
  }
  return { ok: true, journal, lines: starts };
}
