/**
 * The endpoints controllers. For a Service with a selector, the Endpoints controller and the
 * EndpointSlice controller list the Pods it selects and write their addresses:
 *
 *   Endpoints      ready Pods in `addresses`, the others in `notReadyAddresses`; terminating
 *                  Pods are dropped (unless publishNotReadyAddresses).
 *   EndpointSlice  every Pod with an IP, with conditions ready / serving / terminating, so
 *                  kube-proxy can fall back to serving-terminating endpoints.
 *
 * A named targetPort is resolved per Pod, so Pods that number the port differently end up in
 * different subsets / slices. Services without a selector keep the Endpoints the user wrote;
 * the mirroring controller copies them into EndpointSlices.
 */
import { parseIPv4 } from '../addr/ip';
import { parseIPv6 } from '../addr/ip6';
import { ipFamily } from '../addr/family';
import type { EndpointModel, EndpointSliceModel, EndpointsModel, Meta, NodeModel, PodModel, Protocol, ServiceModel } from '../model/cluster';
import type { Rand } from '../util/rand';
import { resolveTargetPort } from './ports';
import { randomSuffix } from './names';
import { matchesMap } from './selector';

type Addr = { ip: string; hostname?: string; nodeName?: string; targetRef?: string };
type Port = { name: string; port: number; protocol: Protocol };

const ipNum = (s: string): number => parseIPv4(s) ?? 0;
/** Address order within a family (numeric, as the controllers sort them). */
const ipCmp = (a: string, b: string): number => {
  if (!a.includes(':') && !b.includes(':')) return ipNum(a) - ipNum(b);
  const x = parseIPv6(a) ?? 0n, y = parseIPv6(b) ?? 0n;
  return x < y ? -1 : x > y ? 1 : 0;
};

type AddressFamily = 'IPv4' | 'IPv6';

/** The families a Service's endpoints are kept for: spec.ipFamilies (absent on an IPv4-only cluster: IPv4). */
export function serviceFamilies(svc: ServiceModel): readonly AddressFamily[] {
  return svc.ipFamilies && svc.ipFamilies.length ? svc.ipFamilies : ['IPv4'];
}

/** The Pod's address of one family: from status.podIPs when the cluster has IPv6, else podIP. */
export function podIPOf(pod: PodModel, family: AddressFamily): string | null {
  if (pod.podIP === null) return null;
  if (!pod.podIPs) return family === 'IPv4' ? pod.podIP : null;
  return pod.podIPs.find((ip) => (ipFamily(ip) === 6) === (family === 'IPv6')) ?? null;
}
const portsKey = (ps: readonly Port[]): string => ps.map((p) => `${p.name}/${p.port}/${p.protocol}`).join(',');

const selection = new WeakMap<ServiceModel, { pods: readonly PodModel[]; selected: PodModel[] }>();

/** A Pod list by namespace, and within it by label pair ("key=value"), in list order. */
interface PodIndex {
  readonly byNamespace: Map<string, { readonly all: PodModel[]; readonly byLabel: Map<string, PodModel[]> }>;
}

const indexes = new WeakMap<readonly PodModel[], PodIndex>();

/** The index of a Pod list, built once per list (the model's lists are never changed in place). */
function podIndex(pods: readonly PodModel[]): PodIndex {
  let idx = indexes.get(pods);
  if (idx) return idx;
  idx = { byNamespace: new Map() };
  for (const p of pods) {
    let ns = idx.byNamespace.get(p.meta.namespace);
    if (!ns) { ns = { all: [], byLabel: new Map() }; idx.byNamespace.set(p.meta.namespace, ns); }
    ns.all.push(p);
    for (const k in p.meta.labels) {
      if (!Object.prototype.hasOwnProperty.call(p.meta.labels, k)) continue;
      const key = `${k}=${p.meta.labels[k]}`;
      const list = ns.byLabel.get(key);
      if (list) list.push(p); else ns.byLabel.set(key, [p]);
    }
  }
  indexes.set(pods, idx);
  return idx;
}

/**
 * The Pods of `pods` in `namespace` whose labels hold every pair of `selector`, in list order:
 * the pair with the fewest Pods is looked up in the index, then the others are checked.
 */
