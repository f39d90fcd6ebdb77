/**
 * scenario/fastyaml.ts reads the documents manifests are made of without the `yaml` library; the
 * rest goes through yaml. Whatever the text, parseYamlSource must give what yaml gives for the
 * whole file: the same documents (index, value with its key order, -0 and NaN), the same
 * diagnostics, and locate() ranges equal to the whole file's tree. Checked on generated
 * documents (valid ones in many styles, then the same with random edits) and on every YAML file
 * of the repository.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineCounter, parseAllDocuments, type Node as YNode } from 'yaml';
import { locateIn, parseYamlSource, parseYamlSourceWhole, type Path } from '../../../src/engine/scenario/source';
import { fastDocument, resolvePlain } from '../../../src/engine/scenario/fastyaml';
import { generate } from '../../../bench/scenarios/generate';
import { createRand } from '../../../src/engine/util/rand';

/** A value written out with its key order and the numbers toEqual would not tell apart. */
function canon(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? 'n:-0' : `n:${String(v)}`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v) === Object.prototype ? '' : '!proto';
    return `{${proto}${Object.keys(v).map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return `?${typeof v}`;
}

type Range = { line: number; col: number; endLine: number; endCol: number };

/** The reference for locate(): the whole file's tree (source.ts reads one document's tree alone, or none). */
function wholeTree(text: string): { roots: (YNode | null)[]; toRange: (s: number, e: number) => Range } {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, merge: true });
  const toRange = (s: number, e: number): Range => {
    const a = lc.linePos(s), b = lc.linePos(Math.max(s, e));
    return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
  };
  return { roots: (Array.isArray(docs) ? docs : [docs]).map((d) => d.contents as YNode | null), toRange };
}

function referenceLocate(root: YNode, path: Path, key: boolean): readonly [number, number] {
  return locateIn(root, path, key) ?? [root.range![0], root.range![1]];
}

/** Every path into a value, and one missing key below each mapping. */
function pathsOf(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (out.length > 60) return out;
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...prefix, i], out));
  else if (v && typeof v === 'object') {
    for (const k of Object.keys(v)) pathsOf((v as Record<string, unknown>)[k], [...prefix, k], out);
    out.push([...prefix, 'no-such-key']);
  }
  return out;
}

/** parseYamlSource(text) against yaml on the whole text; returns a description of the first difference. */
function compare(text: string): string | null {
  const fast = parseYamlSource('f.yaml', text);
  const whole = parseYamlSourceWhole('f.yaml', text);
  if (JSON.stringify(fast.diagnostics) !== JSON.stringify(whole.diagnostics)) {
    return `diagnostics ${JSON.stringify(fast.diagnostics)} != ${JSON.stringify(whole.diagnostics)}`;
  }
  if (fast.docs.length !== whole.docs.length) return `documents ${fast.docs.length} != ${whole.docs.length}`;
  if (fast.docs.length === 0) return null;
  const ref = wholeTree(text);
  for (let i = 0; i < fast.docs.length; i++) {
    const a = fast.docs[i]!, b = whole.docs[i]!;
    if (a.index !== b.index) return `document ${i}: index ${a.index} != ${b.index}`;
    if (canon(a.value) !== canon(b.value)) return `document ${i}: value ${canon(a.value)} != ${canon(b.value)}`;
    const root = ref.roots[a.index]!;
    for (const path of pathsOf(a.value)) {
      for (const key of path.length ? [false, true] : [false]) {
        const want = ref.toRange(...referenceLocate(root, path, key));
        const got = a.locate(path, key);
        if (JSON.stringify(got) !== JSON.stringify(want)) return `document ${i} path ${JSON.stringify(path)} key ${key}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`;
      }
    }
  }
  return null;
}

// ---- generated documents ----

/** Scalars as written: names and numbers, and words that resolve to something else or read differently. */
const SAFE = [
  'a', 'app-1', 'web', 'nginx:1.25', 'busybox:1.36', 'kubernetes.io/metadata.name', 'node-role.kubernetes.io/control-plane',
  '10.244.0.0/16', '192.168.1.11', '80', '8080', '-1', '+12', '-0', '007', '0x1F', '0X1F', '0o17', '0o8', '1.5', '3.', '.5',
  '1e3', '1E-2', '-.5e+3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', 'NaN', 'null', 'Null', 'NULL', 'nULL', '~', 'true',
  'True', 'TRUE', 'tRUE', 'false', 'False', 'yes', 'no', 'on', 'off', '1_000', '12:30', '2001:db8::1', 'a b', 'a  b', 'a:b',
  'a#b', 'http://x:8080/p?q=1#f', '-x', '--', 'constructor', 'toString', 'é', '日本', '😀', 'a\\b', '=', '$x', '${X}', '1-2',
  '1.2.3', '0', '0.0', '-0.0', '1e', 'e3', '0b1', '1__', '+', '.', '..', "it's", 'say "hi"', 'a :b',
];
const ODD = [
  'a,b', 'a]b', 'a}b', 'a[b', '-', '---', '...', '?x', '?', ':x', ':', '*x', '&x', '!x', '!!str', '%x', '@x', '`x', '|', '>',
  '|-', "'x", '"x', 'a #b', 'a: b', 'a:', '<<', '__proto__', 'a\tb', ' a', 'a ', '', '#x', ',x', '{}', '[]', '{a}', 'x:',
];
const WORDS = [...SAFE, ...ODD];

