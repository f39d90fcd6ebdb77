/**
 * How the kernel tier decides that the simulator and the kernel gave the same answer.
 *
 *   verdict     always compared. A client on a real kernel cannot tell a silent drop from a
 *               lost packet: the simulator's "dropped" is the kernel's "timeout".
 *   responder   compared exactly when it is determined: the destination has one possible
 *               answerer (one endpoint; Local policy leaves one on the node). Otherwise both
 *               sides must name one of the possible endpoints.
 *   seenSource  the address (not the port: both kernels pick their own ephemeral ports) the
 *               server saw, compared whenever both sides name the same responder, so NAT and
 *               its absence are checked. ICMP probes carry no seen source in the lab.
 *   icmpFrom    the sender of the ICMP (or ICMPv6) error a ping got back, when both sides got
 *               one (the router that had no route, where the hop limit ran out).
 */
import { walk } from '../../src/engine/index';
import type { LabProbe } from '../../src/engine/lab/export';
import { parseTo } from '../../src/engine/lab/plan';
import type { ProbeModel } from '../../src/engine/model/cluster';
import type { Sim } from '../../src/engine/sim';
import type { Trace } from '../../src/engine/trace/types';
import { addrOf, sideBySide, type Comparable, type LabAnswer } from './harness';

/** Who may answer a probe: null when only the destination address itself can (no Service in between). */
export function possibleResponders(sim: Sim, p: LabProbe): string[] | null {
  const m = sim.model;
  const nodeByAddr = m.nodes.find((n) => n.ip === p.ip || n.extraAddresses.includes(p.ip));
  for (const s of m.services) {
    for (const sp of s.ports) {
      const proto = sp.protocol.toLowerCase();
      if (proto !== p.protocol) continue;
      const viaClusterIp = s.clusterIP === p.ip && sp.port === p.port;
      const viaExternal = (s.externalIPs.includes(p.ip) || s.loadBalancerIngress.includes(p.ip)) && sp.port === p.port;
      const viaNodePort = nodeByAddr !== undefined && sp.nodePort === p.port;
      if (!viaClusterIp && !viaExternal && !viaNodePort) continue;
      const slices = m.endpointSlices.filter((e) => e.serviceName === s.meta.name && e.meta.namespace === s.meta.namespace);
      let eps = slices.flatMap((e) => e.endpoints.filter((x) => x.ready));
      const local = viaNodePort || viaExternal ? s.externalTrafficPolicy === 'Local' : s.internalTrafficPolicy === 'Local';
      if (local && nodeByAddr) eps = eps.filter((x) => x.nodeName === nodeByAddr.name);
      return eps.map((x) => x.targetRef ?? x.addresses[0] ?? '?');
    }
  }
  return null;
}

const sameVerdict = (sim: string, lab: string): boolean => sim === lab || (sim === 'dropped' && lab === 'timeout');

