/**
 * resolveName: a client's lookup as real packets. Each attempt of the search list is a UDP
 * query walked from the client to its nameserver (so kube-proxy DNATs the kube-dns clusterIP to
 * a CoreDNS Pod and a NetworkPolicy can drop it); the CoreDNS Pod that receives it answers with
 * answerDns, and a forwarded question is walked on from that Pod to the upstream resolver.
 *
 *   client ──udp/53──► 10.96.0.10 ──DNAT──► coredns Pod ──(forward)──► upstream host
 *
 * Until the packet walk exists (walk() reports "not built yet"), queries are answered directly
 * by the same functions, so commands and tests work before and after.
 */
import type { ClusterModel, PodModel } from '../../model/cluster';
import type { Sim } from '../../sim';
import { walk } from '../../stack/walk';
import type { Trace, TraceEvent } from '../../trace/types';
import { isIp } from '../../addr/ip';
import { answerDns, answerUpstream, type DnsResponse, type RRType } from './answer';
import { clusterDnsIp } from './records';
import { nodeResolvConf, parseResolvConf, podResolvConf, upstreamDnsIp, type ResolvConf } from './resolvconf';
import { outcomeOf, runSearch, type SearchStep } from './search';

export interface ResolveOptions {
  /** Ask this server instead of the resolv.conf nameservers (`dig @SERVER`, `nslookup NAME SERVER`). */
  readonly server?: string;
  /** Use the search list (default true; dig's default is false). */
  readonly search?: boolean;
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

const WALK_MISSING = 'the packet walk is not built yet';

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

function coreDnsPods(model: ClusterModel): PodModel[] {
  return model.pods.filter((p) => p.meta.namespace === 'kube-system' && (p.meta.labels['k8s-app'] === 'kube-dns' || p.meta.name.startsWith('coredns')) && p.phase === 'Running');
}

/** Who answers DNS at `ip` when no walk decides it: CoreDNS (behind kube-dns or a Pod IP) or the upstream. */
function directResponder(model: ClusterModel, ip: string): { kind: 'coredns'; pod: string } | { kind: 'upstream' } | null {
  const cores = coreDnsPods(model);
  const pod = cores.find((p) => p.podIP === ip);
  if (pod) return { kind: 'coredns', pod: `pod/${pod.meta.namespace}/${pod.meta.name}` };
  if (ip === clusterDnsIp(model)) {
    const first = cores[0];
    return { kind: 'coredns', pod: first ? `pod/${first.meta.namespace}/${first.meta.name}` : 'pod/kube-system/coredns' };
  }
  if (model.externalHosts.some((h) => h.ip === ip)) return { kind: 'upstream' };
  return null;
}

function isCoreDns(model: ClusterModel, responder: string): boolean {
  const p = responder.split('/');
  if (p[0] !== 'pod' || p.length !== 3) return false;
  const pod = podOf(model, p[1]!, p[2]!);
  return !!pod && coreDnsPods(model).includes(pod);
}

/** Resolves `name` from `from` (walk's client notation), attempt by attempt. */
export function resolveName(sim: Sim, from: string, name: string, type: RRType = 'A', opts: ResolveOptions = {}): ResolveResult {
  const model = sim.model;
  const rc = parseResolvConf(resolvConfTextFor(model, from) ?? '');
  const servers = opts.server ? [opts.server] : rc.nameservers.slice(0, 3);
  const traces: Trace[] = [];
  const events: TraceEvent[] = [];
  const machine = from.split('#')[0]!;

  /** One query to one server: walk there, let the receiver answer, follow a forward. */
  const queryOnce = (fq: string, server: string): SearchStep => {
    if (!isIp(server)) return { name: fq, server, outcome: 'unreachable', response: null, reason: `bad nameserver address "${server}"` };
    const q = { name: fq, type };
    const tr = walk(sim, { from, to: `udp://${server}:53`, protocol: 'udp', port: 53 });
    let response: DnsResponse | null = null;
    let reason: string | undefined;
    let via: string | null = null;
    if (tr.verdict === 'error' && tr.reason === WALK_MISSING) {
      const who = directResponder(model, server);
      if (who?.kind === 'coredns') { response = answerDns(sim, who.pod, q); via = who.pod; }
      else if (who?.kind === 'upstream') response = answerUpstream(model, server, q);
      else reason = `no DNS server answers at ${server}`;
    } else {
      traces.push(tr);
      if (tr.verdict === 'delivered' && tr.responder) {
        if (isCoreDns(model, tr.responder)) { response = answerDns(sim, tr.responder, q); via = tr.responder; }
        else if (tr.responder.startsWith('host/')) response = answerUpstream(model, server, q);
        else reason = `${tr.responder} does not serve DNS`;
      } else {
        reason = tr.reason ?? tr.verdict;
        if (tr.verdict === 'refused') return { name: fq, server, outcome: 'unreachable', response: null, reason };
      }
    }
    if (response?.forwardTo && via) {
      const up = response.forwardTo;
      const tr2 = walk(sim, { from: via, to: `udp://${up}:53`, protocol: 'udp', port: 53 });
      if (tr2.verdict === 'error' && tr2.reason === WALK_MISSING) {
        response = directResponder(model, up)?.kind === 'upstream' ? { ...answerUpstream(model, up, q), forwardTo: up } : { rcode: 'SERVFAIL', authoritative: false, answers: [], authority: [], forwardTo: up };
      } else {
        traces.push(tr2);
        response = tr2.verdict === 'delivered' ? { ...answerUpstream(model, up, q), forwardTo: up } : { rcode: 'SERVFAIL', authoritative: false, answers: [], authority: [], forwardTo: up };
      }
    }
    return { name: fq, server, outcome: outcomeOf(response), response, ...(reason !== undefined ? { reason } : {}) };
  };

  /** resolv.conf semantics: the next nameserver only when one does not answer at all. */
  const ask = (fq: string): SearchStep => {
    let last: SearchStep = { name: fq, server: servers[0] ?? '', outcome: 'unreachable', response: null, reason: 'no nameserver in /etc/resolv.conf' };
    for (const s of servers) {
      last = queryOnce(fq, s);
      events.push({
        seq: events.length, t: 0, type: 'dns', where: { machine, ns: from }, flow: 'dns',
        summary: `${type} ${fq} @${s}: ${describeOutcome(last)}`,
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
