/**
 * Seeded randomness. The engine never calls Math.random: every random choice (MACs,
 * ephemeral ports, endpoint choice, pod-name suffixes) is drawn from a Rand passed in.
 * mulberry32: small, fast, and good enough for simulation choices.
 */
export interface Rand {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** An independent stream derived from this seed and a label (stable across call order). */
  fork(label: string): Rand;
}

export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function createRand(seed: number): Rand {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    fork: (label) => createRand(hashString(label, seed >>> 0)),
  };
}
