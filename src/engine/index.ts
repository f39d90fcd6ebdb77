/**
 * The engine's front door: scenario text in, a live simulation out. Pure: no DOM, no I/O, no
 * ambient time or randomness (the seed is the only source of choice).
 */
import type { Sim } from './sim';
import { sortDiagnostics, type Diagnostic } from './scenario/diagnostics';
import { loadScenario } from './scenario/load';
import { expandVariables } from './scenario/variables';
import { createRand } from './util/rand';
import { netfilterEngine } from './netfilter/engine';
import { ChainCache } from './netfilter/restore';
import { INGRESS_NGINX_ROLE, ingressNginxProxy } from './agents/ingress/proxy';
import { corednsAnswerer } from './agents/coredns/answer';
import { stubResolver } from './clients/dns/resolve';
import { buildCluster, installNodeRules } from './build/pipeline';
import { editHistory } from './build/rebuild';
import { changedNodes } from './build/network';
import { challengeDiagnostics, runChallengeSetup } from './goals/challenge';

export interface BuildOptions {
  readonly file?: string;
  readonly seed?: number;
  /**
   * The simulation this build replaces (the worker's previous Sim after an edit): what it parsed and
   * generated (kube-proxy's per-Service blocks, each distinct iptables-restore text's parsed tables)
   * is reused where the new scenario produces the same, so an edit costs what changed. The result
   * equals a cold build of the same text and seed.
   */
  readonly previous?: Sim;
  /**
   * Apply the edit to `previous`'s running cluster instead (build/rebuild.ts `editHistory`), as
   * `kubectl apply` of the edited objects would: when the Cluster document and the seed are the
   * same, Pods that survive with the same spec keep their node, address and devices, and new Pods
   * are scheduled beside them. The result then depends on the history, not only on the text and
   * seed (a cold build may place the new Pods elsewhere), so the worker does not use it: the same
   * YAML and seed must give the same cluster wherever it is opened.
   */
  readonly keepRunning?: boolean;
}

export const DEFAULT_SEED = 1;

export interface BuildResult {
  readonly sim: Sim;
  readonly diagnostics: readonly Diagnostic[];
}

/** Never throws on user input: problems come back as diagnostics and the valid parts still build. */
export function buildSim(text: string, opts: BuildOptions = {}): BuildResult {
  const file = opts.file ?? 'scenario.yaml';
  const seed = opts.seed ?? DEFAULT_SEED;
  // A Challenge's ${VARIABLES} are drawn from the seed before anything is read.
  const expanded = expandVariables(file, text, seed);
  const { objects, diagnostics } = loadScenario(file, expanded.text);
  diagnostics.push(...expanded.diagnostics, ...challengeDiagnostics(objects));
  const history = opts.previous && opts.keepRunning ? editHistory(opts.previous, objects, seed) : undefined;
  const { model, net } = buildCluster(objects, seed, file, diagnostics, history, history ? opts.previous?.net : undefined);
  const ds: Diagnostic[] = [];
  const caches = opts.previous?.caches ?? { chains: new ChainCache() };
  const sim: Sim = { file, seed, model, net, diagnostics: ds, rand: createRand(seed).fork('runtime'), netfilter: netfilterEngine, apps: new Map([[INGRESS_NGINX_ROLE, ingressNginxProxy]]), dns: corednsAnswerer, resolver: stubResolver, now: 0, objects, caches, ...(history ? { history, changedNodes: changedNodes(model, history) } : {}) };
  // A machine whose rules did not load is reported before any packet (iptables-restore-failed).
  diagnostics.push(...installNodeRules(sim));
  // A Challenge's setup commands break what the learner is asked to mend.
  diagnostics.push(...runChallengeSetup(sim, objects));
  ds.push(...sortDiagnostics(diagnostics));
  return { sim, diagnostics: ds };
}

export { rebuildSim } from './build/rebuild';
export type { Sim } from './sim';
export type { Diagnostic } from './scenario/diagnostics';
export { formatDiagnostic, hasErrors } from './scenario/diagnostics';
export { runLine, runArgv } from './shell/run';
export { parseTarget, formatTarget, type Target, type CommandResult } from './shell/types';
export { walk, type WalkRequest } from './stack/walk';
export { evaluateGoal, evaluateGoals, type GoalResult, type GoalContext } from './goals/evaluate';
export { gradeChallenge, challengeGoals } from './goals/challenge';
export type { Trace, TraceEvent, Verdict } from './trace/types';
export { nsForTarget, nsForRef, ownerRef } from './net/lookup';
export { installRules } from './agents/kubeproxy/install';
export { buildNodeRuleset, buildHostRuleset } from './agents/hostrules';
export { ipvsSchedule, ipvsCommit, ipvsReverse } from './ipvs/ipvs';
export { decodeFile, decodeLink, encodeFile, encodeFragment, encodeLink, hasLink, LINK_VERSION, MAX_FRAGMENT, type Decoded, type JournalEntry, type LinkErrorCode, type SharedState } from './share/link';
export { formatJournal, parseJournal, replayJournal } from './share/journal';
export { compareSims, diffLines, formatCompare, type CompareResult, type CompareSection, type DiffLine, type ReachChange } from './share/compare';
export { settingsOf, withSetting, type Setting, type SettingId } from './share/variants';
