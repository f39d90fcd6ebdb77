/**
 * IP addresses and prefixes, family-aware.
 *
 * Addresses travel through the model as canonical strings ("10.244.1.2") because that is
 * what every tool prints and what traces carry; hot paths (FIB lookups, rule matching) work
 * on the parsed numeric form. IPv4 is implemented today; the `family` tag on every value
 * keeps the door open for IPv6 (bigint values) without changing callers.
 */

export type Family = 4 | 6;

export interface ParsedIp {
  readonly family: Family;
  /** IPv4: unsigned 32-bit number. */
  readonly value: number;
}

export interface Prefix {
  readonly family: Family;
  /** Network address (host bits cleared), unsigned 32-bit for IPv4. */
  readonly base: number;
  readonly len: number;
}

/**
 * Dotted quad → unsigned 32-bit number: four decimal octets of one to three digits, none above
 * 255, no leading zero. Read a character at a time (no match array: every address of a build and
 * every rule a packet is checked against comes through here).
 */
export function parseIPv4(s: string): number | null {
  const n = s.length;
  if (n < 7 || n > 15) return null;
  let v = 0, octet = 0, digits = 0, dots = 0, leadingZero = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3 || octet > 255) return null;
      v = v * 256 + octet;
      dots++; octet = 0; digits = 0; leadingZero = false;
      continue;
    }
    if (c < 48 || c > 57 || digits === 3 || leadingZero) {
      // A digit after a leading 0 ("01") or a fourth digit makes no octet.
      return null;
    }
    leadingZero = digits === 0 && c === 48;
    octet = octet * 10 + (c - 48);
    digits++;
  }
  if (dots !== 3 || digits === 0 || octet > 255) return null;
  return v * 256 + octet;
}

export function parseIp(s: string): ParsedIp | null {
  const v = parseIPv4(s);
  return v === null ? null : { family: 4, value: v };
}

export function isIp(s: string): boolean {
  return parseIPv4(s) !== null;
}

export function formatIPv4(v: number): string {
  return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

export function maskOf(len: number): number {
  return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}

/** Parses "10.244.0.0/16"; a bare address is a /32. Host bits must be zero unless `loose`. */
export function parsePrefix(s: string, loose = false): Prefix | null {
  const slash = s.indexOf('/');
  const addr = slash < 0 ? s : s.slice(0, slash);
  const lenStr = slash < 0 ? '32' : s.slice(slash + 1);
  if (!/^\d{1,2}$/.test(lenStr)) return null;
  const len = Number(lenStr);
  const v = parseIPv4(addr);
  if (v === null || len > 32) return null;
  const base = (v & maskOf(len)) >>> 0;
  if (!loose && base !== v) return null;
  return { family: 4, base, len };
}

/** Like parsePrefix(loose) but also returns the address itself ("10.244.1.1/24" on an interface). */
export function parseIfAddr(s: string): { ip: number; prefix: Prefix } | null {
  const p = parsePrefix(s, true);
  if (!p) return null;
  const ip = parseIPv4(s.split('/')[0] as string);
  return ip === null ? null : { ip, prefix: p };
}

export function formatPrefix(p: Prefix): string {
  return `${formatIPv4(p.base)}/${p.len}`;
}

export function prefixContains(p: Prefix, ip: number): boolean {
  return ((ip & maskOf(p.len)) >>> 0) === p.base;
}

export function prefixSize(p: Prefix): number {
  return 2 ** (32 - p.len);
}

export function prefixOverlaps(a: Prefix, b: Prefix): boolean {
  const len = Math.min(a.len, b.len);
  const m = maskOf(len);
  return ((a.base & m) >>> 0) === ((b.base & m) >>> 0);
}

/** The n-th address of a prefix (0 = network address). */
export function nthAddress(p: Prefix, n: number): number {
  return (p.base + n) >>> 0;
}

/** Splits `parent` into consecutive subnets of length `len` and returns the i-th one. */
export function nthSubnet(parent: Prefix, len: number, i: number): Prefix | null {
  if (len < parent.len || len > 32) return null;
  const count = 2 ** (len - parent.len);
  if (i < 0 || i >= count) return null;
  return { family: parent.family, base: (parent.base + i * 2 ** (32 - len)) >>> 0, len };
}

export function ipInCidr(ip: string, cidr: string): boolean {
  const p = parsePrefix(cidr, true);
  const v = parseIPv4(ip);
  return p !== null && v !== null && prefixContains(p, v);
}
