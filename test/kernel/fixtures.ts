/**
 * Hand-built networks for the kernel tier: small pure-Linux topologies written directly as the
 * simulator's per-namespace state (src/engine/net/types.ts), with the answers a Linux kernel
 * gives worked out by hand. They hold the exporter to account without any scenario machinery,
 * and they double as simulator fixtures once the packet walk can run on a bare Network.
 *
 *   two-ns-veth          a ──veth── b            ping, TCP open, TCP closed, no route
 *   bridge-three         a ─┐
 *                        b ─┼─ br0 (in sw)       ping across the bridge, TCP to c, closed port
 *                        c ─┘
 *   routed               a ── r ── b             forwarding through a router namespace,
 *                                                and the same with ip_forward=0 (timeout)
 */
import { buildSim, type Sim } from '../../src/engine/index';
import type { LabProbe } from '../../src/engine/lab/export';
import type { ProbeModel } from '../../src/engine/model/cluster';
import type { IfAddr, Link, LinkKind, Listener, NetNs, Network, NsOwner, Route } from '../../src/engine/net/types';
import type { Verdict } from '../../src/engine/trace/types';
import type { Area } from './grid';

/** What the kernel must answer for one probe (null = not determined / not checked). */
export interface Expected {
  readonly verdict: Verdict;
  readonly responder: string | null;
  readonly seenSource: string | null;
  /** ICMP errors: the address of the router that sent it. */
  readonly icmpFrom?: string;
}

export interface Fixture {
  readonly name: string;
  readonly net: Network;
  /** Engine areas the simulator needs to answer these probes (the walk is compared once they land). */
  readonly needs?: readonly Area[];
  /** conntrack entry shapes each probe must leave (harness.normaliseConntrack), where worked out. */
  readonly conntrack?: Readonly<Record<string, readonly string[]>>;
  /** iptables-save text per namespace id, loaded with iptables-restore. */
  readonly rules?: Readonly<Record<string, string>>;
  readonly probes: readonly (LabProbe & { readonly expect: Expected })[];
}

/** A tiny builder: namespaces, veth pairs, bridges, addresses, routes and listeners. */
export class NetBuilder {
  private readonly namespaces = new Map<string, NetNs>();
  private mac = 0x10;

