/**
 * Hand-built ClusterModels for kube-proxy tests: just the fields kube-proxy and the host rule
 * writers read, with everything else empty. Keeps the tests independent of the control plane.
 */
import type { ClusterModel, EndpointModel, EndpointSliceModel, Meta, NodeModel, PodModel, ServiceModel, ServicePortModel } from '../../../src/engine/model/cluster';
import { clusterSpec, type ClusterSpecIn } from '../../../src/engine/scenario/schema/knp';

let counter = 0;
export function meta(namespace: string, name: string, extra: Partial<Meta> = {}): Meta {
  counter++;
  return { name, namespace, uid: `uid-${namespace}-${name}`, labels: {}, annotations: {}, createdIndex: counter, createdAt: 0, ...extra };
}

export function node(name: string, ip: string, podCIDR: string, extra: Partial<NodeModel> = {}): NodeModel {
  return { name, ip, extraAddresses: [], podCIDR, labels: {}, taints: [], controlPlane: false, ready: true, createdIndex: 0, ...extra };
}

export function port(name: string, p: number, extra: Partial<ServicePortModel> = {}): ServicePortModel {
  return { name, protocol: 'TCP', port: p, targetPort: p, ...extra };
}

export function service(namespace: string, name: string, clusterIP: string, ports: ServicePortModel[], extra: Partial<ServiceModel> = {}): ServiceModel {
  return {
    meta: meta(namespace, name), type: 'ClusterIP', selector: {}, clusterIP, headless: false, ports,
    externalIPs: [], loadBalancerIngress: [], loadBalancerSourceRanges: [],
    externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None', sessionAffinityTimeout: 10800,
    publishNotReadyAddresses: false, ...extra,
  };
}

export function ep(ip: string, extra: Partial<EndpointModel> = {}): EndpointModel {
  return { addresses: [ip], ready: true, serving: true, terminating: false, ...extra };
}

export function slice(namespace: string, serviceName: string, endpoints: EndpointModel[], ports: { name: string; port: number; protocol?: 'TCP' | 'UDP' }[], suffix = 'abcde'): EndpointSliceModel {
  return {
    meta: meta(namespace, `${serviceName}-${suffix}`), serviceName, addressType: 'IPv4', endpoints,
    ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })), managedByUser: false,
  };
}

export function pod(namespace: string, name: string, nodeName: string, podIP: string, containers: PodModel['containers'] = [], extra: Partial<PodModel> = {}): PodModel {
  const m = meta(namespace, name);
  return {
    meta: m, spec: {} as PodModel['spec'], containers, nodeName, hostNetwork: false, phase: 'Running',
    podIP, hostIP: null, ready: true, terminating: false, hostname: name, env: [], serviceEnv: [], createdIndex: m.createdIndex,
    dnsPolicy: 'ClusterFirst', system: false, ...extra,
  } as PodModel;
}

export function model(parts: { spec?: ClusterSpecIn; nodes?: NodeModel[]; services?: ServiceModel[]; slices?: EndpointSliceModel[]; pods?: PodModel[]; hosts?: ClusterModel['hosts']; containers?: ClusterModel['containers'] }): ClusterModel {
  return {
    hasCluster: true, name: 'kind', spec: clusterSpec.parse(parts.spec ?? {}),
    nodes: parts.nodes ?? [], namespaces: [], pods: parts.pods ?? [], workloads: [], services: parts.services ?? [], endpoints: [],
    endpointSlices: parts.slices ?? [], configMaps: [], secrets: [], ingresses: [], ingressClasses: [], networkPolicies: [],
    externalHosts: [], probes: [], hosts: parts.hosts ?? [], containers: parts.containers ?? [],
  } as ClusterModel;
}