/** A readable disagreement, or null when the two answers agree. */
export function disagreement(title: string, p: LabProbe, sim: Trace, lab: LabAnswer | undefined, candidates: string[] | null): string | null {
  const simFrom = icmpErrorSender(sim);
  const simSide: [string, Comparable] = ['simulator', { verdict: sim.verdict, responder: sim.responder, seenSource: sim.seenSource, ...(simFrom !== undefined ? { icmpFrom: simFrom } : {}) }];
  if (!lab) return `${title}: the lab printed no answer\n${sideBySide(title, simSide, ['kernel', { verdict: '(none)', responder: null, seenSource: null }])}`;
  const why: string[] = [];
  if (!sameVerdict(sim.verdict, lab.verdict)) why.push('verdict');
  if (sim.verdict === 'delivered' && lab.verdict === 'delivered') {
    if (candidates === null || candidates.length <= 1) {
      if (sim.responder !== lab.responder) why.push('responder');
    } else {
      if (!candidates.includes(lab.responder ?? '')) why.push(`kernel responder not among ${candidates.join(', ')}`);
      if (!candidates.includes(sim.responder ?? '')) why.push(`simulator responder not among ${candidates.join(', ')}`);
    }
    if (p.protocol !== 'icmp' && sim.responder === lab.responder && addrOf(sim.seenSource) !== addrOf(lab.seenSource)) why.push('seen source address');
  }
  // An ICMP error both sides received (a ping answered by "no route", "time exceeded"): who sent it.
  // A failure the simulator reports as the sender's own errno (no ARP or NDP answer on a link) the
  // kernel hands a raw socket as an ICMP error from the sender itself (ipv4_link_failure): there
  // the kernel's sender must be the probe's own source address.
  const own = sim.events.find((e) => e.type === 'send')?.packet?.ip?.src;
  if (sim.verdict === 'unreachable' && lab.verdict === 'unreachable' && lab.icmpFrom !== undefined && (simFrom ?? own) !== undefined && (simFrom ?? own) !== lab.icmpFrom) why.push('ICMP error sender');
  if (why.length === 0) return null;
  return `${sideBySide(`${title}: ${why.join('; ')} differ`, simSide, ['kernel', lab])}${sim.reason ? `\n  simulator's reason: ${sim.reason}` : ''}`;
}

/** The source address of the ICMP error the client received, from the trace. */
export function icmpErrorSender(t: Trace): string | undefined {
  const got = [...t.events].reverse().find((e) => e.type === 'deliver' && e.flow === 'icmp-error');
  return got?.packet?.ip?.src;
}

/**
 * The simulator's answer to a Probe object. The lab runs no DNS, so the walk is pinned to the
 * address the planner wrote into the script (as curl --resolve does): the comparison is about
 * the data path.
 */
export function walkProbe(sim: Sim, p: ProbeModel, planned: LabProbe | undefined): Trace {
  const host = parseTo(p.to, p.protocol, p.port)?.host;
  const pin = planned && host && host !== planned.ip ? { http: { resolve: { [host]: planned.ip } } } : {};
  return walk(sim, { from: p.from, to: p.to, ...(p.protocol ? { protocol: p.protocol } : {}), ...(p.port ? { port: p.port } : {}), ...pin });
}

/** The parts of the simulator's conntrack entries the tier reads (src/engine/conntrack/types.ts). */
interface SimTuple { readonly proto: number; readonly src: string; readonly dst: string; readonly sport: number; readonly dport: number }
interface SimCtTable { readonly entries: Map<number, { readonly orig: SimTuple; readonly reply: SimTuple }> }

function simTable(sim: Sim, nsId: string): SimCtTable | undefined {
  const t = sim.net.namespaces.get(nsId)?.conntrack as SimCtTable | undefined;
  return t && t.entries instanceof Map ? t : undefined;
}

/** Entry ids per namespace now, to tell which entries a walk added. */
export function conntrackIds(sim: Sim, nsIds: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const ns of nsIds) for (const id of simTable(sim, ns)?.entries.keys() ?? []) ids.add(`${ns}#${id}`);
  return ids;
}

/** The shapes (harness.normaliseConntrack) of the entries added since `before`. */
export function conntrackShapes(sim: Sim, nsIds: readonly string[], before: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const ns of nsIds) {
    for (const [id, e] of simTable(sim, ns)?.entries ?? []) {
      if (before.has(`${ns}#${id}`)) continue;
      const proto = e.orig.proto === 6 ? 'tcp' : e.orig.proto === 17 ? 'udp' : e.orig.proto === 1 ? 'icmp' : e.orig.proto === 58 ? 'icmpv6' : String(e.orig.proto);
      const ports = proto === 'tcp' || proto === 'udp';
      out.push(`${ns} ${proto} ${e.orig.src} > ${e.orig.dst}${ports ? `:${e.orig.dport}` : ''} | reply ${e.reply.src}${ports ? `:${e.reply.sport}` : ''} > ${e.reply.dst}`);
    }
  }
  return out.sort();
}

