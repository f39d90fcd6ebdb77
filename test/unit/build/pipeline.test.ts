/** buildSim and rebuildSim run one pipeline: a rebuild reports what a first build of the same objects reports. */
import { describe, expect, it } from 'vitest';
import { buildSim, rebuildSim } from '../../../src/engine/index';
import { webScenario } from '../k8s/fixtures';

// flannel does not enforce NetworkPolicy (policy-not-enforced, from the control plane's policy
// check); the Pod's dnsConfig lists four nameservers, which kubelet trims (dns-config-forming).
const yaml = `${webScenario(2)}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: v1
kind: Pod
metadata: {name: many-dns}
spec:
  dnsPolicy: None
  dnsConfig: {nameservers: [1.1.1.1, 1.0.0.1, 8.8.8.8, 8.8.4.4]}
  containers: [{name: c, image: busybox}]
`;

const codes = (ds: readonly { code: string }[]): string[] => ds.map((d) => d.code).sort();

describe('build pipeline', () => {
  it('a rebuild keeps the policy and DNS diagnostics of the first build', () => {
    const { sim, diagnostics } = buildSim(yaml);
    expect(codes(diagnostics)).toEqual(expect.arrayContaining(['dns-config-forming', 'policy-not-enforced']));
    const again = rebuildSim(sim);
    expect(codes(again)).toEqual(codes(diagnostics));
    expect(again.map((d) => d.message)).toEqual(diagnostics.map((d) => d.message));
  });

  it('a rebuild of unchanged objects gives the same Pods, addresses and links', () => {
    const { sim } = buildSim(yaml);
    const pods = sim.model.pods.map((p) => `${p.meta.name} ${p.nodeName} ${p.podIP}`);
    const links = [...sim.net.namespaces.values()].map((ns) => `${ns.id} ${ns.links.map((l) => `${l.name}/${l.mac}`).join(',')}`);
    rebuildSim(sim);
    expect(sim.model.pods.map((p) => `${p.meta.name} ${p.nodeName} ${p.podIP}`)).toEqual(pods);
    expect([...sim.net.namespaces.values()].map((ns) => `${ns.id} ${ns.links.map((l) => `${l.name}/${l.mac}`).join(',')}`)).toEqual(links);
  });
});
