/**
 * The packet walk's front door (contract used by the CLI's `knp trace`, the shell's ping/curl,
 * the UI and the kernel tier). See docs/trace-format.md for the trace it returns.
 *
 * A walk opens a client socket in the `from` namespace and runs a real exchange (ICMP echo,
 * a UDP datagram, or a TCP connection with SYN, SYN-ACK, ACK, request, response, FIN) through
 * the Walker; the verdict, responder and paths are read off what happened.
 */
import type { Payload, RRType } from '../net/packet';
import type { Sim } from '../sim';
import type { Hop, Trace, TraceEvent } from '../trace/types';
import { message } from '../i18n/messages';
import { pingExchange, repeat, tcpExchange, udpExchange, type Outcome } from './exchange';
import { clientNs, lookupHost, parseDestination } from './target';
import { Walker, WalkLimit } from './walker';

export interface WalkRequest {
  /** Where the client runs: pod/NS/NAME, pod/NAME, node/NAME, host/NAME (a "#netns" suffix narrows to a named namespace). */
  readonly from: string;
  /** An IP, IP:PORT, or a URL: http://HOST[:PORT]/PATH, https://..., tcp://HOST:PORT, udp://HOST:PORT. */
  readonly to: string;
  readonly protocol?: 'tcp' | 'udp' | 'icmp' | 'sctp';
  readonly port?: number;
  /** curl's extras: method, Host header override, other headers, --resolve pins. */
  readonly http?: { readonly method?: string; readonly headers?: Readonly<Record<string, string>>; readonly resolve?: Readonly<Record<string, string>> };
  /** ICMP echo / UDP: how many packets; TCP: connections. Default 1. */
  readonly count?: number;
  readonly ttl?: number;
  /** Don't-fragment and payload size, for MTU lessons (ping -M do -s SIZE). */
  readonly size?: number;
  readonly df?: boolean;
  /** ICMP echo: milliseconds between probes (ping -i; default 1000). */
  readonly intervalMs?: number;
  /** UDP/TCP to port 53: the question the datagram carries (default: ". NS", a root probe). */
  readonly dns?: { readonly name: string; readonly type: RRType };
}

/** A trace plus the per-probe facts ping and traceroute print. */
export interface WalkResult {
  readonly trace: Trace;
  readonly outcome: Outcome | undefined;
}

export function walk(sim: Sim, req: WalkRequest): Trace {
  return walkDetailed(sim, req).trace;
}

/** Machines a flow crossed, in order: one hop each time the packet enters another namespace. */
export function hopsOf(events: readonly TraceEvent[], flow: string | undefined): Hop[] {
  const hops: Hop[] = [];
  if (!flow) return hops;
  for (const e of events) {
    if (e.flow !== flow || (e.type !== 'send' && e.type !== 'rx' && e.type !== 'icmp-error')) continue;
    const last = hops[hops.length - 1];
    if (last && last.machine === e.where.machine) continue;
    hops.push({ machine: e.where.machine, ...(e.where.dev !== undefined ? { dev: e.where.dev } : {}) });
  }
  return hops;
}

function dnsQuery(w: Walker, q: WalkRequest['dns']): Payload {
  return { kind: 'dns', message: { id: w.sim.rand.int(65536), question: q ?? { name: '.', type: 'NS' } } };
}

