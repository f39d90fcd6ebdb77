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
    const devs = new Set<string>();
    for (const l of ns.links) devs.add(l.name);
    if (was.neigh.length) {
      // Keyed look-ups, not a scan of the namespace's list per entry: a node's neighbour table
      // and its veths grow with its Pods.
      const have = new Set<string>();
      for (const n of ns.neigh) have.add(`${n.ip}|${n.dev}`);
      for (const e of was.neigh) {
        const key = `${e.ip}|${e.dev}`;
        if (!devs.has(e.dev) || have.has(key)) continue;
        if (e.mac && macOfIp.get(e.ip) !== e.mac) continue;
        ns.neigh.push({ ...e });
        have.add(key);
      }
    }
    let bridgesBefore: Map<string, (typeof was.links)[number]> | undefined;
    for (const l of ns.links) {
      if (!l.fdb || l.kind !== 'bridge') continue;
      if (!bridgesBefore) {
        bridgesBefore = new Map();
        for (const x of was.links) if (x.kind === 'bridge' && !bridgesBefore.has(x.name)) bridgesBefore.set(x.name, x);
      }
      const before = bridgesBefore.get(l.name);
      if (!before?.fdb) continue;
      const known = new Set<string>();
      for (const x of l.fdb) known.add(x.mac);
      for (const f of before.fdb) {
        if (f.permanent || f.local || !devs.has(f.dev) || !macs.has(f.mac) || known.has(f.mac)) continue;
        l.fdb.push({ ...f });
        known.add(f.mac);
      }
    }
  }
}
