/** The dual-stack scenario contract (issue #18, stage 1): CIDR lists, node addresses, their diagnostics. */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine';
import { runLine } from '../../../src/engine';

const cluster = (spec: string): string => `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: ds}
spec:
${spec.trim().split('\n').map((l) => `  ${l}`).join('\n')}
`;

const DUAL = cluster(`
podCIDR: [10.244.0.0/16, "fd00:10:244::/56"]
serviceCIDR: [10.96.0.0/12, "fd00:10:96::/112"]
underlayCIDR: [192.168.1.0/24, "fd00:192:168:1::/64"]
nodes:
- {name: node-1, ip: [192.168.1.11, "fd00:192:168:1::11"], controlPlane: true}
- {name: node-2, ip: [192.168.1.12, "fd00:192:168:1:0:0:0:12"]}
`);

const codes = (text: string) => buildSim(text).diagnostics.map((d) => `${d.severity}:${d.code}`);

describe('dual-stack cluster', () => {
  it('builds without a diagnostic (flannel vxlan walks both families, Services included), each node with one address and one Pod subnet per family', () => {
    const { sim, diagnostics } = buildSim(DUAL);
    expect(diagnostics.map((d) => `${d.severity}:${d.code}`)).toEqual([]);
    expect(sim.model.spec.ipFamilies).toEqual(['IPv4', 'IPv6']);
    expect(sim.model.spec.podCIDRs).toEqual(['10.244.0.0/16', 'fd00:10:244::/56']);
    expect(sim.model.nodes.map((n) => [n.ip, n.ips, n.podCIDR, n.podCIDRs])).toEqual([
      ['192.168.1.11', ['192.168.1.11', 'fd00:192:168:1::11'], '10.244.0.0/24', ['10.244.0.0/24', 'fd00:10:244::/64']],
      ['192.168.1.12', ['192.168.1.12', 'fd00:192:168:1::12'], '10.244.1.0/24', ['10.244.1.0/24', 'fd00:10:244:1::/64']],
    ]);
  });
  it('keeps IPv4 walking as before', () => {
    const { sim } = buildSim(DUAL);
    const out = runLine(sim, { kind: 'node', name: 'node-1' }, 'ping -c 1 192.168.1.12');
    expect(out.stdout).toContain('1 received');
  });
  it('IPv6 first makes IPv6 the primary family', () => {
    const { sim } = buildSim(cluster(`
podCIDR: ["fd00:10:244::/56", 10.244.0.0/16]
serviceCIDR: ["fd00:10:96::/112", 10.96.0.0/12]
nodes: [{name: node-1, ip: ["fd00::11", 192.168.1.11]}]
`));
    expect(sim.model.spec.ipFamilies).toEqual(['IPv6', 'IPv4']);
    expect(sim.model.nodes[0]!.podCIDRs).toEqual(['fd00:10:244::/64', '10.244.0.0/24']);
    expect(sim.model.nodes[0]!.ip).toBe('192.168.1.11');
  });
  it('an IPv4-only cluster keeps its model as it was (no ips, no podCIDRs)', () => {
    const { sim, diagnostics } = buildSim(cluster('podCIDR: 10.244.0.0/16'));
    expect(diagnostics).toEqual([]);
    expect(sim.model.spec.ipFamilies).toEqual(['IPv4']);
    expect(sim.model.nodes[0]!.ips).toBeUndefined();
    expect(sim.model.nodes[0]!.podCIDRs).toBeUndefined();
  });
});

describe('IPv6-only cluster', () => {
  it('builds, says the walk is IPv4 wiring only, and gives Kubernetes IPv6 ranges alone', () => {
    const { sim, diagnostics } = buildSim(cluster(`
podCIDR: "fd00:10:244::/56"
serviceCIDR: "fd00:10:96::/112"
underlayCIDR: "fd00:192:168:1::/64"
nodes: [{name: node-1, ip: "fd00:192:168:1::11"}, {name: node-2, ip: "fd00:192:168:1::12"}]
`));
    expect(diagnostics.map((d) => `${d.severity}:${d.code}`)).toEqual(['info:ipv6-datapath-not-yet']);
    expect(diagnostics[0]!.message).toContain('IPv6-only');
    expect(sim.model.spec.ipFamilies).toEqual(['IPv6']);
    expect(sim.model.nodes.map((n) => [n.ips, n.podCIDRs])).toEqual([
      [['fd00:192:168:1::11'], ['fd00:10:244::/64']], [['fd00:192:168:1::12'], ['fd00:10:244:1::/64']],
    ]);
    expect(new Set(sim.model.nodes.map((n) => n.ip)).size).toBe(2);
    const svc = (name: string) => sim.model.services.find((x) => x.meta.name === name)!;
    expect([svc('kubernetes').clusterIPs, svc('kubernetes').ipFamilies]).toEqual([['fd00:10:96::1'], ['IPv6']]);
    expect(svc('kube-dns').clusterIPs).toEqual(['fd00:10:96::a']);
  });
});

