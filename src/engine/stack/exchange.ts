/**
 * The client side of an exchange: what ping, curl, nc and a relaying proxy do with their
 * socket. Each leg is one locally generated packet walked to wherever the network takes it;
 * the answer (if any) lands in the socket's inbox before `sendLocal` returns.
 *
 *   ICMP:  echo request ─► echo reply (× count)
 *   UDP:   datagram ─► reply datagram | ICMP port unreachable | nothing
 *   TCP:   SYN ─► SYN-ACK, ACK, request ─► response, FIN ─► FIN-ACK, ACK
 */
import type { Packet, Payload } from '../net/packet';
import type { NetNs } from '../net/types';
import { fibCached } from './nsview';
import type { Verdict } from '../trace/types';
import { message, type Message } from '../i18n/messages';
import type { Endpoint, RelayResult } from './apps';
import { socketKey } from './l4';
import {
  DEFAULT_TTL, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED, icmp4Equivalent, isEchoReply, ICMP_PORT_UNREACH, ICMP_TIME_EXCEEDED,
  describe, icmpEcho, payloadLength, tcp, udp,
} from './packets';
import type { ClientSocket, SendResult, Walker } from './walker';

/** One probe's outcome: ping prints a line per probe, traceroute a column. */
export interface Probe {
  readonly seq: number;
  readonly outcome: 'reply' | 'icmp-error' | 'local-error' | 'none';
  /** Who answered (the reply's or the ICMP error's source address). */
  readonly from?: string;
  /** TTL of the reply as received. */
  readonly ttl?: number;
  readonly rttUs?: number;
  readonly icmp?: { readonly type: number; readonly code: number; readonly mtu?: number };
  readonly errno?: string;
  readonly mtu?: number;
  readonly reason?: string;
  readonly bytes?: number;
}

export interface Outcome {
  readonly verdict: Verdict;
  readonly reason?: string;
  /** The reason as a message code (both languages); set wherever `reason` is. */
  readonly reasonMessage?: Message;
  /** The application answer the client received (HTTP response, echo, DNS answer). */
  readonly payload?: Payload;
  readonly probes: readonly Probe[];
  /** Flow names of the first request leg and the first answer leg, for the trace's path/replyPath. */
  readonly requestFlow: string;
  readonly replyFlow?: string;
  readonly local?: Endpoint;
}

export interface ClientOptions {
  readonly ttl?: number;
  readonly df?: boolean;
  readonly sport?: number;
}

function openSocket(w: Walker, ns: NetNs, protocol: ClientSocket['protocol'], port: number): ClientSocket {
  const s: ClientSocket = { ns: ns.id, protocol, port, inbox: [] };
  w.sockets.set(socketKey(ns.id, protocol, port), s);
  return s;
}

function closeSocket(w: Walker, s: ClientSocket): void {
  w.sockets.delete(socketKey(s.ns, s.protocol, s.port));
}

/** An ephemeral port from the seeded source (net.ipv4.ip_local_port_range 32768-60999). */
export function ephemeralPort(w: Walker): number {
  return 32768 + w.sim.rand.int(28232);
}

/** Sends one leg and returns what came back to the socket (or the local error). */
function leg(w: Walker, ns: NetNs, s: ClientSocket, flow: string, pkt: Packet): { sent: SendResult; got: { packet: Packet; t: number; flow: string } | undefined; t0: number } {
  s.inbox.length = 0;
  w.lastDrop = undefined;
  w.legEvents = 0;
  const t0 = w.t;
  const sent = w.withFlow(`${w.legPrefix}${flow}${w.legSuffix}`, () => {
    w.emit('send', ns, undefined, message('event.send', { pkt: describe(pkt) }), pkt);
    return w.sendLocal(ns, pkt);
  });
  return { sent, got: s.inbox[0], t0 };
}

type Why = { verdict: Verdict; reason: string; reasonMessage: Message };

