/**
 * `npm run fuzz [-- --count N] [--seed S] [--scale K] [--only scenarios|commands|links] [--path P]`
 *
 * Runs the property-based fuzzers longer than CI does (test/fuzz/fuzz.test.ts). N is the total
 * number of generated inputs, split like CI's (10% scenarios, 75% command lines, 15% links);
 * K sizes the hostile scenarios (K=100: 10,000 documents, 5 MB values). A failure prints the
 * shrunk input and the seed and path that replay it. Exit status 1 on any failure.
 */
import { formatReport, fuzzCommands, fuzzLinks, fuzzScenarios, type FuzzOptions, type SurfaceReport } from '../test/fuzz/run';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const count = Number(arg('count') ?? 100_000);
const seed = Number(arg('seed') ?? Date.now() % 2 ** 31);
const scale = Number(arg('scale') ?? 10);
const only = arg('only');
const path = arg('path');
if (!Number.isFinite(count) || !Number.isFinite(seed) || !Number.isFinite(scale)) {
  console.error('usage: npm run fuzz -- [--count N] [--seed S] [--scale K] [--only scenarios|commands|links] [--path P]');
  process.exit(2);
}
const o: FuzzOptions = { seed, scale, scenarios: Math.max(1, Math.round(count * 0.1)), commands: Math.round(count * 0.75), links: Math.round(count * 0.15), ...(path ? { path } : {}) };

const reports: SurfaceReport[] = [];
if (!only || only === 'scenarios') reports.push(fuzzScenarios(o));
if (!only || only === 'commands') reports.push(fuzzCommands(o));
if (!only || only === 'links') reports.push(await fuzzLinks(o));
console.log(formatReport(reports, o));
process.exit(reports.some((r) => r.failure) ? 1 : 0);
