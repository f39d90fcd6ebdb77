/**
 * A fast reader for the YAML manifests are written in, one document at a time: block mappings
 * and sequences, plain and quoted scalars on one line, flow mappings and sequences on one line,
 * comments. It gives the value `yaml`'s `toJS()` gives (core schema, the options source.ts
 * passes) and the document's range, or null for anything else (anchors, aliases, tags, block
 * scalars, multi-line scalars or flow collections, explicit keys, tabs, merge keys, duplicate
 * keys, any error): that document then goes through the `yaml` library (source.ts). Accepting
 * something `yaml` reads differently, warns about or rejects is a bug;
 * test/unit/scenario/fastyaml.test.ts compares the two on generated documents and on every
 * YAML file of the repository.
 */

export interface FastDoc {
  /** The document's value; undefined when it holds only blank lines and comments. */
  readonly value: unknown;
  /** The offset of the document's top node (yaml's `contents.range[0]`). */
  readonly start: number;
  /**
   * Where yaml's `contents.range[1]` ends; -1 when comments after the last value decide it
   * (yaml's rules for trailing comments), so only yaml can tell.
   */
  readonly end: number;
}

/** Thrown to leave the fast path; the caller hands the document to yaml. */
const BAIL = new Error('fastyaml: not in the fast subset');

const SP = 32, NL = 10, CR = 13, HASH = 35, COLON = 58, DASH = 45, COMMA = 44;
const LBRACK = 91, RBRACK = 93, LBRACE = 123, RBRACE = 125, SQ = 39, DQ = 34, BSL = 92;

const isFlowInd = (c: number): boolean => c === COMMA || c === LBRACK || c === RBRACK || c === LBRACE || c === RBRACE;

/** Characters a plain scalar may not start with here (indicators, reserved, or errors in yaml). */
function badPlainStart(c: number): boolean {
  switch (c) {
    case HASH: case 38 /* & */: case 42 /* * */: case 33 /* ! */: case 124 /* | */: case 62 /* > */:
    case 37 /* % */: case 64 /* @ */: case 96 /* ` */: case COMMA: case LBRACK: case RBRACK: case LBRACE:
    case RBRACE: case 63 /* ? */: case COLON: case SQ: case DQ:
      return true;
    default:
      return false;
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};
const HEX = /^[0-9a-fA-F]+$/;

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value as yaml's core schema resolves it (yaml/dist/schema/core, in its order). */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  // Most scalars are names: a letter other than n, t, f (null, true, false) cannot start anything else.
  if (letter && c !== 110 && c !== 78 && c !== 116 && c !== 84 && c !== 102 && c !== 70) return s;
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return c === 116 || c === 84;
  if (letter) return s;
  if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
  if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/** Characters that send a document to yaml wherever they are: tabs, control characters, a lone CR, BOM. */
const ODD = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff]|\r(?!\n)/g;

/** Offsets of every odd character in `text` (usually none), ascending. */
export function oddOffsets(text: string): number[] {
  const out: number[] = [];
  ODD.lastIndex = 0;
  for (let m = ODD.exec(text); m; m = ODD.exec(text)) out.push(m.index);
  return out;
}

/**
 * The document whose content lies in text[from, to) (`to` is the start of the next `---` line or
 * the end of the text), or null when yaml must read it. The caller has checked that no odd
 * character (oddOffsets) lies in the range.
 */
export function fastDocument(text: string, from: number, to: number): FastDoc | null {
  const r = new Reader(text, to);
  try {
    return r.document(from);
  } catch (e) {
    if (e === BAIL) return null;
    throw e;
  }
}

class Reader {
  /** The current content line: its start, first non-space, end of content (before CR/LF), end (LF or `to`), indent (-1: none left). */
  ls = 0;
  cp = 0;
  ce = 0;
  le = 0;
  ind = -1;
  /** End of the last inline value read (a scalar or a flow collection). */
  vEnd = 0;
  /** The last value read that is a leaf of the tree: where yaml's range[2] of it ends when nothing follows. */
  leafEnd = 0;
  leafEmpty = false;
  leafComment = false;
  /** Comment lines since the last leaf: 0 none, 1 only at column 0, 2 an indented one. */
  trail = 0;

