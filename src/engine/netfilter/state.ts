/**
 * Per-namespace netfilter state: creating the four tables with their built-in chains, finding
 * them on a NetNs, and the few structural checks the kernel makes when a table is replaced
 * (a jump's target exists, no jump loops, a referenced chain cannot be deleted).
 */
import type { NetNs } from '../net/types';
import { BUILTIN_CHAINS, TABLE_NAMES, type Chain, type Counters, type NetfilterState, type Rule, type Table, type TableName } from './types';

export function newChain(name: string, builtin: boolean): Chain {
  return { name, ...(builtin ? { policy: 'ACCEPT' as const } : {}), policyCounters: { pkts: 0, bytes: 0 }, rules: [] };
}

export function newTable(name: TableName): Table {
  return { name, chains: new Map(BUILTIN_CHAINS[name].map((c) => [c, newChain(c, true)])) };
}

export function newNetfilterState(): NetfilterState {
  const tables = Object.fromEntries(TABLE_NAMES.map((t) => [t, newTable(t)])) as Record<TableName, Table>;
  return { tables, ipsets: new Map(), recent: new Map() };
}

/**
 * Installs table `name` to be made by `make` when it is first read or replaced (a node's tables
 * are assembled only where something reads them: the walk, iptables-save, a snapshot in focus).
 * The restore that produced `make` has already read and checked every line, so whether it loads
 * is known now; what is left is the machine's own copy, which starts with zero counters whenever
 * it is made, so a late copy equals an early one. Every reader goes through `state.tables[name]`
 * (a getter until then), so none can see the table unmade; an assignment replaces it unmade.
 */
export function deferTable(state: NetfilterState, name: TableName, make: () => Table): void {
  const tables = state.tables;
  const settle = (t: Table): Table => {
    Object.defineProperty(tables, name, { value: t, writable: true, enumerable: true, configurable: true });
    return t;
  };
  Object.defineProperty(tables, name, { get: () => settle(make()), set: settle, enumerable: true, configurable: true });
}

/** Whether table `name` is still to be made (deferTable): for tests and benchmarks; reading it makes it. */
export function tableDeferred(state: NetfilterState, name: TableName): boolean {
  return typeof Object.getOwnPropertyDescriptor(state.tables, name)?.get === 'function';
}

/** The namespace's netfilter state, or undefined when no rule was ever loaded (all hooks accept). */
export function netfilterOf(ns: NetNs): NetfilterState | undefined {
  return ns.netfilter;
}

/** The namespace's state, created on first use (loading a rule "loads the modules"). */
export function ensureNetfilter(ns: NetNs): NetfilterState {
  if (!ns.netfilter) ns.netfilter = newNetfilterState();
  return ns.netfilter;
}

export function isTableName(s: string): s is TableName {
  return (TABLE_NAMES as readonly string[]).includes(s);
}

/** A rule's packet and byte counters in this table, to increment (a shared rule's are the table's own). */
export function ruleCounters(table: Table, rule: Rule): Counters {
  if (!rule.shared) return rule.counters;
  const m = (table.counters ??= new WeakMap());
  let c = m.get(rule);
  if (!c) { c = { pkts: 0, bytes: 0 }; m.set(rule, c); }
  return c;
}

const ZERO: Counters = Object.freeze({ pkts: 0, bytes: 0 }) as Counters;

/** The counters to print (never allocates): `iptables -L -v`, `iptables-save -c`, the inspector. */
export function readCounters(table: Table, rule: Rule): Readonly<Counters> {
  return rule.shared ? table.counters?.get(rule) ?? ZERO : rule.counters;
}

/** `iptables -Z`: the rule's counters back to zero in this table. */
export function zeroCounters(table: Table, rule: Rule): void {
  if (rule.shared) table.counters?.delete(rule);
  else rule.counters = { pkts: 0, bytes: 0 };
}

/**
 * The table's own copy of a chain it may share with other machines (copy-on-write): call before
 * changing the chain's rules. Rules stay shared objects (their counters are per table anyway).
 */
