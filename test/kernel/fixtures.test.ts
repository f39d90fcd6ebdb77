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
import { netfilterForLab } from '../../src/cli/labDeps';
import { iptablesRestore } from '../../src/engine/netfilter/restore';
import { conntrackDisagreement, conntrackIds, conntrackShapes, disagreement, icmpErrorSender } from './compare';
import { DeviationLedger } from './deviations';
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
      // Rules go into the simulator first; the lab gets them back through iptables-save, so the
      // round trip simulator → iptables-save → the kernel's iptables-restore is exercised too.
      for (const [id, text] of Object.entries(fx.rules ?? {})) {
        const r = iptablesRestore(sim.net.namespaces.get(id)!, text);
        expect(r, `the simulator's iptables-restore rejected ${fx.name}'s rules for ${id}`).toEqual({ ok: true });
      }
      const iptablesSave = await netfilterForLab();
      const plan = planLab(sim, iptablesSave ? { iptablesSave } : {});
      expect(plan.problems).toEqual([]);
      const lab = exportLab(plan.input);
      // Walk after exporting: the walk learns neighbours and FDB entries the lab must not start with.
      const simCompared = ready(fx.needs ?? []);
      const natNs = Object.entries(fx.rules ?? {}).filter(([, t]) => /^\*nat$/m.test(t)).map(([id]) => id);
      const simCt = new Map<string, string[]>();
      const traces = new Map(sim.model.probes.map((p) => {
        const before = conntrackIds(sim, natNs);
        const t = walk(sim, { from: p.from, to: p.to });
        simCt.set(p.name, conntrackShapes(sim, natNs, before));
        return [p.name, t];
      }));
      expect(lab.unsupported).toEqual([]);
      const prefix = uniquePrefix();
      const run = await runLab(lab.script, { prefix, timeoutMs: 45_000 });
      expect(sweep(prefix), 'the script left namespaces behind').toEqual([]);
      expect(run.code, `lab exited ${run.code}\n${run.stderr}`).toBe(0);
      const problems: string[] = [];
      const ledger = new DeviationLedger(`fixture/${fx.name}`, fx.probes.map((p) => p.name));
      for (const p of fx.probes) {
        const got = run.answers.find((a) => a.probe === p.name);
        if (!got) { problems.push(`${p.name}: no answer from the lab\n${run.stderr}`); continue; }
        if (differs(p.expect, got)) problems.push(sideBySide(`${fx.name} / ${p.name}`, ['expected (by hand)', p.expect], ['kernel', got]));
        if (simCompared) {
          const t = traces.get(p.name)!;
          ledger.report(p.name, 'answer', disagreement(`${fx.name} / ${p.name}`, p, t, got, null));
          // Where the fixture names the router an ICMP error comes from, the simulator's must too
          // (the kernel's is held to it by differs above).
          const from = p.expect.icmpFrom;
          if (from !== undefined && icmpErrorSender(t) !== from) problems.push(`${fx.name} / ${p.name}: ICMP error sender: simulator ${icmpErrorSender(t) ?? 'none'}, kernel ${got.icmpFrom ?? 'none'}, expected ${from}`);
          if (natNs.length && t.verdict === got.verdict && t.responder === got.responder) {
            ledger.report(p.name, 'conntrack', conntrackDisagreement(`${fx.name} / ${p.name}`, simCt.get(p.name) ?? [], got.conntrack?.filter((c) => natNs.includes(c.split(' ')[0]!))));
          }
        }
        const ct = fx.conntrack?.[p.name];
        if (ct && JSON.stringify(got.conntrack ?? []) !== JSON.stringify(ct)) {
          problems.push(`${fx.name} / ${p.name}: conntrack\n  expected (by hand)  ${ct.join('\n                      ')}\n  kernel              ${(got.conntrack ?? ['(none)']).join('\n                      ')}`);
        }
      }
      if (simCompared) problems.push(...ledger.problems());
      expect(problems.join('\n\n')).toBe('');
    });
  }
});
