/**
 * `ip rule` (show/list with selectors, add, del, flush): the routing policy database of the
 * namespace (route/rules.ts), with iproute2 6.1's output and the kernel's answers ("RTNETLINK
 * answers: File exists", "RTNETLINK answers: No such file or directory").
 *
 *   ip rule [ list [ SELECTOR ]]
 *   ip rule { add | del } [ not ] [ from PREFIX ] [ to PREFIX ] [ fwmark MARK[/MASK] ] [ iif DEV ]
 *           [ oif DEV ] [ priority PRIO ] [ lookup TABLE | blackhole | unreachable | prohibit ]
 *   ip rule flush
 *
 * `ip -6 rule` works on the IPv6 rules (ns.rules6; the kernel's defaults are 0 local and 32766
 * main, no 32767); a from/to prefix of the other family is "Error: Invalid source address."
 * as the kernel says, a prefix with ':' without -6 selects IPv6 as iproute2 infers it.
 */
import { formatIPv4, parsePrefix } from '../addr/ip';
import { formatIPv6, parsePrefix6 } from '../addr/ip6';
import type { Family } from '../addr/family';
import type { NetNs, RoutingRule } from '../net/types';
import { defaultRulePriority, formatRule, insertRule, rulesOf, rulesOf6, sameRule, setRules, setRules6 } from '../route/rules';
import { changed, matches, RTNL, type Env } from './ip-common';
import { fail, ok, type CommandResult } from './types';

function parseTable(s: string): number | undefined {
  if (s === 'local') return 255;
  if (s === 'main') return 254;
  if (s === 'default') return 253;
  const n = Number(s);
  return Number.isInteger(n) && n > 0 && n <= 0xffffffff ? n : undefined;
}

function parseMark(s: string): { value: number; mask?: number } | undefined {
  const [v, m] = s.split('/');
  const num = (x: string): number | undefined => {
    const n = Number(x);
    return x !== '' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff ? n : undefined;
  };
  const value = num(v ?? '');
  if (value === undefined) return undefined;
  if (m === undefined) return { value };
  const mask = num(m);
  return mask === undefined ? undefined : { value, mask };
}

interface Parsed {
  readonly rule: Partial<RoutingRule> & { priority?: number };
  /** `table`/`lookup` given (`ip rule list table N` selects by it). */
  readonly tableGiven: boolean;
}

/** The arguments of `ip rule add/del/list` as a partial rule, or iproute2's error. */
function parseRuleArgs(args: readonly string[], fam: Family): Parsed | CommandResult {
  const r: { -readonly [K in keyof RoutingRule]?: RoutingRule[K] } = {};
  let tableGiven = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const v = args[i + 1];
    const need = (): CommandResult | undefined => (v === undefined ? fail('Command line is not complete. Try option "help"\n', 255) : undefined);
    if (a === 'not') { r.invert = true; continue; }
    if (a === 'from' || a === 'to') {
      const e = need(); if (e) return e;
      i++;
      if (v === 'all') continue;
      if (fam === 6) {
        const p6 = parsePrefix6(v!.includes('/') ? v! : `${v}/128`, true);
        if (!p6) return fail(v!.includes(':') ? `Error: inet6 prefix is expected rather than "${v}".\n` : `Error: Invalid ${a === 'from' ? 'source' : 'destination'} address.\n`, v!.includes(':') ? 1 : 2);
        if (p6.len === 0) continue;
        if (a === 'from') r.src = `${formatIPv6(p6.base)}/${p6.len}`; else r.dst = `${formatIPv6(p6.base)}/${p6.len}`;
        continue;
      }
      const p = parsePrefix(v!.includes('/') ? v! : `${v}/32`, true);
      if (!p) return fail(`Error: inet prefix is expected rather than "${v}".\n`, 1);
      const text = `${formatIPv4(p.base)}/${p.len}`;
      if (p.len === 0) continue;
      if (a === 'from') r.src = text; else r.dst = text;
      continue;
    }
    if (a === 'fwmark') {
      const e = need(); if (e) return e;
      i++;
      const m = parseMark(v!);
      if (!m) return fail(`Error: argument "${v}" is wrong: fwmark value is invalid\n`, 1);
      r.fwmark = m.value;
      if (m.mask !== undefined) r.fwmask = m.mask;
      continue;
    }
    if (a === 'iif' || a === 'dev') { const e = need(); if (e) return e; r.iif = args[++i]; continue; }
    if (a === 'oif') { const e = need(); if (e) return e; r.oif = args[++i]; continue; }
    if (matches(a, 'priority') || matches(a, 'preference') || matches(a, 'order')) {
      const e = need(); if (e) return e;
      i++;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) return fail(`Error: argument "${v}" is wrong: preference value is invalid\n\n`, 1);
      r.priority = n;
      continue;
    }
    if (a === 'table' || matches(a, 'lookup')) {
      const e = need(); if (e) return e;
      i++;
      const t = parseTable(v!);
      if (t === undefined) return fail(`Error: argument "${v}" is wrong: invalid table ID\n\n`, 1);
      r.table = t;
      tableGiven = true;
      continue;
    }
    if (a === 'blackhole' || a === 'unreachable' || a === 'prohibit') { r.action = a; continue; }
    if (matches(a, 'protocol') || a === 'tos' || a === 'dsfield' || a === 'realms' || matches(a, 'suppress_prefixlength')) { i++; continue; }
    return fail(`Error: argument "${a}" is wrong: Failed to parse rule type\n`, 1);
  }
  return { rule: r, tableGiven };
}

