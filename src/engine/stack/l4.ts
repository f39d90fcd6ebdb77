/**
 * Local delivery (ip_local_deliver): hand a packet addressed to this namespace to its
 * protocol, then to a socket. Server sockets are the namespace's listeners and answer right
 * away (their replies are walked back before this returns); client sockets are the walk's own
 * (ping, curl) and collect what arrives in their inbox.
 *
 *   ICMP echo request ─► echo reply         UDP to a listener ─► app ─► reply datagram
 *   TCP SYN to a listener ─► SYN-ACK        UDP to a closed port ─► ICMP port unreachable
 *   TCP data ─► app ─► response             TCP to a closed port ─► RST
 *   TCP FIN ─► FIN-ACK                      UDP 8472 / 8285, IPIP ─► the tunnel's receive path
 */
import { hashString } from '../util/rand';
import { joinHostPort } from '../addr/family';
import { IPPROTO_ESP, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IPIP, IPPROTO_TCP, IPPROTO_UDP, type Packet, type Payload } from '../net/packet';
import type { Link, Listener, NetNs } from '../net/types';
import { message } from '../i18n/messages';
import { relayAnswer, runApp, type AppAnswer, type AppContext } from './apps';
import { relay } from './exchange';
import { ownerId } from './nsview';
import { DEFAULT_TTL, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, describe, icmpEcho, isEchoReply, isEchoRequest, payloadLength, tcp, udp } from './packets';
import { vxlanRcv, xfrmRcv } from './tunnel';
import { userspaceRcv } from './userspace';
import type { Walker } from './walker';

export function socketKey(ns: string, protocol: string, port: number): string {
  return `${ns}|${protocol}|${port}`;
}

function findListener(ns: NetNs, protocol: 'tcp' | 'udp', dst: string, port: number): Listener | undefined {
  for (const l of ns.listeners) {
    if (l.protocol === protocol && l.port === port && (l.address === '0.0.0.0' || l.address === dst)) return l;
  }
  return undefined;
}

/** Which client socket an ICMP error belongs to: the quoted packet's source port or echo id. */
function errorOwner(pkt: Packet): { protocol: 'tcp' | 'udp' | 'icmp'; port: number } | undefined {
  const o = pkt.icmp?.original;
  if (!o) return undefined;
  if (o.tcp) return { protocol: 'tcp', port: o.tcp.sport };
  if (o.udp) return { protocol: 'udp', port: o.udp.sport };
  if (o.icmp) return { protocol: 'icmp', port: o.icmp.id ?? 0 };
  return undefined;
}

function toClient(w: Walker, ns: NetNs, dev: string, protocol: 'tcp' | 'udp' | 'icmp', port: number, pkt: Packet): boolean {
  const s = w.sockets.get(socketKey(ns.id, protocol, port));
  if (!s) return false;
  s.inbox.push({ packet: pkt, t: w.t, flow: w.flow });
  w.emit('deliver', ns, dev, message('event.deliver.client', { protocol, port, pkt: describe(pkt) }), pkt, { socket: `${protocol}/${port}`, client: true });
  return true;
}

export function localDeliver(w: Walker, ns: NetNs, inLink: Link, pkt: Packet): void {
  const ip = pkt.ip!;
  switch (ip.protocol) {
    case IPPROTO_ICMP: return icmpRcv(w, ns, inLink, pkt);
    case IPPROTO_ICMPV6: return icmpRcv(w, ns, inLink, pkt);
    case IPPROTO_UDP: return udpRcv(w, ns, inLink, pkt);
    case IPPROTO_TCP: return tcpRcv(w, ns, inLink, pkt);
    case IPPROTO_ESP: return xfrmRcv(w, ns, inLink, pkt);
    case IPPROTO_IPIP:
      if (!w.ipipRcv(ns, pkt)) w.drop(ns, inLink.name, message('drop.ipipNoDevice', {}), pkt);
      return;
    default:
      w.drop(ns, inLink.name, message('drop.noProtocol', { protocol: ip.protocol }), pkt);
  }
}

