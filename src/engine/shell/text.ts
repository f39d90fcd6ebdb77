/**
 * Text tools as coreutils, grep and awk print them: grep (-i -v -E -F -c -n -o -w -q -e, -A/-B/-C
 * with "--" between groups), head, tail, wc, sort, uniq, cut, awk ('{print $N}' and friends), tr,
 * tee, seq. Each reads the pipe (ctx.stdin) or, given paths, the simulated files `cat` can read.
 */
import { readSimFile } from './files';
import { fail, ok, type Command, type CommandResult, type ShellContext } from './types';

const lines = (text: string): string[] => {
  const ls = text.split('\n');
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
};
const join = (ls: readonly string[]): string => (ls.length ? `${ls.join('\n')}\n` : '');

/** The text a tool reads: its files (in order) or its standard input. */
function input(ctx: ShellContext, tool: string, files: readonly string[]): { text: string; err: string } {
  if (files.length === 0 || (files.length === 1 && files[0] === '-')) return { text: ctx.stdin ?? '', err: '' };
  let text = '';
  let err = '';
  for (const f of files) {
    const t = f === '-' ? ctx.stdin ?? '' : readSimFile(ctx, f);
    if (t === null) err += `${tool}: ${f}: No such file or directory\n`;
    else text += t;
  }
  return { text, err };
}

/** Splits short options: "-iv" → -i -v; valued letters take the rest of the word or the next word. */
function opts(argv: readonly string[], valued: string): { flags: Map<string, string>; rest: string[]; bad?: string } {
  const flags = new Map<string, string>();
  const rest: string[] = [];
  let only = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (only || a === '-' || !a.startsWith('-')) { rest.push(a); continue; }
    if (a === '--') { only = true; continue; }
    if (a.startsWith('--')) { const [k, v] = a.slice(2).split('='); flags.set(`--${k}`, v ?? ''); continue; }
    if (/^-\d+$/.test(a)) { flags.set('n', a.slice(1)); continue; }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      if (valued.includes(c)) {
        const v = j + 1 < a.length ? a.slice(j + 1) : argv[++i];
        if (v === undefined) return { flags, rest, bad: c };
        flags.set(c, v);
        break;
      }
      flags.set(c, '');
    }
  }
  return { flags, rest };
}

// ---------------------------------------------------------------- grep

/** A POSIX basic/extended regular expression as a JavaScript one (the parts people type). */
export function posixRegex(pat: string, extended: boolean, fixed: boolean, icase: boolean, word: boolean): RegExp {
  let src: string;
  if (fixed) src = pat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  else if (extended) src = pat;
  else {
    // BRE: \| \+ \? \( \) \{ \} are the operators; bare | + ? ( ) { } are literal.
    src = '';
    for (let i = 0; i < pat.length; i++) {
      const c = pat[i]!;
      if (c === '\\' && i + 1 < pat.length) {
        const n = pat[++i]!;
        src += '|+?(){}'.includes(n) ? n : `\\${n}`;
      } else src += '|+?(){}'.includes(c) ? `\\${c}` : c;
    }
  }
  src = src.replace(/\[\[:(alpha|digit|alnum|space|upper|lower|punct):\]\]/g, (_, k: string) => ({ alpha: '[A-Za-z]', digit: '[0-9]', alnum: '[A-Za-z0-9]', space: '\\s', upper: '[A-Z]', lower: '[a-z]', punct: '[!-/:-@[-`{-~]' } as Record<string, string>)[k]!);
  if (word) src = `(?<![A-Za-z0-9_])(?:${src})(?![A-Za-z0-9_])`;
  return new RegExp(src, icase ? 'gi' : 'g');
}

