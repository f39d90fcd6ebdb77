/**
 * kube-proxy's service health server (pkg/proxy/healthcheck/service_health.go): for a
 * LoadBalancer Service with `externalTrafficPolicy: Local`, every node answers on the Service's
 * healthCheckNodePort with the number of ready endpoints it has locally: 200 when there is at
 * least one, 503 when there is none. Cloud load balancers probe it to send traffic only to nodes
 * that keep it local (no second hop, the client's address preserved).
 */
import type { ClusterModel, ServiceModel } from '../../model/cluster';

export interface ServiceHealth {
  readonly code: 200 | 503;
  readonly localEndpoints: number;
  /** The JSON body, as the health server writes it. */
  readonly body: string;
}

export function serviceHealth(model: ClusterModel, svc: ServiceModel, nodeName: string): ServiceHealth {
  let localEndpoints = 0;
  for (const s of model.endpointSlices) {
    if (s.meta.namespace !== svc.meta.namespace || s.serviceName !== svc.meta.name || s.addressType !== 'IPv4') continue;
    for (const ep of s.endpoints) if (ep.ready && ep.nodeName === nodeName) localEndpoints += ep.addresses.length;
  }
  const body = JSON.stringify({ service: { namespace: svc.meta.namespace, name: svc.meta.name }, localEndpoints, serviceProxyHealthy: true });
  return { code: localEndpoints > 0 ? 200 : 503, localEndpoints, body };
}
