/** Dual-stack on the Kubernetes side: EndpointSlices per family and kube-proxy's IPv6 (ip6tables) rules. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine } from '../../../src/engine';
import { kubeProxyIp6tables } from '../../../src/engine/agents/kubeproxy/iptables6';

const DS = readFileSync('test/golden/kubectl/scenarios/dualstack6.yaml', 'utf8');
const V4 = DS.replace(/podCIDR: \[.*\]/, 'podCIDR: 10.244.0.0/16').replace(/serviceCIDR: \[.*\]/, 'serviceCIDR: 10.96.0.0/12').replace(/underlayCIDR: \[.*\]/, 'underlayCIDR: 192.168.1.0/24')
  .replace(/ip: \[(192\.168\.1\.\d+), "[^"]+"\]/g, 'ip: $1').replace(/  ipFamilyPolicy: PreferDualStack\n  clusterIP: 10.96.0.80\n  clusterIPs: .*\n/, '  clusterIP: 10.96.0.80\n').replace(/  ipFamilies: \[IPv6\]\n  clusterIP: "fd00:10:96::86"\n/, '');

describe('EndpointSlices per address family', () => {
  const { sim } = buildSim(DS);
  const slices = (svc: string) => sim.model.endpointSlices.filter((s) => s.serviceName === svc);
  it('a dual-stack Service gets one slice per family, each with the Pods\' addresses of that family', () => {
    const web = slices('web');
    expect(web.map((s) => s.addressType)).toEqual(['IPv4', 'IPv6']);
    expect(web[0]!.endpoints.map((e) => e.addresses[0])).toEqual(['10.244.0.3', '10.244.1.3']);
    expect(web[1]!.endpoints.map((e) => e.addresses[0])).toEqual(['fd00:10:244::3', 'fd00:10:244:1::3']);
    expect(web[1]!.endpoints.map((e) => e.targetRef)).toEqual(['pod/default/web-a', 'pod/default/web-b']);
  });
  it('a SingleStack IPv6 Service gets an IPv6 slice only, and its Endpoints hold IPv6 addresses', () => {
    expect(slices('web6').map((s) => s.addressType)).toEqual(['IPv6']);
    const ep = sim.model.endpoints.find((e) => e.meta.name === 'web6')!;
    expect(ep.subsets[0]!.addresses.map((a) => a.ip)).toEqual(['fd00:10:244::3', 'fd00:10:244:1::3']);
    const out = runLine(sim, { kind: 'node', name: 'node-1' }, 'kubectl get endpoints web6').stdout;
    expect(out).toContain('[fd00:10:244::3]:80,[fd00:10:244:1::3]:80');
  });
  it('an IPv4-only cluster keeps IPv4 slices only', () => {
    const { sim: v4 } = buildSim(V4);
    expect(v4.model.endpointSlices.every((s) => s.addressType === 'IPv4')).toBe(true);
    expect(v4.model.endpointSlices.filter((s) => s.serviceName === 'web6')).toHaveLength(1);
  });
});

describe("kube-proxy's IPv6 rules (iptables mode)", () => {
  const { sim } = buildSim(DS);
  const node = sim.model.nodes[0]!;
  const text = kubeProxyIp6tables(sim.model, node);
  it('captures each IPv6 clusterIP and DNATs to "[ip]:port" endpoints, masquerading off-cluster sources by the IPv6 pod CIDR', () => {
    expect(text).toContain('-A KUBE-SERVICES -m comment --comment "default/web cluster IP" -m tcp -p tcp -d fd00:10:96::80 --dport 80 -j KUBE-SVC-');
    expect(text).toContain('-j DNAT --to-destination [fd00:10:244:1::3]:80');
    expect(text).toMatch(/-d fd00:10:96::80 --dport 80 ! -s fd00:10:244::\/56 -j KUBE-MARK-MASQ/);
    expect(text).toContain('-A KUBE-NODEPORTS -m comment --comment default/web6 -m tcp -p tcp --dport 30086 -j KUBE-EXT-');
  });
  it('has no localhost NodePorts: the tail call excludes ::1, and no 127.0.0.0/8 rule', () => {
    expect(text).toContain('-m addrtype --dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS');
    expect(text).not.toContain('127.0.0.0/8');
    expect(text).not.toContain('KUBE-FIREWALL');
  });
  it('the IPv4 rules leave out the SingleStack IPv6 Service; the dual-stack one is in both', () => {
    const v4 = runLine(sim, { kind: 'node', name: 'node-1' }, 'iptables-save -t nat').stdout;
    expect(v4).not.toContain('web6');
    expect(v4).toContain('-d 10.96.0.80/32 -p tcp -m comment --comment "default/web cluster IP"');
    const v6 = runLine(sim, { kind: 'node', name: 'node-1' }, 'ip6tables-save -t nat').stdout;
    expect(v6).toContain('-A KUBE-SERVICES -d fd00:10:96::80/128 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-');
    expect(v6).toContain('-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(v6).not.toContain('10.96.');
  });
  it('ip6tables-restore loads a REJECT that ip6tables-save prints with ICMPv6 and addresses in their IPv6 forms', () => {
    const { sim: s } = buildSim(DS);
    const n1 = { kind: 'node', name: 'node-1' } as const;
    const r = runLine(s, n1, `ip6tables-restore --noflush <<EOF\n*filter\n:KUBE-SERVICES - [0:0]\n-A KUBE-SERVICES -m comment --comment "a/b has no endpoints" -m tcp -p tcp -d fd00::a --dport 80 -j REJECT\nCOMMIT\nEOF`);
    expect(r.exitCode).toBe(0);
    const saved = runLine(s, n1, 'ip6tables-save -t filter').stdout;
    expect(saved).toContain('-A KUBE-SERVICES -d fd00::a/128 -p tcp -m comment --comment "a/b has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp6-port-unreachable');
  });
  it('an IPv4-only cluster has no IPv6 ruleset', () => {
    const { sim: v4 } = buildSim(V4);
    expect(runLine(v4, { kind: 'node', name: 'node-1' }, 'ip6tables-save').stdout).toBe('');
  });
});

describe("kube-proxy's IPv6 virtual servers (IPVS mode)", () => {
  it('ipvsadm -Ln lists each IPv6 clusterIP and IPv6 NodePort address as [addr]:port with IPv6 real servers; the SingleStack IPv6 Service has no IPv4 one', () => {
    const { sim } = buildSim(DS.replace('spec:\n  podCIDR:', 'spec:\n  kubeProxy: {mode: ipvs}\n  podCIDR:'));
    const out = runLine(sim, { kind: 'node', name: 'node-1' }, 'ipvsadm -Ln').stdout;
    expect(out).toContain('TCP  [fd00:10:96::80]:80 rr\n  -> [fd00:10:244:1::3]:80        Masq    1      0          0         \n  -> [fd00:10:244::3]:80 ');
    expect(out).toContain('TCP  [fd00:192:168:1::11]:30086 rr');
    expect(out).toContain('TCP  10.96.0.80:80 rr');
    expect(out).not.toMatch(/:8080 rr[^\n]*\n[^\n]*10\.244/);
    expect(out).not.toContain('192.168.1.11:30086');
  });
});

describe('NetworkPolicy ipBlock in IPv6', () => {
  it('an IPv6 block matches IPv6 addresses inside it and outside its excepts, never an IPv4 address', async () => {
    const { ipBlockMatches } = await import('../../../src/engine/policy/evaluate');
    const block = { cidr: 'fd00:10:244::/56', except: ['fd00:10:244:1::/64'] };
    expect(ipBlockMatches(block, 'fd00:10:244::3')).toBe(true);
    expect(ipBlockMatches(block, 'fd00:10:244:1::3')).toBe(false);
    expect(ipBlockMatches(block, 'fd00:10:245::3')).toBe(false);
    expect(ipBlockMatches(block, '10.244.0.3')).toBe(false);
    expect(ipBlockMatches({ cidr: '10.244.0.0/16' }, 'fd00:10:244::3')).toBe(false);
    expect(ipBlockMatches({ cidr: '10.244.0.0/16' }, '10.244.0.3')).toBe(true);
  });
  it("calico's IPv4 chains leave an IPv6 block out (the IPv4 restore still loads)", () => {
    const yaml = DS.replace('spec:\n  podCIDR:', 'spec:\n  network: {plugin: calico, backend: bgp}\n  podCIDR:') + `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: six-only}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: [{from: [{ipBlock: {cidr: "fd00:10:244::/56", except: ["fd00:10:244:1::/64"]}}, {ipBlock: {cidr: 10.244.0.0/16}}]}]
`;
    const { sim, diagnostics } = buildSim(yaml);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const save = runLine(sim, { kind: 'node', name: 'node-1' }, 'iptables-save -t filter').stdout;
    expect(save).toContain('cali-pi-');
    expect(save).toContain('10.244.0.0/16');
    expect(save).not.toContain('fd00:');
  });
});