const grep: Command = (ctx, argv) => {
  const { flags, rest, bad } = opts(argv.slice(1), 'ABCem');
  if (bad) return fail(`grep: option requires an argument -- '${bad}'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n`, 2);
  const pats = flags.has('e') ? [flags.get('e')!] : rest.length ? [rest.shift()!] : [];
  if (pats.length === 0) return fail("Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n", 2);
  const extended = flags.has('E') || argv[0] === 'egrep';
  let re: RegExp;
  try { re = posixRegex(pats[0]!, extended, flags.has('F'), flags.has('i'), flags.has('w')); } catch { return fail('grep: Unmatched ( or \\(\n', 2); }
  const { text, err } = input(ctx, 'grep', rest);
  const ls = lines(text);
  const test = (l: string): boolean => { re.lastIndex = 0; return re.test(l) !== flags.has('v'); };
  const hits = ls.map(test);
  const count = hits.filter(Boolean).length;
  const code = err && count === 0 ? 2 : count ? 0 : 1;
  if (flags.has('q')) return { stdout: '', stderr: err, exitCode: code };
  if (flags.has('c')) return { stdout: `${count}\n`, stderr: err, exitCode: code };
  const num = (k: string): number => Number(flags.get(k) ?? flags.get('C') ?? 0);
  const after = flags.has('A') ? Number(flags.get('A')) : num('C');
  const before = flags.has('B') ? Number(flags.get('B')) : num('C');
  if (![after, before].every((n) => Number.isInteger(n) && n >= 0)) return fail(`grep: ${flags.get('A') ?? flags.get('B') ?? flags.get('C')}: invalid context length argument\n`, 2);
  const out: string[] = [];
  const line = (i: number, sep: string): string => (flags.has('n') ? `${i + 1}${sep}` : '') + ls[i]!;
  if (flags.has('o') && !flags.has('v')) {
    ls.forEach((l, i) => { re.lastIndex = 0; for (const m of l.matchAll(re)) if (m[0]) out.push((flags.has('n') ? `${i + 1}:` : '') + m[0]); });
    return { stdout: join(out), stderr: err, exitCode: code };
  }
  let lastShown = -1;
  let pendingAfter = 0;
  for (let i = 0; i < ls.length; i++) {
    if (hits[i]) {
      const from = Math.max(lastShown + 1, i - before);
      if ((before || after) && lastShown >= 0 && from > lastShown + 1) out.push('--');
      for (let k = from; k < i; k++) out.push(line(k, '-'));
      out.push(line(i, ':'));
      lastShown = i;
      pendingAfter = after;
    } else if (pendingAfter > 0) {
      out.push(line(i, '-'));
      lastShown = i;
      pendingAfter--;
    }
  }
  return { stdout: join(out), stderr: err, exitCode: code };
};

// ---------------------------------------------------------------- head, tail, wc, sort, uniq

function headTail(tool: 'head' | 'tail'): Command {
  return (ctx, argv) => {
    const { flags, rest, bad } = opts(argv.slice(1), 'nc');
    if (bad) return fail(`${tool}: option requires an argument -- '${bad}'\n`, 1);
    const spec = flags.get('n') ?? '10';
    const from = tool === 'tail' && spec.startsWith('+');
    const n = Number(spec.replace(/^[+-]/, ''));
    if (!Number.isInteger(n)) return fail(`${tool}: invalid number of lines: '${spec}'\n`, 1);
    const { text, err } = input(ctx, tool, rest);
    const ls = lines(text);
    let pick: string[];
    if (tool === 'head') pick = spec.startsWith('-') ? ls.slice(0, Math.max(0, ls.length - n)) : ls.slice(0, n);
    else pick = from ? ls.slice(Math.max(0, n - 1)) : ls.slice(Math.max(0, ls.length - n));
    return { stdout: join(pick), stderr: err, exitCode: err ? 1 : 0 };
  };
}

