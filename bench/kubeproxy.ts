/**
 * kube-proxy rule generation at scale: 2,000 Services × 5 endpoints on a 3-node cluster
 * (about 30,000 nat rules). Full generation from a cold cache, regeneration after one Service
 * changed (its block rebuilt, the others reused), and the whole node ruleset.
 */
import type { Bench } from './harness';
import { time } from './harness';
import { buildKubeProxyRestore, KubeProxyCache, kubeProxyRestoreText } from '../src/engine/agents/kubeproxy/iptables';
import { buildNodeRuleset } from '../src/engine/agents/hostrules';
import type { ClusterModel, EndpointSliceModel, Meta, NodeModel, ServiceModel } from '../src/engine/model/cluster';
import { clusterSpec } from '../src/engine/scenario/schema/knp';

const meta = (namespace: string, name: string, i: number): Meta => ({ name, namespace, uid: `${namespace}-${name}`, labels: {}, annotations: {}, createdIndex: i, createdAt: 0 });
export const nodes: NodeModel[] = [1, 2, 3].map((i) => ({ name: `node-${i}`, ip: `192.168.1.${10 + i}`, extraAddresses: [], podCIDR: `10.244.${i}.0/24`, labels: {}, taints: [], controlPlane: false, ready: true, createdIndex: i }));

export function service(i: number): ServiceModel {
  return {
    meta: meta(`ns-${i % 20}`, `svc-${i}`, i), type: i % 4 === 0 ? 'NodePort' : 'ClusterIP', selector: {}, clusterIP: `10.96.${i >> 8}.${i & 255}`, headless: false,
    ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, ...(i % 4 === 0 ? { nodePort: 30000 + i } : {}) }],
    externalIPs: [], loadBalancerIngress: [], loadBalancerSourceRanges: [], externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster',
    sessionAffinity: 'None', sessionAffinityTimeout: 10800, publishNotReadyAddresses: false,
  };
}

export function slices(i: number, gen = 0): EndpointSliceModel {
  return {
    meta: meta(`ns-${i % 20}`, `svc-${i}-abcde`, i), serviceName: `svc-${i}`, addressType: 'IPv4', managedByUser: false,
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    endpoints: Array.from({ length: 5 }, (_, k) => {
      const n = i * 5 + k + gen;
      return { addresses: [`10.${100 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`], ready: true, serving: true, terminating: false, nodeName: `node-${(k % 3) + 1}` };
    }),
  };
}

const spec = clusterSpec.parse({});

export function cluster(services: ServiceModel[], endpointSlices: EndpointSliceModel[]): ClusterModel {
  return {
    hasCluster: true, name: 'bench', spec, nodes, namespaces: [], pods: [], workloads: [], services, endpoints: [], endpointSlices,
    configMaps: [], secrets: [], ingresses: [], ingressClasses: [], networkPolicies: [], externalHosts: [], probes: [], hosts: [], containers: [],
    ageBase: 0, upstreamDns: null, apiServer: null,
  } as ClusterModel;
}

/** Process CPU time per run (ms): on a shared machine wall time includes waiting for a core. */
function cpuMs(fn: () => void, runs: number): string {
  fn();
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) fn();
  const u = process.cpuUsage(start);
  return `cpu ${((u.user + u.system) / 1000 / runs).toFixed(1)} ms`;
}

export const bench: Bench = () => {
  const N = 2000;
  const services = Array.from({ length: N }, (_, i) => service(i));
  const sl = Array.from({ length: N }, (_, i) => slices(i));
  const base = cluster(services, sl);
  const node = nodes[0]!;
  const natRules = kubeProxyRestoreText(buildKubeProxyRestore(base, node)).split('\n').filter((l) => l.startsWith('-A')).length;

  const fullFn = (): void => { kubeProxyRestoreText(buildKubeProxyRestore(base, node, { cache: new KubeProxyCache() })); };
  const full = time('kube-proxy: full iptables generation, 2,000 Services × 5 endpoints', fullFn, { runs: 10, targetMs: 50, note: `${natRules} rules, ${cpuMs(fullFn, 5)}` });

  // One Service's endpoints change between syncs: only its block is rebuilt.
  const cache = new KubeProxyCache();
  buildKubeProxyRestore(base, node, { cache });
  let flip = 0;
  const regenFn = (): void => {
    flip++;
    const changed = sl.slice();
    changed[777] = slices(777, flip);
    kubeProxyRestoreText(buildKubeProxyRestore(cluster(services, changed), node, { cache }));
  };
  const regen = time('kube-proxy: regeneration after one Service changed', regenFn, { runs: 20, targetMs: 5, note: cpuMs(regenFn, 20) });

  const nodeCache = new KubeProxyCache();
  buildNodeRuleset(base, node, { cache: nodeCache });
  const whole = time('node ruleset (all writers merged), warm cache', () => {
    buildNodeRuleset(base, node, { cache: nodeCache });
  }, { runs: 10 });
  return [full, regen, whole];
};
