/**
 * Cilium's BPF programs as the walker's device and socket hooks (stack/hooks.ts). MODELLED, NOT
 * RUN: each is a few lines of TypeScript that decides what the real program decides for the
 * cases the playground builds (bpf_lxc.c, bpf_host.c, bpf_overlay.c, bpf_sock.c in Cilium 1.16),
 * reading the agent's maps from identity.ts. Every event they cause says `modelled: true`.
 *
 *   from-container  lxc tc ingress     ARP for the router answered in BPF; egress policy; a local
 *                                      endpoint → redirect to its lxc; a remote one (vxlan) →
 *                                      tunnel key (VNI = source identity) + redirect to cilium_vxlan;
 *                                      anything else → the host stack (native routing, world, Services
 *                                      without kubeProxyReplacement)
 *   to-container    lxc tc egress      ingress policy by the source's identity
 *   from-host       cilium_host egress the host stack's Pod-bound packets: redirect to the lxc or the tunnel
 *   from-overlay    cilium_vxlan in    decapsulated packets for a local endpoint: redirect to its lxc
 *   from-netdev     eth0 tc ingress    NodePort (kubeProxyReplacement): DNAT to a backend, SNAT when remote
 *   to-netdev       eth0 tc egress     NodePort replies: the reverse translation
 *   cil_sock4_connect  cgroup/connect4 ClusterIP (kubeProxyReplacement): the socket connects to a backend
 *   cil_sock4_recvmsg  cgroup/recvmsg4 UDP: a reply from that backend is read as from the ClusterIP:port
 *
 * Backends are chosen at random (LB_SELECTION_RANDOM), through the affinity map for a Service
 * with sessionAffinity: ClientIP (lb.ts). ICMP is no service protocol (lb4_extract_tuple returns
 * DROP_UNSUPP_SERVICE_PROTO and the caller skips the service lookup; the socket LB sees only
 * TCP/UDP connect()s): a ping to a ClusterIP is routed as addressed, and nothing owns the VIP.
 */
import type { ClusterModel, Protocol } from '../../model/cluster';
import type { Packet } from '../../net/packet';
import { ETH_P_ARP } from '../../net/packet';
import type { NetNs } from '../../net/types';
import type { DeviceProgram, HookDecision, HookEnv, ProgramRegistry, SockProgram } from '../../stack/hooks';
import { message, type Message } from '../../i18n/messages';
import { lookupTuple, tupleOf } from '../../conntrack/table';
import { CILIUM_VXLAN, PROG } from './plugin';
import { ciliumView, identityOf, nodeFor, policyLookup, ID_WORLD, type CiliumEndpoint, type CiliumView } from './identity';
import { lbBackends, lbSelect, lbServiceByAddress, lbServiceFor, nodePortFor, type LbChoice } from './lb';

const MODELLED = { modelled: true } as const;
const pass = (note: Message, detail: Record<string, unknown> = {}): HookDecision => ({ verdict: 'pass', note, detail: { ...MODELLED, ...detail } });

const nodeName = (ns: NetNs): string => (ns.owner.kind === 'node' ? ns.owner.name : ns.machine);

function ports(p: Packet): { sport: number; dport: number; proto: Protocol } | null {
  if (p.tcp) return { sport: p.tcp.sport, dport: p.tcp.dport, proto: 'TCP' };
  if (p.udp) return { sport: p.udp.sport, dport: p.udp.dport, proto: 'UDP' };
  return null;
}

/** ICMP has no port: policy rules without ports allow it, rules with ports do not (port 0 matches none). */
const policyPort = (p: Packet): { port: number; proto: Protocol } => {
  const x = ports(p);
  return x ? { port: x.dport, proto: x.proto } : { port: 0, proto: 'TCP' };
};

/**
 * The connection-tracking map, per node: a flow an endpoint's policy let through, so its replies
 * pass without a policy lookup (Cilium's CT map; no timeouts here).
 */
