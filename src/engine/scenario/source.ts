/**
 * Multi-document YAML with source positions. Each document keeps its parsed value plus a
 * locator that turns a field path (["spec", "ports", 0, "nodePort"]) into a line/column range,
 * so every later diagnostic can point at the exact place the user typed.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YNode } from 'yaml';
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

export function parseYamlSource(file: string, text: string): ParsedSource {
  const lc = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const docs: SourceDoc[] = [];
  let parsed;
  try {
    parsed = parseAllDocuments(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true, merge: true });
  } catch (e) {
    diagnostics.push({
      file, line: 1, col: 1, endLine: 1, endCol: 1, severity: 'error', code: 'yaml-syntax',
      message: `YAML could not be read: ${(e as Error).message}`, params: { detail: (e as Error).message },
    });
    return { docs, diagnostics };
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  const toRange = (start: number, end: number): SourceRange => {
    const a = lc.linePos(start);
    const b = lc.linePos(Math.max(start, end));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };
  list.forEach((doc, index) => {
    const errors = doc.errors ?? [];
    for (const err of errors) {
      const [s, e] = err.pos;
      const code = err.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax';
      diagnostics.push({
        file, ...toRange(s, e), severity: 'error', code,
        message: `${yamlMessage(err.message)}`, params: { detail: yamlMessage(err.message) },
        hint: code === 'yaml-duplicate-key'
          ? 'remove one of the two keys; YAML mappings cannot repeat a key'
          : 'check indentation (spaces, not tabs) and that every "key: value" has a space after the colon',
      });
    }
    for (const w of doc.warnings ?? []) {
      const [s, e] = w.pos;
      diagnostics.push({ file, ...toRange(s, e), severity: 'warning', code: 'yaml-warning', message: yamlMessage(w.message), params: { detail: yamlMessage(w.message) } });
    }
    if (errors.length > 0) return; // a broken document is skipped; the others still load
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      const r = doc.contents?.range;
      diagnostics.push({
        file, ...(r ? toRange(r[0], r[1]) : toRange(0, 0)), severity: 'error', code: 'yaml-syntax',
        message: `YAML could not be read: ${(e as Error).message}`, params: { detail: (e as Error).message },
      });
      return;
    }
    if (value === null || value === undefined) return; // empty document (e.g. trailing ---)
    const contents = doc.contents as YNode | null;
    const docRange = contents?.range ? toRange(contents.range[0], contents.range[1]) : toRange(0, 0);
    // The document's syntax tree is read again when a position is asked for, not kept: at scale
    // the trees of every document (kept alive by the objects' origins) are 40 MB, the text 1.
    const span = contents?.range ? { start: contents.range[0], end: contents.range[2] } : null;
    docs.push({
      file,
      index,
      value,
      locate(path, key = false) {
        // The document itself (what the object store sorts by) needs no tree.
        const found = span && path.length > 0 ? locateIn(treeOf(text, span, index), path, key) : null;
        return found ? toRange(found[0], found[1]) : docRange;
      },
    });
  });
  return { docs, diagnostics };
}

/**
 * The node at `path` below `root`: the offsets of its value (or of its key when `key` is set),
 * falling back to the nearest parent; null: the root itself.
 */
function locateIn(root: YNode | null, path: Path, key: boolean): readonly [number, number] | null {
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
    const alone = parseAllDocuments(piece, { prettyErrors: false, uniqueKeys: true, merge: true });
    one = Array.isArray(alone) && alone.length === 1 && alone[0]!.errors.length === 0 ? alone[0]!.contents as YNode | null : null;
  }
  if (one?.range && one.range[0] === span.start - lineStart) {
    shift(one, lineStart);
    root = one;
  } else {
    const all = parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true, merge: true });
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
