/**
 * The `weave` script as weave-kube ships it (/home/weave/weave, run with --local inside the
 * weave container): `weave status`, `weave status peers|connections|ipam`, `weave report`
 * (a short JSON of the same). Everything is read from the Sim: the nodes are the peers (a full
 * mesh: every peer connects to every other, the one listed first dials), the backend and the
 * password decide each connection's kind, the IPAM ring gives each peer's share.
 */
import { formatPrefix, prefixSize } from '../../addr/ip';
import type { NodeModel } from '../../model/cluster';
import type { Target } from '../../net/target';
import type { Sim } from '../../sim';
import { hashString } from '../../util/rand';
import { cniFail as fail, cniOk as ok, type CniTool } from '../plugin';
import { weaveAllocRange, weavePeerName, weaveRing } from './ipam';
import { weaveMtu, WEAVE_SLEEVE_PORT } from './plugin';

export const WEAVE_VERSION = '2.8.1';

const peerLabel = (n: NodeModel): string => `${weavePeerName(n.name)}(${n.name})`;
const backendOf = (sim: Sim): 'fastdp' | 'sleeve' => (sim.model.spec.network.backend === 'sleeve' ? 'sleeve' : 'fastdp');
const encrypted = (sim: Sim): boolean => sim.model.spec.network.encryption === true;

/** The ephemeral port a dialling peer's TCP connection comes from. */
const ephemeral = (from: string, to: string): number => 32768 + (hashString(`weave conn ${from} ${to}`) % 28232);

interface Conn { readonly outbound: boolean; readonly peer: NodeModel; readonly addr: string }

function connections(sim: Sim, me: NodeModel): Conn[] {
  const nodes = sim.model.nodes;
  const i = nodes.indexOf(me);
  return nodes.filter((n) => n !== me).map((peer) => {
    const outbound = i < nodes.indexOf(peer);
    return { outbound, peer, addr: outbound ? `${peer.ip}:${WEAVE_SLEEVE_PORT}` : `${peer.ip}:${ephemeral(peer.name, me.name)}` };
  });
}

function kindText(sim: Sim): string {
  return `${encrypted(sim) ? 'encrypted ' : ''}${backendOf(sim)}`;
}

function status(sim: Sim, me: NodeModel): string {
  const conns = connections(sim, me);
  const n = sim.model.nodes.length;
  const range = formatPrefix(weaveAllocRange(sim.model.spec));
  const rows: [string, string][] = [
    ['Version', `${WEAVE_VERSION} (version check update disabled)`],
    ['', ''],
    ['Service', 'router'],
    ['Protocol', 'weave 1..2'],
    ['Name', peerLabel(me)],
    ['Encryption', encrypted(sim) ? 'enabled' : 'disabled'],
    ['PeerDiscovery', 'enabled'],
    ['Targets', String(conns.length)],
    ['Connections', `${conns.length} (${conns.length} established)`],
    ['Peers', `${n} (with ${n * (n - 1)} established connections)`],
    ['TrustedSubnets', 'none'],
    ['', ''],
    ['Service', 'ipam'],
    ['Status', 'ready'],
    ['Range', range],
    ['DefaultSubnet', range],
  ];
  return `\n${rows.map(([k, v]) => (k ? `${k.padStart(15)}: ${v}` : '')).join('\n')}\n`;
}

function peers(sim: Sim): string {
  let out = '';
  for (const n of sim.model.nodes) {
    out += `${peerLabel(n)}\n`;
    for (const c of connections(sim, n)) out += `   ${c.outbound ? '->' : '<-'} ${c.addr.padEnd(21)} ${peerLabel(c.peer).padEnd(30)} established\n`;
  }
  return out;
}

function conns(sim: Sim, me: NodeModel): string {
  const mtu = weaveMtu(sim.model.spec.network.mtu);
  return connections(sim, me).map((c) => `${c.outbound ? '->' : '<-'} ${c.addr.padEnd(21)} established ${kindText(sim)} ${peerLabel(c.peer)} mtu=${mtu}\n`).join('');
}

