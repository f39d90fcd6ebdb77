/** Rebuilding a live simulation from its (edited) scenario objects. */
import { sortDiagnostics, type Diagnostic } from '../scenario/diagnostics';
import type { Sim } from '../sim';
import type { Network } from '../net/types';
import { historyOf, type ClusterHistory } from '../control/history';
import type { ScenarioObjects } from '../scenario/load';
import { changedNodes } from './network';
import { buildCluster, installNodeRules } from './pipeline';

/**
 * What an edited scenario's build keeps of the simulation it replaces (the worker's previous Sim):
 * when the edit leaves the cluster itself alone (the same Cluster document and seed), it is a
 * change applied to that running cluster, as `kubectl apply` would make it — Pods that survive
 * with the same spec keep their node, address and devices, and only new or changed Pods are
 * scheduled. Another cluster (a scenario switched in the gallery, a changed node list or CIDR)
 * starts cold. Undefined = build cold.
 */
export function editHistory(previous: Sim, objects: ScenarioObjects, seed: number): ClusterHistory | undefined {
  if (previous.seed !== seed || !previous.objects) return undefined;
  if (JSON.stringify(previous.objects.cluster?.obj ?? null) !== JSON.stringify(objects.cluster?.obj ?? null)) return undefined;
  const h = historyOf(previous.model, previous.history);
  return { placements: h.placements, deleted: h.deleted, released: h.released };
}

/**
 * The control plane and the nodes catching up with edited scenario objects (`kubectl scale`,
 * `label`, `delete`): the model, the network and every node's rules are rebuilt from sim.objects
 * with the scenario's seed, so the same edits give the same Pods, addresses and rules. Running
 * Pods stay on their nodes with their addresses (`history`, by default the current model's).
 * What the kernels learned while traffic ran stays where it still holds (carryOver): conntrack
 * entries, neighbour entries and bridge FDB entries of namespaces that survive. Changes typed
 * in the terminal (rules, routes) start over. Returns the rebuild's diagnostics, the same
 * ones a first build of the edited objects reports (build/pipeline.ts).
 */
export function rebuildSim(sim: Sim, history: ClusterHistory = historyOf(sim.model, sim.history)): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (!sim.objects) return diagnostics;
  history = { ...history, now: (sim.model.ageBase ?? 0) + Math.floor(sim.now / 1000) };
  sim.history = history;
  const { model, net } = buildCluster(sim.objects, sim.seed, sim.file, diagnostics, history, sim.net);
  carryOver(sim.net, net);
  sim.changedNodes = changedNodes(model, history);
  sim.model = model;
  (sim as { net: Sim['net'] }).net = net;
  diagnostics.push(...installNodeRules(sim));
  return sortDiagnostics(diagnostics);
}

/**
 * Learned kernel state that outlives a control-plane change, as it does on a real node: kube-proxy
 * and the CNI rewrite rules and routes, but the connection tracker, the neighbour tables and the
 * bridges' learned MACs stay. Neighbour and FDB entries move only where their address still
 * belongs to the same MAC (a deleted Pod's entries go with it, as the kernel's garbage collector
 * would drop them once they fail).
 */
function carryOver(old: Network, next: Network): void {
  const macOfIp = new Map<string, string>();
  const macs = new Set<string>();
  for (const ns of next.namespaces.values()) {
    for (const l of ns.links) {
      macs.add(l.mac);
      for (const a of l.addrs) macOfIp.set(a.address, l.mac);
    }
  }
  for (const [id, ns] of next.namespaces) {
    const was = old.namespaces.get(id);
    if (!was) continue;
    if (was.conntrack && was.conntrack.entries.size) ns.conntrack = was.conntrack;
    const devs = new Set(ns.links.map((l) => l.name));
    for (const e of was.neigh) {
      if (!devs.has(e.dev) || ns.neigh.some((n) => n.ip === e.ip && n.dev === e.dev)) continue;
      if (e.mac && macOfIp.get(e.ip) !== e.mac) continue;
      ns.neigh.push({ ...e });
    }
    for (const l of ns.links) {
      const before = was.links.find((x) => x.name === l.name && x.kind === l.kind);
      if (!before?.fdb || !l.fdb || l.kind !== 'bridge') continue;
      for (const f of before.fdb) {
        if (f.permanent || f.local || !devs.has(f.dev) || !macs.has(f.mac) || l.fdb.some((x) => x.mac === f.mac)) continue;
        l.fdb.push({ ...f });
      }
    }
  }
}