const ctTables = new WeakMap<NetNs, Map<number, Set<string>>>();
function flowKey(p: Packet, reverse: boolean): string | null {
  const ip = p.ip;
  if (!ip) return null;
  const x = ports(p);
  const [sp, dp] = x ? [x.sport, x.dport] : p.icmp ? [p.icmp.id ?? 0, p.icmp.id ?? 0] : [0, 0];
  return reverse ? `${ip.protocol}|${ip.dst}:${dp}|${ip.src}:${sp}` : `${ip.protocol}|${ip.src}:${sp}|${ip.dst}:${dp}`;
}
function ctTable(ns: NetNs, ep: CiliumEndpoint): Set<string> {
  let byEp = ctTables.get(ns);
  if (!byEp) { byEp = new Map(); ctTables.set(ns, byEp); }
  let t = byEp.get(ep.id);
  if (!t) { t = new Set(); byEp.set(ep.id, t); }
  return t;
}
function ctNote(ns: NetNs, ep: CiliumEndpoint, dir: 'egress' | 'ingress', p: Packet): void {
  const k = flowKey(p, false);
  if (k) ctTable(ns, ep).add(`${dir}|${k}`);
}
/** The packet answers a flow `ep` let through the other way, or continues one it let through this way. */
function ctKnown(ns: NetNs, ep: CiliumEndpoint, dir: 'egress' | 'ingress', p: Packet): boolean {
  const t = ctTables.get(ns)?.get(ep.id);
  if (!t) return false;
  const other = dir === 'egress' ? 'ingress' : 'egress';
  return t.has(`${other}|${flowKey(p, true)}`) || t.has(`${dir}|${flowKey(p, false)}`);
}

/**
 * A reply of a connection the host's netfilter translated (kube-proxy's DNAT when Cilium does not
 * replace it): it must go up through the stack so conntrack can reverse the NAT, not straight
 * into the lxc. (Modelled: real Cilium serves such ClusterIPs itself in bpf_lxc.)
 */
function hostNatReply(env: HookEnv, p: Packet): boolean {
  const t = env.ns.conntrack;
  const tuple = tupleOf(p);
  if (!t || !tuple) return false;
  const hit = lookupTuple(t, tuple, env.nowMs);
  return !!hit && hit.dir === 'reply' && (hit.entry.dstNat || hit.entry.srcNat);
}

/** Into the Pod: the frame leaves by its lxc (to-container runs there) with the lxc's MAC as source. */
function toEndpoint(ep: CiliumEndpoint, p: Packet, note: Message, detail: Record<string, unknown>): HookDecision {
  const packet: Packet = { ...p, eth: { src: ep.lxcMac, dst: ep.podMac, type: p.eth?.type ?? 0x0800 } };
  return { verdict: 'redirect', dev: ep.lxc, packet, note, detail: { ...MODELLED, endpoint: ep.id, identity: ep.identity, ...detail } };
}

/** Into the tunnel: the tunnel key names the peer node and carries the source identity as VNI. */
function toTunnel(v: CiliumView, here: string, p: Packet, srcIdentity: number): HookDecision | null {
  const dst = p.ip!.dst;
  // The ipcache maps every Pod CIDR and every node address to its node: both go through the tunnel.
  const target = nodeFor(v, dst) ?? v.nodes.find((n) => n.node.ip === dst);
  const self = v.nodes.find((n) => n.node.name === here);
  if (!target || target.node.name === here || !self?.vxlanMac) return null;
  const packet: Packet = { ...p, eth: { src: self.vxlanMac, dst: target.vxlanMac ?? self.vxlanMac, type: 0x0800 }, tunnelKey: { remote: target.node.ip, vni: srcIdentity } };
  return { verdict: 'redirect', dev: CILIUM_VXLAN, packet, note: message('hook.cil.tunnel', { dst, node: target.node.name, nodeIp: target.node.ip, vni: srcIdentity }), detail: { ...MODELLED, tunnelEndpoint: target.node.ip, srcIdentity } };
}

function egressPolicy(model: ClusterModel, v: CiliumView, src: CiliumEndpoint, p: Packet): HookDecision | null {
  const { port, proto } = policyPort(p);
  const r = policyLookup(model, v, src, 'egress', p.ip!.dst, port, proto);
  if (r.allowed) return null;
  const dstId = identityOf(v, p.ip!.dst, src.node.name);
  return { verdict: 'drop', reason: message('hook.ciliumDenyEgress', { endpoint: src.id, identity: src.identity, peer: dstId, what: p.icmp ? 'ICMP' : `${port}/${proto}` }), detail: { ...MODELLED, identity: src.identity, peerIdentity: dstId, policy: 'deny' } };
}

