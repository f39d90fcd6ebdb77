/**
 * An nftables ruleset as the kernel holds it (nf_tables): tables, chains (base chains carry a
 * type, hook, priority and policy), rules made of expressions, named sets and verdict maps.
 * Loaded from the command text `nft -f` reads (`add table`, `add chain`, `add rule`, `add set`,
 * `add map`, `add element`, `flush`, `delete`) and printed back as `nft list ruleset` prints it.
 *
 * The expressions are the ones kube-proxy's nftables proxier writes: ip/meta/th/tcp/udp/ct/fib
 * selectors, concatenations (`ip daddr . meta l4proto . th dport`), set and verdict-map lookups,
 * `numgen random mod N vmap {...}`, mark arithmetic, dnat/masquerade, jump/goto/return/accept/
 * drop/reject, counter and comment, and dynamic sets with a timeout filled from the packet path
 * (`update @affinity-… { ip saddr }`, session affinity). Anything else is a load error naming the line, as `nft -f`
 * refuses the whole file.
 */

export type NftHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting';
export type NftChainType = 'filter' | 'nat' | 'route';

/** One selector of a packet: what its value is read from. */
export type Selector =
  | { readonly k: 'ip'; readonly field: 'saddr' | 'daddr' | 'protocol' }
  /** `ip6 saddr` / `ip6 daddr` (ip6 tables: parsed and listed; IPv4 packets never traverse them). */
  | { readonly k: 'ip6'; readonly field: 'saddr' | 'daddr' }
  | { readonly k: 'meta'; readonly field: 'l4proto' | 'mark' | 'iifname' | 'oifname' }
  | { readonly k: 'th' | 'tcp' | 'udp' | 'sctp'; readonly field: 'sport' | 'dport' }
  | { readonly k: 'ct'; readonly field: 'state' }
  | { readonly k: 'fib'; readonly field: 'saddr' | 'daddr' }
  | { readonly k: 'numgen'; readonly mod: number }
  /** `meta mark & MASK` */
  | { readonly k: 'markand'; readonly mask: number };

/** What a selector is compared with, or looked up in. */
export type Rhs =
  | { readonly k: 'value'; readonly values: readonly string[] }
  | { readonly k: 'set'; readonly values: readonly string[] }
  | { readonly k: 'named'; readonly name: string };

export type Verdict =
  | { readonly k: 'accept' } | { readonly k: 'drop' } | { readonly k: 'return' }
  | { readonly k: 'reject' }
  | { readonly k: 'jump' | 'goto'; readonly chain: string };

export type Stmt =
  | { readonly k: 'match'; readonly sel: readonly Selector[]; readonly neg: boolean; readonly rhs: Rhs }
  | { readonly k: 'vmap'; readonly sel: readonly Selector[]; readonly map: { readonly k: 'named'; readonly name: string } | { readonly k: 'inline'; readonly elems: readonly MapElem[] } }
  | { readonly k: 'verdict'; readonly v: Verdict }
  | { readonly k: 'counter' }
  | { readonly k: 'markset'; readonly op: 'or' | 'xor' | 'and' | 'set'; readonly value: number }
  | { readonly k: 'dnat'; readonly ip: string; readonly port?: number }
  /** `update @set { ip saddr }`: adds the packet's key to a dynamic set, or refreshes its timeout. */
  | { readonly k: 'setupdate'; readonly op: 'update' | 'add'; readonly set: string; readonly sel: readonly Selector[] }
  | { readonly k: 'masquerade'; readonly fullyRandom: boolean };

export interface MapElem {
  readonly key: readonly string[];
  readonly verdict?: Verdict;
  readonly comment?: string;
  /** Elements of a set with a timeout: when it expires, in simulation milliseconds. */
  readonly expiresAt?: number;
}

export interface NftRule {
  readonly stmts: readonly Stmt[];
  readonly comment?: string;
  readonly counters: { packets: number; bytes: number };
  readonly handle: number;
}

export interface NftChain {
  readonly name: string;
  comment?: string;
  base?: { readonly type: NftChainType; readonly hook: NftHook; readonly priority: number; readonly policy: 'accept' | 'drop' };
  rules: NftRule[];
}

