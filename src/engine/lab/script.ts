/**
 * One call from a live Sim to the lab script: plan (probes, names resolved by the simulator),
 * each namespace's iptables ruleset as `iptables-save` prints it, then export. Shared by
 * `knp lab` and the playground's "Download lab.sh".
 */
import type { Sim } from '../sim';
import { iptablesSave } from '../netfilter/restore';
import { exportLab } from './export';
import { planLab } from './plan';

export interface LabScriptResult {
  /** The bash script, or null when the scenario cannot be rebuilt on a kernel. */
  readonly script: string | null;
  /** Why not (unknown probe names, TUN devices, ...). */
  readonly problems: readonly string[];
  readonly probeCount: number;
}

export function labScript(sim: Sim, probes: readonly string[] = []): LabScriptResult {
  const plan = planLab(sim, {
    probes,
    iptablesSave: (ns) => {
      if (!ns.netfilter) return null;
      const text = iptablesSave(ns);
      return text.trim() ? text : null;
    },
  });
  if (plan.problems.length) return { script: null, problems: plan.problems, probeCount: 0 };
  const out = exportLab(plan.input);
  if (out.unsupported.length) return { script: null, problems: out.unsupported, probeCount: 0 };
  return { script: out.script, problems: [], probeCount: plan.input.probes.length };
}
