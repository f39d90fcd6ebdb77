/**
 * The UI's IPv6 side (issue #18), without a browser: which addresses an object shows and in which
 * order, what the worker's snapshot carries for each family (and that an IPv4-only one is
 * unchanged), the canvas data of a dual-stack and an IPv6-only cluster, and the inspector's IPv6
 * and ICMPv6 headers with their labels in both languages.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, walk } from '../../../src/engine';
import type { Packet } from '../../../src/engine/net/packet';
import { describePacket } from '../../../src/engine/trace/story';
import { deviceAddresses, inetLines, nodeSubtitle, primaryFamily, serviceAddresses, shownDeviceAddresses } from '../../../src/app/canvas/addresses';
import { toFlow, type FlowNode } from '../../../src/app/canvas/flow';
import { changes, layers } from '../../../src/app/inspect/layers';
import { packet as packetStrings } from '../../../src/app/i18n/features/packet';
import { snapshot } from '../../../src/worker/snapshot';

const scenario = (name: string) => readFileSync(new URL(`../../../content/scenarios/${name}.yaml`, import.meta.url), 'utf8');
const DUAL_SVC = '---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  ipFamilyPolicy: PreferDualStack\n  selector: {app: web}\n  ports: [{port: 80}]\n';
const build = (yaml: string) => buildSim(yaml, { seed: 1, file: 'scenario.yaml' }).sim;
const data = (nodes: FlowNode[], id: string) => nodes.find((n) => n.id === id)!.data as Record<string, unknown>;

describe('which addresses an object shows', () => {
  it('puts the primary family first and keeps a device to its global addresses, or its link-local one without a global IPv6', () => {
    const cni0 = { addrs: ['10.244.0.1/24', 'fd00:10:244::1/64', 'fe80::18:c5ff:fefa:3297/64'] };
    expect(deviceAddresses(cni0, 4)).toEqual(['10.244.0.1/24', 'fd00:10:244::1/64']);
    expect(deviceAddresses(cni0, 6)).toEqual(['fd00:10:244::1/64', '10.244.0.1/24']);
    expect(deviceAddresses({ addrs: ['fe80::ac:8ff:fe84:190a/64'] }, 4)).toEqual(['fe80::ac:8ff:fe84:190a/64']);
    expect(deviceAddresses({ addrs: ['127.0.0.1/8', '::1/128'] }, 4)).toEqual([]);
    // kube-ipvs0's Service addresses of one family stay one line; both families make two.
    expect(shownDeviceAddresses(['10.96.0.1/32', '10.96.0.10/32'], 2)).toEqual(['10.96.0.1/32']);
    expect(shownDeviceAddresses(['10.244.0.1/24', 'fd00:10:244::1/64'], 2)).toEqual(['10.244.0.1/24', 'fd00:10:244::1/64']);
    expect(shownDeviceAddresses(['10.244.0.1/24', 'fd00:10:244::1/64'], 1)).toEqual(['10.244.0.1/24']);
  });

  it('prints a link\'s addresses as ip addr does: inet, then inet6 global, then inet6 link', () => {
    expect(inetLines(['fe80::1/64', '10.0.0.1/24', 'fd00::1/64'])).toEqual(['inet 10.0.0.1/24', 'inet6 fd00::1/64 scope global', 'inet6 fe80::1/64 scope link']);
  });

  it('shows a headless Service as None and a node\'s addresses and ranges in one title line', () => {
    expect(serviceAddresses({ clusterIP: 'None' })).toEqual(['None']);
    expect(serviceAddresses({ clusterIP: '10.96.0.10' })).toEqual(['10.96.0.10']);
    expect(nodeSubtitle({ ip: '192.168.1.11', podCIDR: '10.244.0.0/24' })).toBe('192.168.1.11 · podCIDR 10.244.0.0/24');
    expect(nodeSubtitle({ ip: '192.168.1.11', ips: ['192.168.1.11', 'fd00::11'], podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24', 'fd00:10:244::/64'] }))
      .toBe('192.168.1.11 · fd00::11 · podCIDR 10.244.0.0/24 fd00:10:244::/64');
  });
});

describe('the snapshot and the canvas for each family', () => {
  it('an IPv4-only cluster sends what it always did: no address lists, no IPv6 tables', () => {
    const snap = snapshot(build(scenario('default')), 1);
    expect(snap.cluster.podCIDRs).toBeUndefined();
    expect(snap.pods.some((p) => p.ips || snap.services.some((s) => s.clusterIPs) || snap.nodes.some((n) => n.ips))).toBe(false);
    expect(snap.namespaces.some((n) => n.routes6 || n.neigh6)).toBe(false);
    expect(primaryFamily(snap)).toBe(4);
  });

  it('a dual-stack cluster: both addresses on a Pod, a Service and a node, IPv4 first; routes split as ip and ip -6 print them', () => {
    const sim = build(scenario('dual-stack') + DUAL_SVC);
    const snap = snapshot(sim, 1);
    const web = sim.model.pods.find((p) => p.meta.name === 'web')!;
    const svc = sim.model.services.find((s) => s.meta.name === 'web')!;
    const flow = toFlow(snap, { kind: 'cluster' }, {});
    expect(data(flow.nodes, 'pod/default/web')['addrs']).toEqual(web.podIPs);
    expect(web.podIPs!.map((a) => a.includes(':'))).toEqual([false, true]);
    expect(data(flow.nodes, 'svc/default/web')['addrs']).toEqual(svc.clusterIPs);
    expect(svc.clusterIPs).toHaveLength(2);
    expect(data(flow.nodes, 'node/node-1')['subtitle']).toBe('192.168.1.11 · fd00:192:168:1::11');
    expect(data(flow.nodes, 'node/node-1')['full']).toBe('192.168.1.11 · fd00:192:168:1::11 · podCIDR 10.244.0.0/24 fd00:10:244::/64');
    // A single-stack Service in the same cluster shows its one address.
    expect(data(flow.nodes, 'svc/default/kubernetes')['addrs']).toEqual(['10.96.0.1']);
    const client = snap.namespaces.find((n) => n.id === 'pod/default/client')!;
    expect(client.routes.every((r) => !r.includes(':'))).toBe(true);
    expect(client.routes6).toContain('default via fd00:10:244::1 dev eth0 metric 1024');
    // After a ping -6 the client knows its gateway by NDP, listed apart from ARP.
    walk(sim, { from: 'pod/default/client', to: web.podIPs![1]!, protocol: 'icmp' });
    const after = snapshot(sim, 2).namespaces.find((n) => n.id === 'pod/default/client')!;
    expect(after.neigh6?.some((l) => l.startsWith('fd00:10:244::1 dev eth0 lladdr'))).toBe(true);
    expect(after.neigh.some((l) => l.includes(':'))).toBe(false);
  });

  it('the kernel view draws a dual-stack bridge\'s two addresses on a taller box and a veth\'s link-local address', () => {
    const snap = snapshot(build(scenario('dual-stack')), 1);
    const flow = toFlow(snap, { kind: 'kernel', node: 'node-1' }, {});
    const cni0 = flow.nodes.find((n) => n.id === 'node/node-1/cni0')!;
    expect((cni0.data as Record<string, unknown>)['addrs']).toEqual(['10.244.0.1/24', 'fd00:10:244::1/64']);
    expect(cni0.height).toBeGreaterThan(flow.nodes.find((n) => n.id.startsWith('node/node-1/veth'))!.height!);
    const veth = flow.nodes.find((n) => n.id.startsWith('node/node-1/veth'))!;
    expect((veth.data as Record<string, unknown>)['addr']).toMatch(/^fe80::/);
  });

  it('an IPv6-only cluster shows IPv6 only on Pods, Services and nodes, and IPv6 first on devices', () => {
    const snap = snapshot(build(scenario('ipv6-only')), 1);
    expect(primaryFamily(snap)).toBe(6);
    const flow = toFlow(snap, { kind: 'cluster' }, {});
    expect(data(flow.nodes, 'pod/default/web')['addrs']).toEqual(['fd00:10:244:1::3']);
    expect(data(flow.nodes, 'pod/default/web')['ip']).toBe('fd00:10:244:1::3');
    expect(data(flow.nodes, 'svc/kube-system/kube-dns')['addrs']).toEqual(['fd00:10:96::a']);
    expect(data(flow.nodes, 'node/node-2')['subtitle']).toBe('fd00:192:168:1::12 · podCIDR fd00:10:244:1::/64');
    expect(data(flow.nodes, 'node/node-2/eth0')['addr']).toBe('fd00:192:168:1::12/64');
  });
});

describe('the inspector on IPv6 packets', () => {
  const echo: Packet = {
    eth: { src: '02:00:00:00:00:01' as never, dst: '02:00:00:00:00:02' as never, type: 0x86dd },
    ip: { version: 6, src: 'fd00:10:244::3', dst: 'fd00:10:244:1::3', ttl: 64, protocol: 58, id: 0, df: true, tos: 0, length: 104 },
    icmp: { type: 128, code: 0, id: 7, seq: 1 },
  };
  const field = (p: Packet, layer: string, key: string) => layers(p).find((l) => l.name === layer)!.fields.find((f) => f.key === key)!;

  it('shows the IPv6 header field by field: version, traffic class, flow label, payload length, next header, hop limit, addresses', () => {
    const ip = layers(echo).find((l) => l.name === 'IPv6')!;
    expect(ip.fields.map((f) => `${f.label}=${f.value}`)).toEqual([
      'version=6', 'traffic class=0x00', 'flow label=0x00000', 'payload length=64', 'next header=ipv6-icmp (58)', 'hop limit=64',
      'src=fd00:10:244::3', 'dst=fd00:10:244:1::3',
    ]);
    expect(layers(echo).map((l) => l.name)).toEqual(['Ethernet', 'IPv6', 'ICMPv6']);
    // A forwarding hop's hop limit −1 is the same change as IPv4's TTL.
    expect(changes(echo, { ...echo, ip: { ...echo.ip!, ttl: 63 } }).kinds).toEqual(['ttl']);
  });

  it('names ICMPv6 types and codes, and shows NDP\'s target address and link-layer option', () => {
    expect(field(echo, 'ICMPv6', 'icmp.type').value).toBe('echo request (128)');
    const ns: Packet = { ...echo, ip: { ...echo.ip!, dst: 'ff02::1:ff00:1', ttl: 255 }, icmp: { type: 135, code: 0, target: 'fd00:10:244::1', lladdr: '02:00:00:00:00:01' } };
    expect(layers(ns).find((l) => l.name === 'ICMPv6')!.fields.map((f) => `${f.label}=${f.value}`)).toEqual([
      'type=neighbor solicitation (135)', 'code=0', 'target address=fd00:10:244::1', 'source link-layer address=02:00:00:00:00:01',
    ]);
    const na: Packet = { ...ns, icmp: { type: 136, code: 0, target: 'fd00:10:244::1', lladdr: '02:00:00:00:00:09', solicited: true, router: true } };
    expect(field(na, 'ICMPv6', 'icmp.naFlags').value).toBe('R,S');
    expect(field(na, 'ICMPv6', 'icmp.lladdr').label).toBe('target link-layer address');
    expect(field({ ...echo, icmp: { type: 1, code: 4 } }, 'ICMPv6', 'icmp.code').value).toBe('port unreachable (4)');
    expect(field({ ...echo, icmp: { type: 3, code: 0 } }, 'ICMPv6', 'icmp.code').value).toBe('hop limit exceeded in transit (0)');
    expect(field({ ...echo, icmp: { type: 2, code: 0, mtu: 1280 } }, 'ICMPv6', 'icmp.mtu').value).toBe('1280');
    // An IPv4 echo keeps its own numbers.
    const v4: Packet = { ...echo, ip: { ...echo.ip!, version: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: 1 }, icmp: { type: 8, code: 0 } };
    expect(field(v4, 'ICMP', 'icmp.type').value).toBe('echo request (8)');
  });

  it('has every field label and named value in en and zh-CN', () => {
    const lookup = (tree: unknown, key: string) => key.split('.').reduce<unknown>((t, k) => (t as Record<string, unknown> | undefined)?.[k], tree);
    const packets: Packet[] = [
      echo, { ...echo, icmp: { type: 136, code: 0, target: 'fd00::1', lladdr: '02:00:00:00:00:09', solicited: true } }, { ...echo, icmp: { type: 1, code: 3 } },
      { ...echo, ip: { ...echo.ip!, version: 4, protocol: 1 }, icmp: { type: 0, code: 0 } },
      { eth: echo.eth!, arp: { op: 1, sha: '02:00:00:00:00:01' as never, spa: '10.0.0.1', tha: '00:00:00:00:00:00' as never, tpa: '10.0.0.2' } },
    ];
    for (const p of packets) {
      for (const f of layers(p).flatMap((l) => l.fields)) {
        for (const lang of ['en', 'zh-CN'] as const) {
          expect(typeof lookup(packetStrings[lang], f.labelKey), `${lang} ${f.labelKey}`).toBe('string');
          if (f.named) expect(typeof lookup(packetStrings[lang], f.named.key), `${lang} ${f.named.key}`).toBe('string');
        }
      }
    }
  });

  it('the story names ICMPv6 and NDP packets by their type, not as ICMP numbers', () => {
    expect(describePacket(echo)).toBe('ICMPv6 echo request');
    expect(describePacket({ ...echo, icmp: { type: 129, code: 0 } })).toBe('ICMPv6 echo reply');
    expect(describePacket({ ...echo, icmp: { type: 135, code: 0 } })).toBe('NDP neighbor solicitation');
    expect(describePacket({ ...echo, ip: { ...echo.ip!, version: 4, protocol: 1 }, icmp: { type: 8, code: 0 } })).toBe('ICMP echo request');
  });
});