export interface NftSet {
  readonly name: string;
  readonly map: boolean;
  /** Key types, e.g. ['ipv4_addr', 'inet_proto', 'inet_service']; maps: value type 'verdict'. */
  readonly keyTypes: readonly string[];
  readonly comment?: string;
  /** `flags dynamic,timeout` as declared. */
  readonly flags?: readonly string[];
  /** The default element timeout, in seconds (`timeout 10800s`). */
  readonly timeout?: number;
  /** nft gives a set filled from the packet path (an `update @set` rule) a size of 65535 when none is declared. */
  size?: number;
  elems: MapElem[];
}

export interface NftTable {
  readonly family: 'ip' | 'ip6' | 'inet';
  readonly name: string;
  comment?: string;
  chains: Map<string, NftChain>;
  sets: Map<string, NftSet>;
}

/** A transaction a daemon ran with `nft -f` that the kernel refused (nothing of it applied). */
export interface NftLoadFailure {
  /** node/NAME. */
  readonly machine: string;
  readonly writer: string;
  /** 1-based line of the transaction, and its text. */
  readonly line: number;
  readonly text: string;
  readonly error: string;
}

export interface NftState {
  tables: NftTable[];
  nextHandle: number;
  /** Set while the last load of kube-proxy's transaction on this machine failed. */
  loadFailure?: NftLoadFailure;
}

export const newNftState = (): NftState => ({ tables: [], nextHandle: 1 });

// ---- tokens -------------------------------------------------------------------------------------

function tokenize(s: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '"') {
      const end = s.indexOf('"', i + 1);
      if (end < 0) throw new Error('unterminated string');
      out.push(s.slice(i, end + 1));
      i = end + 1;
      continue;
    }
    if ('{},;'.includes(c) || (c === ':' && (i + 1 === s.length || s[i + 1] === ' '))) { out.push(c); i++; continue; }
    let j = i;
    // A word ends at a blank, a brace, a comma, a semicolon, a quote, or a ':' followed by a
    // blank (a map element's separator; `dnat to 10.0.0.1:80` keeps its colon).
    while (j < s.length && !' \t{},;"'.includes(s[j]!) && !(s[j] === ':' && (j + 1 === s.length || s[j + 1] === ' '))) j++;
    out.push(s.slice(i, j));
    i = j;
  }
  return out;
}

class Cursor {
  i = 0;
  constructor(readonly t: string[]) {}
  peek(o = 0): string | undefined { return this.t[this.i + o]; }
  next(): string {
    const v = this.t[this.i++];
    if (v === undefined) throw new Error('syntax error, unexpected end of line');
    return v;
  }
  expect(v: string): void {
    const got = this.next();
    if (got !== v) throw new Error(`syntax error, unexpected ${got}, expecting ${v}`);
  }
  done(): boolean { return this.i >= this.t.length; }
}

const unquote = (s: string): string => (s.startsWith('"') ? s.slice(1, -1) : s);

function num(s: string): number {
  const v = s.startsWith('0x') ? parseInt(s, 16) : Number(s);
  if (!Number.isFinite(v)) throw new Error(`syntax error, unexpected ${s}`);
  return v >>> 0;
}

// ---- rules --------------------------------------------------------------------------------------

function parseSelector(c: Cursor): Selector | null {
  const a = c.peek();
  const b = c.peek(1);
  if (a === 'ip' && (b === 'saddr' || b === 'daddr' || b === 'protocol')) { c.i += 2; return { k: 'ip', field: b }; }
  if (a === 'ip6' && (b === 'saddr' || b === 'daddr')) { c.i += 2; return { k: 'ip6', field: b }; }
  if (a === 'meta' && (b === 'l4proto' || b === 'mark' || b === 'iifname' || b === 'oifname')) {
    c.i += 2;
    if (b === 'mark') return markSel(c);
    return { k: 'meta', field: b };
  }
  if (a === 'mark' && c.peek(1) !== 'set') { c.i += 1; return markSel(c); }
  if ((a === 'iifname' || a === 'oifname')) { c.i += 1; return { k: 'meta', field: a }; }
  if ((a === 'th' || a === 'tcp' || a === 'udp' || a === 'sctp') && (b === 'sport' || b === 'dport')) { c.i += 2; return { k: a, field: b }; }
  if (a === 'ct' && b === 'state') { c.i += 2; return { k: 'ct', field: 'state' }; }
  if (a === 'fib' && (b === 'saddr' || b === 'daddr')) { c.i += 2; c.expect('type'); return { k: 'fib', field: b }; }
  if (a === 'numgen') { c.i += 1; c.expect('random'); c.expect('mod'); return { k: 'numgen', mod: num(c.next()) }; }
  return null;
}

