/**
 * Calico in IPv6 (issue #18): IPv6 /122 blocks per node, the Pod's /128 and its link-local
 * gateway, Felix's /128 routes and proxy_ndp, BIRD's native IPv6 routes (bgp, ipip) or
 * vxlan-v6.calico (vxlan), Felix's policy chains in ip6tables, and calicoctl's IPv6 side.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Sim } from '../../../src/engine/sim';
import { walk } from '../../../src/engine/stack/walk';

const SCENARIO = readFileSync(new URL('../../../content/scenarios/calico-dual-stack.yaml', import.meta.url), 'utf8');
/** The content scenario with another backend / plugin and without its NetworkPolicy (or with `policy`). */
function scenario(opts: { backend?: string; plugin?: string; policy?: string } = {}): string {
  const docs = SCENARIO.split(/^---$/m).filter((d) => !/kind: NetworkPolicy/.test(d));
  let text = docs.join('---');
  text = text.replace('network: {plugin: calico, backend: ipip, mtu: 1500}', `network: {plugin: ${opts.plugin ?? 'calico'}, backend: ${opts.backend ?? 'ipip'}, mtu: 1500}`);
  return opts.policy ? `${text}\n---\n${opts.policy}` : text;
}
function sim(text: string): Sim {
  const { sim: s, diagnostics } = buildSim(text, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return s;
}
const addr6 = (s: Sim, name: string): string => s.model.pods.find((p) => p.meta.name === name)!.podIPs!.find((a) => a.includes(':'))!;
const client = { kind: 'pod', namespace: 'default', name: 'client' } as const;
const web = { kind: 'pod', namespace: 'default', name: 'web' } as const;
const node1 = { kind: 'node', name: 'node-1' } as const;
const node2 = { kind: 'node', name: 'node-2' } as const;

const V6_BLOCK_ONLY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: v6-block}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from: [{ipBlock: {cidr: "fd00:10:244::/64"}}]
`;
const V4_BLOCK_ONLY = V6_BLOCK_ONLY.replace('v6-block', 'v4-block').replace('"fd00:10:244::/64"', '10.244.0.0/24');

describe('calico dual-stack: the Pod side', () => {
  it('gives the Pod a /128 on eth0 and a default route via the cali device\'s link-local address', () => {
    const s = sim(scenario());
    expect(runLine(s, client, 'ip -6 addr show dev eth0').stdout).toContain(`inet6 ${addr6(s, 'client')}/128 scope global`);
    expect(runLine(s, client, 'ip -6 route').stdout).toContain('default via fe80::ecee:eeff:feee:eeee dev eth0 metric 1024 pref medium');
    // That gateway is the host end's own link-local address (MAC ee:ee:ee:ee:ee:ee): no proxy needed to resolve it.
    const host = runLine(s, node1, 'ip -6 route show table local').stdout;
    expect(host).toMatch(/local fe80::ecee:eeff:feee:eeee dev cali[0-9a-f]{11} /);
  });

  it('canal (flannel\'s routes, calico\'s Pod wiring) stays IPv4: no IPv6 address on the Pod', () => {
    const s = sim(scenario({ plugin: 'canal', backend: 'vxlan' }));
    expect(runLine(s, client, 'ip -6 addr show dev eth0').stdout).not.toContain('scope global');
  });
});

describe('calico dual-stack: the node side', () => {
  it('ipip: a /128 per local Pod, a blackhole for its own /122 block, BIRD\'s native route to the peer\'s block (IPIP is IPv4 only)', () => {
    const s = sim(scenario());
    const r = runLine(s, node1, 'ip -6 route').stdout;
    expect(r).toContain('blackhole fd00:10:244::/122 proto bird metric 1024 pref medium');
    expect(r).toMatch(new RegExp(`${addr6(s, 'client')} dev cali[0-9a-f]{11} metric 1024 pref medium`));
    expect(r).toContain('fd00:10:244:1::/122 via fd00:192:168:1::12 dev eth0 proto bird metric 1024 pref medium');
    expect(r).not.toContain('tunl0');
    expect(runLine(s, node1, 'ip route').stdout).toContain('10.244.1.0/24 via 192.168.1.12 dev tunl0 proto bird onlink');
  });

  it('Felix turns proxy_ndp and forwarding on for each cali device', () => {
    const s = sim(scenario());
    const dev = /dev (cali[0-9a-f]{11})/.exec(runLine(s, node1, `ip -6 route get ${addr6(s, 'client')}`).stdout)![1]!;
    expect(runLine(s, node1, `sysctl net.ipv6.conf.${dev}.proxy_ndp net.ipv6.conf.${dev}.forwarding`).stdout).toBe(`net.ipv6.conf.${dev}.proxy_ndp = 1\nnet.ipv6.conf.${dev}.forwarding = 1\n`);
  });

  it('vxlan: vxlan-v6.calico over the nodes\' IPv6 addresses, routes proto 80 onlink, permanent neighbour and FDB entries', () => {
    const s = sim(scenario({ backend: 'vxlan' }));
    const link = runLine(s, node1, 'ip -d link show vxlan-v6.calico').stdout;
    expect(link).toContain('mtu 1430');
    expect(link).toMatch(/vxlan id 4096 local fd00:192:168:1::11 dev eth0 .*dstport 4789/);
    expect(runLine(s, node1, 'ip -6 route').stdout).toContain('fd00:10:244:1::/122 via fd00:10:244:1:: dev vxlan-v6.calico proto 80 metric 1024 onlink pref medium');
    expect(runLine(s, node1, 'ip -6 neigh show dev vxlan-v6.calico').stdout).toMatch(/^fd00:10:244:1:: lladdr [0-9a-f:]{17} PERMANENT/);
    expect(runLine(s, node1, 'bridge fdb show dev vxlan-v6.calico').stdout).toContain('dst fd00:192:168:1::12');
  });

  for (const backend of ['ipip', 'bgp', 'vxlan']) {
    it(`${backend}: ping -6 crosses the nodes and comes back`, () => {
      const s = sim(scenario({ backend }));
      const t = walk(s, { from: 'pod/default/client', to: addr6(s, 'web'), protocol: 'icmp' });
      expect(t.verdict).toBe('delivered');
      expect(t.responder).toBe('pod/default/web');
      expect(t.events.some((e) => e.type === 'encap' && e.where.dev === 'vxlan-v6.calico')).toBe(backend === 'vxlan');
      expect(t.events.some((e) => e.where.dev === 'tunl0')).toBe(false);
    });
  }
});

describe('calico dual-stack: Felix\'s IPv6 policy chains', () => {
  it('an IPv4-only ipBlock lets IPv4 in and IPv6 not: the IPv6 chain drops it', () => {
    const s = sim(scenario({ policy: V4_BLOCK_ONLY }));
    expect(walk(s, { from: 'pod/default/client', to: s.model.pods.find((p) => p.meta.name === 'web')!.podIP!, protocol: 'icmp' }).verdict).toBe('delivered');
    const t = walk(s, { from: 'pod/default/client', to: addr6(s, 'web'), protocol: 'icmp' });
    expect(t.verdict).toBe('dropped');
    expect(t.events.some((e) => /Drop if no policies passed packet/.test(JSON.stringify(e)))).toBe(true);
    const save6 = runLine(s, node2, 'ip6tables-save -t filter').stdout;
    expect(save6).toContain(`-A cali-to-wl-dispatch -d ${addr6(s, 'web')}/128`);
    expect(save6).not.toContain('10.244.');
  });

  it('an IPv6 ipBlock goes into the IPv6 chains only and lets IPv6 in', () => {
    const s = sim(scenario({ policy: V6_BLOCK_ONLY }));
    expect(walk(s, { from: 'pod/default/client', to: addr6(s, 'web'), protocol: 'icmp' }).verdict).toBe('delivered');
    expect(walk(s, { from: 'pod/default/client', to: s.model.pods.find((p) => p.meta.name === 'web')!.podIP!, protocol: 'icmp' }).verdict).toBe('dropped');
    expect(runLine(s, node2, 'ip6tables-save -t filter').stdout).toMatch(/-A cali-pi-_[0-9a-f]{8} -s fd00:10:244::\/64 .*-j MARK --set-xmark 0x10000\/0x10000/);
    expect(runLine(s, node2, 'iptables-save -t filter').stdout).not.toContain('fd00:');
  });

  it('the content scenario\'s label policy admits the client over IPv6 on port 80 and nothing else', () => {
    const s = sim(SCENARIO);
    expect(runLine(s, client, `curl -s http://[${addr6(s, 'web')}]/`).stdout).toContain('Hostname: web');
    expect(runLine(s, client, `ping -6 -c 1 ${addr6(s, 'web')}`).stdout).toContain('0 received');
  });
});

