/**
 * The engine never throws on user input: garbage, truncated and mutated scenarios all come
 * back as diagnostics. Mutations are drawn from a fixed seed, so a failure reproduces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine/index';
import { createRand } from '../../src/engine/util/rand';

const cases = join(__dirname, 'cases');
const corpus = readdirSync(cases).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(join(cases, f), 'utf8'));

const GARBAGE = [
  '', '---', '---\n---\n', ':', '- - -', '{', '[1, 2', 'kind: Pod', 'apiVersion: v1\nkind: Pod', 'apiVersion: v1\nkind: Pod\nmetadata: 5\nspec: []',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {spec: {containers: []}}}',
  'apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec: {ports: [{port: 80, targetPort: -1, nodePort: 99999999}], type: NodePort, clusterIP: "::1"}',
  'apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {podCIDR: 10.0.0.0/31, nodeCIDRMaskSize: 30, serviceCIDR: 10.96.0.0/30, nodes: []}',
  'apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {podCIDR: 10.244.0.0/24, nodeCIDRMaskSize: 24, nodes: [{name: a, ip: 1.1.1.1}, {name: b, ip: 1.1.1.2}]}',
  'a: &a [*a]', 'x: !!binary AAAA', '\t\tkind: Pod', 'apiVersion: v1\nkind: List\nitems: [1, null, {kind: Pod}]',
];

function mutate(text: string, seed: number): string {
  const r = createRand(seed);
  const lines = text.split('\n');
  const ops = 1 + r.int(4);
  for (let i = 0; i < ops; i++) {
    const at = r.int(Math.max(1, lines.length));
    switch (r.int(6)) {
      case 0: lines.splice(at, 1); break;
      case 1: lines.splice(at, 0, lines[r.int(lines.length)] ?? ''); break;
      case 2: lines[at] = (lines[at] ?? '').slice(0, r.int((lines[at] ?? '').length + 1)); break;
      case 3: lines[at] = `  ${lines[at] ?? ''}`; break;
      case 4: lines[at] = (lines[at] ?? '').replace(/\d+/, String(r.int(100000) - 50000)); break;
      case 5: lines[at] = (lines[at] ?? '').replace(/: .*/, ': ' + ['null', '[]', '{}', '"x"', '-1', 'true', '0.5', 'None'][r.int(8)]); break;
    }
  }
  return lines.join('\n');
}

describe('fuzzed input never throws', () => {
  it('garbage documents give diagnostics, not exceptions', () => {
    for (const g of GARBAGE) expect(() => buildSim(g)).not.toThrow();
  });
  it('mutated scenarios give diagnostics, not exceptions', () => {
    let n = 0;
    for (const [i, text] of corpus.entries()) {
      for (let k = 0; k < 8; k++) {
        const m = mutate(text, i * 1000 + k);
        expect(() => buildSim(m, { seed: k }), m).not.toThrow();
        n++;
      }
    }
    expect(n).toBeGreaterThan(200);
  });
});