function markSel(c: Cursor): Selector {
  if (c.peek() === 'and' || c.peek() === '&') { c.next(); return { k: 'markand', mask: num(c.next()) }; }
  return { k: 'meta', field: 'mark' };
}

function parseVerdict(c: Cursor): Verdict | null {
  const a = c.peek();
  if (a === 'accept' || a === 'drop' || a === 'return') { c.next(); return { k: a }; }
  if (a === 'reject') { c.next(); return { k: 'reject' }; }
  if (a === 'jump' || a === 'goto') { c.next(); return { k: a, chain: c.next() }; }
  return null;
}

function parseList(c: Cursor): string[][] {
  // `{ a . b : verdict, ... }` or `{ a, b }`; the caller consumed nothing yet.
  c.expect('{');
  const out: string[][] = [];
  let cur: string[] = [];
  for (;;) {
    const t = c.next();
    if (t === '}') { if (cur.length) out.push(cur); return out; }
    if (t === ',') { out.push(cur); cur = []; continue; }
    cur.push(t);
  }
}

function elemOf(tokens: string[], withVerdict: boolean): MapElem {
  const colon = tokens.indexOf(':');
  let keyToks = colon >= 0 ? tokens.slice(0, colon) : tokens;
  let comment: string | undefined;
  const ci = keyToks.indexOf('comment');
  if (ci >= 0) { comment = unquote(keyToks[ci + 1] ?? '""'); keyToks = keyToks.slice(0, ci); }
  const key = keyToks.filter((t) => t !== '.');
  if (!withVerdict) return { key, ...(comment !== undefined ? { comment } : {}) };
  if (colon < 0) throw new Error('syntax error, a map element needs ": verdict"');
  const vc = new Cursor(tokens.slice(colon + 1));
  const v = parseVerdict(vc);
  if (!v) throw new Error(`syntax error, unexpected ${tokens[colon + 1] ?? 'end'}, expecting a verdict`);
  return { key, verdict: v, ...(comment !== undefined ? { comment } : {}) };
}

