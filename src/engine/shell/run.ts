/**
 * Runs command lines against the live simulation the way bash does, small enough to read:
 *
 *   lists      A ; B   A && B   A || B   A &   (newlines separate like ;)
 *   pipelines  A | B | C   (each stage reads the previous one's stdout as ctx.stdin)
 *   loops      for i in 1 2 3; do ...; done
 *   words      '…' literal, "…" with $ expansion, \\ escapes, $?, $VAR, ${VAR}, $(command)
 *   builtins   VAR=value, export, unset, wait, jobs, fg, kill %N, cd, exit, sh -c / bash -c
 *   redirects  >/dev/null, 2>/dev/null, 2>&1, &>/dev/null (other files are not simulated)
 *
 * A session (one per Sim and target, or one passed in) keeps `$?`, variables and background
 * jobs from line to line, as a terminal's shell does. Streaming tools (tcpdump, conntrack -E)
 * started with `&` keep running: after each later command the shell prints what they saw, and
 * `wait` ends them. Commands never throw: an unknown command answers like bash does.
 */
import type { Sim } from '../sim';
import type { Trace } from '../trace/types';
import { commands, streamCommands } from './registry';
import { environmentOf } from './k8sfiles';
import { formatTarget, ok, type CommandResult, type ShellContext, type Stream, type Target } from './types';
import { hashString } from '../util/rand';
import { splitHeredoc, writeUserFile } from './heredoc';

// ---------------------------------------------------------------- words

/** Splits a line into words: '…' literal, "…" with \" escapes, backslash escapes outside quotes. No expansion. */
export function splitWords(line: string): { words: string[]; error?: string } {
  const { tokens, error } = tokenize(line);
  if (error) return { words: [], error };
  return { words: tokens.filter((t): t is Extract<Token, { kind: 'word' }> => t.kind === 'word').map((t) => expandWord(t.raw, () => undefined, () => '').join(' ')) };
}

type Op = ';' | '&' | '&&' | '||' | '|' | '\n';
type Token = { kind: 'word'; raw: string } | { kind: 'op'; op: Op } | { kind: 'redir'; fd: number; append: boolean; to: string };

const EOF_MSG = (q: string): string => `unexpected EOF while looking for matching \`${q}'`;

/** Tokens with quotes kept in the raw word (expansion happens when the command runs). */
function tokenize(line: string): { tokens: Token[]; error?: string } {
  const tokens: Token[] = [];
  let cur = '';
  let has = false;
  const flush = (): void => { if (has) tokens.push({ kind: 'word', raw: cur }); cur = ''; has = false; };
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) return { tokens, error: EOF_MSG("'") };
      cur += line.slice(i, j + 1); has = true; i = j;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) if (line[j] === '\\') j++;
      if (j >= line.length) return { tokens, error: EOF_MSG('"') };
      cur += line.slice(i, j + 1); has = true; i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line.slice(i, i + 2); has = true; i++;
    } else if (c === '$' && line[i + 1] === '(') {
      let depth = 0; let j = i + 1; let q: string | null = null;
      for (; j < line.length; j++) {
        const d = line[j]!;
        if (q) { if (d === q) q = null; continue; }
        if (d === "'" || d === '"') q = d;
        else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
      if (j >= line.length) return { tokens, error: EOF_MSG(')') };
      cur += line.slice(i, j + 1); has = true; i = j;
    } else if (c === ' ' || c === '\t') {
      flush();
    } else if (c === '#' && !has) {
      break;
    } else if (c === '>' || (c === '&' && line[i + 1] === '>')) {
      // [N]>[>]TARGET, >&N, &>TARGET
      let fd = 1;
      if (c === '&') { fd = -1; i++; } else if (has && /^\d$/.test(cur)) { fd = Number(cur); cur = ''; has = false; }
      flush();
      let append = false;
      if (line[i + 1] === '>') { append = true; i++; }
      let to = '';
      if (line[i + 1] === '&') { i++; while (/\d/.test(line[i + 1] ?? '')) to += line[++i]; to = `&${to}`; }
      else {
        while (line[i + 1] === ' ') i++;
        while (i + 1 < line.length && !' \t;&|'.includes(line[i + 1]!)) to += line[++i];
      }
      tokens.push({ kind: 'redir', fd, append, to });
    } else if (c === '<') {
      // Input redirection is not simulated beyond /dev/null: read as an empty stdin.
      flush();
      while (line[i + 1] === ' ') i++;
      while (i + 1 < line.length && !' \t;&|'.includes(line[i + 1]!)) i++;
    } else if (c === ';' || c === '\n') { flush(); tokens.push({ kind: 'op', op: c === ';' ? ';' : '\n' }); }
    else if (c === '&') { flush(); if (line[i + 1] === '&') { tokens.push({ kind: 'op', op: '&&' }); i++; } else tokens.push({ kind: 'op', op: '&' }); }
    else if (c === '|') { flush(); if (line[i + 1] === '|') { tokens.push({ kind: 'op', op: '||' }); i++; } else tokens.push({ kind: 'op', op: '|' }); }
    else { cur += c; has = true; }
  }
  flush();
  return { tokens };
}

