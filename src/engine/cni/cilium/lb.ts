/**
 * Cilium's load-balancing maps (cilium_lb4_services_v2 / cilium_lb4_backends_v3), read from the
 * model the way the agent fills them from Services and EndpointSlices: a frontend per
 * ClusterIP:port (and per NodePort on the node addresses), its backends the ready endpoints'
 * addresses with the slice's port for that Service port.
 */
import type { ClusterModel, Protocol, ServiceModel, ServicePortModel } from '../../model/cluster';

export interface LbBackend {
  readonly ip: string;
  readonly port: number;
}

export interface LbFrontend {
  readonly service: ServiceModel;
  readonly port: ServicePortModel;
}

/** The Services with a cluster address the LB serves (not headless, not ExternalName). */
export function lbServices(model: ClusterModel): ServiceModel[] {
  return model.services.filter((s) => s.clusterIP && !s.headless && s.type !== 'ExternalName');
}

/** The ClusterIP (or external IP) frontend `ip:port/proto` belongs to. */
export function lbServiceFor(model: ClusterModel, ip: string, port: number, proto: Protocol): LbFrontend | null {
  for (const service of lbServices(model)) {
    if (service.clusterIP !== ip && !service.externalIPs.includes(ip)) continue;
    const p = service.ports.find((x) => x.port === port && x.protocol === proto);
    if (p) return { service, port: p };
  }
  return null;
}

export function nodePortFor(model: ClusterModel, nodePort: number, proto: Protocol): LbFrontend | null {
  for (const service of lbServices(model)) {
    if (service.type !== 'NodePort' && service.type !== 'LoadBalancer') continue;
    const p = service.ports.find((x) => x.nodePort === nodePort && x.protocol === proto);
    if (p) return { service, port: p };
  }
  return null;
}

/** The ready backends of one Service port, in EndpointSlice order. */
export function lbBackends(model: ClusterModel, service: ServiceModel, port: ServicePortModel): LbBackend[] {
  const out: LbBackend[] = [];
  for (const slice of model.endpointSlices) {
    if (slice.meta.namespace !== service.meta.namespace || slice.serviceName !== service.meta.name || slice.addressType !== 'IPv4') continue;
    const sp = slice.ports.find((x) => x.name === port.name && x.protocol === port.protocol);
    if (!sp) continue;
    for (const e of slice.endpoints) if (e.ready) for (const ip of e.addresses) out.push({ ip, port: sp.port });
  }
  return out;
}

/** The frontend a Service address belongs to, whatever the port (ICMP has none): for notes only. */
export function lbServiceByAddress(model: ClusterModel, ip: string): ServiceModel | null {
  return lbServices(model).find((s) => s.clusterIP === ip || s.externalIPs.includes(ip)) ?? null;
}

/** sessionAffinityConfig.clientIP.timeoutSeconds, Kubernetes' default when unset. */
const DEFAULT_AFFINITY_SECONDS = 10800;

/**
 * The LB affinity map (cilium_lb4_affinity), per simulation: frontend (rev-NAT index) and client
 * → backend and when it was last used. The socket LB keys it by the client's network namespace
 * (its netns cookie: every socket of a Pod shares it), the per-packet LB (NodePort) by the
 * client's address. An entry lives `timeout` seconds after its last use and is dropped when its
 * backend is gone (lb4_affinity_backend_id_by_* / lb_affinity_update in bpf/lib/lb.h).
 */
const affinityMaps = new WeakMap<object, Map<string, { readonly backend: LbBackend; lastMs: number }>>();

export interface LbChoice {
  readonly backend: LbBackend;
  /** Set for a Service with sessionAffinity: ClientIP: whether the affinity map decided ('hit') or got a new entry. */
  readonly affinity?: 'hit' | 'new';
  readonly affinityTimeout?: number;
}

/**
 * A backend for one connection: the affinity map's entry when the Service has ClientIP affinity
 * and a live entry for this client, else random among the ready backends (LB_SELECTION_RANDOM).
 */
export function lbSelect(owner: object, rand: { int(n: number): number }, f: LbFrontend, backends: readonly LbBackend[], client: string, nowMs: number): LbChoice {
  if (f.service.sessionAffinity !== 'ClientIP') return { backend: backends[rand.int(backends.length)]! };
  const timeout = f.service.sessionAffinityTimeout || DEFAULT_AFFINITY_SECONDS;
  let map = affinityMaps.get(owner);
  if (!map) { map = new Map(); affinityMaps.set(owner, map); }
  const key = `${f.service.meta.namespace}/${f.service.meta.name}|${f.port.protocol}/${f.port.port}|${client}`;
  const e = map.get(key);
  if (e && nowMs - e.lastMs <= timeout * 1000 && backends.some((b) => b.ip === e.backend.ip && b.port === e.backend.port)) {
    e.lastMs = nowMs;
    return { backend: e.backend, affinity: 'hit', affinityTimeout: timeout };
  }
  const backend = backends[rand.int(backends.length)]!;
  map.set(key, { backend, lastMs: nowMs });
  return { backend, affinity: 'new', affinityTimeout: timeout };
}
