/**
 * Rules back to text, the way iptables prints them: the `-A CHAIN ...` form of iptables-save
 * and `iptables -S` (fixed option order: -s -d -i -o -p, then matches in the order they were
 * loaded, then the target), and the columns of `iptables -L`.
 */
import { formatIPv4 } from '../addr/ip';
import { formatIPv6 } from '../addr/ip6';
import { PROTOCOLS } from './parse';
import type { AddrMatch, IfaceMatch, InvPorts, Match, NatRange, PortRange, Rule, Target } from './types';

const NO_QUOTE = /^[A-Za-z0-9_-]+$/;

/** libxtables' xtables_save_string: bare when safe, else double-quoted with \" \\ \' escaped. */
export function saveString(s: string): string {
  return NO_QUOTE.test(s) ? s : `"${s.replace(/["\\']/g, (c) => `\\${c}`)}"`;
}

export function protoName(n: number): string {
  for (const [k, v] of Object.entries(PROTOCOLS)) if (v === n) return k;
  return String(n);
}

const addr = (a: AddrMatch): string => (a.v6 !== undefined ? `${formatIPv6(a.v6)}/${a.len}` : `${formatIPv4(a.base)}/${a.len}`);
const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const ports = (r: PortRange, sep = ':'): string => (r.min === r.max ? String(r.min) : `${r.min}${sep}${r.max}`);
const inv = (b: boolean): string => (b ? '! ' : '');

const TCP_FLAGS: readonly [string, number][] = [['FIN', 1], ['SYN', 2], ['RST', 4], ['PSH', 8], ['ACK', 16], ['URG', 32]];
function tcpFlags(v: number): string {
  if (v === 0) return 'NONE';
  if (v === 63) return 'ALL';
  return TCP_FLAGS.filter(([, b]) => v & b).map(([n]) => n).join(',');
}

function saveMatch(m: Match): string {
  switch (m.kind) {
    case 'comment': return `-m comment --comment ${saveString(m.comment)}`;
    // libxt_nfacct's save and print put their own space before the name: two spaces, as on a node.
    case 'nfacct': return `-m nfacct --nfacct-name  ${m.name}`;
    case 'tcp': case 'udp': case 'sctp': {
      let s = `-m ${m.kind}`;
      const p = (o: string, x: InvPorts | undefined): void => { if (x) s += ` ${inv(x.inv)}--${o} ${ports(x.range)}`; };
      p('sport', m.sport); p('dport', m.dport);
      if (m.kind === 'tcp' && m.tcpFlags) s += ` ${inv(m.tcpFlags.inv)}--tcp-flags ${tcpFlags(m.tcpFlags.mask)} ${tcpFlags(m.tcpFlags.comp)}`;
      return s;
    }
    case 'icmp': {
      if (m.type === 255) return `-m icmp ${inv(m.inv)}--icmp-type any`;
      const code = m.codeMin === 0 && m.codeMax === 255 ? '' : `/${m.codeMin}`;
      return `-m icmp ${inv(m.inv)}--icmp-type ${m.type}${code}`;
    }
    case 'addrtype': {
      let s = '-m addrtype';
      if (m.src) s += ` ${inv(m.src.inv)}--src-type ${m.src.types.join(',')}`;
      if (m.dst) s += ` ${inv(m.dst.inv)}--dst-type ${m.dst.types.join(',')}`;
      if (m.limitIn) s += ' --limit-iface-in';
      if (m.limitOut) s += ' --limit-iface-out';
      return s;
    }
    case 'mark': return `-m mark ${inv(m.inv)}--mark ${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`;
    case 'conntrack': return `-m conntrack ${inv(m.inv)}--ctstate ${m.states.join(',')}`;
    case 'state': return `-m state ${inv(m.inv)}--state ${m.states.join(',')}`;
    case 'statistic':
      if (m.mode === 'random') return `-m statistic --mode random ${inv(m.inv)}--probability ${m.probability.toFixed(11)}`;
      return `-m statistic --mode nth ${inv(m.inv)}--every ${m.every}${m.packet ? ` --packet ${m.packet}` : ''}`;
    case 'recent': {
      let s = `-m recent ${inv(m.inv)}--${m.op}`;
      if (m.seconds !== undefined) s += ` --seconds ${m.seconds}`;
      if (m.reap) s += ' --reap';
      if (m.hitcount !== undefined) s += ` --hitcount ${m.hitcount}`;
      if (m.rttl) s += ' --rttl';
      return `${s} --name ${m.name} --mask ${m.mask6 !== undefined ? formatIPv6(m.mask6) : formatIPv4(m.mask)} --${m.side === 'source' ? 'rsource' : 'rdest'}`;
    }
    case 'set': return `-m set ${inv(m.inv)}--match-set ${m.name} ${m.flags.join(',')}`;
    case 'multiport': return `-m multiport ${inv(m.inv)}--${m.which} ${m.ports.map((p) => ports(p)).join(',')}`;
    case 'physdev': {
      let s = '-m physdev';
      if (m.in) s += ` ${inv(m.in.inv)}--physdev-in ${m.in.name}`;
      if (m.out) s += ` ${inv(m.out.inv)}--physdev-out ${m.out.name}`;
      if (m.isIn) s += ` ${inv(!!m.isInInv)}--physdev-is-in`;
      if (m.isOut) s += ` ${inv(!!m.isOutInv)}--physdev-is-out`;
      if (m.isBridged) s += ` ${inv(!!m.isBridgedInv)}--physdev-is-bridged`;
      return s;
    }
  }
}