/**
 * A raw word's fields after expansion: quotes removed, $? $VAR ${VAR} $(cmd) substituted;
 * unquoted substitutions split on whitespace as bash's field splitting does.
 */
function expandWord(raw: string, lookup: (name: string) => string | undefined, subst: (cmd: string) => string): string[] {
  const fields: string[] = [];
  let cur = '';
  let has = false;
  const addSplit = (text: string): void => {
    const parts = text.split(/[ \t\n]+/);
    parts.forEach((p, k) => {
      if (k > 0) { if (has) fields.push(cur); cur = ''; has = false; }
      if (p) { cur += p; has = true; }
    });
  };
  const dollar = (i: number, quoted: boolean): number => {
    const rest = raw.slice(i + 1);
    let m: RegExpExecArray | null;
    let value: string | undefined;
    let used: number;
    if (rest.startsWith('(')) {
      let depth = 0; let j = 0; let q: string | null = null;
      for (; j < rest.length; j++) {
        const d = rest[j]!;
        if (q) { if (d === q) q = null; continue; }
        if (d === "'" || d === '"') q = d;
        else if (d === '(') depth++;
        else if (d === ')' && --depth === 0) break;
      }
      value = subst(rest.slice(1, j)).replace(/\n+$/, '');
      used = j + 1;
    } else if ((m = /^\{([A-Za-z_][A-Za-z0-9_]*|\?)\}/.exec(rest))) { value = lookup(m[1]!) ?? ''; used = m[0].length; }
    else if ((m = /^([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])/.exec(rest))) { value = lookup(m[1]!) ?? ''; used = m[0].length; }
    else { cur += '$'; has = true; return i; }
    if (quoted) { cur += value; has = true; } else addSplit(value);
    return i + used;
  };
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === "'") { const j = raw.indexOf("'", i + 1); cur += raw.slice(i + 1, j); has = true; i = j; }
    else if (c === '"') {
      has = true;
      let j = i + 1;
      for (; j < raw.length && raw[j] !== '"'; j++) {
        const d = raw[j]!;
        if (d === '\\' && '"\\$`'.includes(raw[j + 1] ?? '')) cur += raw[++j];
        else if (d === '$') j = dollar(j, true);
        else cur += d;
      }
      i = j;
    } else if (c === '\\') { cur += raw[++i] ?? ''; has = true; }
    else if (c === '$') i = dollar(i, false);
    else { cur += c; has = true; }
  }
  if (has) fields.push(cur);
  return fields;
}

// ---------------------------------------------------------------- parse

interface Simple { kind: 'simple'; words: string[]; redirs: Extract<Token, { kind: 'redir' }>[] }
interface ForLoop { kind: 'for'; name: string; items: string[]; body: List }
type Cmd = Simple | ForLoop;
interface Pipeline { cmds: Cmd[]; bang: boolean; text: string }
interface List { items: { pipe: Pipeline; op: ';' | '&' | '&&' | '||' }[] }