function ipam(sim: Sim, me: NodeModel): string {
  const range = weaveAllocRange(sim.model.spec);
  const ring = weaveRing(range, sim.model.nodes.map((n) => n.name));
  const total = prefixSize(range);
  return sim.model.nodes.map((n) => {
    const block = ring.get(n.name);
    const size = block ? prefixSize(block) : 0;
    const active = sim.model.pods.filter((p) => p.nodeName === n.name && !p.hostNetwork && p.podIP).length + (block ? 1 : 0);
    const pct = ((size / total) * 100).toFixed(1);
    return `${peerLabel(n).padEnd(36)} ${String(size).padStart(8)} IPs (${pct}% of total)${n === me ? ` (${active} active)` : ''}\n`;
  }).join('');
}

function report(sim: Sim, me: NodeModel): string {
  const range = weaveAllocRange(sim.model.spec);
  const ring = weaveRing(range, sim.model.nodes.map((n) => n.name));
  const r = {
    Version: WEAVE_VERSION,
    Router: {
      Protocol: 'weave', ProtocolMinVersion: 1, ProtocolMaxVersion: 2, Encryption: encrypted(sim), PeerDiscovery: true,
      Name: weavePeerName(me.name), NickName: me.name, Port: WEAVE_SLEEVE_PORT,
      Peers: sim.model.nodes.map((n) => ({ Name: weavePeerName(n.name), NickName: n.name, Connections: connections(sim, n).map((c) => ({ Name: weavePeerName(c.peer.name), NickName: c.peer.name, Address: c.addr, Outbound: c.outbound, Established: true })) })),
      Connections: connections(sim, me).map((c) => ({ Address: c.addr, Outbound: c.outbound, State: 'established', Info: `${kindText(sim)} ${peerLabel(c.peer)} mtu=${weaveMtu(sim.model.spec.network.mtu)}` })),
      OverlayDiagnostics: { fastdp: { Vports: backendOf(sim) === 'fastdp' ? [{ ID: 0, Name: 'datapath', TypeName: 'internal' }, { ID: 1, Name: 'vethwe-datapath', TypeName: 'netdev' }, { ID: 2, Name: 'vxlan-6784', TypeName: 'vxlan' }] : [] } },
    },
    IPAM: { Paxos: null, Range: formatPrefix(range), DefaultSubnet: formatPrefix(range), Entries: sim.model.nodes.map((n) => ({ Token: ring.get(n.name) ? formatPrefix(ring.get(n.name)!).split('/')[0] : '', Size: ring.get(n.name) ? prefixSize(ring.get(n.name)!) : 0, Peer: weavePeerName(n.name), Nickname: n.name, IsKnownPeer: true, Version: 0 })) },
  };
  return `${JSON.stringify(r, null, 4)}\n`;
}

const USAGE = `Usage:

weave --help | help
      setup
      version

weave launch        <same arguments as 'weave launch-router'>
weave status        [targets | connections | peers | dns | ipam]
weave report        [-f <format>]
weave ps            [<container_id> ...]
`;

const weave: CniTool = (sim, target: Target, argv) => {
  const args = argv.slice(1).filter((a) => a !== '--local');
  if (target.kind !== 'node') return fail('weave container is not present. Have you launched it?\n', 1);
  const me = sim.model.nodes.find((n) => n.name === target.name);
  if (!me) return fail('weave container is not present. Have you launched it?\n', 1);
  const [verb, sub] = args;
  if (verb === 'version') return ok(`weave ${WEAVE_VERSION}\n`);
  if (verb === 'report') return ok(report(sim, me));
  if (verb !== 'status') return verb === undefined || verb === '--help' || verb === 'help' ? ok(USAGE) : fail(USAGE, 1);
  switch (sub) {
    case undefined: return ok(status(sim, me));
    case 'peers': return ok(peers(sim));
    case 'connections': return ok(conns(sim, me));
    case 'targets': return ok(connections(sim, me).filter((c) => c.outbound).map((c) => `${c.peer.ip}\n`).join(''));
    case 'ipam': return ok(ipam(sim, me));
    default: return fail(USAGE, 1);
  }
};

export const weaveTools: Readonly<Record<string, CniTool>> = { weave };
