/**
 * The routing policy database (RPDB, `ip rule`): an ordered list of rules, each a selector
 * (from, to, fwmark/mask, iif, oif, optionally inverted) and an action (look a table up, or
 * blackhole / unreachable / prohibit). A route lookup walks the rules by priority; a `lookup`
 * whose table has no route for the destination falls through to the next rule, as
 * fib_rules_lookup does. A namespace without `rules` has the kernel's three default rules and
 * the FIB skips this walk entirely (route/fib.ts).
 */
import { formatIPv4, parsePrefix, prefixContains } from '../addr/ip';
import { formatIPv6, parsePrefix6, prefix6Contains } from '../addr/ip6';
import type { NetNs, RoutingRule } from '../net/types';

export const RT_TABLE_DEFAULT = 253;

/** `0: from all lookup local`, `32766: from all lookup main`, `32767: from all lookup default`. */
export const DEFAULT_RULES: readonly RoutingRule[] = [
  { family: 4, priority: 0, action: 'lookup', table: 255 },
  { family: 4, priority: 32766, action: 'lookup', table: 254 },
  { family: 4, priority: 32767, action: 'lookup', table: RT_TABLE_DEFAULT },
];

/** IPv6 has two (fib6_rules_net_init): `0: from all lookup local`, `32766: from all lookup main`. */
export const DEFAULT_RULES6: readonly RoutingRule[] = [
  { family: 6, priority: 0, action: 'lookup', table: 255 },
  { family: 6, priority: 32766, action: 'lookup', table: 254 },
];

/** One of the kernel's default rules (a lookup by them needs no mention). */
export const isDefaultRule = (r: RoutingRule): boolean => !r.invert && r.src === undefined && r.dst === undefined && r.fwmark === undefined
  && r.iif === undefined && r.oif === undefined && r.action === 'lookup' && (r.family === 6 ? DEFAULT_RULES6 : DEFAULT_RULES).some((d) => d.priority === r.priority && d.table === r.table);

/** The rules in force in a namespace (its own, or the default three). */
export const rulesOf = (ns: NetNs): readonly RoutingRule[] => ns.rules ?? DEFAULT_RULES;

/** The IPv6 rules in force (its own, or the default two). */
export const rulesOf6 = (ns: NetNs): readonly RoutingRule[] => ns.rules6 ?? DEFAULT_RULES6;

/** Sets a namespace's IPv6 rules; the default two are stored as none (fib6's plain local-then-main lookup). */
export function setRules6(ns: NetNs, rules: readonly RoutingRule[]): void {
  const isDefault = rules.length === DEFAULT_RULES6.length && rules.every((r, i) => sameRule(r, DEFAULT_RULES6[i]!));
  if (isDefault) delete ns.rules6;
  else ns.rules6 = [...rules];
}

/** What an IPv6 route lookup knows besides the destination (the kernel's flowi6). */
export interface Flow6 {
  readonly src?: bigint;
  readonly mark?: number;
  readonly iif?: string;
  readonly oif?: string;
}

function inPrefix6(prefix: string | undefined, ip: bigint): boolean {
  if (prefix === undefined) return true;
  const p = parsePrefix6(prefix, true);
  return p !== null && prefix6Contains(p, ip);
}

/** fib_rule_match for an IPv6 lookup. */
export function ruleMatches6(ns: NetNs, r: RoutingRule, dst: bigint, flow: Flow6 | undefined): boolean {
  let m = true;
  if (r.iif !== undefined && (r.iif !== (flow?.iif ?? 'lo') || !ns.links.some((l) => l.name === r.iif))) m = false;
  else if (r.oif !== undefined && (r.oif !== flow?.oif || !ns.links.some((l) => l.name === r.oif))) m = false;
  else if (r.fwmark !== undefined && ((((flow?.mark ?? 0) ^ r.fwmark) & (r.fwmask ?? 0xffffffff)) >>> 0) !== 0) m = false;
  else if (!inPrefix6(r.src, flow?.src ?? 0n)) m = false;
  else if (!inPrefix6(r.dst, dst)) m = false;
  return r.invert ? !m : m;
}

/** What a route lookup knows besides the destination (the kernel's flowi4). */
export interface Flow {
  /** The source address; absent = 0.0.0.0 (matches only `from all`). */
  readonly src?: number;
  readonly mark?: number;
  /** The input device; absent = a locally generated packet, which the rules see as `iif lo`. */
  readonly iif?: string;
  /** The device the socket is bound to (`ip route get ... oif DEV`). */
  readonly oif?: string;
}