type Ast = { s: string } | { m: [string, Ast][] } | { q: Ast[] };

/** Documents of words only from SAFE (most stay on the fast path) or with some from ODD. */
function astOf(word: fc.Arbitrary<string>): fc.Arbitrary<Ast> {
  return fc.letrec<{ node: Ast }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      word.map((s) => ({ s })),
      fc.array(fc.tuple(word, tie('node')), { minLength: 1, maxLength: 4 }).map((m) => ({ m })),
      fc.array(tie('node'), { minLength: 1, maxLength: 4 }).map((q) => ({ q })),
    ),
  })).node.filter((n) => !('s' in n));
}
const ast = fc.oneof(
  { weight: 3, arbitrary: astOf(fc.constantFrom(...SAFE)) },
  { weight: 1, arbitrary: astOf(fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...SAFE) }, { weight: 1, arbitrary: fc.constantFrom(...ODD) })) },
);

/** How a document is written: indentation, quoting, flow or block, comments, blank lines. */
interface Style { step: number; rand: () => number }

function scalarText(s: string, st: Style, flow: boolean): string {
  const r = st.rand();
  if (r < 0.6) return s; // plain, whatever it gives
  if (r < 0.8) return `'${s.replace(/'/g, "''")}'`;
  const esc = s.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\t/g, () => (st.rand() < 0.5 ? '\\t' : '\t')).replace(/[é日]/g, (c) => (st.rand() < 0.5 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c));
  return `"${flow && st.rand() < 0.1 ? esc + ' ' : esc}"`;
}

function flowText(n: Ast, st: Style): string {
  if ('s' in n) return scalarText(n.s, st, true);
  const sp = st.rand() < 0.8 ? ' ' : '';
  if ('q' in n) return `[${n.q.map((x) => flowText(x, st)).join(`,${sp}`)}]`;
  return `{${n.m.map(([k, v]) => `${scalarText(k, st, true)}:${st.rand() < 0.95 ? ' ' : ''}${flowText(v, st)}`).join(`,${sp}`)}}`;
}

function comment(st: Style): string {
  const r = st.rand();
  return r < 0.85 ? '' : r < 0.95 ? '  # note' : ' #: x';
}

