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
  /** Its `-A` lines joined by newlines (the cache key; a copy, never a slice of a writer's piece). */
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
  /** Its lines joined by newlines (a slice of the piece when they stand together in it). */
  body: string;
  /** Parsed rules (null: a line is not a plain append); re-parsed on every use when `nth`. */
  rules?: Rule[] | null;
  /** A rule keeps an nth counter in its match: the run's rules belong to one machine. */
  nth?: boolean;
  /** The chain this run alone makes in table `aloneIn` (a run is read into one table, nearly always). */
  alone?: CachedChain;
  aloneIn?: TableName;
}

type Item =
  | { readonly k: 'table'; readonly name: TableName }
  | { readonly k: 'decl'; readonly name: string; readonly policy: string }
  | { readonly k: 'commit' }
  | Run;

/** A piece, parsed: its items, and what a table laid out in whole pieces needs to know of it. */
interface Parsed {
  readonly items: readonly Item[];
  /** Each chain's runs in the piece (made when a delta needs them: byChain()). */
  runs?: ReadonlyMap<string, readonly Run[]>;
  /** Nothing but runs (a block of -A lines): changing it changes only the chains it appends to. */
  readonly onlyRuns: boolean;
  readonly tables: number;
  readonly commits: number;
}

function describePiece(items: Item[]): Parsed {
  let tables = 0, commits = 0, onlyRuns = true;
  for (const it of items) {
    if (it.k === 'rules') continue;
    onlyRuns = false;
    if (it.k === 'table') tables++;
    else if (it.k === 'commit') commits++;
  }
  return { items, onlyRuns, tables, commits };
}

/** Each chain's runs in the piece. */
function byChain(p: Parsed): ReadonlyMap<string, readonly Run[]> {
  if (p.runs) return p.runs;
  const m = new Map<string, Run[]>();
  for (const it of p.items) {
    if (it.k !== 'rules') continue;
    const l = m.get(it.chain);
    if (l) l.push(it); else m.set(it.chain, [it]);
  }
  p.runs = m;
  return m;
}

/**
 * The last table of a name assembled in full from whole pieces: the next machine whose pieces
 * differ only in blocks of -A lines (a node's own FLANNEL-POSTRTG) gets a copy with just the
 * chains those blocks append to made again.
 */
interface Snapshot {
  readonly pieces: readonly string[];
  readonly parsed: readonly Parsed[];
  /** The table as assembled (never installed: machines get copies, see copyTable). */
  readonly template: Table;
  /** Its user chains as checked, in order; its built-in chains' jumps. */
  readonly user: readonly (CheckedChain & { chain: Chain })[];
  /** Per chain, the indices of the pieces holding its runs. */
  readonly contrib: ReadonlyMap<string, readonly number[]>;
}

/** Pieces that may differ from the snapshot's for a machine to take the snapshot's other chains. */
const DELTA_MAX = 16;

/** A machine's own copy of an assembled table: its own built-in chains (policy, counters, rules list), the rest shared. */
function copyTable(t: Table): Table {
  const chains = new Map(t.chains);
  for (const name of BUILTIN_CHAINS[t.name]) {
    const c = chains.get(name)!;
    chains.set(name, { name, ...(c.policy ? { policy: c.policy } : {}), policyCounters: { pkts: 0, bytes: 0 }, rules: c.rules.slice() });
  }
  return { name: t.name, chains, used: true };
}

/**
 * A table a restore will install: read and checked, so the restore cannot fail any more; `make`
 * makes the machine's own copy (called once, when the table is first read: state.ts deferTable).
 */
export interface PendingTable {
  readonly name: TableName;
  readonly make: () => Table;
}

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