  constructor(private readonly text: string, private readonly to: number) {}

  private code(i: number): number {
    return this.text.charCodeAt(i);
  }

  /** Moves to the first content line at or after `from` (skipping blank and comment lines). */
  private advance(from: number): void {
    const { text, to } = this;
    while (from < to) {
      let le = text.indexOf('\n', from);
      if (le === -1 || le > to) le = to;
      let p = from;
      while (text.charCodeAt(p) === SP) p++;
      const ce = le > from && text.charCodeAt(le - 1) === CR ? le - 1 : le;
      if (p >= ce) { from = le + 1; continue; }
      if (text.charCodeAt(p) === HASH) {
        if (p > from) this.trail = 2;
        else if (this.trail === 0) this.trail = 1;
        from = le + 1;
        continue;
      }
      this.ls = from; this.cp = p; this.ce = ce; this.le = le; this.ind = p - from;
      return;
    }
    this.ind = -1;
  }

  /** After the current line (its LF included). */
  private lineAfter(): number {
    return this.le < this.text.length && this.code(this.le) === NL ? this.le + 1 : this.le;
  }

  private leaf(end: number, empty: boolean, comment: boolean): void {
    this.leafEnd = end; this.leafEmpty = empty; this.leafComment = comment; this.trail = 0;
  }

  document(from: number): FastDoc {
    this.advance(from);
    if (this.ind === -1) return { value: undefined, start: from, end: from };
    const start = this.cp;
    const value = this.blockNode(start);
    if (this.ind !== -1) throw BAIL;
    const exact = this.leafEmpty ? !this.leafComment && this.trail === 0 : this.trail < 2;
    return { value, start, end: exact ? this.leafEnd : -1 };
  }

  private isDash(p: number): boolean {
    return this.code(p) === DASH && (p + 1 >= this.ce || this.code(p + 1) === SP);
  }

  /** A block mapping or sequence starting at `p`, the first non-space of its line. */
  private blockNode(p: number): unknown {
    if (this.isDash(p)) return this.seq(p - this.ls, p);
    if (this.keyEnd(p) < 0) throw BAIL;
    return this.map(p - this.ls, p);
  }

  private skipSpaces(p: number): number {
    while (this.code(p) === SP) p++;
    return p;
  }

  /** The rest of the line after an inline value ending at `p`: spaces, then a comment or the end. */
  private restOfLine(p: number): boolean {
    const q = this.skipSpaces(p);
    if (q >= this.ce) return false;
    if (this.code(q) === HASH && q > p) return true;
    throw BAIL;
  }

  /**
   * When a block mapping key starts at `p`: the offset of its `:` (followed by a space or the end of
   * the line), with the key's value in `this.key`; -1 when the line holds a scalar or flow value.
   */
  private key: unknown = null;
  private keyEnd(p: number): number {
    const c = this.code(p);
    let end: number;
    if (c === DQ || c === SQ) {
      this.key = c === DQ ? this.doubleQuoted(p) : this.singleQuoted(p);
      end = this.vEnd;
      if (this.code(end) !== COLON) return -1;
    } else {
      if (badPlainStart(c) || (c === DASH && this.isDash(p))) return -1;
      const stop = this.plain(p, false);
      if (stop >= this.ce || this.code(stop) !== COLON) return -1;
      if (this.vEnd !== stop) throw BAIL; // a space before the colon
      this.key = resolvePlain(this.text.slice(p, stop));
      end = stop;
    }
    if (end + 1 < this.ce && this.code(end + 1) !== SP) return -1;
    if (end - p > 1000) throw BAIL; // yaml: the ":" must be at most 1024 characters after the key's start
    return end;
  }