const wc: Command = (ctx, argv) => {
  const { flags, rest } = opts(argv.slice(1), '');
  const { text, err } = input(ctx, 'wc', rest);
  const l = (text.match(/\n/g) ?? []).length;
  const w = text.split(/\s+/).filter(Boolean).length;
  let c = 0;
  for (const ch of text) { const cp = ch.codePointAt(0)!; c += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4; }
  const pick = [flags.has('l') ? l : null, flags.has('w') ? w : null, flags.has('c') || flags.has('m') ? c : null].filter((x): x is number => x !== null);
  const name = rest.length === 1 ? ` ${rest[0]}` : '';
  // One count alone is printed bare; several are right-aligned together (coreutils on a pipe).
  const vals = pick.length ? pick : [l, w, c];
  const width = vals.length === 1 && !name ? 0 : Math.max(...vals.map((v) => String(v).length), name ? 1 : 7);
  return { stdout: `${vals.map((v) => String(v).padStart(width)).join(' ')}${name}\n`, stderr: err, exitCode: err ? 1 : 0 };
};

const sort: Command = (ctx, argv) => {
  const { flags, rest } = opts(argv.slice(1), 'ktT');
  const { text, err } = input(ctx, 'sort', rest);
  const sep = flags.get('t');
  const key = flags.has('k') ? Number(flags.get('k')!.split(/[,.]/)[0]) : 0;
  const field = (l: string): string => (key ? (sep !== undefined ? l.split(sep) : l.trim().split(/\s+/))[key - 1] ?? '' : l);
  let ls = lines(text);
  const numeric = flags.has('n') || flags.has('h');
  ls = [...ls].sort((a, b) => {
    const x = field(a); const y = field(b);
    if (numeric) { const d = (parseFloat(x) || 0) - (parseFloat(y) || 0); if (d) return d; }
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
  if (flags.has('r')) ls.reverse();
  if (flags.has('u')) ls = ls.filter((l, i) => i === 0 || field(l) !== field(ls[i - 1]!));
  return { stdout: join(ls), stderr: err, exitCode: err ? 2 : 0 };
};

const uniq: Command = (ctx, argv) => {
  const { flags, rest } = opts(argv.slice(1), '');
  const { text, err } = input(ctx, 'uniq', rest);
  const groups: { line: string; n: number }[] = [];
  for (const l of lines(text)) {
    const g = groups[groups.length - 1];
    if (g && g.line === l) g.n++;
    else groups.push({ line: l, n: 1 });
  }
  const keep = groups.filter((g) => (flags.has('d') ? g.n > 1 : flags.has('u') ? g.n === 1 : true));
  return { stdout: join(keep.map((g) => (flags.has('c') ? `${String(g.n).padStart(7)} ${g.line}` : g.line))), stderr: err, exitCode: err ? 1 : 0 };
};

// ---------------------------------------------------------------- cut

/** "2", "1,3", "2-", "-3", "1-2,5" → a membership test over 1-based positions. */
function ranges(spec: string): ((i: number) => boolean) | null {
  const parts = spec.split(',').map((p) => {
    const m = /^(\d*)(-?)(\d*)$/.exec(p);
    if (!m || (!m[1] && !m[3])) return null;
    const lo = m[1] ? Number(m[1]) : 1;
    const hi = m[2] ? (m[3] ? Number(m[3]) : Infinity) : lo;
    return lo >= 1 ? [lo, hi] as const : null;
  });
  if (parts.some((p) => p === null)) return null;
  return (i) => parts.some((p) => i >= p![0] && i <= p![1]);
}

const cut: Command = (ctx, argv) => {
  const { flags, rest, bad } = opts(argv.slice(1), 'dfcb');
  if (bad) return fail(`cut: option requires an argument -- '${bad}'\nTry 'cut --help' for more information.\n`, 1);
  const spec = flags.get('f') ?? flags.get('c') ?? flags.get('b');
  if (spec === undefined) return fail("cut: you must specify a list of bytes, characters, or fields\nTry 'cut --help' for more information.\n", 1);
  const inList = ranges(spec);
  if (!inList) return fail(`cut: invalid field value '${spec}'\nTry 'cut --help' for more information.\n`, 1);
  const d = flags.get('d') ?? '\t';
  if (d.length !== 1) return fail("cut: the delimiter must be a single character\nTry 'cut --help' for more information.\n", 1);
  const { text, err } = input(ctx, 'cut', rest);
  const out = lines(text).map((l) => {
    if (!flags.has('f')) return [...l].filter((_, i) => inList(i + 1)).join('');
    if (!l.includes(d)) return flags.has('s') ? null : l;
    return l.split(d).filter((_, i) => inList(i + 1)).join(d);
  }).filter((l): l is string => l !== null);
  return { stdout: join(out), stderr: err, exitCode: err ? 1 : 0 };
};

// ---------------------------------------------------------------- awk

type AwkRow = { fields: string[]; line: string; nr: number };

/** The awk programs people type at a prompt: [PATTERN] { print EXPR[, EXPR...] } and END { print NR }. */
function compileAwk(prog: string): ((row: AwkRow) => string | null) & { end?: (nr: number) => string } | null {
  const m = /^\s*(.*?)\s*(?:\{\s*(.*?)\s*;?\s*\})?\s*$/s.exec(prog);
  if (!m) return null;
  const pattern = m[1] ?? '';
  const action = m[2] ?? (pattern ? 'print' : null);
  if (action === null) return null;
  const expr = (src: string): ((r: AwkRow) => string) | null => {
    // Concatenation of terms: $N, $NF, $(NF-1), NF, NR, "text".
    const terms: ((r: AwkRow) => string)[] = [];
    const re = /\s*(\$\(NF-(\d+)\)|\$NF|\$(\d+)|NF|NR|"((?:[^"\\]|\\.)*)")\s*/y;
    let i = 0;
    while (i < src.length) {
      re.lastIndex = i;
      const t = re.exec(src);
      if (!t) return null;
      i = re.lastIndex;
      if (t[2] !== undefined) { const k = Number(t[2]); terms.push((r) => r.fields[r.fields.length - 1 - k] ?? ''); }
      else if (t[1] === '$NF') terms.push((r) => r.fields[r.fields.length - 1] ?? '');
      else if (t[3] !== undefined) { const k = Number(t[3]); terms.push((r) => (k === 0 ? r.line : r.fields[k - 1] ?? '')); }
      else if (t[1] === 'NF') terms.push((r) => String(r.fields.length));
      else if (t[1] === 'NR') terms.push((r) => String(r.nr));
      else { const s = t[4]!.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\"/g, '"'); terms.push(() => s); }
    }
    return (r) => terms.map((f) => f(r)).join('');
  };
  const printOf = (a: string): ((r: AwkRow) => string) | null => {
    const pm = /^print\s*(.*)$/s.exec(a.trim());
    if (!pm) return null;
    const args = (pm[1] ?? '').trim();
    if (!args) return (r) => r.line;
    const parts: string[] = [];
    let depth = 0; let q = false; let cur = '';
    for (const c of args) {
      if (c === '"') q = !q;
      if (!q && c === '(') depth++;
      if (!q && c === ')') depth--;
      if (!q && depth === 0 && c === ',') { parts.push(cur); cur = ''; } else cur += c;
    }
    parts.push(cur);
    const fs = parts.map(expr);
    if (fs.some((f) => f === null)) return null;
    return (r) => fs.map((f) => f!(r)).join(' ');
  };
  const endM = /^END$/.exec(pattern);
  if (endM) {
    const p = printOf(action);
    if (!p) return null;
    const f = Object.assign(() => null, { end: (nr: number) => p({ fields: [], line: '', nr }) });
    return f;
  }
  let test: (r: AwkRow) => boolean = () => true;
  if (pattern) {
    const re = /^\/(.*)\/$/.exec(pattern);
    const fm = /^\$(\d+)\s*~\s*\/(.*)\/$/.exec(pattern);
    const nm = /^(NR|NF)\s*(==|!=|>=|<=|>|<)\s*(\d+)$/.exec(pattern);
    if (re) { const r = new RegExp(re[1]!); test = (row) => r.test(row.line); }
    else if (fm) { const k = Number(fm[1]); const r = new RegExp(fm[2]!); test = (row) => r.test(row.fields[k - 1] ?? ''); }
    else if (nm) {
      const n = Number(nm[3]);
      const get = (row: AwkRow): number => (nm[1] === 'NR' ? row.nr : row.fields.length);
      const cmp: Record<string, (a: number) => boolean> = { '==': (a) => a === n, '!=': (a) => a !== n, '>=': (a) => a >= n, '<=': (a) => a <= n, '>': (a) => a > n, '<': (a) => a < n };
      test = (row) => cmp[nm[2]!]!(get(row));
    } else return null;
  }
  const p = printOf(action);
  if (!p) return null;
  return (row) => (test(row) ? p(row) : null);
}

const awk: Command = (ctx, argv) => {
  const { flags, rest, bad } = opts(argv.slice(1), 'Fv');
  if (bad) return fail(`awk: option requires an argument -- ${bad}\n`, 2);
  const prog = rest.shift();
  if (prog === undefined) return fail('usage: awk [-F value] [-v var=value] [prog | -f progfile] [file ...]\n', 2);
  const run = compileAwk(prog);
  if (!run) return fail(`awk: cmd. line:1: ${prog}\nawk: cmd. line:1: the playground's awk knows [/RE/ | NR==N | $N ~ /RE/] { print $N, ... } and END { print NR }\n`, 2);
  const fsep = flags.get('F');
  const { text, err } = input(ctx, 'awk', rest);
  const out: string[] = [];
  let nr = 0;
  for (const line of lines(text)) {
    nr++;
    const fields = fsep === undefined || fsep === ' ' ? line.trim().split(/\s+/).filter(Boolean) : line.split(fsep.length === 1 ? fsep : new RegExp(fsep));
    const r = run({ fields, line, nr });
    if (r !== null) out.push(r);
  }
  if (run.end) out.push(run.end(nr));
  return { stdout: join(out), stderr: err, exitCode: err ? 2 : 0 };
};

// ---------------------------------------------------------------- tr, tee, seq, xargs-free helpers

const tr: Command = (ctx, argv) => {
  const del = argv[1] === '-d';
  const sets = argv.slice(del ? 2 : 1).map((s) => s.replace(/\[:upper:\]/g, 'A-Z').replace(/\[:lower:\]/g, 'a-z').replace(/\\n/g, '\n'));
  const expand = (s: string): string => s.replace(/(.)-(.)/g, (_, a: string, b: string) => { let o = ''; for (let c = a.charCodeAt(0); c <= b.charCodeAt(0); c++) o += String.fromCharCode(c); return o; });
  const text = ctx.stdin ?? '';
  if (sets.length < (del ? 1 : 2)) return fail(`tr: missing operand\nTry 'tr --help' for more information.\n`, 1);
  const a = expand(sets[0]!);
  if (del) return ok([...text].filter((c) => !a.includes(c)).join(''));
  const b = expand(sets[1]!);
  return ok([...text].map((c) => { const i = a.indexOf(c); return i < 0 ? c : b[Math.min(i, b.length - 1)] ?? c; }).join(''));
};

const tee: Command = (ctx) => ok(ctx.stdin ?? '');

const seq: Command = (_ctx, argv) => {
  const ns = argv.slice(1).map(Number);
  if (ns.length === 0 || ns.some((n) => !Number.isFinite(n))) return fail(ns.length ? `seq: invalid floating point argument: '${argv.slice(1).find((a) => !Number.isFinite(Number(a)))}'\n` : "seq: missing operand\nTry 'seq --help' for more information.\n", 1);
  const [first, step, last] = ns.length === 1 ? [1, 1, ns[0]!] : ns.length === 2 ? [ns[0]!, 1, ns[1]!] : [ns[0]!, ns[1]!, ns[2]!];
  const out: string[] = [];
  for (let i = first; step > 0 ? i <= last : i >= last; i += step) { out.push(String(i)); if (out.length > 10000) break; }
  return ok(join(out));
};

export const textCommands: Record<string, Command> = {
  grep, egrep: grep, head: headTail('head'), tail: headTail('tail'), wc, sort, uniq, cut, awk, tr, tee, seq,
};

export type { CommandResult };
