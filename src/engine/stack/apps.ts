/**
 * The application layer: what a listening socket answers. Every app is a pure function from
 * the request it saw to an answer; the stack turns the answer into packets.
 *
 *  - http:  "Hostname: NAME\nRemoteAddr: IP:PORT\n" (like traefik/whoami), so a trace shows
 *           which Pod answered and which client address it saw (SNAT shows up here);
 *  - echo:  sends back what it got (UDP echo, TCP echo);
 *  - dns:   asks the DNS answerer registered on the Sim (`sim.dns`: CoreDNS's decision function,
 *           agents/coredns/answer.ts); a Corefile `forward` makes the Pod relay the query upstream;
 *  - proxy: a user-space proxy (ingress controller, kube-proxy userspace mode) opens a second
 *           connection from its own namespace and relays the answer. Whoever implements the
 *           proxy puts a handler for its role in the Sim's `apps` table (buildSim: the ingress
 *           controller; installRules: kube-proxy's userspace mode).
 */
import type { DnsQuestion, DnsResponse, Payload } from '../net/packet';
import { userAgentOf } from './packets';
import type { Listener, NetNs } from '../net/types';
import type { Sim } from '../sim';
import type { Verdict } from '../trace/types';
import { message, render, type Message, type MessageCode, type MessageParams } from '../i18n/messages';

export interface Endpoint { readonly ip: string; readonly port: number }

export interface AppContext {
  readonly sim: Sim;
  readonly ns: NetNs;
  readonly listener: Listener;
  readonly protocol: 'tcp' | 'udp';
  /** The peer as the socket sees it (after any NAT on the way). */
  readonly client: Endpoint;
  readonly local: Endpoint;
  readonly payload?: Payload;
}

/** What the stack hands back to an app that asked for a relay. */
export interface RelayResult {
  readonly verdict: Verdict;
  readonly payload?: Payload;
  readonly reason?: string;
}

/**
 * What an app did, said for people. `summary` is the English text the trace prints; `message`
 * is the same as an `app.*` code (src/engine/i18n/messages.ts) so the inspector and the story say
 * it in zh-CN too (its English rendering equals `summary`). Build one with `said`.
 */
export type AppAnswer = (
  | { readonly kind: 'reply'; readonly payload: Payload; readonly summary: string }
  /** Accepts the data and answers nothing (a UDP sink, a TCP server waiting for more). */
  | { readonly kind: 'silent'; readonly summary: string }
  /** Closes the connection without answering (TCP: a FIN; the client reads end of file). */
  | { readonly kind: 'close'; readonly summary: string }
  /**
   * Open a connection from this namespace to `to`, send `payload` (default: what the client
   * sent) and answer the client with `respond(upstream)` (default: the upstream payload, or a
   * 502 for HTTP when the upstream failed).
   */
  | {
      readonly kind: 'relay';
      readonly to: Endpoint & { readonly protocol: 'tcp' | 'udp' };
      readonly payload?: Payload;
      readonly summary: string;
      readonly respond?: (upstream: RelayResult) => AppAnswer;
    }) & { readonly message: Message };

/** An answer whose words are an `app.*` message: `summary` is its English rendering. */
export function said<T extends object>(answer: T, code: MessageCode, params: MessageParams): T & { summary: string; message: Message } {
  const m = message(code, params);
  return { ...answer, summary: render(m, 'en'), message: m };
}

export type ProxyHandler = (ctx: AppContext) => AppAnswer;

/**
 * What a DNS server answers, registered on the Sim by the agent that is one (CoreDNS): `owner`
 * is the listening socket's owner (a CoreDNS Pod "pod/NS/NAME", or "host/NAME" for an upstream
 * resolver), `local` the address the query came to.
 */
export interface DnsAnswerer {
  answer(sim: Sim, owner: string, local: string, q: DnsQuestion): DnsResponse;
}

/** What each `proxy` app role does ("ingress-nginx", "kube-proxy-userspace"): one table per Sim. */
export type ProxyApps = Map<string, ProxyHandler>;

