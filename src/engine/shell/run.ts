/**
 * Runs one command line against the live simulation, the way a small POSIX shell would:
 * words split with quotes honoured, `A | B` pipes (B must be a text filter: grep, head, tail,
 * wc, sort, cat), `A && B`, `A ; B`, and `# comments`. Commands never throw: an unknown
 * command answers like bash does.
 */
import type { Sim } from '../sim';
import { commands } from './registry';
import { splitHeredoc, splitRedirect, writeUserFile } from './heredoc';
import { fail, ok, type CommandResult, type ShellContext, type Target } from './types';

/** Splits a line into words: '…' literal, "…" with \" escapes, backslash escapes outside quotes. */
export function splitWords(line: string): { words: string[]; error?: string } {
  const words: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) return { words, error: 'unexpected EOF while looking for matching `\'\'' };
      cur += line.slice(i + 1, j); has = true; i = j;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) { j++; }
        cur += line[j];
      }
      if (j >= line.length) return { words, error: 'unexpected EOF while looking for matching `"\'' };
      has = true; i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i]; has = true;
    } else if (c === ' ' || c === '\t') {
      if (has) { words.push(cur); cur = ''; has = false; }
    } else if (c === '#' && !has) {
      break;
    } else {
      cur += c; has = true;
    }
  }
  if (has) words.push(cur);
  return { words };
}

/** Splits a line on unquoted separators: returns segments with the operator that follows each. */
function splitOps(line: string): { text: string; op: '|' | '&&' | ';' | '' }[] {
  const out: { text: string; op: '|' | '&&' | ';' | '' }[] = [];
  let q: string | null = null;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (q) { if (c === q) q = null; else if (c === '\\' && q === '"') i++; continue; }
    if (c === "'" || c === '"') { q = c; continue; }
    if (c === '\\') { i++; continue; }
    if (c === '&' && line[i + 1] === '&') { out.push({ text: line.slice(start, i), op: '&&' }); start = i + 2; i++; continue; }
    if (c === '|' && line[i + 1] !== '|') { out.push({ text: line.slice(start, i), op: '|' }); start = i + 1; continue; }
    if (c === ';') { out.push({ text: line.slice(start, i), op: ';' }); start = i + 1; continue; }
  }
  out.push({ text: line.slice(start), op: '' });
  return out;
}

function filter(argv: readonly string[], input: string): CommandResult {
  const lines = input.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const join = (ls: string[]): string => (ls.length ? `${ls.join('\n')}\n` : '');
  const num = (flag: string, dflt: number): number => {
    const i = argv.indexOf(flag);
    if (i >= 0) return Number(argv[i + 1] ?? dflt);
    const short = argv.find((a) => /^-\d+$/.test(a));
    return short ? Number(short.slice(1)) : dflt;
  };
  switch (argv[0]) {
    case 'grep': {
      const flags = argv.slice(1).filter((a) => a.startsWith('-'));
      const pat = argv.slice(1).find((a) => !a.startsWith('-'));
      if (pat === undefined) return fail('Usage: grep [OPTION]... PATTERNS [FILE]...\n', 2);
      const i = flags.some((f) => f.includes('i'));
      const v = flags.some((f) => f.includes('v'));
      const fixed = flags.some((f) => f.includes('F'));
      let re: RegExp;
      try { re = new RegExp(fixed ? pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pat.replace(/\\\|/g, '|'), i ? 'i' : ''); } catch { return fail(`grep: Invalid regular expression\n`, 2); }
      const hit = lines.filter((l) => re.test(l) !== v);
      if (flags.some((f) => f.includes('c'))) return ok(`${hit.length}\n`);
      return hit.length ? ok(join(hit)) : { stdout: '', stderr: '', exitCode: 1 };
    }
    case 'head': return ok(join(lines.slice(0, num('-n', 10))));
    case 'tail': return ok(join(lines.slice(Math.max(0, lines.length - num('-n', 10)))));
    case 'wc': return ok(argv.includes('-l') ? `${lines.length}\n` : `${lines.length} ${input.split(/\s+/).filter(Boolean).length} ${input.length}\n`);
    case 'sort': { const s = [...lines].sort(); if (argv.includes('-r')) s.reverse(); return ok(join(s)); }
    case 'cat': return ok(input);
    default: return fail(`knp: only text filters (grep, head, tail, wc, sort) can read a pipe; "${argv[0] ?? ''}" cannot\n`, 1);
  }
}

/** Runs one argv in a target. The single dispatch point for every simulated command. */
export function runArgv(sim: Sim, target: Target, argv: readonly string[], stdin?: string): CommandResult {
  const name = argv[0];
  if (!name) return ok('');
  const cmd = commands.get(name);
  if (!cmd) return fail(`bash: ${name}: command not found\n`, 127);
  const ctx: ShellContext = { sim, target, ...(stdin !== undefined ? { stdin } : {}), run: (t, a) => runArgv(sim, t, a) };
  try {
    return cmd(ctx, argv);
  } catch (e) {
    // A command bug must never take the session down; report it like a crashed tool would.
    return fail(`${name}: internal error: ${(e as Error).message}\n`, 70);
  }
}

/** Runs a full command line (pipes, &&, ;). Output of each stage is concatenated like a terminal shows it. */
export function runLine(sim: Sim, target: Target, text: string): CommandResult {
  // A here-document (`CMD <<EOF` … `EOF`) is the first command's standard input (heredoc.ts).
  const hd = splitHeredoc(text);
  const line = hd.line;
  let stdin = hd.stdin;
  let stdout = '';
  let stderr = hd.error ? `bash: ${hd.error}\n` : '';
  let session: CommandResult['session'];
  let editor: CommandResult['editor'];
  let exitCode = 0;
  let changed = false;
  let piped: string | null = null;
  let skip = false;
  for (const seg of splitOps(line)) {
    const redirect = splitRedirect(seg.text);
    const { words, error } = splitWords(redirect.text.trim());
    if (error) return fail(`bash: ${error}\n`, 2);
    if (skip) { skip = seg.op === '&&' || seg.op === '|' ? skip : false; continue; }
    let r: CommandResult;
    if (piped !== null) r = filter(words, piped);
    else { r = runArgv(sim, target, words, stdin); stdin = undefined; }
    if (r.changed) changed = true;
    if (r.session) session = r.session;
    if (r.editor) editor = r.editor;
    if (redirect.file) { writeUserFile(sim, target, redirect.file, r.stdout, redirect.append); r = { ...r, stdout: '' }; }
    stderr += r.stderr;
    if (seg.op === '|') { piped = r.stdout; continue; }
    piped = null;
    stdout += r.stdout;
    exitCode = r.exitCode;
    if (seg.op === '&&' && exitCode !== 0) skip = true;
  }
  return { stdout, stderr, exitCode, ...(changed ? { changed } : {}), ...(session ? { session } : {}), ...(editor ? { editor } : {}) };
}