export function podsMatching(pods: readonly PodModel[], namespace: string, selector: Readonly<Record<string, string>>): PodModel[] {
  const ns = podIndex(pods).byNamespace.get(namespace);
  if (!ns) return [];
  let best: readonly PodModel[] = ns.all;
  for (const k in selector) {
    if (!Object.prototype.hasOwnProperty.call(selector, k)) continue;
    const list = ns.byLabel.get(`${k}=${selector[k]}`);
    if (!list) return [];
    if (list.length < best.length) best = list;
  }
  return best.filter((p) => matchesMap(p.meta.labels, selector));
}

/** The Pods a Service selects (same namespace, every selector pair matches). Memoized per Pod list. */
export function selectedPods(svc: ServiceModel, pods: readonly PodModel[]): PodModel[] {
  if (!svc.selector) return [];
  const hit = selection.get(svc);
  if (hit && hit.pods === pods) return hit.selected;
  const selected = podsMatching(pods, svc.meta.namespace, svc.selector);
  selection.set(svc, { pods, selected });
  return selected;
}

/** The Pod's DNS hostname inside this Service: set when the Pod's subdomain names the Service. */
function hostnameIn(svc: ServiceModel, pod: PodModel): string | undefined {
  return pod.subdomain === svc.meta.name && pod.hostname ? pod.hostname : undefined;
}

/** Per Pod, the ports this Service reaches it on (ports whose targetPort the Pod cannot resolve are left out). */
function podPortsFor(svc: ServiceModel, pod: PodModel): Port[] {
  const out: Port[] = [];
  for (const sp of svc.ports) {
    const n = resolveTargetPort(pod, sp);
    if (n !== null) out.push({ name: sp.name, port: n, protocol: sp.protocol });
  }
  return out;
}

