/**
 * SHA-1 of a UTF-8 string, hex encoded. Calico names a workload's host veth
 * "cali" + the first 11 hex digits of sha1("NAMESPACE.POD"), so the playground shows the very
 * name a real cluster would. Pure and small; not for security. A build names one veth per Pod,
 * so it allocates nothing but the answer for an ASCII input (one message schedule, reused).
 */
const W = new Uint32Array(80);

export function sha1Hex(text: string): string {
  // ASCII (every Kubernetes name) is read from the string itself; anything else is encoded first.
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  const bytes = ascii ? undefined : utf8(text);
  const n = bytes ? bytes.length : text.length;
  // The message, 0x80, zeros, then the bit length in the last 8 bytes of the last 64-byte block.
  const blocks = ((n + 8) >> 6) + 1;
  let h0 = 0x67452301, h1 = 0xefcdab89, h2 = 0x98badcfe, h3 = 0x10325476, h4 = 0xc3d2e1f0;
  for (let blk = 0; blk < blocks; blk++) {
    for (let i = 0; i < 16; i++) {
      let word = 0;
      for (let j = 0, pos = blk * 64 + i * 4; j < 4; j++, pos++) word = (word << 8) | (pos < n ? (bytes ? bytes[pos]! : text.charCodeAt(pos)) : pos === n ? 0x80 : 0);
      W[i] = word;
    }
    if (blk === blocks - 1) {
      W[14] = Math.floor((n * 8) / 2 ** 32);
      W[15] = (n * 8) >>> 0;
    }
    for (let i = 16; i < 80; i++) {
      const x = W[i - 3]! ^ W[i - 8]! ^ W[i - 14]! ^ W[i - 16]!;
      W[i] = (x << 1) | (x >>> 31);
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, t = 0;
    for (let i = 0; i < 20; i++) {
      t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + W[i]!) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    for (let i = 20; i < 40; i++) {
      t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + W[i]!) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    for (let i = 40; i < 60; i++) {
      t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + W[i]!) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    for (let i = 60; i < 80; i++) {
      t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + W[i]!) | 0;
      e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
    }
    h0 = (h0 + a) >>> 0; h1 = (h1 + b) >>> 0; h2 = (h2 + c) >>> 0; h3 = (h3 + d) >>> 0; h4 = (h4 + e) >>> 0;
  }
  hex8(h0, 0); hex8(h1, 8); hex8(h2, 16); hex8(h3, 24); hex8(h4, 32);
  return String.fromCharCode(...OUT);
}

/** Character codes of the hex digits, and the 40 of the answer being written (one flat string, no number → radix conversion). */
const HEX = [...'0123456789abcdef'].map((ch) => ch.charCodeAt(0));
const OUT: number[] = new Array<number>(40).fill(0);

function hex8(h: number, at: number): void {
  for (let k = 0; k < 8; k++) OUT[at + k] = HEX[(h >>> (28 - 4 * k)) & 15]!;
}

function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}
