/**
 * resolveName: a client's lookup as real packets. Each attempt of the search list is a UDP
 * datagram carrying the question, walked from the client to its nameserver (so kube-proxy DNATs
 * the kube-dns clusterIP to a CoreDNS Pod and a NetworkPolicy can drop it). The stack hands it
 * to the CoreDNS Pod's socket, which answers with answerDns; a forwarded question is relayed by
 * that Pod to the upstream resolver host, whose socket answers with answerUpstream.
 *
 *   client ──udp/53──► 10.96.0.10 ──DNAT──► coredns Pod ──(forward)──► upstream host
 *
 * There is no side path: a client without a network namespace gets no answer.
 */
import type { ClusterModel, PodModel } from '../../model/cluster';
import type { Sim } from '../../sim';
import type { Trace, TraceEvent } from '../../trace/types';
import { message, render, type Message } from '../../i18n/messages';
import { ipFamily } from '../../addr/family';
import { hasIPv6 } from '../../net/ipv6';
import { hashString } from '../../util/rand';
import { clientNs, type NameResolver } from '../../stack/target';
import { Walker, WalkLimit } from '../../stack/walker';
import { tcpExchange, udpExchange, type Outcome } from '../../stack/exchange';
import { hopsOf } from '../../stack/walk';
import { isDnsMessage } from '../../stack/apps';
import { type DnsQuestion, type DnsResponse, type RRType } from '../../agents/coredns/answer';
import { nodeResolvConf, parseResolvConf, podResolvConf, upstreamDnsIp, type ResolvConf } from '../../agents/kubelet/resolvconf';
import { outcomeOf, runSearch, type SearchStep } from './search';

export interface ResolveOptions {
  /** Ask this server instead of the resolv.conf nameservers (`dig @SERVER`, `nslookup NAME SERVER`). */
  readonly server?: string;
  /** Use the search list (default true; dig's default is false). */
  readonly search?: boolean;
  /** Ask over TCP (dig +tcp) instead of UDP. */
  readonly tcp?: boolean;
}

export interface ResolveResult {
  readonly name: string;
  readonly type: RRType;
  /** The resolv.conf the client used. */
  readonly resolvConf: ResolvConf;
  readonly steps: readonly SearchStep[];
  /** The winning (or reported) step's response; null when no server answered. */
  readonly answer: DnsResponse | null;
  /** The name that produced `answer` (fully qualified), or null. */
  readonly fqdn: string | null;
  /** Final addresses (A records, CNAMEs followed), in answer order. */
  readonly addresses: readonly string[];
  /** Each query's packet walk, in order (client→DNS server, then CoreDNS→upstream when forwarded). */
  readonly traces: readonly Trace[];
  /** One 'dns' event per attempt, for the trace view (seq restarts at 0: the caller renumbers). */
  readonly events: readonly TraceEvent[];
}

/**
 * The stub resolver buildSim registers on the Sim (`sim.resolver`) for walks to a name: an A
 * query, and on a cluster with an IPv6 family, when the name exists but has no A record (an
 * IPv6-only Service), an AAAA query after it. glibc asks both at once; see docs/linux-fidelity.md.
 */
export const stubResolver: NameResolver = {
  resolve: (sim, from, host) => {
    const a = resolveName(sim, from, host, 'A');
    if (a.addresses.length || a.answer?.rcode !== 'NOERROR' || !hasIPv6(sim.model)) return a;
    const aaaa = resolveName(sim, from, host, 'AAAA');
    return aaaa.addresses.length ? { ...aaaa, traces: [...a.traces, ...aaaa.traces], events: [...a.events, ...aaaa.events] } : a;
  },
};

function podOf(model: ClusterModel, ns: string, name: string): PodModel | undefined {
  return model.pods.find((p) => p.meta.namespace === ns && p.meta.name === name);
}

/** "pod/NS/NAME", "pod/NAME", "node/NAME", "host/NAME" (optionally "#netns") → its resolv.conf text. */
export function resolvConfTextFor(model: ClusterModel, from: string): string | null {
  const base = from.split('#')[0]!;
  const parts = base.split('/');
  if (parts[0] === 'pod') {
    const [ns, name] = parts.length === 3 ? [parts[1]!, parts[2]!] : ['default', parts[1] ?? ''];
    const pod = podOf(model, ns, name);
    return pod ? podResolvConf(model, pod).text : null;
  }
  if (parts[0] === 'node') return model.nodes.some((n) => n.name === parts[1]) || model.nodes.length === 0 ? nodeResolvConf(model, parts[1] ?? null) : null;
  if (parts[0] === 'host') {
    const up = upstreamDnsIp(model);
    const self = model.externalHosts.find((h) => h.name === parts[1]);
    if (self && self.ip === up) return 'nameserver 127.0.0.1\n';
    return up ? `nameserver ${up}\n` : '';
  }
  return null;
}

export interface DnsExchange {
  readonly trace: Trace;
  /** The answer that came back, or null (dropped, timed out, port unreachable). */
  readonly response: DnsResponse | null;
}

/**
 * One DNS question as a UDP datagram from `from` to `server`:53 through the stack. null when
 * `from` has no network namespace.
 */
