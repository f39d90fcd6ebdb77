/**
 * Whole-node rulesets: every writer merged (kubelet, kube-proxy, the network plugin, portmap)
 * and Docker hosts. Goldens: test/golden/iptables/node-*.rules and host-*.rules.
 */
import { describe, expect, it } from 'vitest';
import { buildHostRuleset, buildNodeRuleset } from '../../../src/engine/agents/hostrules';
import { cniChainName } from '../../../src/engine/cni/portmap/hostrules';
import { parsePublish } from '../../../src/engine/agents/docker/hostrules';
import type { ClusterSpecIn } from '../../../src/engine/scenario/schema/knp';
import { ep, meta, model, node, pod, port, service, slice } from './fixtures';
import { expectGolden } from './golden';

const node1 = node('node-1', '192.168.1.11', '10.244.1.0/24');
const node2 = node('node-2', '192.168.1.12', '10.244.2.0/24');
const kubernetes = service('default', 'kubernetes', '10.96.0.1', [port('https', 443, { targetPort: 6443 })]);
const kubernetesSlice = slice('default', 'kubernetes', [ep('192.168.1.10')], [{ name: 'https', port: 6443 }]);
const web = service('default', 'web', '10.96.120.15', [port('http', 80, { targetPort: 8080, nodePort: 30080 })], { type: 'NodePort' });
const webSlice = slice('default', 'web', [ep('10.244.1.5', { nodeName: 'node-1' }), ep('10.244.2.7', { nodeName: 'node-2' })], [{ name: 'http', port: 8080 }]);

function cluster(spec: ClusterSpecIn = {}, pods = [] as ReturnType<typeof pod>[]) {
  return model({ spec, nodes: [node1, node2], services: [kubernetes, web], slices: [kubernetesSlice, webSlice], pods });
}

describe('node rulesets', () => {
  it('flannel node: kubelet, kube-proxy jumps in real order, flannel masquerade', () => {
    const text = buildNodeRuleset(cluster(), node1);
    const postrouting = text.split('\n').filter((l) => l.startsWith('-A POSTROUTING'));
    expect(postrouting).toEqual([
      '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
    ]);
    const input = text.split('\n').filter((l) => l.startsWith('-A INPUT'));
    expect(input).toEqual([
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      '-A INPUT -j KUBE-FIREWALL',
    ]);
    expect(text).toContain('-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully');
    expect(text.match(/^:KUBE-FIREWALL /gm)).toHaveLength(1);
    expectGolden('node-flannel-masq.rules', text);
  });

  it('hostPort through the CNI portmap plugin', () => {
    const p = pod('default', 'ingress', 'node-1', '10.244.1.9', [{ name: 'nginx', image: 'nginx', env: [], ports: [
      { containerPort: 80, protocol: 'TCP', hostPort: 80 }, { containerPort: 443, protocol: 'TCP', hostPort: 443 }, { containerPort: 53, protocol: 'UDP', hostPort: 5353 }] }]);
    const text = buildNodeRuleset(cluster({}, [p]), node1);
    expect(text).toMatch(/-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"cbr0\\" id: \\"[0-9a-f]{64}\\"" -m multiport --dports 80,443 -j CNI-DN-[0-9a-f]{21}\n/);
    expect(text).toContain('-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ\n-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING');
    expect(text).toContain('-j DNAT --to-destination 10.244.1.9:80');
    expect(buildNodeRuleset(cluster({}, [p]), node2)).not.toContain('CNI-HOSTPORT');
    expectGolden('node-hostport.rules', text);
  });

  it('CNI chain names are utils.FormatChainName (SHA-512 of network name + container id)', () => {
    expect(cniChainName('DN-', 'cbr0', 'abc')).toMatch(/^CNI-DN-[0-9a-f]{21}$/);
    expect(cniChainName('DN-', 'cbr0', 'abc')).toBe('CNI-DN-64e75f641d11615844d68');
  });

  it('calico node: nat-outgoing with the IP pool ipsets', () => {
    const text = buildNodeRuleset(cluster({ network: { plugin: 'calico', backend: 'ipip' } }), node1);
    expect(text).toContain('-A cali-nat-outgoing -m comment --comment "cali:flqWnvo8yq4ULQLa" -m set --match-set cali40masq-ipam-pools src -m set ! --match-set cali40all-ipam-pools dst -j MASQUERADE --random-fully');
    expect(text.split('\n').filter((l) => l.startsWith('-A POSTROUTING'))[0]).toContain('cali-POSTROUTING');
    expectGolden('node-calico.rules', text);
  });

  it('IPVS mode: ipset-based rules', () => {
    const text = buildNodeRuleset(cluster({ kubeProxy: { mode: 'ipvs' } }), node1);
    expect(text).toContain('-A KUBE-SERVICES -m comment --comment "Kubernetes service cluster ip + port for masquerade purpose" -m set --match-set KUBE-CLUSTER-IP dst,dst ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ');
    expect(text).not.toContain('KUBE-SVC-');
    expectGolden('node-ipvs.rules', text);
  });

  it('userspace mode: portals REDIRECT to kube-proxy\'s own port', () => {
    const text = buildNodeRuleset(cluster({ kubeProxy: { mode: 'userspace' } }), node1, { seed: 7 });
    expect(text).toMatch(/-A KUBE-PORTALS-CONTAINER -d 10\.96\.120\.15\/32 -p tcp -m comment --comment "default\/web:http" -m tcp --dport 80 -j REDIRECT --to-ports \d+/);
    expect(text).toMatch(/-A KUBE-PORTALS-HOST -d 10\.96\.120\.15\/32 .* -j DNAT --to-destination 192\.168\.1\.11:\d+/);
    expect(buildNodeRuleset(cluster({ kubeProxy: { mode: 'userspace' } }), node1, { seed: 7 })).toBe(text);
    expectGolden('node-userspace.rules', text);
  });
});

describe('Docker hosts', () => {
  const host = { meta: meta('', 'h1'), spec: { ip: '192.168.1.50', docker: { bridgeCIDR: '172.17.0.0/16' } } } as never;
  const c = (name: string, ports: (string | number)[]) => ({ meta: meta('', name), spec: { host: 'h1', network: 'bridge', ports } }) as never;

  it('docker run -p: DNAT in DOCKER, ACCEPT in filter DOCKER, hairpin MASQUERADE', () => {
    const m = model({ hosts: [host], containers: [c('web', ['8080:80', '127.0.0.1:9090:90/udp']), c('db', [])] });
    const text = buildHostRuleset(m, 'h1');
    expect(text).toContain('-A DOCKER ! -i docker0 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 172.17.0.2:80');
    expect(text).toContain('-A DOCKER -d 127.0.0.1/32 ! -i docker0 -p udp -m udp --dport 9090 -j DNAT --to-destination 172.17.0.2:90');
    expect(text).toContain(':FORWARD DROP [0:0]');
    expectGolden('host-docker-publish.rules', text);
  });

  it('parses docker -p specs', () => {
    expect(parsePublish('8080:80')).toEqual({ hostIP: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' });
    expect(parsePublish('53:53/udp')?.protocol).toBe('udp');
    expect(parsePublish(80)).toEqual({ hostIP: '0.0.0.0', hostPort: 80, containerPort: 80, protocol: 'tcp' });
    expect(parsePublish('x:80')).toBeNull();
  });
});
