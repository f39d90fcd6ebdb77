/**
 * What kube-proxy sees of the API: one ServicePort per (Service, port) with a ClusterIP, and
 * the endpoints of that port gathered from every EndpointSlice of the Service, the way
 * pkg/proxy's ServiceChangeTracker and EndpointSliceCache present them to the proxiers.
 *
 * A named targetPort needs no work here: the EndpointSlice controller has already resolved it
 * per Pod, and the slices carry the numeric port for the port name (kube-proxy only reads slices).
 */
import { formatPrefix, isIp, parsePrefix } from '../../addr/ip';
import { formatAnyCidr, ipFamily, parseAnyCidr } from '../../addr/family';
import type { ClusterModel, EndpointSliceModel, Protocol, ServiceModel, ServicePortModel } from '../../model/cluster';
import { servicePortName } from './names';

export interface ProxyEndpoint {
  readonly ip: string;
  readonly port: number;
  /** "ip:port", BaseEndpointInfo.String(). */
  readonly str: string;
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly nodeName: string | undefined;
}

export interface ServicePortInfo {
  readonly service: ServiceModel;
  readonly port: ServicePortModel;
  /** "ns/name:port" (ServicePortName.String()). */
  readonly name: string;
  readonly protocol: Protocol;
  readonly clusterIP: string;
  readonly externalIPs: readonly string[];
  readonly loadBalancerVIPs: readonly string[];
  /** Normalized CIDRs (whitespace trimmed, host bits cleared as net.ParseCIDR does). */
  readonly loadBalancerSourceRanges: readonly string[];
  readonly nodePort: number;
  readonly healthCheckNodePort: number;
  readonly internalPolicyLocal: boolean;
  readonly externalPolicyLocal: boolean;
  readonly sessionAffinityClientIP: boolean;
  readonly stickyMaxAgeSeconds: number;
  /** All endpoints of this port, sorted by "ip:port" (the EndpointSliceCache order). */
  readonly endpoints: readonly ProxyEndpoint[];
}

export function externallyAccessible(s: ServicePortInfo): boolean {
  return s.nodePort !== 0 || s.loadBalancerVIPs.length > 0 || s.externalIPs.length > 0;
}
export function usesClusterEndpoints(s: ServicePortInfo): boolean {
  return !s.internalPolicyLocal || (externallyAccessible(s) && !s.externalPolicyLocal);
}
export function usesLocalEndpoints(s: ServicePortInfo): boolean {
  return s.internalPolicyLocal || (externallyAccessible(s) && s.externalPolicyLocal);
}

/** The slices of one family (IPv4 unless told) by namespace, then by Service name (no key strings built). */
export type SlicesIndex = Map<string, Map<string, EndpointSliceModel[]>>;

export function slicesByService(model: ClusterModel, family: 'IPv4' | 'IPv6' = 'IPv4'): SlicesIndex {
  const m: SlicesIndex = new Map();
  for (const s of model.endpointSlices) {
    if (s.addressType !== family) continue;
    let ns = m.get(s.meta.namespace);
    if (!ns) {
      ns = new Map();
      m.set(s.meta.namespace, ns);
    }
    const list = ns.get(s.serviceName);
    if (list) list.push(s); else ns.set(s.serviceName, [s]);
  }
  return m;
}

export function slicesOf(index: SlicesIndex, svc: ServiceModel): readonly EndpointSliceModel[] {
  return index.get(svc.meta.namespace)?.get(svc.meta.name) ?? NO_SLICES;
}

const NO_SLICES: readonly EndpointSliceModel[] = [];

/**
 * True for Services kube-proxy programs: a real ClusterIP (not headless, not ExternalName) of a
 * family the Service has (a SingleStack IPv6 Service gets no IPv4 rules; its IPv6 view, from
 * `familyView`, gets the ip6 ones).
 */
export function isProxied(svc: ServiceModel): boolean {
  if (svc.type === 'ExternalName' || svc.headless || svc.clusterIP === null) return false;
  if (isIp(svc.clusterIP)) return !svc.ipFamilies || svc.ipFamilies.includes('IPv4');
  return ipFamily(svc.clusterIP) === 6 && !!svc.ipFamilies?.includes('IPv6');
}

