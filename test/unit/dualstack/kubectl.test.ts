/** What kubectl shows of a dual-stack cluster: Services' families and clusterIPs, nodes' podCIDRs and addresses. */
import { describe, expect, it } from 'vitest';
import { buildSim, runLine } from '../../../src/engine';

const SCENARIO = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: ds}
spec:
  podCIDR: [10.244.0.0/16, "fd00:10:244::/56"]
  serviceCIDR: [10.96.0.0/12, "fd00:10:96::/112"]
  underlayCIDR: [192.168.1.0/24, "fd00:192:168:1::/64"]
  nodes:
  - {name: node-1, ip: [192.168.1.11, "fd00:192:168:1::11"], controlPlane: true}
  - {name: node-2, ip: [192.168.1.12, "fd00:192:168:1::12"]}
---
apiVersion: v1
kind: Service
metadata: {name: both}
spec: {selector: {app: web}, ipFamilyPolicy: PreferDualStack, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: six}
spec: {selector: {app: web}, ipFamilies: [IPv6], clusterIP: "fd00:10:96::80", ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: plain}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: bad}
spec: {selector: {app: web}, ipFamilyPolicy: SingleStack, ipFamilies: [IPv4, IPv6], ports: [{port: 80}]}
`;

const PODS = `
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {nodeName: node-2, containers: [{name: c, image: nginx}]}
`;

const kubectl = (cmd: string): string => runLine(buildSim(SCENARIO + PODS).sim, { kind: 'node', name: 'node-1' }, cmd).stdout;

describe('kubectl on a dual-stack cluster', () => {
  const { sim, diagnostics } = buildSim(SCENARIO + PODS);
  it('allocates one cluster IP per family, clusterIP = clusterIPs[0], each inside its serviceCIDR', () => {
    const both = sim.model.services.find((s) => s.meta.name === 'both')!;
    expect(both.ipFamilies).toEqual(['IPv4', 'IPv6']);
    expect(both.ipFamilyPolicy).toBe('PreferDualStack');
    expect(both.clusterIPs).toHaveLength(2);
    expect(both.clusterIPs![0]).toBe(both.clusterIP);
    expect(both.clusterIPs![1]).toMatch(/^fd00:10:96::[0-9a-f]+$/);
    const six = sim.model.services.find((s) => s.meta.name === 'six')!;
    expect([six.ipFamilyPolicy, six.ipFamilies, six.clusterIPs]).toEqual(['SingleStack', ['IPv6'], ['fd00:10:96::80']]);
    const plain = sim.model.services.find((s) => s.meta.name === 'plain')!;
    expect([plain.ipFamilyPolicy, plain.ipFamilies, plain.clusterIPs]).toEqual(['SingleStack', ['IPv4'], [plain.clusterIP]]);
  });
  it('refuses two families under SingleStack with the API server\'s sentence, on the Service', () => {
    const d = diagnostics.find((x) => x.code === 'service-ip-family-invalid')!;
    expect(d.message).toBe(`Service "bad" is invalid: spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified`);
    expect(sim.model.services.some((s) => s.meta.name === 'bad')).toBe(false);
  });
  it('describe svc shows the policy, the families and both IPs', () => {
    const out = kubectl('kubectl describe svc both');
    const v6 = sim.model.services.find((s) => s.meta.name === 'both')!.clusterIPs![1]!;
    expect(out).toMatch(/IP Family Policy:\s+PreferDualStack\n/);
    expect(out).toMatch(/IP Families:\s+IPv4,IPv6\n/);
    expect(out).toMatch(new RegExp(`IPs:\\s+10\\.\\d+\\.\\d+\\.\\d+,${v6}\\n`));
  });
  it('get svc -o yaml lists clusterIPs and families; get svc shows the primary address', () => {
    const y = kubectl('kubectl get svc six -o yaml');
    expect(y).toContain('clusterIP: fd00:10:96::80');
    expect(y).toMatch(/clusterIPs:\n\s+- fd00:10:96::80\n/);
    expect(y).toMatch(/ipFamilies:\n\s+- IPv6\n/);
    expect(kubectl('kubectl get svc six')).toContain('fd00:10:96::80');
  });
  it('nodes show both podCIDRs and both InternalIPs', () => {
    const d = kubectl('kubectl describe node node-2');
    expect(d).toMatch(/PodCIDRs:\s+10\.244\.1\.0\/24,fd00:10:244:1::\/64\n/);
    expect(d).toMatch(/InternalIP:\s+192\.168\.1\.12\n\s+InternalIP:\s+fd00:192:168:1::12\n/);
    const y = kubectl('kubectl get node node-2 -o yaml');
    expect(y).toMatch(/podCIDRs:\n\s+- 10\.244\.1\.0\/24\n\s+- fd00:10:244:1::\/64\n/);
  });
  it('Pods get one address per family, the IPv6 one at the same host index of the node\'s IPv6 subnet', () => {
    const web = sim.model.pods.find((p) => p.meta.name === 'web')!;
    expect(web.podIPs).toEqual([web.podIP, `fd00:10:244:1::${(Number(web.podIP!.split('.')[3])).toString(16)}`]);
    const d = kubectl('kubectl describe pod web');
    expect(d).toMatch(new RegExp(`IPs:\\n\\s+IP:\\s+${web.podIP!.replace(/\./g, '\\.')}\\n\\s+IP:\\s+${web.podIPs![1]}\\n`));
    expect(kubectl('kubectl get pod web -o yaml')).toMatch(/podIPs:\n\s+- ip: 10\.244\.1\.\d+\n\s+- ip: fd00:10:244:1::[0-9a-f]+\n/);
  });
});