class Parser {
  i = 0;
  constructor(readonly t: Token[]) {}
  peekWord(): string | undefined { const x = this.t[this.i]; return x?.kind === 'word' ? x.raw : undefined; }
  skipSeps(): void { while (this.t[this.i]?.kind === 'op' && ['\n', ';'].includes((this.t[this.i] as { op: Op }).op)) this.i++; }
  /** Newlines may separate anything; a stray `;` is a syntax error, as in bash. */
  skipNewlines(): void { while (this.t[this.i]?.kind === 'op' && (this.t[this.i] as { op: Op }).op === '\n') this.i++; }

  list(until?: string): List {
    const items: List['items'] = [];
    this.skipNewlines();
    while (this.i < this.t.length) {
      if (until && this.peekWord() === until) break;
      const pipe = this.pipeline();
      const tok = this.t[this.i];
      let op: List['items'][number]['op'] = ';';
      if (tok?.kind === 'op') {
        if (tok.op === '&' || tok.op === '&&' || tok.op === '||') op = tok.op;
        this.i++;
      }
      items.push({ pipe, op });
      if (op === ';' || op === '&') this.skipNewlines();
      else if (this.i >= this.t.length || (until && this.peekWord() === until)) throw new SyntaxErr(`syntax error: unexpected end of file`);
    }
    return { items };
  }

  pipeline(): Pipeline {
    const cmds: Cmd[] = [];
    const start = this.i;
    let bang = false;
    if (this.peekWord() === '!') { bang = true; this.i++; }
    for (;;) {
      cmds.push(this.command());
      const tok = this.t[this.i];
      if (tok?.kind === 'op' && tok.op === '|') { this.i++; continue; }
      break;
    }
    const text = this.t.slice(start, this.i).map((x) => (x.kind === 'word' ? x.raw : x.kind === 'op' ? x.op : `${x.fd === 1 ? '' : x.fd === -1 ? '&' : x.fd}>${x.to}`)).join(' ');
    return { cmds, bang, text };
  }

  command(): Cmd {
    if (this.peekWord() === 'for') {
      this.i++;
      const name = this.peekWord();
      if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new SyntaxErr(`\`${name ?? 'newline'}': not a valid identifier`);
      this.i++;
      const items: string[] = [];
      if (this.peekWord() === 'in') {
        this.i++;
        while (this.peekWord() !== undefined) items.push(this.t[this.i++]!.kind === 'word' ? (this.t[this.i - 1] as { raw: string }).raw : '');
      }
      this.skipSeps();
      if (this.peekWord() !== 'do') throw new SyntaxErr(`syntax error near unexpected token \`${this.peekWord() ?? 'newline'}'`);
      this.i++;
      const body = this.list('done');
      if (this.peekWord() !== 'done') throw new SyntaxErr('syntax error: unexpected end of file');
      this.i++;
      return { kind: 'for', name, items, body };
    }
    const words: string[] = [];
    const redirs: Simple['redirs'] = [];
    for (;;) {
      const tok = this.t[this.i];
      if (!tok || tok.kind === 'op') break;
      if (tok.kind === 'redir') redirs.push(tok);
      else words.push(tok.raw);
      this.i++;
    }
    if (words.length === 0 && redirs.length === 0) {
      const tok = this.t[this.i];
      throw new SyntaxErr(`syntax error near unexpected token \`${tok?.kind === 'op' ? (tok.op === '\n' ? 'newline' : tok.op) : 'newline'}'`);
    }
    if (['do', 'done', 'then', 'fi'].includes(words[0] ?? '')) throw new SyntaxErr(`syntax error near unexpected token \`${words[0]}'`);
    return { kind: 'simple', words, redirs };
  }
}

class SyntaxErr extends Error {}

// ---------------------------------------------------------------- sessions

interface Job {
  readonly id: number;
  readonly pid: number;
  readonly text: string;
  readonly stream: Stream;
  /** The pipeline's later stages, applied to what the stream prints (tcpdump -l | grep ...). */
  readonly filters: readonly string[][];
  readonly target: Target;
}

/** What a terminal's shell keeps between lines. */
export interface ShellSession {
  lastExit: number;
  readonly vars: Map<string, string>;
  readonly jobs: Job[];
  nextPid: number;
}

export function newSession(): ShellSession {
  return { lastExit: 0, vars: new Map(), jobs: [], nextPid: 0 };
}

