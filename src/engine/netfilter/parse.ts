/**
 * The iptables argv parser, shared by the `iptables` command and by iptables-restore (whose
 * "-A CHAIN ..." lines are the same words). Like iptables 1.8 it loads a protocol's match
 * implicitly when `-p tcp` is followed by `--dport` (saved as `-p tcp -m tcp --dport`), accepts
 * `!` before an option to invert it, and answers with the messages iptables prints.
 */
import { maskOf, parseIPv4 } from '../addr/ip';
import { parseIPv6, parsePrefix6 } from '../addr/ip6';
import { CT_STATES, type AddrMatch, type CtStateName, type IfaceMatch, type InvPorts, type Match, type NatRange, type PortRange, type RejectWith, type Rule, type Target } from './types';

export const IPT_VERSION = 'iptables v1.8.9 (nf_tables)';

export interface ParseError {
  readonly ok: false;
  /** What iptables prints on stderr (full text, newline-terminated). */
  readonly error: string;
  readonly code: number;
}

export const usageError = (msg: string): ParseError => ({
  ok: false, code: 2, error: `${IPT_VERSION}: ${msg}\nTry \`iptables -h' or 'iptables --help' for more information.\n`,
});
export const loadError = (what: 'match' | 'target', name: string): ParseError => ({
  ok: false, code: 2, error: `${IPT_VERSION}: Couldn't load ${what} \`${name}':No such file or directory\n\nTry \`iptables -h' or 'iptables --help' for more information.\n`,
});

export type IptCommand =
  | { readonly op: 'A' | 'C'; readonly chain: string; readonly rule: Rule }
  | { readonly op: 'I'; readonly chain: string; readonly num: number; readonly rule: Rule }
  | { readonly op: 'R'; readonly chain: string; readonly num: number; readonly rule: Rule }
  | { readonly op: 'D'; readonly chain: string; readonly num?: number; readonly rule?: Rule }
  | { readonly op: 'N'; readonly chain: string }
  | { readonly op: 'X' | 'F'; readonly chain?: string }
  | { readonly op: 'P'; readonly chain: string; readonly policy: string }
  | { readonly op: 'L' | 'S' | 'Z'; readonly chain?: string; readonly num?: number }
  | { readonly op: 'E'; readonly chain: string; readonly newName: string };

export interface ParsedArgs {
  readonly table: string;
  readonly command: IptCommand;
  readonly numeric: boolean;
  readonly verbose: boolean;
  readonly exact: boolean;
  readonly lineNumbers: boolean;
}

export const PROTOCOLS: Readonly<Record<string, number>> = { all: 0, icmp: 1, 'ipv6-icmp': 58, icmpv6: 58, tcp: 6, udp: 17, sctp: 132, ipip: 4, gre: 47, esp: 50, ah: 51 };

export function protoNum(s: string): number | null {
  const lower = s.toLowerCase();
  if (lower in PROTOCOLS) return PROTOCOLS[lower]!;
  if (/^\d+$/.test(s) && Number(s) <= 255) return Number(s);
  return null;
}

const SERVICES: Readonly<Record<string, number>> = { ssh: 22, domain: 53, http: 80, https: 443, ntp: 123, bgp: 179, 'kube-dns': 53 };

function parsePort(s: string): number | null {
  if (/^\d+$/.test(s)) { const n = Number(s); return n <= 65535 ? n : null; }
  return SERVICES[s] ?? null;
}

/** "80", "1000:2000", ":1024", "1024:" (iptables port ranges). */
export function parsePortRange(s: string, sep = ':'): PortRange | null {
  const i = s.indexOf(sep);
  if (i < 0) { const p = parsePort(s); return p === null ? null : { min: p, max: p }; }
  const a = i === 0 ? 0 : parsePort(s.slice(0, i));
  const b = i === s.length - 1 ? 65535 : parsePort(s.slice(i + 1));
  if (a === null || b === null || a > b) return null;
  return { min: a, max: b };
}

/** "10.0.0.0/8", "10.0.0.1", "10.0.0.0/255.0.0.0": host bits are cleared, as iptables does. */
export function parseAddr(s: string, inv: boolean): AddrMatch | null {
  if (s.includes(':')) {
    const p6 = parsePrefix6(s, true);
    return p6 ? { base: 0, len: p6.len, inv, v6: p6.base } : null;
  }
  const slash = s.indexOf('/');
  const ip = parseIPv4(slash < 0 ? s : s.slice(0, slash));
  if (ip === null) return null;
  let len = 32;
  if (slash >= 0) {
    const m = s.slice(slash + 1);
    if (/^\d{1,2}$/.test(m) && Number(m) <= 32) len = Number(m);
    else {
      const mv = parseIPv4(m);
      if (mv === null) return null;
      len = 0;
      while (len < 32 && ((mv << len) & 0x80000000) !== 0) len++;
    }
  }
  return { base: (ip & maskOf(len)) >>> 0, len, inv };
}

export function parseNum(s: string): number | null {
  if (/^0x[0-9a-f]+$/i.test(s)) return parseInt(s.slice(2), 16) >>> 0;
  if (/^\d+$/.test(s)) return Number(s) >>> 0;
  return null;
}

/** "value[/mask]" with hex or decimal numbers. */
function parseValueMask(s: string): { value: number; mask?: number } | null {
  const [v, m] = s.split('/');
  const value = parseNum(v ?? '');
  if (value === null) return null;
  if (m === undefined) return { value };
  const mask = parseNum(m);
  return mask === null ? null : { value, mask };
}

