/** MAC addresses as lower-case colon strings, as iproute2 prints them. */
export type Mac = string;

export const BROADCAST_MAC: Mac = 'ff:ff:ff:ff:ff:ff';

/**
 * A locally administered unicast MAC from a 40-bit value (the kernel's eth_random_addr()
 * sets the same two bits). Callers pass a value drawn from the seeded random source.
 */
export function macFromValue(v: number): Mac {
  const x = Math.floor(v) % 2 ** 40;
  // Every Pod's veths take two: written out rather than through arrays.
  if (x >= 0) {
    const lo = x % 2 ** 32;
    return `02:${HEX2[(x - lo) / 2 ** 32]}:${HEX2[lo >>> 24]}:${HEX2[(lo >>> 16) & 0xff]}:${HEX2[(lo >>> 8) & 0xff]}:${HEX2[lo & 0xff]}`;
  }
  return macFromBytes(v);
}

/** Two lower-case hex digits per byte value. */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function macFromBytes(v: number): Mac {
  const bytes = [0x02];
  let x = Math.floor(v) % 2 ** 40;
  const rest: number[] = [];
  for (let i = 0; i < 5; i++) {
    rest.unshift(x % 256);
    x = Math.floor(x / 256);
  }
  bytes.push(...rest);
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function isMac(s: string): boolean {
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(s);
}
