import { describe, expect, it } from 'vitest';
import { policyAllows } from '../../../src/engine/policy/evaluate';
import { reachMatrix, reachPods } from '../../../src/engine/policy/matrix';
import type { ClusterModel, Protocol } from '../../../src/engine/model/cluster';
import { conformanceCluster, np, podIp } from './fixture';

/** The set of "src->dst" pairs that are dropped, from the fast matrix. */
function dropped(m: ClusterModel, port = 80, proto: Protocol = 'TCP'): string[] {
  const r = reachMatrix(m, reachPods(m), port, proto);
  const out: string[] = [];
  r.matrix.forEach((row, i) => row.forEach((ok, j) => { if (!ok) out.push(`${r.pods[i]}->${r.pods[j]}`); }));
  return out;
}

const all = ['x/a', 'x/b', 'x/c', 'y/a', 'y/b', 'y/c', 'z/a', 'z/b', 'z/c'];
const from = (srcs: string[], dst: string) => srcs.map((s) => `${s}->${dst}`);
const to = (src: string, dsts: string[]) => dsts.map((d) => `${src}->${d}`);

describe('NetworkPolicy semantics (conformance-shaped: x, y, z x a, b, c)', () => {
  it('no policy: everything reaches everything', () => {
    expect(dropped(conformanceCluster())).toEqual([]);
  });

  it('default deny ingress in x isolates x\'s Pods for ingress only', () => {
    const m = conformanceCluster([np('x', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] })]);
    const d = dropped(m);
    for (const dst of ['x/a', 'x/b', 'x/c']) for (const src of all) if (src !== dst) expect(d).toContain(`${src}->${dst}`);
    expect(d).not.toContain('x/a->y/a');
    expect(policyAllows(m, 'y/b', 'x/a', 80, 'TCP').reason).toBe('dropped: policy x/default-deny selects x/a for ingress; no rule allows y/b on 80/TCP');
  });

  it('a Pod always reaches itself (loopback), even when isolated', () => {
    const m = conformanceCluster([np('x', 'deny-a', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Ingress', 'Egress'] })]);
    expect(dropped(m)).toEqual([...to('x/a', all.filter((d) => d !== 'x/a')), ...from(all.filter((s) => s !== 'x/a' && s !== 'x/a'), 'x/a')].sort());
  });

  it('allow from a namespace: namespaceSelector ns=y', () => {
    const m = conformanceCluster([np('x', 'allow-y', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] })]);
    expect(dropped(m)).toEqual(from(['x/b', 'x/c', 'z/a', 'z/b', 'z/c'], 'x/a'));
    expect(policyAllows(m, 'y/c', 'x/a', 80, 'TCP').reason).toBe('allowed: ingress by x/allow-y ingress[0]');
  });

  it('namespaceSelector matches the automatic kubernetes.io/metadata.name label', () => {
    const m = conformanceCluster([np('x', 'allow-z', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'z' } } }] }] })]);
    expect(dropped(m)).toEqual(from(['x/b', 'x/c', 'y/a', 'y/b', 'y/c'], 'x/a'));
  });

  it('one peer with both selectors is AND; two peers are OR', () => {
    const and = conformanceCluster([np('x', 'and', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: { matchLabels: { pod: 'b' } } }] }] })]);
    expect(dropped(and)).toEqual(from(all.filter((s) => s !== 'y/b' && s !== 'x/a'), 'x/a'));
    const or = conformanceCluster([np('x', 'or', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }, { podSelector: { matchLabels: { pod: 'b' } } }] }] })]);
    // y/* (namespace peer) or x/b (pod peer: same namespace as the policy). z/b is not x/b.
    expect(dropped(or)).toEqual(from(['x/c', 'z/a', 'z/b', 'z/c'], 'x/a'));
  });

  it('matchExpressions In, NotIn, Exists, DoesNotExist', () => {
    const sel = (op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist', values?: string[]) => conformanceCluster([np('x', 'expr', {
      podSelector: { matchLabels: { pod: 'a' } },
      ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchExpressions: [{ key: 'pod', operator: op, ...(values ? { values } : {}) }] } }] }],
    })]);
    expect(dropped(sel('In', ['b', 'c']))).toEqual(from(['y/a', 'z/a'], 'x/a'));
    expect(dropped(sel('NotIn', ['b', 'c']))).toEqual(from(['x/b', 'x/c', 'y/b', 'y/c', 'z/b', 'z/c'], 'x/a'));
    expect(dropped(sel('Exists'))).toEqual([]);
    expect(dropped(sel('DoesNotExist'))).toEqual(from(all.filter((s) => s !== 'x/a'), 'x/a'));
  });

  it('ports: a named port resolves on the destination Pod; protocol defaults to TCP', () => {
    const m = conformanceCluster([np('x', 'named', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ ports: [{ port: 'serve-81-tcp' }] }] })]);
    expect(dropped(m, 81, 'TCP')).toEqual([]);
    expect(dropped(m, 80, 'TCP')).toEqual(from(all.filter((s) => s !== 'x/a'), 'x/a'));
    expect(dropped(m, 81, 'UDP')).toEqual(from(all.filter((s) => s !== 'x/a'), 'x/a'));
  });

  it('ports: UDP and SCTP rules, endPort ranges', () => {
    const m = conformanceCluster([np('x', 'udp', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ ports: [{ protocol: 'UDP', port: 80 }, { protocol: 'SCTP', port: 80, endPort: 81 }] }] })]);
    expect(dropped(m, 80, 'UDP')).toEqual([]);
    expect(dropped(m, 81, 'UDP')).toHaveLength(8);
    expect(dropped(m, 81, 'SCTP')).toEqual([]);
    expect(dropped(m, 80, 'TCP')).toHaveLength(8);
  });

  it('ipBlock with except', () => {
    const m = conformanceCluster([np('x', 'cidr', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.244.2.0/24', except: [`${podIp('y', 'b')}/32`] } }] }] })]);
    expect(dropped(m)).toEqual(from(['x/b', 'x/c', 'y/b', 'z/a', 'z/b', 'z/c'], 'x/a'));
    expect(policyAllows(m, '192.168.1.50', 'x/a', 80, 'TCP').allowed).toBe(false);
    expect(policyAllows(m, '10.244.2.99', 'x/a', 80, 'TCP').allowed).toBe(true);
  });

  it('egress-only: x/a can reach no one, everyone reaches x/a', () => {
    const m = conformanceCluster([np('x', 'deny-egress', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'] })]);
    expect(dropped(m)).toEqual(to('x/a', all.filter((d) => d !== 'x/a')));
    expect(policyAllows(m, 'x/a', 'y/b', 80, 'TCP').reason).toBe('dropped: policy x/deny-egress selects x/a for egress; no rule allows y/b on 80/TCP');
  });

  it('egress rules imply policyTypes Egress (and Ingress by default)', () => {
    const m = conformanceCluster([np('x', 'eg', { podSelector: { matchLabels: { pod: 'a' } }, egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] })]);
    const d = dropped(m);
    expect(d).toContain('x/a->z/a');
    expect(d).not.toContain('x/a->y/a');
    // Ingress isolation too (policyTypes default includes Ingress), with no ingress rules.
    expect(d).toContain('y/a->x/a');
  });

  it('both directions must allow: egress of the source and ingress of the destination', () => {
    const m = conformanceCluster([
      np('x', 'eg-to-y', { podSelector: { matchLabels: { pod: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] }),
      np('y', 'deny-in', { podSelector: {}, policyTypes: ['Ingress'] }),
    ]);
    expect(policyAllows(m, 'x/a', 'y/a', 80, 'TCP').reason).toBe('dropped: policy y/deny-in selects y/a for ingress; no rule allows x/a on 80/TCP');
  });

  it('the union of all policies selecting a Pod', () => {
    const m = conformanceCluster([
      np('x', 'deny', { podSelector: {}, policyTypes: ['Ingress'] }),
      np('x', 'allow-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ podSelector: { matchLabels: { pod: 'b' } } }] }] }),
    ]);
    expect(policyAllows(m, 'x/b', 'x/a', 80, 'TCP').allowed).toBe(true);
    expect(policyAllows(m, 'x/c', 'x/a', 80, 'TCP').reason).toBe('dropped: policies x/deny, x/allow-b select x/a for ingress; no rule allows x/c on 80/TCP');
  });

  it('policies that change: adding, then removing, a policy changes the table', () => {
    const before = conformanceCluster();
    const during = { ...before, networkPolicies: conformanceCluster([np('y', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })]).networkPolicies };
    const after = { ...during, networkPolicies: [] };
    expect(dropped(before)).toEqual([]);
    expect(dropped(during)).toHaveLength(3 * 8);
    expect(dropped(after)).toEqual([]);
  });

  it('flannel does not enforce: policies exist, nothing is dropped', () => {
    const m = conformanceCluster([np('x', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] })], 'flannel');
    expect(dropped(m)).toEqual([]);
    expect(policyAllows(m, 'y/b', 'x/a', 80, 'TCP').reason).toBe('allowed: the flannel network plugin does not enforce NetworkPolicy');
    const canal = conformanceCluster([np('x', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] })], 'canal');
    expect(dropped(canal)).toHaveLength(3 * 8);
  });

  it('hostNetwork Pods are never selected', () => {
    const m = conformanceCluster([np('x', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })]);
    const pods = m.pods.map((p) => (p.meta.name === 'c' && p.meta.namespace === 'x' ? { ...p, hostNetwork: true, podIP: '192.168.1.11' } : p));
    const m2 = { ...m, pods };
    expect(policyAllows(m2, 'x/c', 'y/a', 80, 'TCP').allowed).toBe(true);
    expect(policyAllows(m2, 'y/a', 'x/c', 80, 'TCP').allowed).toBe(true);
  });
});

describe('the fast matrix agrees with policyAllows cell by cell', () => {
  const sets = [
    [np('x', 'deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] })],
    [np('x', 'and', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 'serve-80-tcp' }] }] })],
    [np('y', 'eg', { podSelector: { matchExpressions: [{ key: 'pod', operator: 'NotIn', values: ['c'] }] }, egress: [{ to: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.3.0/24'] } }], ports: [{ protocol: 'UDP', port: 80, endPort: 81 }] }] }),
      np('z', 'in', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchExpressions: [{ key: 'ns', operator: 'In', values: ['x', 'y'] }] } }] }] })],
  ];
  for (const [k, set] of sets.entries()) {
    it(`policy set ${k}`, () => {
      const m = conformanceCluster(set);
      for (const port of [80, 81]) for (const proto of ['TCP', 'UDP', 'SCTP'] as Protocol[]) {
        const r = reachMatrix(m, reachPods(m), port, proto);
        r.pods.forEach((s, i) => r.pods.forEach((d, j) => {
          expect(r.matrix[i]![j], `${s}->${d} ${port}/${proto}`).toBe(policyAllows(m, s, d, port, proto).allowed);
        }));
      }
    });
  }
});
