import { describe, expect, it } from 'vitest';
import { formatIPv4, ipInCidr, nthSubnet, parseIPv4, parsePrefix, formatPrefix } from '../../../src/engine/addr/ip';

describe('ipv4', () => {
  it('parses and formats dotted quads', () => {
    expect(formatIPv4(parseIPv4('10.244.1.2')!)).toBe('10.244.1.2');
    expect(parseIPv4('256.1.1.1')).toBeNull();
    expect(parseIPv4('01.1.1.1')).toBeNull();
    expect(parseIPv4('1.1.1')).toBeNull();
  });
  it('parses prefixes and refuses host bits unless loose', () => {
    expect(parsePrefix('10.244.0.0/16')).toEqual({ family: 4, base: parseIPv4('10.244.0.0'), len: 16 });
    expect(parsePrefix('10.244.1.1/16')).toBeNull();
    expect(formatPrefix(parsePrefix('10.244.1.1/16', true)!)).toBe('10.244.0.0/16');
  });
  it('splits a cluster CIDR into node subnets in order', () => {
    const p = parsePrefix('10.244.0.0/16')!;
    expect(formatPrefix(nthSubnet(p, 24, 1)!)).toBe('10.244.1.0/24');
    expect(nthSubnet(p, 24, 256)).toBeNull();
  });
  it('tests membership', () => {
    expect(ipInCidr('10.96.0.10', '10.96.0.0/12')).toBe(true);
    expect(ipInCidr('10.112.0.1', '10.96.0.0/12')).toBe(false);
  });
});
