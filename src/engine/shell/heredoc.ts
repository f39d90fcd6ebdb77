/**
 * Two pieces of the shell that `kubectl apply -f` needs to read a manifest typed in the
 * terminal: the here-document (`CMD <<EOF` … `EOF`, also `<<'EOF'` and `<<-EOF`) that becomes the
 * command's standard input, and the output redirection `> FILE` / `>> FILE` that writes a file
 * (`cat > nginx.yaml <<EOF`). Files live in the Sim (`userFiles`, per target) and `cat`,
 * `kubectl apply -f` and `kubectl delete -f` read them.
 */
import type { Sim } from '../sim';
import { formatTarget, type Target } from './types';

/** Splits "CMD <<EOF\nbody\nEOF" into the command line and the body; a line without `<<` is returned as is. */
export function splitHeredoc(text: string): { line: string; stdin?: string; error?: string } {
  const nl = text.indexOf('\n');
  const first = nl < 0 ? text : text.slice(0, nl);
  const m = /<<(-?)\s*(['"]?)([A-Za-z_][\w-]*)\2/.exec(first);
  if (!m || inQuotes(first, m.index)) return { line: text };
  const line = first.slice(0, m.index) + first.slice(m.index + m[0].length);
  const rest = nl < 0 ? [] : text.slice(nl + 1).split('\n');
  const body: string[] = [];
  for (const l of rest) {
    const cmp = m[1] ? l.replace(/^\t+/, '') : l;
    if (cmp === m[3]) return { line, stdin: body.map((b) => `${b}\n`).join('') };
    body.push(m[1] ? l.replace(/^\t+/, '') : l);
  }
  if (nl < 0) return { line, error: `warning: here-document delimited by end-of-file (wanted \`${m[3]}')` };
  return { line, stdin: body.map((b) => `${b}\n`).join('') };
}

function inQuotes(s: string, at: number): boolean {
  let q: string | null = null;
  for (let i = 0; i < at; i++) {
    const c = s[i];
    if (q) { if (c === q) q = null; } else if (c === "'" || c === '"') q = c;
  }
  return q !== null;
}

/** Takes a trailing `> FILE` or `>> FILE` off a command segment. */
export function splitRedirect(seg: string): { text: string; file?: string; append?: boolean } {
  const m = /(?:^|\s)(>>?)\s*([^\s>|&;'"]+)\s*$/.exec(seg);
  if (!m || inQuotes(seg, m.index)) return { text: seg };
  return { text: seg.slice(0, m.index), file: m[2]!, append: m[1] === '>>' };
}

/** "./a.yaml", "a.yaml" and "/root/a.yaml" on the workstation are the same file; keyed per target. */
export function fileKey(target: Target, path: string): string {
  let p = path.replace(/^\.\//, '');
  if (p.startsWith('~/')) p = p.slice(2);
  else if (p.startsWith('/root/')) p = p.slice(6);
  return `${formatTarget({ ...target, ...(target.kind === 'pod' ? { container: undefined } : {}) } as Target)}:${p}`;
}

export function readUserFile(sim: Sim, target: Target, path: string): string | null {
  return sim.userFiles?.get(fileKey(target, path)) ?? null;
}

export function writeUserFile(sim: Sim, target: Target, path: string, text: string, append = false): void {
  if (!sim.userFiles) sim.userFiles = new Map();
  const key = fileKey(target, path);
  sim.userFiles.set(key, (append ? sim.userFiles.get(key) ?? '' : '') + text);
}
