/**
 * Builds every machine's network from the control-plane model, in the order a cluster comes up:
 *
 *   1. the underlay (switch + router) when anything sits on it
 *   2. each node's root namespace (lo, eth0, sysctls, daemons), then the CNI plugin's node devices
 *   3. each running Pod: its namespace and the plugin's CNI ADD (hostNetwork Pods: sockets only)
 *   4. what each node learns of the others (routes, neighbours, FDB: flanneld, BIRD)
 *   5. external hosts, plain Linux Hosts and their Docker containers
 *
 * Pure given (model, rand): the same scenario and seed give the same MACs, names and indexes.
 */
import type { ClusterModel, PodModel } from '../model/cluster';
import { podKey, specKey, type ClusterHistory } from '../control/history';
import type { Diagnostic } from '../scenario/diagnostics';
import type { Rand } from '../util/rand';
import type { NodeNet } from '../cni/plugin';
import { cniOf } from '../cni/registry';
import type { BuildCtx } from '../net/context';
import { buildHosts } from '../net/host';
import { buildNodeRoot } from '../net/node';
import { buildPodNs, podListeners } from '../net/pod';
import { nodeNsId, podNsId } from '../net/ids';
import { enableIPv6, hasIPv6 } from '../net/ipv6';
import { addAddr, dropRouteIndexes, holdIfindexes } from '../net/mutate';
import type { NetNs, Network } from '../net/types';
import { buildExternalHost, buildUnderlay, type Underlay } from '../net/underlay';

/** Whether the scenario puts anything on the underlay. */
function needsUnderlay(model: ClusterModel): boolean {
  return (model.hasCluster && model.nodes.length > 0) || model.externalHosts.length > 0 || model.hosts.some((h) => h.spec.ip);
}

/**
 * The Pods in the order kubelet started them: those still running from before (`history`, its
 * order) first, then the new ones in the model's order. A Pod's devices (veth names, ifindexes,
 * MACs) depend only on what started before it on its node, so a Pod that kept running keeps them.
 */
function startOrder(model: ClusterModel, history: ClusterHistory | undefined): { order: readonly PodModel[]; kept: ReadonlySet<PodModel> } {
  if (!history || history.placements.size === 0) return { order: model.pods, kept: new Set() };
  const byKey = new Map(model.pods.map((p) => [podKey(p.meta.namespace, p.meta.name), p]));
  const out: PodModel[] = [];
  const first = new Set<PodModel>();
  for (const [key, pin] of history.placements) {
    const p = byKey.get(key);
    if (!p || p.nodeName !== pin.node || (pin.spec !== undefined && pin.spec !== specKey(p.spec))) continue;
    out.push(p); first.add(p);
  }
  for (const p of model.pods) if (!first.has(p)) out.push(p);
  return { order: out, kept: first };
}

/**
 * The indexes of the devices on each node (in the network a rebuild replaces) that led into a Pod
 * namespace no kept Pod has now: the kernel's counter has moved past them and does not hand them
 * out again straight away, so the rebuild holds them while it wires the node (net/mutate.ts
 * holdIfindexes). The kept Pods, wired in their start order, then get the indexes they had, and
 * new Pods' devices come after.
 */
function goneIndexes(before: Network | undefined, kept: ReadonlySet<PodModel>): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  if (!before) return out;
  const keptNs = new Map<string, string>();
  for (const p of kept) if (p.nodeName) keptNs.set(podNsId(p.meta.namespace, p.meta.name), nodeNsId(p.nodeName));
  for (const ns of before.namespaces.values()) {
    if (ns.owner.kind !== 'node') continue;
    for (const l of ns.links) {
      const peer = l.peer?.ns;
      if (peer === undefined || !peer.startsWith('pod/') || keptNs.get(peer) === ns.id) continue;
      let set = out.get(ns.id);
      if (!set) out.set(ns.id, (set = new Set()));
      set.add(l.ifindex);
    }
  }
  return out;
}

/** The nodes where a Pod started or went away since `history` (build/rebuild.ts sets Sim.changedNodes). */
export function changedNodes(model: ClusterModel, history: ClusterHistory): Set<string> {
  const { kept } = startOrder(model, history);
  const out = new Set<string>();
  const keptKeys = new Set<string>();
  for (const p of kept) keptKeys.add(podKey(p.meta.namespace, p.meta.name));
  for (const p of model.pods) if (p.nodeName && !kept.has(p)) out.add(p.nodeName);
  for (const [key, pin] of history.placements) if (!keptKeys.has(key)) out.add(pin.node);
  return out;
}

/**
 * A wired Pod namespace's lists copied to their length: each grew by push from empty, and V8 then
 * keeps room for 16 entries, so at L every Pod held five mostly empty arrays (~0.5 KB).
 */
function settle(ns: NetNs): void {
  ns.links = ns.links.slice();
  ns.routes = ns.routes.slice();
  ns.listeners = ns.listeners.slice();
  for (const l of ns.links) l.addrs = l.addrs.slice();
}

export function buildNetwork(model: ClusterModel, rand: Rand, diagnostics: Diagnostic[], history?: ClusterHistory, before?: Network): Network {
  const net: Network = { namespaces: new Map(), generation: 0, aliases: new Map() };
  const ctx: BuildCtx = { model, net, rand, diagnostics, salt: rand.fork('labels').int(2 ** 32), listens: new WeakMap() };
  const u: Underlay | undefined = needsUnderlay(model) ? buildUnderlay(ctx) : undefined;
  if (u && model.hasCluster && model.nodes.length > 0) {
    const pods = startOrder(model, history);
    buildCluster(ctx, u, pods.order, history ? goneIndexes(before, pods.kept) : new Map());
  }
  if (u) for (const h of model.externalHosts) buildExternalHost(ctx, u, h);
  buildHosts(ctx, u);
  if (hasIPv6(model)) enableIPv6(net, addAddr);
  dropRouteIndexes();
  return net;
}

function buildCluster(ctx: BuildCtx, u: Underlay, pods: readonly PodModel[], gone: ReadonlyMap<string, ReadonlySet<number>>): void {
  const plugin = cniOf(ctx.model.spec).datapath(ctx);
  const nodes: NodeNet[] = ctx.model.nodes.map((m) => ({ model: m, ns: buildNodeRoot(ctx, u, m) }));
  const byName = new Map(nodes.map((n) => [n.model.name, n]));
  for (const n of nodes) plugin.setupNode(ctx, u, n);
  for (const n of nodes) holdIfindexes(n.ns, gone.get(n.ns.id));
  for (const pod of pods) {
    const node = pod.nodeName ? byName.get(pod.nodeName) : undefined;
    if (!node) continue;
    if (pod.hostNetwork) {
      node.ns.listeners.push(...podListeners(ctx, pod, node.ns.listeners, pod.system));
      continue;
    }
    if (!pod.podIP) continue;
    const podNs = buildPodNs(ctx, pod, node.ns);
    plugin.addPod(ctx, node, pod, podNs);
    settle(podNs);
  }
  for (const n of nodes) holdIfindexes(n.ns, undefined);
  for (const n of nodes) plugin.connectPeers(ctx, u, n, nodes);
}
