/**
 * Cilium's view of the cluster, as its agent keeps it in BPF maps: endpoints (one per Pod on a
 * node, with an endpoint ID and its lxc device), security identities (one number per distinct
 * label set, shared by every Pod that has it), the ipcache (address → identity) and a policy map
 * per endpoint (identity, port, protocol, direction → allow). Computed from the model and the
 * network, never stored: the same state gives the same maps.
 *
 * Policy semantics are NOT Cilium's own here: each policy-map entry is filled, the first time a
 * packet needs it, from the playground's one NetworkPolicy evaluator (src/engine/policy/), with a
 * Pod of that identity as the representative. That is what makes it "by identity": two Pods with
 * the same labels in the same namespace always get the same answer.
 */
import type { ClusterModel, NodeModel, PodModel, Protocol } from '../../model/cluster';
import { ipInCidr } from '../../addr/ip';
import { nodeNsId, podNsId } from '../../net/ids';
import type { Link, Network } from '../../net/types';
import { namespaceLabels, podSelectedBy, policyAllows, policyTypesOf } from '../../policy/evaluate';
import type { Sim } from '../../sim';
import { hashString } from '../../util/rand';
import { CILIUM_HOST, CILIUM_VXLAN, lxcName, routerIp } from './plugin';

/** Reserved identities (pkg/identity/numericidentity.go). */
export const ID_HOST = 1;
export const ID_WORLD = 2;
export const ID_HEALTH = 4;
export const ID_REMOTE_NODE = 6;
export const RESERVED_NAMES: Readonly<Record<number, string>> = { 1: 'reserved:host', 2: 'reserved:world', 4: 'reserved:health', 6: 'reserved:remote-node' };

export interface CiliumEndpoint {
  readonly pod: PodModel;
  readonly node: NodeModel;
  /** The endpoint ID (`cilium-dbg endpoint list`), unique on its node. */
  readonly id: number;
  readonly identity: number;
  readonly labels: readonly string[];
  readonly ip: string;
  readonly lxc: string;
  readonly lxcMac: string;
  readonly podMac: string;
}

export interface CiliumNodeView {
  readonly node: NodeModel;
  readonly routerIp: string;
  readonly hostMac: string;
  readonly vxlanMac: string | undefined;
}

export interface CiliumView {
  readonly endpoints: readonly CiliumEndpoint[];
  readonly byIp: ReadonlyMap<string, CiliumEndpoint>;
  /** "NODE|lxcXXX" → endpoint. */
  readonly byLxc: ReadonlyMap<string, CiliumEndpoint>;
  readonly nodes: readonly CiliumNodeView[];
  /** identity → its labels, for every identity in use. */
  readonly identities: ReadonlyMap<number, readonly string[]>;
  /** The policy maps, filled as packets need them: "EPID|dir|identity-or-cidr|port|proto" → allowed. */
  readonly policyMap: Map<string, { allowed: boolean; by: string | null }>;
}

/** The labels Cilium derives a Pod's identity from (k8s: source prefix, namespace and service account). */
export function identityLabels(model: ClusterModel, pod: PodModel): string[] {
  const ns = pod.meta.namespace;
  const out = Object.entries(pod.meta.labels).map(([k, v]) => `k8s:${k}=${v}`);
  for (const [k, v] of Object.entries(namespaceLabels(model, ns))) out.push(`k8s:io.cilium.k8s.namespace.labels.${k}=${v}`);
  out.push('k8s:io.cilium.k8s.policy.cluster=default', 'k8s:io.cilium.k8s.policy.serviceaccount=default', `k8s:io.kubernetes.pod.namespace=${ns}`);
  return out.sort();
}

/**
 * Identities for label sets: the CRD allocator picks a free number in 256..65535; here a hash of
 * the label set, probed forward on a collision, in sorted order so the same model gives the same numbers.
 */
function allocateIdentities(sets: readonly string[]): Map<string, number> {
  const used = new Set<number>();
  const out = new Map<string, number>();
  for (const key of [...new Set(sets)].sort()) {
    let id = 256 + (hashString(key) % 65280);
    while (used.has(id)) id = id >= 65535 ? 256 : id + 1;
    used.add(id);
    out.set(key, id);
  }
  return out;
}

const linkIn = (net: Network, nsId: string, name: string): Link | undefined => net.namespaces.get(nsId)?.links.find((l) => l.name === name);

const cache = new WeakMap<Network, { generation: number; model: ClusterModel; view: CiliumView }>();

