/**
 * Upstream's conformance model, in our own words: namespaces x, y, z (labelled ns=NS), Pods a, b, c
 * in each (labelled pod=NAME), each serving 80 and 81 over TCP, UDP and SCTP with named ports
 * serve-PORT-PROTO. Pod IPs: x/a 10.244.1.10, x/b 10.244.1.11, ... z/c 10.244.3.12.
 */
import type { ClusterModel, Protocol } from '../../../src/engine/model/cluster';
import type { NetworkPolicyIn } from '../../../src/engine/scenario/schema/k8s';
import { meta, model, pod } from '../dns/fixture';

export const NAMESPACES = ['x', 'y', 'z'] as const;
export const PODS = ['a', 'b', 'c'] as const;
const PROTOS: Protocol[] = ['TCP', 'UDP', 'SCTP'];

export function podIp(ns: string, name: string): string {
  return `10.244.${NAMESPACES.indexOf(ns as 'x') + 1}.${10 + PODS.indexOf(name as 'a')}`;
}

export function conformanceCluster(policies: NetworkPolicyIn['spec'][] | { ns: string; name: string; spec: NetworkPolicyIn['spec'] }[] = [], plugin: 'calico' | 'flannel' | 'canal' = 'calico'): ClusterModel {
  const base = model({
    namespaces: NAMESPACES.map((ns) => meta('', ns, { ns })),
    pods: NAMESPACES.flatMap((ns, ni) => PODS.map((p) => pod(ns, p, {
      ip: podIp(ns, p), labels: { pod: p }, node: `node-${(ni % 2) + 1}`,
      ports: [80, 81].flatMap((port) => PROTOS.map((protocol) => ({ name: `serve-${port}-${protocol.toLowerCase()}`, containerPort: port, protocol }))),
    }))),
  });
  const networkPolicies = policies.map((p, i) => ('spec' in p && 'ns' in p ? { meta: meta(p.ns, p.name), spec: p.spec } : { meta: meta('x', `policy-${i}`), spec: p as NetworkPolicyIn['spec'] }));
  return { ...base, spec: { ...base.spec, network: { ...base.spec.network, plugin } }, networkPolicies };
}

export const np = (ns: string, name: string, spec: NetworkPolicyIn['spec']) => ({ ns, name, spec });