function natRange(r: NatRange): string {
  let s = '';
  if (r.min6 !== undefined && r.max6 !== undefined) {
    // libxt_NAT prints an IPv6 range in brackets when a port follows.
    const ips = r.min6 === r.max6 ? formatIPv6(r.min6) : `${formatIPv6(r.min6)}-${formatIPv6(r.max6)}`;
    return r.ports ? `[${ips}]:${ports(r.ports, '-')}` : ips;
  }
  if (r.minIp !== 0 || r.maxIp !== 0) s = r.minIp === r.maxIp ? formatIPv4(r.minIp) : `${formatIPv4(r.minIp)}-${formatIPv4(r.maxIp)}`;
  if (r.ports) s += `:${ports(r.ports, '-')}`;
  return s;
}

function saveTarget(t: Target): string {
  switch (t.kind) {
    case 'none': return '';
    case 'ACCEPT': case 'DROP': case 'RETURN': return `-j ${t.kind}`;
    case 'jump': return `-j ${t.chain}`;
    case 'goto': return `-g ${t.chain}`;
    case 'REJECT': return `-j REJECT --reject-with ${t.with}`;
    case 'LOG': return `-j LOG${t.prefix !== undefined ? ` --log-prefix ${saveString(t.prefix)}` : ''}${t.level !== undefined ? ` --log-level ${t.level}` : ''}`;
    case 'MARK': return `-j MARK --set-xmark ${hex(t.value)}/${hex(t.mask)}`;
    case 'CONNMARK': return t.op === 'set' ? `-j CONNMARK --set-xmark ${hex(t.value)}/${hex(t.mask)}` : `-j CONNMARK --${t.op}-mark --nfmask ${hex(t.nfmask)} --ctmask ${hex(t.ctmask)}`;
    case 'DNAT': return `-j DNAT${t.to ? ` --to-destination ${natRange(t.to)}` : ''}${t.random ? ' --random' : ''}${t.persistent ? ' --persistent' : ''}`;
    case 'SNAT': return `-j SNAT${t.to ? ` --to-source ${natRange(t.to)}` : ''}${t.random ? ' --random' : ''}${t.randomFully ? ' --random-fully' : ''}${t.persistent ? ' --persistent' : ''}`;
    case 'MASQUERADE': return `-j MASQUERADE${t.ports ? ` --to-ports ${ports(t.ports, '-')}` : ''}${t.random ? ' --random' : ''}${t.randomFully ? ' --random-fully' : ''}`;
    case 'REDIRECT': return `-j REDIRECT${t.ports ? ` --to-ports ${ports(t.ports, '-')}` : ''}${t.random ? ' --random' : ''}`;
  }
}

const iface = (o: string, m: IfaceMatch): string => `${inv(m.inv)}${o} ${m.name}`;

/** Rules never change once parsed (only their counters do), so their text is cached. */
const specCache = new WeakMap<Rule, string>();

/** The rule spec as iptables-save prints it, without "-A CHAIN". */
export function formatRuleSpec(r: Rule): string {
  const hit = specCache.get(r);
  if (hit !== undefined) return hit;
  const text = buildSpec(r);
  specCache.set(r, text);
  return text;
}