describe('calicoctl and birdcl: the IPv6 side', () => {
  it('node status lists the IPv6 mesh peers, the pools include default-ipv6-ippool, workload endpoints both addresses', () => {
    const s = sim(scenario());
    const st = runLine(s, node1, 'calicoctl node status').stdout;
    expect(st).toMatch(/IPv6 BGP status\n\+-+/);
    expect(st).toContain('| fd00:192:168:1::12 | node-to-node mesh | up    |');
    expect(runLine(s, node1, 'calicoctl get ippool -o wide').stdout).toMatch(/default-ipv6-ippool +fd00:10:244::\/56 +false +Never +Never /);
    expect(runLine(s, node1, 'calicoctl get nodes -o wide').stdout).toMatch(/node-2 +\(64512\) +192\.168\.1\.12\/24 +fd00:192:168:1::12\/64/);
    expect(runLine(s, node1, 'calicoctl get wep').stdout).toContain(`${s.model.pods.find((p) => p.meta.name === 'web')!.podIP}/32,${addr6(s, 'web')}/128`);
    expect(runLine(s, node1, 'birdcl -s /var/run/calico/bird6.ctl show protocols').stdout).toContain('Mesh_fd00_192_168_1__12 BGP    master up');
  });

  it('vxlan runs no BIRD: no IPv6 peers, the IPv6 pool in VXLAN mode', () => {
    const s = sim(scenario({ backend: 'vxlan' }));
    expect(runLine(s, node1, 'calicoctl node status').stdout).toContain('IPv6 BGP status\nNo IPv6 peers found.');
    expect(runLine(s, node1, 'calicoctl get ippool -o wide').stdout).toMatch(/default-ipv6-ippool +fd00:10:244::\/56 +false +Never +Always /);
  });
});

describe('traceroute -6 across calico nodes', () => {
  it('shows node-2, node-1 and the client answering port unreachable, with 80-byte probes', () => {
    const s = sim(SCENARIO);
    const out = runLine(s, web, `traceroute -6 -n ${addr6(s, 'client')}`).stdout;
    expect(out.split('\n')[0]).toBe(`traceroute to ${addr6(s, 'client')} (${addr6(s, 'client')}), 30 hops max, 80 byte packets`);
    expect(out).toMatch(/^ 1 {2}fd00:192:168:1::12 {2}/m);
    expect(out).toMatch(/^ 2 {2}fd00:192:168:1::11 {2}/m);
    expect(out).toMatch(new RegExp(`^ 3  ${addr6(s, 'client')}  [0-9.]+ ms  [0-9.]+ ms  [0-9.]+ ms$`, 'm'));
    expect(out).not.toMatch(/^ 4 /m);
  });
});
