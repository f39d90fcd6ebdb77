/** Rebuilding a live simulation from its (edited) scenario objects. */
import { reconcile } from './k8s/reconcile';
import { installRules } from './k8s/kubeproxy/install';
import { installPolicyRules } from './k8s/policy/calico';
import { buildNetwork } from './net/build';
import { iptablesRestore } from './netfilter/restore';
import type { Diagnostic } from './scenario/diagnostics';
import type { Sim } from './sim';
import { historyOf, type ClusterHistory } from './k8s/history';
import { createRand } from './util/rand';

/**
 * The control plane and the nodes catching up with edited scenario objects (`kubectl scale`,
 * `label`, `delete`): the model, the network and every node's rules are rebuilt from sim.objects
 * with the scenario's seed, so the same edits give the same Pods, addresses and rules. Running
 * Pods stay on their nodes with their addresses (`history`, by default the current model's).
 * Connections and neighbour caches start empty, as after the nodes reprogram. Returns the
 * rebuild's diagnostics.
 */
export function rebuildSim(sim: Sim, history: ClusterHistory = historyOf(sim.model, sim.history)): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (!sim.objects) return diagnostics;
  const rand = createRand(sim.seed);
  sim.history = history;
  const model = reconcile(sim.objects, rand.fork('control-plane'), diagnostics, history);
  const net = buildNetwork(model, rand.fork('network'), diagnostics);
  sim.model = model;
  (sim as { net: Sim['net'] }).net = net;
  installRules(sim, iptablesRestore);
  installPolicyRules(sim, iptablesRestore);
  return diagnostics;
}
