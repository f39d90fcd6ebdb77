/**
 * Names the controllers give: the pod-template-hash of a Deployment's ReplicaSet and the
 * five-character suffixes of generateName, both spelled with apimachinery's "safe" alphabet
 * (no vowels, no 0/1/3, so no accidental words and no look-alike characters).
 */
import { hashString, type Rand } from '../util/rand';

export const KUBE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** rand.String(n): what generateName appends (`my-nginx-7d9f8b-` + "x2k9p"). */
export function randomSuffix(rand: Rand, n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += KUBE_ALPHABET[rand.int(KUBE_ALPHABET.length)];
  return s;
}

/** rand.SafeEncodeString: each byte of the decimal string mapped onto the safe alphabet. */
export function safeEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += KUBE_ALPHABET[s.charCodeAt(i) % KUBE_ALPHABET.length];
  return out;
}

/**
 * controller.ComputeHash: a 32-bit FNV-1a of the Pod template, printed in decimal and safe-encoded.
 * Like Kubernetes, it depends only on the template (not on the seed), so editing the template
 * gives a new ReplicaSet name and nothing else does.
 */
export function podTemplateHash(template: unknown): string {
  return safeEncode(String(hashString(stableJson(template))));
}

/** JSON with sorted keys, so the hash does not depend on how the YAML was ordered. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** A UID in the 8-4-4-4-12 form, derived from what the object is (stable across runs). */
export function uidFor(seed: string): string {
  const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, '0');
  const a = hex(hashString(seed)); const b = hex(hashString(seed, 0x1234567)); const c = hex(hashString(seed, 0x89abcdef)); const d = hex(hashString(seed, 0x5bd1e995));
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${(8 + (parseInt(c[0]!, 16) & 3)).toString(16)}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}