function icmpRcv(w: Walker, ns: NetNs, inLink: Link, pkt: Packet): void {
  const icmp = pkt.icmp!;
  const ip = pkt.ip!;
  if (isEchoRequest(pkt)) {
    w.responder ??= ownerId(ns);
    w.seenSource ??= ip.src;
    w.emit('deliver', ns, inLink.name, message('event.deliver.echo', { owner: ownerId(ns) }), pkt);
    const reply = icmpEcho({ src: ip.dst, dst: ip.src, id: icmp.id ?? 0, seq: icmp.seq ?? 0, size: payloadLength(pkt.payload), reply: true, df: ip.df });
    const flow = w.flow.replace('echo-request', 'echo-reply');
    w.withFlow(flow === w.flow ? 'echo-reply' : flow, () => {
      w.emit('send', ns, undefined, message('event.send', { pkt: describe(reply) }), reply);
      w.sendLocal(ns, reply);
    });
    return;
  }
  if (isEchoReply(pkt)) {
    if (!toClient(w, ns, inLink.name, 'icmp', icmp.id ?? 0, pkt)) w.drop(ns, inLink.name, message('drop.echoReplyNoPing', {}), pkt, false);
    return;
  }
  const owner = errorOwner(pkt);
  if (owner && toClient(w, ns, inLink.name, owner.protocol, owner.port, pkt)) return;
  w.emit('deliver', ns, inLink.name, message('event.deliver.icmpError', { pkt: describe(pkt) }), pkt);
}

function udpRcv(w: Walker, ns: NetNs, inLink: Link, pkt: Packet): void {
  const u = pkt.udp!;
  const ip = pkt.ip!;
  if (vxlanRcv(w, ns, pkt)) return;
  if (userspaceRcv(w, ns, pkt)) return;
  if (toClient(w, ns, inLink.name, 'udp', u.dport, pkt)) return;
  const l = findListener(ns, 'udp', ip.dst, u.dport);
  if (!l) {
    w.drop(ns, inLink.name, message('drop.udpNoListener', { dst: ip.dst, port: u.dport }), pkt);
    w.refuser ??= ownerId(ns);
    w.icmpSend(ns, pkt, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH);
    return;
  }
  w.responder = l.owner;
  const seen = joinHostPort(ip.src, u.sport);
  w.seenSource = seen;
  w.emit('deliver', ns, inLink.name, message('event.deliver.udp', { owner: l.owner, addr: l.address, port: l.port, app: l.app.kind, src: seen }), pkt, { listener: `${l.protocol}/${l.port}`, owner: l.owner, seenSource: seen });
  const ctx: AppContext = { sim: w.sim, ns, listener: l, protocol: 'udp', client: { ip: ip.src, port: u.sport }, local: { ip: ip.dst, port: u.dport }, ...(pkt.payload ? { payload: pkt.payload } : {}) };
  const answer = settle(w, ns, ctx, runApp(ctx));
  if (answer.kind !== 'reply') return;
  const reply = udp({ src: ip.dst, dst: ip.src, sport: u.dport, dport: u.sport, payload: answer.payload, df: false });
  w.withFlow(responseFlow(w.flow), () => {
    w.emit('send', ns, undefined, message('event.send', { pkt: describe(reply) }), reply);
    w.sendLocal(ns, reply);
  });
}

/** The flow name of the answer to a leg: request -> response, syn -> syn-ack, fin -> fin-ack. */
function responseFlow(flow: string): string {
  const i = flow.lastIndexOf(':');
  const prefix = flow.slice(0, i + 1);
  const leg = flow.slice(i + 1);
  if (leg.startsWith('request')) return prefix + leg.replace('request', 'response');
  if (leg.startsWith('syn')) return prefix + leg.replace('syn', 'syn-ack');
  if (leg.startsWith('fin')) return prefix + leg.replace('fin', 'fin-ack');
  return `${flow}-reply`;
}

/** Runs an app answer to completion: a relay opens the second connection and walks it now. */
function settle(w: Walker, ns: NetNs, ctx: AppContext, a: AppAnswer): AppAnswer {
  w.emit('app', ns, undefined, message('event.app', { text: a.message ?? a.summary }), undefined, { app: ctx.listener.app.kind, owner: ctx.listener.owner });
  if (a.kind !== 'relay') return a;
  const up = relay(w, ns, a.to, a.payload ?? ctx.payload);
  const next = a.respond ? a.respond(up) : relayAnswer(ctx.payload, up, ctx.listener.owner);
  return settle(w, ns, ctx, next);
}

/** A deterministic initial sequence number per 4-tuple (the kernel hashes the tuple with a secret). */
function isn(src: string, sport: number, dst: string, dport: number): number {
  return hashString(`${src}:${sport}>${dst}:${dport}`) >>> 0;
}

