/**
 * The engine's front door: scenario text in, a live simulation out. Pure: no DOM, no I/O, no
 * ambient time or randomness (the seed is the only source of choice).
 */
import { reconcile } from './k8s/reconcile';
import { buildNetwork } from './net/build';
import type { Sim } from './sim';
import { sortDiagnostics, type Diagnostic } from './scenario/diagnostics';
import { loadScenario } from './scenario/load';
import { createRand } from './util/rand';
import { netfilterEngine } from './netfilter/engine';
import { policyDiagnostics } from './k8s/policy/diagnostics';
import { iptablesRestore } from './netfilter/restore';
import { installRules } from './k8s/kubeproxy/install';
import { installPolicyRules } from './k8s/policy/calico';
import { dnsDiagnostics } from './k8s/dns/diagnostics';
import { INGRESS_NGINX_ROLE, ingressNginxProxy } from './k8s/ingress/proxy';

export interface BuildOptions {
  readonly file?: string;
  readonly seed?: number;
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
  const rand = createRand(seed);
  const { objects, diagnostics } = loadScenario(file, text);
  const model = reconcile(objects, rand.fork('control-plane'), diagnostics);
  diagnostics.push(...policyDiagnostics(model, file), ...dnsDiagnostics(model, file));
  const net = buildNetwork(model, rand.fork('network'), diagnostics);
  const ds = sortDiagnostics(diagnostics);
  const sim: Sim = { file, seed, model, net, diagnostics: ds, rand: rand.fork('runtime'), netfilter: netfilterEngine, apps: new Map([[INGRESS_NGINX_ROLE, ingressNginxProxy]]), now: 0, objects };
  // kubelet, kube-proxy, the CNI plugins and dockerd write their rules; in IPVS mode also the
  // IPVS table, the ipsets and kube-ipvs0.
  installRules(sim, iptablesRestore);
  // NetworkPolicy as the CNI's policy agent writes it (calico, canal), after kube-proxy's rules.
  installPolicyRules(sim, iptablesRestore);
  return { sim, diagnostics: ds };
}

export { rebuildSim } from './rebuild';
export type { Sim } from './sim';
export type { Diagnostic } from './scenario/diagnostics';
export { formatDiagnostic, hasErrors } from './scenario/diagnostics';
export { runLine, runArgv } from './shell/run';
export { parseTarget, formatTarget, type Target, type CommandResult } from './shell/types';
export { walk, type WalkRequest } from './stack/walk';
export type { Trace, TraceEvent, Verdict } from './trace/types';
export { nsForTarget, nsForRef, ownerRef } from './net/lookup';
export { installRules } from './k8s/kubeproxy/install';
export { buildNodeRuleset, buildHostRuleset } from './k8s/hostrules/node';
export { ipvsSchedule, ipvsCommit, ipvsReverse } from './k8s/kubeproxy/ipvs';
export { decodeFile, decodeLink, encodeFile, encodeFragment, encodeLink, hasLink, LINK_VERSION, MAX_FRAGMENT, type Decoded, type JournalEntry, type LinkErrorCode, type SharedState } from './share/link';
export { formatJournal, parseJournal, replayJournal } from './share/journal';
export { compareSims, diffLines, formatCompare, type CompareResult, type CompareSection, type DiffLine, type ReachChange } from './share/compare';