const TCP_FLAG_BITS: Readonly<Record<string, number>> = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ALL: 63, NONE: 0 };

function parseTcpFlags(s: string): number | null {
  let v = 0;
  for (const f of s.split(',')) {
    const b = TCP_FLAG_BITS[f.toUpperCase()];
    if (b === undefined) return null;
    v |= b;
  }
  return v;
}

export const ICMP_TYPES: Readonly<Record<string, [number, number, number]>> = {
  any: [255, 0, 255], 'echo-reply': [0, 0, 255], pong: [0, 0, 255], 'destination-unreachable': [3, 0, 255],
  'network-unreachable': [3, 0, 0], 'host-unreachable': [3, 1, 1], 'protocol-unreachable': [3, 2, 2],
  'port-unreachable': [3, 3, 3], 'fragmentation-needed': [3, 4, 4], 'source-quench': [4, 0, 255],
  redirect: [5, 0, 255], 'echo-request': [8, 0, 255], ping: [8, 0, 255], 'time-exceeded': [11, 0, 255],
  'ttl-zero-during-transit': [11, 0, 0], 'parameter-problem': [12, 0, 255],
};

const REJECT_ALIASES: Readonly<Record<string, RejectWith>> = {
  'icmp-net-unreachable': 'icmp-net-unreachable', 'net-unreach': 'icmp-net-unreachable',
  'icmp-host-unreachable': 'icmp-host-unreachable', 'host-unreach': 'icmp-host-unreachable',
  'icmp-proto-unreachable': 'icmp-proto-unreachable', 'proto-unreach': 'icmp-proto-unreachable',
  'icmp-port-unreachable': 'icmp-port-unreachable', 'port-unreach': 'icmp-port-unreachable',
  'icmp-net-prohibited': 'icmp-net-prohibited', 'net-prohib': 'icmp-net-prohibited',
  'icmp-host-prohibited': 'icmp-host-prohibited', 'host-prohib': 'icmp-host-prohibited',
  'icmp-admin-prohibited': 'icmp-admin-prohibited', 'admin-prohib': 'icmp-admin-prohibited',
  'tcp-reset': 'tcp-reset', 'tcp-rst': 'tcp-reset',
  // ip6tables' names: the walker answers an IPv6 packet with the ICMPv6 error of the same meaning.
  'icmp6-port-unreachable': 'icmp-port-unreachable', 'icmp6-no-route': 'icmp-net-unreachable', 'no-route': 'icmp-net-unreachable',
  'icmp6-adm-prohibited': 'icmp-admin-prohibited', 'adm-prohibited': 'icmp-admin-prohibited',
  'icmp6-addr-unreachable': 'icmp-host-unreachable', 'addr-unreach': 'icmp-host-unreachable',
};

const LOG_LEVELS: Readonly<Record<string, number>> = { emerg: 0, alert: 1, crit: 2, error: 3, warning: 4, warn: 4, notice: 5, info: 6, debug: 7 };

/**
 * "1.2.3.4", "1.2.3.4:80", "1.2.3.4-1.2.3.9:1000-2000", ":80" (a port only); ip6tables' forms
 * "fd00::3", "[fd00::3]:80", "[fd00::3-fd00::9]:80-90" (brackets when a port follows).
 */
function parseNatRange(s: string): NatRange | null {
  const v6 = s.startsWith('[') || s.indexOf(':') !== s.lastIndexOf(':');
  let ipPart: string;
  let portPart: string | undefined;
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    if (close < 0) return null;
    ipPart = s.slice(1, close);
    const rest = s.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return null;
    portPart = rest === '' ? undefined : rest.slice(1);
  } else if (v6) {
    ipPart = s;
  } else {
    const colon = s.indexOf(':');
    ipPart = colon < 0 ? s : s.slice(0, colon);
    portPart = colon < 0 ? undefined : s.slice(colon + 1);
  }
  let ports: PortRange | undefined;
  if (portPart !== undefined) {
    const r = parsePortRange(portPart, '-');
    if (!r) return null;
    ports = r;
  }
  if (v6) {
    const [a, b] = ipPart.split('-');
    const x = parseIPv6(a ?? '');
    const y = b === undefined ? x : parseIPv6(b);
    if (x === null || y === null || y < x) return null;
    return { minIp: 0, maxIp: 0, min6: x, max6: y, ...(ports ? { ports } : {}) };
  }
  let minIp = 0;
  let maxIp = 0;
  if (ipPart) {
    const [a, b] = ipPart.split('-');
    const x = parseIPv4(a ?? '');
    const y = b === undefined ? x : parseIPv4(b);
    if (x === null || y === null || y < x) return null;
    minIp = x; maxIp = y;
  }
  return { minIp, maxIp, ...(ports ? { ports } : {}) };
}

/** Reads the argument words of an option. */
interface Args {
  next(): string | undefined;
  peek(): string | undefined;
}

type Take = (opt: string, inv: boolean, args: Args) => ParseError | null | 'unknown';

interface Module {
  readonly name: string;
  take: Take;
  finish(): Match | ParseError;
}

const missing = (opt: string): ParseError => usageError(`option "${opt}" requires an argument`);
const bad = (what: string, v: string): ParseError => usageError(`${what} \`${v}' is invalid`);

