/**
 * The cluster view's layout (snapshot → React Flow nodes and edges, src/app/canvas/flow.ts) on
 * the default scenario and on the 10-node, 300-Pod one: fresh, and after an edit that adds a
 * replica (the layout memory path the canvas takes on every edit). Part of the 150 ms
 * edit → graph budget, so it must stay a small slice of it.
 */
import { readFileSync } from 'node:fs';
import { buildSim } from '../src/engine';
import { toFlow } from '../src/app/canvas/flow';
import { snapshot } from '../src/worker/snapshot';
import { time, type Bench } from './harness';
import { bigScenario } from './ui';

const CLUSTER = { kind: 'cluster' } as const;

export const bench: Bench = () => {
  const DEFAULT = readFileSync(new URL('../content/scenarios/default.yaml', import.meta.url), 'utf8');
  const cases = [
    { name: 'default', yaml: DEFAULT, edited: DEFAULT.replace('replicas: 2', 'replicas: 3') },
    { name: '10 nodes, 300 Pods', yaml: bigScenario(), edited: bigScenario().replace('replicas: 300', 'replicas: 301') },
  ];
  return cases.flatMap(({ name, yaml, edited }) => {
    const before = snapshot(buildSim(yaml, { seed: 1 }).sim, 1);
    const after = snapshot(buildSim(edited, { seed: 1 }).sim, 2);
    const memory = toFlow(before, CLUSTER, {}).memory;
    return [
      time(`layout: cluster view, ${name}`, () => void toFlow(before, CLUSTER, {}), { runs: 20, targetMs: 150, note: 'fresh' }),
      time(`layout: cluster view after an edit, ${name}`, () => void toFlow(after, CLUSTER, {}, memory), { runs: 20, targetMs: 150, note: 'one replica added, previous layout kept' }),
      time(`layout: kernel view of node-1, ${name}`, () => void toFlow(before, { kind: 'kernel', node: 'node-1' }, {}), { runs: 10, targetMs: 150, note: 'dagre' }),
    ];
  });
};
