/**
 * Every trace the trace goldens hold (test/unit/stack/golden.test.ts on hand-built networks,
 * test/golden/trace/scenario.test.ts on scenario-built ones), rebuilt as Trace objects so the
 * story tests and goldens run over the same cases. Keep in step with those two files.
 */
import { readFileSync } from 'node:fs';
import { buildSim } from '../../../src/engine/index';
import type { Sim } from '../../../src/engine/sim';
import { runLine } from '../../../src/engine/shell/run';
import { walk, type WalkRequest } from '../../../src/engine/stack/walk';
import type { Trace } from '../../../src/engine/trace/types';
import { bridgeOfThree, twoNodes, vethPair, type Backend } from '../../unit/stack/fixtures';
import { clusterYaml } from '../trace/scenario/cluster';

export interface TraceCase {
  readonly name: string;
  readonly trace: () => Trace;
}

function build(yaml: string): Sim {
  return buildSim(yaml, { seed: 1 }).sim;
}

function podIP(sim: Sim, name: string): string {
  return sim.model.pods.find((p) => p.meta.name === name)!.podIP!;
}

const on = (sim: () => Sim, req: (sim: Sim) => WalkRequest) => () => { const s = sim(); return walk(s, req(s)); };
const vx = () => build(clusterYaml('flannel', 'vxlan'));

