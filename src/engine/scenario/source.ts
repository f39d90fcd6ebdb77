/**
 * Multi-document YAML with source positions. Each document keeps its parsed value plus a
 * locator that turns a field path (["spec", "ports", 0, "nodePort"]) into a line/column range,
 * so every later diagnostic can point at the exact place the user typed.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node as YNode } from 'yaml';
import { fastDocument, oddOffsets } from './fastyaml';
import type { Diagnostic, SourceRange } from './diagnostics';

export type Path = readonly (string | number)[];

export interface SourceDoc {
  readonly file: string;
  /** 0-based index of the document in the file. */
  readonly index: number;
  readonly value: unknown;
  /** Range of the value at `path` (or of its key when `key` is set); falls back to the nearest parent. */
  locate(path: Path, key?: boolean): SourceRange;
}

export interface ParsedSource {
  readonly docs: SourceDoc[];
  readonly diagnostics: Diagnostic[];
}

/** Lines that make the whole file go through yaml as one: directives, `...` document ends, a BOM. */
const WHOLE = /(?:^|\n)(?:%|\.\.\.(?:[ \t\r\n]|$))|\uFEFF/;

/**
 * The documents of a file and the problems with them. Documents in the subset manifests are
 * written in are read by fastyaml.ts; any other document (and any file with directives or `...`
 * lines) is read by the `yaml` library, with the same values, diagnostics and positions.
 */
export function parseYamlSource(file: string, text: string): ParsedSource {
  if (WHOLE.test(text)) return parseYamlSourceWhole(file, text);
  return parseSplit(file, text) ?? parseYamlSourceWhole(file, text);
}

type ToRange = (start: number, end: number) => SourceRange;

function rangeFn(lc: LineCounter): ToRange {
  return (start, end) => {
    const a = lc.linePos(start);
    const b = lc.linePos(Math.max(start, end));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };
}

const YAML_OPTIONS = { prettyErrors: false, uniqueKeys: true, merge: true } as const;

/** The whole text through yaml: what every file went through before fastyaml.ts, and the reference its tests compare with. */
export function parseYamlSourceWhole(file: string, text: string): ParsedSource {
  const lc = new LineCounter();
  const out: ParsedSource = { docs: [], diagnostics: [] };
  let parsed;
  try {
    parsed = parseAllDocuments(text, { lineCounter: lc, ...YAML_OPTIONS });
  } catch (e) {
    out.diagnostics.push(unreadable(file, e));
    return out;
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const toRange = rangeFn(lc);
  list.forEach((doc, index) => addYamlDoc(out, file, text, toRange, doc, index, 0));
  return out;
}

function unreadable(file: string, e: unknown): Diagnostic {
  return {
    file, line: 1, col: 1, endLine: 1, endCol: 1, severity: 'error', code: 'yaml-syntax',
    message: `YAML could not be read: ${(e as Error).message}`, params: { detail: (e as Error).message },
  };
}

/**
 * The file cut at its `---` lines (a line starting `---` then a blank or its end always starts a
 * document in yaml, whatever came before); each document read by fastyaml.ts, and each run of
 * documents it does not read parsed by yaml alone, its offsets moved to the file's. A run is
 * parsed with the document before it (yaml gives an error met before a document's first node to
 * the document before) and the `---` line after it (so it ends as in the file). Null: read the
 * whole file with yaml.
 */
function parseSplit(file: string, text: string): ParsedSource | null {
  const segs = segments(text);
  const odd = oddOffsets(text);
  let nextOdd = 0;
  const fast = segs.map((seg) => {
    while (nextOdd < odd.length && odd[nextOdd]! < seg.from) nextOdd++;
    if (!seg.clean || (nextOdd < odd.length && odd[nextOdd]! < seg.end)) return null;
    return fastDocument(text, seg.from, seg.end);
  });
  const runs: YamlRun[] = [];
  for (let k = 0; k < segs.length; k++) {
    if (fast[k]) continue;
    let last = k;
    while (last + 1 < segs.length && !fast[last + 1]) last++;
    const run = yamlRun(text, segs, Math.max(0, k - 1), last);
    if (!run) return null;
    runs.push(run);
    k = last;
  }
  const toRange = rangeFn(lineCounter(text, runs));
  const out: ParsedSource = { docs: [], diagnostics: [] };
  let index = 0;
  let next = 0;
  for (let k = 0; k < segs.length; k++) {
    const run = runs[next];
    if (run && run.first === k) {
      for (const d of run.list) addYamlDoc(out, file, text, toRange, d, index++, run.start);
      k = run.last;
      next++;
      continue;
    }
    const doc = fast[k]!;
    const seg = segs[k]!;
    if (doc.value === undefined) {
      if (seg.marked) index++; // an empty document: it counts, nothing loads
      continue;
    }
    const span = { start: doc.start, end: seg.end };
    const at = index++;
    const root = doc.end >= 0 ? toRange(doc.start, doc.end) : null;
    out.docs.push(sourceDoc(file, text, at, doc.value, span, toRange, root ? () => root : () => {
      const tree = treeOf(text, span, at);
      return tree?.range ? toRange(tree.range[0], tree.range[1]) : toRange(0, 0);
    }));
  }
  return out;
}

interface YamlRun {
  /** Segments first..last, parsed by yaml from `start` to `end` (the next `---` line included). */
  readonly first: number;
  readonly last: number;
  readonly start: number;
  readonly end: number;
  /** Their documents (without the one the next `---` line begins) and yaml's line starts in the file. */
  readonly list: Document.Parsed[];
  readonly lines: readonly number[];
}

/** Segments first..last through yaml; null when what it gives does not line up with the segments. */
function yamlRun(text: string, segs: readonly Segment[], first: number, last: number): YamlRun | null {
  const seg = segs[first]!;
  const next = segs[last + 1];
  const end = next ? next.from : text.length;
  const lc = new LineCounter();
  let list;
  try {
    const parsed = parseAllDocuments(text.slice(seg.start, end), { lineCounter: lc, ...YAML_OPTIONS });
    list = Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return null;
  }
  // One document per `---` line, one more when the part before the first `---` holds content.
  const lead = list.length - (next ? 1 : 0) - (last - first + 1 - (seg.marked ? 0 : 1));
  if (lead < 0 || lead > (seg.marked ? 0 : 1)) return null;
  if (next) {
    const tail = list.pop()!;
    if (tail.errors.length > 0 || tail.warnings.length > 0 || tail.contents !== null) return null;
  }
  return { first, last, start: seg.start, end, list, lines: lc.lineStarts.map((o) => o + seg.start) };
}

/**
 * The line starts yaml's LineCounter gives for the whole text: every line break, except inside
 * the runs yaml parsed, where yaml's own count stands (it does not count a line break inside some
 * broken tokens).
 */
function lineCounter(text: string, runs: readonly YamlRun[]): LineCounter {
  const lc = new LineCounter();
  const starts = lc.lineStarts;
  starts.push(0);
  let r = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    const at = i + 1;
    while (r < runs.length && runs[r]!.end < at) r++;
    // Runs are in order and overlap only at a shared `---` line, so one check suffices.
    if (r < runs.length && at > runs[r]!.start) continue;
    starts.push(at);
  }
  if (runs.length === 0) return lc;
  for (const run of runs) for (const o of run.lines) if (o > run.start) starts.push(o);
  starts.sort((a, b) => a - b);
  let n = 1;
  for (let i = 1; i < starts.length; i++) if (starts[i] !== starts[n - 1]) starts[n++] = starts[i]!;
  starts.length = n;
  return lc;
}

