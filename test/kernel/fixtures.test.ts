/**
 * Kernel tier, hand-built networks: each fixture is exported with exportLab, run in real
 * namespaces, and every probe's answer must equal the one worked out by hand from how Linux
 * behaves (see fixtures.ts). Runs as root; not root is a failure, never a skip.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { exportLab } from '../../src/engine/lab/export';
import { planLab } from '../../src/engine/lab/plan';
import { FIXTURES, probeModel, simOf } from './fixtures';
import { differs, requireRoot, runLab, sideBySide, sweep, uniquePrefix } from './harness';

afterAll(() => { sweep(); });

describe('kernel tier: hand-built networks through exportLab', () => {
  for (const make of FIXTURES) {
    const fx = make();
    it(`${fx.name}: the kernel answers every probe as worked out by hand`, async () => {
      requireRoot();
      // The same path as `knp lab`: Probe objects → planLab → exportLab.
      const sim = simOf(fx.net, fx.probes.map(probeModel));
      const plan = planLab(sim, { iptablesSave: (ns) => fx.rules?.[ns.id] ?? null });
      expect(plan.problems).toEqual([]);
      const lab = exportLab(plan.input);
      expect(lab.unsupported).toEqual([]);
      const prefix = uniquePrefix();
      const run = await runLab(lab.script, { prefix, timeoutMs: 45_000 });
      expect(sweep(prefix), 'the script left namespaces behind').toEqual([]);
      expect(run.code, `lab exited ${run.code}\n${run.stderr}`).toBe(0);
      const problems: string[] = [];
      for (const p of fx.probes) {
        const got = run.answers.find((a) => a.probe === p.name);
        if (!got) { problems.push(`${p.name}: no answer from the lab\n${run.stderr}`); continue; }
        if (differs(p.expect, got)) problems.push(sideBySide(`${fx.name} / ${p.name}`, ['expected (by hand)', p.expect], ['kernel', got]));
      }
      expect(problems.join('\n\n')).toBe('');
    });
  }
});
