/**
 * Answers travel with their repeated strings sent once (protocol 3): a trace names the same rule
 * text, chain and address in event after event, and a snapshot the same rules on every node. The
 * worker replaces each long string it has already written in this answer by a reference to its
 * first occurrence; the client walks the answer in the same order and puts the strings back.
 * Generic (any JSON-shaped value), deterministic, and no engine import (the client is in the
 * first-paint bundle).
 *
 *   pack({ a: 'KUBE-SVC-XGLOHA7QRQ3V22RZ', b: 'KUBE-SVC-XGLOHA7QRQ3V22RZ' })
 *     → { a: 'KUBE-SVC-XGLOHA7QRQ3V22RZ', b: { '\u0001': 0 } }
 */

/** Values whose JSON is shorter than this are cheaper to repeat than to reference. */
const MIN = 12;
/** The key of a reference object (`{"$": n}`); no object of the engine's data has it alone. */
const REF = '$';

const isRef = (o: Record<string, unknown>): boolean => typeof o[REF] === 'number' && Object.keys(o).length === 1;

/**
 * Long strings, and objects and arrays (a packet, a rule line, a location), are numbered in the
 * order their walk ends (children first); a value equal to one already numbered is sent as a
 * reference to it.
 */
export function pack(value: unknown): unknown {
  const seen = new Map<string, number>();
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.length < MIN) return v;
      const key = `s${v}`;
      const i = seen.get(key);
      if (i !== undefined) return { [REF]: i };
      seen.set(key, n++);
      return v;
    }
    if (!v || typeof v !== 'object') return v;
    // Every object and array is numbered (the client then needs no JSON of its own); only
    // those longer than a reference are sent as one.
    const json = JSON.stringify(v);
    const key = `o${json}`;
    const i = seen.get(key);
    if (i !== undefined && json.length >= MIN) return { [REF]: i };
    let out: unknown;
    if (Array.isArray(v)) out = v.map((x) => (x === undefined ? null : walk(x)));
    else {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = walk(x);
      out = o;
    }
    seen.set(key, n++);
    return out;
  };
  return walk(value);
}

export function unpack(value: unknown): unknown {
  const table: unknown[] = [];
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.length >= MIN) table.push(v);
      return v;
    }
    if (!v || typeof v !== 'object') return v;
    if (!Array.isArray(v) && isRef(v as Record<string, unknown>)) {
      const r = (v as Record<string, number>)[REF]!;
      if (r >= table.length) throw new Error(`packed answer: reference ${r} before its value`);
      return table[r];
    }
    let out: unknown;
    if (Array.isArray(v)) out = v.map(walk);
    else {
      const o: Record<string, unknown> = {};
      for (const k of Object.keys(v)) o[k] = walk((v as Record<string, unknown>)[k]);
      out = o;
    }
    table.push(out);
    return out;
  };
  return walk(value);
}