const fromContainer: DeviceProgram = {
  name: PROG.fromContainer, section: 'from-container', object: 'bpf_lxc.o', owner: 'cilium',
  run(env, p) {
    const v = ciliumView(env.sim);
    const here = nodeName(env.ns);
    const src = v.byLxc.get(`${here}|${env.dev}`);
    if (!src) return pass(message('hook.cil.noEndpointDev', {}));
    // The Pod's ARP for its gateway is answered here, with the lxc's MAC (the host never sees it).
    if (p.eth?.type === ETH_P_ARP && p.arp?.op === 1) {
      const reply: Packet = { eth: { src: src.lxcMac, dst: p.arp.sha, type: ETH_P_ARP }, arp: { op: 2, sha: src.lxcMac, spa: p.arp.tpa, tha: p.arp.sha, tpa: p.arp.spa } };
      return { verdict: 'redirect', dev: src.lxc, packet: reply, note: message('hook.cil.arp', { ip: p.arp.tpa, mac: src.lxcMac }), detail: { ...MODELLED, arp: true } };
    }
    if (!p.ip) return pass(message('hook.cil.notIpv4', {}));
    const model = env.sim.model;
    // A NodePort reply from a local backend takes the node's address back before it leaves.
    const np = nodePortLocalReply(env.ns, p);
    if (np) return { verdict: 'rewrite', packet: np, note: message('hook.cil.npLocalReply', { from: p.ip.src, to: np.ip!.src }), detail: { ...MODELLED, revNat: true } };
    if (!ctKnown(env.ns, src, 'egress', p)) {
      const denied = egressPolicy(model, v, src, p);
      if (denied) return denied;
      ctNote(env.ns, src, 'egress', p);
    }
    const dst = v.byIp.get(p.ip.dst);
    const id = { identity: src.identity, dstIdentity: identityOf(v, p.ip.dst, here) };
    if (hostNatReply(env, p)) return pass(message('hook.cil.hostNatReply', {}), id);
    if (dst && dst.node.name === here) return toEndpoint(dst, p, message('hook.cil.egressLocal', { endpoint: src.id, identity: src.identity, dst: dst.id, dstIdentity: dst.identity }), id);
    const tunnel = toTunnel(v, here, p, src.identity);
    if (tunnel) return { ...tunnel, detail: { ...tunnel.detail, ...id } };
    const vip = p.icmp ? lbServiceByAddress(model, p.ip.dst) : null;
    if (vip) {
      const service = `${vip.meta.namespace}/${vip.meta.name}`;
      return pass(message('hook.cil.icmpService', { dst: p.ip.dst, service }), { ...id, serviceLookup: 'skipped', service });
    }
    return pass(message('hook.cil.egressHost', { endpoint: src.id, identity: src.identity, dst: p.ip.dst, dstIdentity: id.dstIdentity }), id);
  },
};

const toContainer: DeviceProgram = {
  name: PROG.toContainer, section: 'to-container', object: 'bpf_lxc.o', owner: 'cilium',
  run(env, p) {
    if (!p.ip) return pass(message('hook.cil.notIpv4', {}));
    const v = ciliumView(env.sim);
    const here = nodeName(env.ns);
    const dst = v.byLxc.get(`${here}|${env.dev}`);
    if (!dst) return pass(message('hook.cil.noEndpointDev', {}));
    // Across the tunnel the source identity arrives as the VNI; otherwise the ipcache gives it.
    const srcId = p.tunnelKey && p.tunnelKey.vni !== 0 ? p.tunnelKey.vni : identityOf(v, p.ip.src, here);
    const { port, proto } = policyPort(p);
    // Replies and later packets of a connection already allowed pass on the CT map.
    if (ctKnown(env.ns, dst, 'ingress', p)) return pass(message('hook.cil.ct', { identity: srcId }), { identity: dst.identity, srcIdentity: srcId });
    const r = policyLookup(env.sim.model, v, dst, 'ingress', p.ip.src, port, proto);
    const what = p.icmp ? 'ICMP' : `${port}/${proto}`;
    if (!r.allowed) {
      return { verdict: 'drop', reason: message('hook.ciliumDenyIngress', { identity: srcId, endpoint: dst.id, endpointIdentity: dst.identity, what }), detail: { ...MODELLED, identity: dst.identity, srcIdentity: srcId, policy: 'deny' } };
    }
    ctNote(env.ns, dst, 'ingress', p);
    return pass(r.by ? message('hook.cil.ingressAllowsBy', { identity: srcId, endpoint: dst.id, endpointIdentity: dst.identity, what, by: r.by }) : message('hook.cil.ingressAllows', { identity: srcId, endpoint: dst.id, endpointIdentity: dst.identity, what }), { identity: dst.identity, srcIdentity: srcId, policy: 'allow' });
  },
};

