/**
 * Names the controllers give: the pod-template-hash of a Deployment's ReplicaSet and the
 * five-character suffixes of generateName, both spelled with apimachinery's "safe" alphabet
 * (no vowels, no 0/1/3, so no accidental words and no look-alike characters).
 */
import type { Rand } from '../util/rand';
import { uuidFromWords } from '../util/uuid';

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
 * gives a new ReplicaSet name and nothing else does. The hash is hashString(stableJson(template)),
 * fed as the JSON is walked rather than over the built string.
 */
export function podTemplateHash(template: unknown): string {
  return safeEncode(String(hashStable(template, FNV_BASIS)));
}

/** JSON with sorted keys, so the hash does not depend on how the YAML was ordered. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + stableJson(v[i]);
    return `${out}]`;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = sortedKeys(o);
    let out = '{';
    let first = true;
    for (const k of keys) {
      if (o[k] === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(k)}:${stableJson(o[k])}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Object.keys(o).sort() (code unit order), sorted in place by insertion: objects here have few keys. */
function sortedKeys(o: object): string[] {
  const keys = Object.keys(o);
  for (let i = 1; i < keys.length; i++) {
    const k = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > k) { keys[j + 1] = keys[j]!; j--; }
    keys[j + 1] = k;
  }
  return keys;
}

const FNV_BASIS = 0x811c9dc5;
const fnvChar = (h: number, c: number): number => Math.imul(h ^ c, 0x01000193) >>> 0;
function fnvString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
/** JSON.stringify(s) fed to the hash; written out when nothing in it needs escaping. */
function fnvJsonString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return fnvString(h, JSON.stringify(s));
  }
  return fnvChar(fnvString(fnvChar(h, 0x22), s), 0x22);
}
/** hashString(stableJson(v), h) without building the string. */
function hashStable(v: unknown, h: number): number {
  if (Array.isArray(v)) {
    h = fnvChar(h, 0x5b);
    for (let i = 0; i < v.length; i++) { if (i) h = fnvChar(h, 0x2c); h = hashStable(v[i], h); }
    return fnvChar(h, 0x5d);
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    h = fnvChar(h, 0x7b);
    let first = true;
    for (const k of sortedKeys(o)) {
      if (o[k] === undefined) continue;
      if (!first) h = fnvChar(h, 0x2c);
      first = false;
      h = fnvChar(fnvJsonString(h, k), 0x3a);
      h = hashStable(o[k], h);
    }
    return fnvChar(h, 0x7d);
  }
  if (typeof v === 'string') return fnvJsonString(h, v);
  return fnvString(h, JSON.stringify(v) ?? 'null');
}

/** A UID in the 8-4-4-4-12 form, derived from what the object is (stable across runs). */
export function uidFor(seed: string): string {
  return uidOf([seed]);
}

/** uidFor of `${kind}/${namespace}/${name}`, without building that string. */
export function objectUid(kind: string, namespace: string, name: string): string {
  return uidOf([kind, '/', namespace, '/', name]);
}


/** Four FNV-1a hashes of the parts laid end to end (hashString with four bases), in one pass, spelled as a UID. */
function uidOf(parts: readonly string[]): string {
  let a = 0x811c9dc5, b = 0x1234567, c = 0x89abcdef, d = 0x5bd1e995;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const ch = part.charCodeAt(i);
      a = Math.imul(a ^ ch, 0x01000193) >>> 0; b = Math.imul(b ^ ch, 0x01000193) >>> 0;
      c = Math.imul(c ^ ch, 0x01000193) >>> 0; d = Math.imul(d ^ ch, 0x01000193) >>> 0;
    }
  }
  return uuidFromWords(a, b, c, d);
}