/** tcp, udp and sctp share --sport/--dport (libxt_tcp, libxt_udp, libxt_sctp); tcp adds its flags. */
function portsModule(kind: 'tcp' | 'udp' | 'sctp'): Module {
  let sport: InvPorts | undefined;
  let dport: InvPorts | undefined;
  let tcpFlags: { mask: number; comp: number; inv: boolean } | undefined;
  return {
    name: kind,
    take(opt, inv, args) {
      if (opt === '--sport' || opt === '--source-port' || opt === '--dport' || opt === '--destination-port') {
        const v = args.next();
        if (v === undefined) return missing(opt);
        const range = parsePortRange(v);
        if (!range) return usageError(`invalid port/service \`${v}' specified`);
        if (opt === '--sport' || opt === '--source-port') sport = { range, inv }; else dport = { range, inv };
        return null;
      }
      if (kind === 'tcp' && opt === '--tcp-flags') {
        const m = args.next();
        const c = args.next();
        if (m === undefined || c === undefined) return usageError('--tcp-flags requires two args.');
        const mask = parseTcpFlags(m);
        const comp = parseTcpFlags(c);
        if (mask === null) return usageError(`Unknown TCP flag \`${m}'`);
        if (comp === null) return usageError(`Unknown TCP flag \`${c}'`);
        tcpFlags = { mask, comp, inv };
        return null;
      }
      if (kind === 'tcp' && opt === '--syn') { tcpFlags = { mask: 0x17, comp: 0x02, inv }; return null; }
      return 'unknown';
    },
    finish: () => ({ kind, ...(sport ? { sport } : {}), ...(dport ? { dport } : {}), ...(tcpFlags ? { tcpFlags } : {}) }),
  };
}

function icmpModule(): Module {
  let type = 255; let codeMin = 0; let codeMax = 255; let inv = false;
  return {
    name: 'icmp',
    take(opt, i, args) {
      if (opt !== '--icmp-type') return 'unknown';
      const v = args.next();
      if (v === undefined) return missing(opt);
      const named = ICMP_TYPES[v];
      if (named) { [type, codeMin, codeMax] = named; inv = i; return null; }
      const m = /^(\d+)(?:\/(\d+))?$/.exec(v);
      if (!m || Number(m[1]) > 255 || (m[2] !== undefined && Number(m[2]) > 255)) return usageError(`Invalid ICMP type \`${v}'`);
      type = Number(m[1]);
      codeMin = m[2] === undefined ? 0 : Number(m[2]);
      codeMax = m[2] === undefined ? 255 : Number(m[2]);
      inv = i;
      return null;
    },
    finish: () => ({ kind: 'icmp', type, codeMin, codeMax, inv }),
  };
}

const ADDR_TYPES = ['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE', 'UNREACHABLE', 'PROHIBIT', 'THROW', 'NAT', 'XRESOLVE'];

function addrtypeModule(): Module {
  let src: { types: string[]; inv: boolean } | undefined;
  let dst: { types: string[]; inv: boolean } | undefined;
  let limitIn = false; let limitOut = false;
  return {
    name: 'addrtype',
    take(opt, inv, args) {
      if (opt === '--src-type' || opt === '--dst-type') {
        const v = args.next();
        if (v === undefined) return missing(opt);
        const types = v.split(',').map((t) => t.toUpperCase());
        const badType = types.find((t) => !ADDR_TYPES.includes(t));
        if (badType !== undefined) return usageError(`addrtype: invalid address type specified: ${badType}`);
        if (opt === '--src-type') src = { types, inv }; else dst = { types, inv };
        return null;
      }
      if (opt === '--limit-iface-in') { limitIn = true; return null; }
      if (opt === '--limit-iface-out') { limitOut = true; return null; }
      return 'unknown';
    },
    finish: () => (!src && !dst ? usageError('addrtype: you must specify --src-type or --dst-type')
      : { kind: 'addrtype', ...(src ? { src } : {}), ...(dst ? { dst } : {}), ...(limitIn ? { limitIn } : {}), ...(limitOut ? { limitOut } : {}) }),
  };
}

function markModule(): Module {
  let m: { value: number; mask: number; inv: boolean } | undefined;
  return {
    name: 'mark',
    take(opt, inv, args) {
      if (opt !== '--mark') return 'unknown';
      const v = args.next();
      if (v === undefined) return missing(opt);
      const vm = parseValueMask(v);
      if (!vm) return bad('mark', v);
      m = { value: vm.value, mask: vm.mask ?? 0xffffffff, inv };
      return null;
    },
    finish: () => (m ? { kind: 'mark', ...m } : usageError('mark: The --mark option is required')),
  };
}

function stateModule(kind: 'conntrack' | 'state'): Module {
  let st: { states: CtStateName[]; inv: boolean } | undefined;
  const optName = kind === 'conntrack' ? '--ctstate' : '--state';
  return {
    name: kind,
    take(opt, inv, args) {
      if (opt !== optName) return 'unknown';
      const v = args.next();
      if (v === undefined) return missing(opt);
      const states: CtStateName[] = [];
      for (const s of v.split(',')) {
        const u = s.toUpperCase();
        if (!(CT_STATES as readonly string[]).includes(u)) return usageError(`Bad ctstate "${s}"`);
        states.push(u as CtStateName);
      }
      st = { states: CT_STATES.filter((s) => states.includes(s)), inv };
      return null;
    },
    finish: () => (st ? { kind, ...st } : usageError(`${kind} match: At least one option is required`)),
  };
}

