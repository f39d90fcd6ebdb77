/**
 * Hand-built ClusterModels for the DNS, policy and ingress tests: a few lines per object, the
 * rest defaulted. These stand in for reconcile() so the pure parts are tested on their own.
 */
import { corednsAnswerer } from '../../../src/engine/agents/coredns/answer';
import { stubResolver } from '../../../src/engine/clients/dns/resolve';
import type { ClusterModel, EndpointSliceModel, Meta, PodModel, ServiceModel, Protocol } from '../../../src/engine/model/cluster';
import { clusterSpec } from '../../../src/engine/scenario/schema/knp';
import type { Sim } from '../../../src/engine/sim';
import { netfilterEngine } from '../../../src/engine/netfilter/engine';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import { buildNetwork } from '../../../src/engine/build/network';
import { installRules } from '../../../src/engine/agents/kubeproxy/install';
import { createRand } from '../../../src/engine/util/rand';
import type { PodSpecIn } from '../../../src/engine/scenario/schema/k8s';

let counter = 0;

export function meta(ns: string, name: string, labels: Record<string, string> = {}, annotations: Record<string, string> = {}): Meta {
  counter++;
  return { name, namespace: ns, uid: `uid-${ns}-${name}`, labels, annotations, createdIndex: counter, createdAt: 0 };
}

export interface PodOpts {
  ip?: string | null;
  node?: string;
  labels?: Record<string, string>;
  hostNetwork?: boolean;
  dnsPolicy?: PodModel['dnsPolicy'];
  dnsConfig?: PodSpecIn['dnsConfig'];
  hostname?: string;
  subdomain?: string;
  ports?: { name?: string; containerPort: number; protocol?: Protocol; hostPort?: number }[];
  ready?: boolean;
  system?: boolean;
}

export function pod(ns: string, name: string, o: PodOpts = {}): PodModel {
  const ports = (o.ports ?? []).map((p) => ({ containerPort: p.containerPort, protocol: p.protocol ?? 'TCP' as Protocol, ...(p.name ? { name: p.name } : {}), ...(p.hostPort ? { hostPort: p.hostPort } : {}) }));
  const spec: PodSpecIn = {
    containers: [{ name: 'c', ports }],
    ...(o.hostNetwork ? { hostNetwork: true } : {}),
    ...(o.dnsConfig ? { dnsConfig: o.dnsConfig } : {}),
    ...(o.hostname ? { hostname: o.hostname } : {}),
    ...(o.subdomain ? { subdomain: o.subdomain } : {}),
  };
  return {
    meta: meta(ns, name, o.labels ?? {}), spec,
    containers: [{ name: 'c', image: 'busybox', ports, env: [] }],
    nodeName: o.node ?? 'node-1', hostNetwork: !!o.hostNetwork, phase: 'Running',
    podIP: o.ip === undefined ? null : o.ip, hostIP: '192.168.1.11', ready: o.ready ?? true, terminating: false,
    hostname: o.hostname ?? name, ...(o.subdomain ? { subdomain: o.subdomain } : {}), env: [], serviceEnv: [], createdIndex: counter,
    dnsPolicy: o.dnsPolicy ?? 'ClusterFirst', system: !!o.system,
  };
}

export interface SvcOpts {
  clusterIP?: string | null;
  headless?: boolean;
  type?: ServiceModel['type'];
  externalName?: string;
  ports?: { name?: string; port: number; protocol?: Protocol; targetPort?: number | string }[];
  selector?: Record<string, string> | null;
  publishNotReadyAddresses?: boolean;
}

export function svc(ns: string, name: string, o: SvcOpts = {}): ServiceModel {
  const headless = !!o.headless;
  return {
    meta: meta(ns, name), type: o.type ?? 'ClusterIP', selector: o.selector === undefined ? { app: name } : o.selector,
    clusterIP: o.type === 'ExternalName' ? null : headless ? 'None' : (o.clusterIP ?? null), headless,
    ports: (o.ports ?? [{ port: 80 }]).map((p) => ({ name: p.name ?? '', protocol: p.protocol ?? 'TCP', port: p.port, targetPort: p.targetPort ?? p.port })),
    externalIPs: [], ...(o.externalName ? { externalName: o.externalName } : {}), loadBalancerIngress: [], loadBalancerSourceRanges: [],
    externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster', sessionAffinity: 'None', sessionAffinityTimeout: 10800,
    publishNotReadyAddresses: !!o.publishNotReadyAddresses,
  };
}

/** An EndpointSlice for `service` from Pods (ready per pod.ready), ports as the Service's named ports. */
export function slice(service: ServiceModel, pods: PodModel[], ports?: { name: string; port: number; protocol?: Protocol }[]): EndpointSliceModel {
  return {
    meta: meta(service.meta.namespace, `${service.meta.name}-abcde`, { 'kubernetes.io/service-name': service.meta.name }),
    serviceName: service.meta.name, addressType: 'IPv4',
    endpoints: pods.map((p) => ({
      addresses: [p.podIP!], ready: p.ready, serving: p.ready, terminating: false, nodeName: p.nodeName ?? 'node-1',
      targetRef: `pod/${p.meta.namespace}/${p.meta.name}`,
      ...(p.spec.hostname && p.subdomain === service.meta.name ? { hostname: p.spec.hostname } : {}),
    })),
    ports: (ports ?? service.ports.map((p) => ({ name: p.name, port: typeof p.targetPort === 'number' ? p.targetPort : p.port, protocol: p.protocol }))).map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP' })),
    managedByUser: false,
  };
}