function icmpErrorVerdict(p: Packet): Why {
  // An ICMPv6 error explains itself as the ICMP error of the same meaning (packet too big = frag needed).
  const i = { ...p.icmp!, ...icmp4Equivalent(p) };
  const from = p.ip!.src;
  if (i.type === ICMP_TIME_EXCEEDED) return { verdict: 'unreachable', reason: `time to live exceeded (ICMP from ${from})`, reasonMessage: message('verdict.icmp.ttl', { from }) };
  if (i.type === ICMP_DEST_UNREACH) {
    if (i.code === ICMP_PORT_UNREACH) return { verdict: 'refused', reason: `port unreachable (ICMP from ${from})`, reasonMessage: message('verdict.icmp.port', { from }) };
    if (i.code === ICMP_FRAG_NEEDED) return { verdict: 'unreachable', reason: `fragmentation needed and DF set, mtu ${i.mtu ?? 0} (ICMP from ${from})`, reasonMessage: message('verdict.icmp.fragNeeded', { mtu: i.mtu ?? 0, from }) };
    if (i.code === 13 || i.code === 9 || i.code === 10) return { verdict: 'refused', reason: `administratively prohibited (ICMP from ${from})`, reasonMessage: message('verdict.icmp.prohibited', { from }) };
    const reasonMessage = i.code === 0 ? message('verdict.icmp.netUnreachable', { from }) : i.code === 1 ? message('verdict.icmp.hostUnreachable', { from }) : message('verdict.icmp.unreachable', { code: i.code, from });
    return { verdict: 'unreachable', reason: `${i.code === 0 ? 'network' : i.code === 1 ? 'host' : `code ${i.code}`} unreachable (ICMP from ${from})`, reasonMessage };
  }
  return { verdict: 'error', reason: `unexpected ICMP type ${i.type} from ${from}`, reasonMessage: message('verdict.icmp.unexpected', { type: i.type, from }) };
}

function silence(w: Walker, what: string): Why {
  return w.lastDrop
    ? { verdict: 'dropped', reason: w.lastDrop, reasonMessage: message('verdict.dropped', { reason: w.lastDrop }) }
    : { verdict: 'timeout', reason: `no answer to the ${what}`, reasonMessage: message('verdict.noAnswer', { what }) };
}

function localError(s: SendResult): Why {
  if (s.ok) return { verdict: 'error', reason: '', reasonMessage: message('verdict.other', { reason: '' }) };
  if (s.errno === 'ENETUNREACH') return { verdict: 'unreachable', reason: `connect: Network is unreachable (${s.reason})`, reasonMessage: message('verdict.netUnreachable', { reason: s.reason }) };
  if (s.errno === 'EHOSTUNREACH') return { verdict: 'unreachable', reason: `No route to host (${s.reason})`, reasonMessage: message('verdict.noRouteToHost', { reason: s.reason }) };
  if (s.errno === 'EMSGSIZE') return { verdict: 'error', reason: `local error: message too long, mtu=${s.mtu ?? 0}`, reasonMessage: message('verdict.msgSize', { mtu: s.mtu ?? 0 }) };
  if (s.errno === 'EPERM') return { verdict: 'refused', reason: `Operation not permitted (${s.reason})`, reasonMessage: message('verdict.notPermitted', { reason: s.reason }) };
  return { verdict: 'dropped', reason: s.reason, reasonMessage: message('verdict.dropped', { reason: s.reason }) };
}

function sourceFor(w: Walker, ns: NetNs, dst: string): string | undefined {
  return fibCached(w.sim.net, ns, dst)?.src;
}

// ---------------------------------------------------------------- ICMP echo

export function pingExchange(w: Walker, ns: NetNs, dst: string, o: ClientOptions & { readonly count?: number; readonly size?: number; readonly id?: number; readonly intervalMs?: number }): Outcome {
  const count = Math.max(1, o.count ?? 1);
  const id = o.id ?? 1 + w.sim.rand.int(65535);
  const size = o.size ?? 56;
  const s = openSocket(w, ns, 'icmp', id);
  const probes: Probe[] = [];
  let first: { verdict: Verdict; reason?: string } | undefined;
  let replyFlow: string | undefined;
  const src = sourceFor(w, ns, dst);
  for (let seq = 1; seq <= count; seq++) {
    const flow = count > 1 && seq > 1 ? `echo-request#${seq}` : 'echo-request';
    if (seq > 1) w.t += (o.intervalMs ?? 1000) * 1000;
    const pkt = icmpEcho({ src: src ?? (dst.includes(':') ? '::' : '0.0.0.0'), dst, id, seq, size, ttl: o.ttl ?? DEFAULT_TTL, df: o.df ?? false });
    const r = leg(w, ns, s, flow, pkt);
    let v: { verdict: Verdict; reason?: string };
    if (!r.sent.ok) {
      probes.push({ seq, outcome: 'local-error', errno: r.sent.errno, reason: r.sent.reason, ...(r.sent.mtu !== undefined ? { mtu: r.sent.mtu } : {}), ...(r.sent.from ? { from: r.sent.from } : {}) });
      v = localError(r.sent);
    } else if (r.got && isEchoReply(r.got.packet)) {
      const p = r.got.packet;
      probes.push({ seq, outcome: 'reply', from: p.ip!.src, ttl: p.ip!.ttl, rttUs: r.got.t - r.t0, bytes: 8 + payloadLength(p.payload) });
      v = { verdict: 'delivered' };
      replyFlow ??= r.got.flow;
    } else if (r.got) {
      const p = r.got.packet;
      probes.push({ seq, outcome: 'icmp-error', from: p.ip!.src, rttUs: r.got.t - r.t0, icmp: { type: p.icmp!.type, code: p.icmp!.code, ...(p.icmp!.mtu !== undefined ? { mtu: p.icmp!.mtu } : {}) } });
      v = icmpErrorVerdict(p);
      replyFlow ??= r.got.flow;
    } else {
      probes.push({ seq, outcome: 'none' });
      v = silence(w, 'echo request');
    }
    first ??= v;
    if (v.verdict === 'delivered' && first.verdict !== 'delivered') first = v;
  }
  closeSocket(w, s);
  return { ...first!, probes, requestFlow: 'echo-request', ...(replyFlow ? { replyFlow } : {}) };
}