export function ownChain(table: Table, name: string): Chain | undefined {
  const c = table.chains.get(name);
  if (!c?.shared) return c;
  const copy: Chain = { name: c.name, policyCounters: c.policyCounters, rules: c.rules.slice() };
  if (c.policy) copy.policy = c.policy;
  table.chains.set(name, copy);
  return copy;
}

/** Call after any change to a chain's rule list: drops the dispatch index. */
export function touchChain(chain: Chain): void {
  chain.index = undefined;
}

/** Chains referenced by each chain's rules (jump/goto). */
function edges(chain: Chain): string[] {
  const out: string[] = [];
  for (const r of chain.rules) if (r.target.kind === 'jump' || r.target.kind === 'goto') out.push(r.target.chain);
  return out;
}

/** How many rules jump or go to `name` (the "(N references)" of `iptables -L`). */
export function referenceCount(table: Table, name: string): number {
  let n = 0;
  for (const c of table.chains.values()) {
    for (const r of c.rules) if ((r.target.kind === 'jump' || r.target.kind === 'goto') && r.target.chain === name) n++;
  }
  return n;
}

/** All reference counts at once (restore's -X checks and -L over a big table). */
export function referenceCounts(table: Table): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of table.chains.values()) {
    for (const r of c.rules) {
      if (r.target.kind === 'jump' || r.target.kind === 'goto') m.set(r.target.chain, (m.get(r.target.chain) ?? 0) + 1);
    }
  }
  return m;
}

/** True when following jumps from `from` can reach `to` (so a jump to→from would be a loop). */
export function reaches(table: Table, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length) {
    const c = stack.pop()!;
    if (c === to) return true;
    if (seen.has(c)) continue;
    seen.add(c);
    const chain = table.chains.get(c);
    if (chain) stack.push(...edges(chain));
  }
  return false;
}

/** Loop check (the kernel's mark_source_chains on table replace), from `starts` or every chain: returns a chain in a cycle. */
export function findLoop(table: Table, starts?: Iterable<string>): string | null {
  // Iterative DFS over the rules themselves (no edge lists): 1 = on the current path, 2 = done.
  const state = new Map<Chain, 1 | 2>();
  const chains: Chain[] = [];
  const next: number[] = [];
  for (const start of starts ?? table.chains.keys()) {
    const first = table.chains.get(start);
    if (!first || state.has(first)) continue;
    state.set(first, 1);
    chains.push(first);
    next.push(0);
    while (chains.length) {
      const top = chains.length - 1;
      const c = chains[top]!;
      let i = next[top]!;
      let descended = false;
      while (i < c.rules.length) {
        const t = c.rules[i++]!.target;
        if (t.kind !== 'jump' && t.kind !== 'goto') continue;
        const to = table.chains.get(t.chain);
        if (!to) continue;
        const st = state.get(to);
        if (st === 1) return to.name;
        if (st === 2) continue;
        next[top] = i;
        state.set(to, 1);
        chains.push(to);
        next.push(0);
        descended = true;
        break;
      }
      if (!descended) { state.set(c, 2); chains.pop(); next.pop(); }
    }
  }
  return null;
}

/**
 * Runs `load` with the namespace's IPv6 tables (ns.netfilter6, created on first use) in the place
 * of its IPv4 ones, so the IPv4 loaders and tools work on them unchanged (ip6tables-restore,
 * ip6tables, a plugin daemon's IPv6 chains); whatever they record (a restore failure) stays with
 * the IPv6 tables.
 */
export function onTables6<T>(ns: NetNs, load: () => T): T {
  const v4 = ns.netfilter;
  if (ns.netfilter6) ns.netfilter = ns.netfilter6; else delete ns.netfilter;
  try { return load(); } finally {
    if (ns.netfilter) ns.netfilter6 = ns.netfilter;
    if (v4) ns.netfilter = v4; else delete ns.netfilter;
  }
}