/** A copy of a rule (fresh counters) prints the same: let it reuse the text. */
export function shareSpec(from: Rule, to: Rule): void {
  const text = specCache.get(from);
  if (text !== undefined) specCache.set(to, text);
}

function buildSpec(r: Rule): string {
  const parts: string[] = [];
  if (r.src) parts.push(`${inv(r.src.inv)}-s ${addr(r.src)}`);
  if (r.dst) parts.push(`${inv(r.dst.inv)}-d ${addr(r.dst)}`);
  if (r.inIface) parts.push(iface('-i', r.inIface));
  if (r.outIface) parts.push(iface('-o', r.outIface));
  if (r.proto) parts.push(`${inv(r.proto.inv)}-p ${protoName(r.proto.num)}`);
  for (const m of r.matches) parts.push(saveMatch(m));
  const t = saveTarget(r.target);
  if (t) parts.push(t);
  return parts.join(' ');
}

/** "-A CHAIN spec", the line iptables-save and iptables -S print. */
/** `-A CHAIN spec` per rule, kept with the chain name it was made for (a trace lists it per evaluated rule). */
const ruleCache = new WeakMap<Rule, { readonly chain: string; readonly text: string }>();

export function formatRule(chain: string, r: Rule): string {
  const hit = ruleCache.get(r);
  if (hit !== undefined && hit.chain === chain) return hit.text;
  const spec = formatRuleSpec(r);
  const text = spec ? `-A ${chain} ${spec}` : `-A ${chain}`;
  ruleCache.set(r, { chain, text });
  return text;
}

// ---- iptables -L ----------------------------------------------------------------------------

/** The target column of `iptables -L`. */
export function targetName(t: Target): string {
  switch (t.kind) {
    case 'none': return '';
    case 'jump': case 'goto': return t.chain;
    default: return t.kind;
  }
}

function listPorts(name: string, x: InvPorts): string {
  const plural = x.range.min !== x.range.max;
  return `${name}${plural ? 's' : ''}:${x.inv ? '!' : ''}${ports(x.range)}`;
}

/** The trailing options column of `iptables -L -n` for one match. */
function listMatch(m: Match): string {
  switch (m.kind) {
    case 'comment': return `/* ${m.comment} */`;
    case 'nfacct': return `nfacct-name  ${m.name}`;
    case 'tcp': case 'udp': case 'sctp': {
      const out: string[] = [m.kind];
      if (m.sport) out.push(listPorts('spt', m.sport));
      if (m.dport) out.push(listPorts('dpt', m.dport));
      if (m.kind === 'tcp' && m.tcpFlags) out.push(`flags:${m.tcpFlags.inv ? '!' : ''}${hex(m.tcpFlags.mask)}/${hex(m.tcpFlags.comp)}`);
      return out.join(' ');
    }
    case 'icmp':
      if (m.type === 255) return `icmp${m.inv ? ' !' : ''}any`;
      return `icmp${m.inv ? ' !' : ''}type ${m.type}${m.codeMin === 0 && m.codeMax === 255 ? '' : ` code ${m.codeMin}`}`;
    case 'addrtype': {
      let s = 'ADDRTYPE match';
      if (m.src) s += ` src-type ${m.src.inv ? '!' : ''}${m.src.types.join(',')}`;
      if (m.dst) s += ` dst-type ${m.dst.inv ? '!' : ''}${m.dst.types.join(',')}`;
      if (m.limitIn) s += ' limit-in';
      if (m.limitOut) s += ' limit-out';
      return s;
    }
    case 'mark': return `mark match ${m.inv ? '! ' : ''}${hex(m.value)}${m.mask === 0xffffffff ? '' : `/${hex(m.mask)}`}`;
    case 'conntrack': return `${m.inv ? '! ' : ''}ctstate ${m.states.join(',')}`;
    case 'state': return `${m.inv ? '! ' : ''}state ${m.states.join(',')}`;
    case 'statistic':
      return m.mode === 'random'
        ? `statistic mode random${m.inv ? ' !' : ''} probability ${m.probability.toFixed(11)}`
        : `statistic mode nth${m.inv ? ' !' : ''} every ${m.every}${m.packet ? ` packet ${m.packet}` : ''}`;
    case 'recent': {
      const op = { set: 'SET', rcheck: 'CHECK', update: 'UPDATE', remove: 'REMOVE' }[m.op];
      let s = `recent: ${m.inv ? '!' : ''}${op}`;
      if (m.seconds !== undefined) s += ` seconds: ${m.seconds}`;
      if (m.reap) s += ' reap';
      if (m.hitcount !== undefined) s += ` hit_count: ${m.hitcount}`;
      if (m.rttl) s += ' TTL-Match';
      return `${s} name: ${m.name} side: ${m.side} mask: ${m.mask6 !== undefined ? formatIPv6(m.mask6) : formatIPv4(m.mask)}`;
    }
    case 'set': return `${m.inv ? '! ' : ''}match-set ${m.name} ${m.flags.join(',')}`;
    case 'multiport': return `multiport ${m.which}${m.inv ? ' !' : ''} ${m.ports.map((p) => ports(p)).join(',')}`;
    case 'physdev': {
      let s = 'PHYSDEV match';
      if (m.in) s += ` ${m.in.inv ? '! ' : ''}--physdev-in ${m.in.name}`;
      if (m.out) s += ` ${m.out.inv ? '! ' : ''}--physdev-out ${m.out.name}`;
      if (m.isIn) s += ` ${m.isInInv ? '! ' : ''}--physdev-is-in`;
      if (m.isOut) s += ` ${m.isOutInv ? '! ' : ''}--physdev-is-out`;
      if (m.isBridged) s += ` ${m.isBridgedInv ? '! ' : ''}--physdev-is-bridged`;
      return s;
    }
  }
}