function statisticModule(): Module {
  let mode: 'random' | 'nth' | undefined;
  let probability: number | undefined;
  let every: number | undefined;
  let packet = 0;
  let inv = false;
  return {
    name: 'statistic',
    take(opt, i, args) {
      if (!['--mode', '--probability', '--every', '--packet'].includes(opt)) return 'unknown';
      const v = args.next();
      if (opt === '--mode') {
        if (v !== 'random' && v !== 'nth') return usageError(`Bad mode \`${v ?? ''}'`);
        mode = v; return null;
      }
      if (opt === '--probability') {
        const p = Number(v);
        if (v === undefined || !Number.isFinite(p) || p < 0 || p > 1) return usageError(`invalid --probability \`${v ?? ''}', must be between 0 and 1`);
        // The kernel keeps the probability as a 31-bit fraction; iptables-save prints it back from there.
        probability = Math.round(p * 0x80000000) / 0x80000000; inv = i; return null;
      }
      if (opt === '--every') { const n = Number(v); if (!Number.isInteger(n) || n < 1) return usageError(`invalid --every \`${v ?? ''}'`); every = n; inv = i; return null; }
      if (opt === '--packet') { const n = Number(v); if (!Number.isInteger(n) || n < 0) return usageError(`invalid --packet \`${v ?? ''}'`); packet = n; return null; }
      return 'unknown';
    },
    finish() {
      if (mode === 'random') return probability === undefined ? usageError('--probability must be specified when using random mode') : { kind: 'statistic', mode, probability, inv };
      if (mode === 'nth') return every === undefined ? usageError('--every must be specified when using nth mode') : { kind: 'statistic', mode, every, packet, inv, counter: { n: 0 } };
      return usageError('no mode specified');
    },
  };
}

function recentModule(): Module {
  let name = 'DEFAULT';
  let op: 'set' | 'rcheck' | 'update' | 'remove' | undefined;
  let seconds: number | undefined;
  let hitcount: number | undefined;
  let reap = false; let rttl = false; let inv = false;
  let mask = 0xffffffff;
  let mask6: bigint | undefined;
  let side: 'source' | 'dest' = 'source';
  return {
    name: 'recent',
    take(opt, i, args) {
      switch (opt) {
        case '--set': case '--rcheck': case '--update': case '--remove':
          if (op) return usageError('recent: only one of `--set\', `--rcheck\' `--update\' or `--remove\' may be set');
          op = opt.slice(2) as 'set' | 'rcheck' | 'update' | 'remove'; inv = i; return null;
        case '--name': { const v = args.next(); if (v === undefined) return missing(opt); name = v; return null; }
        case '--seconds': { const v = Number(args.next()); if (!Number.isInteger(v) || v < 0) return usageError('recent: --seconds requires a number'); seconds = v; return null; }
        case '--hitcount': { const v = Number(args.next()); if (!Number.isInteger(v) || v < 0) return usageError('recent: --hitcount requires a number'); hitcount = v; return null; }
        case '--reap': reap = true; return null;
        case '--rttl': rttl = true; return null;
        case '--rsource': side = 'source'; return null;
        case '--rdest': side = 'dest'; return null;
        case '--mask': {
          const v = args.next() ?? '';
          if (v.includes(':')) { const m6 = parseIPv6(v); if (m6 === null) return bad('mask', v); mask6 = m6; return null; }
          const m = parseIPv4(v); if (m === null) return bad('mask', v); mask = m; return null;
        }
        default: return 'unknown';
      }
    },
    finish() {
      if (!op) return usageError('recent: you must specify one of `--set\', `--rcheck\' `--update\' or `--remove\'');
      if (reap && seconds === undefined) return usageError('recent: --reap is only valid with --seconds');
      return { kind: 'recent', name, op, ...(seconds !== undefined ? { seconds } : {}), ...(hitcount !== undefined ? { hitcount } : {}), reap, rttl, mask, ...(mask6 !== undefined ? { mask6 } : {}), side, inv };
    },
  };
}

function setModule(): Module {
  let m: { name: string; flags: ('src' | 'dst')[]; inv: boolean } | undefined;
  return {
    name: 'set',
    take(opt, inv, args) {
      if (opt !== '--match-set' && opt !== '--set') return 'unknown';
      const name = args.next();
      const f = args.next();
      if (name === undefined || f === undefined) return usageError('--match-set requires two args.');
      const flags = f.split(',');
      if (flags.some((x) => x !== 'src' && x !== 'dst')) return usageError(`You must specify (the comma separated list of) 'src' or 'dst'.`);
      m = { name, flags: flags as ('src' | 'dst')[], inv };
      return null;
    },
    finish: () => (m ? { kind: 'set', ...m } : usageError('You must specify `--match-set\' with proper arguments')),
  };
}

function multiportModule(): Module {
  let m: { which: 'sports' | 'dports' | 'ports'; ports: PortRange[]; inv: boolean } | undefined;
  const names: Readonly<Record<string, 'sports' | 'dports' | 'ports'>> = { '--sports': 'sports', '--source-ports': 'sports', '--dports': 'dports', '--destination-ports': 'dports', '--ports': 'ports' };
  return {
    name: 'multiport',
    take(opt, inv, args) {
      const which = names[opt];
      if (!which) return 'unknown';
      const v = args.next();
      if (v === undefined) return missing(opt);
      const ports: PortRange[] = [];
      for (const p of v.split(',')) {
        const r = parsePortRange(p);
        if (!r) return usageError(`invalid port/service \`${p}' specified`);
        ports.push(r);
      }
      if (ports.length > 15) return usageError('too many ports specified');
      m = { which, ports, inv };
      return null;
    },
    finish: () => (m ? { kind: 'multiport', ...m } : usageError('multiport expects an option')),
  };
}