const views = new WeakMap<ServiceModel, ServiceModel | null>();

/**
 * The Service as one family's proxier sees it (upstream runs one proxier per family behind a
 * MetaProxier): its clusterIP of that family, and only that family's external and load-balancer
 * addresses and source ranges. IPv4 is the Service itself; null when it has no IPv6 clusterIP.
 * Memoized, so the view stays the same object while the Service does.
 */
export function familyView(svc: ServiceModel, family: 'IPv4' | 'IPv6'): ServiceModel | null {
  if (family === 'IPv4') return svc;
  let v = views.get(svc);
  if (v !== undefined) return v;
  const ip6 = svc.ipFamilies?.includes('IPv6') ? svc.clusterIPs?.find((ip) => ipFamily(ip) === 6) : undefined;
  const six = (ip: string): boolean => ipFamily(ip.split('/')[0]!.trim()) === 6;
  v = ip6 === undefined ? null : {
    ...svc, clusterIP: ip6,
    externalIPs: svc.externalIPs.filter(six),
    loadBalancerIngress: svc.loadBalancerIngress.filter(six),
    loadBalancerSourceRanges: svc.loadBalancerSourceRanges.filter(six),
  };
  views.set(svc, v);
  return v;
}

function normCidr(s: string): string | null {
  if (s.includes(':')) { const p6 = parseAnyCidr(s.trim(), true); return p6 ? formatAnyCidr(p6) : null; }
  const p = parsePrefix(s.trim(), true);
  return p ? formatPrefix(p) : null;
}

/** The ServicePorts of one Service, given that Service's slices. */
export function servicePorts(svc: ServiceModel, slices: readonly EndpointSliceModel[]): ServicePortInfo[] {
  if (!isProxied(svc)) return [];
  const ns = svc.meta.namespace;
  const nodePortType = svc.type === 'NodePort' || svc.type === 'LoadBalancer';
  const v6 = ipFamily(svc.clusterIP!) === 6;
  const ofFamily = (ip: string): boolean => (v6 ? ipFamily(ip) === 6 : isIp(ip));
  const lbVIPs = svc.type === 'LoadBalancer' && svc.loadBalancerIngress.length ? svc.loadBalancerIngress.filter(ofFamily) : [];
  const ranges = svc.type === 'LoadBalancer' ? svc.loadBalancerSourceRanges.map(normCidr).filter((c): c is string => c !== null) : [];
  const out: ServicePortInfo[] = [];
  for (const port of svc.ports) {
    // Duplicates ("ip:port" seen before) are skipped: a linear scan while the list is short,
    // a Set once it grows.
    let seen: Set<string> | null = null;
    const endpoints: ProxyEndpoint[] = [];
    for (const slice of slices) {
      let sp: (typeof slice.ports)[number] | undefined;
      for (const p of slice.ports) if (p.name === port.name && p.protocol === port.protocol) { sp = p; break; }
      if (!sp || !sp.port) continue;
      for (const ep of slice.endpoints) {
        const ip = ep.addresses[0];
        if (!ip) continue;
        const str = v6 ? `[${ip}]:${sp.port}` : `${ip}:${sp.port}`;
        if (seen) {
          if (seen.has(str)) continue;
          seen.add(str);
        } else {
          let dup = false;
          for (const e of endpoints) if (e.str === str) { dup = true; break; }
          if (dup) continue;
          if (endpoints.length >= 16) seen = new Set(endpoints.map((e) => e.str)).add(str);
        }
        endpoints.push({ ip, port: sp.port, str, ready: ep.ready, serving: ep.serving, terminating: ep.terminating, nodeName: ep.nodeName });
      }
    }
    if (!isSorted(endpoints)) endpoints.sort((a, b) => (a.str < b.str ? -1 : a.str > b.str ? 1 : 0));
    // apiservice.ExternalPolicyLocal: only for externally accessible Services (NodePort, LoadBalancer, externalIPs).
    const externalPolicyLocal = (nodePortType || svc.externalIPs.length > 0) && svc.externalTrafficPolicy === 'Local';
    out.push({
      service: svc, port,
      name: servicePortName(ns, svc.meta.name, port.name),
      protocol: port.protocol,
      clusterIP: svc.clusterIP!,
      externalIPs: svc.externalIPs.length ? svc.externalIPs.filter(ofFamily) : [],
      loadBalancerVIPs: lbVIPs,
      loadBalancerSourceRanges: ranges,
      nodePort: nodePortType ? port.nodePort ?? 0 : 0,
      healthCheckNodePort: svc.type === 'LoadBalancer' && externalPolicyLocal ? svc.healthCheckNodePort ?? 0 : 0,
      internalPolicyLocal: svc.internalTrafficPolicy === 'Local',
      externalPolicyLocal,
      sessionAffinityClientIP: svc.sessionAffinity === 'ClientIP',
      stickyMaxAgeSeconds: svc.sessionAffinityTimeout || 10800,
      endpoints,
    });
  }
  return out;
}