function listTarget(t: Target): string {
  switch (t.kind) {
    case 'REJECT': return `reject-with ${t.with}`;
    case 'LOG': return `LOG flags 0 level ${t.level ?? 4}${t.prefix !== undefined ? ` prefix "${t.prefix}"` : ''}`;
    case 'MARK':
      if (t.value === t.mask) return `MARK or ${hex(t.value)}`;
      if (t.value === 0) return `MARK and ${hex(~t.mask)}`;
      if (t.mask === 0) return `MARK xor ${hex(t.value)}`;
      if (t.mask === 0xffffffff) return `MARK set ${hex(t.value)}`;
      return `MARK xset ${hex(t.value)}/${hex(t.mask)}`;
    case 'CONNMARK':
      if (t.op === 'set') return t.mask === 0xffffffff ? `CONNMARK set ${hex(t.value)}` : t.value === t.mask ? `CONNMARK or ${hex(t.value)}` : `CONNMARK xset ${hex(t.value)}/${hex(t.mask)}`;
      return `CONNMARK ${t.op} nfmask ${hex(t.nfmask)} ctmask ~${hex(t.ctmask)}`;
    case 'DNAT': case 'SNAT':
      return `${t.to ? `to:${natRange(t.to)}` : ''}${t.random ? ' random' : ''}${t.kind === 'SNAT' && t.randomFully ? ' random-fully' : ''}${t.persistent ? ' persistent' : ''}`.trim();
    case 'MASQUERADE': return `${t.ports ? `masq ports: ${ports(t.ports, '-')}` : ''}${t.random ? ' random' : ''}${t.randomFully ? ' random-fully' : ''}`.trim();
    case 'REDIRECT': return `${t.ports ? `redir ports ${ports(t.ports, '-')}` : ''}${t.random ? ' random' : ''}`.trim();
    case 'goto': return `[goto]`;
    default: return '';
  }
}

/** A target with its options as `iptables -L` shows them ("DNAT to:10.244.1.5:80"), for trace summaries. */
export function targetSummary(t: Target): string {
  const extra = listTarget(t);
  return extra ? `${targetName(t)} ${extra}` : targetName(t);
}

/** The trailing free-text column: the matches' and the target's own words. */
export function listOptions(r: Rule): string {
  return [...r.matches.map(listMatch), listTarget(r.target)].filter(Boolean).join(' ');
}

/** The source/destination column value ("0.0.0.0/0", "10.96.0.1", "10.244.0.0/16"). */
export function listAddr(a: AddrMatch | undefined): string {
  if (!a) return '0.0.0.0/0';
  if (a.v6 !== undefined) return `${formatIPv6(a.v6)}/${a.len}`;
  return a.len === 32 ? formatIPv4(a.base) : `${formatIPv4(a.base)}/${a.len}`;
}
