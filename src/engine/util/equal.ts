/**
 * Whether two plain data values (what JSON holds: objects, arrays, strings, numbers, booleans,
 * null) are equal, key order included: a cheaper `JSON.stringify(a) === JSON.stringify(b)` that
 * stops at the first difference and builds no string. It errs towards "different": anything
 * other than a plain object or array (a Map, a class instance, NaN) is only equal to itself, and
 * a key set to undefined differs from a missing key. Callers use it to reuse work done for an
 * equal input, where "different" only costs the work again.
 */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameData(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const pa = Object.getPrototypeOf(a) as unknown, pb = Object.getPrototypeOf(b) as unknown;
  if ((pa !== Object.prototype && pa !== null) || (pb !== Object.prototype && pb !== null)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const oa = a as Record<string, unknown>, ob = b as Record<string, unknown>;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i]!;
    if (k !== kb[i] || !sameData(oa[k], ob[k])) return false;
  }
  return true;
}