interface Segment {
  /** Where the segment starts: its `---` line, or 0 for the part before the first. */
  readonly start: number;
  /** Where its content starts (after the `---` line) and ends (the next `---` line or the end). */
  readonly from: number;
  readonly end: number;
  /** Begun by a `---` line (then it is a document even when empty). */
  readonly marked: boolean;
  /** The `---` line holds nothing else (content on it is left to yaml). */
  readonly clean: boolean;
}

/** The text cut at its `---` lines: yaml's lexer starts a document at each, whatever came before. */
function segments(text: string): Segment[] {
  const marks: number[] = [];
  const isMark = (ls: number): boolean => {
    if (!text.startsWith('---', ls)) return false;
    const c = text[ls + 3];
    return c === undefined || c === ' ' || c === '\n' || c === '\r' || c === '\t';
  };
  if (isMark(0)) marks.push(0);
  for (let i = text.indexOf('\n---'); i !== -1; i = text.indexOf('\n---', i + 1)) if (isMark(i + 1)) marks.push(i + 1);
  const segs: Segment[] = [{ start: 0, from: 0, end: marks[0] ?? text.length, marked: false, clean: true }];
  marks.forEach((m, i) => {
    let nl = text.indexOf('\n', m);
    if (nl === -1) nl = text.length;
    segs.push({ start: m, from: Math.min(nl + 1, text.length), end: marks[i + 1] ?? text.length, marked: true, clean: /^---[ ]*\r?$/.test(text.slice(m, nl)) });
  });
  return segs;
}