export function walkDetailed(sim: Sim, req: WalkRequest): WalkResult {
  const base = { from: req.from, to: req.to, protocol: (req.protocol ?? 'tcp') as Trace['protocol'] };
  const fail = (verdict: Trace['verdict'], reason: string): WalkResult => ({
    trace: { ...base, verdict, responder: null, seenSource: null, reason, reasonMessage: message('verdict.other', { reason }), events: [], path: [], replyPath: [], rulesEvaluated: 0 }, outcome: undefined,
  });
  const dest = parseDestination(req.to, req.protocol, req.port, req.http?.resolve);
  if (!dest) return fail('error', `cannot parse destination "${req.to}" (use IP, IP:PORT or http://HOST[:PORT]/PATH)`);
  const protocol = dest.protocol;
  const ns = clientNs(sim, req.from);
  if (!ns) {
    const r = fail('error', `no network namespace for "${req.from}" (use pod/NS/NAME, node/NAME or host/NAME)`);
    return { ...r, trace: { ...r.trace, protocol } };
  }
  const w = new Walker(sim);
  let ip = dest.ip;
  if (!ip) {
    const found = lookupHost(sim, req.from, dest.host);
    // lookupHost's events are copies made for this answer: numbered in place, not copied again.
    for (const e of found.events) { (e as { seq: number }).seq = w.events.length + 1; w.events.push(e); }
    w.t = found.events[found.events.length - 1]?.t ?? 0;
    if (!found.ok) {
      return {
        trace: { ...base, protocol, verdict: found.why === 'nxdomain' ? 'nxdomain' : 'timeout', responder: null, seenSource: null, reason: found.reason, reasonMessage: message('verdict.other', { reason: found.reason }), events: w.events, path: [], replyPath: [], rulesEvaluated: 0 },
        outcome: undefined,
      };
    }
    ip = found.ip;
  }
  let outcome: Outcome;
  try {
    const opts = { ...(req.ttl !== undefined ? { ttl: req.ttl } : {}), ...(req.df !== undefined ? { df: req.df } : {}) };
    if (protocol === 'icmp') {
      outcome = pingExchange(w, ns, ip, { ...opts, count: req.count ?? 1, ...(req.size !== undefined ? { size: req.size } : {}), ...(req.intervalMs !== undefined ? { intervalMs: req.intervalMs } : {}) });
    } else if (protocol === 'udp') {
      const payload: Payload = dest.port === 53 || req.dns ? dnsQuery(w, req.dns)
        : req.size !== undefined ? { kind: 'bytes', length: req.size } : { kind: 'data', text: 'ping\n' };
      outcome = repeat(w, req.count ?? 1, () => udpExchange(w, ns, ip!, dest.port ?? 7, payload, opts));
    } else if (protocol === 'tcp') {
      const http = dest.scheme === 'http' || dest.scheme === 'https' || (!dest.scheme && (dest.port === 80 || dest.port === 8080 || req.http !== undefined));
      const payload: Payload | undefined = http
        ? { kind: 'http-request', method: req.http?.method ?? 'GET', path: dest.path, host: dest.port === 80 || dest.port === undefined ? dest.host : `${dest.host}:${dest.port}`, headers: req.http?.headers ?? {} }
        : dest.port === 53 || req.dns ? dnsQuery(w, req.dns)
        : dest.scheme === 'tcp' || req.size !== undefined ? { kind: 'data', text: 'hello\n' } : undefined;
      outcome = repeat(w, req.count ?? 1, () => tcpExchange(w, ns, ip!, dest.port ?? 80, payload, opts));
    } else {
      return fail('error', 'sctp is not walked yet');
    }
  } catch (e) {
    if (!(e instanceof WalkLimit)) throw e;
    return {
      trace: { ...base, protocol, verdict: 'error', responder: null, seenSource: null, reason: e.message, reasonMessage: message('verdict.other', { reason: e.message }), events: w.events, path: [], replyPath: [], rulesEvaluated: w.rulesEvaluated },
      outcome: undefined,
    };
  }
  const delivered = outcome.verdict === 'delivered';
  const trace: Trace = {
    ...base, protocol,
    verdict: outcome.verdict,
    responder: delivered ? w.responder : outcome.verdict === 'refused' ? w.refuser : null,
    seenSource: delivered ? w.seenSource : null,
    ...(outcome.reason ? { reason: outcome.reason, reasonMessage: outcome.reasonMessage ?? message('verdict.other', { reason: outcome.reason }) } : {}),
    events: w.events,
    path: hopsOf(w.events, outcome.requestFlow),
    replyPath: hopsOf(w.events, outcome.replyFlow),
    rulesEvaluated: w.rulesEvaluated,
  };
  return { trace, outcome };
}