  ns(id: string, sysctl: Record<string, string> = {}): NetNs {
    const owner: NsOwner = id.startsWith('infra/') ? { kind: 'infra', name: id.slice(6) } : { kind: 'host', name: id.replace(/^host\//, '') };
    const ns: NetNs = {
      id, owner, machine: id, links: [], routes: [], neigh: [], sysctl: { ...sysctl }, listeners: [], nextIfindex: 1,
    };
    this.link(ns, 'lo', 'loopback');
    ns.links[0]!.addrs.push({ family: 4, address: '127.0.0.1', prefixLen: 8, scope: 'host' });
    this.namespaces.set(id, ns);
    return ns;
  }

  link(ns: NetNs, name: string, kind: LinkKind): Link {
    const l: Link = {
      ifindex: ns.nextIfindex++, name, kind, mac: this.nextMac(), mtu: kind === 'loopback' ? 65536 : 1500, up: true, addrs: [],
      stats: { rxPackets: 0, txPackets: 0, rxBytes: 0, txBytes: 0, rxDropped: 0, txDropped: 0 },
    };
    ns.links.push(l);
    return l;
  }

  veth(a: NetNs, aName: string, b: NetNs, bName: string): [Link, Link] {
    const la = this.link(a, aName, 'veth');
    const lb = this.link(b, bName, 'veth');
    la.peer = { ns: b.id, ifindex: lb.ifindex };
    lb.peer = { ns: a.id, ifindex: la.ifindex };
    return [la, lb];
  }

  /** Adds the address and the kernel's own prefix route (proto kernel scope link), as `ip addr add` does. */
  addr(ns: NetNs, dev: string, cidr: string): void {
    const [address, len] = cidr.split('/') as [string, string];
    const link = ns.links.find((l) => l.name === dev);
    if (!link) throw new Error(`fixture: ${ns.id} has no ${dev}`);
    const a: IfAddr = { family: 4, address, prefixLen: Number(len), scope: 'global' };
    link.addrs.push(a);
    ns.routes.push({ family: 4, table: 254, type: 'unicast', dst: networkOf(address, Number(len)), dev, src: address, proto: 'kernel', scope: 'link' });
    ns.routes.push({ family: 4, table: 255, type: 'local', dst: `${address}/32`, dev, src: address, proto: 'kernel', scope: 'host' });
  }

  route(ns: NetNs, r: Omit<Route, 'family' | 'table' | 'type' | 'proto' | 'scope'> & Partial<Pick<Route, 'table' | 'type' | 'scope'>>): void {
    ns.routes.push({ family: 4, table: 254, type: 'unicast', proto: 'static', scope: 'global', ...r });
  }

  listen(ns: NetNs, protocol: Listener['protocol'], port: number, owner = ns.id): void {
    ns.listeners.push({ protocol, address: '0.0.0.0', port, owner, app: protocol === 'tcp' ? { kind: 'http', name: owner } : { kind: 'echo' } });
  }

  build(): Network {
    return { namespaces: this.namespaces, generation: 1 };
  }

  private nextMac(): string {
    const v = this.mac++;
    return `02:00:00:00:00:${v.toString(16).padStart(2, '0')}`;
  }
}

function networkOf(address: string, len: number): string {
  const n = address.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  const v = (n & mask) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.')}/${len}`;
}

const delivered = (responder: string, seenSource: string | null): Expected => ({ verdict: 'delivered', responder, seenSource });
const answer = (verdict: Verdict): Expected => ({ verdict, responder: null, seenSource: null });

/** a ──veth── b, 10.0.0.0/24. b answers HTTP on 80 and UDP echo on 53; nothing on 81; no route to 10.9.9.9. */
export function twoNsVeth(): Fixture {
  const b = new NetBuilder();
  const a = b.ns('host/a');
  const bb = b.ns('host/b');
  b.veth(a, 'eth0', bb, 'eth0');
  b.addr(a, 'eth0', '10.0.0.1/24');
  b.addr(bb, 'eth0', '10.0.0.2/24');
  b.listen(bb, 'tcp', 80);
  b.listen(bb, 'udp', 53);
  return {
    name: 'two-ns-veth',
    net: b.build(),
    probes: [
      { name: 'ping-b', fromNs: 'host/a', protocol: 'icmp', ip: '10.0.0.2', port: 0, expect: delivered('host/b', null) },
      { name: 'http-b', fromNs: 'host/a', protocol: 'tcp', ip: '10.0.0.2', port: 80, expect: delivered('host/b', '10.0.0.1') },
      { name: 'udp-b', fromNs: 'host/a', protocol: 'udp', ip: '10.0.0.2', port: 53, expect: delivered('host/b', '10.0.0.1') },
      { name: 'closed-port', fromNs: 'host/a', protocol: 'tcp', ip: '10.0.0.2', port: 81, expect: answer('refused') },
      { name: 'no-route', fromNs: 'host/a', protocol: 'tcp', ip: '10.9.9.9', port: 80, expect: answer('unreachable') },
    ],
  };
}

/** Three namespaces on one bridge br0 that lives in its own namespace "infra/sw" (like the underlay). */
export function bridgeThree(): Fixture {
  const b = new NetBuilder();
  const sw = b.ns('infra/sw');
  const br = b.link(sw, 'br0', 'bridge');
  const hosts = ['a', 'b', 'c'].map((n, i) => {
    const ns = b.ns(`host/${n}`);
    const [, port] = b.veth(ns, 'eth0', sw, `veth-${n}`);
    port.master = br.name;
    b.addr(ns, 'eth0', `10.1.0.${i + 1}/24`);
    return ns;
  });
  b.listen(hosts[2]!, 'tcp', 8080);
  return {
    name: 'bridge-three',
    net: b.build(),
    probes: [
      { name: 'a-ping-b', fromNs: 'host/a', protocol: 'icmp', ip: '10.1.0.2', port: 0, expect: delivered('host/b', null) },
      { name: 'b-ping-c', fromNs: 'host/b', protocol: 'icmp', ip: '10.1.0.3', port: 0, expect: delivered('host/c', null) },
      { name: 'a-http-c', fromNs: 'host/a', protocol: 'tcp', ip: '10.1.0.3', port: 8080, expect: delivered('host/c', '10.1.0.1') },
      { name: 'b-closed-c', fromNs: 'host/b', protocol: 'tcp', ip: '10.1.0.3', port: 9090, expect: answer('refused') },
      // Nobody owns .9: ARP goes unanswered and after its 3 solicitations the kernel reports
      // "no route to host" to the sender (an ICMP host unreachable from itself).
      { name: 'a-ping-nobody', fromNs: 'host/a', protocol: 'icmp', ip: '10.1.0.9', port: 0, expect: answer('unreachable') },
      { name: 'a-http-nobody', fromNs: 'host/a', protocol: 'tcp', ip: '10.1.0.9', port: 80, expect: answer('unreachable') },
    ],
  };
}

/**
 * a (10.2.1.2) ── r ── b (10.2.2.2): r forwards between two /24s. With forwarding on, a reaches b
 * and b sees a's own address (no NAT). `routedNoForward` is the same with ip_forward=0: the
 * router silently drops the routed packet, so the client times out.
 */
export function routed(forward = true): Fixture {
  const b = new NetBuilder();
  const a = b.ns('host/a');
  const r = b.ns('host/r', { 'net.ipv4.ip_forward': forward ? '1' : '0' });
  const bb = b.ns('host/b');
  b.veth(a, 'eth0', r, 'eth-a');
  b.veth(bb, 'eth0', r, 'eth-b');
  b.addr(a, 'eth0', '10.2.1.2/24');
  b.addr(r, 'eth-a', '10.2.1.1/24');
  b.addr(r, 'eth-b', '10.2.2.1/24');
  b.addr(bb, 'eth0', '10.2.2.2/24');
  b.route(a, { dst: 'default', via: '10.2.1.1', dev: 'eth0' });
  b.route(bb, { dst: 'default', via: '10.2.2.1', dev: 'eth0' });
  b.listen(bb, 'tcp', 80);
  b.listen(r, 'tcp', 22);
  return {
    name: forward ? 'routed' : 'routed-no-forward',
    net: b.build(),
    probes: forward
      ? [
          { name: 'a-http-b', fromNs: 'host/a', protocol: 'tcp', ip: '10.2.2.2', port: 80, expect: delivered('host/b', '10.2.1.2') },
          { name: 'a-ping-b', fromNs: 'host/a', protocol: 'icmp', ip: '10.2.2.2', port: 0, expect: delivered('host/b', null) },
          // The router's other address is local to it: answered without forwarding.
          { name: 'a-ssh-r-far-side', fromNs: 'host/a', protocol: 'tcp', ip: '10.2.2.1', port: 22, expect: delivered('host/r', '10.2.1.2') },
        ]
      : [
          { name: 'a-http-b-dropped', fromNs: 'host/a', protocol: 'tcp', ip: '10.2.2.2', port: 80, expect: answer('timeout') },
          { name: 'a-ssh-r-far-side', fromNs: 'host/a', protocol: 'tcp', ip: '10.2.2.1', port: 22, expect: delivered('host/r', '10.2.1.2') },
        ],
  };
}

/**
 * The router of `routed` with a port forward, the way kube-proxy writes a NodePort:
 *
 *   a ──► 10.2.1.1:8080 ─[PREROUTING DNAT]─► 10.2.2.2:80 ─[POSTROUTING MASQUERADE]─► b
 *
 * b must see the router's own address (10.2.2.1) for the forwarded port, and a's own address when a
 * talks to b directly (only DNATed connections are masqueraded, as kube-proxy marks its own).
 * Port 8081 is REJECTed in INPUT (icmp-port-unreachable → refused); port 8082 is DROPped (timeout).
 */
export function portForward(): Fixture {
  const base = routed(true);
  const rules = [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    '-A PREROUTING -d 10.2.1.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.2.2.2:80',
    '-A POSTROUTING -o eth-b -m conntrack --ctstate DNAT -j MASQUERADE',
    'COMMIT',
    '*filter',
    ':INPUT ACCEPT [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    '-A INPUT -p tcp -m tcp --dport 8081 -j REJECT --reject-with icmp-port-unreachable',
    '-A INPUT -p tcp -m tcp --dport 8082 -j DROP',
    'COMMIT',
    '',
  ].join('\n');
  return {
    name: 'port-forward',
    net: base.net,
    rules: { 'host/r': rules },
    // The simulator reads these rules once the netfilter module can load iptables-restore text.
    needs: ['netfilter'],
    // The router's conntrack holds both translations in one entry: the reply tuple is what b
    // answers to (its own address and port 80) and the masqueraded address it answers.
    conntrack: {
      'dnat-masq': ['host/r tcp 10.2.1.2 > 10.2.1.1:8080 | reply 10.2.2.2:80 > 10.2.2.1'],
      'direct-no-nat': ['host/r tcp 10.2.1.2 > 10.2.2.2:80 | reply 10.2.2.2:80 > 10.2.1.2'],
    },
    probes: [
      { name: 'dnat-masq', fromNs: 'host/a', protocol: 'tcp', ip: '10.2.1.1', port: 8080, expect: delivered('host/b', '10.2.2.1') },
      { name: 'direct-no-nat', fromNs: 'host/a', protocol: 'tcp', ip: '10.2.2.2', port: 80, expect: delivered('host/b', '10.2.1.2') },
      { name: 'reject', fromNs: 'host/a', protocol: 'tcp', ip: '10.2.1.1', port: 8081, expect: answer('refused') },
      { name: 'drop', fromNs: 'host/a', protocol: 'tcp', ip: '10.2.1.1', port: 8082, expect: answer('timeout') },
    ],
  };
}

/**
 * A routing loop: r1 and r2 each route 10.9.0.0/16 at the other.
 *
 *   a (10.2.1.2) ── r1 (10.2.1.1 | 10.3.0.1) ── r2 (10.3.0.2)      10.9.0.0/16: r1 → r2 → r1 → ...
 *
 * a's ping leaves with TTL 64; each forward takes one off, so r1 sees even TTLs and r2 odd ones:
 * r2 receives it with TTL 1 and sends ICMP time exceeded, from the address its route back to a
 * leaves by (10.3.0.2). A TCP connect gets the same error, which the kernel reports as
 * EHOSTUNREACH.
 */
export function routingLoop(): Fixture {
  const b = new NetBuilder();
  const a = b.ns('host/a');
  const r1 = b.ns('host/r1', { 'net.ipv4.ip_forward': '1' });
  const r2 = b.ns('host/r2', { 'net.ipv4.ip_forward': '1' });
  b.veth(a, 'eth0', r1, 'eth-a');
  b.veth(r1, 'eth-r2', r2, 'eth-r1');
  b.addr(a, 'eth0', '10.2.1.2/24');
  b.addr(r1, 'eth-a', '10.2.1.1/24');
  b.addr(r1, 'eth-r2', '10.3.0.1/24');
  b.addr(r2, 'eth-r1', '10.3.0.2/24');
  b.route(a, { dst: 'default', via: '10.2.1.1', dev: 'eth0' });
  b.route(r1, { dst: '10.9.0.0/16', via: '10.3.0.2', dev: 'eth-r2' });
  b.route(r2, { dst: '10.9.0.0/16', via: '10.3.0.1', dev: 'eth-r1' });
  b.route(r2, { dst: '10.2.1.0/24', via: '10.3.0.1', dev: 'eth-r1' });
  return {
    name: 'routing-loop',
    net: b.build(),
    probes: [
      { name: 'ping-into-loop', fromNs: 'host/a', protocol: 'icmp', ip: '10.9.0.1', port: 0, expect: { ...answer('unreachable'), icmpFrom: '10.3.0.2' } },
      { name: 'tcp-into-loop', fromNs: 'host/a', protocol: 'tcp', ip: '10.9.0.1', port: 80, expect: answer('unreachable') },
    ],
  };
}

export const FIXTURES: readonly (() => Fixture)[] = [twoNsVeth, bridgeThree, () => routed(true), () => routed(false), portForward, routingLoop];

/** A simulation whose network is a hand-built fixture, with Probe objects (for the planner and the walk). */
export function simOf(net: Network, probes: ProbeModel[]): Sim {
  const { sim } = buildSim('', { file: 'fixture.yaml' });
  return { ...sim, net, model: { ...sim.model, probes } };
}

/** The Probe object a fixture probe stands for (`to` written the way scenarios write it). */
export function probeModel(p: LabProbe): ProbeModel {
  const to = p.protocol === 'icmp' ? p.ip : `${p.protocol}://${p.ip}:${p.port}`;
  return { name: p.name, from: p.fromNs, to, count: 1 };
}
