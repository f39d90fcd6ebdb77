/**
 * The evaluator and the packet walk agree cell by cell: the walk crosses the calico-style
 * chains installPolicyRules loaded on the nodes, the evaluator reads the API objects.
 * Conformance shape: namespaces x, y, z; Pods a, b, c; ports 80 and 81 over TCP and UDP.
 */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { reachability } from '../../../src/engine/clients/reach';
import { installPolicyRules } from '../../../src/engine/cni/calico/policy';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import { walk } from '../../../src/engine/stack/walk';
import type { Protocol } from '../../../src/engine/model/cluster';

function scenario(policies: string, plugin = 'calico'): string {
  const head = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: conformance}
spec:
  network: {plugin: ${plugin}}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
`;
  const docs: string[] = [head];
  ['x', 'y', 'z'].forEach((ns, i) => {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {ns: ${ns}}}\n`);
    ['a', 'b', 'c'].forEach((p, j) => docs.push(`apiVersion: v1
kind: Pod
metadata: {name: ${p}, namespace: ${ns}, labels: {pod: ${p}}}
spec:
  nodeName: node-${((i + j) % 2) + 1}
  containers:
  - name: c
    image: agnhost
    ports:
    - {name: serve-80-tcp, containerPort: 80}
    - {name: serve-81-tcp, containerPort: 81}
    - {name: serve-80-udp, containerPort: 80, protocol: UDP}
    - {name: serve-81-udp, containerPort: 81, protocol: UDP}
`));
  });
  return [...docs, policies].filter(Boolean).join('---\n');
}

const POLICIES: Record<string, string> = {
  'default deny ingress in x': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: x}
spec: {podSelector: {}, policyTypes: [Ingress]}
`,
  'AND peer, named port': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: and, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  ingress:
  - from: [{namespaceSelector: {matchLabels: {ns: y}}, podSelector: {matchLabels: {pod: b}}}]
    ports: [{port: serve-81-tcp}, {protocol: UDP, port: 80}]
`,
  'egress only, ipBlock with except': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: eg, namespace: y}
spec:
  podSelector: {matchExpressions: [{key: pod, operator: NotIn, values: [c]}]}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.244.0.0/16, except: [10.244.1.0/24]}}]
    ports: [{port: 80, endPort: 81}]
`,
};

describe('evaluator == walk, cell by cell', () => {
  for (const [name, policy] of Object.entries(POLICIES)) {
    it(name, () => {
      const { sim } = buildSim(scenario(policy));
      for (const [port, protocol] of [[80, 'TCP'], [81, 'TCP'], [80, 'UDP']] as [number, Protocol][]) {
        const byWalk = reachability(sim, { port, protocol, via: 'walk' });
        const byEval = reachability(sim, { port, protocol, via: 'evaluator' });
        expect(byWalk.decidedBy).toBe('walk');
        expect(byWalk.pods).toEqual(byEval.pods);
        byEval.pods.forEach((s, i) => byEval.pods.forEach((d, j) => {
          expect(byWalk.matrix[i]![j], `${s} -> ${d} ${port}/${protocol}`).toBe(byEval.matrix[i]![j]);
        }));
      }
    });
  }

  it('a drop names the policy in the trace', () => {
    const { sim } = buildSim(scenario(POLICIES['default deny ingress in x']!));
    const xa = sim.model.pods.find((p) => p.meta.namespace === 'x' && p.meta.name === 'a')!;
    const t = walk(sim, { from: 'pod/y/b', to: `tcp://${xa.podIP}:80`, protocol: 'tcp' });
    expect(t.verdict).toBe('dropped');
    expect(t.reason).toContain('Drop if no policies passed packet: policy x/deny selects x/a for ingress');
  });

  it('policies that change: reloading the rules changes the walk', () => {
    const { sim } = buildSim(scenario(''));
    const xa = sim.model.pods.find((p) => p.meta.namespace === 'x' && p.meta.name === 'a')!;
    const go = () => walk(sim, { from: 'pod/y/b', to: `tcp://${xa.podIP}:80`, protocol: 'tcp' }).verdict;
    expect(go()).toBe('delivered');
    const deny = buildSim(scenario(POLICIES['default deny ingress in x']!)).sim.model.networkPolicies;
    sim.model = { ...sim.model, networkPolicies: deny };
    expect(installPolicyRules(sim, iptablesRestore)).toEqual([]);
    expect(go()).toBe('dropped');
    sim.model = { ...sim.model, networkPolicies: [] };
    installPolicyRules(sim, iptablesRestore);
    expect(go()).toBe('delivered');
  });

  it('flannel: the policy exists, nothing is dropped, a warning says so', () => {
    const { sim, diagnostics } = buildSim(scenario(POLICIES['default deny ingress in x']!, 'flannel'));
    expect(diagnostics.map((d) => d.code)).toContain('policy-not-enforced');
    const r = reachability(sim, { port: 80, protocol: 'TCP' });
    expect(r.decidedBy).toBe('walk');
    expect(r.matrix.flat().every(Boolean)).toBe(true);
  });
});