/** A conntrack disagreement, or null (compared in namespaces with a nat table, where both kernels track). */
export function conntrackDisagreement(title: string, sim: readonly string[], lab: readonly string[] | undefined): string | null {
  const k = [...(lab ?? [])].sort();
  if (JSON.stringify(sim) === JSON.stringify(k)) return null;
  const pad = (xs: readonly string[]): string => (xs.length ? xs.join('\n                ') : '(none)');
  return `${title}: conntrack entries differ\n  simulator     ${pad(sim)}\n  kernel        ${pad(k)}`;
}

/**
 * The simulator's IPv6 neighbour entries learned by NDP (harness.neighShape's form): entries
 * with a link-layer address that were not written PERMANENT, in every namespace.
 */
export function neighShapes6(sim: Sim): string[] {
  const out: string[] = [];
  for (const ns of sim.net.namespaces.values()) {
    for (const n of ns.neigh) {
      if (n.family !== 6 || !n.mac || n.state === 'PERMANENT' || n.state === 'FAILED' || n.state === 'INCOMPLETE') continue;
      out.push(`${ns.id} ${n.ip} dev ${n.dev} lladdr ${n.mac}`);
    }
  }
  return out.sort();
}

/**
 * A neighbour-table disagreement after a probe, or null. Every entry the walk's NDP learned must
 * be in the kernel's table, and every kernel entry for a global address must be the walk's.
 *
 * Kernel entries for link-local addresses may be more: they come with time. A learned entry
 * that is used goes STALE → DELAY, and unless an upper layer confirms it (TCP does, forwarding
 * does not) the kernel sends a unicast NS after delay_first_probe_time (5 s) from its link-local
 * address (ndisc_solicit: the packet's source is not an address of that device); the neighbour
 * answering it learns that link-local address. The walk takes no time, so it never probes.
 */
export function neighDisagreement(title: string, sim: readonly string[], lab: readonly string[] | undefined): string | null {
  const k = [...(lab ?? [])].sort();
  const onlySim = sim.filter((x) => !k.includes(x));
  const onlyKernel = k.filter((x) => !sim.includes(x) && !/^\S+ fe80:/i.test(x));
  if (onlySim.length === 0 && onlyKernel.length === 0) return null;
  const pad = (xs: readonly string[]): string => (xs.length ? xs.join('\n                ') : '(none)');
  return `${title}: IPv6 neighbours (NDP) differ\n  only simulator  ${pad(onlySim)}\n  only kernel     ${pad(onlyKernel)}`;
}

/** The UDP ports the simulated network's VXLAN devices receive on (flannel 8472, weave 6784, Cilium 8472, …). */
export function tunnelPorts(sim: Sim): Set<number> {
  const ports = new Set<number>();
  for (const ns of sim.net.namespaces.values()) for (const l of ns.links) if (l.vxlan) ports.add(l.vxlan.port);
  return ports;
}

/**
 * Conntrack shapes with the outer UDP entries of a tunnel taken modulo their source port: one
 * entry per namespace, direction and tunnel port, however many the walk made.
 *
 * Why: Linux takes a VXLAN packet's source port from the inner packet's skb hash
 * (udp_flow_src_port). For a locally sent packet that hash is its socket's sk_txhash, a random
 * number that TCP draws again on every retransmission timeout (sk_rethink_txhash), so a SYN that
 * goes unanswered leaves a new outer entry each second; for ARP and ICMP it is the flow
 * dissector's hash under a key drawn at boot. Neither can be reproduced, so how many outer
 * entries a probe leaves depends on timing and on chance. That the outer flow exists, in which
 * namespace and direction and to which port, does not: that stays compared. (The shapes already
 * leave out the outer source port itself, as every ephemeral port.)
 */
export function collapseTunnelEntries(shapes: readonly string[], ports: ReadonlySet<number>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const s of shapes) {
    const m = /^\S+ udp \S+ > \S+:(\d+) \| reply /.exec(s);
    if (m && ports.has(Number(m[1]))) {
      if (seen.has(s)) continue;
      seen.add(s);
    }
    out.push(s);
  }
  return out;
}
