/**
 * Network build time for a 50-node, 5,000-Pod cluster (target < 250 ms): every namespace, veth,
 * route, neighbour and FDB entry, for flannel vxlan and for calico ipip. The model is generated
 * here (100 Pods per node, two ports each) so the bench does not depend on the control plane.
 */
import type { ClusterModel, NodeModel, PodModel } from '../src/engine/model/cluster';
import { buildNetwork } from '../src/engine/build/network';
import type { Diagnostic } from '../src/engine/scenario/diagnostics';
import { clusterSpec } from '../src/engine/scenario/schema/knp';
import { createRand } from '../src/engine/util/rand';
import { time, type Bench } from './harness';

function bigModel(plugin: 'flannel' | 'calico', nodesN = 50, podsPerNode = 100): ClusterModel {
  const nodes: NodeModel[] = [];
  const pods: PodModel[] = [];
  for (let i = 0; i < nodesN; i++) {
    const n: NodeModel = {
      name: `node-${i}`, ip: `192.168.${Math.floor((10 + i) / 250)}.${(10 + i) % 250}`, extraAddresses: [], podCIDR: `10.244.${i}.0/24`,
      labels: {}, taints: [], controlPlane: i === 0, ready: true, createdIndex: i,
    };
    nodes.push(n);
    for (let j = 0; j < podsPerNode; j++) {
      const name = `app-${i}-${j}`;
      pods.push({
        meta: { name, namespace: 'default', uid: name, labels: { app: `app-${j % 20}` }, annotations: {}, createdIndex: pods.length, createdAt: 0 },
        spec: {} as never, nodeName: n.name, hostNetwork: false, phase: 'Running', podIP: `10.244.${i}.${j + 2}`, hostIP: n.ip,
        containers: [{ name: 'app', image: 'nginx', env: [], ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 53, protocol: 'UDP' }] }],
        ready: true, terminating: false, hostname: name, env: [], dnsPolicy: 'ClusterFirst', system: false, serviceEnv: [], createdIndex: 0,
      });
    }
  }
  return {
    hasCluster: true, name: 'bench', ageBase: 0, upstreamDns: null, apiServer: null, spec: clusterSpec.parse({ underlayCIDR: '192.168.0.0/16', network: { plugin } }), nodes, namespaces: [], pods,
    workloads: [], services: [], endpoints: [], endpointSlices: [], configMaps: [], secrets: [], ingresses: [], ingressClasses: [],
    networkPolicies: [], externalHosts: [], probes: [], hosts: [], containers: [],
  };
}

/** CPU milliseconds per run: on a shared machine wall time includes other people's work. */
function cpuMs(fn: () => void, runs: number): number {
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) fn();
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000 / runs;
}

export const bench: Bench = () => {
  const out = [];
  for (const plugin of ['flannel', 'calico'] as const) {
    const m = bigModel(plugin);
    const fn = (): void => {
      const ds: Diagnostic[] = [];
      buildNetwork(m, createRand(1).fork('network'), ds);
    };
    const net = buildNetwork(m, createRand(1).fork('network'), []);
    let links = 0;
    let routes = 0;
    for (const ns of net.namespaces.values()) { links += ns.links.length; routes += ns.routes.length; }
    const name = `net build, 50 nodes × 100 Pods, ${plugin === 'flannel' ? 'flannel vxlan' : 'calico ipip'}`;
    const r = time(name, fn, { runs: 9, warmup: 3, targetMs: 250 });
    out.push({ ...r, note: `${net.namespaces.size} namespaces, ${links} links, ${routes} routes, cpu ${cpuMs(fn, 5).toFixed(1)} ms` });
  }
  return out;
};
