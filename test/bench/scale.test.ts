/**
 * The scale benchmark's code, not its speed (no timing assertions): the generated scenarios
 * have the sizes the issue names and build without errors, the cross-node trace resolves a name
 * and crosses nodes, every figure comes out with min ≤ median ≤ max, and the table for
 * docs/performance.md lists each figure with its target and its ratio to S.
 */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine/index';
import { scaleTable } from '../../bench/report';
import { checkBuilt, checkTrace, editedText, FIGURES, scaleBench } from '../../bench/scale';
import { generate, SIZES } from '../../bench/scenarios/generate';

describe('scale benchmark (smoke)', () => {
  it('generates the same YAML for the same size, with the issue\'s counts', () => {
    expect(generate('M')).toBe(generate('M'));
    const l = generate('L');
    expect(l.match(/^kind: Service$/gm)).toHaveLength(SIZES.L.services);
    expect(l.match(/^kind: NetworkPolicy$/gm)).toHaveLength(200);
    const replicas = [...l.matchAll(/replicas: (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
    expect(replicas + 1).toBe(5000);
    expect(editedText(l)).not.toBe(l);
    const before = l.split('\n');
    expect(editedText(l).split('\n').filter((line, i) => line !== before[i])).toHaveLength(1);
  });

  it('M builds as generated: 10 nodes, 300 Pods, 100 Services, 20 policies, and the trace crosses nodes after DNS', () => {
    const { sim, diagnostics } = buildSim(generate('M'), { seed: 1 });
    checkBuilt('M', sim, diagnostics);
    checkTrace('M', sim);
  });

  it('runs every figure for S once and writes a table with targets and ratios', async () => {
    const results = await scaleBench({ sizes: ['S'], runs: { S: 1 }, log: () => {} });
    const figures = results.map((r) => r.figure);
    for (const f of ['cold', 'edit', 'apply', 'scale', 'trace']) expect(figures).toContain(f);
    for (const r of results) {
      expect(r.size).toBe('S');
      expect(r.min!).toBeLessThanOrEqual(r.ms);
      expect(r.ms).toBeLessThanOrEqual(r.max!);
    }
    const fake = [...results, ...results.map((r) => ({ ...r, size: 'L', ms: r.ms * 10, targetMs: r.targetMs ?? 1 }))];
    const table = scaleTable(fake, 'test machine', 'abcdef0123');
    expect(table).toContain(FIGURES.cold);
    expect(table).toContain('| L |');
    expect(table).toMatch(/10\.0×/);
  });
});
