/**
 * Telling the two families apart, for code that takes either (the Kubernetes API side, the
 * scenario's CIDR lists). The IPv4 functions in ./ip and the IPv6 ones in ./ip6 stay separate
 * so each hot path keeps its own representation.
 */
import { formatIPv4, formatPrefix, parseIPv4, parsePrefix, type Family, type Prefix } from './ip';
import { formatIPv6, formatPrefix6, parseIPv6, parsePrefix6, reverseName6, type Prefix6 } from './ip6';

export type { Family } from './ip';

export type AnyIp = { readonly family: 4; readonly value: number } | { readonly family: 6; readonly value: bigint };
export type AnyPrefix = Prefix | Prefix6;

/** net.JoinHostPort: "ip:port", "[v6]:port" (an IPv6 address is bracketed so the port stays apart). */
export function joinHostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** 4, 6, or null when the text is neither an IPv4 nor an IPv6 address. */
export function ipFamily(s: string): Family | null {
  if (parseIPv4(s) !== null) return 4;
  if (parseIPv6(s) !== null) return 6;
  return null;
}

export function isIPv4(s: string): boolean {
  return parseIPv4(s) !== null;
}

export function parseAnyIp(s: string): AnyIp | null {
  const v4 = parseIPv4(s);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIPv6(s);
  return v6 === null ? null : { family: 6, value: v6 };
}

export function formatAnyIp(ip: AnyIp): string {
  return ip.family === 4 ? formatIPv4(ip.value) : formatIPv6(ip.value);
}

/** The canonical text of an address of either family ("FD00:0::1" → "fd00::1"); null if invalid. */
export function canonicalIp(s: string): string | null {
  const ip = parseAnyIp(s);
  return ip === null ? null : formatAnyIp(ip);
}

/** A CIDR of either family; a bare address is a host prefix. Host bits must be zero unless `loose`. */
export function parseAnyCidr(s: string, loose = false): AnyPrefix | null {
  if (s.includes(':')) return parsePrefix6(s, loose);
  return parsePrefix(s, loose);
}

export function formatAnyCidr(p: AnyPrefix): string {
  return typeof p.base === 'bigint' ? formatPrefix6(p as Prefix6) : formatPrefix(p as Prefix);
}

/** Family of a CIDR's text, or null when it is not one. */
export function cidrFamily(s: string, loose = false): Family | null {
  return parseAnyCidr(s, loose)?.family ?? null;
}

/** True when `ip` lies in `cidr`; addresses and prefixes of different families never match. */
export function anyCidrContains(cidr: string, ip: string): boolean {
  const p = parseAnyCidr(cidr, true);
  const a = parseAnyIp(ip);
  if (!p || !a || p.family !== a.family) return false;
  if (p.family === 4) return ((a.value as number) & (p.len === 0 ? 0 : (0xffffffff << (32 - p.len)) >>> 0)) >>> 0 === p.base;
  const m = p.len === 0 ? 0n : (((1n << 128n) - 1n) << BigInt(128 - p.len)) & ((1n << 128n) - 1n);
  return ((a.value as bigint) & m) === p.base;
}

/** The PTR owner name of an address of either family (in-addr.arpa or ip6.arpa). */
export function reverseName(s: string): string | null {
  const a = parseAnyIp(s);
  if (!a) return null;
  if (a.family === 6) return reverseName6(a.value);
  const v = a.value;
  return `${v & 255}.${(v >>> 8) & 255}.${(v >>> 16) & 255}.${(v >>> 24) & 255}.in-addr.arpa`;
}

export const familyName = (f: Family): 'IPv4' | 'IPv6' => (f === 4 ? 'IPv4' : 'IPv6');
