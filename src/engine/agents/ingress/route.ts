/**
 * Which backend an Ingress controller sends a request to, as the Ingress specification and
 * ingress-nginx decide it. Pure.
 *
 *   1. The Ingresses this controller serves: spec.ingressClassName, else the legacy
 *      `kubernetes.io/ingress.class` annotation, else the default IngressClass.
 *   2. The host: an exact rule host, else a one-label wildcard (*.foo.com matches bar.foo.com,
 *      not foo.com nor a.bar.foo.com), else the rules without a host.
 *   3. The path among that host's rules: Exact (equal) or Prefix (element-wise on "/"), the
 *      longest match winning, Exact before Prefix at equal length.
 *   4. No path: the Ingress's defaultBackend, else the controller's own 404.
 *
 * Both the v1 form (service.name / service.port.number|name) and the old v1beta1 form
 * (serviceName / servicePort, `backend`) are read.
 */
import type { ClusterModel, ServiceModel } from '../../model/cluster';
import { message, render, type Message } from '../../i18n/messages';

export interface IngressBackend {
  readonly namespace: string;
  readonly service: string;
  /** The Service port as written: a number or a port name. */
  readonly port: number | string;
}

export interface NormalRule {
  readonly host: string | null;
  readonly paths: readonly { readonly path: string; readonly pathType: 'Exact' | 'Prefix' | 'ImplementationSpecific'; readonly backend: IngressBackend | null }[];
}

export interface NormalIngress {
  readonly namespace: string;
  readonly name: string;
  readonly className: string | null;
  readonly defaultBackend: IngressBackend | null;
  readonly rules: readonly NormalRule[];
  readonly tls: readonly { readonly hosts: readonly string[]; readonly secretName: string | null }[];
  readonly createdIndex: number;
}

export type IngressRoute =
  | {
      readonly kind: 'backend';
      readonly backend: IngressBackend;
      /** The Service's port number (a named port resolved on the Service), or null when it does not exist. */
      readonly servicePort: number | null;
      readonly ingress: string;
      /** "host a.example.com path /abc (Prefix)" or "defaultBackend". */
      readonly matchedRule: string;
      /** `matchedRule` as an `app.ingress.rule*` message (its English is `matchedRule`). */
      readonly matchedRuleMessage: Message;
    }
  | { readonly kind: '404'; readonly reason: string; /** The reason as an `app.ingress.*` message (its English is `reason`). */ readonly reasonMessage: Message };

type Rec = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function backendOf(ns: string, b: unknown): IngressBackend | null {
  if (!b || typeof b !== 'object') return null;
  const o = b as Rec;
  const svc = o['service'] as Rec | undefined;
  if (svc && typeof svc === 'object' && typeof svc['name'] === 'string') {
    const port = (svc['port'] ?? {}) as Rec;
    const p = typeof port['number'] === 'number' ? port['number'] : str(port['name']);
    return p === null ? null : { namespace: ns, service: svc['name'], port: p };
  }
  if (typeof o['serviceName'] === 'string') {
    const sp = o['servicePort'];
    const p = typeof sp === 'number' ? sp : typeof sp === 'string' ? (/^\d+$/.test(sp) ? Number(sp) : sp) : null;
    return p === null ? null : { namespace: ns, service: o['serviceName'], port: p };
  }
  return null;
}

/** An Ingress as the controller reads it, whichever API version it was written in. */
export function normalizeIngress(ing: ClusterModel['ingresses'][number]): NormalIngress {
  const ns = ing.meta.namespace;
  const spec = (ing.spec ?? {}) as Rec;
  const rules = (Array.isArray(spec['rules']) ? spec['rules'] : []) as Rec[];
  const tls = (Array.isArray(spec['tls']) ? spec['tls'] : []) as Rec[];
  return {
    namespace: ns, name: ing.meta.name,
    className: str(spec['ingressClassName']),
    defaultBackend: backendOf(ns, spec['defaultBackend'] ?? spec['backend']),
    rules: rules.map((r) => {
      const http = (r['http'] ?? {}) as Rec;
      const paths = (Array.isArray(http['paths']) ? http['paths'] : []) as Rec[];
      return {
        host: str(r['host'])?.toLowerCase() ?? null,
        paths: paths.map((p) => {
          const t = str(p['pathType']);
          return {
            path: str(p['path']) ?? '/',
            pathType: t === 'Exact' || t === 'Prefix' ? t : 'ImplementationSpecific' as const,
            backend: backendOf(ns, p['backend']),
          };
        }),
      };
    }),
    tls: tls.map((t) => ({ hosts: Array.isArray(t['hosts']) ? (t['hosts'] as unknown[]).filter((h): h is string => typeof h === 'string').map((h) => h.toLowerCase()) : [], secretName: str(t['secretName']) })),
    createdIndex: ing.meta.createdIndex,
  };
}

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** The IngressClass name an Ingress belongs to (null: none, and no default class). */
export function ingressClassOf(model: ClusterModel, ing: ClusterModel['ingresses'][number]): string | null {
  const n = normalizeIngress(ing);
  if (n.className) return n.className;
  const legacy = ing.meta.annotations[LEGACY_CLASS_ANNOTATION];
  if (legacy) return legacy;
  // The admission controller writes the default class into new Ingresses that name none.
  const defaults = model.ingressClasses.filter((c) => c.isDefault);
  return defaults.length === 1 ? defaults[0]!.meta.name : null;
}

