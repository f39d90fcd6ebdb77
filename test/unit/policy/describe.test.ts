import { describe, expect, it } from 'vitest';
import { describeNetworkPolicy } from '../../../src/engine/shell/netpol';
import { conformanceCluster, np } from './fixture';

describe('kubectl describe networkpolicy', () => {
  it('prints the spec the way kubectl does', () => {
    const m = conformanceCluster([np('x', 'test-network-policy', {
      podSelector: { matchLabels: { role: 'db' } }, policyTypes: ['Ingress', 'Egress'],
      ingress: [{
        from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } }, { namespaceSelector: { matchLabels: { project: 'myproject' } } }, { podSelector: { matchLabels: { role: 'frontend' } } }],
        ports: [{ protocol: 'TCP', port: 6379 }],
      }],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
    })]);
    expect(describeNetworkPolicy(m, 'x', ['test-network-policy']).stdout).toBe(`Name:         test-network-policy
Namespace:    x
Created on:   2024-05-01 09:00:00 +0000 UTC
Labels:       <none>
Annotations:  <none>
Spec:
  PodSelector:     role=db
  Allowing ingress traffic:
    To Port: 6379/TCP
    From:
      IPBlock:
        CIDR: 172.17.0.0/16
        Except: 172.17.1.0/24
    From:
      NamespaceSelector: project=myproject
    From:
      PodSelector: role=frontend
  Allowing egress traffic:
    To Port: 5978/TCP
    To:
      IPBlock:
        CIDR: 10.0.0.0/24
        Except: 
  Policy Types: Ingress, Egress
`);
  });

  it('default deny, AND peers, missing names', () => {
    const m = conformanceCluster([
      np('x', 'deny', { podSelector: {} }),
      np('x', 'and', { podSelector: { matchExpressions: [{ key: 'pod', operator: 'In', values: ['b', 'a'] }] }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: { matchLabels: { pod: 'b' } } }] }, {}] }),
    ]);
    expect(describeNetworkPolicy(m, 'x', ['deny']).stdout).toContain('  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n  Allowing ingress traffic:\n    <none> (Selected pods are isolated for ingress connectivity)\n  Not affecting egress traffic\n  Policy Types: Ingress\n');
    expect(describeNetworkPolicy(m, 'x', ['and']).stdout).toContain('  PodSelector:     pod in (a,b)\n  Allowing ingress traffic:\n    To Port: <any> (traffic allowed to all ports)\n    From:\n      NamespaceSelector: ns=y\n      PodSelector: pod=b\n    ----------\n    To Port: <any> (traffic allowed to all ports)\n    From: <any> (traffic not restricted by source)\n');
    const r = describeNetworkPolicy(m, 'x', ['nope']);
    expect(r.stderr).toBe('Error from server (NotFound): networkpolicies.networking.k8s.io "nope" not found\n');
    expect(describeNetworkPolicy(m, 'y', []).stderr).toBe('No resources found in y namespace.\n');
  });
});
