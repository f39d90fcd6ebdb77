/**
 * Walking one table's built-in chain for a packet, as ipt_do_table does: rules in order, a
 * matching rule's target decides — ACCEPT/DROP/REJECT end the table, a jump pushes a return
 * point, goto does not, RETURN (or falling off a user chain) pops, falling off a built-in chain
 * applies its policy. MARK and LOG continue; NAT targets end the table with a binding to set up.
 *
 *   PREROUTING ─► rule 1 ─► rule 2 ──-j KUBE-SERVICES──► rule 1 ... ──RETURN──┐
 *                                  ◄──────────────────────────────────────────┘
 *                         rule 3 ... policy
 */
import { formatIPv4 } from '../addr/ip';
import { formatIPv6 } from '../addr/ip6';
import { message, type Message } from '../i18n/messages';
import type { ChainDetail } from '../trace/types';
import type { Hook, HookEvent } from './hook';
import { candidates } from './dispatch';
import { formatRule, targetSummary } from './format';
import { ruleMatches, type MatchEnv, type PacketView } from './match';
import { ruleCounters } from './state';
import type { Chain, RejectWith, Table, Target } from './types';

export type NatTarget = Extract<Target, { kind: 'DNAT' | 'SNAT' | 'MASQUERADE' | 'REDIRECT' }>;

export type TableOutcome =
  | { readonly kind: 'accept' }
  | { readonly kind: 'drop'; readonly reason: string }
  | { readonly kind: 'reject'; readonly with: RejectWith; readonly reason: string }
  | { readonly kind: 'nat'; readonly target: NatTarget; readonly where: string };

export interface TraverseResult {
  readonly outcome: TableOutcome;
  /** Rules a linear walk evaluates (the trace's cost figure). */
  readonly evaluated: number;
}

/** At most this many evaluated rules are listed per event (the matched one is always kept). */
const MAX_LISTED = 24;

interface Listed { readonly index: number; readonly text: string; readonly matched: boolean }

interface Frame { readonly chain: Chain; readonly next: number }

const MAX_DEPTH = 64;