  /**
   * Adds `key: value` to a mapping as yaml's toJS does. Two keys that read the same (`1` and
   * `"1"`, or a duplicate, an error in yaml) are left to yaml.
   */
  private static put(obj: Record<string, unknown>, key: unknown, value: unknown): void {
    const k = key === null ? '' : String(key);
    // a merge key; __proto__, which JS objects treat apart; a key already there
    if (k === '<<' || k === '__proto__' || Object.hasOwn(obj, k)) throw BAIL;
    obj[k] = value;
  }

  private map(col: number, p: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    for (;;) {
      const colon = this.keyEnd(p);
      if (colon < 0) throw BAIL;
      const key = this.key;
      const q = this.skipSpaces(colon + 1);
      let value: unknown;
      if (q >= this.ce || this.code(q) === HASH) {
        this.leaf(q, true, q < this.ce);
        this.advance(this.le + 1);
        if (this.ind > col) value = this.blockNode(this.cp);
        else if (this.ind === col && this.isDash(this.cp)) value = this.seq(col, this.cp);
        else value = null;
      } else {
        value = this.value(q, false);
        this.leaf(this.lineAfter(), false, this.restOfLine(this.vEnd));
        this.advance(this.le + 1);
      }
      Reader.put(obj, key, value);
      if (this.ind < col) return obj;
      if (this.ind > col || this.isDash(this.cp)) throw BAIL;
      p = this.cp;
    }
  }

  private seq(col: number, p: number): unknown[] {
    const arr: unknown[] = [];
    for (;;) {
      const q = this.skipSpaces(p + 1);
      if (q >= this.ce || this.code(q) === HASH) {
        this.leaf(q, true, q < this.ce);
        this.advance(this.le + 1);
        arr.push(this.ind > col ? this.blockNode(this.cp) : null);
      } else if (this.isDash(q)) {
        arr.push(this.seq(q - this.ls, q));
      } else if (this.keyEnd(q) >= 0) {
        arr.push(this.map(q - this.ls, q));
      } else {
        arr.push(this.value(q, false));
        this.leaf(this.lineAfter(), false, this.restOfLine(this.vEnd));
        this.advance(this.le + 1);
      }
      if (this.ind < col) return arr;
      if (this.ind > col) throw BAIL;
      if (!this.isDash(this.cp)) return arr; // the mapping this sequence is a value of goes on
      p = this.cp;
    }
  }

  /**
   * A value at `p`: a flow collection, a quoted or a plain scalar; on the rest of a block line, or
   * inside a flow collection when `flow` (where a `-` indicator, an empty value or a `:` pair
   * leave the fast path).
   */
  private value(p: number, flow: boolean): unknown {
    const c = this.code(p);
    if (c === LBRACK) return this.flowSeq(p);
    if (c === LBRACE) return this.flowMap(p);
    if (c === DQ) return this.doubleQuoted(p);
    if (c === SQ) return this.singleQuoted(p);
    if (badPlainStart(c)) throw BAIL;
    if (flow ? p >= this.ce || (c === DASH && this.flowIndicator(p)) : c === DASH && this.isDash(p)) throw BAIL;
    const stop = this.plain(p, flow);
    if (stop < this.ce && this.code(stop) === COLON) throw BAIL; // "a: b: c"; in flow, a pair in a sequence or an empty value
    return resolvePlain(this.text.slice(p, this.vEnd));
  }

  /**
   * A plain scalar from `p` on this line, in a flow collection when `flow`: returns where it stopped
   * (a `:` before a space, the line's end or, in flow, a flow indicator; a ` #`; in flow, a flow
   * indicator; the line's end) and sets vEnd after its last non-space character.
   */
  private plain(p: number, flow: boolean): number {
    const { text, ce } = this;
    let end = p;
    let i = p;
    for (; i < ce; i++) {
      const c = text.charCodeAt(i);
      if (c === COLON) {
        const n = text.charCodeAt(i + 1);
        if (i + 1 >= ce || n === SP || (flow && isFlowInd(n))) break;
        end = i + 1;
      } else if (c === SP) {
        const n = text.charCodeAt(i + 1);
        if (n === HASH || (flow && isFlowInd(n))) break;
      } else if (flow && isFlowInd(c)) break;
      else end = i + 1;
    }
    this.vEnd = end;
    return i;
  }