// ---------------------------------------------------------------- UDP

export function udpExchange(w: Walker, ns: NetNs, dst0: string, dport0: number, payload: Payload | undefined, o: ClientOptions = {}): Outcome {
  // connect(): a socket program of the caller's cgroup may send the socket elsewhere (stack/hooks.ts).
  const { dst, dport } = w.sockConnect(ns, 'udp', dst0, dport0, `${w.legPrefix}request${w.legSuffix}`);
  const sport = o.sport ?? ephemeralPort(w);
  const src = sourceFor(w, ns, dst);
  const s = openSocket(w, ns, 'udp', sport);
  const pkt = udp({ src: src ?? '0.0.0.0', dst, sport, dport, ttl: o.ttl ?? DEFAULT_TTL, df: o.df ?? false, ...(payload ? { payload } : {}) });
  const r = leg(w, ns, s, 'request', pkt);
  closeSocket(w, s);
  const local = { ip: src ?? '0.0.0.0', port: sport };
  if (!r.sent.ok) return { ...localError(r.sent), probes: [{ seq: 1, outcome: 'local-error', errno: r.sent.errno, reason: r.sent.reason }], requestFlow: 'request', local };
  if (!r.got) return { ...silence(w, 'datagram'), probes: [{ seq: 1, outcome: 'none' }], requestFlow: 'request', local };
  const p = r.got.packet;
  if (p.icmp) {
    return { ...icmpErrorVerdict(p), probes: [{ seq: 1, outcome: 'icmp-error', from: p.ip!.src, rttUs: r.got.t - r.t0, icmp: { type: p.icmp.type, code: p.icmp.code } }], requestFlow: 'request', replyFlow: r.got.flow, local };
  }
  return { verdict: 'delivered', ...(p.payload ? { payload: p.payload } : {}), probes: [{ seq: 1, outcome: 'reply', from: p.ip!.src, ttl: p.ip!.ttl, rttUs: r.got.t - r.t0 }], requestFlow: 'request', replyFlow: r.got.flow, local };
}

// ---------------------------------------------------------------- TCP