const sessions = new WeakMap<Sim, Map<string, ShellSession>>();

function sessionFor(sim: Sim, target: Target): ShellSession {
  let m = sessions.get(sim);
  if (!m) { m = new Map(); sessions.set(sim, m); }
  const key = formatTarget(target);
  let s = m.get(key);
  if (!s) { s = newSession(); m.set(key, s); }
  return s;
}

// ---------------------------------------------------------------- run

/** Runs one argv in a target. The single dispatch point for every simulated command. */
export function runArgv(sim: Sim, target: Target, argv: readonly string[], stdin?: string): CommandResult {
  const name = argv[0];
  if (!name) return ok('');
  if ((name === 'sh' || name === 'bash' || name === 'ash') && argv[1] === '-c') {
    // `kubectl exec POD -- sh -c '…'`, `docker exec C sh -c '…'`: a fresh shell runs the line there.
    if (argv[2] === undefined) return { stdout: '', stderr: `${name}: -c: option requires an argument\n`, exitCode: 2 };
    return runLine(sim, target, argv[2], newSession());
  }
  if ((name === 'sh' || name === 'bash' || name === 'ash' || name === '/bin/sh' || name === '/bin/bash') && argv.length === 1) {
    return { stdout: '', stderr: `knp: ${name} alone would wait for you to type; give it the line instead: ${name} -c 'COMMANDS'\n`, exitCode: 1 };
  }
  if (name === 'timeout' && argv.length > 2) {
    // `timeout 5 CMD`: nothing in the simulation outlasts its own command, so CMD runs as it is.
    let i = 1;
    while (argv[i]?.startsWith('-')) i += argv[i] === '-s' || argv[i] === '-k' ? 2 : 1;
    return runArgv(sim, target, argv.slice(i + 1), stdin);
  }
  const cmd = commands.get(name);
  if (streamCommands.has(name)) {
    {
      // A streaming tool in the foreground: nothing else runs while it does, so it sees nothing.
      const s = streamCommands.get(name)!(ctxFor(sim, target, stdin), argv);
      if (!s.stream) return s.start;
      const end = s.stream.stop();
      return { stdout: s.start.stdout + end.stdout, stderr: s.start.stderr + end.stderr + FOREGROUND_HINT(name), exitCode: end.exitCode, ...(s.start.changed || end.changed ? { changed: true } : {}) };
    }
  }
  if (!cmd) {
    if (name.includes('/') && !name.startsWith('./')) return { stdout: '', stderr: `bash: ${name}: No such file or directory\n`, exitCode: 127 };
    return { stdout: '', stderr: `bash: ${name}: command not found\n`, exitCode: 127 };
  }
  try {
    return cmd(ctxFor(sim, target, stdin), argv);
  } catch (e) {
    // A command bug must never take the session down; report it like a crashed tool would.
    return { stdout: '', stderr: `${name}: internal error: ${(e as Error).message}\n`, exitCode: 70 };
  }
}

const FOREGROUND_HINT = (name: string): string =>
  `knp: ${name} shows the traffic sent while it runs: start it in the background and send traffic, e.g. ${name === 'tcpdump' ? 'tcpdump -i any -n port 80 & curl -s SERVICE; wait' : 'conntrack -E & curl -s SERVICE; wait'}\n`;

function ctxFor(sim: Sim, target: Target, stdin: string | undefined): ShellContext {
  return { sim, target, run: (t, a, input) => runArgv(sim, t, a, input), ...(stdin !== undefined ? { stdin } : {}) };
}

interface Out { stdout: string; stderr: string; changed: boolean }

class Shell {
  constructor(readonly sim: Sim, readonly target: Target, readonly session: ShellSession) {}

  lookup = (name: string): string | undefined => {
    if (name === '?') return String(this.session.lastExit);
    if (name === '$') return String(this.pidOf('$$'));
    if (name === '#') return '0';
    if (name === '0') return 'bash';
    const v = this.session.vars.get(name);
    if (v !== undefined) return v;
    return environmentOf(this.sim, this.target)?.find((e) => e.name === name)?.value;
  };