/** Lines of a block node at `indent`; the first line's indentation is left to the caller when `inline`. */
function blockLines(n: Ast, indent: number, st: Style): string[] {
  const pad = ' '.repeat(indent);
  const out: string[] = [];
  const extra = (): void => {
    const r = st.rand();
    if (r < 0.06) out.push('');
    else if (r < 0.09) out.push(`${' '.repeat(Math.floor(st.rand() * (indent + 3)))}# comment`);
    else if (r < 0.1) out.push('   ');
  };
  if ('m' in n) {
    for (const [k, v] of n.m) {
      extra();
      const key = scalarText(k, st, false);
      if ('s' in v || st.rand() < 0.25) {
        out.push(`${pad}${key}: ${'s' in v ? scalarText(v.s, st, false) : flowText(v, st)}${comment(st)}`);
      } else if ('q' in v && st.rand() < 0.4) {
        out.push(`${pad}${key}:${comment(st)}`, ...blockLines(v, indent, st)); // a sequence at the key's indentation
      } else {
        out.push(`${pad}${key}:${comment(st)}`, ...blockLines(v, indent + st.step, st));
      }
    }
  } else if ('q' in n) {
    for (const v of n.q) {
      extra();
      if ('s' in v || st.rand() < 0.2) out.push(`${pad}- ${'s' in v ? scalarText(v.s, st, false) : flowText(v, st)}${comment(st)}`);
      else if (st.rand() < 0.6) {
        // compact: "- key: value" or "- - item", the rest of the node at the column after "- "
        const inner = blockLines(v, indent + 2, st);
        out.push(`${pad}- ${inner[0]!.slice(indent + 2)}`, ...inner.slice(1));
      } else out.push(`${pad}-${comment(st)}`, ...blockLines(v, indent + st.step, st));
    }
  } else out.push(`${pad}${scalarText(n.s, st, false)}`);
  return out;
}

const SEPARATORS = ['---', '---', '---', '---', '---', '---', '--- ', '--- ', '---  # doc', '--- a: 1', '---\t', '--- |', '--- {a: 1}'];

/** A file of 1..4 documents written in varied styles. */
const yamlFile = fc.record({
  docs: fc.array(ast, { minLength: 1, maxLength: 4 }),

  seed: fc.integer(),
  step: fc.integer({ min: 1, max: 4 }),
  crlf: fc.boolean(),
  lead: fc.constantFrom('', '# header\n', '\n', '---\n', '# c\n---\n'),
  tail: fc.constantFrom('', '\n', '\n\n', '\n---\n', '\n# end\n', '\n  # end\n', '\n---'),
}).map(({ docs, seed, step, crlf, lead, tail }) => {
  const r = createRand(seed);
  const st: Style = { step, rand: () => r.next() };
  const body = docs.map((d, i) => {
    const lines = st.rand() < 0.05 ? [flowText(d, st)] : blockLines(d, st.rand() < 0.1 ? 2 : 0, st);
    const sep = i === 0 ? '' : `${SEPARATORS[Math.floor(st.rand() * SEPARATORS.length)]}\n`;
    return sep + lines.join('\n');
  }).join('\n');
  const text = lead + body + tail;
  return crlf ? text.replace(/\n/g, '\r\n') : text;
});

/** The same file with a few random edits: most are no longer in the fast subset, some are no longer YAML. */
const NASTY = [' ', '  ', '\n', ':', ': ', '-', '- ', '#', ' #', "'", '"', '[', ']', '{', '}', ',', '&a ', '*a', '!t ', '|', '>', '?', '\t', '\r', '\\', '---\n', '...\n', '%YAML 1.2\n', 'x', '0', '<<: ', '\ufeff'];
const edited = fc.tuple(yamlFile, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...NASTY), fc.constantFrom('insert', 'delete', 'replace')), { minLength: 1, maxLength: 3 }))
  .map(([text, edits]) => {
    let t = text;
    for (const [at, s, how] of edits) {
      const i = t.length ? at % t.length : 0;
      t = how === 'insert' ? t.slice(0, i) + s + t.slice(i) : how === 'delete' ? t.slice(0, i) + t.slice(i + 1) : t.slice(0, i) + s + t.slice(i + s.length);
    }
    return t;
  });