export function parseRule(text: string, handle: number): NftRule {
  const c = new Cursor(tokenize(text));
  const stmts: Stmt[] = [];
  let comment: string | undefined;
  while (!c.done()) {
    const t = c.peek()!;
    if (t === 'comment') { c.next(); comment = unquote(c.next()); continue; }
    if (t === 'counter') {
      c.next();
      if (c.peek() === 'packets') { c.i += 4; }
      stmts.push({ k: 'counter' });
      continue;
    }
    if (t === 'dnat') {
      c.next(); c.expect('to');
      const to = c.next();
      const m = /^(\d+\.\d+\.\d+\.\d+)(?::(\d+))?$/.exec(to) ?? /^\[([0-9a-fA-F:.]+)\](?::(\d+))?$/.exec(to);
      if (!m) throw new Error(`syntax error, unexpected ${to}`);
      stmts.push({ k: 'dnat', ip: m[1]!, ...(m[2] ? { port: Number(m[2]) } : {}) });
      continue;
    }
    if ((t === 'update' || t === 'add') && c.peek(1)?.startsWith('@')) {
      c.next();
      const set = c.next().slice(1);
      c.expect('{');
      const sel: Selector[] = [];
      for (;;) {
        const x = parseSelector(c);
        if (!x) throw new Error(`syntax error, unexpected ${c.peek() ?? 'end of line'}`);
        sel.push(x);
        if (c.peek() === '.') { c.next(); continue; }
        break;
      }
      c.expect('}');
      stmts.push({ k: 'setupdate', op: t, set, sel });
      continue;
    }
    if (t === 'masquerade') {
      c.next();
      let fullyRandom = false;
      if (c.peek() === 'fully-random') { c.next(); fullyRandom = true; }
      stmts.push({ k: 'masquerade', fullyRandom });
      continue;
    }
    if ((t === 'mark' && c.peek(1) === 'set') || (t === 'meta' && c.peek(1) === 'mark' && c.peek(2) === 'set')) {
      c.i += t === 'mark' ? 2 : 3;
      if (c.peek() === 'mark' || c.peek() === 'meta') {
        if (c.next() === 'meta') c.expect('mark');
        const op = c.next();
        const sym = op === 'or' || op === '|' ? 'or' : op === 'xor' || op === '^' ? 'xor' : op === 'and' || op === '&' ? 'and' : null;
        if (!sym) throw new Error(`syntax error, unexpected ${op}`);
        stmts.push({ k: 'markset', op: sym, value: num(c.next()) });
      } else {
        stmts.push({ k: 'markset', op: 'set', value: num(c.next()) });
      }
      continue;
    }
    const v = parseVerdict(c);
    if (v) { stmts.push({ k: 'verdict', v }); continue; }
    const sel: Selector[] = [];
    for (;;) {
      const s = parseSelector(c);
      if (!s) break;
      sel.push(s);
      if (c.peek() === '.') { c.next(); continue; }
      break;
    }
    if (!sel.length) throw new Error(`syntax error, unexpected ${t}`);
    if (c.peek() === 'vmap') {
      c.next();
      if (c.peek() === '@') { c.next(); stmts.push({ k: 'vmap', sel, map: { k: 'named', name: c.next() } }); continue; }
      if (c.peek()?.startsWith('@')) { stmts.push({ k: 'vmap', sel, map: { k: 'named', name: c.next().slice(1) } }); continue; }
      const elems = parseList(c).map((e) => elemOf(e, true));
      stmts.push({ k: 'vmap', sel, map: { k: 'inline', elems } });
      continue;
    }
    let neg = false;
    if (c.peek() === '!=') { c.next(); neg = true; } else if (c.peek() === '==') c.next();
    const r = c.peek();
    if (r === '@') { c.next(); stmts.push({ k: 'match', sel, neg, rhs: { k: 'named', name: c.next() } }); continue; }
    if (r?.startsWith('@')) { c.next(); stmts.push({ k: 'match', sel, neg, rhs: { k: 'named', name: r.slice(1) } }); continue; }
    if (r === '{') { stmts.push({ k: 'match', sel, neg, rhs: { k: 'set', values: parseList(c).map((e) => e.join(' ')) } }); continue; }
    const values: string[] = [];
    for (;;) {
      values.push(c.next());
      if (c.peek() === '.') { c.next(); continue; }
      break;
    }
    // `ct state new,established`
    const flat = values.length === 1 && values[0]!.includes(',') ? values[0]!.split(',') : null;
    stmts.push({ k: 'match', sel, neg, rhs: flat ? { k: 'set', values: flat } : { k: 'value', values } });
  }
  return { stmts, ...(comment !== undefined ? { comment } : {}), counters: { packets: 0, bytes: 0 }, handle };
}

// ---- printing (nft list) ------------------------------------------------------------------------

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

function selText(s: Selector): string {
  switch (s.k) {
    case 'ip': return `ip ${s.field}`;
    case 'ip6': return `ip6 ${s.field}`;
    case 'meta': return s.field === 'iifname' || s.field === 'oifname' ? s.field : `meta ${s.field}`;
    case 'th': case 'tcp': case 'udp': case 'sctp': return `${s.k} ${s.field}`;
    case 'ct': return 'ct state';
    case 'fib': return `fib ${s.field} type`;
    case 'numgen': return `numgen random mod ${s.mod}`;
    case 'markand': return `meta mark & ${hex8(s.mask)}`;
  }
}

function valueText(sel: readonly Selector[], v: string): string {
  if (sel.length === 1 && (sel[0]!.k === 'markand' || (sel[0]!.k === 'meta' && sel[0]!.field === 'mark'))) return hex8(num(v));
  return v;
}

export function verdictText(v: Verdict): string {
  return v.k === 'jump' || v.k === 'goto' ? `${v.k} ${v.chain}` : v.k;
}

function elemText(e: MapElem): string {
  return `${e.key.join(' . ')}${e.comment !== undefined ? ` comment "${e.comment}"` : ''}${e.verdict ? ` : ${verdictText(e.verdict)}` : ''}`;
}

