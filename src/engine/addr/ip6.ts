/**
 * IPv6 addresses and prefixes as 128-bit bigints, kept apart from the IPv4 code in ./ip so the
 * IPv4 hot path (32-bit numbers) stays as it is. Text follows RFC 5952: lower-case hex, no
 * leading zeros, the longest run of two or more zero groups written `::` (the first such run on
 * a tie), and an IPv4-mapped address (::ffff:0:0/96) in mixed notation, `::ffff:192.0.2.1`.
 *
 * Stage 2 (the IPv6 walk: FIB, ip6tables, conntrack v6) builds on `Prefix6` and the bigint
 * value; `ipFamily` / `parseAnyIp` / `parseAnyCidr` in ./family tell the two families apart.
 */
import { formatIPv4, parseIPv4 } from './ip';

export interface Prefix6 {
  readonly family: 6;
  /** Network address (host bits cleared), 128-bit. */
  readonly base: bigint;
  readonly len: number;
}

export const ALL_ONES_128 = (1n << 128n) - 1n;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseGroups(part: string): number[] | null {
  if (part === '') return [];
  const out: number[] = [];
  for (const g of part.split(':')) {
    if (!HEX_GROUP.test(g)) return null;
    out.push(parseInt(g, 16));
  }
  return out;
}

/** Parses IPv6 text ("fd00::1", "2001:db8:0:0:0:0:0:1", "::ffff:10.0.0.1"); no zone, no prefix. Null if invalid. */
export function parseIPv6(s: string): bigint | null {
  if (s.length < 2 || s.length > 45 || !s.includes(':')) return null;
  let text = s;
  let tail: number[] = [];
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseIPv4(last);
    if (v4 === null) return null;
    tail = [(v4 >>> 16) & 0xffff, v4 & 0xffff];
    // Drop the dotted quad; keep "::" whole ("::ffff:1.2.3.4" → "::ffff", "::1.2.3.4" → "::").
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith('::')) text = text.slice(0, -1);
  }
  const dbl = text.indexOf('::');
  let groups: number[];
  if (dbl >= 0) {
    if (text.indexOf('::', dbl + 1) >= 0) return null;
    const head = parseGroups(text.slice(0, dbl));
    const rest = parseGroups(text.slice(dbl + 2));
    if (!head || !rest) return null;
    const fill = 8 - head.length - rest.length - tail.length;
    if (fill < 1) return null;
    groups = [...head, ...new Array<number>(fill).fill(0), ...rest, ...tail];
  } else {
    const all = parseGroups(text);
    if (!all) return null;
    groups = [...all, ...tail];
    if (groups.length !== 8) return null;
  }
  let v = 0n;
  for (const g of groups) v = (v << 16n) | BigInt(g);
  return v;
}

export function isIPv6(s: string): boolean {
  return parseIPv6(s) !== null;
}

function groupsOf(v: bigint): number[] {
  const g: number[] = [];
  for (let i = 7; i >= 0; i--) g.push(Number((v >> BigInt(i * 16)) & 0xffffn));
  return g;
}

/** RFC 5952 canonical text of a 128-bit value. */
export function formatIPv6(v: bigint): string {
  const g = groupsOf(v);
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `::ffff:${formatIPv4(Number(v & 0xffffffffn))}`;
  }
  let bestAt = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestAt = i; bestLen = j - i; }
    i = j;
  }
  const hex = (a: number[]): string => a.map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(g);
  return `${hex(g.slice(0, bestAt))}::${hex(g.slice(bestAt + bestLen))}`;
}

/** Canonical form of IPv6 text, or null if it is not an IPv6 address. */
export function canonicalIPv6(s: string): string | null {
  const v = parseIPv6(s);
  return v === null ? null : formatIPv6(v);
}

export function mask6(len: number): bigint {
  return len === 0 ? 0n : (ALL_ONES_128 << BigInt(128 - len)) & ALL_ONES_128;
}

/** Parses "fd00:10:244::/56"; a bare address is a /128. Host bits must be zero unless `loose`. */
export function parsePrefix6(s: string, loose = false): Prefix6 | null {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const lenStr = slash < 0 ? '128' : s.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lenStr) || (lenStr.length > 1 && lenStr.startsWith('0'))) return null;
  const len = Number(lenStr);
  const v = parseIPv6(addr);
  if (v === null || len > 128) return null;
  const base = v & mask6(len);
  if (!loose && base !== v) return null;
  return { family: 6, base, len };
}

/** Like parsePrefix6(loose) but also returns the address itself ("fd00::1/64" on an interface). */
export function parseIfAddr6(s: string): { ip: bigint; prefix: Prefix6 } | null {
  const p = parsePrefix6(s, true);
  if (!p) return null;
  const ip = parseIPv6(s.split('/')[0] as string);
  return ip === null ? null : { ip, prefix: p };
}

export function formatPrefix6(p: Prefix6): string {
  return `${formatIPv6(p.base)}/${p.len}`;
}

export function prefix6Contains(p: Prefix6, ip: bigint): boolean {
  return (ip & mask6(p.len)) === p.base;
}

export function prefix6Overlaps(a: Prefix6, b: Prefix6): boolean {
  const m = mask6(Math.min(a.len, b.len));
  return (a.base & m) === (b.base & m);
}

/** Number of addresses in the prefix (2^(128-len)). */
export function prefix6Size(p: Prefix6): bigint {
  return 1n << BigInt(128 - p.len);
}

/** The n-th address of a prefix (0 = the subnet-router anycast address); null past its end. */
export function nthAddress6(p: Prefix6, n: bigint | number): bigint | null {
  const k = BigInt(n);
  if (k < 0n || k >= prefix6Size(p)) return null;
  return p.base + k;
}

/** Splits `parent` into consecutive subnets of length `len` and returns the i-th one. */
export function nthSubnet6(parent: Prefix6, len: number, i: number): Prefix6 | null {
  if (len < parent.len || len > 128 || i < 0) return null;
  if (BigInt(i) >= 1n << BigInt(len - parent.len)) return null;
  return { family: 6, base: parent.base + (BigInt(i) << BigInt(128 - len)), len };
}

/** The PTR owner name of an IPv6 address: 32 reversed nibbles under ip6.arpa (RFC 3596). */
export function reverseName6(v: bigint): string {
  const hex = v.toString(16).padStart(32, '0');
  return `${hex.split('').reverse().join('.')}.ip6.arpa`;
}

/** Reads an ip6.arpa name back ("1.0.0.0....ip6.arpa", trailing dot allowed); null if it is not a full one. */
export function parseReverseName6(name: string): bigint | null {
  const m = /^((?:[0-9a-fA-F]\.){32})ip6\.arpa\.?$/.exec(name);
  if (!m) return null;
  const nibbles = (m[1] as string).split('.').filter((x) => x !== '').reverse().join('');
  return BigInt(`0x${nibbles}`);
}