function inPrefix(prefix: string | undefined, ip: number): boolean {
  if (prefix === undefined) return true;
  const p = parsePrefix(prefix, true);
  return p !== null && prefixContains(p, ip);
}

/** fib_rule_match: does the rule's selector take this lookup? (iif/oif naming a missing device never match.) */
export function ruleMatches(ns: NetNs, r: RoutingRule, dst: number, flow: Flow | undefined): boolean {
  let m = true;
  if (r.iif !== undefined && (r.iif !== (flow?.iif ?? 'lo') || !ns.links.some((l) => l.name === r.iif))) m = false;
  else if (r.oif !== undefined && (r.oif !== flow?.oif || !ns.links.some((l) => l.name === r.oif))) m = false;
  else if (r.fwmark !== undefined && ((((flow?.mark ?? 0) ^ r.fwmark) & (r.fwmask ?? 0xffffffff)) >>> 0) !== 0) m = false;
  else if (!inPrefix(r.src, flow?.src ?? 0)) m = false;
  else if (!inPrefix(r.dst, dst)) m = false;
  return r.invert ? !m : m;
}

/** Sets a namespace's rules; the default three are stored as none, so the FIB keeps its fast path. */
export function setRules(ns: NetNs, rules: readonly RoutingRule[]): void {
  const isDefault = rules.length === DEFAULT_RULES.length && rules.every((r, i) => sameRule(r, DEFAULT_RULES[i]!));
  if (isDefault) delete ns.rules;
  else ns.rules = [...rules];
}

/** The priority `ip rule add` without `pref` gets: one less than the second rule's (fib_default_rule_pref). */
export function defaultRulePriority(rules: readonly RoutingRule[]): number {
  const second = rules[1];
  return second && second.priority > 0 ? second.priority - 1 : 0;
}

/** The rules with `r` added after every rule of lower or equal priority. */
export function insertRule(rules: readonly RoutingRule[], r: RoutingRule): RoutingRule[] {
  const i = rules.findIndex((x) => x.priority > r.priority);
  return i < 0 ? [...rules, r] : [...rules.slice(0, i), r, ...rules.slice(i)];
}

/** Two rules with the same selector and action (the kernel answers "File exists"). */
export function sameRule(a: RoutingRule, b: RoutingRule): boolean {
  return a.priority === b.priority && !!a.invert === !!b.invert && a.src === b.src && a.dst === b.dst && a.fwmark === b.fwmark
    && (a.fwmark === undefined || (a.fwmask ?? 0xffffffff) === (b.fwmask ?? 0xffffffff)) && a.iif === b.iif && a.oif === b.oif
    && a.action === b.action && (a.action !== 'lookup' || a.table === b.table);
}

const TABLE_NAMES: Record<number, string> = { 255: 'local', 254: 'main', 253: 'default' };
const prefixText6 = (p: string): string => {
  const q = parsePrefix6(p, true);
  return !q ? p : q.len === 128 ? formatIPv6(q.base) : `${formatIPv6(q.base)}/${q.len}`;
};
const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

function prefixText(p: string): string {
  if (p.includes(':')) return prefixText6(p);
  const q = parsePrefix(p, true);
  if (!q) return p;
  return q.len === 32 ? formatIPv4(q.base) : `${formatIPv4(q.base)}/${q.len}`;
}

/** One `ip rule show` line, as iproute2 6.1 prints it ("512:\tfrom all to 10.0.1.5 lookup main"). */
export function formatRule(ns: NetNs, r: RoutingRule): string {
  let s = `${r.priority}:\t`;
  if (r.invert) s += 'not ';
  s += r.src !== undefined && !r.src.endsWith('/0') ? `from ${prefixText(r.src)} ` : 'from all ';
  if (r.dst !== undefined && !r.dst.endsWith('/0')) s += `to ${prefixText(r.dst)} `;
  if (r.fwmark !== undefined) s += (r.fwmask ?? 0xffffffff) >>> 0 === 0xffffffff ? `fwmark ${hex(r.fwmark)} ` : `fwmark ${hex(r.fwmark)}/${hex(r.fwmask!)} `;
  const detached = (dev: string): string => (ns.links.some((l) => l.name === dev) ? '' : ' [detached]');
  if (r.iif !== undefined) s += `iif ${r.iif}${detached(r.iif)} `;
  if (r.oif !== undefined) s += `oif ${r.oif}${detached(r.oif)} `;
  s += r.action === 'lookup' ? `lookup ${TABLE_NAMES[r.table ?? 254] ?? String(r.table)}` : r.action;
  return `${s.trimEnd()}\n`;
}