  subst = (line: string): string => {
    const sub = new Shell(this.sim, this.target, { ...newSession(), vars: new Map(this.session.vars), lastExit: this.session.lastExit });
    const out: Out = { stdout: '', stderr: '', changed: false };
    try { sub.runList(parse(line), out); } catch (e) { if (!(e instanceof SyntaxErr)) throw e; }
    this.substErr += out.stderr;
    if (out.changed) this.substChanged = true;
    this.traces.push(...sub.traces);
    return out.stdout;
  };

  substErr = '';
  substChanged = false;
  /** The packet walks the line's commands made (curl, ping, dig…), for the canvas to play. */
  traces: Trace[] = [];
  /** A here-document's body: the standard input of the line's first command (heredoc.ts). */
  heredoc: string | undefined;
  /** `kubectl exec -it … -- sh` moves the terminal into a Pod; `kubectl edit` opens the editor. */
  session_: CommandResult['session'];
  editor: CommandResult['editor'];
  /** The terminal's output for this line: background jobs write here, never into a pipe. */
  top: Out | undefined;

  pidOf(key: string): number {
    return 1000 + (hashString(`${formatTarget(this.target)}/${key}`) % 30000);
  }

  expand(words: readonly string[]): string[] {
    return words.flatMap((w) => expandWord(w, this.lookup, this.subst));
  }

  runList(list: List, out: Out): void {
    let status = this.session.lastExit;
    let prevOp: string = ';';
    for (const { pipe, op } of list.items) {
      const skip = (prevOp === '&&' && status !== 0) || (prevOp === '||' && status === 0);
      prevOp = op;
      if (skip) continue;
      if (op === '&') { status = this.background(pipe, out); }
      else status = this.runPipeline(pipe, out);
      this.session.lastExit = status;
    }
  }

  /** Starts a pipeline in the background: a streaming tool keeps running; anything else runs now. */
  background(pipe: Pipeline, out: Out): number {
    const first = pipe.cmds[0];
    const id = this.session.jobs.reduce((m, j) => Math.max(m, j.id), 0) + 1;
    const pid = this.pidOf(`job/${++this.session.nextPid}`);
    if (first?.kind === 'simple') {
      let argv = this.expand(first.words);
      while (argv[0] === 'sudo') argv = argv.slice(1);
      const start = argv[0] !== undefined ? streamCommands.get(argv[0]) : undefined;
      if (start) {
        out.stdout += `[${id}] ${pid}\n`;
        const s = start(ctxFor(this.sim, this.target, undefined), argv);
        out.stderr += s.start.stderr;
        out.stdout += s.start.stdout;
        if (!s.stream) return 0;
        const filters = pipe.cmds.slice(1).map((c) => (c.kind === 'simple' ? this.expand(c.words) : []));
        this.session.jobs.push({ id, pid, text: pipe.text, stream: s.stream, filters, target: this.target });
        return 0;
      }
    }
    out.stdout += `[${id}] ${pid}\n`;
    this.runPipeline(pipe, out);
    return 0;
  }

  /** What running jobs printed since the last look; jobs that finished by themselves are reported Done. */
  pollJobs(out: Out): void {
    for (const j of [...this.session.jobs]) {
      const r = j.stream.poll();
      out.stdout += this.filter(j, r.stdout);
      out.stderr += r.stderr;
      if (r.finished) this.endJob(j, out, true);
    }
  }

  filter(j: Job, text: string): string {
    let t = text;
    for (const argv of j.filters) if (t) t = runArgv(this.sim, j.target, argv, t).stdout;
    return t;
  }

  endJob(j: Job, out: Out, announce: boolean): number {
    const r = j.stream.stop();
    out.stdout += this.filter(j, r.stdout);
    out.stderr += r.stderr;
    if (r.changed) out.changed = true;
    this.session.jobs.splice(this.session.jobs.indexOf(j), 1);
    if (announce) out.stdout += `[${j.id}]+  ${r.exitCode === 0 ? 'Done' : `Exit ${r.exitCode}`}${' '.repeat(20)}${j.text}\n`;
    return r.exitCode;
  }