export interface DnsMessage {
  readonly id: number;
  readonly question: DnsQuestion;
  readonly response?: DnsResponse;
}

export function isDnsMessage(m: unknown): m is DnsMessage {
  return typeof m === 'object' && m !== null && 'question' in m && typeof (m as { question: unknown }).question === 'object';
}

export function httpBody(name: string, client: Endpoint): string {
  // Go's net.JoinHostPort: an IPv6 address goes in brackets.
  return `Hostname: ${name}\nRemoteAddr: ${client.ip.includes(':') ? `[${client.ip}]` : client.ip}:${client.port}\n`;
}

/**
 * A line an application prints to its standard output (what `kubectl logs` shows), stamped
 * with the simulated second it happened. `{{time}}` in the text is replaced by nginx's
 * "[01/May/2024:09:05:00 +0000]" form when printed.
 */
export function appLog(sim: Sim, owner: string, container: string | undefined, text: string): void {
  if (!owner.startsWith('pod/')) return;
  if (!sim.appLog) sim.appLog = new Map();
  const key = `${owner}/${container ?? ''}`;
  const list = sim.appLog.get(key) ?? [];
  list.push(`${Math.floor(sim.now / 1000)}\t${text}`);
  sim.appLog.set(key, list);
}

/** CoreDNS logs every query when its server block has the `log` plugin. */
function corednsLogs(sim: Sim): boolean {
  const cm = sim.model.configMaps.find((c) => c.meta.namespace === 'kube-system' && c.meta.name === 'coredns');
  return /^\s*log\s*$/m.test(cm?.data.Corefile ?? '');
}

