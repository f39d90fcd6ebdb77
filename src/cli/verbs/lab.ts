/**
 * `knp lab FILE [--probe NAME]... [--seed N] > lab.sh`: a bash script that rebuilds the
 * scenario's network in real Linux namespaces and runs its probes (see src/engine/lab/export.ts).
 */
import { formatDiagnostic, hasErrors } from '../../engine/index';
import { exportLab } from '../../engine/lab/export';
import { planLab, type LabPlanOptions } from '../../engine/lab/plan';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';
import { netfilterForLab } from '../labDeps';

const USAGE = 'usage: knp lab FILE [--probe NAME | --probe "FROM TO"]... [--seed N] > lab.sh\n';

export const lab: Verb = async (argv, io) => {
  // --probe may repeat: collect every value before the generic parser keeps only the last one.
  const probes: string[] = [];
  const restArgs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--probe' && i + 1 < argv.length) probes.push(argv[++i]!);
    else if (a.startsWith('--probe=')) probes.push(a.slice(8));
    else restArgs.push(a);
  }
  const args = parseArgs(restArgs, ['seed']);
  const file = args.positional[0];
  if (!file || args.positional.length > 1) { io.stderr(USAGE); return 2; }
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  if (hasErrors(built.diagnostics)) {
    for (const d of built.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    io.stderr('knp lab: the scenario has errors; fix them first (knp check FILE)\n');
    return 1;
  }
  const iptablesSave = await netfilterForLab();
  const opts: LabPlanOptions = { probes, ...(iptablesSave ? { iptablesSave } : {}) };
  const plan = planLab(built.sim, opts);
  if (plan.problems.length) {
    for (const p of plan.problems) io.stderr(`knp lab: ${p}\n`);
    return 1;
  }
  const out = exportLab(plan.input);
  if (out.unsupported.length) {
    io.stderr('knp lab: this scenario cannot be rebuilt on a kernel:\n');
    for (const u of out.unsupported) io.stderr(`  - ${u}\n`);
    return 3;
  }
  if (plan.input.probes.length === 0) io.stderr('knp lab: note: the scenario has no Probe objects; the script builds the network and exits (add --probe "FROM TO")\n');
  io.stdout(out.script);
  return 0;
};
