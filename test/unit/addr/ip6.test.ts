import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalIPv6, formatIPv6, formatPrefix6, nthAddress6, nthSubnet6, parseIPv6, parsePrefix6, parseReverseName6,
  prefix6Contains, prefix6Overlaps, reverseName6,
} from '../../../src/engine/addr/ip6';
import { anyCidrContains, canonicalIp, cidrFamily, ipFamily, parseAnyCidr, reverseName } from '../../../src/engine/addr/family';

const u128 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n });
/** Values with long zero runs, so `::` placement is exercised (uniform values almost never have them). */
const sparse = fc.array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), { minLength: 8, maxLength: 8 })
  .map((g) => g.reduce((v, x) => (v << 16n) | BigInt(x), 0n));

describe('IPv6 text (RFC 5952)', () => {
  it('formats canonically: lower case, no leading zeros, longest zero run as ::, first on a tie, never a single group', () => {
    expect(canonicalIPv6('2001:0DB8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIPv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIPv6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIPv6('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(canonicalIPv6('0:0:0:0:0:0:0:0')).toBe('::');
    expect(canonicalIPv6('0:0:0:0:0:0:0:1')).toBe('::1');
    expect(canonicalIPv6('fd00:10:96::a')).toBe('fd00:10:96::a');
    expect(canonicalIPv6('fe80::')).toBe('fe80::');
  });
  it('reads and writes an embedded IPv4 address; IPv4-mapped ones print in mixed notation', () => {
    expect(canonicalIPv6('::ffff:10.0.0.1')).toBe('::ffff:10.0.0.1');
    expect(canonicalIPv6('::FFFF:0a00:0001')).toBe('::ffff:10.0.0.1');
    expect(parseIPv6('64:ff9b::192.0.2.33')).toBe(parseIPv6('64:ff9b::c000:221'));
    expect(parseIPv6('1:2:3:4:5:6:1.2.3.4')).toBe(parseIPv6('1:2:3:4:5:6:102:304'));
    expect(parseIPv6('::1.2.3.4')).toBe(0x01020304n);
  });
  it('refuses what is not an address', () => {
    for (const bad of ['', ':', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7::8', '::1.2.3', '::256.1.1.1', ':1.2.3.4', '10.0.0.1', 'fd00::1%eth0', '::1/64'])
      expect(parseIPv6(bad), bad).toBeNull();
  });
  it('round trips every value through its text, and canonical text is a fixed point', () => {
    fc.assert(fc.property(fc.oneof(u128, sparse), (v) => {
      const s = formatIPv6(v);
      expect(parseIPv6(s)).toBe(v);
      expect(canonicalIPv6(s)).toBe(s);
      expect(s).toBe(s.toLowerCase());
      expect(s.includes(':::')).toBe(false);
    }));
  });
  it('reads the full uncompressed form of any value back to the same value', () => {
    fc.assert(fc.property(u128, (v) => {
      const full = v.toString(16).padStart(32, '0').match(/.{4}/g)!.join(':');
      expect(parseIPv6(full)).toBe(v);
    }));
  });
});

describe('IPv6 prefixes', () => {
  it('parses, refuses host bits unless loose, and formats', () => {
    expect(formatPrefix6(parsePrefix6('fd00:10:244::/56')!)).toBe('fd00:10:244::/56');
    expect(parsePrefix6('fd00:10:244::1/56')).toBeNull();
    expect(formatPrefix6(parsePrefix6('fd00:10:244::1/56', true)!)).toBe('fd00:10:244::/56');
    expect(parsePrefix6('fd00::/129')).toBeNull();
    expect(parsePrefix6('fd00::/064')).toBeNull();
    expect(parsePrefix6('::/0')!.len).toBe(0);
    expect(parsePrefix6('fd00::1')!.len).toBe(128);
  });
  it('tests containment and overlap', () => {
    const p = parsePrefix6('fd00:10:96::/112')!;
    expect(prefix6Contains(p, parseIPv6('fd00:10:96::a')!)).toBe(true);
    expect(prefix6Contains(p, parseIPv6('fd00:10:96::1:0')!)).toBe(false);
    expect(prefix6Overlaps(parsePrefix6('fd00::/8')!, p)).toBe(true);
    expect(prefix6Overlaps(parsePrefix6('fd01::/16')!, p)).toBe(false);
  });
  it('hands out node subnets and addresses in order (IPAM)', () => {
    const cluster = parsePrefix6('fd00:10:244::/56')!;
    expect(formatPrefix6(nthSubnet6(cluster, 64, 0)!)).toBe('fd00:10:244::/64');
    expect(formatPrefix6(nthSubnet6(cluster, 64, 1)!)).toBe('fd00:10:244:1::/64');
    expect(formatPrefix6(nthSubnet6(cluster, 64, 255)!)).toBe('fd00:10:244:ff::/64');
    expect(nthSubnet6(cluster, 64, 256)).toBeNull();
    const svc = parsePrefix6('fd00:10:96::/112')!;
    expect(formatIPv6(nthAddress6(svc, 10)!)).toBe('fd00:10:96::a');
    expect(nthAddress6(svc, 65536)).toBeNull();
  });
  it('every subnet lies inside its parent and contains its own n-th address', () => {
    fc.assert(fc.property(u128, fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 8 }), fc.nat(255), fc.nat(1000), (v, len, extra, i, n) => {
      const parent = parsePrefix6(`${formatIPv6(v)}/${len}`, true)!;
      const sub = nthSubnet6(parent, len + extra, i);
      if (i >= 2 ** extra) { expect(sub).toBeNull(); return; }
      expect(prefix6Contains(parent, sub!.base)).toBe(true);
      const a = nthAddress6(sub!, n);
      if (a !== null) expect(prefix6Contains(sub!, a)).toBe(true);
    }));
  });
});

describe('reverse names', () => {
  it('writes ip6.arpa nibbles and in-addr.arpa octets', () => {
    expect(reverseName6(parseIPv6('2001:db8::567:89ab')!)).toBe('b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    expect(reverseName('10.96.0.10')).toBe('10.0.96.10.in-addr.arpa');
    expect(reverseName('nope')).toBeNull();
  });
  it('reads every ip6.arpa name back', () => {
    fc.assert(fc.property(u128, (v) => { expect(parseReverseName6(reverseName6(v))).toBe(v); expect(parseReverseName6(`${reverseName6(v)}.`)).toBe(v); }));
    expect(parseReverseName6('1.0.ip6.arpa')).toBeNull();
  });
});

describe('either family', () => {
  it('tells the family of addresses and CIDRs', () => {
    expect(ipFamily('10.0.0.1')).toBe(4);
    expect(ipFamily('fd00::1')).toBe(6);
    expect(ipFamily('fd00::1/64')).toBeNull();
    expect(cidrFamily('10.244.0.0/16')).toBe(4);
    expect(cidrFamily('fd00:10:244::/56')).toBe(6);
    expect(cidrFamily('fd00:10:244::1/56')).toBeNull();
    expect(canonicalIp('FD00:0:0::A')).toBe('fd00::a');
    expect(parseAnyCidr('10.0.0.0/8')?.family).toBe(4);
  });
  it('never matches across families', () => {
    expect(anyCidrContains('fd00::/8', 'fd00::1')).toBe(true);
    expect(anyCidrContains('10.0.0.0/8', '10.1.2.3')).toBe(true);
    expect(anyCidrContains('::/0', '10.1.2.3')).toBe(false);
    expect(anyCidrContains('0.0.0.0/0', '::ffff:10.1.2.3')).toBe(false);
  });
});
