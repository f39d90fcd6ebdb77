/**
 * The one build pipeline, shared by the first build (buildSim) and every rebuild after kubectl's
 * edits (rebuildSim):
 *
 *   objects ─► control plane (reconcile) ─► its diagnostics (policy, DNS) ─► network (CNI)
 *           ─► Sim ─► every node's rules (kubelet, kube-proxy, the plugin, dockerd) ─► the plugin's policy rules
 *
 * Each stage draws from its own fork of the seed, so the same objects and seed give the same
 * model, addresses and MACs whichever entry point runs it.
 */
import { dnsDiagnostics } from '../agents/coredns/diagnostics';
import { installRules } from '../agents/kubeproxy/install';
import { restoreDiagnostics } from '../agents/restoreFailures';
import { cniOf } from '../cni/registry';
import type { ClusterHistory } from '../control/history';
import { policyDiagnostics } from '../control/policy/diagnostics';
import { reconcile } from '../control/reconcile';
import type { ClusterModel } from '../model/cluster';
import type { Network } from '../net/types';
import { ChainCache, ip6tablesRestorePieces, iptablesRestore, iptablesRestorePieces } from '../netfilter/restore';
import type { Diagnostic } from '../scenario/diagnostics';
import type { ScenarioObjects } from '../scenario/load';
import type { Sim, SimCaches } from '../sim';
import { createRand } from '../util/rand';
import { buildNetwork } from './network';

export interface ClusterState {
  readonly model: ClusterModel;
  readonly net: Network;
}

/**
 * The control plane and the machines for `objects`; problems are appended to `diagnostics`. A
 * rebuild passes the `history` of the running cluster and the network it replaces (`before`):
 * running Pods keep their node, address and devices.
 */
export function buildCluster(objects: ScenarioObjects, seed: number, file: string, diagnostics: Diagnostic[], history?: ClusterHistory, before?: Network): ClusterState {
  const rand = createRand(seed);
  const model = reconcile(objects, rand.fork('control-plane'), diagnostics, history);
  diagnostics.push(...policyDiagnostics(model, file), ...dnsDiagnostics(model, file));
  const net = buildNetwork(model, rand.fork('network'), diagnostics, history, before);
  return { model, net };
}

/** The IPv6 restores' chain cache, beside the Sim's IPv4 one (so it survives rebuilds with it). */
const chains6 = new WeakMap<SimCaches, ChainCache>();

/**
 * Every node's rules, in the order a node comes up (first the plugin's programs and user-space
 * tunnel processes are registered on the Sim): kubelet, kube-proxy, the CNI plugin and
 * dockerd write theirs (in IPVS mode also the IPVS table, the ipsets and kube-ipvs0); then the
 * plugin's NetworkPolicy rules (calico, canal) go in after kube-proxy's. Returns a diagnostic
 * per machine whose rules did not load.
 */
export function installNodeRules(sim: Sim): Diagnostic[] {
  // The programs the plugin's daemon attaches to devices and sockets (stack/hooks.ts).
  const programs = cniOf(sim.model.spec).programs;
  if (programs) sim.programs = programs;
  else delete sim.programs;
  // Its daemons that tunnel in user space through a TUN or a packet socket (stack/userspace.ts).
  const userspace = cniOf(sim.model.spec).userspace;
  if (userspace) sim.userspace = userspace;
  else delete sim.userspace;
  const caches = (sim.caches ??= { chains: new ChainCache() });
  const chains = caches.chains;
  let v6 = chains6.get(caches);
  if (!v6) { v6 = new ChainCache(); chains6.set(caches, v6); }
  const six = v6;
  // A node's daemons' full restore, read from their pieces: pieces and chains another node (or
  // the build before) already read are shared, so an unchanged node costs a lookup per piece.
  // Every line is read and checked now; each node's tables are made when first read.
  installRules(sim, { pieces: (ns, pieces) => iptablesRestorePieces(ns, pieces, chains), pieces6: (ns, pieces) => ip6tablesRestorePieces(ns, pieces, six) });
  cniOf(sim.model.spec).installPolicy(sim, iptablesRestore);
  chains.sweep();
  six.sweep();
  // A restore that failed is never silent: the learner sees it before any packet.
  return restoreDiagnostics(sim.model, sim.net, sim.file);
}