export function runApp(ctx: AppContext): AppAnswer {
  const app = ctx.listener.app;
  switch (app.kind) {
    case 'http': {
      const p = ctx.payload;
      if (p && p.kind !== 'http-request') return said({ kind: 'reply', payload: { kind: 'http-response', status: 400, body: 'Bad Request\n', headers: {} } }, 'app.httpNotHttp', {});
      if (!p) return said({ kind: 'silent' }, 'app.httpNoRequest', {});
      // kube-proxy's metrics server answers /proxyMode with the mode it runs in (no newline).
      const body = app.name === 'kube-proxy' && p.path === '/proxyMode' ? ctx.sim.model.spec.kubeProxy.mode : httpBody(app.name, ctx.client);
      const head = p.method === 'HEAD';
      // nginx's combined access log format, one line per request that reached the process.
      appLog(ctx.sim, ctx.listener.owner, ctx.listener.container, `${ctx.client.ip} - - {{time}} "${p.method} ${p.path} HTTP/1.1" 200 ${head ? 0 : body.length} "-" "${userAgentOf(p)}" "-"`);
      return said({
        kind: 'reply',
        payload: { kind: 'http-response', status: 200, body: head ? '' : body, headers: head ? { 'Content-Length': String(body.length) } : {} } as Payload,
      }, 'app.http200', { owner: ctx.listener.owner, method: p.method, path: p.path, client: `${ctx.client.ip}:${ctx.client.port}` });
    }
    case 'echo':
      return ctx.payload ? said({ kind: 'reply', payload: ctx.payload }, 'app.echo', { owner: ctx.listener.owner, protocol: ctx.protocol, client: `${ctx.client.ip}:${ctx.client.port}` }) : said({ kind: 'silent' }, 'app.echoNothing', {});
    case 'sshd':
      return said({ kind: 'reply', payload: { kind: 'data', text: 'SSH-2.0-OpenSSH_9.6\r\n' } }, 'app.sshdBanner', {});
    case 'dns': {
      const m = ctx.payload?.kind === 'dns' ? ctx.payload.message : undefined;
      if (!isDnsMessage(m)) return said({ kind: 'silent' }, 'app.dnsNotQuery', {});
      // A Pod's DNS server is CoreDNS (the Corefile decides); any other is the scenario's upstream resolver.
      const dns = ctx.sim.dns;
      if (!dns) return said({ kind: 'silent' }, 'app.dnsNoServer', {});
      const res = dns.answer(ctx.sim, ctx.listener.owner, ctx.local.ip, m.question);
      if (ctx.listener.owner.startsWith('pod/') && corednsLogs(ctx.sim)) {
        const q = m.question;
        const name = q.name.endsWith('.') ? q.name : `${q.name}.`;
        appLog(ctx.sim, ctx.listener.owner, ctx.listener.container, `[INFO] ${ctx.client.ip}:${ctx.client.port} - ${m.id} "${q.type} IN ${name} ${ctx.protocol} ${29 + name.length} false 512" ${res.forwardTo ? 'NOERROR' : res.rcode} qr,${res.authoritative ? 'aa,' : ''}rd${res.forwardTo ? ',ra' : ''} ${45 + name.length + res.answers.length * 16} 0.000${(100 + (m.id % 800)).toString().padStart(3, '0')}s`);
      }
      if (res.forwardTo) {
        const up = res.forwardTo;
        return said({
          kind: 'relay', to: { ip: up, port: 53, protocol: 'udp' }, payload: { kind: 'dns', message: { id: m.id, question: m.question } },
          // The answer goes back as CoreDNS got it, noting who it came from (dig's "ra", the 'dns' event's forwardedTo).
          respond: (u: RelayResult): AppAnswer => u.payload ? said({ kind: 'reply', payload: forwardedFrom(u.payload, up) }, 'app.dnsRelayed', { upstream: up })
            : said({ kind: 'reply', payload: { kind: 'dns', message: { id: m.id, question: m.question, response: { rcode: 'SERVFAIL', authoritative: false, answers: [], authority: [] } } } }, 'app.dnsServfail', { upstream: up }),
        } as const, 'app.dnsForward', { owner: ctx.listener.owner, name: m.question.name, qtype: m.question.type, upstream: up });
      }
      return said({
        kind: 'reply', payload: { kind: 'dns', message: { id: m.id, question: m.question, response: res } },
      }, res.answers.length ? 'app.dnsAnswer' : 'app.dnsRcode', { owner: ctx.listener.owner, name: m.question.name, qtype: m.question.type, rcode: res.rcode, ...(res.answers.length ? { answers: res.answers.map((a) => a.data).join(', ') } : {}) });
    }
    case 'proxy': {
      const h = ctx.sim.apps.get(app.role);
      if (!h) return said({ kind: 'silent' }, 'app.proxyNoHandler', { role: app.role });
      return h(ctx);
    }
    default:
      // The UDP socket of a user-space tunnel process (stack/userspace.ts hands it its tunnel's
      // datagrams before any listener sees them): anything else sent there it ignores.
      return said({ kind: 'silent' }, 'app.notTunnelled', { app: app.kind });
  }
}

function forwardedFrom(p: Payload, up: string): Payload {
  if (p.kind !== 'dns' || !isDnsMessage(p.message) || !p.message.response) return p;
  return { ...p, message: { ...p.message, response: { ...p.message.response, forwardTo: up } } };
}

/** The default answer to a client after a relay. */
export function relayAnswer(request: Payload | undefined, upstream: RelayResult, via: string): AppAnswer {
  if (upstream.payload) return said({ kind: 'reply', payload: upstream.payload }, 'app.relayUpstream', { via });
  if (request?.kind === 'http-request') {
    return said({ kind: 'reply', payload: { kind: 'http-response', status: 502, body: '502 Bad Gateway\n', headers: {} } as Payload }, 'app.relay502', { via, verdict: upstreamVerdict(upstream.verdict) });
  }
  return said({ kind: 'silent' }, 'app.relayNothing', { via, verdict: upstreamVerdict(upstream.verdict) });
}

/** What became of a relayed connection upstream, as a word each language says its own way (English: the verdict). */
export function upstreamVerdict(v: Verdict): Message {
  return message(`app.upstream.${v}` as MessageCode);
}
