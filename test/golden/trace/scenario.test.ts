/**
 * Golden traces on networks built from scenario YAML by the real builder (net/build.ts): every
 * CNI plugin and backend, the seed's typed commands on a plain Host, and the failure cases.
 * Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/trace/scenario.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import type { Sim } from '../../../src/engine/sim';
import { runLine } from '../../../src/engine/shell/run';
import { walk, type WalkRequest } from '../../../src/engine/stack/walk';
import { formatTrace } from '../../../src/engine/trace/format';
import { clusterYaml } from './scenario/cluster';

const DIR = new URL('./', import.meta.url);

function expectGolden(name: string, text: string): void {
  const file = new URL(`${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden ${name}.txt: run UPDATE_GOLDEN=1 npx vitest run test/golden/trace/scenario.test.ts`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

function build(yaml: string): Sim {
  const { sim, diagnostics } = buildSim(yaml, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

function podIP(sim: Sim, name: string): string {
  return sim.model.pods.find((p) => p.meta.name === name)!.podIP!;
}

function trace(name: string, sim: Sim, req: WalkRequest): string {
  const text = formatTrace(walk(sim, req));
  expectGolden(name, text);
  return text;
}

const backends: [string, string, string | null][] = [
  ['flannel-vxlan', 'flannel', 'vxlan'],
  ['flannel-udp', 'flannel', 'udp'],
  ['flannel-host-gw', 'flannel', 'host-gw'],
  ['calico-bgp', 'calico', 'bgp'],
  ['calico-ipip', 'calico', 'ipip'],
  ['bridge', 'bridge', null],
];

describe('scenario-built golden traces', () => {
  for (const [name, plugin, backend] of backends) {
    it(`cross-node Pod to Pod over ${name}`, () => {
      const sim = build(clusterYaml(plugin, backend));
      const t = trace(`scenario-cross-node-${name}`, sim, { from: 'pod/default/client', to: podIP(sim, 'web'), protocol: 'icmp' });
      expect(t).toContain('verdict: delivered');
      expect(t).toContain('responder: pod/default/web');
    });
  }

  it('cross-node HTTP over flannel vxlan: the Pod answers with its name and the client address', () => {
    const sim = build(clusterYaml('flannel', 'vxlan'));
    const t = trace('scenario-cross-node-http', sim, { from: 'pod/default/client', to: `http://${podIP(sim, 'web')}/` });
    expect(t).toContain(`seen source: ${podIP(sim, 'client')}:`);
  });

  it('same-node Pod to Pod', () => {
    const sim = build(clusterYaml('flannel', 'vxlan'));
    expect(trace('scenario-same-node', sim, { from: 'pod/default/client', to: podIP(sim, 'web-a'), protocol: 'icmp' })).toContain('responder: pod/default/web-a');
  });

  it('containers of one Pod over localhost', () => {
    const sim = build(clusterYaml('flannel', 'vxlan'));
    expect(trace('scenario-localhost', sim, { from: 'pod/default/app', to: 'http://127.0.0.1:8080/' })).toContain('responder: pod/default/app');
  });

  it('Pod to node and to a hostNetwork Pod', () => {
    const sim = build(clusterYaml('flannel', 'vxlan'));
    const node2 = sim.model.nodes.find((n) => n.name === 'node-2')!.ip;
    // TCP to the node's sshd: the Pod's address is masqueraded on the way out of node-1 (flannel's
    // FLANNEL-POSTRTG), so node-2 sees node-1's address.
    const t = trace('scenario-pod-to-node', sim, { from: 'pod/default/client', to: `tcp://${node2}:22` });
    expect(t).toContain('responder: node/node-2');
    expect(t).toContain('seen source: 192.168.1.11:');
    expect(trace('scenario-hostnetwork', sim, { from: 'pod/default/client', to: `http://${node2}:9100/` })).toContain('responder: pod/default/exporter');
  });

  it('a deleted route and a link set down, typed in the node shell', () => {
    const sim = build(clusterYaml('flannel', 'vxlan'));
    const web = podIP(sim, 'web');
    const r = runLine(sim, { kind: 'node', name: 'node-1' }, `ip route del ${web.replace(/\.\d+$/, '.0')}/24`);
    expect(r.exitCode).toBe(0);
    expect(trace('scenario-deleted-route', sim, { from: 'pod/default/client', to: web, protocol: 'icmp' })).not.toContain('verdict: delivered');
    const sim2 = build(clusterYaml('flannel', 'vxlan'));
    expect(runLine(sim2, { kind: 'node', name: 'node-2' }, 'ip link set flannel.1 down').exitCode).toBe(0);
    expect(trace('scenario-link-down', sim2, { from: 'pod/default/client', to: web, protocol: 'icmp' })).not.toContain('verdict: delivered');
  });

  it('TTL expiry and an MTU too small under VXLAN', () => {
    const sim = build(clusterYaml('flannel', 'vxlan'));
    const web = podIP(sim, 'web');
    expect(trace('scenario-ttl', sim, { from: 'pod/default/client', to: web, protocol: 'icmp', ttl: 1 })).toContain('time to live exceeded');
    // A CNI configured with 1500 under a 1450 flannel.1: both ends of the Pod's veth are 1500, so
    // node-1 forwards the 1500-byte DF packet to flannel.1 and answers "fragmentation needed".
    expect(runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'ip link set eth0 mtu 1500').exitCode).toBe(0);
    const eth0 = [...sim.net.namespaces.values()].find((n) => n.id === 'pod/default/client')!.links.find((l) => l.name === 'eth0')!;
    const hostEnd = [...sim.net.namespaces.values()].find((n) => n.id === eth0.peer!.ns)!.links.find((l) => l.ifindex === eth0.peer!.ifindex)!;
    expect(runLine(sim, { kind: 'node', name: 'node-1' }, `ip link set ${hostEnd.name} mtu 1500`).exitCode).toBe(0);
    expect(trace('scenario-mtu', sim, { from: 'pod/default/client', to: web, protocol: 'icmp', size: 1472, df: true })).toContain('mtu 1450');
    // Only the Pod's end at 1500: the host end (1450) drops the frame as it arrives, with no
    // ICMP at all, as veth does (is_skb_forwardable; test/kernel/vxlan-mtu.test.ts).
    const sim2 = build(clusterYaml('flannel', 'vxlan'));
    expect(runLine(sim2, { kind: 'pod', namespace: 'default', name: 'client' }, 'ip link set eth0 mtu 1500').exitCode).toBe(0);
    const silent = walk(sim2, { from: 'pod/default/client', to: podIP(sim2, 'web'), protocol: 'icmp', size: 1472, df: true });
    expect(silent.verdict).toBe('dropped');
    expect(silent.events.some((e) => e.type === 'icmp-error')).toBe(false);
    expect(silent.events.find((e) => e.type === 'drop' && e.flow === 'echo-request')?.summary).toMatch(/1500 bytes > mtu 1450 of veth\w+/);
  });

  it('the seed\'s first chapter, typed on an empty Host: three echo replies from 20.1.1.2', () => {
    const sim = build('apiVersion: knp/v1alpha1\nkind: Host\nmetadata: {name: k8s-master01}\n');
    const host = { kind: 'host', name: 'k8s-master01' } as const;
    for (const l of [
      'ip netns add net1', 'ip netns add net2', 'ip link add veth1 type veth peer name veth2',
      'ip link set veth1 netns net1', 'ip link set veth2 netns net2',
      'ip netns exec net1 ip link set veth1 up', 'ip netns exec net2 ip link set veth2 up',
      'ip netns exec net1 ip addr add 20.1.1.1/24 dev veth1', 'ip netns exec net2 ip addr add 20.1.1.2/24 dev veth2',
    ]) expect(runLine(sim, host, l).stderr).toBe('');
    const out = runLine(sim, host, 'ip netns exec net1 ping -c 3 20.1.1.2').stdout;
    expect(out.match(/^64 bytes from 20\.1\.1\.2: icmp_seq=\d ttl=64 time=0\.\d{3} ms$/gm)).toHaveLength(3);
    expectGolden('scenario-seed-veth-ping', out);
  });

  it('three namespaces on a bridge declared on a Host', () => {
    const sim = build(readFileSync(new URL('../../kernel/corpus/host-bridge.yaml', import.meta.url), 'utf8'));
    expect(trace('scenario-host-bridge', sim, { from: 'host/h1#ns1', to: '10.1.0.3', protocol: 'icmp' })).toContain('verdict: delivered');
  });

  it('Docker: containers on docker0, and one sharing another\'s namespace (--network container:web)', () => {
    const sim = build(`apiVersion: knp/v1alpha1
kind: Host
metadata: {name: h1}
spec: {docker: {bridgeCIDR: 172.17.0.0/16}}
---
apiVersion: knp/v1alpha1
kind: Container
metadata: {name: web}
spec: {host: h1, image: nginx, listen: [80]}
---
apiVersion: knp/v1alpha1
kind: Container
metadata: {name: client}
spec: {host: h1, image: busybox}
---
apiVersion: knp/v1alpha1
kind: Container
metadata: {name: sidecar}
spec: {host: h1, image: busybox, network: "container:web"}
`);
    const web = sim.net.namespaces.get('host/h1#web')!;
    const ip = web.links.find((l) => l.name === 'eth0')!.addrs[0]!.address;
    const t = trace('scenario-docker-bridge', sim, { from: 'host/h1#client', to: `http://${ip}/` });
    expect(t).toContain('docker0');
    expect(t).toContain('responder: host/h1#web');
    expect(trace('scenario-docker-container-net', sim, { from: 'host/h1#sidecar', to: 'http://127.0.0.1:80/' })).toContain('verdict: delivered');
  });
});
