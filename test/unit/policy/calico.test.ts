import { describe, expect, it } from 'vitest';
import { buildPolicyRuleset, policyChain } from '../../../src/engine/cni/calico/policy';
import { policyDiagnostics } from '../../../src/engine/control/policy/diagnostics';
import { conformanceCluster, np } from './fixture';

describe('calico-style rules per node', () => {
  const m = conformanceCluster([
    np('x', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] }),
    np('x', 'allow-y-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } }, podSelector: { matchLabels: { pod: 'b' } } }], ports: [{ port: 'serve-80-tcp' }] }] }),
    np('x', 'cidr', { podSelector: { matchLabels: { pod: 'b' } }, ingress: [{ from: [{ ipBlock: { cidr: '10.244.0.0/16', except: ['10.244.2.0/24'] } }] }] }),
  ]);
  const text = buildPolicyRuleset(m, 'node-1');

  it('is iptables-restore input for the filter table, hooked first into FORWARD', () => {
    expect(text.startsWith('*filter\n:cali-FORWARD - [0:0]\n')).toBe(true);
    expect(text.endsWith('COMMIT\n')).toBe(true);
    expect(text).toContain('-I FORWARD 1 -m comment --comment "cali:wUHhoiAYhphO9Mso" -j cali-FORWARD');
  });

  it('dispatches each isolated local Pod by address to its cali-tw chain', () => {
    expect(text).toMatch(/-A cali-to-wl-dispatch -d 10\.244\.1\.10\/32 -m comment --comment "to x\/a" -j cali-tw-cali[0-9a-f]{11}/);
    // node-2 holds y's Pods: no x Pod there, no per-Pod chain.
    expect(buildPolicyRuleset(m, 'node-2')).not.toContain('cali-tw-');
  });

  it('names the policy and rule in comments; named ports resolved on the destination Pod', () => {
    const chain = policyChain(m.networkPolicies[1]!, 'ingress');
    expect(text).toContain(`-A ${chain} -s 10.244.2.11/32 -d 10.244.1.10/32 -p tcp -m tcp --dport 80 -m comment --comment "Policy x/allow-y-b ingress rule 0" -j MARK --set-xmark 0x10000/0x10000`);
    expect(text).toContain('-m comment --comment "Drop if no policies passed packet: policies x/default-deny, x/allow-y-b select x/a for ingress" -j DROP');
  });

  it('ipBlock except becomes RETURNs in a sub-chain', () => {
    const chain = policyChain(m.networkPolicies[2]!, 'ingress');
    expect(text).toContain(`-A ${chain}-00 -s 10.244.2.0/24 -m comment --comment "Policy x/cidr ingress rule 0 peer 0: except 10.244.2.0/24" -j RETURN`);
    expect(text).toContain(`-A ${chain} -s 10.244.0.0/16 -m comment --comment "Policy x/cidr ingress rule 0" -j ${chain}-00`);
  });

  it('replies of allowed connections pass first', () => {
    expect(text).toMatch(/-A cali-tw-cali[0-9a-f]{11} -m conntrack --ctstate RELATED,ESTABLISHED -m comment --comment "replies of allowed connections" -j ACCEPT/);
  });

  it('chain names fit iptables\' 28 characters', () => {
    for (const line of text.split('\n').filter((l) => l.startsWith(':'))) expect(line.split(' ')[0]!.length - 1).toBeLessThanOrEqual(28);
  });

  it('flannel: no rules, and a policy-not-enforced warning per policy', () => {
    const f = conformanceCluster([np('x', 'default-deny', { podSelector: {}, policyTypes: ['Ingress'] })], 'flannel');
    expect(buildPolicyRuleset(f, 'node-1')).toBe('');
    const ds = policyDiagnostics(f, 's.yaml');
    expect(ds.map((d) => `${d.severity} ${d.code}: ${d.message}`)).toEqual(['warning policy-not-enforced: NetworkPolicy x/default-deny has no effect: the flannel network plugin does not enforce NetworkPolicy']);
    expect(policyDiagnostics(m, 's.yaml')).toEqual([]);
  });
  it('a peer across namespaces lists the Pods it names in the model\'s order, each once, the same on every node', () => {
    const all = conformanceCluster([
      np('x', 'from-any-b', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { pod: 'b' } } }] }] }),
      np('x', 'from-y', { podSelector: { matchLabels: { pod: 'a' } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { ns: 'y' } } }] }] }),
    ]);
    const chain = (i: number) => policyChain(all.networkPolicies[i]!, 'ingress');
    const sources = (t: string, c: string) => t.split('\n').filter((l) => l.startsWith(`-A ${c} -s `)).map((l) => l.split(' ')[3]);
    const t = buildPolicyRuleset(all, 'node-1');
    const bs = all.pods.filter((p) => !p.hostNetwork && p.podIP && p.meta.labels.pod === 'b').map((p) => `${p.podIP}/32`);
    expect(new Set(all.pods.filter((p) => p.meta.labels.pod === 'b').map((p) => p.meta.namespace)).size).toBeGreaterThan(1);
    expect(sources(t, chain(0))).toEqual(bs);
    const ys = all.pods.filter((p) => !p.hostNetwork && p.podIP && p.meta.namespace === 'y').map((p) => `${p.podIP}/32`);
    expect(ys.length).toBeGreaterThan(1);
    expect(sources(t, chain(1))).toEqual(ys);
    for (const n of all.nodes) {
      const tn = buildPolicyRuleset(all, n.name);
      if (tn.includes(`:${chain(0)} `)) expect(sources(tn, chain(0))).toEqual(bs);
    }
  });
});