function physdevModule(): Module {
  const d: { in?: IfaceMatch; out?: IfaceMatch; isIn?: boolean; isOut?: boolean; isBridged?: boolean; isInInv?: boolean; isOutInv?: boolean; isBridgedInv?: boolean } = {};
  return {
    name: 'physdev',
    take(opt, inv, args) {
      switch (opt) {
        case '--physdev-in': case '--physdev-out': {
          const v = args.next();
          if (v === undefined) return missing(opt);
          if (opt === '--physdev-in') d.in = { name: v, inv }; else d.out = { name: v, inv };
          return null;
        }
        case '--physdev-is-in': d.isIn = true; if (inv) d.isInInv = true; return null;
        case '--physdev-is-out': d.isOut = true; if (inv) d.isOutInv = true; return null;
        case '--physdev-is-bridged': d.isBridged = true; if (inv) d.isBridgedInv = true; return null;
        default: return 'unknown';
      }
    },
    finish: () => (d.in || d.out || d.isIn || d.isOut || d.isBridged ? { kind: 'physdev', ...d } : usageError('PHYSDEV: no physdev option specified')),
  };
}

function nfacctModule(): Module {
  let name: string | undefined;
  return {
    name: 'nfacct',
    take(opt, _inv, args) {
      if (opt !== '--nfacct-name') return 'unknown';
      const v = args.next();
      if (v === undefined) return missing(opt);
      if (v.length > 31) return usageError('nfacct: name too long (max 31 characters)');
      name = v;
      return null;
    },
    finish: () => (name === undefined ? usageError('nfacct: you must specify --nfacct-name') : { kind: 'nfacct', name }),
  };
}

function commentModule(): Module {
  let comment: string | undefined;
  return {
    name: 'comment',
    take(opt, _inv, args) {
      if (opt !== '--comment') return 'unknown';
      const v = args.next();
      if (v === undefined) return missing(opt);
      if (v.length > 255) return usageError('comment may not exceed 255 characters');
      comment = v;
      return null;
    },
    finish: () => (comment === undefined ? usageError('comment: option "--comment" must be specified') : { kind: 'comment', comment }),
  };
}

const MATCH_MODULES: Readonly<Record<string, () => Module>> = {
  tcp: () => portsModule('tcp'), udp: () => portsModule('udp'), sctp: () => portsModule('sctp'), icmp: icmpModule, addrtype: addrtypeModule,
  mark: markModule, conntrack: () => stateModule('conntrack'), state: () => stateModule('state'),
  statistic: statisticModule, recent: recentModule, set: setModule, multiport: multiportModule,
  physdev: physdevModule, comment: commentModule, nfacct: nfacctModule,
};

/** Target option parsing: a draft filled by options, then finished into a Target. */
interface TargetModule {
  take: Take;
  finish(): Target | ParseError;
}

