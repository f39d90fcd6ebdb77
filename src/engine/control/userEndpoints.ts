/**
 * Endpoints the user wrote (for Services without a selector) and EndpointSlices they wrote, checked
 * as the API server does; plus the warnings about a Service whose selector or targetPort finds nothing.
 */
import { parseIPv4, parsePrefix, prefixContains } from '../addr/ip';
import type { EndpointSliceModel, EndpointsModel, Meta, PodModel, ServiceModel } from '../model/cluster';
import type { Origin } from '../scenario/load';
import type * as In from '../scenario/schema/k8s';
import type { Reporter } from './diag';
import { selectedPods } from './endpoints';
import { podPorts, resolveTargetPort } from './ports';

/** An object as the user wrote it, with where. */
export interface Written {
  readonly obj: unknown;
  readonly origin?: Origin | undefined;
  readonly name: string;
  readonly namespace: string;
}


/** Warnings a careful API reviewer would give: a selector no Pod matches, a named targetPort no Pod has. */
export function checkServiceTargets(svc: ServiceModel, pods: readonly PodModel[], r: Reporter): void {
  const origin = svc.meta.origin;
  const selected = selectedPods(svc, pods);
  const subject = `svc/${svc.meta.namespace}/${svc.meta.name}`;
  const service = `${svc.meta.namespace}/${svc.meta.name}`;
  if (selected.length === 0) {
    const selector = Object.entries(svc.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
    r.warn(origin, ['spec', 'selector'], 'selector-no-match', `Service ${service}: selector ${selector} matches no Pod in namespace ${svc.meta.namespace}, so it has no endpoints`, 'make the selector equal to the Pods\' labels (spec.template.metadata.labels of the Deployment)',
      { subject, params: { service, selector, namespace: svc.meta.namespace } });
    return;
  }
  svc.ports.forEach((p, i) => {
    const params = { service, targetPort: String(p.targetPort), protocol: p.protocol, pods: selected.length };
    if (typeof p.targetPort === 'string' && !selected.some((pod) => resolveTargetPort(pod, p) !== null)) {
      r.warn(origin, ['spec', 'ports', i, 'targetPort'], 'target-port-not-found', `Service ${svc.meta.name}: targetPort "${p.targetPort}" names a port (${p.protocol}) that none of the ${selected.length} selected Pod(s) declares`, 'name the container port the same (ports: [{name: ..., containerPort: ...}]) or use a number',
        { subject, params });
      return;
    }
    // A Pod's processes listen on the ports its containers declare (net/pod.ts): a number no
    // selected Pod declares is a port nothing listens on, and every connection is refused.
    const declared = selected.some((pod) => { const n = resolveTargetPort(pod, p); return n !== null && podPorts(pod).some((x) => x.port.containerPort === n && x.port.protocol === p.protocol); });
    if (!declared && selected.some((pod) => podPorts(pod).length > 0)) {
      r.warn(origin, ['spec', 'ports', i, p.targetPort === p.port ? 'port' : 'targetPort'], 'target-port-not-listening', `Service ${service}: nothing listens on targetPort ${p.targetPort}/${p.protocol} in the ${selected.length} selected Pod(s), so connections to it are refused`, 'set targetPort to a containerPort the Pods declare, or declare the port the app listens on',
        { subject, params });
    }
  });
}

const BAD_ENDPOINT = [parsePrefix('127.0.0.0/8')!, parsePrefix('169.254.0.0/16')!, parsePrefix('224.0.0.0/4')!];

export function userEndpointsModel(s: Written, meta: Meta, r: Reporter): EndpointsModel {
  const o = s.obj as unknown as In.EndpointsIn;
  const addr = (a: { ip: string; hostname?: string | undefined; nodeName?: string | undefined }, path: (string | number)[]) => {
    const v = parseIPv4(a.ip);
    if (v === null) { r.error(s.origin, [...path, 'ip'], 'invalid-ip', `Endpoints "${s.name}" is invalid: ${path.join('.')}.ip: Invalid value: "${a.ip}": must be a valid IP address`, undefined, false, { object: `Endpoints ${s.name}`, field: `${path.join('.')}.ip`, value: a.ip }); return null; }
    if (BAD_ENDPOINT.some((p) => prefixContains(p, v))) { r.error(s.origin, [...path, 'ip'], 'invalid-endpoint-ip', `Endpoints "${s.name}" is invalid: ip: Invalid value: "${a.ip}": may not be in the loopback range (127.0.0.0/8), link-local (169.254.0.0/16) or multicast range`, 'endpoints must be addresses other machines can reach', false, { endpoints: s.name, ip: a.ip }); return null; }
    return { ip: a.ip, ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}) };
  };
  return {
    meta,
    subsets: (o.subsets ?? []).map((sub, i) => ({
      addresses: (sub.addresses ?? []).map((a, j) => addr(a, ['subsets', i, 'addresses', j])).filter((x): x is NonNullable<typeof x> => x !== null),
      notReadyAddresses: (sub.notReadyAddresses ?? []).map((a, j) => addr(a, ['subsets', i, 'notReadyAddresses', j])).filter((x): x is NonNullable<typeof x> => x !== null),
      ports: (sub.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    })),
  };
}

export function userSliceModel(s: Written, meta: Meta, services: readonly ServiceModel[], r: Reporter): EndpointSliceModel {
  const o = s.obj as unknown as In.EndpointSliceIn;
  const serviceName = meta.labels['kubernetes.io/service-name'] ?? '';
  if (!serviceName) r.warn(s.origin, ['metadata'], 'endpointslice-no-service-label', `EndpointSlice ${s.name} has no kubernetes.io/service-name label, so no Service uses it`, 'add labels: {kubernetes.io/service-name: SERVICE}', { params: { slice: s.name } });
  else if (!services.some((x) => x.meta.namespace === s.namespace && x.meta.name === serviceName)) r.warn(s.origin, ['metadata', 'labels', 'kubernetes.io/service-name'], 'endpointslice-no-service', `EndpointSlice ${s.name} belongs to Service "${serviceName}", which does not exist`, 'create the Service, or fix the label', { params: { slice: s.name, service: serviceName } });
  return {
    meta, serviceName, addressType: o.addressType,
    endpoints: (o.endpoints ?? []).map((e) => {
      const ready = e.conditions?.ready ?? true;
      return {
        addresses: e.addresses, ready, serving: e.conditions?.serving ?? ready, terminating: e.conditions?.terminating ?? false,
        ...(e.hostname ? { hostname: e.hostname } : {}), ...(e.nodeName ? { nodeName: e.nodeName } : {}), ...(e.zone ? { zone: e.zone } : {}),
      };
    }),
    ports: (o.ports ?? []).filter((p) => p.port !== undefined).map((p) => ({ name: p.name ?? '', port: p.port!, protocol: p.protocol ?? 'TCP' })),
    managedByUser: true,
  };
}