  builtin(argv: string[], out: Out): number | undefined {
    const name = argv[0]!;
    const jobOf = (spec: string | undefined): Job | undefined => {
      const jobs = this.session.jobs;
      if (spec === undefined || spec === '%%' || spec === '%+') return jobs[jobs.length - 1];
      if (spec.startsWith('%')) return jobs.find((j) => j.id === Number(spec.slice(1)));
      return jobs.find((j) => j.pid === Number(spec));
    };
    switch (name) {
      case 'wait': {
        let code = 0;
        const which = argv.length > 1 ? argv.slice(1).map(jobOf) : [...this.session.jobs];
        for (const j of which) {
          if (!j) { out.stderr += `bash: wait: ${argv[1]}: no such job\n`; code = 127; continue; }
          code = this.endJob(j, out, false);
        }
        return code;
      }
      case 'fg': {
        const j = jobOf(argv[1]);
        if (!j) { out.stderr += `bash: fg: ${argv[1] ?? 'current'}: no such job\n`; return 1; }
        out.stdout += `${j.text}\n`;
        return this.endJob(j, out, false);
      }
      case 'kill': {
        const specs = argv.slice(1).filter((a) => !/^-(\d+|[A-Z]+)$/.test(a));
        if (specs.length === 0) { out.stderr += 'kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... or kill -l [sigspec]\n'; return 2; }
        let code = 0;
        for (const s of specs) {
          const j = jobOf(s);
          if (!j) { out.stderr += s.startsWith('%') ? `bash: kill: ${s}: no such job\n` : `bash: kill: (${s}) - No such process\n`; code = 1; continue; }
          const r = j.stream.stop();
          out.stdout += this.filter(j, r.stdout);
          out.stderr += r.stderr;
          this.session.jobs.splice(this.session.jobs.indexOf(j), 1);
          out.stdout += `[${j.id}]+  Terminated${' '.repeat(14)}${j.text}\n`;
        }
        return code;
      }
      case 'jobs':
        for (const j of this.session.jobs) out.stdout += `[${j.id}]${j === this.session.jobs[this.session.jobs.length - 1] ? '+' : '-'}  Running${' '.repeat(17)}${j.text} &\n`;
        return 0;
      case 'export': case 'unset': case 'local': {
        for (const a of argv.slice(1)) {
          if (a.startsWith('-')) continue;
          const eq = a.indexOf('=');
          if (name === 'unset') this.session.vars.delete(a);
          else if (eq > 0) this.session.vars.set(a.slice(0, eq), a.slice(eq + 1));
        }
        return 0;
      }
      case 'cd': case ':': return 0;
      case 'exit': return argv[1] !== undefined ? Number(argv[1]) & 255 : this.session.lastExit;
      case 'sh': case 'bash': case 'ash': {
        if (argv[1] !== '-c') return undefined;
        if (argv[2] === undefined) { out.stderr += `${name}: -c: option requires an argument\n`; return 2; }
        return this.runText(argv[2], out);
      }
      default: return undefined;
    }
  }

  runText(line: string, out: Out): number {
    let list: List;
    try { list = parse(line); } catch (e) {
      if (!(e instanceof SyntaxErr)) throw e;
      out.stderr += `bash: ${e.message}\n`;
      return 2;
    }
    this.runList(list, out);
    return this.session.lastExit;
  }

  runPipeline(pipe: Pipeline, out: Out): number {
    let input: string | undefined;
    let status = 0;
    for (let k = 0; k < pipe.cmds.length; k++) {
      const last = k === pipe.cmds.length - 1;
      const c = pipe.cmds[k]!;
      const o: Out = { stdout: '', stderr: '', changed: false };
      status = c.kind === 'for' ? this.runFor(c, o) : this.runSimple(c, o, input);
      out.stderr += o.stderr;
      if (o.changed) out.changed = true;
      if (last) out.stdout += o.stdout;
      else input = o.stdout;
    }
    return pipe.bang ? (status === 0 ? 1 : 0) : status;
  }

  runFor(f: ForLoop, out: Out): number {
    const items = this.expand(f.items);
    let status = 0;
    for (const it of items) {
      this.session.vars.set(f.name, it);
      this.runList(f.body, out);
      status = this.session.lastExit;
    }
    return status;
  }