export function tcpExchange(w: Walker, ns: NetNs, dst0: string, dport0: number, request: Payload | undefined, o: ClientOptions = {}): Outcome {
  const { dst, dport } = w.sockConnect(ns, 'tcp', dst0, dport0, `${w.legPrefix}syn${w.legSuffix}`);
  const sport = o.sport ?? ephemeralPort(w);
  const src = sourceFor(w, ns, dst) ?? '0.0.0.0';
  const local = { ip: src, port: sport };
  const s = openSocket(w, ns, 'tcp', sport);
  const base = { src, dst, sport, dport, ttl: o.ttl ?? DEFAULT_TTL, df: o.df ?? true };
  const isn = w.sim.rand.int(2 ** 31);
  const done = (x: Omit<Outcome, 'requestFlow' | 'local'>): Outcome => { closeSocket(w, s); return { ...x, requestFlow: 'syn', local }; };

  const syn = leg(w, ns, s, 'syn', tcp({ ...base, seq: isn, ack: 0, flags: { syn: true } }));
  const rtt = syn.got ? syn.got.t - syn.t0 : undefined;
  const probe = (outcome: Probe['outcome'], p?: Packet): Probe => ({ seq: 1, outcome, ...(p ? { from: p.ip!.src, ttl: p.ip!.ttl } : {}), ...(rtt !== undefined ? { rttUs: rtt } : {}) });
  if (!syn.sent.ok) return done({ ...localError(syn.sent), probes: [{ seq: 1, outcome: 'local-error', errno: syn.sent.errno, reason: syn.sent.reason }] });
  if (!syn.got) return done({ ...silence(w, 'SYN'), probes: [probe('none')] });
  const sa = syn.got.packet;
  const replyFlow = syn.got.flow;
  if (sa.icmp) return done({ ...icmpErrorVerdict(sa), probes: [{ ...probe('icmp-error', sa), icmp: { type: sa.icmp.type, code: sa.icmp.code } }], replyFlow });
  if (sa.tcp?.flags.rst) return done({ verdict: 'refused', reason: `connection refused (RST from ${sa.ip!.src}:${sa.tcp.sport})`, reasonMessage: message('verdict.refused', { from: `${sa.ip!.src}:${sa.tcp.sport}` }), probes: [probe('icmp-error', sa)], replyFlow });
  if (!sa.tcp?.flags.syn) return done({ verdict: 'error', reason: `unexpected answer to SYN: ${describe(sa)}`, reasonMessage: message('verdict.unexpectedSynAnswer', { what: describe(sa) }), probes: [probe('none')], replyFlow });
  let seq = isn + 1;
  const ack = sa.tcp.seq + 1;
  leg(w, ns, s, 'ack', tcp({ ...base, seq, ack, flags: { ack: true } }));
  let payload: Payload | undefined;
  let verdict: { verdict: Verdict; reason?: string; reasonMessage?: Message } = { verdict: 'delivered' };
  let srvSeq = ack;
  if (request) {
    const rq = leg(w, ns, s, 'request', tcp({ ...base, seq, ack, flags: { psh: true, ack: true }, payload: request }));
    seq += payloadLength(request);
    const got = rq.got?.packet;
    if (got?.tcp && got.payload) { payload = got.payload; srvSeq = got.tcp.seq + payloadLength(got.payload); }
    else if (got?.tcp?.flags.rst) verdict = { verdict: 'refused', reason: 'connection reset by peer', reasonMessage: message('verdict.reset') };
    else if (got?.tcp?.flags.fin) {
      // The server closed without answering: curl's "Empty reply from server".
      srvSeq = got.tcp.seq + 1;
      const from = `${got.ip!.src}:${got.tcp.sport}`;
      verdict = { verdict: 'refused', reason: `connection closed by ${from} without a response (empty reply from server)`, reasonMessage: message('verdict.emptyReply', { from }) };
    }
    else if (!got?.tcp) verdict = silence(w, 'request');
    else verdict = { verdict: 'timeout', reason: 'the server accepted the request but sent no response', reasonMessage: message('verdict.noResponse') };
  }
  const fin = leg(w, ns, s, 'fin', tcp({ ...base, seq, ack: srvSeq, flags: { fin: true, ack: true } }));
  const fa = fin.got?.packet.tcp;
  if (fa?.flags.fin) leg(w, ns, s, 'last-ack', tcp({ ...base, seq: seq + 1, ack: fa.seq + 1, flags: { ack: true } }));
  return done({ ...verdict, ...(payload ? { payload } : {}), probes: [probe('reply', sa)], replyFlow });
}

/** A relaying app's second connection, from its own namespace (ingress controller, userspace proxy, CoreDNS forward). */
export function relay(w: Walker, ns: NetNs, to: Endpoint & { readonly protocol: 'tcp' | 'udp' }, payload: Payload | undefined): RelayResult {
  const saved = w.legPrefix;
  const savedSuffix = w.legSuffix;
  w.legPrefix = `${saved}relay:`;
  w.legSuffix = '';
  let o: Outcome;
  try {
    o = to.protocol === 'tcp' ? tcpExchange(w, ns, to.ip, to.port, payload) : udpExchange(w, ns, to.ip, to.port, payload);
  } finally { w.legPrefix = saved; w.legSuffix = savedSuffix; }
  return { verdict: o.verdict, ...(o.payload ? { payload: o.payload } : {}), ...(o.reason ? { reason: o.reason } : {}) };
}

/** `count` exchanges in a row (curl in a loop): the first one's facts, unless a later one fails. */
export function repeat(w: Walker, count: number, once: () => Outcome): Outcome {
  let first: Outcome | undefined;
  let who: { responder: string | null; seenSource: string | null; refuser: string | null } | undefined;
  for (let i = 1; i <= Math.max(1, count); i++) {
    w.legSuffix = i === 1 ? '' : `#${i}`;
    if (i > 1) w.t += 1000;
    const o = once();
    who ??= { responder: w.responder, seenSource: w.seenSource, refuser: w.refuser };
    if (!first) first = o;
    else if (first.verdict === 'delivered' && o.verdict !== 'delivered') first = {
      ...first, verdict: o.verdict,
      ...(o.reason ? { reason: `connection ${i}: ${o.reason}`, reasonMessage: message('verdict.connection', { n: i, reason: o.reason }) } : {}),
    };
  }
  w.legSuffix = '';
  if (who) { w.responder = who.responder; w.seenSource = who.seenSource; w.refuser = who.refuser; }
  return first!;
}