/** Does a controller serving `controllerClass` (a class name like "nginx" or a controller like "k8s.io/ingress-nginx") handle this Ingress? */
export function servedBy(model: ClusterModel, ing: ClusterModel['ingresses'][number], controllerClass: string): boolean {
  const cls = ingressClassOf(model, ing);
  if (!cls) return false;
  if (cls === controllerClass) return true;
  const ic = model.ingressClasses.find((c) => c.meta.name === cls);
  return !!ic && ic.controller === controllerClass;
}

/** One-label wildcards: "*.foo.com" matches "bar.foo.com" only. */
export function hostMatches(ruleHost: string, host: string): boolean {
  if (!ruleHost.startsWith('*.')) return ruleHost === host;
  const suffix = ruleHost.slice(1);
  if (!host.endsWith(suffix)) return false;
  const label = host.slice(0, host.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

const elements = (p: string): string[] => p.split('/').filter(Boolean);

/** Element-wise prefix: /foo matches /foo, /foo/ and /foo/bar, not /foobar; "/" matches everything. */
export function prefixMatches(prefix: string, path: string): boolean {
  const a = elements(prefix);
  const b = elements(path);
  if (a.length > b.length) return false;
  return a.every((x, i) => x === b[i]);
}

function servicePortOf(model: ClusterModel, b: IngressBackend): number | null {
  const svc: ServiceModel | undefined = model.services.find((s) => s.meta.namespace === b.namespace && s.meta.name === b.service);
  if (!svc) return null;
  const p = typeof b.port === 'number' ? svc.ports.find((x) => x.port === b.port) : svc.ports.find((x) => x.name === b.port);
  return p ? p.port : null;
}

function notFound(reasonMessage: Message): IngressRoute {
  return { kind: '404', reason: render(reasonMessage, 'en'), reasonMessage };
}

/** The request `host` (Host header, port stripped) and `path` (query stripped) → backend or 404. */
export function routeIngress(model: ClusterModel, controllerClass: string, host: string, path: string): IngressRoute {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  const p = (path.split('?')[0] || '/').replace(/^(?!\/)/, '/');
  const ings = model.ingresses.filter((i) => servedBy(model, i, controllerClass)).map(normalizeIngress).sort((a, b) => a.createdIndex - b.createdIndex);
  if (!ings.length) return notFound(message('app.ingress.noClass', { class: controllerClass }));

  // The host's "server": exact host, else wildcard, else the catch-all server of host-less rules.
  const withRules = (pred: (r: NormalRule) => boolean) => ings.flatMap((i) => i.rules.filter(pred).map((r) => ({ ing: i, rule: r })));
  let picked = withRules((r) => r.host !== null && !r.host.startsWith('*.') && r.host === h);
  let labelHost: string | null = h;
  if (!picked.length) { picked = withRules((r) => r.host !== null && r.host.startsWith('*.') && hostMatches(r.host, h)); labelHost = picked[0]?.rule.host ?? h; }
  if (!picked.length) { picked = withRules((r) => r.host === null); labelHost = null; }
  const label = labelHost === null ? 'any host' : `host ${labelHost}`;

  let best: { ing: NormalIngress; path: NormalRule['paths'][number]; len: number; exact: boolean } | null = null;
  for (const { ing, rule } of picked) {
    for (const rp of rule.paths) {
      const exact = rp.pathType === 'Exact';
      const ok = exact ? rp.path === p : prefixMatches(rp.path, p);
      if (!ok) continue;
      const len = elements(rp.path).join('/').length;
      if (!best || len > best.len || (len === best.len && exact && !best.exact)) best = { ing, path: rp, len, exact };
    }
  }
  if (best && best.path.backend) {
    const rule = labelHost === null ? message('app.ingress.ruleAny', { path: best.path.path, type: best.path.pathType })
      : message('app.ingress.ruleHost', { host: labelHost, path: best.path.path, type: best.path.pathType });
    return { kind: 'backend', backend: best.path.backend, servicePort: servicePortOf(model, best.path.backend), ingress: `${best.ing.namespace}/${best.ing.name}`, matchedRule: render(rule, 'en'), matchedRuleMessage: rule };
  }
  // No path: the defaultBackend of the Ingress that defines this host, else of any Ingress.
  const owner = picked.find((x) => x.ing.defaultBackend)?.ing ?? ings.find((i) => i.defaultBackend);
  if (owner?.defaultBackend) {
    return { kind: 'backend', backend: owner.defaultBackend, servicePort: servicePortOf(model, owner.defaultBackend), ingress: `${owner.namespace}/${owner.name}`, matchedRule: 'defaultBackend', matchedRuleMessage: message('app.ingress.ruleDefault') };
  }
  return notFound(!picked.length ? message('app.ingress.noHost', { host: h })
    : labelHost === null ? message('app.ingress.noPathAny', { path: p }) : message('app.ingress.noPathHost', { host: labelHost, path: p }));
}

/** TLS for a host: the Secret the first Ingress listing the host names, and whether it exists as a TLS Secret. */
export function tlsFor(model: ClusterModel, controllerClass: string, host: string): { ingress: string; secret: string | null; found: boolean } | null {
  const h = host.toLowerCase().replace(/:\d+$/, '');
  for (const ing of model.ingresses.filter((i) => servedBy(model, i, controllerClass)).map(normalizeIngress)) {
    for (const t of ing.tls) {
      if (!t.hosts.some((x) => hostMatches(x, h))) continue;
      const s = t.secretName ? model.secrets.find((x) => x.meta.namespace === ing.namespace && x.meta.name === t.secretName) : undefined;
      return { ingress: `${ing.namespace}/${ing.name}`, secret: t.secretName ? `${ing.namespace}/${t.secretName}` : null, found: !!s && (s.type === 'kubernetes.io/tls' || ('tls.crt' in s.data && 'tls.key' in s.data)) };
    }
  }
  return null;
}
