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
