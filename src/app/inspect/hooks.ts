/**
 * The netfilter pipeline as a learner reads it: the hooks in the order a packet meets them, the
 * tables at each hook in the kernel's priority order, each table's built-in chain followed by the
 * user chains its rules jump to, and which rule fired for the event being replayed.
 *
 *   in ─► PREROUTING ─► routing ─┬─► INPUT ─► local socket ─► OUTPUT ─┐
 *         raw mangle nat         └─► FORWARD ─────────────────────────┴─► POSTROUTING ─► out
 *                                    mangle filter                         mangle nat
 */
import type { TraceEvent } from '../../engine';
import type { ChainSnap, RuleSnap } from '../../worker/snapshot';
import type { Hook } from '../../engine/netfilter/hook';
import { hookTableOrder } from '../../engine/netfilter/steps';

export type { Hook };
export type Stage = Hook | 'routing';

/** The canvas's pipeline, left to right (INPUT and FORWARD are the two ways out of routing). */
export const PIPELINE: readonly Stage[] = ['PREROUTING', 'routing', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'];

/** The iptables tables at each hook, in the order the packet walk runs them (engine netfilter/steps.ts). */
export const HOOK_TABLES: Readonly<Record<Hook, readonly string[]>> = {
  PREROUTING: hookTableOrder('PREROUTING'),
  INPUT: hookTableOrder('INPUT'),
  FORWARD: hookTableOrder('FORWARD'),
  OUTPUT: hookTableOrder('OUTPUT'),
  POSTROUTING: hookTableOrder('POSTROUTING'),
};

export const isHook = (s: string): s is Hook => s in HOOK_TABLES;

export interface ChainView {
  readonly table: string;
  readonly name: string;
  readonly policy?: string;
  readonly rules: readonly RuleSnap[];
  /** 0 for the hook's built-in chain, n for a chain reached through n jumps. */
  readonly depth: number;
}

export interface TableView {
  readonly table: string;
  readonly chains: readonly ChainView[];
}

/** The tables a packet meets at `hook`, and in each the chains it can walk, in walking order. */
export function hookTables(chains: readonly ChainSnap[], hook: Hook): TableView[] {
  const byKey = new Map(chains.map((c) => [`${c.table}/${c.name}`, c]));
  const out: TableView[] = [];
  for (const table of HOOK_TABLES[hook]) {
    const base = byKey.get(`${table}/${hook}`);
    if (!base) continue;
    const seen = new Set<string>();
    const list: ChainView[] = [];
    const visit = (c: ChainSnap, depth: number) => {
      if (seen.has(c.name)) return;
      seen.add(c.name);
      list.push({ table, name: c.name, ...(c.policy ? { policy: c.policy } : {}), rules: c.rules, depth });
      for (const r of c.rules) {
        const m = /(?:^|\s)-[jg]\s+(\S+)/.exec(r.text);
        const next = m ? byKey.get(`${table}/${m[1]}`) : undefined;
        if (next) visit(next, depth + 1);
      }
    };
    visit(base, 0);
    out.push({ table, chains: list });
  }
  return out;
}

/** Where a replayed event is in the pipeline of the namespace `ns`, and the rule that fired. */
export interface PipelinePoint {
  readonly stage: Stage;
  readonly table?: string;
  readonly chain?: string;
  /** 1-based, as `iptables -L --line-numbers` counts. */
  readonly rule?: number;
  readonly verdict?: string;
}

export function pipelinePoint(e: TraceEvent | null, ns: string): PipelinePoint | null {
  if (!e || e.where.ns !== ns) return null;
  if (e.type === 'route') return { stage: 'routing' };
  // A nat event carries no hook: only chain stretches (and LOG / restore-failure lines) place the packet.
  if (e.type !== 'netfilter') return null;
  const d = e.detail;
  if (!isHook(d.hook)) return null;
  if (!('table' in d)) return { stage: d.hook };
  const matched = 'matchedRule' in d ? d.matchedRule : undefined;
  return {
    stage: d.hook, table: d.table, chain: d.chain,
    ...(matched ? { rule: matched.index } : {}),
    ...('verdict' in d ? { verdict: d.verdict } : {}),
  };
}