describe('dual-stack diagnostics', () => {
  it('two CIDRs of one family', () => {
    const text = cluster('podCIDR: [10.244.0.0/16, 10.245.0.0/16]');
    const d = buildSim(text).diagnostics.find((x) => x.code === 'dual-stack-same-family')!;
    expect(d.severity).toBe('error');
    expect([d.line, d.col]).toEqual([5, 28]);
    expect(d.hint).toContain('fd00:10:244::/56');
    expect(codes(cluster('podCIDR: ["fd00:1::/56", "fd00:2::/56"]\nserviceCIDR: "fd00:10:96::/112"'))).toContain('error:dual-stack-same-family');
  });
  it('more than two CIDRs', () => {
    expect(codes(cluster('podCIDR: [10.244.0.0/16, "fd00::/56", "fd01::/56"]'))).toContain('error:too-many-cidrs');
  });
  it('Service and Pod ranges of different families', () => {
    expect(codes(cluster('podCIDR: [10.244.0.0/16, "fd00:10:244::/56"]'))).toContain('error:cidr-family-mismatch');
  });
  it('an invalid or too large IPv6 Service range, and overlapping IPv6 ranges', () => {
    expect(codes(cluster('podCIDR: [10.244.0.0/16, "fd00:10:244::1/56"]\nserviceCIDR: [10.96.0.0/12, "fd00:10:96::/112"]'))).toContain('error:invalid-cidr');
    const big = buildSim(cluster('podCIDR: [10.244.0.0/16, "fd00:10:244::/56"]\nserviceCIDR: [10.96.0.0/12, "fd00:10:96::/64"]')).diagnostics.find((x) => x.code === 'invalid-cidr')!;
    expect(big.message).toContain('for 128-bit addresses, the mask must be >= 108');
    expect(codes(cluster('podCIDR: [10.244.0.0/16, "fd00::/48"]\nserviceCIDR: [10.96.0.0/12, "fd00::/112"]'))).toContain('error:cidr-overlap');
  });
  it('a node missing an address of a cluster family, or with two of one family', () => {
    const base = 'podCIDR: [10.244.0.0/16, "fd00:10:244::/56"]\nserviceCIDR: [10.96.0.0/12, "fd00:10:96::/112"]\nunderlayCIDR: [192.168.1.0/24, "fd00:1::/64"]\n';
    const miss6 = buildSim(cluster(`${base}nodes: [{name: node-1, ip: 192.168.1.11}]`));
    expect(miss6.diagnostics.map((d) => `${d.severity}:${d.code}`)).toContain('warning:node-ip-family-missing');
    expect(miss6.sim.model.nodes).toHaveLength(1);
    const miss4 = buildSim(cluster(`${base}nodes: [{name: node-1, ip: "fd00:1::11"}, {name: node-2, ip: [192.168.1.12, "fd00:1::12"]}]`));
    expect(miss4.diagnostics.map((d) => `${d.severity}:${d.code}`)).toContain('error:node-ip-family-missing');
    expect(miss4.sim.model.nodes.map((n) => n.name)).toEqual(['node-2']);
    expect(codes(cluster(`${base}nodes: [{name: node-1, ip: [192.168.1.11, 192.168.1.12]}]`))).toContain('error:dual-stack-same-family');
    expect(codes(cluster(`${base}nodes: [{name: node-1, ip: [192.168.1.11, "fd00:1::zz"]}]`))).toContain('error:invalid-ip');
    expect(codes(cluster(`${base}nodes: [{name: node-1, ip: [192.168.1.11, "fd00:2::11"]}]`))).toContain('warning:node-ip-outside-underlay');
  });
  it('an underlay without a cluster family', () => {
    expect(codes(cluster('podCIDR: [10.244.0.0/16, "fd00:10:244::/56"]\nserviceCIDR: [10.96.0.0/12, "fd00:10:96::/112"]'))).toContain('warning:underlay-family-missing');
  });
});