const fromHost: DeviceProgram = {
  name: PROG.fromHost, section: 'from-host', object: 'bpf_host.o', owner: 'cilium',
  run(env, p) {
    if (!p.ip) return pass(message('hook.cil.notIpv4', {}));
    const v = ciliumView(env.sim);
    const here = nodeName(env.ns);
    const dst = v.byIp.get(p.ip.dst);
    const srcId = identityOf(v, p.ip.src, here);
    if (dst && dst.node.name === here) return toEndpoint(dst, p, message('hook.cil.fromHost', { endpoint: dst.id, identity: dst.identity }), { srcIdentity: srcId });
    const tunnel = toTunnel(v, here, p, srcId);
    if (tunnel) return tunnel;
    return pass(message('hook.cil.notHere', { dst: p.ip.dst }));
  },
};

const fromOverlay: DeviceProgram = {
  name: PROG.fromOverlay, section: 'from-overlay', object: 'bpf_overlay.o', owner: 'cilium',
  run(env, p) {
    if (!p.ip) return pass(message('hook.cil.notIpv4', {}));
    const v = ciliumView(env.sim);
    const here = nodeName(env.ns);
    const dst = v.byIp.get(p.ip.dst);
    const srcId = p.tunnelKey?.vni ?? ID_WORLD;
    const back = nodePortReverse(env.ns, p);
    if (back) return back;
    if (hostNatReply(env, p)) return pass(message('hook.cil.hostNatReply', {}), { srcIdentity: srcId });
    if (dst && dst.node.name === here) return toEndpoint(dst, p, message('hook.cil.fromVni', { identity: srcId, endpoint: dst.id }), { srcIdentity: srcId });
    return pass(message('hook.cil.notHereHost', { dst: p.ip.dst }), { srcIdentity: srcId });
  },
};

const passThrough = (name: string, section: string, object: string, note: Message): DeviceProgram => ({
  name, section, object, owner: 'cilium', run: () => pass(note),
});

/** NodePort's translations, per node: "proto|client:port|nodeIP:nodePort" and the reverse. */
interface NatEntry { readonly client: string; readonly cport: number; readonly front: string; readonly fport: number; readonly backend: string; readonly bport: number; readonly snat: string | null }
const natTables = new WeakMap<NetNs, Map<string, NatEntry>>();
const natOf = (ns: NetNs): Map<string, NatEntry> => { let t = natTables.get(ns); if (!t) { t = new Map(); natTables.set(ns, t); } return t; };

function withL4(p: Packet, src: { ip: string; port: number } | null, dst: { ip: string; port: number } | null): Packet {
  const ip = { ...p.ip!, ...(src ? { src: src.ip } : {}), ...(dst ? { dst: dst.ip } : {}) };
  if (p.tcp) return { ...p, ip, tcp: { ...p.tcp, ...(src ? { sport: src.port } : {}), ...(dst ? { dport: dst.port } : {}) } };
  if (p.udp) return { ...p, ip, udp: { ...p.udp, ...(src ? { sport: src.port } : {}), ...(dst ? { dport: dst.port } : {}) } };
  return { ...p, ip };
}

