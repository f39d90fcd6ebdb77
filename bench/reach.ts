/** Reachability matrix for 500 Pods and 50 NetworkPolicies (issue 5 target: under 200 ms). */
import { reachMatrix, reachPods } from '../src/engine/policy/matrix';
import type { NetworkPolicyIn } from '../src/engine/scenario/schema/k8s';
import { meta, model, pod } from '../test/unit/dns/fixture';
import { time, type Bench } from './harness';

function bigCluster() {
  const namespaces = Array.from({ length: 10 }, (_, i) => `ns${i}`);
  const pods = Array.from({ length: 500 }, (_, i) => pod(namespaces[i % 10]!, `p${i}`, {
    ip: `10.244.${Math.floor(i / 250)}.${(i % 250) + 2}`, labels: { app: `app${i % 7}`, tier: i % 3 === 0 ? 'db' : 'web' },
    node: `node-${(i % 2) + 1}`, ports: [{ name: 'http', containerPort: 80 }, { name: 'dns', containerPort: 53, protocol: 'UDP' }],
  }));
  const specs: NetworkPolicyIn['spec'][] = Array.from({ length: 50 }, (_, k) => ({
    podSelector: k % 5 === 0 ? {} : { matchLabels: { app: `app${k % 7}` } },
    policyTypes: k % 4 === 0 ? ['Ingress', 'Egress'] : ['Ingress'],
    ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespaces[(k + 1) % 10]! } }, podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] } }, { ipBlock: { cidr: '10.244.1.0/24', except: ['10.244.1.128/25'] } }], ports: [{ port: 'http' }, { protocol: 'UDP', port: 53 }] }],
    egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 80, endPort: 90 }] }],
  }));
  return model({
    namespaces: namespaces.map((n) => meta('', n, { team: n })),
    pods,
    networkPolicies: specs.map((spec, k) => ({ meta: meta(namespaces[k % 10]!, `pol-${k}`), spec })),
  });
}

export const bench: Bench = () => {
  const m0 = bigCluster();
  const m = { ...m0, spec: { ...m0.spec, network: { ...m0.spec.network, plugin: 'calico' as const } } };
  const pods = reachPods(m);
  return [time('reach matrix 500 pods x 50 policies', () => { reachMatrix(m, pods, 80, 'TCP'); }, { runs: 5, warmup: 1, targetMs: 200 })];
};
