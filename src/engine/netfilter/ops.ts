/**
 * Table mutations: what `iptables -A/-I/-D/-R/-N/-X/-F/-P/-E/-Z` and the lines of
 * iptables-restore do to a table, with the checks (and the messages) of iptables 1.8.
 */
import { EXTENSION_TARGETS, IPT_VERSION, loadError, usageError, type IptCommand } from './parse';
import { formatRuleSpec } from './format';
import { newChain, ownChain, reaches, referenceCount, touchChain, zeroCounters } from './state';
import { isBuiltin, type Chain, type Rule, type Table } from './types';

export type OpResult = { readonly ok: true } | { readonly ok: false; readonly error: string; readonly code: number };

const OK: OpResult = { ok: true };
const err = (msg: string, code = 1): OpResult => ({ ok: false, error: `iptables: ${msg}\n`, code });
export const NO_CHAIN = 'No chain/target/match by that name.';

const NAT_TARGETS = ['DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT'];

/** Checks a rule's target against the table: the jump target exists, NAT only in nat, no loop. */
function checkRule(table: Table, chain: string, rule: Rule, verb: string, skipLoopCheck: boolean): OpResult {
  const t = rule.target;
  if (t.kind === 'jump' || t.kind === 'goto') {
    const target = table.chains.get(t.chain);
    if (!target || isBuiltin(table.name, t.chain)) {
      if (t.kind === 'goto' && !target) return err(NO_CHAIN);
      const e = loadError('target', t.chain);
      return { ok: false, error: e.error, code: e.code };
    }
    if (!skipLoopCheck && (t.chain === chain || reaches(table, t.chain, chain))) return err('Too many levels of symbolic links.');
  }
  if (NAT_TARGETS.includes(t.kind) && table.name !== 'nat') {
    return { ok: false, code: 4, error: `${IPT_VERSION}: RULE_${verb} failed (Invalid argument): rule in chain ${chain}\n` };
  }
  return OK;
}

/** -D/-C find a rule by spec: the same rule is the same canonical text (counters aside). */
function findRule(chain: Chain, rule: Rule): number {
  const spec = formatRuleSpec(rule);
  return chain.rules.findIndex((r) => formatRuleSpec(r) === spec);
}

export interface ApplyOptions {
  /** iptables-restore checks loops once per table at COMMIT instead of per rule. */
  readonly deferLoopCheck?: boolean;
}