const BUILTIN_TARGETS = ['ACCEPT', 'DROP', 'RETURN'];
export const EXTENSION_TARGETS = ['REJECT', 'LOG', 'MARK', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT'];

function targetModule(name: string, isGoto: boolean): TargetModule | ParseError {
  if (isGoto) return { take: () => 'unknown', finish: () => ({ kind: 'goto', chain: name }) };
  if (BUILTIN_TARGETS.includes(name)) return { take: () => 'unknown', finish: () => ({ kind: name as 'ACCEPT' | 'DROP' | 'RETURN' }) };
  switch (name) {
    case 'REJECT': {
      let w: RejectWith = 'icmp-port-unreachable';
      return {
        take(opt, _inv, args) {
          if (opt !== '--reject-with') return 'unknown';
          const v = args.next();
          const r = REJECT_ALIASES[v ?? ''];
          if (!r) return usageError(`unknown reject type "${v ?? ''}"`);
          w = r; return null;
        },
        finish: () => ({ kind: 'REJECT', with: w }),
      };
    }
    case 'LOG': {
      let prefix: string | undefined; let level: number | undefined;
      return {
        take(opt, _inv, args) {
          if (opt === '--log-prefix') {
            const v = args.next(); if (v === undefined) return missing(opt);
            if (v.length > 29) return usageError('Maximum prefix length 29 for --log-prefix');
            prefix = v; return null;
          }
          if (opt === '--log-level') {
            const v = args.next() ?? '';
            const n = /^\d$/.test(v) && Number(v) <= 7 ? Number(v) : LOG_LEVELS[v.toLowerCase()];
            if (n === undefined) return usageError(`log-level \`${v}' unknown`);
            level = n; return null;
          }
          if (opt === '--log-tcp-sequence' || opt === '--log-tcp-options' || opt === '--log-ip-options' || opt === '--log-uid') return null;
          return 'unknown';
        },
        finish: () => ({ kind: 'LOG', ...(prefix !== undefined ? { prefix } : {}), ...(level !== undefined && level !== 4 ? { level } : {}) }),
      };
    }
    case 'MARK': {
      let t: { value: number; mask: number } | undefined;
      return {
        take(opt, _inv, args) {
          const ops = ['--set-xmark', '--set-mark', '--and-mark', '--or-mark', '--xor-mark'];
          if (!ops.includes(opt)) return 'unknown';
          if (t) return usageError('MARK target: Can\'t specify --set-mark twice');
          const v = args.next();
          if (v === undefined) return missing(opt);
          const vm = parseValueMask(v);
          if (!vm) return bad('MARK', v);
          const full = 0xffffffff;
          switch (opt) {
            case '--set-xmark': t = { value: vm.value, mask: vm.mask ?? full }; break;
            case '--set-mark': t = { value: vm.value, mask: ((vm.mask ?? full) | vm.value) >>> 0 }; break;
            case '--and-mark': t = { value: 0, mask: ~vm.value >>> 0 }; break;
            case '--or-mark': t = { value: vm.value, mask: vm.value }; break;
            default: t = { value: vm.value, mask: 0 }; break;
          }
          return null;
        },
        finish: () => (t ? { kind: 'MARK', ...t } : usageError('MARK target: Parameter --set/and/or/xor-mark is required')),
      };
    }
    case 'CONNMARK': {
      let set: { value: number; mask: number } | undefined;
      let op: 'restore' | 'save' | undefined;
      let nfmask = 0xffffffff; let ctmask = 0xffffffff;
      return {
        take(opt, _inv, args) {
          if (opt === '--restore-mark' || opt === '--save-mark') { op = opt === '--restore-mark' ? 'restore' : 'save'; return null; }
          if (opt === '--nfmask' || opt === '--ctmask' || opt === '--mask') {
            const v = args.next(); if (v === undefined) return missing(opt);
            const vm = parseValueMask(v); if (!vm) return bad('CONNMARK', v);
            if (opt !== '--ctmask') nfmask = vm.value;
            if (opt !== '--nfmask') ctmask = vm.value;
            return null;
          }
          if (opt === '--set-xmark' || opt === '--set-mark') {
            const v = args.next(); if (v === undefined) return missing(opt);
            const vm = parseValueMask(v); if (!vm) return bad('CONNMARK', v);
            const full = 0xffffffff;
            set = opt === '--set-xmark' ? { value: vm.value, mask: vm.mask ?? full } : { value: vm.value, mask: ((vm.mask ?? full) | vm.value) >>> 0 };
            return null;
          }
          return 'unknown';
        },
        finish: () => (set ? { kind: 'CONNMARK', op: 'set', ...set } : op ? { kind: 'CONNMARK', op, nfmask, ctmask } : usageError('CONNMARK target: No operation specified')),
      };
    }
    case 'DNAT': case 'SNAT': {
      let to: NatRange | undefined; let random = false; let randomFully = false; let persistent = false;
      const optName = name === 'DNAT' ? '--to-destination' : '--to-source';
      return {
        take(opt, _inv, args) {
          if (opt === optName || opt === '--to') {
            const v = args.next(); if (v === undefined) return missing(opt);
            const r = parseNatRange(v);
            if (!r || (r.minIp === 0 && r.min6 === undefined && !r.ports)) return usageError(`Bad IP address "${v}"`);
            to = r; return null;
          }
          if (opt === '--random') { random = true; return null; }
          if (opt === '--persistent') { persistent = true; return null; }
          if (opt === '--random-fully' && name === 'SNAT') { randomFully = true; return null; }
          return 'unknown';
        },
        finish: () => (name === 'DNAT'
          ? { kind: 'DNAT', ...(to ? { to } : {}), random, persistent }
          : { kind: 'SNAT', ...(to ? { to } : {}), random, randomFully, persistent }),
      };
    }
    case 'MASQUERADE': case 'REDIRECT': {
      let ports: PortRange | undefined; let random = false; let randomFully = false;
      return {
        take(opt, _inv, args) {
          if (opt === '--to-ports' || opt === '--to-port') {
            const v = args.next(); if (v === undefined) return missing(opt);
            const r = parsePortRange(v, '-');
            if (!r) return usageError(`Port "${v}" not valid`);
            ports = r; return null;
          }
          if (opt === '--random') { random = true; return null; }
          if (opt === '--random-fully' && name === 'MASQUERADE') { randomFully = true; return null; }
          return 'unknown';
        },
        finish: () => (name === 'MASQUERADE'
          ? { kind: 'MASQUERADE', ...(ports ? { ports } : {}), random, randomFully }
          : { kind: 'REDIRECT', ...(ports ? { ports } : {}), random }),
      };
    }
    default:
      // Anything else names a user chain; whether it exists is checked against the table.
      return { take: () => 'unknown', finish: () => ({ kind: 'jump', chain: name }) };
  }
}

const COMMANDS: Readonly<Record<string, string>> = {
  '-A': 'A', '--append': 'A', '-C': 'C', '--check': 'C', '-D': 'D', '--delete': 'D', '-I': 'I', '--insert': 'I',
  '-R': 'R', '--replace': 'R', '-L': 'L', '--list': 'L', '-S': 'S', '--list-rules': 'S', '-F': 'F', '--flush': 'F',
  '-Z': 'Z', '--zero': 'Z', '-N': 'N', '--new-chain': 'N', '-X': 'X', '--delete-chain': 'X', '-P': 'P', '--policy': 'P',
  '-E': 'E', '--rename-chain': 'E',
};

const SHORT_FLAGS = new Set(['n', 'v', 'x', 'L', 'S', 'F', 'Z', 'X', 'h', 'w', 'A', 'D', 'I', 'R', 'N', 'P', 'E', 'C', 't']);
/** Short options whose argument may be glued on ("-tnat", "-AINPUT"), as getopt allows. */
const GLUED_ARG = new Set(['t', 'A', 'D', 'I', 'R', 'N', 'P', 'E', 'C']);

/** Splits bundled short options the way getopt does: "-nvL" → "-n" "-v" "-L"; "-tnat" → "-t" "nat". */
function unbundle(argv: readonly string[]): readonly string[] {
  if (!argv.some((a) => a.length > 2 && a.charCodeAt(0) === 45 && a.charCodeAt(1) !== 45)) return argv;
  const out: string[] = [];
  for (const a of argv) {
    if (a.length > 2 && a.charCodeAt(0) === 45 && a.charCodeAt(1) !== 45 && SHORT_FLAGS.has(a[1]!) && /^-[a-zA-Z]+$/.test(a)) {
      for (let i = 1; i < a.length; i++) {
        const c = a[i]!;
        out.push(`-${c}`);
        if (GLUED_ARG.has(c) && i < a.length - 1) { out.push(a.slice(i + 1)); break; }
      }
    } else out.push(a);
  }
  return out;
}

const isOptArg = (s: string | undefined): s is string => s !== undefined && (!s.startsWith('-') || s === '-') && s !== '!';

/**
 * Parses iptables arguments (without the program name). `requireCommand` is false for
 * iptables-restore lines, which always carry one. Never throws.
 */
export function parseIptables(argvIn: readonly string[]): { ok: true; value: ParsedArgs } | ParseError {
  const argv = unbundle(argvIn);
  let table = 'filter';
  let op: string | undefined;
  let chain: string | undefined;
  let num: number | undefined;
  let extra: string | undefined;
  let numeric = false; let verbose = false; let exact = false; let lineNumbers = false;
  let src: AddrMatch | undefined; let dst: AddrMatch | undefined;
  let inIface: IfaceMatch | undefined; let outIface: IfaceMatch | undefined;
  let proto: { num: number; inv: boolean } | undefined;
  let counters = { pkts: 0, bytes: 0 };
  const modules: Module[] = [];
  let target: TargetModule | undefined;
  let targetName: string | undefined;
  let inv = false;
  let i = 0;
  const args: Args = { next: () => argv[i++], peek: () => argv[i] };
  let hasRuleSpec = false;

  while (i < argv.length) {
    const a = argv[i++]!;
    if (a === '!') {
      if (inv) return usageError('multiple consecutive ! not allowed');
      inv = true; continue;
    }
    const cmd = COMMANDS[a];
    if (cmd) {
      if (op !== undefined) return usageError(`Cannot use -${cmd} with -${op}\n`.trimEnd());
      op = cmd;
      if (cmd === 'L' || cmd === 'S' || cmd === 'Z' || cmd === 'F' || cmd === 'X') {
        if (isOptArg(args.peek())) chain = args.next();
        if ((cmd === 'S' || cmd === 'Z' || cmd === 'L') && chain !== undefined && /^\d+$/.test(args.peek() ?? '')) num = Number(args.next());
      } else {
        const c = args.next();
        if (c === undefined) return usageError(`option "${a}" requires an argument`);
        chain = c;
        if (cmd === 'I' || cmd === 'R' || cmd === 'D') {
          if (/^-?\d+$/.test(args.peek() ?? '')) num = Number(args.next());
          if ((cmd === 'R') && num === undefined) return usageError('-R requires a rule number');
        }
        if (cmd === 'P' || cmd === 'E') {
          const x = args.next();
          if (x === undefined) return usageError(`-${cmd} requires a chain and a ${cmd === 'P' ? 'policy' : 'new name'}`);
          extra = x;
        }
      }
      continue;
    }
    switch (a) {
      case '-t': case '--table': {
        const t = args.next(); if (t === undefined) return usageError(`option "${a}" requires an argument`);
        table = t; continue;
      }
      case '-n': case '--numeric': numeric = true; continue;
      case '-v': case '--verbose': verbose = true; continue;
      case '-x': case '--exact': exact = true; continue;
      case '--line-numbers': lineNumbers = true; continue;
      case '-w': case '--wait': if (/^\d+$/.test(args.peek() ?? '')) i++; continue;
      case '-W': case '--wait-interval': i++; continue;
      case '-c': case '--set-counters': {
        const p = args.next(); const b = args.next();
        if (!/^\d+$/.test(p ?? '') || !/^\d+$/.test(b ?? '')) return usageError('-c requires packet and byte counter');
        counters = { pkts: Number(p), bytes: Number(b) }; continue;
      }
      case '-s': case '--source': case '--src': case '-d': case '--destination': case '--dst': {
        const v = args.next(); if (v === undefined) return usageError(`option "${a}" requires an argument`);
        const m = parseAddr(v, inv);
        if (!m) return usageError(`host/network \`${v.split('/')[0] ?? v}' not found`);
        if (a.startsWith('-s') || a === '--source' || a === '--src') src = m; else dst = m;
        inv = false; hasRuleSpec = true; continue;
      }
      case '-i': case '--in-interface': case '-o': case '--out-interface': {
        const v = args.next(); if (v === undefined) return usageError(`option "${a}" requires an argument`);
        if (v.length > 15) return usageError(`interface name \`${v}' must be shorter than IFNAMSIZ (15)`);
        const m = { name: v, inv };
        if (a === '-i' || a === '--in-interface') inIface = m; else outIface = m;
        inv = false; hasRuleSpec = true; continue;
      }
      case '-p': case '--protocol': {
        const v = args.next(); if (v === undefined) return usageError(`option "${a}" requires an argument`);
        const n = protoNum(v);
        if (n === null) return usageError(`unknown protocol "${v}" specified`);
        proto = { num: n, inv }; inv = false; hasRuleSpec = true; continue;
      }
      case '-m': case '--match': {
        const v = args.next(); if (v === undefined) return usageError(`option "${a}" requires an argument`);
        const make = MATCH_MODULES[v];
        if (!make) return loadError('match', v);
        if (inv) return usageError('unexpected ! flag before --match');
        modules.push(make()); hasRuleSpec = true; continue;
      }
      case '-j': case '--jump': case '-g': case '--goto': {
        const v = args.next(); if (v === undefined) return usageError(`option "${a}" requires an argument`);
        if (targetName !== undefined) return usageError('multiple -j flags not allowed');
        const t = targetModule(v, a === '-g' || a === '--goto');
        if ('ok' in t) return t;
        target = t; targetName = v; hasRuleSpec = true; continue;
      }
      default: break;
    }
    if (a.startsWith('--')) {
      // Offer the option to the loaded modules, latest first, then the target, then the
      // protocol's own match loaded implicitly (iptables' "-p tcp --dport" convenience).
      let handled = false;
      for (let k = modules.length - 1; k >= 0 && !handled; k--) {
        const r = modules[k]!.take(a, inv, args);
        if (r === 'unknown') continue;
        if (r) return r;
        handled = true;
      }
      if (!handled && target) {
        const r = target.take(a, inv, args);
        if (r !== 'unknown') { if (r) return r; handled = true; }
      }
      if (!handled && proto && !proto.inv) {
        const pname = Object.keys(PROTOCOLS).find((k) => PROTOCOLS[k] === proto!.num);
        const make = pname && pname !== 'all' && !modules.some((m) => m.name === pname) ? MATCH_MODULES[pname] : undefined;
        if (make) {
          const m = make();
          const r = m.take(a, inv, args);
          if (r !== 'unknown') { if (r) return r; modules.push(m); handled = true; }
        }
      }
      if (!handled) return usageError(`unknown option "${a}"`);
      inv = false; hasRuleSpec = true;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) return usageError(`unknown option "${a}"`);
    return usageError(`Bad argument \`${a}'`);
  }

  if (op === undefined) return usageError('no command specified');
  const matches: Match[] = [];
  for (const m of modules) {
    const r = m.finish();
    if ('ok' in r) return r;
    matches.push(r);
  }
  // iptables refuses a port match for a protocol it was not loaded for.
  for (const m of matches) {
    if ((m.kind === 'tcp' || m.kind === 'udp' || m.kind === 'sctp' || m.kind === 'icmp') && (!proto || proto.num !== PROTOCOLS[m.kind] || proto.inv)) {
      if (m.kind !== 'icmp' || proto?.num !== 1) return usageError(`${m.kind} match: only valid for protocol ${PROTOCOLS[m.kind]}`);
    }
    if (m.kind === 'multiport' && (!proto || ![6, 17, 132].includes(proto.num) || proto.inv)) return usageError('multiport needs `-p tcp\', `-p udp\', `-p udplite\', `-p sctp\' or `-p dccp\'');
  }
  let tgt: Target = { kind: 'none' };
  if (target) {
    const t = target.finish();
    if ('ok' in t) return t;
    tgt = t;
  }
  // libxt_DNAT/SNAT/MASQUERADE/REDIRECT: a port needs a protocol that has ports.
  const natPorts = (tgt.kind === 'DNAT' || tgt.kind === 'SNAT') ? tgt.to?.ports : (tgt.kind === 'MASQUERADE' || tgt.kind === 'REDIRECT') ? tgt.ports : undefined;
  if (natPorts && (!proto || proto.inv || ![6, 17, 132, 33].includes(proto.num))) return usageError('Need TCP, UDP, SCTP or DCCP with port specification');
  // Plain assignments rather than conditional spreads: this runs once per rule of a 30k-rule restore.
  const rule: { -readonly [K in keyof Rule]: Rule[K] } = { matches, target: tgt, counters };
  if (src) rule.src = src;
  if (dst) rule.dst = dst;
  if (inIface) rule.inIface = inIface;
  if (outIface) rule.outIface = outIface;
  if (proto && !(proto.num === 0 && !proto.inv)) rule.proto = proto;
  const c = chain ?? '';
  const needsRule = op === 'A' || op === 'C' || op === 'I' || op === 'R' || (op === 'D' && num === undefined);
  if (!needsRule && hasRuleSpec) return usageError(`Illegal option \`-${firstRuleOpt(argv)}' with this command`);
  if (op === 'D' && num !== undefined && hasRuleSpec) return usageError('Illegal option `-j\' with this command');
  let command: IptCommand;
  switch (op) {
    case 'A': case 'C': command = { op, chain: c, rule }; break;
    case 'I': command = { op, chain: c, num: num ?? 1, rule }; break;
    case 'R': command = { op, chain: c, num: num ?? 1, rule }; break;
    case 'D': command = num !== undefined ? { op, chain: c, num } : { op, chain: c, rule }; break;
    case 'N': command = { op, chain: c }; break;
    case 'X': case 'F': command = chain !== undefined ? { op, chain } : { op }; break;
    case 'P': command = { op, chain: c, policy: extra ?? '' }; break;
    case 'E': command = { op, chain: c, newName: extra ?? '' }; break;
    default: command = { op: op as 'L' | 'S' | 'Z', ...(chain !== undefined ? { chain } : {}), ...(num !== undefined ? { num } : {}) };
  }
  return { ok: true, value: { table, numeric, verbose, exact, lineNumbers, command } };
}

function firstRuleOpt(argv: readonly string[]): string {
  const o = argv.find((a) => ['-s', '-d', '-p', '-i', '-o', '-m', '-j', '-g'].includes(a));
  return o ? o.slice(1) : 'j';
}

