/** MAC addresses as lower-case colon strings, as iproute2 prints them. */
export type Mac = string;

export const BROADCAST_MAC: Mac = 'ff:ff:ff:ff:ff:ff';

/**
 * A locally administered unicast MAC from a 40-bit value (the kernel's eth_random_addr()
 * sets the same two bits). Callers pass a value drawn from the seeded random source.
 */
export function macFromValue(v: number): Mac {
  const x = Math.floor(v) % 2 ** 40;
  // Every Pod's veths take two: written as one flat string (a MAC is kept for the Link's life).
  if (x >= 0) {
    const lo = x % 2 ** 32;
    byte(1, (x - lo) / 2 ** 32); byte(2, lo >>> 24); byte(3, (lo >>> 16) & 0xff); byte(4, (lo >>> 8) & 0xff); byte(5, lo & 0xff);
    return String.fromCharCode(...MAC);
  }
  return macFromBytes(v);
}

/** Character codes of the hex digits; the 17 of the MAC being written ("02:" first, colons in place). */
const HEX = [...'0123456789abcdef'].map((ch) => ch.charCodeAt(0));
const MAC = [...'02:00:00:00:00:00'].map((ch) => ch.charCodeAt(0));

function byte(i: number, b: number): void {
  MAC[i * 3] = HEX[b >> 4]!;
  MAC[i * 3 + 1] = HEX[b & 15]!;
}

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