/** Applies one mutating command to a table. Listing commands (-L, -S) are the shell's business. */
export function applyCommand(table: Table, cmd: IptCommand, opts: ApplyOptions = {}): OpResult {
  const chains = table.chains;
  switch (cmd.op) {
    case 'A': case 'I': case 'R': case 'C': case 'D': {
      const chain = cmd.op === 'C' ? chains.get(cmd.chain) : ownChain(table, cmd.chain);
      if (!chain) return err(NO_CHAIN);
      if (cmd.op === 'D' && cmd.num !== undefined) {
        if (cmd.num < 1) return usageError(`Invalid rule number \`${cmd.num}'`);
        if (cmd.num > chain.rules.length) return err('Index of deletion too big.');
        chain.rules.splice(cmd.num - 1, 1);
        touchChain(chain);
        return OK;
      }
      const rule = cmd.rule!;
      if (cmd.op === 'D' || cmd.op === 'C') {
        const t = rule.target;
        if ((t.kind === 'jump' || t.kind === 'goto') && !chains.has(t.chain)) return err(NO_CHAIN);
        const i = findRule(chain, rule);
        if (i < 0) return err('Bad rule (does a matching rule exist in that chain?).');
        if (cmd.op === 'D') { chain.rules.splice(i, 1); touchChain(chain); }
        return OK;
      }
      const verb = cmd.op === 'A' ? 'APPEND' : cmd.op === 'I' ? 'INSERT' : 'REPLACE';
      const c = checkRule(table, cmd.chain, rule, verb, opts.deferLoopCheck ?? false);
      if (!c.ok) return c;
      if (cmd.op === 'A') chain.rules.push(rule);
      else if (cmd.op === 'I') {
        if (cmd.num < 1) return usageError(`Invalid rule number \`${cmd.num}'`);
        if (cmd.num > chain.rules.length + 1) return err('Index of insertion too big.');
        chain.rules.splice(cmd.num - 1, 0, rule);
      } else if (cmd.op === 'R') {
        if (cmd.num < 1) return usageError(`Invalid rule number \`${cmd.num}'`);
        if (cmd.num > chain.rules.length) return err('Index of replacement too big.');
        chain.rules[cmd.num - 1] = rule;
      }
      touchChain(chain);
      return OK;
    }
    case 'N': {
      if (cmd.chain.startsWith('-')) return usageError('chain name not allowed to start with `-\'');
      if (cmd.chain.length > 28) return usageError(`chain name \`${cmd.chain}' too long (must be under 29 chars)`);
      if (EXTENSION_TARGETS.includes(cmd.chain) || ['ACCEPT', 'DROP', 'RETURN', 'QUEUE'].includes(cmd.chain)) return usageError(`chain name may not clash with target name`);
      if (chains.has(cmd.chain)) return err('Chain already exists.');
      chains.set(cmd.chain, newChain(cmd.chain, false));
      return OK;
    }
    case 'X': {
      if (cmd.chain === undefined) {
        const user = [...chains.values()].filter((c) => !isBuiltin(table.name, c.name));
        const names = new Set(user.map((c) => c.name));
        for (const c of chains.values()) {
          if (names.has(c.name)) continue;
          if (c.rules.some((r) => (r.target.kind === 'jump' || r.target.kind === 'goto') && names.has(r.target.chain))) return err('Too many links.');
        }
        if (user.some((c) => c.rules.length > 0)) return err('Directory not empty.');
        for (const n of names) chains.delete(n);
        return OK;
      }
      const chain = chains.get(cmd.chain);
      if (!chain) return err(NO_CHAIN);
      if (isBuiltin(table.name, cmd.chain)) return err('Invalid argument.');
      if (referenceCount(table, cmd.chain) > 0) return err('Too many links.');
      if (chain.rules.length > 0) return err('Directory not empty.');
      chains.delete(cmd.chain);
      return OK;
    }
    case 'F': {
      if (cmd.chain === undefined) { for (const name of [...chains.keys()]) { const c = ownChain(table, name)!; c.rules = []; touchChain(c); } return OK; }
      const chain = ownChain(table, cmd.chain);
      if (!chain) return err(NO_CHAIN);
      chain.rules = [];
      touchChain(chain);
      return OK;
    }
    case 'P': {
      const chain = chains.get(cmd.chain);
      if (!chain) return err(NO_CHAIN);
      if (!isBuiltin(table.name, cmd.chain)) return err('Bad built-in chain name.');
      if (cmd.policy !== 'ACCEPT' && cmd.policy !== 'DROP') return err('Bad policy name.');
      chain.policy = cmd.policy;
      return OK;
    }
    case 'E': {
      const chain = chains.get(cmd.chain);
      if (!chain) return err(NO_CHAIN);
      if (isBuiltin(table.name, cmd.chain)) return err('Invalid argument.');
      if (chains.has(cmd.newName)) return err('File exists.');
      if (cmd.newName.length > 28) return usageError(`chain name \`${cmd.newName}' too long (must be under 29 chars)`);
      // Rebuild the map to keep the chain's position, and point every jump at the new name.
      for (const name of [...chains.keys()]) ownChain(table, name);
      const entries = [...chains.entries()];
      chains.clear();
      for (const [name, c] of entries) {
        if (name === cmd.chain) chains.set(cmd.newName, { ...c, name: cmd.newName, policyCounters: c.policyCounters });
        else chains.set(name, c);
      }
      for (const c of chains.values()) {
        c.rules = c.rules.map((r) => ((r.target.kind === 'jump' || r.target.kind === 'goto') && r.target.chain === cmd.chain
          ? { ...r, target: { kind: r.target.kind, chain: cmd.newName } } : r));
        touchChain(c);
      }
      return OK;
    }
    case 'Z': {
      const list = cmd.chain === undefined ? [...chains.values()] : [chains.get(cmd.chain)];
      if (list.some((c) => !c)) return err(NO_CHAIN);
      for (const c of list as Chain[]) {
        if (cmd.num !== undefined) {
          const r = c.rules[cmd.num - 1];
          if (!r) return err('Index of deletion too big.');
          zeroCounters(table, r);
        } else {
          for (const r of c.rules) zeroCounters(table, r);
          c.policyCounters = { pkts: 0, bytes: 0 };
        }
      }
      return OK;
    }
    case 'L': case 'S':
      return OK;
  }
}
