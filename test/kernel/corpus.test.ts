/**
 * Kernel tier, the corpus: for every ready scenario, each probe is answered by the simulator's
 * packet walk and by the exported lab on this machine's kernel, and the answers must agree
 * (compare.ts says how), and so must the conntrack entries each probe leaves in namespaces with
 * a nat table. A disagreement fails with both answers side by side.
 *
 * Scenarios in kube-proxy IPVS mode are compared only inside the simulator (their Probe
 * objects' `expect`), and the tier says so in its output. Pending scenarios are listed in
 * docs/linux-fidelity.md, which this file also keeps in step with the corpus.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine/index';
import { exportLab } from '../../src/engine/lab/export';
import { planLab } from '../../src/engine/lab/plan';
import { netfilterForLab } from '../../src/cli/labDeps';
import { collapseTunnelEntries, conntrackDisagreement, conntrackIds, conntrackShapes, disagreement, neighDisagreement, neighShapes6, possibleResponders, tunnelPorts, walkProbe } from './compare';
import { BEGIN, corpus, END, FIDELITY_DOC, fidelitySection, isReady } from './corpus';
import { DeviationLedger } from './deviations';
import { requireRoot, runLab, sweep, uniquePrefix } from './harness';

afterAll(() => { sweep(); });

const entries = corpus();

describe('kernel tier: the corpus, simulator against kernel', () => {
  it('docs/linux-fidelity.md lists the corpus as it stands (proven, IPVS-only, pending)', () => {
    const doc = readFileSync(FIDELITY_DOC, 'utf8');
    const section = `${BEGIN}\n${fidelitySection(entries)}\n${END}`;
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    if (process.env.UPDATE_FIDELITY && start >= 0 && end > start) {
      writeFileSync(FIDELITY_DOC, doc.slice(0, start) + section + doc.slice(end + END.length));
      return;
    }
    expect(start, `docs/linux-fidelity.md needs the markers ${BEGIN} … ${END}`).toBeGreaterThanOrEqual(0);
    expect(doc.slice(start, end + END.length)).toBe(section);
  });

  for (const e of entries.filter((x) => isReady(x) && x.ipvs)) {
    it(`${e.name}: IPVS mode, compared only inside the simulator`, () => {
      console.info(`kernel tier: ${e.name} uses kube-proxy IPVS mode; this kernel has no IPVS, so it is compared only inside the simulator`);
      const { sim } = buildSim(e.yaml, { file: e.name });
      const plan = planLab(sim);
      const problems: string[] = [...plan.problems];
      for (const p of sim.model.probes) {
        const t = walkProbe(sim, p, plan.input.probes.find((x) => x.name === p.name));
        if (p.expect?.verdict && t.verdict !== p.expect.verdict) problems.push(`${p.name}: verdict ${t.verdict}, the Probe expects ${p.expect.verdict}`);
        if (p.expect?.responder && t.responder !== p.expect.responder) problems.push(`${p.name}: responder ${t.responder}, the Probe expects ${p.expect.responder}`);
      }
      expect(problems.join('\n')).toBe('');
    });
  }

  for (const e of entries.filter((x) => isReady(x) && !x.ipvs)) {
    it(`${e.name}: every probe gets the same answer from the simulator and the kernel`, async () => {
      requireRoot();
      const { sim, diagnostics } = buildSim(e.yaml, { file: e.name });
      expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      // Export before walking: the walk may change state (conntrack, neighbours) the lab must not start with.
      const iptablesSave = await netfilterForLab();
      const plan = planLab(sim, iptablesSave ? { iptablesSave } : {});
      expect(plan.problems).toEqual([]);
      const lab = exportLab(plan.input);
      expect(lab.unsupported).toEqual([]);
      // conntrack is compared where both kernels track connections: namespaces with a nat table.
      const natNs = iptablesSave ? [...sim.net.namespaces.values()].filter((ns) => /^\*nat$/m.test(iptablesSave(ns) ?? '')).map((ns) => ns.id) : [];
      const simCt = new Map<string, string[]>();
      const simNeigh = new Map<string, string[]>();
      const tunnels = tunnelPorts(sim);
      const traces = sim.model.probes.map((p) => {
        const before = conntrackIds(sim, natNs);
        const t = walkProbe(sim, p, plan.input.probes.find((x) => x.name === p.name));
        simCt.set(p.name, conntrackShapes(sim, natNs, before));
        simNeigh.set(p.name, neighShapes6(sim));
        return t;
      });
      const prefix = uniquePrefix();
      const run = await runLab(lab.script, { prefix, timeoutMs: 120_000 });
      expect(sweep(prefix), 'the lab left namespaces behind').toEqual([]);
      expect(run.code, `lab exited ${run.code}\n${run.stderr}`).toBe(0);
      const ledger = new DeviationLedger(e.name, plan.input.probes.map((p) => p.name));
      plan.input.probes.forEach((p) => {
        const trace = traces[sim.model.probes.findIndex((x) => x.name === p.name)]!;
        const lab = run.answers.find((a) => a.probe === p.name);
        ledger.report(p.name, 'answer', disagreement(`${e.name} / ${p.name}`, p, trace, lab, possibleResponders(sim, p)));
        // Entries are comparable only when both sides reached the same responder (the same endpoint).
        const sameEnd = lab && (trace.verdict === 'delivered' && lab.verdict === 'delivered' ? trace.responder === lab.responder : trace.verdict !== 'delivered' && lab.verdict !== 'delivered');
        if (natNs.length && lab && sameEnd) {
          // Outer tunnel entries modulo their source port (compare.ts, collapseTunnelEntries, says why).
          const labCt = collapseTunnelEntries(lab.conntrack?.filter((c) => natNs.includes(c.split(' ')[0]!)) ?? [], tunnels);
          ledger.report(p.name, 'conntrack', conntrackDisagreement(`${e.name} / ${p.name}`, collapseTunnelEntries(simCt.get(p.name) ?? [], tunnels), labCt));
        }
        // IPv6 labs dump what NDP learned after each probe: the walk's ndisc must have learned the same.
        if (lab?.neigh6) ledger.report(p.name, 'neighbours', neighDisagreement(`${e.name} / ${p.name}`, simNeigh.get(p.name) ?? [], lab.neigh6));
      });
      expect(ledger.problems().join('\n\n')).toBe('');
    }, 180_000);  // the lab itself may take up to 120 s (runLab's timeout) on a busy machine
  }
});
