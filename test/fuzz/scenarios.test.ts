/**
 * CI's share of the scenarios fuzzer (test/fuzz/harness.ts): 300 generated inputs from a fixed seed
 * (FUZZ_SEED overrides it). A failure prints the shrunk input and how to replay it.
 * `npm run fuzz` runs the same properties longer.
 */
import { expect, it } from 'vitest';
import { formatReport, fuzzScenarios, type FuzzOptions } from './run';

const o: FuzzOptions = { seed: Number(process.env.FUZZ_SEED ?? 20), scale: 1, scenarios: 300, commands: 17_700, links: 2_000 };

it('scenarios: 300 hostile inputs, no exception, bounded time, usable afterwards', async () => {
  const r = fuzzScenarios(o);
  console.log(formatReport([r], o));
  expect(r.failure, formatReport([r], o)).toBeUndefined();
  expect(r.inputs).toBeGreaterThanOrEqual(300);
}, 300_000);