function tcpRcv(w: Walker, ns: NetNs, inLink: Link, pkt: Packet): void {
  const t = pkt.tcp!;
  const ip = pkt.ip!;
  if (toClient(w, ns, inLink.name, 'tcp', t.dport, pkt)) return;
  const l = findListener(ns, 'tcp', ip.dst, t.dport);
  if (!l) {
    w.drop(ns, inLink.name, message('drop.tcpNoListener', { dst: ip.dst, port: t.dport }), pkt);
    w.sendRst(ns, pkt);
    return;
  }
  const seen = joinHostPort(ip.src, t.sport);
  const reply = (flags: Parameters<typeof tcp>[0]['flags'], seq: number, ack: number, payload?: Payload, closing = false): void => {
    const r = tcp({ src: ip.dst, dst: ip.src, sport: t.dport, dport: t.sport, seq, ack, flags, ...(payload ? { payload } : {}), ttl: DEFAULT_TTL });
    w.withFlow(responseFlow(w.flow), () => {
      w.emit('send', ns, undefined, message(closing ? 'event.sendClose' : 'event.send', { pkt: describe(r) }), r);
      w.sendLocal(ns, r);
    });
  };
  // The server side of the connection, as the listening socket's child sockets hold it (tcp_rcv_state_process).
  const key = `${ns.id}|${ip.dst}:${t.dport}|${seen}`;
  const state = w.tcpConns.get(key);
  if (t.flags.rst) { w.tcpConns.delete(key); w.emit('deliver', ns, inLink.name, message('event.tcp.rst', { src: seen }), pkt); return; }
  if (t.flags.syn && !t.flags.ack) {
    w.responder ??= l.owner;
    w.seenSource ??= seen;
    w.tcpConns.set(key, 'SYN_RECV');
    w.emit('deliver', ns, inLink.name, message('event.tcp.syn', { owner: l.owner, addr: l.address, port: l.port, src: seen }), pkt, { listener: `tcp/${l.port}`, owner: l.owner, seenSource: seen, state: 'SYN_RECV' });
    reply({ syn: true, ack: true }, isn(ip.dst, t.dport, ip.src, t.sport), t.seq + 1);
    return;
  }
  if (!state) {
    // A segment for a connection this socket does not know (tcp_v4_rcv finds no socket): RST.
    w.drop(ns, inLink.name, message('drop.tcpNoConnection', { src: seen, dst: ip.dst, port: t.dport }), pkt);
    w.sendRst(ns, pkt);
    return;
  }
  if (state === 'SYN_RECV' && t.flags.ack) w.tcpConns.set(key, 'ESTABLISHED');
  if (pkt.payload && payloadLength(pkt.payload) > 0) {
    w.responder = l.owner;
    w.seenSource = seen;
    w.emit('deliver', ns, inLink.name, message('event.tcp.data', { owner: l.owner, port: l.port, app: l.app.kind, src: seen }), pkt, { listener: `tcp/${l.port}`, owner: l.owner, seenSource: seen });
    const ctx: AppContext = { sim: w.sim, ns, listener: l, protocol: 'tcp', client: { ip: ip.src, port: t.sport }, local: { ip: ip.dst, port: t.dport }, payload: pkt.payload };
    const answer = settle(w, ns, ctx, runApp(ctx));
    const ack = t.seq + payloadLength(pkt.payload);
    if (answer.kind === 'reply') reply({ psh: true, ack: true }, t.ack, ack, answer.payload);
    else if (answer.kind === 'close') {
      // The app closed its socket without writing: FIN (active close), FIN_WAIT until the client's FIN.
      w.tcpConns.set(key, 'FIN_WAIT');
      w.refuser = l.owner;
      reply({ fin: true, ack: true }, t.ack, ack, undefined, true);
    } else reply({ ack: true }, t.ack, ack);
    return;
  }
  if (t.flags.fin && state === 'FIN_WAIT') {
    // The client's FIN after ours: ACK it; the socket waits in TIME_WAIT, the connection is over.
    w.tcpConns.delete(key);
    w.emit('deliver', ns, inLink.name, message('event.tcp.timeWait', { src: seen }), pkt, { state: 'TIME_WAIT' });
    reply({ ack: true }, t.ack, t.seq + 1);
    return;
  }
  if (t.flags.fin) {
    // Passive close: ack the FIN and close at once (the app has nothing more to send): LAST_ACK.
    w.tcpConns.set(key, 'LAST_ACK');
    w.emit('deliver', ns, inLink.name, message('event.tcp.lastAck', { src: seen, owner: l.owner }), pkt, { state: 'LAST_ACK' });
    reply({ fin: true, ack: true }, t.ack, t.seq + 1);
    return;
  }
  if (state === 'LAST_ACK') {
    w.tcpConns.delete(key);
    w.emit('deliver', ns, inLink.name, message('event.tcp.closed', { src: seen }), pkt, { state: 'CLOSED' });
    return;
  }
  w.emit('deliver', ns, inLink.name, message('event.tcp.established', { src: seen }), pkt, { state: 'ESTABLISHED' });
}