export function ciliumView(sim: Sim): CiliumView {
  const hit = cache.get(sim.net);
  if (hit && hit.generation === sim.net.generation && hit.model === sim.model) return hit.view;
  const model = sim.model;
  const pods = model.pods.filter((p) => p.podIP && p.nodeName && !p.hostNetwork);
  const labelsOf = new Map(pods.map((p) => [p, identityLabels(model, p)]));
  const ids = allocateIdentities([...labelsOf.values()].map((l) => l.join(',')));
  const endpoints: CiliumEndpoint[] = [];
  const usedEp = new Map<string, Set<number>>();
  for (const pod of [...pods].sort((a, b) => `${a.meta.namespace}/${a.meta.name}`.localeCompare(`${b.meta.namespace}/${b.meta.name}`))) {
    const node = model.nodes.find((n) => n.name === pod.nodeName);
    if (!node) continue;
    const lxc = lxcName(pod.meta.namespace, pod.meta.name);
    const lxcLink = linkIn(sim.net, nodeNsId(node.name), lxc);
    const eth0 = linkIn(sim.net, podNsId(pod.meta.namespace, pod.meta.name), 'eth0');
    if (!lxcLink || !eth0) continue;
    const taken = usedEp.get(node.name) ?? new Set<number>();
    usedEp.set(node.name, taken);
    let id = 1 + (hashString(`${pod.meta.namespace}/${pod.meta.name}`) % 4095);
    while (taken.has(id)) id = id >= 4095 ? 1 : id + 1;
    taken.add(id);
    const labels = labelsOf.get(pod)!;
    endpoints.push({ pod, node, id, identity: ids.get(labels.join(','))!, labels, ip: pod.podIP!, lxc, lxcMac: lxcLink.mac, podMac: eth0.mac });
  }
  const nodes: CiliumNodeView[] = [];
  for (const node of model.nodes) {
    const r = routerIp(node.podCIDR);
    const host = linkIn(sim.net, nodeNsId(node.name), CILIUM_HOST);
    if (!r || !host) continue;
    nodes.push({ node, routerIp: r, hostMac: host.mac, vxlanMac: linkIn(sim.net, nodeNsId(node.name), CILIUM_VXLAN)?.mac });
  }
  const identities = new Map<number, readonly string[]>();
  for (const e of endpoints) identities.set(e.identity, e.labels);
  const view: CiliumView = {
    endpoints, nodes, identities, policyMap: new Map(),
    byIp: new Map(endpoints.map((e) => [e.ip, e])),
    byLxc: new Map(endpoints.map((e) => [`${e.node.name}|${e.lxc}`, e])),
  };
  cache.set(sim.net, { generation: sim.net.generation, model, view });
  return view;
}

/** The ipcache: which identity an address has, seen from `here` (the node doing the lookup). */
export function identityOf(v: CiliumView, ip: string, here: string): number {
  const ep = v.byIp.get(ip);
  if (ep) return ep.identity;
  const n = v.nodes.find((x) => x.node.ip === ip || x.routerIp === ip || x.node.extraAddresses.includes(ip));
  if (n) return n.node.name === here ? ID_HOST : ID_REMOTE_NODE;
  return ID_WORLD;
}

/** The node whose Pod CIDR holds `ip` (the ipcache's tunnel endpoint for it). */
export function nodeFor(v: CiliumView, ip: string): CiliumNodeView | undefined {
  return v.nodes.find((n) => ipInCidr(ip, n.node.podCIDR));
}

export type Direction = 'ingress' | 'egress';

/**
 * One policy-map lookup for endpoint `ep` in `dir` towards a peer: a Pod (its identity) or a bare
 * address. Filled from the NetworkPolicy evaluator on a miss.
 */
export function policyLookup(model: ClusterModel, v: CiliumView, ep: CiliumEndpoint, dir: Direction, peerIp: string, port: number, proto: Protocol): { allowed: boolean; by: string | null; key: string } {
  const peer = v.byIp.get(peerIp);
  const who = peer ? String(peer.identity) : `cidr:${peerIp}`;
  const key = `${ep.id}@${ep.node.name}|${dir}|${who}|${port}|${proto}`;
  const hit = v.policyMap.get(key);
  if (hit) return { ...hit, key };
  // The representative: the peer Pod itself (any Pod of that identity answers the same).
  const other = peer ? peer.pod : peerIp;
  const d = dir === 'egress' ? policyAllows(model, ep.pod, other, port, proto, { enforce: true }).egress : policyAllows(model, other, ep.pod, port, proto, { enforce: true }).ingress;
  const entry = { allowed: d.allowed, by: d.allowedBy };
  v.policyMap.set(key, entry);
  return { ...entry, key };
}

/** Whether any NetworkPolicy selects the endpoint for `dir` (the POLICY ENFORCEMENT columns). */
export function enforced(model: ClusterModel, pod: PodModel, dir: Direction): boolean {
  return model.networkPolicies.some((p) => podSelectedBy(p, pod) && policyTypesOf(p)[dir]);
}