export function stmtText(s: Stmt): string {
  switch (s.k) {
    case 'match': {
      const lhs = s.sel.map(selText).join(' . ');
      const rhs = s.rhs.k === 'named' ? `@${s.rhs.name}` : s.rhs.k === 'set' ? (s.sel[0]?.k === 'ct' ? s.rhs.values.join(',') : s.rhs.values.length === 1 ? s.rhs.values[0]! : `{ ${s.rhs.values.join(', ')} }`) : s.rhs.values.map((v) => valueText(s.sel, v)).join(' . ');
      return `${lhs} ${s.neg ? '!= ' : s.sel[0]?.k === 'markand' ? '== ' : ''}${rhs}`;
    }
    case 'vmap': {
      const lhs = s.sel.map(selText).join(' . ');
      return `${lhs} vmap ${s.map.k === 'named' ? `@${s.map.name}` : `{ ${s.map.elems.map(elemText).join(', ')} }`}`;
    }
    case 'verdict': return verdictText(s.v);
    case 'counter': return 'counter';
    case 'markset': return s.op === 'set' ? `meta mark set ${hex8(s.value)}` : `meta mark set meta mark ${s.op === 'or' ? '|' : s.op === 'xor' ? '^' : '&'} ${hex8(s.value)}`;
    case 'dnat': return s.ip.includes(':') ? `dnat to ${s.port !== undefined ? `[${s.ip}]:${s.port}` : s.ip}` : `dnat to ${s.ip}${s.port !== undefined ? `:${s.port}` : ''}`;
    case 'masquerade': return `masquerade${s.fullyRandom ? ' fully-random' : ''}`;
    case 'setupdate': return `${s.op} @${s.set} { ${s.sel.map(selText).join(' . ')} }`;
  }
}

export function ruleText(r: NftRule, counters = false): string {
  const parts = r.stmts.map((s) => (s.k === 'counter' && counters ? `counter packets ${r.counters.packets} bytes ${r.counters.bytes}` : stmtText(s)));
  if (r.comment !== undefined) parts.push(`comment "${r.comment}"`);
  return parts.join(' ');
}

/** nft's standard priority names for the ip family (nftables' std_prio_lookup). */
function priorityText(hook: NftHook, p: number): string {
  const names: [string, number, NftHook[] | null][] = [['raw', -300, null], ['mangle', -150, null], ['dstnat', -100, ['prerouting']], ['filter', 0, null], ['security', 50, null], ['srcnat', 100, ['postrouting']]];
  for (const [name, v, hooks] of names) {
    if (hooks && !hooks.includes(hook)) continue;
    if (p === v) return name;
    if (Math.abs(p - v) <= 10) return `${name} ${p > v ? '+' : '-'} ${Math.abs(p - v)}`;
  }
  return String(p);
}

/** A duration as nft prints one: `3h`, `1h30m`, `2h59m59s996ms` (nftables' time_print). */
export function nftTime(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  const parts: string[] = [];
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n) parts.push(`${n}${unit}`);
  }
  return parts.join('') || '0s';
}