const handBuilt: TraceCase[] = [
  { name: 'veth-pair-ping', trace: () => walk(vethPair().sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp' }) },
  { name: 'bridge-three-ping', trace: () => walk(bridgeOfThree().sim, { from: 'host/h1#net1', to: '20.1.1.3', protocol: 'icmp' }) },
  { name: 'pod-localhost-http', trace: () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://127.0.0.1:80/' }) },
  { name: 'same-node-http', trace: () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://10.244.1.3/' }) },
  { name: 'cross-node-vxlan-http', trace: () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://10.244.2.3/' }) },
  ...(['vxlan', 'udp', 'host-gw', 'ipip', 'bgp', 'bridge'] as Backend[]).map((be) => ({
    name: `cross-node-${be}-ping`, trace: () => walk(twoNodes(be).sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' }),
  })),
  { name: 'pod-to-node-ping', trace: () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: '192.168.1.12', protocol: 'icmp' }) },
  {
    name: 'to-hostnetwork-pod-http', trace: () => {
      const { b, sim } = twoNodes('vxlan');
      b.listen(b.get('node/node-1'), 'tcp', 8080, 'pod/kube-system/hostnet', { kind: 'http', name: 'hostnet' });
      return walk(sim, { from: 'pod/default/a-2', to: 'http://192.168.1.11:8080/' });
    },
  },
  {
    name: 'deleted-route-ping', trace: () => {
      const { b, sim } = twoNodes('vxlan');
      const n1 = b.get('node/node-1');
      n1.routes = n1.routes.filter((r) => r.dst !== '10.244.2.0/24' && r.dst !== 'default');
      return walk(sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
    },
  },
  {
    name: 'link-down-ping', trace: () => {
      const { b, sim } = twoNodes('vxlan');
      b.get('node/node-2').links.find((l) => l.name === 'veth23')!.up = false;
      return walk(sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
    },
  },
  { name: 'vxlan-mtu-frag-needed', trace: () => walk(twoNodes('vxlan', { podMtu: 1500 }).sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp', size: 1472, df: true }) },
  { name: 'ttl-expiry', trace: () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp', ttl: 1 }) },
  { name: 'closed-tcp-port', trace: () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: '10.244.1.3:81' }) },
  { name: 'closed-udp-port', trace: () => walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'udp://10.244.1.3:9999' }) },
  { name: 'cross-node-udp-echo', trace: () => walk(twoNodes('host-gw').sim, { from: 'pod/default/a-1', to: 'udp://10.244.2.3:7' }) },
];

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

const scenarioBuilt: TraceCase[] = [
  ...([['flannel-vxlan', 'flannel', 'vxlan'], ['flannel-udp', 'flannel', 'udp'], ['flannel-host-gw', 'flannel', 'host-gw'], ['calico-bgp', 'calico', 'bgp'], ['calico-ipip', 'calico', 'ipip'], ['bridge', 'bridge', null]] as const).map(([name, plugin, backend]) => ({
    name: `scenario-cross-node-${name}`, trace: on(() => build(clusterYaml(plugin, backend)), (s) => ({ from: 'pod/default/client', to: podIP(s, 'web'), protocol: 'icmp' })),
  })),
  { name: 'scenario-cross-node-http', trace: on(vx, (s) => ({ from: 'pod/default/client', to: `http://${podIP(s, 'web')}/` })) },
  { name: 'scenario-same-node', trace: on(vx, (s) => ({ from: 'pod/default/client', to: podIP(s, 'web-a'), protocol: 'icmp' })) },
  { name: 'scenario-localhost', trace: on(vx, () => ({ from: 'pod/default/app', to: 'http://127.0.0.1:8080/' })) },
  { name: 'scenario-pod-to-node', trace: on(vx, () => ({ from: 'pod/default/client', to: 'tcp://192.168.1.12:22' })) },
  { name: 'scenario-hostnetwork', trace: on(vx, () => ({ from: 'pod/default/client', to: 'http://192.168.1.12:9100/' })) },
  {
    name: 'scenario-deleted-route', trace: () => {
      const sim = vx();
      const web = podIP(sim, 'web');
      runLine(sim, { kind: 'node', name: 'node-1' }, `ip route del ${web.replace(/\.\d+$/, '.0')}/24`);
      return walk(sim, { from: 'pod/default/client', to: web, protocol: 'icmp' });
    },
  },
  {
    name: 'scenario-link-down', trace: () => {
      const sim = vx();
      runLine(sim, { kind: 'node', name: 'node-2' }, 'ip link set flannel.1 down');
      return walk(sim, { from: 'pod/default/client', to: podIP(sim, 'web'), protocol: 'icmp' });
    },
  },
  { name: 'scenario-ttl', trace: on(vx, (s) => ({ from: 'pod/default/client', to: podIP(s, 'web'), protocol: 'icmp', ttl: 1 })) },
  {
    name: 'scenario-mtu', trace: () => {
      const sim = vx();
      runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'ip link set eth0 mtu 1500');
      return walk(sim, { from: 'pod/default/client', to: podIP(sim, 'web'), protocol: 'icmp', size: 1472, df: true });
    },
  },
  { name: 'scenario-host-bridge', trace: on(() => build(readFileSync(new URL('../../kernel/corpus/host-bridge.yaml', import.meta.url), 'utf8')), () => ({ from: 'host/h1#ns1', to: '10.1.0.3', protocol: 'icmp' })) },
  {
    name: 'scenario-docker-bridge', trace: () => {
      const sim = build(DOCKER);
      const ip = sim.net.namespaces.get('host/h1#web')!.links.find((l) => l.name === 'eth0')!.addrs[0]!.address;
      return walk(sim, { from: 'host/h1#client', to: `http://${ip}/` });
    },
  },
  { name: 'scenario-docker-container-net', trace: on(() => build(DOCKER), () => ({ from: 'host/h1#sidecar', to: 'http://127.0.0.1:80/' })) },
];

/** The default playground's Send: the probe client → my-nginx by name (DNS, then HTTP to the ClusterIP). */
export const DEFAULT_SCENARIO = new URL('../../../content/scenarios/default.yaml', import.meta.url);
export const defaultSend = (seed = 1): Trace => {
  const sim = buildSim(readFileSync(DEFAULT_SCENARIO, 'utf8'), { seed }).sim;
  return walk(sim, { from: 'pod/default/client', to: 'http://my-nginx.default.svc.cluster.local/' });
};

export const TRACE_CASES: readonly TraceCase[] = [...handBuilt, ...scenarioBuilt, { name: 'default-service-http', trace: () => defaultSend() }];
