/**
 * Running one nftables base chain for a packet, as nft_do_chain does: rules in order, each
 * rule's expressions in order (a failing match ends the rule), a verdict decides — accept/drop/
 * reject end the base chain, jump pushes a return point, goto does not, return (or the end of a
 * regular chain) pops, the end of the base chain applies its policy. A verdict map lookup
 * (`vmap @service-ips`, `numgen random mod N vmap {...}`) is a verdict taken from the element
 * the key finds; a key that finds nothing continues with the next expression's rule.
 *
 * NAT statements (dnat, masquerade) end a nat-type chain with a binding for the engine to set
 * up, as nft_nat_eval does; the engine then rewrites later packets from conntrack.
 */
import { formatIPv4, parseIPv4, parsePrefix, prefixContains } from '../../addr/ip';
import { formatIPv6, parseIPv6, parsePrefix6, prefix6Contains } from '../../addr/ip6';
import type { Hook, HookEvent } from '../hook';
import type { MatchEnv, PacketView } from '../match';
import { chainMessage, type TableOutcome } from '../traverse';
import type { MapElem, NftChain, NftHook, NftState, NftTable, Selector, Stmt, Verdict } from './ruleset';
import { liveElems, ruleText, stmtText, verdictText } from './ruleset';

export const NFT_HOOK: Readonly<Record<Hook, NftHook>> = {
  PREROUTING: 'prerouting', INPUT: 'input', FORWARD: 'forward', OUTPUT: 'output', POSTROUTING: 'postrouting',
};

export interface BaseChainRef { readonly table: NftTable; readonly chain: NftChain }

/**
 * The base chains registered at `hook` for a packet of `family`, in priority order (table order
 * breaks ties, as registration order does): `ip` (and `inet`) tables see IPv4, `ip6` (and `inet`) IPv6.
 */
/** No nf_tables state: one empty answer for every hook (read only). */
const NO_BASE_CHAINS: readonly BaseChainRef[] = [];

export function baseChains(st: NftState | undefined, hook: Hook, family: 4 | 6 = 4): readonly BaseChainRef[] {
  if (!st) return NO_BASE_CHAINS;
  const h = NFT_HOOK[hook];
  const out: BaseChainRef[] = [];
  for (const table of st.tables) {
    if (table.family === (family === 6 ? 'ip' : 'ip6')) continue;
    for (const chain of table.chains.values()) if (chain.base?.hook === h) out.push({ table, chain });
  }
  return out.sort((a, b) => a.chain.base!.priority - b.chain.base!.priority);
}

const PROTO_NAMES: Readonly<Record<number, string>> = { 1: 'icmp', 6: 'tcp', 17: 'udp', 132: 'sctp' };
const PROTO_NUMS: Readonly<Record<string, number>> = { icmp: 1, tcp: 6, udp: 17, sctp: 132 };

/** A selector's value for this packet, as the string nft would print it; undefined = the expression cannot load it (the rule fails). */
function load(s: Selector, p: PacketView, env: MatchEnv): string | undefined {
  switch (s.k) {
    case 'ip':
      // An `ip` expression does not load from an IPv6 packet (in an inet table the rule fails).
      if (p.dst6 !== undefined) return undefined;
      if (s.field === 'protocol') return PROTO_NAMES[p.proto] ?? String(p.proto);
      return formatIPv4(s.field === 'saddr' ? p.src : p.dst);
    case 'ip6': {
      const a = s.field === 'saddr' ? p.src6 : p.dst6;
      return a === undefined ? undefined : formatIPv6(a);
    }
    case 'meta':
      if (s.field === 'l4proto') return PROTO_NAMES[p.proto] ?? String(p.proto);
      if (s.field === 'mark') return String(env.mark >>> 0);
      return s.field === 'iifname' ? env.inDev : env.outDev;
    case 'th': case 'tcp': case 'udp': case 'sctp': {
      if (s.k !== 'th' && PROTO_NUMS[s.k] !== p.proto) return undefined;
      const v = s.field === 'sport' ? p.sport : p.dport;
      return v === undefined ? undefined : String(v);
    }
    case 'ct': return env.ctState.toLowerCase();
    case 'fib': {
      const a6 = s.field === 'saddr' ? p.src6 : p.dst6;
      if (a6 !== undefined) return env.isLocal6?.(a6) ? 'local' : 'unicast';
      return env.isLocal(s.field === 'saddr' ? p.src : p.dst) ? 'local' : 'unicast';
    }
    case 'numgen': return String(Math.floor(env.random() * s.mod));
    case 'markand': return String((env.mark & s.mask) >>> 0);
  }
}

function numeric(v: string): string {
  if (/^0x[0-9a-f]+$/i.test(v)) return String(parseInt(v, 16) >>> 0);
  return v;
}