/** `10800s`, `3h`, `1h30m`, `500ms` → milliseconds. */
function parseTime(text: string): number {
  let ms = 0;
  const re = /(\d+)(ms|d|h|m|s)/g;
  let m: RegExpExecArray | null;
  let seen = '';
  while ((m = re.exec(text))) { ms += Number(m[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 }[m[2] as 'd']; seen += m[0]; }
  if (!seen || seen !== text) throw new Error(`syntax error, unexpected ${text}, expecting a time value`);
  return ms;
}

/** Elements still alive at `now` (a timed element is gone once it expires, as the set's GC reaps it). */
export function liveElems(s: NftSet, now: number | undefined): readonly MapElem[] {
  if (now === undefined || !s.elems.some((e) => e.expiresAt !== undefined)) return s.elems;
  return s.elems.filter((e) => e.expiresAt === undefined || e.expiresAt > now);
}

function setText(s: NftSet, now?: number): string {
  const lines = [`\t${s.map ? 'map' : 'set'} ${s.name} {`, `\t\ttype ${s.keyTypes.join(' . ')}${s.map ? ' : verdict' : ''}`];
  if (s.size !== undefined) lines.push(`\t\tsize ${s.size}`);
  // nft prints the flags only when one besides `timeout` (implied by the timeout itself) is set.
  const flags = ['constant', 'interval', 'dynamic', 'timeout'].filter((f) => s.flags?.includes(f));
  if (flags.some((f) => f !== 'timeout')) lines.push(`\t\tflags ${flags.join(',')}`);
  if (s.timeout !== undefined) lines.push(`\t\ttimeout ${nftTime(s.timeout * 1000)}`);
  if (s.comment !== undefined) lines.push(`\t\tcomment "${s.comment}"`);
  const elems = liveElems(s, now);
  if (elems.length) {
    const items = elems.map((e) => (e.expiresAt !== undefined && s.timeout !== undefined
      ? `${e.key.join(' . ')} expires ${nftTime(e.expiresAt - (now ?? 0))}`
      : elemText(e)));
    lines.push(`\t\telements = { ${items.join(',\n\t\t\t     ')} }`);
  }
  lines.push('\t}');
  return lines.join('\n');
}

export function chainText(c: NftChain, indent = '\t', counters = false): string {
  const lines = [`${indent}chain ${c.name} {`];
  if (c.comment !== undefined) lines.push(`${indent}\tcomment "${c.comment}"`);
  if (c.base) lines.push(`${indent}\ttype ${c.base.type} hook ${c.base.hook} priority ${priorityText(c.base.hook, c.base.priority)}; policy ${c.base.policy};`);
  for (const r of c.rules) lines.push(`${indent}\t${ruleText(r, counters)}`);
  lines.push(`${indent}}`);
  return lines.join('\n');
}

/** `now`: the simulation time, for the `expires` of timed set elements (nft prints them relative to now). */
export function tableText(t: NftTable, now?: number): string {
  const blocks: string[] = [];
  for (const s of t.sets.values()) blocks.push(setText(s, now));
  for (const c of t.chains.values()) blocks.push(chainText(c));
  const head = [`table ${t.family} ${t.name} {`];
  if (t.comment !== undefined) head.push(`\tcomment "${t.comment}"`);
  return `${head.join('\n')}\n${blocks.join('\n\n')}${blocks.length ? '\n' : ''}}\n`;
}

export function rulesetText(st: NftState, now?: number): string {
  return st.tables.map((t) => tableText(t, now)).join('');
}

// ---- nft -f -------------------------------------------------------------------------------------

export type LoadResult = { ok: true } | { ok: false; line: number; error: string };

const HOOKS: readonly NftHook[] = ['prerouting', 'input', 'forward', 'output', 'postrouting'];

function parsePriority(s: string[]): number {
  // `-110`, `dstnat`, `dstnat - 10`, `dstnat -10`
  const text = s.join(' ').replace(/\s+/g, '');
  const m = /^(raw|mangle|dstnat|filter|security|srcnat)?([+-]?\d+)?$/.exec(text);
  if (!m || (!m[1] && !m[2])) throw new Error(`syntax error, unexpected priority ${s.join(' ')}`);
  const base = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 }[m[1] as 'raw'] ?? 0;
  return base + (m[2] ? Number(m[2]) : 0);
}

function findTable(st: NftState, family: string, name: string): NftTable {
  const t = st.tables.find((x) => x.family === family && x.name === name);
  if (!t) throw new Error(`Could not process rule: No such file or directory (table ${family} ${name})`);
  return t;
}

function clone(st: NftState): NftState {
  return {
    nextHandle: st.nextHandle,
    tables: st.tables.map((t) => ({
      ...t,
      chains: new Map([...t.chains].map(([k, c]) => [k, { ...c, rules: [...c.rules] }])),
      sets: new Map([...t.sets].map(([k, s]) => [k, { ...s, elems: [...s.elems] }])),
    })),
  };
}

/**
 * Applies a `nft -f` file to the state: atomically, as nft does (one transaction; any error
 * leaves the state as it was and names the line).
 */
export function nftLoad(st: NftState, text: string): LoadResult {
  const work = clone(st);
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (!line || line.startsWith('#')) continue;
    try {
      applyLine(work, line);
    } catch (e) {
      return { ok: false, line: n + 1, error: (e as Error).message };
    }
  }
  st.tables = work.tables;
  st.nextHandle = work.nextHandle;
  return { ok: true };
}

function bodyOf(c: Cursor): string[] {
  if (c.peek() !== '{') return [];
  c.next();
  const out: string[] = [];
  let depth = 1;
  for (;;) {
    const t = c.next();
    if (t === '{') depth++;
    if (t === '}' && --depth === 0) return out;
    out.push(t);
  }
}