function eligible(pod: PodModel): boolean {
  return pod.podIP !== null && pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

export function computeEndpoints(svc: ServiceModel, pods: readonly PodModel[], meta: Meta): EndpointsModel {
  const groups = new Map<string, { ports: Port[]; addresses: Addr[]; notReadyAddresses: Addr[] }>();
  // The Endpoints controller keeps the primary family only (spec.ipFamilies[0]).
  const family = serviceFamilies(svc)[0]!;
  for (const pod of selectedPods(svc, pods)) {
    if (!eligible(pod)) continue;
    if (pod.terminating && !svc.publishNotReadyAddresses) continue;
    const ip = podIPOf(pod, family);
    if (ip === null) continue;
    const ports = podPortsFor(svc, pod);
    if (svc.ports.length > 0 && ports.length === 0) continue;
    const key = portsKey(ports);
    const g = groups.get(key) ?? { ports, addresses: [], notReadyAddresses: [] };
    groups.set(key, g);
    const hostname = hostnameIn(svc, pod);
    const addr: Addr = { ip, ...(hostname ? { hostname } : {}), ...(pod.nodeName ? { nodeName: pod.nodeName } : {}), targetRef: `pod/${pod.meta.namespace}/${pod.meta.name}` };
    if (pod.ready || svc.publishNotReadyAddresses) g.addresses.push(addr); else g.notReadyAddresses.push(addr);
  }
  const subsets = [...groups.values()].map((g) => ({
    addresses: g.addresses.sort((a, b) => ipCmp(a.ip, b.ip)),
    notReadyAddresses: g.notReadyAddresses.sort((a, b) => ipCmp(a.ip, b.ip)),
    ports: g.ports,
  })).sort((a, b) => portsKey(a.ports).localeCompare(portsKey(b.ports)));
  return { meta, subsets };
}

const zoneMaps = new WeakMap<readonly NodeModel[], ReadonlyMap<string, string | undefined>>();
/** Each node's topology.kubernetes.io/zone, once per node list (the model's lists are never changed in place). */
function zones(nodes: readonly NodeModel[]): ReadonlyMap<string, string | undefined> {
  let m = zoneMaps.get(nodes);
  if (!m) { m = new Map(nodes.map((n) => [n.name, n.labels['topology.kubernetes.io/zone']])); zoneMaps.set(nodes, m); }
  return m;
}

/**
 * The EndpointSlice controller: for each of the Service's families (spec.ipFamilies, in order)
 * its own slices with that addressType, holding the Pods' addresses of that family (a Pod
 * without one is left out), as upstream's reconciler does per address type.
 */
export function computeSlices(svc: ServiceModel, pods: readonly PodModel[], nodes: readonly NodeModel[], mkMeta: (name: string, labels: Record<string, string>) => Meta, rand: Rand): EndpointSliceModel[] {
  const zoneOf = zones(nodes);
  const r = rand.fork(`endpointslice/${svc.meta.namespace}/${svc.meta.name}`);
  const labels = { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io', 'kubernetes.io/service-name': svc.meta.name, ...svc.meta.labels };
  const out: EndpointSliceModel[] = [];
  for (const family of serviceFamilies(svc)) {
    const groups = new Map<string, { ports: Port[]; endpoints: EndpointModel[] }>();
    for (const pod of selectedPods(svc, pods)) {
      if (!eligible(pod)) continue;
      const ip = podIPOf(pod, family);
      if (ip === null) continue;
      const ports = podPortsFor(svc, pod);
      if (svc.ports.length > 0 && ports.length === 0) continue;
      const key = portsKey(ports);
      const g = groups.get(key) ?? { ports, endpoints: [] };
      groups.set(key, g);
      const hostname = hostnameIn(svc, pod);
      const zone = pod.nodeName ? zoneOf.get(pod.nodeName) : undefined;
      g.endpoints.push({
        addresses: [ip],
        ready: svc.publishNotReadyAddresses || (pod.ready && !pod.terminating),
        serving: svc.publishNotReadyAddresses || pod.ready,
        terminating: pod.terminating,
        ...(hostname ? { hostname } : {}),
        ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
        ...(zone ? { zone } : {}),
        targetRef: `pod/${pod.meta.namespace}/${pod.meta.name}`,
      });
    }
    if (groups.size === 0) groups.set('', { ports: [], endpoints: [] });
    for (const g of [...groups.values()].sort((a, b) => portsKey(a.ports).localeCompare(portsKey(b.ports)))) {
      out.push({
        meta: mkMeta(`${svc.meta.name}-${randomSuffix(r)}`, labels),
        serviceName: svc.meta.name, addressType: family,
        endpoints: g.endpoints.sort((a, b) => ipCmp(a.addresses[0]!, b.addresses[0]!)),
        ports: g.ports, managedByUser: false,
      });
    }
  }
  return out;
}

/** endpointslicemirroring: a user's Endpoints for a selectorless Service, as EndpointSlices. */
export function mirrorSlices(ep: EndpointsModel, mkMeta: (name: string, labels: Record<string, string>) => Meta, rand: Rand): EndpointSliceModel[] {
  const r = rand.fork(`endpointslice-mirror/${ep.meta.namespace}/${ep.meta.name}`);
  const labels = { 'endpointslice.kubernetes.io/managed-by': 'endpointslicemirroring-controller.k8s.io', 'kubernetes.io/service-name': ep.meta.name };
  // One slice per subset and family (the mirroring controller splits a subset's addresses by family).
  return ep.subsets.flatMap((s) => {
    const all = [...s.addresses.map((a) => endpointOf(a, true)), ...s.notReadyAddresses.map((a) => endpointOf(a, false))];
    const v6 = all.filter((e) => ipFamily(e.addresses[0]!) === 6);
    const v4 = all.filter((e) => ipFamily(e.addresses[0]!) !== 6);
    const parts: [AddressFamily, EndpointModel[]][] = v6.length === 0 ? [['IPv4', v4]] : v4.length === 0 ? [['IPv6', v6]] : [['IPv4', v4], ['IPv6', v6]];
    return parts.map(([addressType, endpoints]) => ({
      meta: mkMeta(`${ep.meta.name}-${randomSuffix(r)}`, labels),
      serviceName: ep.meta.name, addressType,
      endpoints,
      ports: s.ports, managedByUser: true,
    }));
  });
}

function endpointOf(a: Addr, ready: boolean): EndpointModel {
  return {
    addresses: [a.ip], ready, serving: ready, terminating: false,
    ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}), ...(a.targetRef ? { targetRef: a.targetRef } : {}),
  };
}
