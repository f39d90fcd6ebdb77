/**
 * A node's daemons' full restore, read from the pieces their writers hand over, with what other
 * machines and earlier builds already parsed shared.
 *
 *   pieces ─► parsed once per distinct piece: table / chain declaration / run of -A lines / COMMIT
 *          ─► per table: each user chain from its runs ─► one shared Chain when the runs are the
 *             same (the same piece objects, or the same lines) as another machine's
 *          ─► the checks iptables-restore makes (jump targets, NAT targets, loops), skipped when
 *             the chain graph is the one the previous machine passed
 *
 * kube-proxy writes the same blocks of lines for every node (they are the same string objects,
 * kept in its cache), so a node costs one lookup per piece and one per chain: no node's text is
 * concatenated, scanned or compared. Anything unusual (counters, a line that does not parse, a
 * failing check) makes the reader give up, and the line-by-line restore (restore.ts) runs and
 * reports exactly as iptables-restore does.
 */
import { parseLine } from './lines';
import { isTableName, newChain, newTable } from './state';
import { BUILTIN_CHAINS, isBuiltin, type Chain, type Rule, type Table, type TableName } from './types';

/** One parsed user chain, held by every machine whose restore declared it with the same lines. */
interface CachedChain {
  /** The chain's name (chain.name). */
  readonly name: string;
  /** Its `-A` lines joined by newlines (the cache key; a copy, never a slice of a writer's text). */
  readonly body: string;
  readonly chain: Chain;
  /** Chains its rules jump or go to (checked against each table it is installed in). */
  readonly jumps: readonly string[];
  /** It holds a NAT target (allowed only in the nat table). */
  readonly nat: boolean;
  /** The sweep generation that last used it. */
  used: number;
}

/** A table's chains as the checks see them: name, jump targets, NAT targets. */
interface CheckedChain {
  readonly name: string;
  readonly jumps: readonly string[];
  readonly nat: boolean;
}

/** A run of consecutive `-A` lines of one chain inside one piece. */
interface Run {
  readonly k: 'rules';
  readonly chain: string;
  readonly lines: string[];
  /** The lines joined (computed when needed). */
  body?: string;
  /** Parsed rules (null: a line is not a plain append); re-parsed on every use when `nth`. */
  rules?: Rule[] | null;
  /** A rule keeps an nth counter in its match: the run's rules belong to one machine. */
  nth?: boolean;
  /** The chain this run alone makes, per table. */
  alone?: Map<TableName, CachedChain>;
}

type Item =
  | { readonly k: 'table'; readonly name: TableName }
  | { readonly k: 'decl'; readonly name: string; readonly policy: string }
  | { readonly k: 'commit' }
  | Run;

/** A chain made of several runs (KUBE-SERVICES: one run per block of Services). */
interface JoinedChain extends CachedChain {
  readonly runs: readonly Run[];
}

/** Variants kept per chain name (FLANNEL-POSTRTG differs on every node). */
const VARIANTS_MAX = 64;

/**
 * A string with its own storage: `s.slice()` of a writer's large piece would keep the whole
 * piece alive for as long as the cache holds the slice.
 */