/** Splits a `{ k v ; k v ; }` body into its `;`-separated statements. */
function statements(body: string[]): string[][] {
  const out: string[][] = [];
  let cur: string[] = [];
  for (const t of body) {
    if (t === ';') { if (cur.length) out.push(cur); cur = []; } else cur.push(t);
  }
  if (cur.length) out.push(cur);
  return out;
}

function applyLine(st: NftState, line: string): void {
  const verbToks = /^(\S+)\s+(\S+)\s+(ip6?|inet)\s+(\S+)\s*(.*)$/.exec(line);
  if (!verbToks) throw new Error(`syntax error: ${line}`);
  const [, verb, what, family, tableName, restRaw] = verbToks as unknown as [string, string, string, 'ip', string, string];
  const rest = restRaw ?? '';
  if (what === 'table') {
    let t = st.tables.find((x) => x.family === family && x.name === tableName);
    if (verb === 'add' || verb === 'create') {
      if (!t) { t = { family, name: tableName, chains: new Map(), sets: new Map() }; st.tables.push(t); }
      for (const s of statements(bodyOf(new Cursor(tokenize(rest))))) if (s[0] === 'comment') t.comment = unquote(s[1] ?? '""');
      return;
    }
    if (verb === 'delete' || verb === 'destroy') {
      if (!t && verb === 'delete') throw new Error(`Could not process rule: No such file or directory (table ${family} ${tableName})`);
      st.tables = st.tables.filter((x) => x !== t);
      return;
    }
    if (verb === 'flush') {
      const tt = findTable(st, family, tableName);
      for (const c of tt.chains.values()) c.rules = [];
      for (const s of tt.sets.values()) s.elems = [];
      return;
    }
    throw new Error(`syntax error, unexpected ${verb}`);
  }
  const t = findTable(st, family, tableName);
  const c = new Cursor(tokenize(rest));
  if (what === 'chain') {
    const name = c.next();
    if (verb === 'add' || verb === 'create') {
      const body = statements(bodyOf(c));
      let chain = t.chains.get(name);
      if (!chain) { chain = { name, rules: [] }; t.chains.set(name, chain); }
      for (const s of body) {
        if (s[0] === 'comment') chain.comment = unquote(s[1] ?? '""');
        else if (s[0] === 'type') {
          const type = s[1] as NftChainType;
          if (type !== 'filter' && type !== 'nat' && type !== 'route') throw new Error(`Could not process rule: unknown chain type ${s[1]}`);
          if (s[2] !== 'hook' || !HOOKS.includes(s[3] as NftHook)) throw new Error(`syntax error, unexpected ${s[3] ?? s[2]}, expecting a hook`);
          if (s[4] !== 'priority') throw new Error('syntax error, expecting priority');
          chain.base = { type, hook: s[3] as NftHook, priority: parsePriority(s.slice(5)), policy: chain.base?.policy ?? 'accept' };
        } else if (s[0] === 'policy' && chain.base) chain.base = { ...chain.base, policy: s[1] === 'drop' ? 'drop' : 'accept' };
        else throw new Error(`syntax error, unexpected ${s[0]}`);
      }
      return;
    }
    if (verb === 'flush') { const ch = t.chains.get(name); if (!ch) throw new Error(`Could not process rule: No such file or directory (chain ${name})`); ch.rules = []; return; }
    if (verb === 'delete' || verb === 'destroy') {
      if (!t.chains.has(name)) { if (verb === 'delete') throw new Error(`Could not process rule: No such file or directory (chain ${name})`); return; }
      t.chains.delete(name);
      return;
    }
    throw new Error(`syntax error, unexpected ${verb}`);
  }
  if (what === 'rule') {
    const name = c.next();
    const chain = t.chains.get(name);
    if (!chain) throw new Error(`Could not process rule: No such file or directory (chain ${name})`);
    if (verb !== 'add' && verb !== 'insert') throw new Error(`syntax error, unexpected ${verb}`);
    const ruleText = rest.slice(rest.indexOf(name) + name.length).trim();
    const rule = parseRule(ruleText, st.nextHandle++);
    for (const s of rule.stmts) {
      const target = s.k === 'verdict' && (s.v.k === 'jump' || s.v.k === 'goto') ? s.v.chain : null;
      if (target && !t.chains.has(target)) throw new Error(`Could not process rule: No such file or directory (chain ${target})`);
      const set = s.k === 'vmap' && s.map.k === 'named' ? s.map.name : s.k === 'match' && s.rhs.k === 'named' ? s.rhs.name : s.k === 'setupdate' ? s.set : null;
      if (set && !t.sets.has(set)) throw new Error(`Could not process rule: No such file or directory (set ${set})`);
      // The kernel only lets the packet path add to a set declared dynamic (or with a timeout).
      if (s.k === 'setupdate') {
        const target = t.sets.get(s.set)!;
        if (!target.flags?.some((f) => f === 'dynamic' || f === 'timeout')) throw new Error(`Could not process rule: Operation not supported (set ${s.set} is not dynamic)`);
        target.size ??= 65535;
      }
    }
    if (verb === 'insert') chain.rules.unshift(rule); else chain.rules.push(rule);
    return;
  }
  if (what === 'set' || what === 'map') {
    const name = c.next();
    if (verb === 'add' || verb === 'create') {
      if (t.sets.has(name)) return;
      let keyTypes: string[] = [];
      let comment: string | undefined;
      let flags: string[] | undefined;
      let timeout: number | undefined;
      for (const s of statements(bodyOf(c))) {
        if (s[0] === 'type') {
          const colon = s.indexOf(':');
          keyTypes = (colon >= 0 ? s.slice(1, colon) : s.slice(1)).filter((x) => x !== '.');
          if (what === 'map' && (colon < 0 || s[colon + 1] !== 'verdict')) throw new Error('Could not process rule: only verdict maps are modelled');
        } else if (s[0] === 'comment') comment = unquote(s[1] ?? '""');
        else if (s[0] === 'flags') {
          flags = s.slice(1).join('').split(',').filter(Boolean);
          const bad = flags.find((f) => !['constant', 'interval', 'timeout', 'dynamic'].includes(f));
          if (bad) throw new Error(`syntax error, unexpected ${bad}`);
        } else if (s[0] === 'timeout') timeout = parseTime(s[1] ?? '') / 1000;
        else throw new Error(`syntax error, unexpected ${s[0]}`);
      }
      if (!keyTypes.length) throw new Error(`Could not process rule: set ${name} needs a type`);
      if (timeout !== undefined && !flags?.includes('timeout')) flags = [...(flags ?? []), 'timeout'];
      t.sets.set(name, { name, map: what === 'map', keyTypes, ...(comment !== undefined ? { comment } : {}), ...(flags ? { flags } : {}), ...(timeout !== undefined ? { timeout } : {}), elems: [] });
      return;
    }
    const s = t.sets.get(name);
    if (verb === 'flush') { if (!s) throw new Error(`Could not process rule: No such file or directory (${what} ${name})`); s.elems = []; return; }
    if (verb === 'delete' || verb === 'destroy') { if (!s && verb === 'delete') throw new Error(`Could not process rule: No such file or directory (${what} ${name})`); t.sets.delete(name); return; }
    throw new Error(`syntax error, unexpected ${verb}`);
  }
  if (what === 'element') {
    const name = c.next();
    const s = t.sets.get(name);
    if (!s) throw new Error(`Could not process rule: No such file or directory (set ${name})`);
    const elems = parseList(c).map((e) => elemOf(e, s.map));
    for (const e of elems) {
      if (e.key.length !== s.keyTypes.length) throw new Error(`Error: element ${e.key.join(' . ')} does not match the type of ${name}`);
      const k = e.key.join(' . ');
      const at = s.elems.findIndex((x) => x.key.join(' . ') === k);
      if (verb === 'add' || verb === 'create') {
        if (at >= 0) { if (verb === 'create') throw new Error(`Could not process rule: File exists (element ${k})`); continue; }
        if (e.verdict && (e.verdict.k === 'jump' || e.verdict.k === 'goto') && !t.chains.has(e.verdict.chain)) throw new Error(`Could not process rule: No such file or directory (chain ${e.verdict.chain})`);
        s.elems.push(e);
      } else if (verb === 'delete' || verb === 'destroy') {
        if (at < 0) { if (verb === 'delete') throw new Error(`Could not process rule: No such file or directory (element ${k})`); continue; }
        s.elems.splice(at, 1);
      } else throw new Error(`syntax error, unexpected ${verb}`);
    }
    return;
  }
  throw new Error(`syntax error, unexpected ${what}`);
}
