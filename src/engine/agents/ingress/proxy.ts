/**
 * ingress-nginx at layer 7: the client's connection ends at the controller Pod; the controller
 * picks a backend with routeIngress and opens a new connection from its own namespace straight
 * to one ready endpoint of the backend Service (as ingress-nginx does: it balances over
 * endpoints itself, not through the clusterIP), adding X-Forwarded-* headers.
 *
 *   client ──TCP 80/443──► controller Pod ══ routeIngress ══► TCP ──► backend Pod
 *                           (TLS ends here)                  (X-Forwarded-For: client)
 */
import type { ClusterModel } from '../../model/cluster';
import type { Payload } from '../../net/packet';
import { said, upstreamVerdict, type AppAnswer, type AppContext, type RelayResult } from '../../stack/apps';
import { message, type Message, type MessageCode, type MessageParams } from '../../i18n/messages';
import { routeIngress, tlsFor } from './route';

/** The IngressClass the controller serves (`--ingress-class=nginx`, controller k8s.io/ingress-nginx). */
export const INGRESS_CLASS = 'nginx';

const REASON: Record<number, string> = { 308: 'Permanent Redirect', 404: 'Not Found', 502: 'Bad Gateway', 503: 'Service Temporarily Unavailable' };

/** nginx's own error page. */
export function nginxPage(status: number): string {
  const t = `${status} ${REASON[status] ?? ''}`;
  return `<html>\n<head><title>${t}</title></head>\n<body>\n<center><h1>${t}</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;
}

const page = (status: number, code: MessageCode, params: MessageParams, headers: Record<string, string> = {}): AppAnswer =>
  said({ kind: 'reply', payload: { kind: 'http-response', status, body: nginxPage(status), headers } as Payload }, code, params);

/** Ready endpoints of a Service port, as (ip, port) pairs the controller proxies to. */
export function upstreamsOf(model: ClusterModel, ns: string, service: string, servicePort: number): { ip: string; port: number }[] {
  const svc = model.services.find((s) => s.meta.namespace === ns && s.meta.name === service);
  const sp = svc?.ports.find((p) => p.port === servicePort);
  if (!svc || !sp) return [];
  const out: { ip: string; port: number }[] = [];
  for (const sl of model.endpointSlices.filter((s) => s.meta.namespace === ns && s.serviceName === service)) {
    const port = sl.ports.find((p) => p.name === sp.name)?.port ?? (typeof sp.targetPort === 'number' ? sp.targetPort : undefined);
    if (port === undefined) continue;
    for (const ep of sl.endpoints) if (ep.ready) for (const ip of ep.addresses) out.push({ ip, port });
  }
  return out;
}

export function ingressNginxProxy(ctx: AppContext): AppAnswer {
  const req = ctx.payload;
  const owner = ctx.listener.owner;
  if (!req) return said({ kind: 'silent' }, 'app.ingressNoRequest', { owner });
  if (req.kind !== 'http-request') return page(400, 'app.ingressNotHttp', { owner });
  const host = req.headers['Host'] ?? req.headers['host'] ?? req.host;
  const https = ctx.local.port === 443;
  const tls = tlsFor(ctx.sim.model, INGRESS_CLASS, host);
  if (!https && tls) {
    const location = `https://${host.replace(/:\d+$/, '')}${req.path}`;
    return tls.secret
      ? page(308, 'app.ingressRedirect', { owner, host, secret: tls.secret, location }, { Location: location })
      : page(308, 'app.ingressRedirectNoSecret', { owner, host, location }, { Location: location });
  }
  const route = routeIngress(ctx.sim.model, INGRESS_CLASS, host, req.path);
  if (route.kind === '404') return page(404, 'app.ingress404', { owner, method: req.method, host, path: req.path, reason: route.reasonMessage });
  const b = route.backend;
  if (route.servicePort === null) return page(503, 'app.ingress503NoService', { owner, rule: route.matchedRuleMessage, ingress: route.ingress, service: `${b.namespace}/${b.service}`, port: b.port });
  const ups = upstreamsOf(ctx.sim.model, b.namespace, b.service, route.servicePort);
  if (!ups.length) return page(503, 'app.ingress503NoEndpoints', { owner, service: `${b.namespace}/${b.service}`, port: route.servicePort });
  const up = ups[ctx.sim.rand.int(ups.length)]!;
  const forwarded: Payload = {
    kind: 'http-request', method: req.method, path: req.path, host,
    headers: {
      ...req.headers, Host: host,
      'X-Request-ID': (ctx.sim.rand.int(2 ** 31)).toString(16).padStart(8, '0'),
      'X-Real-IP': ctx.client.ip, 'X-Forwarded-For': ctx.client.ip, 'X-Forwarded-Host': host,
      'X-Forwarded-Port': String(ctx.local.port), 'X-Forwarded-Proto': https ? 'https' : 'http', 'X-Forwarded-Scheme': https ? 'https' : 'http',
    },
  };
  const tlsNote: Message | string = https
    ? (tls ? message(tls.found ? 'app.ingressTls' : 'app.ingressTlsMissing', { secret: String(tls.secret) }) : message('app.ingressTlsFake'))
    : '';
  const endpoint = `${up.ip}:${up.port}`;
  return said({
    kind: 'relay', to: { ip: up.ip, port: up.port, protocol: 'tcp' }, payload: forwarded,
    respond: (u: RelayResult): AppAnswer => (u.payload
      ? said({ kind: 'reply', payload: u.payload }, 'app.ingressRelays', { owner, endpoint })
      : page(502, 'app.ingress502', { owner, endpoint, verdict: upstreamVerdict(u.verdict) })),
  } as const, 'app.ingressRelay', {
    owner, tls: tlsNote, method: req.method, host, path: req.path, rule: route.matchedRuleMessage, ingress: route.ingress,
    service: `${b.namespace}/${b.service}`, port: route.servicePort, endpoint, client: ctx.client.ip,
  });
}

/** The role Pods whose listeners carry { kind: 'proxy', role: 'ingress-nginx' } play: see buildSim's apps table. */
export const INGRESS_NGINX_ROLE = 'ingress-nginx';
