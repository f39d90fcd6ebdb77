import { describe, expect, it } from 'vitest';
import { runKnp } from '../../helpers/cli';

const YAML = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: calico}
---
apiVersion: v1
kind: Namespace
metadata: {name: x}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {pod: a}}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {pod: b}}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: x}
spec:
  podSelector: {matchLabels: {pod: a}}
  policyTypes: [Ingress]
`;

describe('knp reach', () => {
  it('--json keeps the contract: port, protocol, pods, a square matrix', async () => {
    const r = await runKnp(['reach', 's.yaml', '--port', '81', '--proto', 'udp', '--json'], { files: { 's.yaml': YAML } });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { port: number; protocol: string; pods: string[]; matrix: boolean[][] };
    expect(Object.keys(j)).toEqual(['port', 'protocol', 'pods', 'matrix']);
    expect(j.port).toBe(81);
    expect(j.protocol).toBe('UDP');
    expect(j.matrix).toHaveLength(j.pods.length);
    for (const row of j.matrix) expect(row).toHaveLength(j.pods.length);
  });

  it('prints the exact JSON: x/a is isolated for ingress, x/b is not', async () => {
    const r = await runKnp(['reach', 's.yaml', '--json'], { files: { 's.yaml': YAML } });
    expect(r.stdout).toBe('{"port":80,"protocol":"TCP","pods":["x/a","x/b"],"matrix":[[true,true],[false,true]]}\n');
  });

  it('prints a table; --namespaces narrows it', async () => {
    const r = await runKnp(['reach', 's.yaml', '--port', '81', '--proto', 'udp'], { files: { 's.yaml': YAML } });
    expect(r.stdout).toBe('reachability 81/UDP (row reaches column; . = allowed, X = dropped)\n          1  2\n 1  x/a   .  .\n 2  x/b   X  .\n');
    const none = await runKnp(['reach', 's.yaml', '--namespaces', 'y', '--json'], { files: { 's.yaml': YAML } });
    expect(none.stdout).toBe('{"port":80,"protocol":"TCP","pods":[],"matrix":[]}\n');
  });

  it('rejects bad flags like a CLI should', async () => {
    expect((await runKnp(['reach', 's.yaml', '--proto', 'icmp'], { files: { 's.yaml': YAML } })).stderr).toBe('knp reach: --proto must be tcp, udp or sctp, not "icmp"\n');
    expect((await runKnp(['reach', 's.yaml', '--port', '0'], { files: { 's.yaml': YAML } })).code).toBe(2);
    expect((await runKnp(['reach'])).stderr).toMatch(/^usage: knp reach FILE/);
  });
});
