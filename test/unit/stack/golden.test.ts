/**
 * Golden traces: small networks in, readable traces out (test/golden/trace/NAME.txt).
 * Regenerate with UPDATE_GOLDEN=1 npx vitest run test/unit/stack/golden.test.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Sim } from '../../../src/engine/sim';
import { walk, type WalkRequest } from '../../../src/engine/stack/walk';
import { formatTrace } from '../../../src/engine/trace/format';
import { bridgeOfThree, twoNodes, vethPair, type Backend } from './fixtures';

const DIR = new URL('../../golden/trace/', import.meta.url);

function golden(name: string, sim: Sim, req: WalkRequest): string {
  const text = formatTrace(walk(sim, req));
  const file = new URL(`${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, text);
  }
  expect(existsSync(file), `missing golden ${name}.txt: run UPDATE_GOLDEN=1 npx vitest run test/unit/stack/golden.test.ts`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
  return text;
}

describe('golden traces', () => {
  it('two namespaces joined by a veth pair', () => {
    const t = golden('veth-pair-ping', vethPair().sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp' });
    expect(t).toContain('verdict: delivered');
  });

  it('three namespaces on a bridge', () => {
    const t = golden('bridge-three-ping', bridgeOfThree().sim, { from: 'host/h1#net1', to: '20.1.1.3', protocol: 'icmp' });
    expect(t).toContain('bridge-flood');
  });

  it('containers of one Pod over localhost', () => {
    const t = golden('pod-localhost-http', twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://127.0.0.1:80/' });
    expect(t).toContain('responder: pod/default/a-1');
    expect(t).toContain('seen source: 127.0.0.1:');
  });

  it('same-node Pod to Pod (HTTP)', () => {
    const t = golden('same-node-http', twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://10.244.1.3/' });
    expect(t).toContain('responder: pod/default/b-1');
  });

  it('cross-node Pod to Pod over flannel vxlan (HTTP)', () => {
    const t = golden('cross-node-vxlan-http', twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://10.244.2.3/' });
    expect(t).toContain('VXLAN encap');
  });

  const backends: Backend[] = ['vxlan', 'udp', 'host-gw', 'ipip', 'bgp', 'bridge'];
  for (const be of backends) {
    it(`cross-node Pod to Pod ping over ${be}`, () => {
      const t = golden(`cross-node-${be}-ping`, twoNodes(be).sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
      expect(t).toContain('verdict: delivered');
      expect(t).toContain('responder: pod/default/b-2');
    });
  }

  it('Pod to node', () => {
    const t = golden('pod-to-node-ping', twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: '192.168.1.12', protocol: 'icmp' });
    expect(t).toContain('responder: node/node-2');
  });

  it('Pod to a hostNetwork Pod (a listener in the node namespace)', () => {
    const { b, sim } = twoNodes('vxlan');
    b.listen(b.get('node/node-1'), 'tcp', 8080, 'pod/kube-system/hostnet', { kind: 'http', name: 'hostnet' });
    const t = golden('to-hostnetwork-pod-http', sim, { from: 'pod/default/a-2', to: 'http://192.168.1.11:8080/' });
    expect(t).toContain('responder: pod/kube-system/hostnet');
  });

  it('a deleted route: network unreachable', () => {
    const { b, sim } = twoNodes('vxlan');
    const n1 = b.get('node/node-1');
    // Without the flannel route (and no default route) node-1 has no way to 10.244.2.0/24.
    n1.routes = n1.routes.filter((r) => r.dst !== '10.244.2.0/24' && r.dst !== 'default');
    const t = golden('deleted-route-ping', sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
    expect(t).toContain('verdict: unreachable');
    expect(t).toContain('network unreachable (ICMP from 10.244.1.1)');
  });

  it('a link set down: the ARP goes unanswered, host unreachable', () => {
    const { b, sim } = twoNodes('vxlan');
    b.get('node/node-2').links.find((l) => l.name === 'veth23')!.up = false;
    const t = golden('link-down-ping', sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
    expect(t).toContain('host unreachable');
  });

  it('an MTU too small under VXLAN: fragmentation needed', () => {
    const t = golden('vxlan-mtu-frag-needed', twoNodes('vxlan', { podMtu: 1500 }).sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp', size: 1472, df: true });
    expect(t).toContain('mtu 1450');
  });

  it('TTL expiry', () => {
    const t = golden('ttl-expiry', twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp', ttl: 1 });
    expect(t).toContain('time to live exceeded (ICMP from 10.244.1.1)');
  });

  it('a closed TCP port answers RST', () => {
    const t = golden('closed-tcp-port', twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: '10.244.1.3:81' });
    expect(t).toContain('verdict: refused');
  });

  it('a closed UDP port answers ICMP port unreachable', () => {
    const t = golden('closed-udp-port', twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'udp://10.244.1.3:9999' });
    expect(t).toContain('verdict: refused');
  });

  it('UDP echo across nodes', () => {
    const t = golden('cross-node-udp-echo', twoNodes('host-gw').sim, { from: 'pod/default/a-1', to: 'udp://10.244.2.3:7' });
    expect(t).toContain('verdict: delivered');
  });
});