function isSorted(eps: readonly ProxyEndpoint[]): boolean {
  for (let i = 1; i < eps.length; i++) if (eps[i - 1]!.str > eps[i]!.str) return false;
  return true;
}

export interface Categorized {
  /** Endpoints for "Cluster" traffic policy (ready ones, else serving-terminating ones). */
  readonly cluster: readonly ProxyEndpoint[];
  /** Endpoints on this node for "Local" traffic policy. */
  readonly local: readonly ProxyEndpoint[];
  /** Every endpoint some chain of this service may jump to: one KUBE-SEP- chain each. */
  readonly allReachable: readonly ProxyEndpoint[];
  /** The service has usable endpoints somewhere in the cluster. */
  readonly hasAny: boolean;
}

/**
 * proxy.CategorizeEndpoints without topology hints: ready endpoints first, and the
 * terminating-but-serving ones only as a fallback when no ready one is left (KEP-1669).
 */
export function categorizeEndpoints(s: ServicePortInfo, nodeName: string): Categorized {
  let cluster: ProxyEndpoint[] = [];
  let hasAny = false;
  if (usesClusterEndpoints(s)) {
    cluster = s.endpoints.every((e) => e.ready) ? (s.endpoints as ProxyEndpoint[]) : s.endpoints.filter((e) => e.ready);
    if (cluster.length === 0) cluster = s.endpoints.filter((e) => e.serving && e.terminating);
    if (cluster.length > 0) hasAny = true;
  }
  if (!usesLocalEndpoints(s)) return { cluster, local: [], allReachable: cluster, hasAny };

  let localReady = false;
  let localServingTerminating = false;
  for (const e of s.endpoints) {
    if (e.ready) {
      hasAny = true;
      if (e.nodeName === nodeName) localReady = true;
    } else if (e.serving && e.terminating) {
      hasAny = true;
      if (e.nodeName === nodeName) localServingTerminating = true;
    }
  }
  let local: ProxyEndpoint[] = [];
  if (localReady) local = s.endpoints.filter((e) => e.nodeName === nodeName && e.ready);
  else if (localServingTerminating) local = s.endpoints.filter((e) => e.nodeName === nodeName && e.serving && e.terminating);
  if (!usesClusterEndpoints(s)) return { cluster, local, allReachable: local, hasAny };

  const all = [...cluster];
  const have = new Set(cluster.map((e) => e.str));
  for (const e of local) if (!have.has(e.str)) all.push(e);
  return { cluster, local, allReachable: all, hasAny };
}

/** Service ports of the whole cluster, sorted by name then protocol (our fixed order; upstream iterates a Go map). */
export function allServicePorts(model: ClusterModel): ServicePortInfo[] {
  const index = slicesByService(model);
  const out: ServicePortInfo[] = [];
  for (const svc of model.services) out.push(...servicePorts(svc, slicesOf(index, svc)));
  return sortServicePorts(out);
}

export function sortServicePorts<T extends { name: string; protocol: string }>(list: T[]): T[] {
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0));
}
