/** `kubectl describe networkpolicy|netpol NAME` through the shell, in kubectl's layout. */
import { describe, expect, it } from 'vitest';
import { buildSim, runArgv } from '../../../src/engine/index';

const yaml = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  nodes:
  - {name: node-1, ip: 192.168.1.11}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-allow-frontend, labels: {team: db}}
spec:
  podSelector: {matchLabels: {role: db}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {role: frontend}}}]
    ports: [{protocol: TCP, port: 6379}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny}
spec:
  podSelector: {}
`;

describe('kubectl describe networkpolicy', () => {
  const { sim } = buildSim(yaml);
  const kubectl = (...args: string[]) => runArgv(sim, { kind: 'workstation' }, ['kubectl', ...args]);

  it('prints the policy as kubectl does, by full name, short name and kind/name', () => {
    const r = kubectl('describe', 'networkpolicy', 'db-allow-frontend');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Name: {9}db-allow-frontend\nNamespace: {4}default\nCreated on: {3}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC\nLabels: {7}team=db\nAnnotations: {2}<none>\nSpec:\n  PodSelector: {5}role=db\n  Allowing ingress traffic:\n    To Port: 6379\/TCP\n    From:\n      PodSelector: role=frontend\n  Not affecting egress traffic\n  Policy Types: Ingress\n$/);
    expect(kubectl('describe', 'netpol', 'db-allow-frontend').stdout).toBe(r.stdout);
    expect(kubectl('describe', 'networkpolicy/db-allow-frontend').stdout).toBe(r.stdout);
    expect(kubectl('describe', 'netpol', 'default-deny').stdout).toContain('  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    <none> (Selected pods are isolated for ingress connectivity)\n');
  });

  it('every policy of the namespace without a name; NotFound names the API group', () => {
    const all = kubectl('describe', 'netpol').stdout;
    expect(all).toContain('Name:         db-allow-frontend\n');
    expect(all).toContain('\n\nName:         default-deny\n');
    const missing = kubectl('describe', 'netpol', 'nope');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toBe('Error from server (NotFound): networkpolicies.networking.k8s.io "nope" not found\n');
  });
});
