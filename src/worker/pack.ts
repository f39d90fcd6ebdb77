/**
 * Answers travel with their repeated values sent once (protocol 3) and their objects' keys sent
 * once per shape (protocol 5): a trace names the same rule text, chain and address in event
 * after event, and a snapshot has thousands of Pods and namespaces with the same keys. The
 * worker replaces each value it has already written in this answer by a reference to its first
 * occurrence, and an object whose keys it has already written by their shape's number and the
 * values; the client walks the answer in the same order and puts them back. Generic (any
 * JSON-shaped value), deterministic, and no engine import (the client is in the first-paint
 * bundle).
 *
 *   pack([{ name: 'KUBE-SVC-XGLOHA7QRQ3V22RZ', packets: 1, bytes: 60 }, { name: 'KUBE-SVC-XGLOHA7QRQ3V22RZ', packets: 0, bytes: 0 }])
 *     → [{ name: 'KUBE-SVC-XGLOHA7QRQ3V22RZ', packets: 1, bytes: 60 }, { '@': [0, { $: 0 }, 0, 0] }]
 */

/** Values whose JSON is shorter than this are cheaper to repeat than to reference. */
const MIN = 12;
/** Key lists whose JSON (`"key":` each) is shorter than this are cheaper to repeat than to number. */
const SHAPE_MIN = 16;
/** A reference (`{"$": n}`): the n-th value numbered. */
const REF = '$';
/**
 * An object by its shape (`{"@": [k, ...values]}`): the k-th key list numbered, its values in
 * order; k = -1 escapes an object of the data whose one key is `$` or `@` (`[-1, key, value]`).
 */
const SHAPED = '@';

const isRef = (o: Record<string, unknown>): boolean => typeof o[REF] === 'number' && Object.keys(o).length === 1;
const isShaped = (o: Record<string, unknown>): boolean => Array.isArray(o[SHAPED]) && Object.keys(o).length === 1;
const keyCost = (keys: readonly string[]): number => keys.reduce((n, k) => n + k.length + 3, 0);

/** Keys as JSON sees them (an undefined value is not sent). */
function keysOf(o: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k of Object.keys(o)) if (o[k] !== undefined) out.push(k);
  return out;
}

/**
 * Long strings, and objects and arrays (a packet, a rule line, a location), are numbered in the
 * order their walk ends (children first); a value equal to one already numbered is sent as a
 * reference to it. Equal values are found by their structure (each distinct value gets a small
 * id from its children's ids), so packing costs the answer's size, not its size times its depth.
 */
export function pack(value: unknown): unknown {
  // Pass 1: an id per distinct value (equal JSON, equal id) and its JSON length.
  const ids = new Map<string, number>();
  const lengths: number[] = [];
  const idOfObject = new Map<object, number>();
  const keyJson = new Map<string, string>();
  const intern = (key: string, length: number): number => {
    let id = ids.get(key);
    if (id === undefined) { id = lengths.length; ids.set(key, id); lengths.push(length); }
    return id;
  };
  /** The key of `v` among its siblings' (an id, or a short primitive's JSON); sets `measured` to its JSON length. */
  let measured = 0;
  const measure = (v: unknown): string => {
    if (typeof v === 'string') {
      if (v.length < MIN) { const j = JSON.stringify(v); measured = j.length; return j; }
      const id = intern(`s${v}`, JSON.stringify(v).length);
      measured = lengths[id]!;
      return `#${id}`;
    }
    if (!v || typeof v !== 'object') { const j = JSON.stringify(v) ?? 'null'; measured = j.length; return j; }
    let id = idOfObject.get(v);
    if (id === undefined) {
      let key: string;
      let length = 2;
      if (Array.isArray(v)) {
        key = 'a';
        for (const x of v) { key += `,${measure(x)}`; length += measured + 1; }
        if (v.length) length--;
      } else {
        const o = v as Record<string, unknown>;
        const keys = keysOf(o);
        key = 'o';
        for (const k of keys) {
          let kj = keyJson.get(k);
          if (kj === undefined) { kj = JSON.stringify(k); keyJson.set(k, kj); }
          key += `,${kj}:${measure(o[k])}`;
          length += kj.length + 2 + measured;
        }
        if (keys.length) length--;
      }
      id = intern(key, length);
      idOfObject.set(v, id);
    }
    measured = lengths[id]!;
    return `#${id}`;
  };
  measure(value);

  // Pass 2: the answer, with repeats as references and known key lists as shapes.
  const numbered = new Map<string | number, number>();   // a long string, or a value's id → its number
  const shapes = new Map<string, number>();
  let n = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.length < MIN) return v;
      const i = numbered.get(v);
      if (i !== undefined) return { [REF]: i };
      numbered.set(v, n++);
      return v;
    }
    if (!v || typeof v !== 'object') return v;
    const id = idOfObject.get(v)!;
    const i = numbered.get(id);
    if (i !== undefined && lengths[id]! >= MIN) return { [REF]: i };
    let out: unknown;
    if (Array.isArray(v)) out = v.map((x) => (x === undefined ? null : walk(x)));
    else {
      const o = v as Record<string, unknown>;
      const keys = keysOf(o);
      const shape = keys.join('\u0000');
      const k = shapes.get(shape);
      if (keys.length === 1 && (keys[0] === REF || keys[0] === SHAPED)) out = { [SHAPED]: [-1, keys[0], walk(o[keys[0]])] };
      else if (k !== undefined) out = { [SHAPED]: [k, ...keys.map((key) => walk(o[key]))] };
      else {
        if (keyCost(keys) >= SHAPE_MIN) shapes.set(shape, shapes.size);
        const p: Record<string, unknown> = {};
        for (const key of keys) put(p, key, walk(o[key]));
        out = p;
      }
    }
    numbered.set(id, n++);
    return out;
  };
  return walk(value);
}

export function unpack(value: unknown): unknown {
  const table: unknown[] = [];
  const shapes: string[][] = [];
  const known = new Set<string>();
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (v.length >= MIN) table.push(v);
      return v;
    }
    if (!v || typeof v !== 'object') return v;
    const o = v as Record<string, unknown>;
    if (!Array.isArray(v) && isRef(o)) {
      const r = o[REF] as number;
      if (r >= table.length) throw new Error(`packed answer: reference ${r} before its value`);
      return table[r];
    }
    let out: unknown;
    if (Array.isArray(v)) out = v.map(walk);
    else if (isShaped(o)) {
      const [k, ...values] = o[SHAPED] as unknown[];
      const p: Record<string, unknown> = {};
      if (k === -1) put(p, String(values[0]), walk(values[1]));
      else {
        const keys = shapes[k as number];
        if (!keys || keys.length !== values.length) throw new Error(`packed answer: shape ${String(k)} unknown or of another length`);
        keys.forEach((key, i) => put(p, key, walk(values[i])));
      }
      out = p;
    } else {
      const keys = Object.keys(o);
      const shape = keys.join('\u0000');
      if (keyCost(keys) >= SHAPE_MIN && !known.has(shape)) { known.add(shape); shapes.push(keys); }
      const p: Record<string, unknown> = {};
      for (const key of keys) put(p, key, walk(o[key]));
      out = p;
    }
    table.push(out);
    return out;
  };
  return walk(value);
}

/** Sets an own property, even one named `__proto__` (a label key is the learner's). */
export function put(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}