function detached(s: string): string {
  // V8 slices strings of 13 characters and more (FLANNEL-POSTRTG is 15): every length is copied.
  return s === '' ? s : (' ' + s).slice(1);
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 13 || c === 11 || c === 12;

/** The chain name of a `-A CHAIN ...` line, or null when it is not that simple form. */
function appendChain(line: string): string | null {
  if (!line.startsWith('-A ')) return null;
  const end = line.indexOf(' ', 3);
  const name = end < 0 ? line.slice(3) : line.slice(3, end);
  return name === '' || name.includes('"') || name.includes("'") ? null : name;
}

/** A piece's lines as items, or null when a line is anything the shared reader leaves to the line-by-line restore. */
function parsePiece(piece: string): Item[] | null {
  const items: Item[] = [];
  const open = new Map<string, Run>();
  let pos = 0;
  const len = piece.length;
  while (pos < len) {
    const nl = piece.indexOf('\n', pos);
    const end = nl < 0 ? len : nl;
    const ls = pos;
    pos = end + 1;
    if (end === ls) continue;
    const c0 = piece.charCodeAt(ls);
    if (c0 === 35 /* # */) continue;
    if (isSpace(c0) || isSpace(piece.charCodeAt(end - 1))) return null;
    const line = piece.slice(ls, end);
    if (c0 === 45 /* - */) {
      const chain = appendChain(line);
      if (chain === null) return null;
      const run = open.get(chain);
      if (run) { run.lines.push(line); continue; }
      const fresh: Run = { k: 'rules', chain, lines: [line] };
      open.set(chain, fresh);
      items.push(fresh);
      continue;
    }
    // A run of appends ends at any other line (a chain's lines keep their order).
    open.clear();
    if (c0 === 42 /* * */) {
      const name = line.slice(1);
      if (!isTableName(name)) return null;
      items.push({ k: 'table', name });
    } else if (c0 === 58 /* : */) {
      const sp = line.indexOf(' ');
      if (sp < 0) return null;
      const sp2 = line.indexOf(' ', sp + 1);
      items.push({ k: 'decl', name: line.slice(1, sp), policy: line.slice(sp + 1, sp2 < 0 ? line.length : sp2) });
    } else if (line === 'COMMIT') {
      items.push({ k: 'commit' });
    } else {
      return null;
    }
  }
  return items;
}

const hasNth = (r: Rule): boolean => r.matches.some((m) => m.kind === 'statistic' && m.mode === 'nth');

/** A run's rules, parsed once (shared between machines) unless one keeps an nth counter. */
function runRules(run: Run): Rule[] | null {
  if (run.rules !== undefined && !run.nth) return run.rules;
  const rules: Rule[] = [];
  let nth = false;
  for (const line of run.lines) {
    const p = parseLine(line);
    if (!p.ok || p.cmd.op !== 'A' || p.counters || p.cmd.chain !== run.chain) { run.rules = null; return null; }
    const rule = p.cmd.rule;
    if (hasNth(rule)) { nth = true; rules.push(rule); } else rules.push({ ...rule, shared: true });
  }
  run.nth = nth;
  run.rules = rules;
  return rules;
}

function bodyOf(run: Run): string {
  return (run.body ??= detached(run.lines.join('\n')));
}

function describeJumps(rules: readonly Rule[]): { jumps: string[]; nat: boolean } {
  const jumps = new Set<string>();
  let nat = false;
  for (const r of rules) {
    const t = r.target;
    if (t.kind === 'jump' || t.kind === 'goto') jumps.add(t.chain);
    else if (t.kind === 'DNAT' || t.kind === 'SNAT' || t.kind === 'MASQUERADE' || t.kind === 'REDIRECT') nat = true;
  }
  return { jumps: [...jumps], nat };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Runs that make the same chain: the same objects, or the same lines. */
function sameRuns(a: readonly Run[], b: readonly Run[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (x !== y && (x.chain !== y.chain || x.lines.length !== y.lines.length || bodyOf(x) !== bodyOf(y))) return false;
  }
  return true;
}

/**
 * Parsed pieces and chains, shared between machines and builds: nodes whose writers produce the
 * same chain (nearly every KUBE-SVC/KUBE-SEP chain) hold one Chain object and its rules, parsed
 * once (their counters are per table: Table.counters). Changing a shared chain copies it first
 * (ops.ts ownChain, restore's own()). Lives on the Sim (sim.caches) so a rebuild parses only what
 * changed; `sweep()` after each full install drops what no machine used since the one before. It
 * also remembers, per table, the last chain graph that passed the jump and loop checks, so the
 * next node with the same graph (every node, usually) skips them.
 */
export class ChainCache {
  /** table → chain name → body → parsed chain. */
  private readonly byTable = new Map<TableName, Map<string, Map<string, CachedChain>>>();
  /** "table chain" → chains made of several runs. */
  private readonly joined = new Map<string, JoinedChain[]>();
  /** Each writer's piece, parsed (null: the piece is left to the line-by-line restore). */
  private readonly pieces = new Map<string, { readonly items: Item[] | null; used: number }>();
  /** Per table, the last chain list that passed the checks (compared name by name, jump by jump). */
  private readonly checked = new Map<TableName, readonly CheckedChain[]>();
  private generation = 0;
  /** Chains parsed (or joined), and chains found already made, since the cache was made (for benchmarks and tests). */
  parsed = 0;
  reused = 0;
  /** Pieces parsed, and pieces found already parsed. */
  piecesParsed = 0;
  piecesReused = 0;
  /** Tables whose jump and loop checks were skipped because an identical chain graph passed them. */
  checksSkipped = 0;

  get size(): number {
    let n = 0;
    for (const t of this.byTable.values()) for (const v of t.values()) n += v.size;
    for (const v of this.joined.values()) n += v.length;
    return n;
  }

  lookup(table: TableName, name: string, body: string): CachedChain | undefined {
    const v = this.byTable.get(table)?.get(name)?.get(body);
    if (v) { v.used = this.generation; this.reused++; }
    return v;
  }

  store(table: TableName, entry: Omit<CachedChain, 'used'>): CachedChain {
    let names = this.byTable.get(table);
    if (!names) { names = new Map(); this.byTable.set(table, names); }
    let variants = names.get(entry.chain.name);
    if (!variants) { variants = new Map(); names.set(entry.chain.name, variants); }
    const e: CachedChain = { ...entry, used: this.generation };
    variants.set(e.body, e);
    if (variants.size > VARIANTS_MAX) variants.delete(variants.keys().next().value!);
    this.parsed++;
    return e;
  }

  /** @internal A piece's items; `keep` false for a one-off text (never held by the cache). */
  piece(text: string, keep: boolean): Item[] | null {
    const hit = this.pieces.get(text);
    if (hit) { hit.used = this.generation; this.piecesReused++; return hit.items; }
    const items = parsePiece(text);
    this.piecesParsed++;
    if (keep) this.pieces.set(text, { items, used: this.generation });
    return items;
  }

  /** @internal The chain one run makes alone in `table`. */
  alone(table: TableName, run: Run): CheckedChain & { chain: Chain } | null {
    const had = run.alone?.get(table);
    if (had) { had.used = this.generation; this.reused++; return had; }
    if (run.nth) return this.machineChain(run.chain, [run]);
    const body = bodyOf(run);
    let e = this.lookup(table, run.chain, body);
    if (!e) {
      const rules = runRules(run);
      if (!rules) return null;
      if (run.nth) return this.machineChain(run.chain, [run]);
      const name = detached(run.chain);
      const chain: Chain = { name, policyCounters: { pkts: 0, bytes: 0 }, rules, shared: true };
      e = this.store(table, { name, body, chain, ...describeJumps(rules) });
    }
    (run.alone ??= new Map()).set(table, e);
    return e;
  }

  /** @internal A chain made of several runs: one object for every machine with the same runs. */
  joinedChain(table: TableName, name: string, runs: readonly Run[]): CheckedChain & { chain: Chain } | null {
    const key = `${table} ${name}`;
    const variants = this.joined.get(key) ?? [];
    for (const v of variants) {
      if (!sameRuns(v.runs, runs)) continue;
      v.used = this.generation;
      this.reused++;
      return v;
    }
    const rules: Rule[] = [];
    for (const run of runs) {
      const r = runRules(run);
      if (!r) return null;
      if (run.nth) return this.machineChain(name, runs);
      for (const x of r) rules.push(x);
    }
    const cname = detached(name);
    const chain: Chain = { name: cname, policyCounters: { pkts: 0, bytes: 0 }, rules, shared: true };
    const e: JoinedChain = { name: cname, body: '', chain, runs: runs.slice(), used: this.generation, ...describeJumps(rules) };
    variants.push(e);
    if (variants.length > VARIANTS_MAX) variants.shift();
    this.joined.set(key, variants);
    this.parsed++;
    return e;
  }

  /** A chain holding an nth counter: this machine's alone, its rules parsed for it. */
  private machineChain(name: string, runs: readonly Run[]): CheckedChain & { chain: Chain } | null {
    const rules: Rule[] = [];
    for (const run of runs) {
      const r = runRules(run);
      if (!r) return null;
      for (const x of r) rules.push(x);
    }
    const cname = detached(name);
    return { name: cname, chain: { ...newChain(cname, false), rules }, ...describeJumps(rules) };
  }

  /** @internal Whether `chains` is the graph that last passed the checks in `table`. */
  passed(table: TableName, chains: readonly CheckedChain[]): boolean {
    const last = this.checked.get(table);
    if (!last || last.length !== chains.length) return false;
    for (let i = 0; i < chains.length; i++) {
      const a = last[i]!, b = chains[i]!;
      if (a === b) continue;
      if (a.name !== b.name || a.nat !== b.nat || !sameList(a.jumps, b.jumps)) return false;
    }
    this.checksSkipped++;
    return true;
  }

  /** @internal Remembers a graph that passed the checks. */
  pass(table: TableName, chains: readonly CheckedChain[]): void {
    this.checked.set(table, chains);
  }

  /** Forgets what nobody used since the last sweep; call after every machine's rules were installed. */
  sweep(): void {
    for (const names of this.byTable.values()) {
      for (const [name, variants] of names) {
        for (const [body, v] of variants) if (v.used !== this.generation) variants.delete(body);
        if (variants.size === 0) names.delete(name);
      }
    }
    for (const [key, variants] of this.joined) {
      const kept = variants.filter((v) => v.used === this.generation);
      if (kept.length) this.joined.set(key, kept);
      else this.joined.delete(key);
    }
    for (const [text, p] of this.pieces) if (p.used !== this.generation) this.pieces.delete(text);
    this.checked.clear();
    this.generation++;
  }
}

/**
 * The kernel's loop check (state.ts findLoop) over the chains' distinct jump targets: a cached
 * chain's rules are not walked again, only the chains it can jump to.
 */
function hasLoop(chains: readonly CheckedChain[]): boolean {
  const edges = new Map<string, readonly string[]>();
  for (const c of chains) edges.set(c.name, c.jumps);
  const state = new Map<string, 1 | 2>();
  for (const c of chains) {
    if (state.has(c.name)) continue;
    const stack: string[] = [c.name];
    const next: number[] = [0];
    state.set(c.name, 1);
    while (stack.length) {
      const top = stack.length - 1;
      const out = edges.get(stack[top]!) ?? [];
      const i = next[top]!;
      if (i >= out.length) { state.set(stack[top]!, 2); stack.pop(); next.pop(); continue; }
      next[top] = i + 1;
      const to = out[i]!;
      const st = state.get(to);
      if (st === 1) return true;
      if (st === 2 || !edges.has(to)) continue;
      state.set(to, 1);
      stack.push(to);
      next.push(0);
    }
  }
  return false;
}

/** One table of the restore being read: its declarations and each chain's runs. */
interface Assembly {
  readonly name: TableName;
  readonly policies: Map<string, string>;
  readonly user: Map<string, Run[]>;
  readonly builtin: Map<string, Run[]>;
  appending: boolean;
}

function finish(a: Assembly, cache: ChainCache): Table | null {
  const table: Table = { ...newTable(a.name), used: true };
  const pending: CheckedChain[] = [];
  for (const name of BUILTIN_CHAINS[a.name]) {
    const c = table.chains.get(name)!;
    const policy = a.policies.get(name);
    if (policy === 'ACCEPT' || policy === 'DROP') c.policy = policy;
    const runs = a.builtin.get(name);
    if (!runs) continue;
    // A built-in chain is each machine's own (its policy and counters); its rules are shared.
    const rules: Rule[] = [];
    for (const run of runs) {
      const r = runRules(run);
      if (!r) return null;
      for (const x of r) rules.push(x);
    }
    c.rules = rules;
    pending.push({ name, ...describeJumps(rules) });
  }
  for (const [name, runs] of a.user) {
    const e = runs.length === 0
      ? cache.lookup(a.name, name, '') ?? (() => { const n = detached(name); return cache.store(a.name, { name: n, body: '', chain: { name: n, policyCounters: { pkts: 0, bytes: 0 }, rules: [], shared: true }, jumps: [], nat: false }); })()
      : runs.length === 1 ? cache.alone(a.name, runs[0]!) : cache.joinedChain(a.name, name, runs);
    if (!e) return null;
    table.chains.set(e.chain.name, e.chain);
    pending.push(e);
  }
  // What each -A line's checks would say (ops.ts checkRule), then the loop check at COMMIT;
  // skipped when the same graph passed them on the previous machine.
  if (!cache.passed(a.name, pending)) {
    for (const p of pending) {
      if (p.nat && a.name !== 'nat') return null;
      for (const j of p.jumps) if (!table.chains.has(j) || isBuiltin(a.name, j)) return null;
    }
    if (hasLoop(pending)) return null;
    cache.pass(a.name, pending);
  }
  return table;
}

/**
 * A full (flushing) restore of well-formed writer output, handed over as pieces whose
 * concatenation is the restore text (each piece whole lines): each table's chain declarations,
 * then its `-A` lines. Returns the tables to install, or null when the text is anything else or
 * any line or check would fail: the line-by-line restore of the joined pieces then runs and
 * reports exactly as iptables-restore does. Never changes any machine's state. `keep` false
 * parses the pieces without keeping them (a one-off text).
 */
export function restorePieces(pieces: readonly string[], cache: ChainCache, keep = true): Table[] | null {
  const out: Table[] = [];
  let cur: Assembly | null = null;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (piece === '') continue;
    if (i < pieces.length - 1 && piece.charCodeAt(piece.length - 1) !== 10) return null;
    const items = cache.piece(piece, keep);
    if (!items) return null;
    for (const it of items) {
      if (it.k === 'table') {
        if (cur) return null;
        cur = { name: it.name, policies: new Map(), user: new Map(), builtin: new Map(), appending: false };
        continue;
      }
      if (!cur) return null;
      if (it.k === 'commit') {
        const t = finish(cur, cache);
        if (!t) return null;
        out.push(t);
        cur = null;
      } else if (it.k === 'decl') {
        if (cur.appending || !it.name || cur.user.has(it.name) || cur.policies.has(it.name)) return null;
        if (isBuiltin(cur.name, it.name)) {
          if (it.policy !== 'ACCEPT' && it.policy !== 'DROP') return null;
          cur.policies.set(it.name, it.policy);
        } else {
          if (it.policy !== '-' || it.name.length > 28) return null;
          cur.user.set(it.name, []);
        }
      } else {
        cur.appending = true;
        const builtin = isBuiltin(cur.name, it.chain);
        const runs = builtin ? cur.builtin.get(it.chain) ?? [] : cur.user.get(it.chain);
        if (!runs) return null;
        if (builtin && runs.length === 0) cur.builtin.set(it.chain, runs);
        runs.push(it);
      }
    }
  }
  return cur ? null : out;
}