/** A reply of a NodePort connection whose backend was remote (arriving on eth0 or through the tunnel): undo the SNAT and the DNAT. */
function nodePortReverse(ns: NetNs, p: Packet): HookDecision | null {
  const l4 = ports(p);
  if (!p.ip || !l4) return null;
  const back = natTables.get(ns)?.get(`rev|${l4.proto}|${p.ip.src}:${l4.sport}|${p.ip.dst}:${l4.dport}`);
  if (!back) return null;
  const out = withL4(p, { ip: back.front, port: back.fport }, { ip: back.client, port: back.cport });
  return { verdict: 'rewrite', packet: out, note: message('hook.cil.npReverse', { from: `${p.ip.src}:${l4.sport}`, front: `${back.front}:${back.fport}`, client: `${back.client}:${back.cport}` }), detail: { ...MODELLED, revNat: true } };
}

const fromNetdev: DeviceProgram = {
  name: PROG.fromNetdev, section: 'from-netdev', object: 'bpf_host.o', owner: 'cilium',
  run(env: HookEnv, p: Packet): HookDecision {
    if (!p.ip) return pass(message('hook.cil.notIpv4', {}));
    const l4 = ports(p);
    const kpr = env.sim.model.spec.network.kubeProxyReplacement === true;
    if (!kpr || !l4) return pass(message('hook.cil.noNodePortHere', {}));
    const here = nodeName(env.ns);
    const v = ciliumView(env.sim);
    const me = v.nodes.find((n) => n.node.name === here);
    const nat = natOf(env.ns);
    const back = nodePortReverse(env.ns, p);
    if (back) return back;
    if (!me || (p.ip.dst !== me.node.ip && !me.node.extraAddresses.includes(p.ip.dst))) return pass(message('hook.cil.notNodeAddress', {}));
    const svc = nodePortFor(env.sim.model, l4.dport, l4.proto);
    if (!svc) return pass(message('hook.cil.noNodePort', { port: l4.dport, proto: l4.proto }));
    const key = `fwd|${l4.proto}|${p.ip.src}:${l4.sport}|${p.ip.dst}:${l4.dport}`;
    let e = nat.get(key);
    let affinity: Record<string, unknown> = {};
    let choiceMade: LbChoice | null = null;
    if (!e) {
      const backends = lbBackends(env.sim.model, svc.service, svc.port);
      if (backends.length === 0) return { verdict: 'drop', reason: message('hook.ciliumNoBackends', { port: l4.dport, service: `${svc.service.meta.namespace}/${svc.service.meta.name}` }), detail: { ...MODELLED } };
      // The per-packet LB keys affinity by the client's address.
      const choice = lbSelect(env.sim, env.sim.rand, svc, backends, p.ip.src, env.nowMs);
      affinity = affinityDetail(choice);
      choiceMade = choice;
      const b = choice.backend;
      const local = v.byIp.get(b.ip)?.node.name === here;
      e = { client: p.ip.src, cport: l4.sport, front: p.ip.dst, fport: l4.dport, backend: b.ip, bport: b.port, snat: local ? null : me.node.ip };
      nat.set(key, e);
      // The reply comes back to the SNAT address (remote backend) or straight from the lxc (local one).
      if (e.snat) nat.set(`rev|${l4.proto}|${b.ip}:${b.port}|${e.snat}:${l4.sport}`, e);
      else nat.set(`lrev|${l4.proto}|${b.ip}:${b.port}|${p.ip.src}:${l4.sport}`, e);
    }
    const out = withL4(p, e.snat ? { ip: e.snat, port: l4.sport } : null, { ip: e.backend, port: e.bport });
    const base = message('hook.cil.nodePort', { dst: p.ip.dst, port: l4.dport, service: `${svc.service.meta.namespace}/${svc.service.meta.name}`, backend: e.backend, bport: e.bport });
    const what = withAffinity(e.snat ? message('hook.cil.withSnat', { base, ip: e.snat }) : base, choiceMade);
    const ep = v.byIp.get(e.backend);
    if (ep && ep.node.name === here) return toEndpoint(ep, out, what, { nodePort: true, ...affinity });
    return { verdict: 'rewrite', packet: out, note: what, detail: { ...MODELLED, nodePort: true, ...affinity } };
  },
};