  /** A `-` at `p` inside a flow collection that yaml takes for an indicator (an error there). */
  private flowIndicator(p: number): boolean {
    const n = this.code(p + 1);
    return p + 1 >= this.ce || n === SP || isFlowInd(n);
  }

  private flowSeq(p: number): unknown[] {
    const arr: unknown[] = [];
    let i = this.skipSpaces(p + 1);
    if (this.code(i) === RBRACK) { this.vEnd = i + 1; return arr; }
    for (;;) {
      arr.push(this.value(i, true));
      i = this.skipSpaces(this.vEnd);
      const c = this.code(i);
      if (i >= this.ce) throw BAIL;
      if (c === RBRACK) { this.vEnd = i + 1; return arr; }
      if (c !== COMMA) throw BAIL;
      i = this.skipSpaces(i + 1);
      if (this.code(i) === RBRACK) throw BAIL; // a trailing comma
    }
  }

  private flowMap(p: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    let i = this.skipSpaces(p + 1);
    if (this.code(i) === RBRACE) { this.vEnd = i + 1; return obj; }
    for (;;) {
      if (i >= this.ce) throw BAIL;
      const c = this.code(i);
      let key: unknown;
      if (c === DQ) key = this.doubleQuoted(i);
      else if (c === SQ) key = this.singleQuoted(i);
      else {
        if (badPlainStart(c) || (c === DASH && this.flowIndicator(i))) throw BAIL;
        const stop = this.plain(i, true);
        if (this.vEnd !== stop) throw BAIL;
        key = resolvePlain(this.text.slice(i, stop));
      }
      const colon = this.vEnd;
      if (colon - i > 1000) throw BAIL;
      if (this.code(colon) !== COLON || colon + 1 >= this.ce || this.code(colon + 1) !== SP) throw BAIL;
      const value = this.value(this.skipSpaces(colon + 1), true);
      Reader.put(obj, key, value);
      i = this.skipSpaces(this.vEnd);
      if (i >= this.ce) throw BAIL;
      const d = this.code(i);
      if (d === RBRACE) { this.vEnd = i + 1; return obj; }
      if (d !== COMMA) throw BAIL;
      i = this.skipSpaces(i + 1);
      if (this.code(i) === RBRACE) throw BAIL; // a trailing comma
    }
  }

  private singleQuoted(p: number): string {
    const { text, ce } = this;
    let i = p + 1;
    let doubled = false;
    for (;;) {
      const j = text.indexOf("'", i);
      if (j === -1 || j >= ce) throw BAIL; // on more than one line, or not closed
      if (text.charCodeAt(j + 1) === SQ && j + 1 < ce) { doubled = true; i = j + 2; continue; }
      this.vEnd = j + 1;
      const s = text.slice(p + 1, j);
      return doubled ? s.replace(/''/g, "'") : s;
    }
  }

  private doubleQuoted(p: number): string {
    const { text, ce } = this;
    let out = '';
    let run = p + 1;
    for (let i = p + 1; i < ce; i++) {
      const c = text.charCodeAt(i);
      if (c === DQ) {
        this.vEnd = i + 1;
        return out + text.slice(run, i);
      }
      if (c !== BSL) continue;
      out += text.slice(run, i);
      const e = text[i + 1];
      if (e === undefined || i + 1 >= ce) throw BAIL;
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        i += 1;
      } else if (e === 'x' || e === 'u' || e === 'U') {
        const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = text.substr(i + 2, n);
        if (hex.length !== n || i + 2 + n > ce || !HEX.test(hex)) throw BAIL;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw BAIL;
        out += String.fromCodePoint(code);
        i += 1 + n;
      } else throw BAIL;
      run = i + 1;
    }
    throw BAIL; // not closed on this line
  }
}
