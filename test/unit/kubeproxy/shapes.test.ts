/**
 * Golden iptables-restore input of kube-proxy (iptables mode) for each Service shape, on node-1
 * of a two-node cluster. Files: test/golden/iptables/kube-proxy-*.rules.
 */
import { describe, expect, it } from 'vitest';
import { kubeProxyIptables } from '../../../src/engine/agents/kubeproxy/iptables';
import type { ClusterSpecIn } from '../../../src/engine/scenario/schema/knp';
import type { EndpointSliceModel, ServiceModel } from '../../../src/engine/model/cluster';
import { ep, model, node, port, service, slice } from './fixtures';
import { expectGolden } from './golden';

const node1 = node('node-1', '192.168.1.11', '10.244.1.0/24');
const node2 = node('node-2', '192.168.1.12', '10.244.2.0/24');
const web = (extra: Partial<ServiceModel> = {}, ports = [port('http', 80, { targetPort: 8080 })]) => service('default', 'web', '10.96.120.15', ports, extra);
const webSlice = (eps = [ep('10.244.1.5', { nodeName: 'node-1' }), ep('10.244.2.7', { nodeName: 'node-2' }), ep('10.244.2.8', { nodeName: 'node-2' })]) =>
  slice('default', 'web', eps, [{ name: 'http', port: 8080 }]);

function rules(services: ServiceModel[], slices: EndpointSliceModel[], spec: ClusterSpecIn = {}, onNode = node1): string {
  return kubeProxyIptables(model({ spec, nodes: [node1, node2], services, slices }), onNode);
}