/** A local backend's NodePort reply leaves by from-container: give it the node's address back. */
export function nodePortLocalReply(ns: NetNs, p: Packet): Packet | null {
  const l4 = ports(p);
  if (!p.ip || !l4) return null;
  const e = natTables.get(ns)?.get(`lrev|${l4.proto}|${p.ip.src}:${l4.sport}|${p.ip.dst}:${l4.dport}`);
  return e ? withL4(p, { ip: e.front, port: e.fport }, null) : null;
}

const affinityDetail = (c: LbChoice): Record<string, unknown> => (c.affinity ? { affinity: c.affinity, affinityTimeout: c.affinityTimeout } : {});
/** The note with what the affinity map did, when the Service has ClientIP affinity. */
const withAffinity = (base: Message, c: LbChoice | null): Message => (c?.affinity === 'hit' ? message('hook.cil.withAffinityHit', { base }) : c?.affinity === 'new' ? message('hook.cil.withAffinityNew', { base, timeout: c.affinityTimeout ?? 0 }) : base);

/**
 * The socket rev-NAT map (cilium_lb4_reverse_sk), per client namespace: backend address:port →
 * the Service address:port a UDP socket connected to. Cilium keys it by socket cookie as well;
 * a walk has one socket per namespace at a time.
 */
const revSk = new WeakMap<NetNs, Map<string, { readonly ip: string; readonly port: number; readonly service: string }>>();

const sockConnect: SockProgram = {
  name: PROG.sockConnect, section: 'cil_sock4_connect', object: 'bpf_sock.o', owner: 'cilium',
  connect(env, c) {
    const model = env.sim.model;
    const proto: Protocol = c.protocol === 'tcp' ? 'TCP' : 'UDP';
    const svc = lbServiceFor(model, c.dst, c.dport, proto);
    if (!svc) return null;
    const backends = lbBackends(model, svc.service, svc.port);
    if (backends.length === 0) return null;
    // The socket LB keys affinity by the netns cookie: every socket of the Pod (or the node) shares it.
    const choice = lbSelect(env.sim, env.sim.rand, svc, backends, `netns:${env.ns.id}`, env.nowMs);
    const b = choice.backend;
    const name = `${svc.service.meta.namespace}/${svc.service.meta.name}`;
    if (proto === 'UDP') {
      let t = revSk.get(env.ns);
      if (!t) { t = new Map(); revSk.set(env.ns, t); }
      t.set(`${b.ip}:${b.port}`, { ip: c.dst, port: c.dport, service: name });
    }
    return { dst: b.ip, dport: b.port, note: withAffinity(message('hook.cil.sockConnect', { service: name }), choice), detail: { ...MODELLED, service: name, backends: backends.length, ...affinityDetail(choice) } };
  },
};

/** The UDP reverse translation, read from the map cil_sock4_connect filled. */
const sockRecvmsg: SockProgram = {
  name: PROG.sockRecvmsg, section: 'cil_sock4_recvmsg', object: 'bpf_sock.o', owner: 'cilium',
  connect: () => null,
  recvmsg(env, m) {
    const front = revSk.get(env.ns)?.get(`${m.src}:${m.sport}`);
    if (!front) return null;
    return { src: front.ip, sport: front.port, note: message('hook.cil.sockRecvmsg', { service: front.service }), detail: { ...MODELLED, service: front.service, revNat: true } };
  },
};

export const ciliumPrograms: ProgramRegistry = {
  device: new Map([
    fromContainer, toContainer, fromHost, fromOverlay, fromNetdev,
    passThrough(PROG.toHost, 'to-host', 'bpf_host.o', message('hook.cil.toHost', {})),
    passThrough(PROG.toNetdev, 'to-netdev', 'bpf_host.o', message('hook.cil.toNetdev', {})),
    passThrough(PROG.toOverlay, 'to-overlay', 'bpf_overlay.o', message('hook.cil.toOverlay', {})),
  ].map((p) => [p.name, p])),
  sock: new Map([[sockConnect.name, sockConnect], [sockRecvmsg.name, sockRecvmsg]]),
};
