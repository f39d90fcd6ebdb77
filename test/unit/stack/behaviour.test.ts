import { describe, expect, it } from 'vitest';
import type { NetfilterEngine } from '../../../src/engine/netfilter/hook';
import type { Packet } from '../../../src/engine/net/packet';
import { walk, walkDetailed } from '../../../src/engine/stack/walk';
import { NetBuilder, bridgeOfThree, twoNodes, vethPair } from './fixtures';
import { detailRecord } from '../../../src/engine/trace/types';
import { message } from '../../../src/engine/i18n/messages';

describe('neighbours and the bridge FDB', () => {
  it('caches ARP: the second walk sends no ARP request', () => {
    const { sim } = vethPair();
    const first = walk(sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp' });
    const second = walk(sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp' });
    expect(first.events.some((e) => e.type === 'arp-request')).toBe(true);
    expect(second.events.some((e) => e.type === 'arp-request')).toBe(false);
    expect(sim.net.namespaces.get('host/h1#net1')!.neigh).toEqual([expect.objectContaining({ ip: '20.1.1.2', state: 'REACHABLE' })]);
  });

  it('learns source MACs, forwards known ones and ages them out after 300 s', () => {
    const { b, sim } = bridgeOfThree();
    walk(sim, { from: 'host/h1#net1', to: '20.1.1.3', protocol: 'icmp' });
    const br = b.get('host/h1').links.find((l) => l.name === 'br0')!;
    expect(br.fdb!.map((e) => e.dev).sort()).toEqual(['veth1', 'veth3']);
    const again = walk(sim, { from: 'host/h1#net1', to: '20.1.1.3', protocol: 'icmp' });
    expect(again.events.filter((e) => e.type === 'bridge-flood')).toHaveLength(0);
    sim.now += 301_000;
    const later = walk(sim, { from: 'host/h1#net1', to: '20.1.1.3', protocol: 'icmp' });
    expect(later.events.some((e) => e.type === 'bridge-learn' && detailRecord(e)['aged'] === true)).toBe(true);
    expect(later.events.some((e) => e.type === 'bridge-flood')).toBe(true);
  });

  it('a bridge loop floods until the event budget stops the walk', () => {
    const b = new NetBuilder();
    const h = b.ns('host/h1');
    b.bridge(h, 'br0');
    b.bridge(h, 'br1');
    b.veth(h, 'l0', h, 'l1');
    b.veth(h, 'm0', h, 'm1');
    for (const [d, br] of [['l0', 'br0'], ['m0', 'br0'], ['l1', 'br1'], ['m1', 'br1']] as const) b.enslave(h, d, br);
    const n = b.ns('host/h1#net1');
    b.veth(n, 'eth0', h, 'p1');
    b.enslave(h, 'p1', 'br0');
    b.addr(n, 'eth0', '20.1.1.1/24');
    const t = walk(b.sim(), { from: 'host/h1#net1', to: '20.1.1.9', protocol: 'icmp' });
    expect(t.verdict).toBe('error');
    expect(t.reason).toMatch(/more than \d+ events: a forwarding or bridge loop/);
  });
});

describe('long walks', () => {
  it('a hundred pings stay within the loop guard (it counts per packet)', () => {
    const t = walk(vethPair().sim, { from: 'host/h1#net1', to: '20.1.1.2', protocol: 'icmp', count: 100 });
    expect(t.verdict).toBe('delivered');
    expect(t.events.filter((e) => e.type === 'deliver' && detailRecord(e)['client'] === true)).toHaveLength(100);
  });
});

describe('routing', () => {
  it('a node with net.ipv4.ip_forward=0 drops transit packets', () => {
    const { b, sim } = twoNodes('host-gw');
    b.get('node/node-2').sysctl['net.ipv4.ip_forward'] = '0';
    const t = walk(sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
    // ip_error() stays silent when the input device does not forward: the packet is dropped
    // with no ICMP, so a real sender would only see a timeout.
    expect(t.verdict).toBe('dropped');
    expect(t.events.some((e) => e.type === 'icmp-error')).toBe(false);
    expect(t.events.some((e) => e.type === 'drop' && String(detailRecord(e)['reason']).includes('net.ipv4.ip_forward=0'))).toBe(true);
  });

  it('a route through a device that is down is skipped', () => {
    const { b, sim } = twoNodes('vxlan');
    b.get('node/node-1').links.find((l) => l.name === 'flannel.1')!.up = false;
    const t = walk(sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
    // The default route takes over and the underlay gateway does not exist.
    expect(t.verdict).toBe('unreachable');
    expect(t.events.some((e) => e.type === 'route' && String(detailRecord(e)['route']).startsWith('default via 192.168.1.1'))).toBe(true);
  });

  it('flannel host-gw cannot reach a node on another L2 segment', () => {
    const { b, sim } = twoNodes('host-gw');
    const n1 = b.get('node/node-1');
    n1.routes = n1.routes.map((r) => (r.dst === '10.244.2.0/24' ? { ...r, via: '192.168.9.12' } : r));
    const t = walk(sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' });
    expect(t.verdict).toBe('unreachable');
  });
});

describe('netfilter seam', () => {
  it('calls every hook where Linux does and re-routes after DNAT', () => {
    const { b, sim } = twoNodes('vxlan');
    const seen: string[] = [];
    const nf: NetfilterEngine = {
      runHook(ns, hook, packet, ctx) {
        seen.push(`${ns.id}:${hook}${ctx.bridged ? ':bridged' : ''}`);
        if (ns.id === 'node/node-1' && hook === 'PREROUTING' && packet.ip?.dst === '10.96.0.10' && !ctx.bridged) {
          const p: Packet = { ...packet, ip: { ...packet.ip, dst: '10.244.2.3' } };
          return { verdict: 'accept', packet: p };
        }
        if (ns.id === 'node/node-1' && hook === 'POSTROUTING' && packet.ip?.src === '10.244.2.3' && packet.ip.dst === '10.244.1.2' && !ctx.bridged) {
          // reply un-DNAT, as conntrack would
          return { verdict: 'accept', packet: { ...packet, ip: { ...packet.ip, src: '10.96.0.10' } } };
        }
        return { verdict: 'accept', packet };
      },
    };
    b.get('node/node-1').sysctl['net.bridge.bridge-nf-call-iptables'] = '1';
    const s = { ...sim, netfilter: nf };
    const pod = b.get('pod/default/a-1');
    b.route(pod, '10.96.0.0/12', { via: '10.244.1.1', dev: 'eth0' });
    const t = walk(s, { from: 'pod/default/a-1', to: 'http://10.96.0.10/' });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('pod/default/b-2');
    expect(seen).toContain('pod/default/a-1:OUTPUT');
    expect(seen).toContain('node/node-1:PREROUTING');
    expect(seen).toContain('node/node-1:FORWARD');
    expect(seen).toContain('node/node-2:INPUT');
    expect(seen).toContain('pod/default/b-2:INPUT');
    // Same-node Pod to Pod is bridged: with bridge-nf-call-iptables=1 iptables sees it too.
    seen.length = 0;
    expect(walk(s, { from: 'pod/default/a-1', to: '10.244.1.3', protocol: 'icmp' }).verdict).toBe('delivered');
    expect(seen).toContain('node/node-1:PREROUTING:bridged');
    expect(seen).toContain('node/node-1:FORWARD:bridged');
    expect(seen).toContain('node/node-1:POSTROUTING:bridged');
  });

  it('REJECT with tcp-reset refuses the connection; DROP drops it', () => {
    const mk = (verdict: 'drop' | 'reject'): NetfilterEngine => ({
      runHook(ns, hook, packet) {
        if (ns.id === 'pod/default/b-2' && hook === 'INPUT' && packet.tcp?.flags.syn) {
          return verdict === 'drop' ? { verdict, packet, reason: 'policy' } : { verdict, packet, reason: 'policy', reply: 'tcp-reset' };
        }
        return { verdict: 'accept', packet };
      },
    });
    const a = twoNodes('vxlan').sim;
    expect(walk({ ...a, netfilter: mk('reject') }, { from: 'pod/default/a-1', to: 'http://10.244.2.3/' }).verdict).toBe('refused');
    const d = walk({ ...twoNodes('vxlan').sim, netfilter: mk('drop') }, { from: 'pod/default/a-1', to: 'http://10.244.2.3/' });
    expect(d.verdict).toBe('dropped');
    expect(d.reason).toContain('INPUT: policy');
  });
});

describe('applications', () => {
  it('a DNS query to port 53 carries the question and comes back with the server\'s answer', () => {
    const { b, sim } = twoNodes('vxlan');
    b.listen(b.get('pod/default/b-2'), 'udp', 53, 'host/resolver', { kind: 'dns' });
    const r = walkDetailed(sim, { from: 'pod/default/a-1', to: 'udp://10.244.2.3:53', dns: { name: 'example.com', type: 'A' } });
    expect(r.trace.verdict).toBe('delivered');
    const p = r.outcome?.payload;
    expect(p?.kind).toBe('dns');
    expect((p as { message: { response: { rcode: string } } }).message.response.rcode).toBe('NXDOMAIN');
    expect(r.trace.events.some((e) => e.type === 'app' && e.summary.includes('example.com A -> NXDOMAIN'))).toBe(true);
  });

  it('a proxy app opens a second connection from its own namespace and relays the answer', () => {
    const { b, sim } = twoNodes('vxlan');
    sim.apps.set('test-ingress', () => ({ kind: 'relay', to: { ip: '10.244.2.3', port: 80, protocol: 'tcp' }, summary: 'test-ingress: proxy to 10.244.2.3:80', message: message('app.userspacePick', { service: 'test-ingress', backend: '10.244.2.3:80' }) }));
    b.listen(b.get('pod/default/b-1'), 'tcp', 8080, 'pod/default/b-1', { kind: 'proxy', role: 'test-ingress' });
    const t = walk(sim, { from: 'pod/default/a-1', to: 'http://10.244.1.3:8080/' });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('pod/default/b-2');
    // The backend saw the proxy's address, not the client's.
    expect(t.seenSource).toMatch(/^10\.244\.1\.3:\d+$/);
    expect(t.events.some((e) => e.flow.startsWith('relay:'))).toBe(true);
  });

  it('UDP echo returns the datagram; TCP data to an echo port comes back', () => {
    const t = walk(twoNodes('ipip').sim, { from: 'pod/default/a-1', to: 'udp://10.244.2.2:7' });
    expect(t.verdict).toBe('delivered');
    expect(t.seenSource).toMatch(/^10\.244\.1\.2:/);
  });

  it('a time budget: TCP to an address nobody holds on a bridge times out as dropped', () => {
    const t = walk(bridgeOfThree().sim, { from: 'host/h1#net1', to: '20.1.1.77:80' });
    expect(t.verdict).toBe('unreachable');
  });
});