describe('kube-proxy iptables goldens', () => {
  it('ClusterIP with three endpoints: the probability ladder', () => {
    const text = rules([web()], [webSlice()]);
    expect(text).toContain('--probability 0.3333333333 -j KUBE-SEP-');
    expect(text).toContain('--probability 0.5000000000 -j KUBE-SEP-');
    expectGolden('kube-proxy-clusterip.rules', text);
  });

  it('the default kubernetes Service names its chain as every cluster does', () => {
    const text = rules([service('default', 'kubernetes', '10.96.0.1', [port('https', 443, { targetPort: 6443 })])],
      [slice('default', 'kubernetes', [ep('192.168.1.10')], [{ name: 'https', port: 6443 }])]);
    expect(text).toContain('-A KUBE-SERVICES -m comment --comment "default/kubernetes:https cluster IP" -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y');
    expectGolden('kube-proxy-kubernetes.rules', text);
  });

  it('multi-port Service with a named targetPort resolved per Pod', () => {
    const svc = service('default', 'api', '10.96.7.7', [port('http', 80, { targetPort: 'web' }), port('metrics', 9090, { targetPort: 'metrics' })]);
    // Two Pod templates expose "web" on different container ports: two slices, one per port set.
    const a = slice('default', 'api', [ep('10.244.1.10', { nodeName: 'node-1' })], [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9100 }], 'aaaaa');
    const b = slice('default', 'api', [ep('10.244.2.10', { nodeName: 'node-2' })], [{ name: 'http', port: 8081 }, { name: 'metrics', port: 9100 }], 'bbbbb');
    const text = rules([svc], [a, b]);
    expect(text).toContain('--to-destination 10.244.1.10:8080');
    expect(text).toContain('--to-destination 10.244.2.10:8081');
    expectGolden('kube-proxy-multiport-named.rules', text);
  });

  it('NodePort', () => {
    expectGolden('kube-proxy-nodeport.rules', rules([web({ type: 'NodePort' }, [port('http', 80, { targetPort: 8080, nodePort: 30080 })])], [webSlice()]));
  });

  it('NodePort with nodePortAddresses and localhostNodePorts off', () => {
    const text = rules([web({ type: 'NodePort' }, [port('http', 80, { targetPort: 8080, nodePort: 30080 })])], [webSlice()],
      { kubeProxy: { nodePortAddresses: ['192.168.1.0/24'], localhostNodePorts: false } });
    expect(text).toContain('-d 192.168.1.11 -j KUBE-NODEPORTS');
    expect(text).not.toContain('KUBE-FIREWALL');
    expectGolden('kube-proxy-nodeport-addresses.rules', text);
  });

  it('LoadBalancer with loadBalancerSourceRanges', () => {
    expectGolden('kube-proxy-lb-source-ranges.rules', rules([web({ type: 'LoadBalancer', loadBalancerIngress: ['203.0.113.10'], loadBalancerSourceRanges: ['198.51.100.0/24', '192.168.1.0/24'] },
      [port('http', 80, { targetPort: 8080, nodePort: 31080 })])], [webSlice()]));
  });

  it('externalIPs', () => {
    expectGolden('kube-proxy-externalips.rules', rules([web({ externalIPs: ['192.168.1.100'] })], [webSlice()]));
  });

  it('externalTrafficPolicy Local: KUBE-SVL- where a local endpoint exists, DROP where none does', () => {
    const svc = web({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', loadBalancerIngress: ['203.0.113.10'], healthCheckNodePort: 32000 }, [port('http', 80, { targetPort: 8080, nodePort: 31080 })]);
    const eps = [ep('10.244.2.7', { nodeName: 'node-2' }), ep('10.244.2.8', { nodeName: 'node-2' })];
    const onNode1 = rules([svc], [webSlice(eps)], {}, node1);
    const onNode2 = rules([svc], [webSlice(eps)], {}, node2);
    expect(onNode1).toContain('has no local endpoints');
    expect(onNode2).toContain(':KUBE-SVL-');
    expectGolden('kube-proxy-etp-local-node1.rules', onNode1);
    expectGolden('kube-proxy-etp-local-node2.rules', onNode2);
  });

  it('internalTrafficPolicy Local', () => {
    const svc = web({ internalTrafficPolicy: 'Local' });
    expectGolden('kube-proxy-itp-local-node1.rules', rules([svc], [webSlice()], {}, node1));
    const eps = [ep('10.244.2.7', { nodeName: 'node-2' })];
    const none = rules([svc], [webSlice(eps)], {}, node1);
    expect(none).toContain('"default/web:http has no local endpoints" -m tcp -p tcp -d 10.96.120.15 --dport 80 -j DROP');
  });

  it('sessionAffinity ClientIP with its timeout', () => {
    expectGolden('kube-proxy-affinity.rules', rules([web({ sessionAffinity: 'ClientIP', sessionAffinityTimeout: 600 })], [webSlice()]));
  });

  it('a Service with no endpoints is REJECTed in the filter table', () => {
    const text = rules([web({ type: 'NodePort', externalIPs: ['192.168.1.100'] }, [port('http', 80, { targetPort: 8080, nodePort: 30080 })])], []);
    expect(text).toContain('-A KUBE-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 10.96.120.15 --dport 80 -j REJECT');
    expectGolden('kube-proxy-no-endpoints.rules', text);
  });

  it('terminating but serving endpoints are the fallback when none is ready', () => {
    const eps = [
      ep('10.244.1.5', { nodeName: 'node-1', ready: false, serving: true, terminating: true }),
      ep('10.244.2.7', { nodeName: 'node-2', ready: false, serving: false, terminating: true }),
      ep('10.244.2.8', { nodeName: 'node-2', ready: false, serving: false, terminating: false }),
    ];
    const text = rules([web()], [webSlice(eps)]);
    expect(text).toContain('--to-destination 10.244.1.5:8080');
    expect(text).not.toContain('10.244.2.7:8080');
    // one ready endpoint left: the terminating one is no longer used
    const mixed = rules([web()], [webSlice([eps[0]!, ep('10.244.2.9', { nodeName: 'node-2' })])]);
    expect(mixed).not.toContain('10.244.1.5:8080');
    expectGolden('kube-proxy-terminating-fallback.rules', text);
  });

  it('masqueradeAll', () => {
    expectGolden('kube-proxy-masquerade-all.rules', rules([web()], [webSlice()], { kubeProxy: { masqueradeAll: true } }));
  });

  it('localDetector None and another masquerade bit', () => {
    const text = rules([web({ type: 'NodePort', externalTrafficPolicy: 'Local' }, [port('http', 80, { targetPort: 8080, nodePort: 30080 })])], [webSlice()], { kubeProxy: { localDetector: 'None', masqueradeBit: 15 } });
    expect(text).toContain('--or-mark 0x00008000');
    expect(text).not.toContain('10.244.0.0/16');
    expectGolden('kube-proxy-detector-none.rules', text);
  });

  it('headless and ExternalName Services get no rules', () => {
    const text = rules([web({ headless: true, clusterIP: 'None' }), service('default', 'ext', '', [], { type: 'ExternalName', clusterIP: null })], []);
    expect(text).not.toContain('default/');
  });

  it('large clusters drop the per-endpoint comments', () => {
    const eps = Array.from({ length: 1001 }, (_, i) => ep(`10.244.${1 + (i >> 8)}.${i & 255}`));
    const text = rules([web()], [webSlice(eps)]);
    expect(text).toMatch(/\n-A KUBE-SEP-[A-Z0-9]+ -s 10\.244\.1\.0 -j KUBE-MARK-MASQ\n/);
    expect(text).not.toContain('-> 10.244.1.0:8080');
  });
});
