/**
 * The golden trace cases, once: the trace goldens (test/unit/stack/golden.test.ts for the
 * hand-built networks, test/golden/trace/scenario.test.ts for the scenario-built ones) and the
 * story goldens (test/golden/story/story.test.ts) all walk these. A case that walks after other
 * walks on the same Sim says so in its `trace` (the earlier walks leave ARP and conntrack state).
 */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import type { Sim } from '../../../src/engine/sim';
import { runLine } from '../../../src/engine/shell/run';
import { walk, type WalkRequest } from '../../../src/engine/stack/walk';
import type { Trace } from '../../../src/engine/trace/types';
import { bridgeOfThree, twoNodes, vethPair, type Backend } from '../../unit/stack/fixtures';
import { clusterYaml } from './scenario/cluster';

export interface TraceCase {
  readonly name: string;
  /** What the case shows, as the test's title. */
  readonly title: string;
  readonly group: 'hand-built' | 'scenario';
  readonly trace: () => Trace;
  /** Lines the text form must (or must not, `!` first) contain. */
  readonly expect: readonly string[];
}

function build(yaml: string): Sim {
  const { sim, diagnostics } = buildSim(yaml, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

function podIP(sim: Sim, name: string): string {
  return sim.model.pods.find((p) => p.meta.name === name)!.podIP!;
}

const vx = (): Sim => build(clusterYaml('flannel', 'vxlan'));
const hand = (name: string, title: string, trace: () => Trace, expects: readonly string[]): TraceCase => ({ name, title, group: 'hand-built', trace, expect: expects });
const scen = (name: string, title: string, trace: () => Trace, expects: readonly string[]): TraceCase => ({ name, title, group: 'scenario', trace, expect: expects });
const on = (sim: () => Sim, req: (sim: Sim) => WalkRequest) => () => { const s = sim(); return walk(s, req(s)); };
const toNode2 = (s: Sim): WalkRequest => ({ from: 'pod/default/client', to: `tcp://${s.model.nodes.find((n) => n.name === 'node-2')!.ip}:22` });

const DOCKER = `apiVersion: knp/v1alpha1
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
`;
const dockerWeb = (sim: Sim): string => sim.net.namespaces.get('host/h1#web')!.links.find((l) => l.name === 'eth0')!.addrs[0]!.address;

const BACKENDS: readonly Backend[] = ['vxlan', 'udp', 'host-gw', 'ipip', 'bgp', 'bridge'];
const PLUGINS = [['flannel-vxlan', 'flannel', 'vxlan'], ['flannel-udp', 'flannel', 'udp'], ['flannel-host-gw', 'flannel', 'host-gw'], ['calico-bgp', 'calico', 'bgp'], ['calico-ipip', 'calico', 'ipip'], ['bridge', 'bridge', null]] as const;

export const TRACE_CASES: readonly TraceCase[] = [
  // ── hand-built networks (test/unit/stack/fixtures.ts) ──────────────────────────────────────
  hand('veth-pair-ping', 'two namespaces joined by a veth pair', () => walk(vethPair().sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp' }), ['verdict: delivered']),
  hand('bridge-three-ping', 'three namespaces on a bridge', () => walk(bridgeOfThree().sim, { from: 'host/h1#net1', to: '20.1.1.3', protocol: 'icmp' }), ['bridge-flood']),
  hand('pod-localhost-http', 'containers of one Pod over localhost', () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://127.0.0.1:80/' }), ['responder: pod/default/a-1', 'seen source: 127.0.0.1:']),
  hand('same-node-http', 'same-node Pod to Pod (HTTP)', () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://10.244.1.3/' }), ['responder: pod/default/b-1']),
  hand('cross-node-vxlan-http', 'cross-node Pod to Pod over flannel vxlan (HTTP)', () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://10.244.2.3/' }), ['VXLAN encap']),
  ...BACKENDS.map((be) => hand(`cross-node-${be}-ping`, `cross-node Pod to Pod ping over ${be}`, () => walk(twoNodes(be).sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' }), ['verdict: delivered', 'responder: pod/default/b-2'])),
  hand('pod-to-node-ping', 'Pod to node', () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: '192.168.1.12', protocol: 'icmp' }), ['responder: node/node-2']),
  hand('to-hostnetwork-pod-http', 'Pod to a hostNetwork Pod (a listener in the node namespace)', () => {
    const { b, sim } = twoNodes('vxlan');
    b.listen(b.get('node/node-1'), 'tcp', 8080, 'pod/kube-system/hostnet', { kind: 'http', name: 'hostnet' });
    return walk(sim, { from: 'pod/default/a-2', to: 'http://192.168.1.11:8080/' });
  }, ['responder: pod/kube-system/hostnet']),
  hand('deleted-route-ping', 'a deleted route: network unreachable', () => {
    const { b, sim } = twoNodes('vxlan');
    const n1 = b.get('node/node-1');
    // Without the flannel route (and no default route) node-1 has no way to 10.244.2.0/24.
    n1.routes = n1.routes.filter((r) => r.dst !== '10.244.2.0/24' && r.dst !== 'default');
    return walk(sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
  }, ['verdict: unreachable', 'network unreachable (ICMP from 10.244.1.1)']),
  hand('link-down-ping', 'a link set down: the ARP goes unanswered, host unreachable', () => {
    const { b, sim } = twoNodes('vxlan');
    b.get('node/node-2').links.find((l) => l.name === 'veth23')!.up = false;
    return walk(sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
  }, ['host unreachable']),
  hand('vxlan-mtu-frag-needed', 'an MTU too small under VXLAN: fragmentation needed', () => walk(twoNodes('vxlan', { podMtu: 1500 }).sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp', size: 1472, df: true }), ['mtu 1450']),
  hand('ttl-expiry', 'TTL expiry', () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp', ttl: 1 }), ['time to live exceeded (ICMP from 10.244.1.1)']),
  hand('closed-tcp-port', 'a closed TCP port answers RST', () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: '10.244.1.3:81' }), ['verdict: refused']),
  hand('closed-udp-port', 'a closed UDP port answers ICMP port unreachable', () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'udp://10.244.1.3:9999' }), ['verdict: refused']),
  hand('cross-node-udp-echo', 'UDP echo across nodes', () => walk(twoNodes('host-gw').sim, { from: 'pod/default/a-1', to: 'udp://10.244.2.3:7' }), ['verdict: delivered']),

  // ── networks built from scenario YAML by the real builder ───────────────────────────────────
  ...PLUGINS.map(([name, plugin, backend]) => scen(`scenario-cross-node-${name}`, `cross-node Pod to Pod over ${name}`,
    on(() => build(clusterYaml(plugin, backend)), (s) => ({ from: 'pod/default/client', to: podIP(s, 'web'), protocol: 'icmp' })),
    ['verdict: delivered', 'responder: pod/default/web'])),
  scen('scenario-cross-node-http', 'cross-node HTTP over flannel vxlan: the Pod answers with its name and the client address',
    on(vx, (s) => ({ from: 'pod/default/client', to: `http://${podIP(s, 'web')}/` })), ['seen source: 10.244.0.3:']),
  scen('scenario-same-node', 'same-node Pod to Pod', on(vx, (s) => ({ from: 'pod/default/client', to: podIP(s, 'web-a'), protocol: 'icmp' })), ['responder: pod/default/web-a']),
  scen('scenario-localhost', 'containers of one Pod over localhost', on(vx, () => ({ from: 'pod/default/app', to: 'http://127.0.0.1:8080/' })), ['responder: pod/default/app']),
  // TCP to the node's sshd: the Pod's address is masqueraded on the way out of node-1 (flannel's
  // FLANNEL-POSTRTG), so node-2 sees node-1's address.
  scen('scenario-pod-to-node', 'Pod to node: masqueraded on the way out', on(vx, toNode2), ['responder: node/node-2', 'seen source: 192.168.1.11:']),
  scen('scenario-hostnetwork', 'Pod to a hostNetwork Pod, after the walk to the node', () => {
    const sim = vx();
    walk(sim, toNode2(sim));
    return walk(sim, { from: 'pod/default/client', to: 'http://192.168.1.12:9100/' });
  }, ['responder: pod/default/exporter']),
  scen('scenario-deleted-route', 'a route deleted in the node shell', () => {
    const sim = vx();
    const web = podIP(sim, 'web');
    expect(runLine(sim, { kind: 'node', name: 'node-1' }, `ip route del ${web.replace(/\.\d+$/, '.0')}/24`).exitCode).toBe(0);
    return walk(sim, { from: 'pod/default/client', to: web, protocol: 'icmp' });
  }, ['!verdict: delivered']),
  scen('scenario-link-down', 'a link set down in the node shell', () => {
    const sim = vx();
    expect(runLine(sim, { kind: 'node', name: 'node-2' }, 'ip link set flannel.1 down').exitCode).toBe(0);
    return walk(sim, { from: 'pod/default/client', to: podIP(sim, 'web'), protocol: 'icmp' });
  }, ['!verdict: delivered']),
  scen('scenario-ttl', 'TTL expiry', on(vx, (s) => ({ from: 'pod/default/client', to: podIP(s, 'web'), protocol: 'icmp', ttl: 1 })), ['time to live exceeded']),
  scen('scenario-mtu', 'an MTU too small under VXLAN, both ends of the Pod\'s veth set to 1500 after the TTL walk', () => {
    const sim = vx();
    const web = podIP(sim, 'web');
    walk(sim, { from: 'pod/default/client', to: web, protocol: 'icmp', ttl: 1 });
    // A CNI configured with 1500 under a 1450 flannel.1: both ends of the Pod's veth are 1500, so
    // node-1 forwards the 1500-byte DF packet to flannel.1 and answers "fragmentation needed".
    expect(runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'ip link set eth0 mtu 1500').exitCode).toBe(0);
    const eth0 = [...sim.net.namespaces.values()].find((n) => n.id === 'pod/default/client')!.links.find((l) => l.name === 'eth0')!;
    const hostEnd = [...sim.net.namespaces.values()].find((n) => n.id === eth0.peer!.ns)!.links.find((l) => l.ifindex === eth0.peer!.ifindex)!;
    expect(runLine(sim, { kind: 'node', name: 'node-1' }, `ip link set ${hostEnd.name} mtu 1500`).exitCode).toBe(0);
    return walk(sim, { from: 'pod/default/client', to: web, protocol: 'icmp', size: 1472, df: true });
  }, ['mtu 1450']),
  scen('scenario-host-bridge', 'three namespaces on a bridge declared on a Host',
    on(() => build(readFileSync(new URL('../../kernel/corpus/host-bridge.yaml', import.meta.url), 'utf8')), () => ({ from: 'host/h1#ns1', to: '10.1.0.3', protocol: 'icmp' })),
    ['verdict: delivered']),
  scen('scenario-docker-bridge', 'Docker: containers on docker0', on(() => build(DOCKER), (s) => ({ from: 'host/h1#client', to: `http://${dockerWeb(s)}/` })), ['docker0', 'responder: host/h1#web']),
  scen('scenario-docker-container-net', 'Docker: a container sharing another\'s namespace (--network container:web), after the walk over docker0', () => {
    const sim = build(DOCKER);
    walk(sim, { from: 'host/h1#client', to: `http://${dockerWeb(sim)}/` });
    return walk(sim, { from: 'host/h1#sidecar', to: 'http://127.0.0.1:80/' });
  }, ['verdict: delivered']),
];

/** Checks a case's text form against its golden file (UPDATE_GOLDEN=1 rewrites it) and its expectations. */
export function expectTraceCase(c: TraceCase, text: string, golden: (name: string, text: string) => void): void {
  golden(c.name, text);
  for (const e of c.expect) {
    if (e.startsWith('!')) expect(text).not.toContain(e.slice(1));
    else expect(text).toContain(e);
  }
}
