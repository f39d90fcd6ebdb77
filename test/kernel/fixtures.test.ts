/**
 * Kernel tier, hand-built networks: each fixture is exported with exportLab and run in real
 * namespaces. Every probe's kernel answer must equal the one worked out by hand from how Linux
 * behaves (see fixtures.ts), and the simulator's packet walk over the same network must agree
 * with the kernel (compare.ts). Runs as root; not root is a failure, never a skip.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { exportLab } from '../../src/engine/lab/export';
import { walk } from '../../src/engine/index';
import { planLab } from '../../src/engine/lab/plan';
import { disagreement } from './compare';
import { ready } from './grid';
import { FIXTURES, probeModel, simOf } from './fixtures';
import { differs, requireRoot, runLab, sideBySide, sweep, uniquePrefix } from './harness';

afterAll(() => { sweep(); });

describe('kernel tier: hand-built networks through exportLab', () => {
  for (const make of FIXTURES) {
    const fx = make();
    it(`${fx.name}: the kernel answers as worked out by hand${ready(fx.needs ?? []) ? ', and the simulator agrees' : ''}`, async () => {
      requireRoot();
      // The same path as `knp lab`: Probe objects → planLab → exportLab.
      const sim = simOf(fx.net, fx.probes.map(probeModel));
      const plan = planLab(sim, { iptablesSave: (ns) => fx.rules?.[ns.id] ?? null });
      expect(plan.problems).toEqual([]);
      const lab = exportLab(plan.input);
      // Walk after exporting: the walk learns neighbours and FDB entries the lab must not start with.
      const simCompared = ready(fx.needs ?? []);
      const traces = new Map(sim.model.probes.map((p) => [p.name, walk(sim, { from: p.from, to: p.to })]));
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
        if (simCompared) {
          const d = disagreement(`${fx.name} / ${p.name}`, p, traces.get(p.name)!, got, null);
          if (d) problems.push(d);
        }
        const ct = fx.conntrack?.[p.name];
        if (ct && JSON.stringify(got.conntrack ?? []) !== JSON.stringify(ct)) {
          problems.push(`${fx.name} / ${p.name}: conntrack\n  expected (by hand)  ${ct.join('\n                      ')}\n  kernel              ${(got.conntrack ?? ['(none)']).join('\n                      ')}`);
        }
      }
      expect(problems.join('\n\n')).toBe('');
    });
  }
});
