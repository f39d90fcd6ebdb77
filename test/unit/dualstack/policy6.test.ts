/**
 * IPv6 ipBlocks in the plugins without Felix (issue #18): kube-router writes them into its IPv6
 * rules with inet6 ipsets, weave-npc leaves them out and says so; and every plugin that does not
 * wire IPv6 says so with ipv6-datapath-not-yet.
 */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { CNI_PLUGINS } from '../../../src/engine/cni/registry';
import { runLine } from '../../../src/engine/shell/run';
import { nodeNsId } from '../../../src/engine/net/ids';
import { renderDiagnostic } from '../../../src/engine/i18n/diagnostics';

function cluster(plugin: string, policy = ''): string {
  return `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: p6}
spec:
  podCIDR: [10.244.0.0/16, "fd00:10:244::/56"]
  serviceCIDR: [10.96.0.0/12, "fd00:10:96::/112"]
  underlayCIDR: [192.168.1.0/24, "fd00:192:168:1::/64"]
  network: {plugin: ${plugin}}
  nodes:
    - {name: node-1, ip: [192.168.1.11, "fd00:192:168:1::11"], controlPlane: true}
    - {name: node-2, ip: [192.168.1.12, "fd00:192:168:1::12"]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  nodeName: node-2
  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node-1
  containers: [{name: client, image: busybox, command: [sleep, infinity]}]
${policy ? `---\n${policy}` : ''}`;
}

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-blocks}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from:
        - ipBlock: {cidr: "fd00:10:244::/56", except: ["fd00:10:244:5::/64"]}
        - ipBlock: {cidr: 10.244.0.0/16}
`;
const node2 = { kind: 'node', name: 'node-2' } as const;

describe('kube-router: IPv6 ipBlocks in its IPv6 rules', () => {
  it('loads both families without a restore failure; the IPv6 chains name inet6: sets holding the IPv6 block and its exception', () => {
    const { sim, diagnostics } = buildSim(cluster('kube-router', POLICY), { seed: 1 });
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const ns = sim.net.namespaces.get(nodeNsId('node-2'))!;
    expect(ns.netfilter?.restoreFailure).toBeUndefined();
    expect(ns.netfilter6?.restoreFailure).toBeUndefined();
    const save6 = runLine(sim, node2, 'ip6tables-save -t filter').stdout;
    const rule = save6.split('\n').find((l) => /-m set --match-set inet6:KUBE-SRC-\S+ src -m set ! --match-set inet6:KUBE-SRC-\S+ src/.test(l));
    expect(rule).toBeDefined();
    expect(save6).toMatch(/-A KUBE-ROUTER-FORWARD -d fd00:10:244:1::3\/128 .*-j KUBE-POD-FW-/);
    expect(save6).toContain('--reject-with icmp6-port-unreachable');
    const sets = runLine(sim, node2, 'ipset list').stdout;
    const block = sets.split('\n\n').find((b) => b.includes('fd00:10:244::/56'))!;
    expect(block).toMatch(/^Name: inet6:KUBE-SRC-[A-Z2-7]{16}\nType: hash:net\n/);
    expect(block).toContain('Header: family inet6 ');
    expect(sets).toContain('fd00:10:244:5::/64');
    // The IPv4 rules keep only IPv4: the IPv6 block's IPv4 set is empty, no address of the other family anywhere.
    expect(runLine(sim, node2, 'iptables-save -t filter').stdout).not.toContain('inet6:');
    for (const b of sets.split('\n\n').filter((x) => /^Name: KUBE-SRC-/.test(x))) expect(b).not.toMatch(/fd00:/);
  });
});

describe('weave: no IPv6, so IPv6 ipBlocks are left out and a warning says so', () => {
  it('writes no IPv6 address into weave-npc\'s rules and warns at the block\'s cidr, in both languages', () => {
    const { sim, diagnostics } = buildSim(cluster('weave', POLICY), { seed: 1 });
    const ns = sim.net.namespaces.get(nodeNsId('node-2'))!;
    expect(ns.netfilter?.restoreFailure).toBeUndefined();
    const save = runLine(sim, node2, 'iptables-save -t filter').stdout;
    expect(save).not.toContain('fd00:');
    expect(save).toContain('-s 10.244.0.0/16');
    const w = diagnostics.filter((d) => d.code === 'policy-ipv6-unsupported');
    expect(w).toHaveLength(1);
    expect(w[0]!.severity).toBe('warning');
    expect(w[0]!.line).toBe(POLICY_LINE);
    expect(w[0]!.message).toContain('the ipBlock fd00:10:244::/56 is IPv6, but the weave network plugin has no IPv6');
    expect(w[0]!.hint).toContain('calico, kube-router');
    const zh = renderDiagnostic(w[0]!, 'zh-CN');
    expect(zh.message).toContain('weave 网络插件不支持 IPv6');
  });

  it('calico and kube-router give no such warning', () => {
    for (const plugin of ['calico', 'kube-router']) {
      const { diagnostics } = buildSim(cluster(plugin, POLICY), { seed: 1 });
      expect(diagnostics.map((d) => d.code)).not.toContain('policy-ipv6-unsupported');
    }
  });
});

/** The line of the IPv6 cidr in the scenario text (1-based). */
const POLICY_LINE = cluster('weave', POLICY).split('\n').findIndex((l) => l.includes('cidr: "fd00:10:244::/56"')) + 1;

describe('every plugin says whether it wires IPv6', () => {
  for (const [id, plugin] of Object.entries(CNI_PLUGINS)) {
    it(`${id}: ${plugin.ipv6?.({ network: { plugin: id, backend: plugin.backends[0] } } as never) ? 'walks IPv6' : 'says it does not wire IPv6 yet'}`, () => {
      const { diagnostics } = buildSim(cluster(id), { seed: 1 });
      const info = diagnostics.find((d) => d.code === 'ipv6-datapath-not-yet');
      // A dual-stack cluster of a plugin that wires IPv6 walks both families in full: nothing to say.
      if (['bridge', 'flannel', 'calico'].includes(id)) { expect(info).toBeUndefined(); return; }
      expect(info?.severity).toBe('info');
      expect(info!.message).toContain(`the ${id} plugin`);
      expect(info!.message).toContain('does not wire IPv6 yet');
    });
  }
});