/** A piece's lines as items, or null when a line is anything the shared reader leaves to the line-by-line restore. */
function parsePiece(piece: string): Item[] | null {
  const items: Item[] = [];
  // The runs still open, each with its stretches of the piece as [start, end) offsets.
  const open = new Map<string, { readonly run: Run; readonly segs: number[] }>();
  const close = (): void => {
    for (const { run, segs } of open.values()) {
      let body = piece.slice(segs[0]!, segs[1]!);
      for (let i = 2; i < segs.length; i += 2) body += '\n' + piece.slice(segs[i]!, segs[i + 1]!);
      run.body = body;
    }
    open.clear();
  };
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
    if (c0 === 45 /* - */) {
      // `-A CHAIN ...`: anything else (-I, -N, a quoted name) is left to the line-by-line restore.
      if (!piece.startsWith('-A ', ls)) return null;
      let sp = piece.indexOf(' ', ls + 3);
      if (sp < 0 || sp > end) sp = end;
      const chain = piece.slice(ls + 3, sp);
      if (chain === '' || chain.includes('"') || chain.includes("'")) return null;
      const o = open.get(chain);
      if (o) {
        // A line right after the run's last one extends its stretch.
        if (o.segs[o.segs.length - 1] === ls - 1) o.segs[o.segs.length - 1] = end;
        else o.segs.push(ls, end);
        continue;
      }
      const fresh: Run = { k: 'rules', chain, body: '' };
      open.set(chain, { run: fresh, segs: [ls, end] });
      items.push(fresh);
      continue;
    }
    // A run of appends ends at any other line (a chain's lines keep their order).
    close();
    const line = piece.slice(ls, end);
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
  close();
  return items;
}

const hasNth = (r: Rule): boolean => r.matches.some((m) => m.kind === 'statistic' && m.mode === 'nth');