function addYamlDoc(out: ParsedSource, file: string, text: string, toRange: ToRange, doc: Document.Parsed, index: number, shift: number): void {
  const { diagnostics, docs } = out;
  const at = (s: number, e: number): SourceRange => toRange(s + shift, e + shift);
  const errors = doc.errors ?? [];
  for (const err of errors) {
    const [s, e] = err.pos;
    const code = err.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax';
    diagnostics.push({
      file, ...at(s, e), severity: 'error', code,
      message: `${yamlMessage(err.message)}`, params: { detail: yamlMessage(err.message) },
      hint: code === 'yaml-duplicate-key'
        ? 'remove one of the two keys; YAML mappings cannot repeat a key'
        : 'check indentation (spaces, not tabs) and that every "key: value" has a space after the colon',
    });
  }
  for (const w of doc.warnings ?? []) {
    const [s, e] = w.pos;
    diagnostics.push({ file, ...at(s, e), severity: 'warning', code: 'yaml-warning', message: yamlMessage(w.message), params: { detail: yamlMessage(w.message) } });
  }
  if (errors.length > 0) return; // a broken document is skipped; the others still load
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    const r = doc.contents?.range;
    diagnostics.push({
      file, ...(r ? at(r[0], r[1]) : toRange(0, 0)), severity: 'error', code: 'yaml-syntax',
      message: `YAML could not be read: ${(e as Error).message}`, params: { detail: (e as Error).message },
    });
    return;
  }
  if (value === null || value === undefined) return; // empty document (e.g. trailing ---)
  const contents = doc.contents as YNode | null;
  const docRange = contents?.range ? at(contents.range[0], contents.range[1]) : toRange(0, 0);
  // The document's syntax tree is read again when a position is asked for, not kept: at scale
  // the trees of every document (kept alive by the objects' origins) are 40 MB, the text 1.
  const span = contents?.range ? { start: contents.range[0] + shift, end: contents.range[2] + shift } : null;
  docs.push(sourceDoc(file, text, index, value, span, toRange, () => docRange));
}

/**
 * A document whose positions are read again from the text when asked for; `root`: the range of
 * the document itself (what the object store sorts by), which needs no tree when known.
 */
function sourceDoc(file: string, text: string, index: number, value: unknown, span: { start: number; end: number } | null, toRange: ToRange, root: () => SourceRange): SourceDoc {
  return {
    file,
    index,
    value,
    locate(path, key = false) {
      const found = span && path.length > 0 ? locateIn(treeOf(text, span, index), path, key) : null;
      return found ? toRange(found[0], found[1]) : root();
    },
  };
}

/**
 * The node at `path` below `root`: the offsets of its value (or of its key when `key` is set),
 * falling back to the nearest parent; null: the root itself.
 */
export function locateIn(root: YNode | null, path: Path, key: boolean): readonly [number, number] | null {
  let node: unknown = root;
  let best: readonly [number, number] | null = null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) return best;
      const k = pair.key as YNode;
      if (last && key && k.range) return [k.range[0], k.range[1]];
      const v = pair.value as YNode | null;
      if (v && v.range) best = [v.range[0], v.range[1]];
      else if (k.range) best = [k.range[0], k.range[1]];
      node = v;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as YNode | undefined;
      if (!item) return best;
      if (item.range) best = [item.range[0], item.range[1]];
      node = item;
    } else {
      return best;
    }
  }
  return best;
}

/** The last document tree read again (a build asks several positions of one document in a row). */
let lastTree: { text: string; start: number; root: YNode | null } | null = null;

/**
 * Document `index`'s syntax tree, with offsets into `text`: its lines parsed alone (the part of
 * its first line before it blanked: indentation or its `---`), or, when something else comes
 * before it on that line (a tag or an anchor, which may change what the first key reads as), or
 * when that does not give the same node where it was (a document that begins on its `---` line),
 * the whole text again.
 */
function treeOf(text: string, span: { start: number; end: number }, index: number): YNode | null {
  if (lastTree && lastTree.text === text && lastTree.start === span.start) return lastTree.root;
  const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
  let root: YNode | null = null;
  let one: YNode | null = null;
  if (/^(?:---)?[ ]*$/.test(text.slice(lineStart, span.start))) {
    const piece = ' '.repeat(span.start - lineStart) + text.slice(span.start, span.end);
    const alone = parseAllDocuments(piece, YAML_OPTIONS);
    one = Array.isArray(alone) && alone.length === 1 && alone[0]!.errors.length === 0 ? alone[0]!.contents as YNode | null : null;
  }
  if (one?.range && one.range[0] === span.start - lineStart) {
    shift(one, lineStart);
    root = one;
  } else {
    const all = parseAllDocuments(text, YAML_OPTIONS);
    root = ((Array.isArray(all) ? all : [all])[index]?.contents ?? null) as YNode | null;
  }
  lastTree = { text, start: span.start, root };
  return root;
}

/** Moves every range of a tree by `by` characters. */
function shift(node: unknown, by: number): void {
  if (!node || typeof node !== 'object') return;
  const n = node as { range?: [number, number, number] | null; items?: unknown[]; key?: unknown; value?: unknown };
  if (n.range) n.range = [n.range[0] + by, n.range[1] + by, n.range[2] + by];
  if (isMap(node) || isSeq(node)) for (const it of (node as { items: unknown[] }).items) shift(it, by);
  else if (isPair(node)) { shift(node.key, by); shift(node.value, by); }
}

function yamlMessage(m: string): string {
  // The yaml package appends " at line X, column Y" plus a code frame; we give positions separately.
  return m.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
