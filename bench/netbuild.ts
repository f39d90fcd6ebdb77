/**
 * Network build time for a 50-node, 5,000-Pod cluster (target < 250 ms): every namespace, veth,
 * route, neighbour and FDB entry, for flannel vxlan and for calico ipip. The model is generated
 * here (100 Pods per node, two ports each) so the bench does not depend on the control plane.
 */
import type { ClusterModel, NodeModel, PodModel } from '../src/engine/model/cluster';
import { buildNetwork } from '../src/engine/net/build';
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

export const bench: Bench = () => {
  const flannel = bigModel('flannel');
  const calico = bigModel('calico');
  const run = (m: ClusterModel) => (): void => {
    const ds: Diagnostic[] = [];
    buildNetwork(m, createRand(1).fork('network'), ds);
  };
  return [
    time('net build, 50 nodes × 100 Pods, flannel vxlan', run(flannel), { runs: 9, warmup: 3, targetMs: 250 }),
    time('net build, 50 nodes × 100 Pods, calico ipip', run(calico), { runs: 9, warmup: 3, targetMs: 250 }),
  ];
};