export function dnsExchange(sim: Sim, from: string, server: string, q: DnsQuestion, tcp = false): DnsExchange | null {
  const ns = clientNs(sim, from);
  if (!ns) return null;
  const w = new Walker(sim);
  const proto = tcp ? 'tcp' : 'udp';
  const to = `${proto}://${server.includes(':') ? `[${server}]` : server}:53`;
  let outcome: Outcome;
  try {
    const query = { kind: 'dns' as const, message: { id: hashString(`${q.name}/${q.type}`) & 0xffff, question: q } };
    outcome = tcp ? tcpExchange(w, ns, server, 53, query) : udpExchange(w, ns, server, 53, query);
  } catch (e) {
    if (!(e instanceof WalkLimit)) throw e;
    const trace: Trace = { from, to, protocol: proto, verdict: 'error', responder: null, seenSource: null, reason: e.message, events: w.events, path: [], replyPath: [], rulesEvaluated: w.rulesEvaluated };
    return { trace, response: null };
  }
  const delivered = outcome.verdict === 'delivered';
  const trace: Trace = {
    from, to, protocol: proto, verdict: outcome.verdict,
    responder: delivered || outcome.verdict === 'refused' ? w.responder : null,
    seenSource: delivered ? w.seenSource : null,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    events: w.events, path: hopsOf(w.events, outcome.requestFlow), replyPath: hopsOf(w.events, outcome.replyFlow), rulesEvaluated: w.rulesEvaluated,
  };
  const m = outcome.payload?.kind === 'dns' ? outcome.payload.message : undefined;
  const response = isDnsMessage(m) && m.response ? m.response : null;
  return { trace, response };
}

/** Resolves `name` from `from` (walk's client notation), attempt by attempt. */
export function resolveName(sim: Sim, from: string, name: string, type: RRType = 'A', opts: ResolveOptions = {}): ResolveResult {
  const model = sim.model;
  const rc = parseResolvConf(resolvConfTextFor(model, from) ?? '');
  const servers = opts.server ? [opts.server] : rc.nameservers.slice(0, 3);
  const traces: Trace[] = [];
  const events: TraceEvent[] = [];
  const machine = from.split('#')[0]!;
  const nsId = clientNs(sim, from)?.id ?? from;

  /** One query to one server, as a walked datagram. */
  const queryOnce = (fq: string, server: string): SearchStep => {
    if (ipFamily(server) === null) return { name: fq, server, outcome: 'unreachable', response: null, reason: `bad nameserver address "${server}"` };
    const q: DnsQuestion = { name: fq, type };
    const ex = dnsExchange(sim, from, server, q, opts.tcp ?? false);
    if (!ex) return { name: fq, server, outcome: 'unreachable', response: null, reason: `${from} has no network namespace to send the query from`, error: 'unreachable' };
    traces.push(ex.trace);
    if (ex.response) return { name: fq, server, outcome: outcomeOf(ex.response), response: ex.response };
    const reason = ex.trace.reason ?? ex.trace.verdict;
    const v = ex.trace.verdict;
    const error = v === 'refused' ? 'refused' as const : v === 'unreachable' ? 'unreachable' as const : 'timeout' as const;
    return { name: fq, server, outcome: error === 'timeout' ? 'timeout' : 'unreachable', response: null, reason, error };
  };

  /** resolv.conf semantics: the next nameserver only when one does not answer at all. */
  const ask = (fq: string): SearchStep => {
    let last: SearchStep = { name: fq, server: servers[0] ?? '', outcome: 'unreachable', response: null, reason: 'no nameserver in /etc/resolv.conf' };
    for (const s of servers) {
      last = queryOnce(fq, s);
      const msg = outcomeMessage(last, type, fq, s);
      events.push({
        seq: events.length, t: 0, type: 'dns', where: { machine, ns: nsId }, flow: 'dns',
        summary: render(msg, 'en'), message: msg,
        detail: { name: fq, qtype: type, server: s, outcome: last.outcome, rcode: last.response?.rcode ?? null, answers: last.response?.answers ?? [], ...(last.response?.forwardTo ? { forwardedTo: last.response.forwardTo } : {}) },
      });
      if (last.response) return last;
    }
    return last;
  };

  const { steps, final } = runSearch(name, rc, ask, opts.search ?? true);
  const answer = final?.response ?? null;
  const addresses = (answer?.answers ?? []).filter((a) => a.type === 'A' || a.type === 'AAAA').map((a) => a.data);
  return { name, type, resolvConf: rc, steps, answer, fqdn: final && final.response ? final.name : null, addresses, traces, events };
}

/** One search-list attempt as a trace line: `A web.default.svc.cluster.local. @10.96.0.10: A 10.96.0.5`. */
function outcomeMessage(s: SearchStep, qtype: string, name: string, server: string): Message {
  const at = { qtype, name, server };
  switch (s.outcome) {
    case 'answer': return message('event.dns.answer', { ...at, answers: describeOutcome(s) });
    case 'nxdomain': case 'servfail': case 'refused': return message('event.dns.rcode', { ...at, rcode: describeOutcome(s) });
    case 'nodata': return message('event.dns.nodata', at);
    case 'timeout': return s.reason ? message('event.dns.noReplyWhy', { ...at, reason: s.reason }) : message('event.dns.noReply', at);
    case 'unreachable': return s.reason ? message('event.dns.unreachableWhy', { ...at, reason: s.reason }) : message('event.dns.unreachable', at);
  }
}

export function describeOutcome(s: SearchStep): string {
  switch (s.outcome) {
    case 'answer': return s.response!.answers.map((a) => `${a.type} ${a.data}`).join(', ');
    case 'nxdomain': return 'NXDOMAIN';
    case 'nodata': return 'NOERROR, no records';
    case 'servfail': return 'SERVFAIL';
    case 'refused': return 'REFUSED';
    case 'timeout': return `no reply${s.reason ? ` (${s.reason})` : ''}`;
    case 'unreachable': return `unreachable${s.reason ? ` (${s.reason})` : ''}`;
  }
}
