/** AWS VPC CNI: addresses from the ENIs, the per-ENI tables and rules, ipamd's rules, max Pods and knp check. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { INSTANCE_TYPES, maxPods } from '../../../src/engine/cni/aws-vpc-cni/eni';
import { clusterSpec } from '../../../src/engine/scenario/schema/knp';
import { sh } from '../shell/helpers';

const YAML = readFileSync(new URL('../../../content/scenarios/aws-vpc-cni.yaml', import.meta.url), 'utf8');
const node1 = { kind: 'node' as const, name: 'node-1' };

describe('aws-vpc-cni', () => {
  it('gives Pods VPC addresses: the primary ENI\'s secondaries first, then eth1\'s', () => {
    const { sim, diagnostics } = buildSim(YAML, { seed: 1 });
    expect(diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const onNode1 = sim.model.pods.filter((p) => p.nodeName === 'node-1' && !p.hostNetwork).map((p) => p.podIP).sort();
    expect(onNode1).toEqual(['192.168.1.100', '192.168.1.101', '192.168.1.102', '192.168.1.104']);
    expect(sh(sim, node1, 'ip -br addr show eth1').stdout).toBe('eth1             UP             192.168.1.103/24 \n');
  });

  it('writes the rules and tables ipamd writes: 512 to each Pod, 1024 fwmark, 1536 from a Pod on eth1', () => {
    const { sim } = buildSim(YAML, { seed: 1 });
    expect(sh(sim, node1, 'ip rule').stdout).toBe([
      '0:\tfrom all lookup local',
      '512:\tfrom all to 192.168.1.104 lookup main',
      '512:\tfrom all to 192.168.1.102 lookup main',
      '512:\tfrom all to 192.168.1.101 lookup main',
      '512:\tfrom all to 192.168.1.100 lookup main',
      '1024:\tfrom all fwmark 0x80/0x80 lookup main',
      '1536:\tfrom 192.168.1.104 lookup 2',
      '32766:\tfrom all lookup main',
      '32767:\tfrom all lookup default',
      '',
    ].join('\n'));
    expect(sh(sim, node1, 'ip route show table 2').stdout).toBe('default via 192.168.1.1 dev eth1 \n192.168.1.1 dev eth1 scope link \n');
    // eth1's subnet route is gone from main; each Pod has a /32 through its eni veth.
    const main = sh(sim, node1, 'ip route').stdout;
    expect(main).not.toContain('dev eth1');
    expect(main).toMatch(/^192\.168\.1\.104 dev eni[0-9a-f]{11} scope link $/m);
    expect(sh(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'ip route').stdout).toBe('default via 169.254.1.1 dev eth0 \n169.254.1.1 dev eth0 scope link \n');
    expect(sh(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'ip neigh').stdout).toMatch(/^169\.254\.1\.1 dev eth0 lladdr [0-9a-f:]{17} PERMANENT\n$/);
  });

  it('writes AWS-SNAT-CHAIN-0 and AWS-CONNMARK-CHAIN-0', () => {
    const { sim } = buildSim(YAML, { seed: 1 });
    const nat = sh(sim, node1, 'iptables -t nat -S AWS-SNAT-CHAIN-0').stdout;
    expect(nat).toContain('-A AWS-SNAT-CHAIN-0 ! -o vlan+ -m comment --comment "AWS, SNAT" -m addrtype ! --dst-type LOCAL -j SNAT --to-source 192.168.1.11 --random-fully');
    expect(sh(sim, node1, 'iptables -t nat -S AWS-CONNMARK-CHAIN-0').stdout).toContain('-j CONNMARK --set-xmark 0x80/0x80');
    expect(sh(sim, node1, 'iptables -t mangle -S PREROUTING').stdout).toContain('-A PREROUTING -i eni+ -m comment --comment "AWS, primary ENI" -j CONNMARK --restore-mark --nfmask 0x80 --ctmask 0x80');
  });

  it('caps Pods per node at ENIs × (IPs per ENI − 1) + 2, with the scheduler\'s message', () => {
    expect(maxPods(clusterSpec.parse({ network: { plugin: 'aws-vpc-cni' } }))).toBe(17);
    expect(maxPods(clusterSpec.parse({ network: { plugin: 'aws-vpc-cni', instanceType: 'm5.large' } }))).toBe(29);
    const { sim, diagnostics } = buildSim(YAML.replace('instanceType: t3.small', 'instanceType: t3.micro'), { seed: 1 });
    const pending = sim.model.pods.filter((p) => p.meta.name.startsWith('web-') && p.nodeName === null);
    expect(pending.length).toBeGreaterThan(0);
    expect(diagnostics.map((d) => d.message)).toContain(`Pod default/${pending[0]!.meta.name} stays Pending: 0/2 nodes are available: 2 Too many pods. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod.`);
  });

  it('the schema offers exactly the instance types of the table', () => {
    const shape = clusterSpec.in.shape.network.unwrap().shape.instanceType.unwrap();
    expect([...shape.options].sort()).toEqual(Object.keys(INSTANCE_TYPES).sort());
  });
});

describe('knp check: settings that do not apply', () => {
  it('instanceType under another plugin is a warning at its line and column', () => {
    const yaml = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8')
      .replace('network: {plugin: flannel, backend: vxlan, bridge: cni0, mtu: 1500}', 'network: {plugin: flannel, backend: vxlan, bridge: cni0, mtu: 1500, instanceType: t3.small}');
    const d = buildSim(yaml, { seed: 1 }).diagnostics.find((x) => x.code === 'network-setting-not-applicable');
    expect(d).toMatchObject({ severity: 'warning', line: 10, col: 85, params: { setting: 'instanceType', plugin: 'flannel', owners: 'aws-vpc-cni' } });
    expect(d?.hint).toBe('remove instanceType, or use network.plugin: aws-vpc-cni');
  });

  it('a backend or an unknown instance type on aws-vpc-cni is an error with the choices', () => {
    const bad = buildSim(YAML.replace('instanceType: t3.small', 'backend: vxlan, instanceType: x9.huge'), { seed: 1 }).diagnostics.filter((d) => d.severity === 'error');
    expect(bad.map((d) => d.code).sort()).toEqual(['invalid-value']);
    const backend = buildSim(YAML.replace('instanceType: t3.small', 'backend: vxlan'), { seed: 1 }).diagnostics.find((d) => d.code === 'invalid-backend');
    expect(backend?.message).toBe('network plugin aws-vpc-cni has no backend "vxlan"');
  });

  it('NetworkPolicy is not enforced by aws-vpc-cni', () => {
    const yaml = `${YAML}---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n`;
    const d = buildSim(yaml, { seed: 1 }).diagnostics.find((x) => x.code === 'policy-not-enforced');
    expect(d?.message).toBe('NetworkPolicy default/deny has no effect: the aws-vpc-cni network plugin does not enforce NetworkPolicy');
  });
});