/** Does an existing rule have every selector the user gave (`ip rule del` / `list` semantics)? */
function selects(sel: Parsed['rule'], tableGiven: boolean, r: RoutingRule): boolean {
  if (sel.priority !== undefined && r.priority !== sel.priority) return false;
  if (sel.invert && !r.invert) return false;
  if (sel.src !== undefined && r.src !== sel.src) return false;
  if (sel.dst !== undefined && r.dst !== sel.dst) return false;
  if (sel.fwmark !== undefined && (r.fwmark !== sel.fwmark || (sel.fwmask !== undefined && (r.fwmask ?? 0xffffffff) !== sel.fwmask))) return false;
  if (sel.iif !== undefined && r.iif !== sel.iif) return false;
  if (sel.oif !== undefined && r.oif !== sel.oif) return false;
  if (tableGiven && (r.action !== 'lookup' || r.table !== sel.table)) return false;
  if (sel.action !== undefined && r.action !== sel.action) return false;
  return true;
}

/** The family `ip rule` works on: -6 (or -f inet6), else IPv6 when a from/to prefix is one (iproute2 infers it). */
function ruleFamily(env: Env, args: readonly string[]): Family {
  if (env.opts.family) return env.opts.family;
  const i = args.findIndex((a) => a === 'from' || a === 'to');
  return i >= 0 && (args[i + 1] ?? '').includes(':') ? 6 : 4;
}

export function ruleCmd(env: Env, args: readonly string[]): CommandResult {
  const sub = args[0];
  const ns = env.ns;
  const fam = ruleFamily(env, args);
  const current = (n: NetNs): readonly RoutingRule[] => (fam === 6 ? rulesOf6(n) : rulesOf(n));
  const store = (n: NetNs, rules: readonly RoutingRule[]): void => (fam === 6 ? setRules6(n, rules) : setRules(n, rules));
  if (sub === undefined || matches(sub, 'show') || matches(sub, 'list') || sub === 'lst') {
    const p = parseRuleArgs(args.slice(sub === undefined ? 0 : 1), fam);
    if (!('rule' in p)) return p;
    return ok(current(ns).filter((r) => r.family === fam && selects(p.rule, p.tableGiven, r)).map((r) => formatRule(ns, r)).join(''));
  }
  if (matches(sub, 'add') || matches(sub, 'delete')) {
    const p = parseRuleArgs(args.slice(1), fam);
    if (!('rule' in p)) return p;
    const rules = current(ns);
    if (matches(sub, 'delete')) {
      if (args.length === 1) return fail('"ip rule del" requires arguments.\n', 1);
      const victim = rules.find((r) => selects(p.rule, p.tableGiven, r));
      if (!victim) return RTNL('No such file or directory');
      store(ns, rules.filter((r) => r !== victim));
      return changed(env.net);
    }
    const action = p.rule.action ?? 'lookup';
    const rule: RoutingRule = {
      family: fam,
      priority: p.rule.priority ?? defaultRulePriority(rules),
      action,
      ...(p.rule.invert ? { invert: true } : {}),
      ...(p.rule.src !== undefined ? { src: p.rule.src } : {}),
      ...(p.rule.dst !== undefined ? { dst: p.rule.dst } : {}),
      ...(p.rule.fwmark !== undefined ? { fwmark: p.rule.fwmark } : {}),
      ...(p.rule.fwmask !== undefined ? { fwmask: p.rule.fwmask } : {}),
      ...(p.rule.iif !== undefined ? { iif: p.rule.iif } : {}),
      ...(p.rule.oif !== undefined ? { oif: p.rule.oif } : {}),
      // Without a table, iproute2 asks for the main table.
      ...(action === 'lookup' ? { table: p.rule.table ?? 254 } : {}),
    };
    if (rules.some((r) => sameRule(r, rule))) return RTNL('File exists');
    store(ns, insertRule(rules, rule));
    return changed(env.net);
  }
  if (matches(sub, 'flush')) {
    // Every rule but priority 0 goes (the kernel refuses to remove the local table's rule).
    store(ns, current(ns).filter((r) => r.priority === 0));
    return changed(env.net);
  }
  return fail(`Command "${sub}" is unknown, try "ip rule help".\n`, 255);
}