export function traverse(table: Table, hook: Hook, p: PacketView, env: MatchEnv, emit: (e: HookEvent) => void): TraverseResult {
  const base = table.chains.get(hook);
  if (!base) return { outcome: { kind: 'accept' }, evaluated: 0 };
  // An empty ACCEPT chain is a table with nothing to say: count the packet, keep the trace quiet.
  if (base.rules.length === 0 && base.policy !== 'DROP') return finishPolicy(base, p, 0);
  const stack: Frame[] = [];
  let chain = base;
  let start = 0;
  let evaluated = 0;
  let continued = false;

  for (let depth = 0; depth < 10_000; depth++) {
    const rules = chain.rules;
    const cands = candidates(chain, p, start);
    const listed: Listed[] = [];
    let jumped = false;
    const count = cands ? cands.length : rules.length - start;
    for (let k = 0; k < count; k++) {
      const idx = cands ? cands[k]! : start + k;
      const rule = rules[idx]!;
      const hit = ruleMatches(rule, p, env);
      if (listed.length < MAX_LISTED || hit) listed.push({ index: idx + 1, text: formatRule(chain.name, rule), matched: hit });
      if (!hit) continue;
      const counters = ruleCounters(table, rule);
      counters.pkts++;
      counters.bytes += p.length;
      const t = rule.target;
      switch (t.kind) {
        case 'none': continue;
        case 'LOG':
          // What `dmesg` would show (nf_log_ip_packet): the prefix, then the packet's headers.
          { const line = `${t.prefix ?? ''}${logLine(p, env)}`; emit({ type: 'netfilter', message: message('event.nf.log', { line }), detail: { table: table.name, chain: chain.name, hook, log: line, level: t.level ?? 4, evaluated: 0, rulesEvaluated: 0 } }); }
          continue;
        case 'MARK': env.mark = ((env.mark & ~t.mask) ^ t.value) >>> 0; continue;
        case 'CONNMARK':
          if (t.op === 'set') env.ctmark = (((env.ctmark ?? 0) & ~t.mask) ^ t.value) >>> 0;
          else if (t.op === 'restore') env.mark = ((env.mark & ~t.nfmask) ^ ((env.ctmark ?? 0) & t.ctmask)) >>> 0;
          else env.ctmark = (((env.ctmark ?? 0) & ~t.ctmask) ^ (env.mark & t.nfmask)) >>> 0;
          continue;
        case 'ACCEPT':
          evaluated += segment(emit, table, hook, base, chain, start, continued, listed, idx, 'ACCEPT', listed[listed.length - 1]);
          return { outcome: { kind: 'accept' }, evaluated };
        case 'DROP':
          evaluated += segment(emit, table, hook, base, chain, start, continued, listed, idx, 'DROP', listed[listed.length - 1]);
          return { outcome: { kind: 'drop', reason: `dropped by ${table.name}/${chain.name} rule ${idx + 1}: ${formatRule(chain.name, rule)}` }, evaluated };
        case 'REJECT':
          evaluated += segment(emit, table, hook, base, chain, start, continued, listed, idx, `REJECT (${t.with})`, listed[listed.length - 1]);
          return { outcome: { kind: 'reject', with: t.with, reason: `rejected by ${table.name}/${chain.name} rule ${idx + 1}: ${formatRule(chain.name, rule)}` }, evaluated };
        case 'DNAT': case 'SNAT': case 'MASQUERADE': case 'REDIRECT':
          evaluated += segment(emit, table, hook, base, chain, start, continued, listed, idx, targetSummary(t), listed[listed.length - 1]);
          return { outcome: { kind: 'nat', target: t, where: `${table.name}/${chain.name} rule ${idx + 1}: ${formatRule(chain.name, rule)}` }, evaluated };
        case 'RETURN': {
          evaluated += segment(emit, table, hook, base, chain, start, continued, listed, idx, 'RETURN', listed[listed.length - 1]);
          const back = stack.pop();
          if (!back) return policy(base, p, emit, table.name, hook, evaluated);
          chain = back.chain; start = back.next; continued = true; jumped = true;
          break;
        }
        case 'jump': case 'goto': {
          const next = table.chains.get(t.chain);
          if (!next) continue;
          evaluated += segment(emit, table, hook, base, chain, start, continued, listed, idx, `${t.kind === 'jump' ? 'jump' : 'goto'} ${t.chain}`, listed[listed.length - 1]);
          if (t.kind === 'jump') {
            if (stack.length >= MAX_DEPTH) return { outcome: { kind: 'drop', reason: 'iptables jump stack too deep' }, evaluated };
            stack.push({ chain, next: idx + 1 });
          }
          chain = next; start = 0; continued = false; jumped = true;
          break;
        }
      }
      if (jumped) break;
    }
    if (jumped) continue;
    // Fell off the end of the chain.
    if (chain === base) {
      evaluated += segment(emit, table, hook, base, chain, start, continued, listed, rules.length - 1, `policy ${chain.policy ?? 'ACCEPT'}`);
      return finishPolicy(base, p, evaluated);
    }
    evaluated += segment(emit, table, hook, base, chain, start, continued, listed, rules.length - 1, 'RETURN (end of chain)');
    const back = stack.pop();
    if (!back) return policy(base, p, emit, table.name, hook, evaluated);
    chain = back.chain; start = back.next; continued = true;
  }
  return { outcome: { kind: 'drop', reason: 'iptables walk did not terminate' }, evaluated };
}

/**
 * One event per contiguous stretch of a chain (a jump ends a stretch; the return resumes it).
 * Returns how many rules the stretch evaluated.
 */
