/**
 * From YAML to verdicts: the simulator (build + one walk per probe) against the real kernel
 * (export the lab, build it in namespaces, run the same probes, tear it down). The ratio is the
 * point: how much faster the playground answers the same questions than a real Linux box.
 *
 * Uses test/kernel/corpus/host-bridge.yaml (a bridge and three namespaces, four probes). Until
 * the scenario builds a network in main, the hand-built bridge-three fixture stands in and the
 * note says so. The kernel side needs root; without it only the simulator is timed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { buildSim, walk } from '../src/engine/index';
import { exportLab, type LabInput } from '../src/engine/lab/export';
import { planLab } from '../src/engine/lab/plan';
import type { Sim } from '../src/engine/sim';
import { bridgeThree, probeModel, simOf } from '../test/kernel/fixtures';
import { time, type Bench, type BenchResult } from './harness';

const FILE = new URL('../test/kernel/corpus/host-bridge.yaml', import.meta.url);

function simulate(yaml: string | null): Sim {
  if (yaml === null) {
    const fx = bridgeThree();
    return simOf(fx.net, fx.probes.map(probeModel));
  }
  return buildSim(yaml, { file: 'host-bridge.yaml' }).sim;
}

export const bench: Bench = () => {
  const yaml = readFileSync(FILE, 'utf8');
  const fromYaml = planLab(buildSim(yaml).sim).problems.length === 0 && buildSim(yaml).sim.model.probes.length > 0;
  const source = fromYaml ? 'host-bridge.yaml' : 'bridge-three fixture (the scenario does not build a network in this checkout yet)';
  const questions = (sim: Sim): void => {
    for (const p of sim.model.probes) walk(sim, { from: p.from, to: p.to });
  };
  const simResult = time(`lab: simulator, YAML to verdicts (${source})`, () => questions(simulate(fromYaml ? yaml : null)), { runs: 20 });
  const results: BenchResult[] = [simResult];
  if (process.getuid?.() !== 0) {
    results.push({ name: 'lab: kernel, build and probe', ms: Number.NaN, runs: 0, note: 'not root: the kernel side was not timed' });
    return results;
  }
  const input: LabInput = planLab(simulate(fromYaml ? yaml : null)).input;
  const script = exportLab(input).script;
  const samples: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync('bash', ['-s'], { input: script, env: { ...process.env, KNP_LAB_PREFIX: `knpb${process.pid.toString(36)}${i}` }, encoding: 'utf8', timeout: 60_000 });
    samples.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`bench lab: the lab failed (${r.status}): ${r.stderr}`);
  }
  samples.sort((a, b) => a - b);
  const ms = samples[1]!;
  results.push({ name: `lab: kernel, build and probe (${source})`, ms, runs: samples.length, note: `kernel/simulator = ${Math.round(ms / simResult.ms)}x` });
  return results;
};