  runSimple(c: Simple, out: Out, stdin: string | undefined): number {
    this.substErr = '';
    const argv = this.expand(c.words);
    out.stderr += this.substErr;
    if (this.substChanged) { out.changed = true; this.substChanged = false; }
    // Leading VAR=value words: alone they set shell variables; before a command they are its environment (not modelled).
    let i = 0;
    while (i < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[i]!)) i++;
    if (i === argv.length) {
      for (const a of argv) { const eq = a.indexOf('='); this.session.vars.set(a.slice(0, eq), a.slice(eq + 1)); }
      return 0;
    }
    const words = argv.slice(i);
    const o: Out = { stdout: '', stderr: '', changed: false };
    let status = this.builtin(words, o);
    if (status === undefined) {
      const input = stdin ?? this.heredoc;
      this.heredoc = undefined;
      const r = runArgv(this.sim, this.target, words, input);
      o.stdout = r.stdout; o.stderr = r.stderr; o.changed = !!r.changed;
      if (r.traces) this.traces.push(...r.traces);
      if (r.session) this.session_ = r.session;
      if (r.editor) this.editor = r.editor;
      status = r.exitCode;
    }
    // What background captures saw while this command ran goes straight to the terminal (not
    // into this command's pipe), before the command's own output, as it happened first.
    if (words[0] !== 'wait' && words[0] !== 'fg' && words[0] !== 'kill') this.pollJobs(this.top ?? out);
    this.redirect(c.redirs, o);
    out.stdout += o.stdout;
    out.stderr += o.stderr;
    if (o.changed) out.changed = true;
    return status;
  }

  redirect(redirs: Simple['redirs'], o: Out): void {
    for (const r of redirs) {
      if (r.to === '&1' && r.fd === 2) { o.stdout += o.stderr; o.stderr = ''; continue; }
      if (r.to === '&2' && r.fd === 1) { o.stderr += o.stdout; o.stdout = ''; continue; }
      if (r.to === '/dev/null') {
        if (r.fd === 1 || r.fd === -1) o.stdout = '';
        if (r.fd === 2 || r.fd === -1) o.stderr = '';
        continue;
      }
      // `> FILE` / `>> FILE`: a file in the Sim that cat and kubectl apply -f read (heredoc.ts).
      if (r.fd === 2) { writeUserFile(this.sim, this.target, r.to, o.stderr, r.append); o.stderr = ''; continue; }
      writeUserFile(this.sim, this.target, r.to, r.fd === -1 ? o.stdout + o.stderr : o.stdout, r.append);
      o.stdout = '';
      if (r.fd === -1) o.stderr = '';
    }
  }
}

function parse(line: string): List {
  const { tokens, error } = tokenize(line);
  if (error) throw new SyntaxErr(error);
  const p = new Parser(tokens);
  const list = p.list();
  if (p.i < tokens.length) {
    const t = tokens[p.i]!;
    throw new SyntaxErr(`syntax error near unexpected token \`${t.kind === 'word' ? t.raw : t.kind === 'op' ? t.op : '>'}'`);
  }
  return list;
}

/**
 * Runs a full command line. Output of each command is concatenated as a terminal shows it.
 * `session` keeps $?, variables and background jobs between lines; by default one per Sim and target.
 */
export function runLine(sim: Sim, target: Target, text: string, session: ShellSession = sessionFor(sim, target)): CommandResult {
  // A here-document (`CMD <<EOF` … `EOF`) is the first command's standard input (heredoc.ts).
  const hd = splitHeredoc(text);
  const shell = new Shell(sim, target, session);
  shell.heredoc = hd.stdin;
  const out: Out = { stdout: '', stderr: hd.error ? `bash: ${hd.error}\n` : '', changed: false };
  shell.top = out;
  const code = shell.runText(hd.line, out);
  session.lastExit = code;
  return {
    stdout: out.stdout, stderr: out.stderr, exitCode: code,
    ...(out.changed ? { changed: true } : {}),
    ...(shell.traces.length ? { traces: shell.traces } : {}),
    ...(shell.session_ ? { session: shell.session_ } : {}),
    ...(shell.editor ? { editor: shell.editor } : {}),
  };
}
