/**
 * One cross-node trace in a 50-node, 5,000-Pod cluster (target < 1 ms), on the network the
 * real builder (net/build.ts) makes for flannel vxlan and for calico ipip. The model is
 * generated here (100 Pods per node) so the figure measures the walk, not the control plane.
 * The nodes carry the iptables rules buildSim installs, so every hook walks real chains.
 * The first walk fills the ARP caches and FDBs; the timed ones find them warm, as a second
 * `curl` in a real cluster would.
 *
 * Per family: a small dual-stack cluster (flannel vxlan, iptables mode, 2 nodes, one
 * dual-stack Service) walks the same cases over IPv4 and over IPv6: ping across nodes and HTTP to
 * the Service's clusterIP of that family (through iptables' or ip6tables' NAT).
 */
import { buildSim, installRules } from '../src/engine/index';
import { acceptAll } from '../src/engine/netfilter/hook';
import { iptablesRestore } from '../src/engine/netfilter/restore';
import type { ClusterModel, NodeModel, PodModel } from '../src/engine/model/cluster';
import { buildNetwork } from '../src/engine/build/network';
import type { Diagnostic } from '../src/engine/scenario/diagnostics';
import { clusterSpec } from '../src/engine/scenario/schema/knp';
import type { Sim } from '../src/engine/sim';
import { walk, type WalkRequest } from '../src/engine/stack/walk';
import { createRand } from '../src/engine/util/rand';
import { time, type Bench } from './harness';

function bigModel(plugin: 'flannel' | 'calico', backend: string, nodesN = 50, podsPerNode = 100): ClusterModel {
  const nodes: NodeModel[] = [];
  const pods: PodModel[] = [];
  for (let i = 0; i < nodesN; i++) {
    const n: NodeModel = {
      name: `node-${i}`, ip: `192.168.0.${10 + i}`, extraAddresses: [], podCIDR: `10.244.${i}.0/24`,
      labels: {}, taints: [], controlPlane: i === 0, ready: true, createdIndex: i,
    };
    nodes.push(n);
    for (let j = 0; j < podsPerNode; j++) {
      const name = `app-${i}-${j}`;
      pods.push({
        meta: { name, namespace: 'default', uid: name, labels: {}, annotations: {}, createdIndex: pods.length, createdAt: 0 },
        spec: {} as never, nodeName: n.name, hostNetwork: false, phase: 'Running', podIP: `10.244.${i}.${j + 2}`, hostIP: n.ip,
        containers: [{ name: 'app', image: 'nginx', env: [], ports: [{ containerPort: 80, protocol: 'TCP' }] }],
        ready: true, terminating: false, hostname: name, env: [], dnsPolicy: 'ClusterFirst', system: false, serviceEnv: [], createdIndex: 0,
      });
    }
  }
  return {
    hasCluster: true, name: 'bench', ageBase: 0, upstreamDns: null, apiServer: null,
    spec: clusterSpec.parse({ underlayCIDR: '192.168.0.0/16', network: { plugin, backend } }), nodes, namespaces: [], pods,
    workloads: [], services: [], endpoints: [], endpointSlices: [], configMaps: [], secrets: [], ingresses: [], ingressClasses: [],
    networkPolicies: [], externalHosts: [], probes: [], hosts: [], containers: [],
  };
}

export function bigCluster(plugin: 'flannel' | 'calico' = 'flannel', backend = 'vxlan', rules = true): Sim {
  const model = bigModel(plugin, backend);
  const ds: Diagnostic[] = [];
  const net = buildNetwork(model, createRand(1).fork('network'), ds);
  const { sim: base } = buildSim('', { seed: 1 });
  if (!rules) return { ...base, model, net, netfilter: acceptAll };
  const sim: Sim = { ...base, model, net };
  // The nodes' iptables rules (kubelet, kube-proxy, flannel/calico), as buildSim installs them.
  installRules(sim, iptablesRestore);
  return sim;
}

const DUAL_STACK = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: bench-dual}
spec:
  podCIDR: [10.244.0.0/16, "fd00:10:244::/56"]
  serviceCIDR: [10.96.0.0/12, "fd00:10:96::/112"]
  underlayCIDR: [192.168.1.0/24, "fd00:192:168:1::/64"]
  nodes:
  - {name: node-1, ip: [192.168.1.11, "fd00:192:168:1::11"], controlPlane: true}
  - {name: node-2, ip: [192.168.1.12, "fd00:192:168:1::12"]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ipFamilyPolicy: PreferDualStack
  clusterIP: 10.96.0.80
  clusterIPs: [10.96.0.80, "fd00:10:96::80"]
  ports: [{port: 80}]
`;

/** The per-family cases: the same walks over IPv4 and IPv6 in one dual-stack cluster. */
function perFamily(): ReturnType<typeof time>[] {
  const { sim } = buildSim(DUAL_STACK, { seed: 1 });
  const web = sim.model.pods.find((p) => p.meta.name === 'web')!;
  const web6 = web.podIPs!.find((a) => a.includes(':'))!;
  const cases: [string, WalkRequest][] = [
    ['IPv4 ping across nodes', { from: 'pod/default/client', to: web.podIP!, protocol: 'icmp' }],
    ['IPv6 ping -6 across nodes', { from: 'pod/default/client', to: web6, protocol: 'icmp' }],
    ['IPv4 Service HTTP SYN..FIN (iptables DNAT)', { from: 'pod/default/client', to: 'http://10.96.0.80/' }],
    ['IPv6 Service HTTP SYN..FIN (ip6tables DNAT)', { from: 'pod/default/client', to: 'http://[fd00:10:96::80]/' }],
  ];
  return cases.map(([what, r]) => {
    const verdict = walk(sim, r).verdict;
    return time(`walk: ${what}, dual-stack flannel vxlan, 2 nodes`, () => { walk(sim, r); }, { runs: 100, warmup: 10, note: verdict });
  });
}

export const bench: Bench = () => {
  const out = [...perFamily()];
  const cases = [['flannel', 'vxlan', false], ['calico', 'ipip', false], ['flannel', 'vxlan', true]] as const;
  for (const [plugin, backend, rules] of cases) {
    const sim = bigCluster(plugin, backend, rules);
    const ping: WalkRequest = { from: 'pod/default/app-1-2', to: '10.244.48.99', protocol: 'icmp' };
    const http: WalkRequest = { from: 'pod/default/app-1-3', to: 'http://10.244.47.77/' };
    for (const r of [ping, http]) {
      const t = walk(sim, r);
      if (t.verdict !== 'delivered') throw new Error(`bench walk ${r.to} over ${plugin} ${backend}: ${t.verdict} (${t.reason ?? ''})`);
    }
    const what = `50 nodes / 5,000 Pods, ${plugin} ${backend}, ${rules ? 'with the nodes\' iptables rules' : 'walk only (no rules)'}`;
    out.push(
      time(`walk: cross-node ping, ${what}`, () => { walk(sim, ping); }, { runs: 200, warmup: 20, targetMs: 1 }),
      time(`walk: cross-node HTTP SYN..FIN, ${what}`, () => { walk(sim, http); }, { runs: 60, warmup: 5, targetMs: 1, note: '7 legs' }),
    );
  }
  return out;
};