function segment(emit: (e: HookEvent) => void, table: Table, hook: Hook, base: Chain, chain: Chain, start: number, continued: boolean, listed: Listed[], lastIdx: number, verdict: string, matched?: Listed): number {
  const n = Math.max(0, lastIdx - start + 1);
  // Coming back to the end of a user chain says nothing new: keep the trace short.
  if (continued && n === 0 && !matched && chain !== base) return n;
  const where = `${table.name} ${chain.name}`;
  emit({
    type: 'netfilter',
    message: chainMessage(where, continued, verdict, matched, '', n),
    detail: segmentDetail(table.name, chain.name, hook, listed, verdict, matched, n, continued),
  });
  return n;
}

/**
 * A chain stretch's line: "filter FORWARD (continued): rule 3 matched → ACCEPT (3 rules evaluated)".
 * `where` is "TABLE CHAIN" (nft: "nft ip kube-proxy CHAIN"); `lookups` nft's map lookups as text.
 */
export function chainMessage(where: string, continued: boolean, verdict: string, matched: { readonly index: number } | undefined, lookups: string, count: number): Message {
  if (matched) return message(continued ? 'event.nf.matchedMore' : 'event.nf.matched', { where, index: matched.index, verdict, lookups, count });
  return message(continued ? 'event.nf.endMore' : 'event.nf.end', { where, verdict, lookups, count });
}

/** A segment event's detail, keys in their fixed order (matchedRule and continued only when set); no spreads. */
function segmentDetail(table: string, chain: string, hook: Hook, rules: Listed[], verdict: string, matched: Listed | undefined, n: number, continued: boolean): ChainDetail {
  if (matched) {
    return continued
      ? { table, chain, hook, rules, verdict, matchedRule: matched, evaluated: n, rulesEvaluated: n, continued: true }
      : { table, chain, hook, rules, verdict, matchedRule: matched, evaluated: n, rulesEvaluated: n };
  }
  return continued
    ? { table, chain, hook, rules, verdict, evaluated: n, rulesEvaluated: n, continued: true }
    : { table, chain, hook, rules, verdict, evaluated: n, rulesEvaluated: n };
}

function logLine(p: PacketView, env: MatchEnv): string {
  const proto = p.proto === 6 ? 'TCP' : p.proto === 17 ? 'UDP' : p.proto === 1 ? 'ICMP' : String(p.proto);
  const ports = p.sport !== undefined ? ` SPT=${p.sport} DPT=${p.dport}` : p.icmpType !== undefined ? ` TYPE=${p.icmpType} CODE=${p.icmpCode}` : '';
  return `IN=${env.inDev ?? ''} OUT=${env.outDev ?? ''} SRC=${p.src6 !== undefined ? formatIPv6(p.src6) : formatIPv4(p.src)} DST=${p.dst6 !== undefined ? formatIPv6(p.dst6) : formatIPv4(p.dst)} LEN=${p.length} TTL=${p.ttl} PROTO=${proto}${ports}${env.mark ? ` MARK=0x${env.mark.toString(16)}` : ''}`;
}

function finishPolicy(base: Chain, p: PacketView, evaluated: number): TraverseResult {
  base.policyCounters.pkts++;
  base.policyCounters.bytes += p.length;
  if (base.policy === 'DROP') return { outcome: { kind: 'drop', reason: `dropped by the policy of ${base.name} (DROP)` }, evaluated };
  return { outcome: { kind: 'accept' }, evaluated };
}

/** A RETURN (or the end of a goto'd chain) with nothing to return to: the built-in chain's policy. */
function policy(base: Chain, p: PacketView, emit: (e: HookEvent) => void, table: string, hook: Hook, evaluated: number): TraverseResult {
  emit({ type: 'netfilter', message: message('event.nf.policy', { table, chain: base.name, policy: base.policy ?? 'ACCEPT' }), detail: { table, chain: base.name, hook, rules: [], verdict: `policy ${base.policy ?? 'ACCEPT'}`, evaluated: 0, rulesEvaluated: 0 } });
  return finishPolicy(base, p, evaluated);
}