/** A run's rules, parsed once (shared between machines) unless one keeps an nth counter. */
function runRules(run: Run): Rule[] | null {
  if (run.rules !== undefined && !run.nth) return run.rules;
  const rules: Rule[] = [];
  let nth = false;
  for (const line of run.body.split('\n')) {
    const p = parseLine(line);
    if (!p.ok || p.cmd.op !== 'A' || p.counters || p.cmd.chain !== run.chain) { run.rules = null; return null; }
    const rule = p.cmd.rule;
    if (hasNth(rule)) { nth = true; rules.push(rule); } else rules.push({ ...rule, shared: true });
  }
  run.nth = nth;
  run.rules = rules;
  return rules;
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

/** Whether chains made again (user chains `made`, built-in chains' `builtins` rules) jump and NAT exactly as the template's they replace. */
function sameGraph(template: Table, made: ReadonlyMap<string, CheckedChain>, builtins: ReadonlyMap<string, readonly Rule[]>): boolean {
  const same = (name: string, now: { readonly jumps: readonly string[]; readonly nat: boolean }): boolean => {
    const was = describeJumps(template.chains.get(name)!.rules);
    return was.nat === now.nat && sameList(was.jumps, now.jumps);
  };
  for (const [name, e] of made) if (!same(name, e)) return false;
  for (const [name, rules] of builtins) if (!same(name, describeJumps(rules))) return false;
  return true;
}

/** Runs that make the same chain: the same objects, or the same lines. */
function sameRuns(a: readonly Run[], b: readonly Run[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (x !== y && (x.chain !== y.chain || x.body !== y.body)) return false;
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
  private readonly pieces = new Map<string, { readonly parsed: Parsed | null; used: number }>();
  /** Per table name, the last table assembled in full from whole pieces. */
  private readonly snapshots = new Map<TableName, Snapshot>();
  /** Per table, the last chain list that passed the checks (compared name by name, jump by jump). */
  private readonly checked = new Map<TableName, readonly CheckedChain[]>();
  private generation = 0;
  /** Chains parsed (or joined), and chains found already made, since the cache was made (for benchmarks and tests). */
  parsed = 0;
  reused = 0;
  /** Pieces parsed, and pieces found already parsed. */
  piecesParsed = 0;
  piecesReused = 0;
  /** Tables assembled in full, and tables copied from the last one with only some chains made again. */
  tablesAssembled = 0;
  tablesCopied = 0;
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

  /** @internal A piece, parsed; `keep` false for a one-off text (never held by the cache). */
  piece(text: string, keep: boolean): Parsed | null {
    const hit = this.pieces.get(text);
    if (hit) { hit.used = this.generation; this.piecesReused++; return hit.parsed; }
    const items = parsePiece(text);
    const parsed = items && describePiece(items);
    this.piecesParsed++;
    if (keep) this.pieces.set(text, { parsed, used: this.generation });
    return parsed;
  }

  /** @internal The empty user chain `name` (declared, no rules). */
  empty(table: TableName, name: string): CachedChain {
    const hit = this.lookup(table, name, '');
    if (hit) return hit;
    const n = detached(name);
    return this.store(table, { name: n, body: '', chain: { name: n, policyCounters: { pkts: 0, bytes: 0 }, rules: [], shared: true }, jumps: [], nat: false });
  }

  /** @internal The chain made of `runs`: empty, one run alone, or several joined. */
  chainOf(table: TableName, name: string, runs: readonly Run[]): CheckedChain & { chain: Chain } | null {
    return runs.length === 0 ? this.empty(table, name) : runs.length === 1 ? this.alone(table, runs[0]!) : this.joinedChain(table, name, runs);
  }

  /**
   * @internal One table laid out in whole pieces (from its `*table` line to its COMMIT): a copy of
   * the last one assembled when the pieces are the same, with the chains of the differing blocks
   * of -A lines made again when only such blocks differ, else assembled in full. Every piece is
   * read and every check made now; the machine's copy is made by the returned function, when
   * the table is first read (state.ts deferTable), or null when the restore would fail.
   */
  table(name: TableName, pieces: readonly string[], parsed: readonly Parsed[]): (() => Table) | null {
    const snap = this.snapshots.get(name);
    if (snap && snap.pieces.length === pieces.length) {
      const differ: number[] = [];
      for (let i = 0; i < pieces.length && differ.length <= DELTA_MAX; i++) {
        if (pieces[i] !== snap.pieces[i]) differ.push(i);
      }
      if (differ.length <= DELTA_MAX && differ.every((i) => parsed[i]!.onlyRuns && snap.parsed[i]!.onlyRuns)) {
        const t = differ.length === 0 ? (): Table => copyTable(snap.template) : this.delta(snap, differ, parsed);
        if (t === null) return null;
        this.tablesCopied++;
        return t;
      }
    }
    const full = assemble(name, parsed, this);
    if (!full) return null;
    this.snapshots.set(name, { pieces: pieces.slice(), parsed: parsed.slice(), ...full });
    this.tablesAssembled++;
    return () => copyTable(full.template);
  }

  /**
   * The snapshot's table with the chains the differing blocks append to made again: those chains
   * are made (parsed) and the table's checks run now; the copy is made by the returned function.
   */
  private delta(snap: Snapshot, differ: readonly number[], parsed: readonly Parsed[]): (() => Table) | null {
    const template = snap.template;
    const name = template.name;
    const changed = new Set(differ);
    const affected = new Set<string>();
    for (const i of differ) {
      for (const c of byChain(snap.parsed[i]!).keys()) affected.add(c);
      for (const c of byChain(parsed[i]!).keys()) affected.add(c);
    }
    const made = new Map<string, CheckedChain & { chain: Chain }>();
    const builtins = new Map<string, Rule[]>();
    for (const c of affected) {
      const builtin = isBuiltin(name, c);
      if (!builtin && !template.chains.has(c)) return null;
      const idx = (snap.contrib.get(c) ?? []).filter((i) => !changed.has(i));
      for (const i of differ) if (byChain(parsed[i]!).has(c)) idx.push(i);
      idx.sort((a, b) => a - b);
      const runs: Run[] = [];
      for (const i of idx) for (const r of byChain(changed.has(i) ? parsed[i]! : snap.parsed[i]!).get(c) ?? []) runs.push(r);
      if (builtin) {
        const rules = concatRules(runs);
        if (!rules) return null;
        builtins.set(c, rules);
        continue;
      }
      const e = this.chainOf(name, c, runs);
      if (!e) return null;
      made.set(c, e);
    }
    // The copy has the template's chain names (a delta adds or removes none). When every chain
    // made again jumps where the one it replaces jumped (and holds NAT targets as it did), the
    // graph is the template's, which passed the checks: nothing to walk. Else check the copy's.
    if (!sameGraph(template, made, builtins)) {
      const pending: CheckedChain[] = [];
      for (const b of BUILTIN_CHAINS[name]) {
        const rules = builtins.get(b) ?? template.chains.get(b)!.rules;
        if (rules.length) pending.push({ name: b, ...describeJumps(rules) });
      }
      for (const e of snap.user) pending.push(made.get(e.name) ?? e);
      if (!checked(template, pending, this)) return null;
    } else {
      this.checksSkipped++;
    }
    return () => {
      const table = copyTable(template);
      for (const [c, rules] of builtins) {
        const was = table.chains.get(c)!;
        table.chains.set(c, { name: c, ...(was.policy ? { policy: was.policy } : {}), policyCounters: { pkts: 0, bytes: 0 }, rules: rules.slice() });
      }
      for (const [c, e] of made) table.chains.set(c, e.chain);
      return table;
    };
  }

  /** @internal The chain one run makes alone in `table`. */
  alone(table: TableName, run: Run): CheckedChain & { chain: Chain } | null {
    const had = run.aloneIn === table ? run.alone : undefined;
    if (had) { had.used = this.generation; this.reused++; return had; }
    if (run.nth) return this.machineChain(run.chain, [run]);
    let e = this.lookup(table, run.chain, run.body);
    if (!e) {
      const rules = runRules(run);
      if (!rules) return null;
      if (run.nth) return this.machineChain(run.chain, [run]);
      const name = detached(run.chain);
      const chain: Chain = { name, policyCounters: { pkts: 0, bytes: 0 }, rules, shared: true };
      e = this.store(table, { name, body: detached(run.body), chain, ...describeJumps(rules) });
    }
    run.alone = e;
    run.aloneIn = table;
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
    // What the snapshots hold stays (a machine copied from one looked nothing up).
    for (const snap of this.snapshots.values()) {
      for (const e of snap.user) if ('used' in e) (e as CachedChain).used = this.generation;
      for (const p of snap.pieces) { const hit = this.pieces.get(p); if (hit) hit.used = this.generation; }
    }
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
  /** Per chain, the indices of the pieces holding its runs. */
  readonly contrib: Map<string, number[]>;
  appending: boolean;
}

function startTable(name: TableName): Assembly {
  return { name, policies: new Map(), user: new Map(), builtin: new Map(), contrib: new Map(), appending: false };
}

/** Adds a declaration or a run to the table being read (false: iptables-restore would refuse it, or the reader leaves it aside). */
function add(a: Assembly, it: Item, piece: number): boolean {
  if (it.k === 'decl') {
    if (a.appending || !it.name || a.user.has(it.name) || a.policies.has(it.name)) return false;
    if (isBuiltin(a.name, it.name)) {
      if (it.policy !== 'ACCEPT' && it.policy !== 'DROP') return false;
      a.policies.set(it.name, it.policy);
    } else {
      if (it.policy !== '-' || it.name.length > 28) return false;
      a.user.set(it.name, []);
    }
    return true;
  }
  if (it.k !== 'rules') return false;
  a.appending = true;
  const builtin = isBuiltin(a.name, it.chain);
  const runs = builtin ? a.builtin.get(it.chain) ?? [] : a.user.get(it.chain);
  if (!runs) return false;
  if (builtin && runs.length === 0) a.builtin.set(it.chain, runs);
  runs.push(it);
  const c = a.contrib.get(it.chain);
  if (!c) a.contrib.set(it.chain, [piece]);
  else if (c[c.length - 1] !== piece) c.push(piece);
  return true;
}

function concatRules(runs: readonly Run[]): Rule[] | null {
  const rules: Rule[] = [];
  for (const run of runs) {
    const r = runRules(run);
    if (!r) return null;
    for (const x of r) rules.push(x);
  }
  return rules;
}

/** The built-in chains' jumps and NAT targets, for the checks. */
function builtinChecks(t: Table): CheckedChain[] {
  const out: CheckedChain[] = [];
  for (const name of BUILTIN_CHAINS[t.name]) {
    const c = t.chains.get(name);
    if (c && c.rules.length) out.push({ name, ...describeJumps(c.rules) });
  }
  return out;
}

/**
 * What each -A line's checks would say (ops.ts checkRule), then the loop check at COMMIT;
 * skipped when the same graph passed them on the previous machine.
 */
function checked(t: Table, pending: readonly CheckedChain[], cache: ChainCache): boolean {
  if (cache.passed(t.name, pending)) return true;
  for (const p of pending) {
    if (p.nat && t.name !== 'nat') return false;
    for (const j of p.jumps) if (!t.chains.has(j) || isBuiltin(t.name, j)) return false;
  }
  if (hasLoop(pending)) return false;
  cache.pass(t.name, pending);
  return true;
}

function finish(a: Assembly, cache: ChainCache): Omit<Snapshot, 'pieces' | 'parsed'> | null {
  const table: Table = { ...newTable(a.name), used: true };
  for (const name of BUILTIN_CHAINS[a.name]) {
    const c = table.chains.get(name)!;
    const policy = a.policies.get(name);
    if (policy === 'ACCEPT' || policy === 'DROP') c.policy = policy;
    const runs = a.builtin.get(name);
    if (!runs) continue;
    // A built-in chain is each machine's own (its policy and counters); its rules are shared.
    const rules = concatRules(runs);
    if (!rules) return null;
    c.rules = rules;
  }
  const user: (CheckedChain & { chain: Chain })[] = [];
  for (const [name, runs] of a.user) {
    const e = cache.chainOf(a.name, name, runs);
    if (!e) return null;
    table.chains.set(e.chain.name, e.chain);
    user.push(e);
  }
  return checked(table, [...builtinChecks(table), ...user], cache) ? { template: table, user, contrib: a.contrib } : null;
}

/** One table from its parsed pieces (the first opens it, the last commits it). */
function assemble(name: TableName, parsed: readonly Parsed[], cache: ChainCache): Omit<Snapshot, 'pieces' | 'parsed'> | null {
  const a = startTable(name);
  for (let i = 0; i < parsed.length; i++) {
    for (const it of parsed[i]!.items) {
      if (it.k === 'table' || it.k === 'commit') continue;
      if (!add(a, it, i)) return null;
    }
  }
  return finish(a, cache);
}

/**
 * A full (flushing) restore of well-formed writer output, handed over as pieces whose
 * concatenation is the restore text (each piece whole lines): each table's chain declarations,
 * then its `-A` lines. Returns the tables to install (each made when `make` is called: every
 * line is parsed and every check made before this returns), or null when the text is anything else or
 * any line or check would fail: the line-by-line restore of the joined pieces then runs and
 * reports exactly as iptables-restore does. Never changes any machine's state. `keep` false
 * parses the pieces without keeping them (a one-off text).
 *
 * Tables laid out in whole pieces (Ruleset.pieces: a piece opens with `*table`, another ends
 * with COMMIT) are assembled once and copied to the next machine with the same pieces; a
 * machine whose pieces differ only in blocks of -A lines gets only those chains made again.
 */
export function restorePieces(pieces: readonly string[], cache: ChainCache, keep = true): PendingTable[] | null {
  const parsed: Parsed[] = [];
  const texts: string[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    if (piece === '') continue;
    if (i < pieces.length - 1 && piece.charCodeAt(piece.length - 1) !== 10) return null;
    const p = cache.piece(piece, keep);
    if (!p) return null;
    if (p.items.length === 0) continue;
    parsed.push(p);
    texts.push(piece);
  }
  if (keep) {
    const aligned = restoreAligned(texts, parsed, cache);
    if (aligned !== undefined) return aligned;
  }
  const out: PendingTable[] = [];
  let cur: Assembly | null = null;
  for (let i = 0; i < parsed.length; i++) {
    for (const it of parsed[i]!.items) {
      if (it.k === 'table') {
        if (cur) return null;
        cur = startTable(it.name);
      } else if (!cur) {
        return null;
      } else if (it.k === 'commit') {
        const t = finish(cur, cache);
        if (!t) return null;
        out.push({ name: cur.name, make: () => copyTable(t.template) });
        cur = null;
      } else if (!add(cur, it, i)) {
        return null;
      }
    }
  }
  return cur ? null : out;
}

/** The tables when each is laid out in whole pieces; undefined when they are not (the caller reads item by item). */
function restoreAligned(texts: readonly string[], parsed: readonly Parsed[], cache: ChainCache): PendingTable[] | null | undefined {
  const out: PendingTable[] = [];
  let i = 0;
  while (i < parsed.length) {
    const first = parsed[i]!;
    const open = first.items[0]!;
    if (open.k !== 'table' || first.tables !== 1) return undefined;
    let end = -1;
    for (let j = i; j < parsed.length; j++) {
      const p = parsed[j]!;
      if (j > i && p.tables !== 0) return undefined;
      if (p.commits === 0) continue;
      if (p.commits !== 1 || p.items[p.items.length - 1]!.k !== 'commit') return undefined;
      end = j;
      break;
    }
    if (end < 0) return undefined;
    const make = cache.table(open.name, texts.slice(i, end + 1), parsed.slice(i, end + 1));
    if (!make) return null;
    out.push({ name: open.name, make });
    i = end + 1;
  }
  return out;
}