export function model(parts: Omit<Partial<ClusterModel>, 'namespaces'> & { namespaces?: (string | Meta)[] } = {}): ClusterModel {
  const nsList = (parts.namespaces ?? []).map((n) => (typeof n === 'string' ? meta('', n) : n));
  const { namespaces: _n, ...rest } = parts;
  return {
    hasCluster: true, name: 'kind', spec: clusterSpec.parse({ dns: { upstream: 'dns' } }),
    ageBase: 0, upstreamDns: { name: 'dns', ip: '203.0.113.53' }, apiServer: null,
    nodes: [
      { name: 'node-1', ip: '192.168.1.11', extraAddresses: [], podCIDR: '10.244.1.0/24', labels: {}, taints: [], controlPlane: false, ready: true, createdIndex: 0 },
      { name: 'node-2', ip: '192.168.1.12', extraAddresses: [], podCIDR: '10.244.2.0/24', labels: {}, taints: [], controlPlane: false, ready: true, createdIndex: 1 },
    ],
    pods: [], workloads: [], services: [], endpoints: [], endpointSlices: [], configMaps: [], secrets: [],
    ingresses: [], ingressClasses: [], networkPolicies: [],
    externalHosts: [{ name: 'dns', ip: '203.0.113.53', ports: [{ port: 53, protocol: 'UDP' }] }, { name: 'example.com', ip: '93.184.216.34', ports: [{ port: 80, protocol: 'TCP' }] }],
    probes: [], hosts: [], containers: [],
    ...rest,
    namespaces: nsList,
  };
}

/** The hand-built model with the network and node rules the engine builds from it, so DNS queries are real packets. */
export function simOf(m: ClusterModel): Sim {
  const rand = createRand(1);
  const sim: Sim = { file: 'test.yaml', seed: 1, model: m, net: buildNetwork(m, rand.fork('network'), []), diagnostics: [], rand: rand.fork('runtime'), netfilter: netfilterEngine, apps: new Map(), dns: corednsAnswerer, resolver: stubResolver, now: 0 };
  installRules(sim, iptablesRestore);
  return sim;
}

/** A small cluster: kube-dns, kubernetes, a ClusterIP web Service, a headless db StatefulSet, an ExternalName. */
export function dnsCluster(extra: Omit<Partial<ClusterModel>, 'namespaces'> = {}): ClusterModel {
  const core = pod('kube-system', 'coredns-5d78c9869d-abcde', { ip: '10.244.1.2', labels: { 'k8s-app': 'kube-dns' }, dnsPolicy: 'Default', system: true, ports: [{ name: 'dns', containerPort: 53, protocol: 'UDP' }, { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' }] });
  const kubeDns = svc('kube-system', 'kube-dns', { clusterIP: '10.96.0.10', selector: { 'k8s-app': 'kube-dns' }, ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }] });
  const kubernetes = svc('default', 'kubernetes', { clusterIP: '10.96.0.1', selector: null, ports: [{ name: 'https', port: 443, targetPort: 6443 }] });
  const web1 = pod('default', 'web-1', { ip: '10.244.1.5', labels: { app: 'web' } });
  const web2 = pod('default', 'web-2', { ip: '10.244.2.6', labels: { app: 'web' }, node: 'node-2' });
  const web = svc('default', 'web', { clusterIP: '10.96.100.1', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { name: 'metrics', port: 9090, protocol: 'TCP' }] });
  const db0 = pod('prod', 'db-0', { ip: '10.244.1.7', labels: { app: 'db' }, hostname: 'db-0', subdomain: 'db' });
  const db1 = pod('prod', 'db-1', { ip: '10.244.2.8', labels: { app: 'db' }, hostname: 'db-1', subdomain: 'db', node: 'node-2', ready: false });
  const db = svc('prod', 'db', { headless: true, ports: [{ name: 'pg', port: 5432 }] });
  const plain = pod('prod', 'plain', { ip: '10.244.2.9', labels: { app: 'plain' }, node: 'node-2' });
  const plainSvc = svc('prod', 'plain', { headless: true, ports: [{ port: 80 }] });
  const ext = svc('prod', 'ext', { type: 'ExternalName', externalName: 'example.com' });
  const extIp = svc('prod', 'extip', { type: 'ExternalName', externalName: '1.2.3.4' });
  const empty = svc('prod', 'empty', { headless: true, ports: [{ port: 80 }] });
  return model({
    namespaces: ['default', 'kube-system', 'prod'],
    pods: [core, web1, web2, db0, db1, plain],
    services: [kubernetes, web, kubeDns, db, plainSvc, ext, extIp, empty],
    endpointSlices: [slice(kubeDns, [core]), slice(web, [web1, web2]), slice(db, [db0, db1]), slice(plainSvc, [plain])],
    ...extra,
  });
}
