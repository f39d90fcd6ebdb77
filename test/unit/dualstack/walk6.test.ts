/**
 * The IPv6 data path (issue #18, stage 2a): addresses and routes from the build, fib6, neighbour
 * discovery, ICMPv6 echo and errors, hop limit, forwarding, and the shell's -6 views.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { fibLookup } from '../../../src/engine/route/fib';
import { linkLocalFromMac, multicastMac6, solicitedNode } from '../../../src/engine/net/ipv6';
import { runLine } from '../../../src/engine/shell/run';
import type { Sim } from '../../../src/engine/sim';
import { parseDestination } from '../../../src/engine/stack/target';
import { walk } from '../../../src/engine/stack/walk';

const DUAL = readFileSync(new URL('../../../content/scenarios/dual-stack.yaml', import.meta.url), 'utf8');
const ONLY6 = readFileSync(new URL('../../../content/scenarios/ipv6-only.yaml', import.meta.url), 'utf8');
const client = { kind: 'pod', namespace: 'default', name: 'client' } as const;

function sim(text = DUAL): Sim {
  const { sim: s, diagnostics } = buildSim(text, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return s;
}
const web6 = (s: Sim): string => s.model.pods.find((p) => p.meta.name === 'web')!.podIPs!.find((a) => a.includes(':'))!;
const ns = (s: Sim, id: string) => s.net.namespaces.get(id)!;

describe('IPv6 addressing', () => {
  it('derives link-local addresses by modified EUI-64 and the solicited-node group from the low 24 bits', () => {
    expect(linkLocalFromMac('52:54:00:12:34:56')).toBe('fe80::5054:ff:fe12:3456');
    expect(linkLocalFromMac('02:42:ac:11:00:02')).toBe('fe80::42:acff:fe11:2');
    expect(solicitedNode('fd00:10:244:1::3')).toBe('ff02::1:ff00:3');
    expect(solicitedNode('2001:db8::abcd:ef12')).toBe('ff02::1:ffcd:ef12');
    expect(multicastMac6('ff02::1:ffcd:ef12')).toBe('33:33:ff:cd:ef:12');
  });

  it('gives every Pod its IPv6 address, a link-local one and the default route via the bridge', () => {
    const s = sim();
    const addr = runLine(s, client, 'ip -6 addr show dev eth0').stdout;
    expect(addr).toMatch(/inet6 fd00:10:244::3\/64 scope global \n/);
    expect(addr).toMatch(/inet6 fe80::[0-9a-f:]+\/64 scope link \n/);
    expect(addr).not.toContain('inet ');
    expect(runLine(s, client, 'ip -6 route').stdout).toBe([
      '::1 dev lo proto kernel metric 256 pref medium ',
      'fd00:10:244::/64 dev eth0 proto kernel metric 256 pref medium ',
      'fe80::/64 dev eth0 proto kernel metric 256 pref medium ',
      'default via fd00:10:244::1 dev eth0 metric 1024 pref medium ', ''].join('\n'));
    // Plain `ip route` stays IPv4, as iproute2's default family is.
    expect(runLine(s, client, 'ip route').stdout).not.toContain(':');
  });

  it('leaves an IPv4-only cluster without any IPv6 address', () => {
    const v4 = DUAL.replace(/\[10\.244\.0\.0\/16, "fd00:10:244::\/56"\]/, '10.244.0.0/16').replace(/\[10\.96\.0\.0\/12, "fd00:10:96::\/112"\]/, '10.96.0.0/12')
      .replace(/\[192\.168\.1\.0\/24, "fd00:192:168:1::\/64"\]/, '192.168.1.0/24').replace(/ip: \[(192\.168\.1\.1\d), "[^"]+"\]/g, 'ip: $1');
    const s = sim(v4);
    expect(runLine(s, client, 'ip addr').stdout).not.toContain('inet6');
    expect([...s.net.namespaces.values()].every((n) => n.routes.every((r) => r.family === 4))).toBe(true);
  });

  it('fib6: the longest prefix wins, then the lowest metric; table local first', () => {
    const s = sim();
    const node = ns(s, 'node/node-1');
    expect(fibLookup(node, 'fd00:10:244::3')?.route.dev).toBe('cni0');
    expect(fibLookup(node, 'fd00:10:244:1::3')?.route).toMatchObject({ dst: 'default', via: 'fd00:192:168:1::1', dev: 'eth0' });
    expect(fibLookup(node, 'fd00:10:244::1')?.route.type).toBe('local');
    expect(fibLookup(node, 'fd00:10:244:1::3')?.src).toBe('fd00:192:168:1::11');
    node.routes.push({ family: 6, table: 254, type: 'unicast', dst: 'fd00:10:244:1::/64', via: 'fd00:192:168:1::12', dev: 'eth0', proto: 'static', scope: 'global', metric: 1024 });
    node.routes.push({ family: 6, table: 254, type: 'unicast', dst: 'fd00:10:244:1::/64', via: 'fd00:192:168:1::99', dev: 'eth0', proto: 'static', scope: 'global', metric: 2000 });
    expect(fibLookup(node, 'fd00:10:244:1::3')?.route.via).toBe('fd00:192:168:1::12');
  });
});

describe('the IPv6 walk', () => {
  it('resolves the gateway with a neighbour solicitation to its solicited-node group, then pings across nodes', () => {
    const s = sim();
    const t = walk(s, { from: 'pod/default/client', to: web6(s), protocol: 'icmp' });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('pod/default/web');
    const ns0 = t.events.find((e) => e.type === 'ndisc-solicit')!;
    expect(ns0.flow).toBe('ndisc');
    expect(ns0.detail).toEqual({ target: 'fd00:10:244::1', group: 'ff02::1:ff00:1' });
    const tx = t.events.find((e) => e.type === 'tx' && e.flow === 'ndisc')!;
    expect(tx.packet?.eth).toMatchObject({ dst: '33:33:ff:00:00:01', type: 0x86dd });
    expect(tx.packet?.ip).toMatchObject({ version: 6, ttl: 255, protocol: 58 });
    expect(t.events.some((e) => e.type === 'ndisc-advert' && e.where.ns === 'node/node-1')).toBe(true);
    expect(t.events.some((e) => e.type === 'arp-request')).toBe(false);
    // Routers decrement the hop limit: client → node-1 → router → node-2 → web.
    const reply = [...t.events].reverse().find((e) => e.type === 'deliver')!;
    expect(reply.packet?.ip).toMatchObject({ version: 6, ttl: 61, src: web6(s) });
    expect(reply.packet?.icmp?.type).toBe(129);
    // The neighbour tables remember, per family.
    expect(runLine(s, client, 'ip -6 neigh').stdout).toMatch(/^fd00:10:244::1 dev eth0 lladdr [0-9a-f:]{17} REACHABLE\n$/);
    expect(runLine(s, client, 'ip -4 neigh').stdout).toBe('');
  });

  it('hop limit 1: the first router answers time exceeded; a missing host: address unreachable', () => {
    const s = sim();
    const out = runLine(s, client, `ping -6 -c 1 -t 1 ${web6(s)}`).stdout;
    expect(out).toContain('From fd00:10:244::1 icmp_seq=1 Time exceeded: Hop limit');
    const gone = runLine(s, client, 'ping6 -c 1 fd00:10:244:1::99').stdout;
    expect(gone).toContain('icmp_seq=1 Destination unreachable: Address unreachable');
  });

  it('a node that does not forward IPv6 drops the packet without an error', () => {
    const s = sim();
    ns(s, 'node/node-1').sysctl['net.ipv6.conf.all.forwarding'] = '0';
    const t = walk(s, { from: 'pod/default/client', to: web6(s), protocol: 'icmp' });
    expect(t.verdict).toBe('dropped');
    expect(t.reason).toContain('net.ipv6.conf.all.forwarding=0');
  });

  it('a packet too big for the next hop: packet too big with the MTU, the router never fragments', () => {
    const s = sim();
    ns(s, 'node/node-1').links.find((l) => l.name === 'eth0')!.mtu = 1400;
    const t = walk(s, { from: 'pod/default/client', to: web6(s), protocol: 'icmp', size: 1400 });
    const err = t.events.find((e) => e.type === 'icmp-error')!;
    expect(err.packet?.icmp).toMatchObject({ type: 2, code: 0, mtu: 1400 });
    expect(err.packet?.ip).toMatchObject({ version: 6, src: 'fd00:10:244::1', dst: 'fd00:10:244::3' });
    expect(runLine(s, client, `ping -6 -c 1 -s 1400 ${web6(s)}`).stdout).toContain('From fd00:10:244::1 icmp_seq=1 Packet too big: mtu=1400');
    expect(t.events.some((e) => e.type === 'fragment')).toBe(false);
  });

  it('HTTP to [v6]:80 from an IPv6-only cluster, the server sees the IPv6 source', () => {
    const s = sim(ONLY6);
    const r = runLine(s, client, `curl -s http://[${web6(s)}]/`);
    expect(r.stdout).toMatch(/^Hostname: web\nRemoteAddr: \[fd00:10:244::3\]:\d+\n$/);
    const t = walk(s, { from: 'pod/default/client', to: `[${web6(s)}]:80` });
    expect(t.verdict).toBe('delivered');
    // net.JoinHostPort: the IPv6 address bracketed, so the port cannot be read as one more group.
    expect(t.seenSource).toMatch(/^\[fd00:10:244::3\]:\d+$/);
  });

  it('parses IPv6 destinations bare, in brackets with a port, and in URLs', () => {
    expect(parseDestination('fd00::2')).toMatchObject({ ip: 'fd00::2', protocol: 'icmp' });
    expect(parseDestination('[FD00:0::2]:8080')).toMatchObject({ ip: 'fd00::2', port: 8080, protocol: 'tcp' });
    expect(parseDestination('http://[fd00::2]/x')).toMatchObject({ ip: 'fd00::2', port: 80, path: '/x', scheme: 'http' });
    expect(parseDestination('[fd00::zz]:80')).toBeUndefined();
  });
});

describe('ip6tables and conntrack for IPv6', () => {
  it('IPv6 packets traverse ip6tables\' own tables, never iptables\'; REJECT answers with ICMPv6', () => {
    const s = sim();
    const node2 = { kind: 'node', name: 'node-2' } as const;
    expect(runLine(s, node2, `ip6tables -A FORWARD -d ${web6(s)}/128 -p tcp --dport 80 -j REJECT`).exitCode).toBe(0);
    // The same rule in iptables (IPv4) would never see the IPv6 packet, and the reverse holds too.
    expect(runLine(s, node2, 'iptables-save').stdout).not.toContain('fd00');
    expect(runLine(s, node2, 'ip6tables-save -t filter').stdout).toContain(`-A FORWARD -d ${web6(s)}/128 -p tcp -m tcp --dport 80 -j REJECT --reject-with icmp6-port-unreachable`);
    expect(runLine(s, node2, 'ip6tables -L FORWARD -n').stdout).toContain(`::/0                 ${web6(s)}/128`);
    const t = walk(s, { from: 'pod/default/client', to: `[${web6(s)}]:80` });
    expect(t.verdict).toBe('refused');
    const err = t.events.find((e) => e.type === 'icmp-error')!;
    expect(err.packet?.icmp).toMatchObject({ type: 1, code: 4 });
    expect(walk(s, { from: 'pod/default/client', to: web6(s), protocol: 'icmp' }).verdict).toBe('delivered');
    // IPv4 to the same Pod is untouched by the IPv6 rule.
    const web4 = s.model.pods.find((p) => p.meta.name === 'web')!.podIP!;
    expect(walk(s, { from: 'pod/default/client', to: `${web4}:80` }).verdict).toBe('delivered');
  });

  it('conntrack tracks IPv6 flows where ip6tables runs, and lists them with -f ipv6', () => {
    const s = sim();
    const node2 = { kind: 'node', name: 'node-2' } as const;
    runLine(s, node2, 'ip6tables -A FORWARD -p ipv6-icmp -j ACCEPT');
    expect(runLine(s, client, `ping -6 -c 1 ${web6(s)}`).exitCode).toBe(0);
    const v6 = runLine(s, node2, 'conntrack -L -f ipv6').stdout;
    expect(v6).toMatch(new RegExp(`^icmpv6   58 \\d+ src=fd00:10:244::3 dst=${web6(s)} type=128 code=0 id=\\d+ src=${web6(s)} dst=fd00:10:244::3 type=129 code=0 id=\\d+ mark=0 use=1\\n$`));
    expect(runLine(s, node2, 'conntrack -L').stdout).toBe('');
  });
});

describe('flannel vxlan with IPv6', () => {
  it('wires flannel-v6.1 and carries Pod IPv6 inside VXLAN over the IPv6 underlay', () => {
    const s = sim(DUAL.replace('plugin: bridge, bridge: cni0', 'plugin: flannel, backend: vxlan, bridge: cni0'));
    const node1 = { kind: 'node', name: 'node-1' } as const;
    expect(runLine(s, node1, 'ip -6 route').stdout).toContain('fd00:10:244:1::/64 via fd00:10:244:1:: dev flannel-v6.1 metric 1024 onlink pref medium \n');
    expect(runLine(s, node1, 'ip -6 addr show dev flannel-v6.1').stdout).toContain('inet6 fd00:10:244::/128 scope global \n');
    const t = walk(s, { from: 'pod/default/client', to: web6(s), protocol: 'icmp' });
    expect(t.verdict).toBe('delivered');
    const encap = t.events.find((e) => e.type === 'encap')!;
    expect(encap.where.dev).toBe('flannel-v6.1');
    expect(encap.packet?.ip).toMatchObject({ version: 6, src: 'fd00:192:168:1::11', dst: 'fd00:192:168:1::12' });
    expect(encap.packet?.inner?.eth?.type).toBe(0x86dd);
    expect(t.events.find((e) => e.type === 'decap')?.where).toMatchObject({ ns: 'node/node-2', dev: 'flannel-v6.1' });
    // IPv4 still goes through flannel.1 in the same cluster.
    const web4 = s.model.pods.find((p) => p.meta.name === 'web')!.podIP!;
    const t4 = walk(s, { from: 'pod/default/client', to: web4, protocol: 'icmp' });
    expect(t4.verdict).toBe('delivered');
    expect(t4.events.find((e) => e.type === 'decap')?.where.dev).toBe('flannel.1');
  });
});
