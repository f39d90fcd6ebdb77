/**
 * Hand-built ClusterModels for the network tests (until reconcile() fills them from YAML):
 * nodes on 192.168.1.0/24 with /24 Pod subnets, Pods addressed from their node's subnet.
 */
import { corednsAnswerer } from '../../../src/engine/agents/coredns/answer';
import { stubResolver } from '../../../src/engine/clients/dns/resolve';
import type { ClusterModel, Meta, NodeModel, PodModel } from '../../../src/engine/model/cluster';
import { buildNetwork } from '../../../src/engine/build/network';
import { acceptAll } from '../../../src/engine/netfilter/hook';
import type { Diagnostic } from '../../../src/engine/scenario/diagnostics';
import { clusterSpec, type ClusterSpecIn, type ContainerIn, type HostIn } from '../../../src/engine/scenario/schema/knp';
import { runLine } from '../../../src/engine/shell/run';
import type { Target } from '../../../src/engine/shell/types';
import type { Sim } from '../../../src/engine/sim';
import { createRand } from '../../../src/engine/util/rand';

export const meta = (name: string, namespace = 'default', labels: Record<string, string> = {}): Meta =>
  ({ name, namespace, uid: `uid-${namespace}-${name}`, labels, annotations: {}, createdIndex: 0, createdAt: 0 });

export function node(i: number, extra: Partial<NodeModel> = {}): NodeModel {
  return {
    name: `node-${i}`, ip: `192.168.1.${10 + i}`, extraAddresses: [], podCIDR: `10.244.${i}.0/24`, labels: {}, taints: [],
    controlPlane: i === 0, ready: true, createdIndex: i, ...extra,
  };
}

export interface PodOpts {
  readonly namespace?: string;
  readonly ports?: { port: number; protocol?: 'TCP' | 'UDP' }[];
  readonly hostNetwork?: boolean;
  /** Default 'app', an image k8s/listen.ts does not know: it listens on its declared ports. */
  readonly image?: string;
  readonly labels?: Record<string, string>;
  readonly containers?: { name: string; ports: { port: number; protocol?: 'TCP' | 'UDP' }[] }[];
}

export function pod(name: string, n: NodeModel, hostIndex: number, o: PodOpts = {}): PodModel {
  const base = n.podCIDR.split('.').slice(0, 3).join('.');
  const containers = (o.containers ?? [{ name: 'app', ports: o.ports ?? [{ port: 80 }] }]).map((c) => ({
    name: c.name, image: o.image ?? 'app', env: [],
    ports: c.ports.map((p) => ({ containerPort: p.port, protocol: p.protocol ?? 'TCP' as const })),
  }));
  return {
    meta: meta(name, o.namespace ?? 'default', o.labels ?? {}), spec: {} as never, containers, nodeName: n.name,
    hostNetwork: o.hostNetwork ?? false, phase: 'Running', podIP: o.hostNetwork ? n.ip : `${base}.${hostIndex}`, hostIP: n.ip,
    ready: true, terminating: false, hostname: name, env: [], dnsPolicy: 'ClusterFirst', system: false, serviceEnv: [], createdIndex: 0,
  };
}

export function model(spec: ClusterSpecIn, nodes: NodeModel[], pods: PodModel[], more: Partial<ClusterModel> = {}): ClusterModel {
  return {
    hasCluster: true, name: 'kind', spec: clusterSpec.parse(spec), ageBase: 0, upstreamDns: null, apiServer: null, nodes, namespaces: [], pods, workloads: [], services: [],
    endpoints: [], endpointSlices: [], configMaps: [], secrets: [], ingresses: [], ingressClasses: [], networkPolicies: [],
    externalHosts: [], probes: [], hosts: [], containers: [], ...more,
  };
}

export function hostObj(name: string, spec: Partial<HostIn['spec']> = {}): { meta: Meta; spec: HostIn['spec'] } {
  return { meta: meta(name), spec: spec as HostIn['spec'] };
}

export function containerObj(name: string, spec: Partial<ContainerIn['spec']> & { host: string }): { meta: Meta; spec: ContainerIn['spec'] } {
  return { meta: meta(name), spec: { network: 'bridge', ...spec } as ContainerIn['spec'] };
}

export function sim(m: ClusterModel, seed = 1): Sim & { diagnosticsOut: Diagnostic[] } {
  const rand = createRand(seed);
  const diagnostics: Diagnostic[] = [];
  const net = buildNetwork(m, rand.fork('network'), diagnostics);
  return { file: 's.yaml', seed, model: m, net, diagnostics, diagnosticsOut: diagnostics, rand: rand.fork('runtime'), netfilter: acceptAll, apps: new Map(), dns: corednsAnswerer, resolver: stubResolver, now: 0 };
}

/** Runs lines in a target and returns stdout+stderr, as a terminal would show them. */
export function sh(s: Sim, target: Target, ...lines: string[]): string {
  return lines.map((l) => {
    const r = runLine(s, target, l);
    return r.stdout + r.stderr;
  }).join('');
}

export const nodeT = (name: string, netns?: string): Target => (netns ? { kind: 'node', name, netns } : { kind: 'node', name });
export const hostT = (name: string, netns?: string): Target => (netns ? { kind: 'host', name, netns } : { kind: 'host', name });
export const podT = (name: string, namespace = 'default'): Target => ({ kind: 'pod', namespace, name });

/** A 3-node flannel cluster with two Pods per node. */
export function flannelCluster(backend: 'vxlan' | 'udp' | 'host-gw' = 'vxlan'): ClusterModel {
  const nodes = [node(0), node(1), node(2)];
  const pods = nodes.flatMap((n, i) => [pod(`web-${i}`, n, 2), pod(`db-${i}`, n, 3, { ports: [{ port: 5432 }, { port: 53, protocol: 'UDP' }] })]);
  return model({ network: { plugin: 'flannel', backend } }, nodes, pods);
}
