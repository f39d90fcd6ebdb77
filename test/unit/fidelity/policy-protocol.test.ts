/**
 * Issue 16: NetworkPolicy ports honour `protocol`. A policy that allows only SCTP on port 80
 * must not let TCP through on it, in the evaluator and in the chains calico enforces (whose
 * `-p sctp -m sctp --dport 80` line once failed to load, silently leaving the Pod open).
 */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine';
import { policyAllows } from '../../../src/engine/policy/evaluate';
import { walk } from '../../../src/engine/stack/walk';
import { runKnp } from '../../helpers/cli';

const YAML = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: calico}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
---
apiVersion: v1
kind: Pod
metadata: {name: a, labels: {pod: a}}
spec:
  nodeName: node-1
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}, {containerPort: 80, protocol: SCTP}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {pod: b}}
spec:
  nodeName: node-2
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: sctp-only}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Ingress]
  ingress:
  - ports: [{port: 80, protocol: SCTP}]
`;

describe('NetworkPolicy ports and protocol', () => {
  it('the evaluator: SCTP 80 allowed, TCP 80 and UDP 80 not', () => {
    const { sim } = buildSim(YAML);
    expect(policyAllows(sim.model, 'default/b', 'default/a', 80, 'SCTP').allowed).toBe(true);
    expect(policyAllows(sim.model, 'default/b', 'default/a', 80, 'TCP').allowed).toBe(false);
    expect(policyAllows(sim.model, 'default/b', 'default/a', 80, 'UDP').allowed).toBe(false);
  });

  it('the enforced chains load and drop TCP 80', () => {
    const { sim, diagnostics } = buildSim(YAML);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const a = sim.model.pods.find((p) => p.meta.name === 'a')!;
    const t = walk(sim, { from: 'pod/default/b', to: `http://${a.podIP}/` });
    expect(t.verdict).toBe('dropped');
    expect(t.events.some((e) => e.type === 'policy' || /sctp-only/.test(e.summary))).toBe(true);
  });

  it('knp reach --proto sctp answers with the allowed cell', async () => {
    const sctp = await runKnp(['reach', 's.yaml', '--proto', 'sctp', '--json'], { files: { 's.yaml': YAML } });
    expect(sctp.code).toBe(0);
    expect(sctp.stdout).toBe('{"port":80,"protocol":"SCTP","pods":["default/a","default/b"],"matrix":[[true,true],[true,true]]}\n');
    const tcp = await runKnp(['reach', 's.yaml', '--json'], { files: { 's.yaml': YAML } });
    expect(tcp.stdout).toBe('{"port":80,"protocol":"TCP","pods":["default/a","default/b"],"matrix":[[true,true],[false,true]]}\n');
  });
});