describe('fastyaml: the same documents, diagnostics and positions as yaml', () => {
  it('on generated files in many styles', () => {
    fc.assert(fc.property(yamlFile, (text) => {
      expect(compare(text), JSON.stringify(text)).toBeNull();
    }), { numRuns: 300, seed: 19 });
  });

  it('on generated files with random edits', () => {
    fc.assert(fc.property(edited, (text) => {
      expect(compare(text), JSON.stringify(text)).toBeNull();
    }), { numRuns: 400, seed: 7 });
  });

  it('on every YAML file of the repository', () => {
    const root = resolve(__dirname, '../../..');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(name)) files.push(p);
      }
    };
    for (const dir of ['content', 'test']) walk(join(root, dir));
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) expect(compare(readFileSync(f, 'utf8')), f).toBeNull();
  });

  it('on hand-picked corner cases', () => {
    const cases = [
      '', '\n', '# only a comment\n', '---\n', '---\n---\n', 'a: 1\n---\n', '--- \r\na: 1\r\n',
      'a:\n  b: 1\n  # indented comment at the end\n', 'a:\n  b: 1\n# column 0 comment\n', 'a:\n  b:\n# c\n', 'a: # c\n',
      'a:\n- 1\n- 2\nb: x\n', '- a: 1\n  b:\n  - x\n- - y\n  - z\n', 'a: {b: [1, 2, {c: d}], e: "f\\tg"}\n',
      "a: 'it''s'\nb: \"\\u00e9\\x41\\U0001F600\"\n", 'a: 1\na: 2\n', '1: a\n"1": b\n', 'a: 1\n  b: 2\n', 'a: b: c\n',
      'x: -0\ny: 0o17\nz: 0x1f\nw: .inf\nv: -.INF\nu: .NaN\nt: 1e3\ns: 3.\n', '~: null\ntrue: yes\n', '__proto__: 1\n',
      '<<: {a: 1}\nb: 2\n', 'a: &x 1\nb: *x\n', 'a: |\n  text\n', 'a: !!str 1\n', '%YAML 1.2\n---\na: 1\n', 'a: 1\n...\n',
      '  a: 1\n  b: 2\n', 'a:\n    b: 1\n  c: 2\n', 'a: [1, 2,]\n', 'a: {b: }\n', 'a: [b: c]\n', 'a: "x\n  y"\n', 'a: x\n  y\n',
      `k${'x'.repeat(1100)}: 1\n`, 'a:  \n\n', 'a:\n-\n', '- \n  a: 1\n', 'a: b #c\n#d\n\n', 'a: "b"c\n', "a: 'b'#c\n",
    ];
    for (const text of cases) expect(compare(text), JSON.stringify(text)).toBeNull();
  });
});

describe('fastyaml: what it reads itself', () => {
  it('reads every document of the generated scale scenarios (no document goes to yaml)', () => {
    for (const size of ['S', 'M'] as const) {
      const text = generate(size);
      const parts = text.split(/^---\n/m);
      let from = 0;
      for (const part of parts) {
        expect(fastDocument(text, from, from + part.length), part.slice(0, 80)).not.toBeNull();
        from += part.length + 4;
      }
    }
  });

  it('resolves plain scalars as the core schema does', () => {
    for (const w of WORDS) {
      if (w === '' || /:$/.test(w) || /^[\s#'"[\]{}&*!|>%@`,?:-]|\s$|: | #|\t/.test(w) || /^-$|^-\s/.test(w)) continue;
      const [doc] = parseAllDocuments(`k: ${w}\n`);
      const want = (doc!.toJS() as Record<string, unknown>).k;
      expect(canon(resolvePlain(w)), w).toBe(canon(want));
    }
  });
});
