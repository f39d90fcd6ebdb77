/**
 * The story goldens' cases: every trace golden case (test/golden/trace/cases.ts, the one table)
 * and the default playground's Send.
 */
import { readFileSync } from 'node:fs';
import { buildSim } from '../../../src/engine/index';
import { walk } from '../../../src/engine/stack/walk';
import type { Trace } from '../../../src/engine/trace/types';
import { TRACE_CASES as GOLDEN_TRACES } from '../trace/cases';

export interface StoryCase {
  readonly name: string;
  readonly trace: () => Trace;
}

/** The default playground's Send: the probe client → my-nginx by name (DNS, then HTTP to the ClusterIP). */
export const DEFAULT_SCENARIO = new URL('../../../content/scenarios/default.yaml', import.meta.url);
export const defaultSend = (seed = 1): Trace => {
  const sim = buildSim(readFileSync(DEFAULT_SCENARIO, 'utf8'), { seed }).sim;
  return walk(sim, { from: 'pod/default/client', to: 'http://my-nginx.default.svc.cluster.local/' });
};

export const TRACE_CASES: readonly StoryCase[] = [...GOLDEN_TRACES, { name: 'default-service-http', trace: () => defaultSend() }];