/** Does one key part (from the packet) equal one element part (from the ruleset)? Prefixes match by containment. */
function partEq(got: string, want: string): boolean {
  if (got === want) return true;
  if (want.includes('/') && want.includes(':')) {
    const pre = parsePrefix6(want, true);
    const ip = parseIPv6(got);
    return !!pre && ip !== null && prefix6Contains(pre, ip);
  }
  if (want.includes(':') && got.includes(':')) {
    // IPv6 addresses compare by value (the ruleset may spell one differently than the packet).
    const a = parseIPv6(got);
    const b = parseIPv6(want);
    if (a !== null && b !== null) return a === b;
  }
  if (want.includes('/')) {
    const pre = parsePrefix(want, true);
    const ip = parseIPv4(got);
    return !!pre && ip !== null && prefixContains(pre, ip);
  }
  if (want.includes('-') && /^\d+-\d+$/.test(want)) {
    const [a, b] = want.split('-').map(Number) as [number, number];
    const n = Number(got);
    return n >= a && n <= b;
  }
  return numeric(got) === numeric(want) || (PROTO_NUMS[want] !== undefined && String(PROTO_NUMS[want]) === got);
}

function keyEq(key: readonly string[], elem: readonly string[]): boolean {
  return key.length === elem.length && key.every((k, i) => partEq(k, elem[i]!));
}

interface Listed { readonly index: number; readonly text: string; readonly matched: boolean }
interface Frame { readonly chain: NftChain; readonly next: number }
export interface Lookup { readonly map: string; readonly key: string; readonly verdict: string | null }

type RuleResult = { readonly kind: 'continue' } | { readonly kind: 'verdict'; readonly v: Verdict; readonly lookup?: Lookup } | { readonly kind: 'nat'; readonly stmt: Extract<Stmt, { k: 'dnat' | 'masquerade' }> };

function evalRule(stmts: readonly Stmt[], table: NftTable, p: PacketView, env: MatchEnv, lookups: Lookup[]): RuleResult | null {
  for (const s of stmts) {
    switch (s.k) {
      case 'match': {
        const key: string[] = [];
        for (const sel of s.sel) {
          const v = load(sel, p, env);
          if (v === undefined) return null;
          key.push(v);
        }
        let hit: boolean;
        if (s.rhs.k === 'named') {
          const set = table.sets.get(s.rhs.name);
          hit = !!set && liveElems(set, env.now).some((e) => keyEq(key, e.key));
        } else if (s.rhs.k === 'set') {
          hit = s.rhs.values.some((v) => keyEq(key, v.split(' . ')));
        } else hit = keyEq(key, s.rhs.values);
        if (hit === s.neg) return null;
        continue;
      }
      case 'vmap': {
        const key: string[] = [];
        for (const sel of s.sel) {
          const v = load(sel, p, env);
          if (v === undefined) return null;
          key.push(v);
        }
        const elems: readonly MapElem[] = s.map.k === 'named' ? table.sets.get(s.map.name)?.elems ?? [] : s.map.elems;
        const found = elems.find((e) => keyEq(key, e.key));
        const lookup: Lookup = { map: s.map.k === 'named' ? `@${s.map.name}` : 'anonymous map', key: key.join(' . '), verdict: found?.verdict ? verdictText(found.verdict) : null };
        lookups.push(lookup);
        if (!found?.verdict) return null;
        return { kind: 'verdict', v: found.verdict, lookup };
      }
      case 'verdict': return { kind: 'verdict', v: s.v };
      case 'counter': continue;
      case 'markset': {
        const m = env.mark >>> 0;
        env.mark = (s.op === 'set' ? s.value : s.op === 'or' ? m | s.value : s.op === 'xor' ? m ^ s.value : m & s.value) >>> 0;
        continue;
      }
      case 'dnat': case 'masquerade': return { kind: 'nat', stmt: s };
      case 'setupdate': {
        const key: string[] = [];
        for (const sel of s.sel) {
          const v = load(sel, p, env);
          if (v === undefined) return null;
          key.push(v);
        }
        const set = table.sets.get(s.set);
        if (!set) return null;
        const expiresAt = set.timeout !== undefined ? env.now + set.timeout * 1000 : undefined;
        const at = set.elems.findIndex((e) => keyEq(key, e.key));
        const elem = { key, ...(expiresAt !== undefined ? { expiresAt } : {}) };
        // `update` refreshes the timeout of a live element; `add` leaves it as it is.
        if (at < 0 || (set.elems[at]!.expiresAt !== undefined && set.elems[at]!.expiresAt! <= env.now)) {
          set.elems = [...set.elems.filter((_, i) => i !== at), elem];
        } else if (s.op === 'update') set.elems = set.elems.map((e, i) => (i === at ? elem : e));
        continue;
      }
    }
  }
  return { kind: 'continue' };
}

