/**
 * flanneld's UDP backend in user space: it holds flannel0 (a TUN) and a UDP socket on 8285.
 *
 *   Pod ─► cni0 ─► route CLUSTER_CIDR dev flannel0 ─► flanneld read()s the IP packet
 *       ─► lease table: which node's subnet holds the destination ─► [IP][UDP 8285][inner IP] to its public IP
 *   peer: UDP 8285 ─► flanneld ─► write() to /dev/net/tun ─► flannel0 receives it ─► cni0 ─► Pod
 *
 * The kernel side (the TUN, the outer packet as a local packet of the node, the injection) is
 * the stack's (stack/userspace.ts); what is here is what flanneld decides.
 */
import { parseIPv4, parsePrefix, prefixContains } from '../../addr/ip';
import { message } from '../../i18n/messages';
import type { NetNs } from '../../net/types';
import type { Sim } from '../../sim';
import type { UserspaceProcess, UserspaceRegistry } from '../../stack/userspace';

export const FLANNELD = 'flanneld';
export const FLANNEL_UDP_PORT = 8285;

/**
 * flanneld's view of the lease table (etcd /coreos.com/network/subnets): which node owns which
 * Pod subnet. Derived from the namespaces that run flanneld with a TUN device: the subnet is
 * the address prefix on the node's Pod bridge, the public IP the address the node reaches
 * others with.
 */
function leaseFor(sim: Sim, dst: string): { node: NetNs; publicIp: string } | undefined {
  const d = parseIPv4(dst);
  if (d === null) return undefined;
  for (const ns of sim.net.namespaces.values()) {
    if (!ns.links.some((l) => l.kind === 'tun' && l.tun?.owner === FLANNELD)) continue;
    for (const l of ns.links) {
      if (l.kind !== 'bridge') continue;
      for (const a of l.addrs) {
        const p = parsePrefix(`${a.address}/${a.prefixLen}`, true);
        if (p && a.family === 4 && prefixContains(p, d)) {
          const pub = publicIp(ns);
          if (pub) return { node: ns, publicIp: pub };
        }
      }
    }
  }
  return undefined;
}

function publicIp(ns: NetNs): string | undefined {
  const def = ns.routes.find((r) => r.dst === 'default' && r.table === 254 && r.dev);
  const dev = def ? ns.links.find((l) => l.name === def.dev) : ns.links.find((l) => l.kind === 'ether' || (l.kind === 'veth' && !l.master));
  return dev?.addrs.find((a) => a.family === 4)?.address;
}

export const flanneld: UserspaceProcess = {
  name: FLANNELD,
  // A packet read from flannel0: the lease covering its destination names the peer; UDP 8285 both ways.
  send: (env, _tun, pkt) => {
    const lease = leaseFor(env.sim, pkt.ip!.dst);
    if (!lease) return { verdict: 'drop', reason: `${FLANNELD}: no subnet lease covers ${pkt.ip!.dst}` };
    return {
      verdict: 'send',
      datagrams: [{ peer: lease.publicIp, sport: FLANNEL_UDP_PORT, dport: FLANNEL_UDP_PORT, message: message('event.flannel.encap', { port: FLANNEL_UDP_PORT, peer: lease.publicIp, node: lease.node.id }) }],
    };
  },
  receive: (_env, tun, pkt) => ({
    received: message('event.flannel.receive', { port: FLANNEL_UDP_PORT, src: pkt.ip!.src }),
    injected: message('event.flannel.decap', { dev: tun.name }),
  }),
};

export const flannelUserspace: UserspaceRegistry = new Map([[FLANNELD, flanneld]]);
