/**
 * Positions are read again from the text when asked for (scenario/source.ts keeps no syntax
 * tree per document): they must be the ones the tree of the whole file gives, wherever the
 * document starts.
 */
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YNode } from 'yaml';
import { parseYamlSource, type Path } from '../../../src/engine/scenario/source';

/** The reference: the whole file's tree, walked down `path` (value range, nearest parent when missing). */
function reference(text: string, index: number, path: Path): { line: number; col: number; endLine: number; endCol: number } {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, merge: true });
  const root = (Array.isArray(docs) ? docs : [docs])[index]!.contents as YNode;
  let node: unknown = root;
  let best = root.range!;
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair?.value) break;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && node.items[seg]) node = node.items[seg];
    else break;
    best = (node as YNode).range!;
  }
  const a = lc.linePos(best[0]), b = lc.linePos(best[1]);
  return { line: a.line, col: a.col, endLine: b.line, endCol: b.col };
}

const TEXT = [
  'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: c\n    image: busybox\n',
  '--- {apiVersion: v1, kind: Service, metadata: {name: b}, spec: {ports: [{port: 80}, {port: 81}]}}\n',
  '---\n# a comment\nbase: &b {x: 1}\nmerged:\n  <<: *b\n  y: [1, 2, 3]\n',
  '---\r\nkind: Pod\r\nmetadata:\r\n  name: crlf\r\n  labels: {app: web}\r\n',
  // a tag before the first key keeps ".5" a string; read alone without it, the key would be 0.5
  '---\n!t .5: 1\n',
].join('');

describe('positions read again from the text', () => {
  const { docs } = parseYamlSource('t.yaml', TEXT);
  const cases: [number, Path][] = [
    [0, ['metadata', 'name']], [0, ['spec', 'containers', 0, 'image']], [0, ['spec', 'nope']], [0, []],
    [1, ['spec', 'ports', 1, 'port']], [1, ['metadata']],
    [2, ['merged', 'y', 2]], [2, ['base', 'x']],
    [3, ['metadata', 'labels', 'app']], [3, ['kind']],
    [4, ['.5']],
  ];
  it.each(cases)('document %i, path %j: the whole file\'s tree gives the same range', (index, path) => {
    expect(docs).toHaveLength(5);
    expect(docs[index]!.locate(path)).toEqual(reference(TEXT, index, path));
  });
  it('a key\'s own range when asked for', () => {
    expect(docs[1]!.locate(['spec', 'ports'], true)).toEqual({ line: 8, col: 65, endLine: 8, endCol: 70 });
    expect(docs[0]!.locate(['kind'], true)).toEqual({ line: 2, col: 1, endLine: 2, endCol: 5 });
  });
});