function natOutcome(s: Extract<Stmt, { k: 'dnat' | 'masquerade' }>, where: string): TableOutcome {
  if (s.k === 'masquerade') return { kind: 'nat', target: { kind: 'MASQUERADE', random: false, randomFully: s.fullyRandom }, where };
  const ports = s.port !== undefined ? { ports: { min: s.port, max: s.port } } : {};
  if (s.ip.includes(':')) {
    const ip6 = parseIPv6(s.ip)!;
    return { kind: 'nat', target: { kind: 'DNAT', to: { minIp: 0, maxIp: 0, min6: ip6, max6: ip6, ...ports }, random: false, persistent: false }, where };
  }
  const ip = parseIPv4(s.ip)!;
  return { kind: 'nat', target: { kind: 'DNAT', to: { minIp: ip, maxIp: ip, ...ports }, random: false, persistent: false }, where };
}

/**
 * Walks one base chain. Emits one 'netfilter' event per stretch of a chain (as the iptables
 * walk does), naming the table as `ip kube-proxy`, the chain, the rule that decided and the map
 * lookups it made (`detail.lookups`).
 */
export function runBaseChain(ref: BaseChainRef, hook: Hook, p: PacketView, env: MatchEnv, emit: (e: HookEvent) => void): TableOutcome {
  const { table } = ref;
  const base = ref.chain;
  const tname = `${table.family} ${table.name}`;
  const stack: Frame[] = [];
  let chain = base;
  let start = 0;
  let continued = false;
  const segment = (lastIdx: number, verdict: string, listed: Listed[], matched: Listed | undefined, lookups: Lookup[]): void => {
    const n = Math.max(0, lastIdx - start + 1);
    if (continued && n === 0 && !matched && chain !== base) return;
    if (chain === base && base.rules.length === 0) return;
    const lk = lookups.length ? `; ${lookups.map((l) => `${l.map} [${l.key}] → ${l.verdict ?? 'no element'}`).join('; ')}` : '';
    emit({
      type: 'netfilter',
      message: chainMessage(`nft ${tname} ${chain.name}`, continued, verdict, matched, lk, n),
      detail: { table: tname, chain: chain.name, hook, rules: listed, verdict, ...(matched ? { matchedRule: matched } : {}), ...(lookups.length ? { lookups } : {}), evaluated: n, rulesEvaluated: n, nft: true, ...(continued ? { continued: true as const } : {}) },
    });
  };
  for (let steps = 0; steps < 10_000; steps++) {
    const listed: Listed[] = [];
    const lookups: Lookup[] = [];
    let moved = false;
    for (let idx = start; idx < chain.rules.length; idx++) {
      const rule = chain.rules[idx]!;
      const r = evalRule(rule.stmts, table, p, env, lookups);
      const item: Listed = { index: idx + 1, text: ruleText(rule), matched: r !== null };
      listed.push(item);
      if (!r) continue;
      rule.counters.packets++;
      rule.counters.bytes += p.length;
      if (r.kind === 'continue') continue;
      const where = `${tname}/${chain.name} rule ${idx + 1}: ${ruleText(rule)}`;
      if (r.kind === 'nat') {
        segment(idx, stmtText(r.stmt), listed, item, lookups);
        return natOutcome(r.stmt, where);
      }
      const v = r.v;
      const label = r.lookup ? `${r.lookup.map} → ${verdictText(v)}` : verdictText(v);
      switch (v.k) {
        case 'accept': segment(idx, label, listed, item, lookups); return { kind: 'accept' };
        case 'drop': segment(idx, label, listed, item, lookups); return { kind: 'drop', reason: `dropped by ${where}` };
        case 'reject': segment(idx, label, listed, item, lookups); return { kind: 'reject', with: 'icmp-port-unreachable', reason: `rejected by ${where}` };
        case 'return': {
          segment(idx, label, listed, item, lookups);
          const back = stack.pop();
          if (!back) return policyOf(base);
          chain = back.chain; start = back.next; continued = true; moved = true;
          break;
        }
        case 'jump': case 'goto': {
          const next = table.chains.get(v.chain);
          if (!next) continue;
          segment(idx, label, listed, item, lookups);
          if (v.k === 'jump') {
            if (stack.length >= 16) return { kind: 'drop', reason: 'nft: jump stack too deep' };
            stack.push({ chain, next: idx + 1 });
          }
          chain = next; start = 0; continued = false; moved = true;
          break;
        }
      }
      if (moved) break;
    }
    if (moved) continue;
    if (chain === base) {
      segment(chain.rules.length - 1, `policy ${base.base!.policy}`, listed, undefined, lookups);
      return policyOf(base);
    }
    segment(chain.rules.length - 1, 'return (end of chain)', listed, undefined, lookups);
    const back = stack.pop();
    if (!back) return policyOf(base);
    chain = back.chain; start = back.next; continued = true;
  }
  return { kind: 'drop', reason: 'nft walk did not terminate' };
}

function policyOf(base: NftChain): TableOutcome {
  return base.base?.policy === 'drop' ? { kind: 'drop', reason: `dropped by the policy of nft chain ${base.name} (drop)` } : { kind: 'accept' };
}
