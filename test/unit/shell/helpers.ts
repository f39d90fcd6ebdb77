import { readFileSync } from 'node:fs';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Target } from '../../../src/engine/shell/types';
import type { Sim } from '../../../src/engine/sim';

export const DEFAULT_YAML = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');

export function sim(yaml = DEFAULT_YAML): Sim {
  const b = buildSim(yaml, { seed: 1 });
  return b.sim;
}

export const client: Target = { kind: 'pod', namespace: 'default', name: 'client' };
export const node1: Target = { kind: 'node', name: 'node-1' };
export const node2: Target = { kind: 'node', name: 'node-2' };

/** Runs lines in one session; returns the last result. */
export function sh(s: Sim, t: Target, ...lines: string[]): ReturnType<typeof runLine> {
  let r = runLine(s, t, '');
  for (const l of lines) r = runLine(s, t, l);
  return r;
}
