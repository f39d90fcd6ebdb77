/**
 * A version-4-shaped UUID from four 32-bit words, the form Kubernetes UIDs and containerd's
 * "cni-…" netns names take: aaaaaaaa-bbbb-4bbb-Vccc-ccccdddddddd (b's fifth hex digit replaced by
 * 4, V = 8 + the low two bits of c's first digit). Callers derive the words from what the object
 * is, so the same object gets the same UUID on every run.
 */

/** Two lower-case hex digits per byte value. */
const HEX2 = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function uuidFromWords(a: number, b: number, c: number, d: number): string {
  return `${HEX2[a >>> 24]}${HEX2[(a >>> 16) & 255]}${HEX2[(a >>> 8) & 255]}${HEX2[a & 255]}-${HEX2[b >>> 24]}${HEX2[(b >>> 16) & 255]}-4${HEX2[(b >>> 8) & 255]![1]}${HEX2[b & 255]}-`
    + `${HEX2[8 + ((c >>> 28) & 3)]![1]}${HEX2[(c >>> 24) & 15]![1]}${HEX2[(c >>> 16) & 255]}-${HEX2[(c >>> 8) & 255]}${HEX2[c & 255]}`
    + `${HEX2[d >>> 24]}${HEX2[(d >>> 16) & 255]}${HEX2[(d >>> 8) & 255]}${HEX2[d & 255]}`;
}
