import { describe, expect, it } from 'vitest';
import { routeIngress, tlsFor, hostMatches, prefixMatches, ingressClassOf } from '../../../src/engine/agents/ingress/route';
import type { ClusterModel } from '../../../src/engine/model/cluster';
import { meta, model, svc } from '../dns/fixture';

type Spec = ClusterModel['ingresses'][number]['spec'];
const ing = (name: string, spec: Record<string, unknown>, annotations: Record<string, string> = {}, ns = 'default') => ({ meta: meta(ns, name, {}, annotations), spec: spec as Spec });
const be = (name: string, port: number | string = 80) => ({ service: { name, port: typeof port === 'number' ? { number: port } : { name: port } } });
const nginx = { meta: meta('', 'nginx'), controller: 'k8s.io/ingress-nginx', isDefault: false };

function cluster(ingresses: ClusterModel['ingresses'], classes = [nginx]): ClusterModel {
  return model({
    services: ['a', 'b', 'c', 'd', 'def', 'wild'].map((n) => svc('default', n, { clusterIP: '10.96.1.1', ports: [{ name: 'http', port: 80 }, { name: 'alt', port: 8080 }] })),
    ingresses, ingressClasses: classes,
  });
}

const to = (r: ReturnType<typeof routeIngress>): string => (r.kind === '404' ? '404' : `${r.backend.service}:${r.servicePort} (${r.matchedRule})`);

describe('Ingress path matching (spec examples)', () => {
  it('element-wise Prefix', () => {
    expect(prefixMatches('/foo', '/foo')).toBe(true);
    expect(prefixMatches('/foo', '/foo/')).toBe(true);
    expect(prefixMatches('/foo/', '/foo')).toBe(true);
    expect(prefixMatches('/foo', '/foo/bar')).toBe(true);
    expect(prefixMatches('/foo', '/foobar')).toBe(false);
    expect(prefixMatches('/aaa/bb', '/aaa/bbb')).toBe(false);
    expect(prefixMatches('/aaa/bbb', '/aaa/bbb/')).toBe(true);
    expect(prefixMatches('/', '/anything')).toBe(true);
  });

  it('one-label wildcards', () => {
    expect(hostMatches('*.foo.com', 'bar.foo.com')).toBe(true);
    expect(hostMatches('*.foo.com', 'baz.bar.foo.com')).toBe(false);
    expect(hostMatches('*.foo.com', 'foo.com')).toBe(false);
  });

  const m = cluster([ing('main', {
    ingressClassName: 'nginx',
    defaultBackend: be('def'),
    rules: [
      { host: 'a.example.com', http: { paths: [
        { path: '/', pathType: 'Prefix', backend: be('a') },
        { path: '/abc', pathType: 'Prefix', backend: be('b') },
        { path: '/abc', pathType: 'Exact', backend: be('c') },
        { path: '/abc/def', pathType: 'Prefix', backend: be('d', 'alt') },
      ] } },
      { host: '*.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('wild') }] } },
      { http: { paths: [{ path: '/any', pathType: 'Exact', backend: be('a') }] } },
      { host: 'only-exact.example.com', http: { paths: [{ path: '/x', pathType: 'Exact', backend: be('a') }] } },
    ],
  })]);

  it('the longest match wins; Exact beats Prefix at equal length', () => {
    expect(to(routeIngress(m, 'nginx', 'a.example.com', '/abc'))).toBe('c:80 (host a.example.com path /abc (Exact))');
    expect(to(routeIngress(m, 'nginx', 'a.example.com', '/abc/'))).toBe('b:80 (host a.example.com path /abc (Prefix))');
    expect(to(routeIngress(m, 'nginx', 'a.example.com', '/abc/def/g'))).toBe('d:8080 (host a.example.com path /abc/def (Prefix))');
    expect(to(routeIngress(m, 'nginx', 'a.example.com', '/abcd'))).toBe('a:80 (host a.example.com path / (Prefix))');
  });

  it('host is case-insensitive, port stripped; exact host before wildcard before host-less rules', () => {
    expect(to(routeIngress(m, 'nginx', 'A.Example.COM:80', '/abc'))).toBe('c:80 (host a.example.com path /abc (Exact))');
    expect(to(routeIngress(m, 'nginx', 'z.example.com', '/abc'))).toBe('wild:80 (host *.example.com path / (Prefix))');
    expect(to(routeIngress(m, 'nginx', 'x.y.example.com', '/any'))).toBe('a:80 (any host path /any (Exact))');
  });

  it('defaultBackend when no path matches', () => {
    expect(to(routeIngress(m, 'nginx', 'only-exact.example.com', '/y'))).toBe('def:80 (defaultBackend)');
    expect(to(routeIngress(m, 'nginx', '1.2.3.4', '/nothing'))).toBe('def:80 (defaultBackend)');
  });

  it('the controller\'s own 404 without a defaultBackend', () => {
    const m2 = cluster([ing('x', { ingressClassName: 'nginx', rules: [{ host: 'a.example.com', http: { paths: [{ path: '/abc', pathType: 'Exact', backend: be('a') }] } }] })]);
    expect(routeIngress(m2, 'nginx', 'a.example.com', '/abc/')).toMatchObject({ kind: '404', reason: 'no path of host a.example.com matches /abc/', reasonMessage: { code: 'app.ingress.noPathHost' } });
    expect(routeIngress(m2, 'nginx', 'b.example.com', '/abc')).toMatchObject({ kind: '404', reason: 'no rule matches host b.example.com', reasonMessage: { code: 'app.ingress.noHost' } });
  });

  it('rules from several Ingresses for one host merge', () => {
    const m2 = cluster([
      ing('one', { ingressClassName: 'nginx', rules: [{ host: 'h.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('a') }] } }] }),
      ing('two', { ingressClassName: 'nginx', rules: [{ host: 'h.example.com', http: { paths: [{ path: '/api', pathType: 'Prefix', backend: be('b') }] } }] }),
    ]);
    const r = routeIngress(m2, 'nginx', 'h.example.com', '/api/v1');
    expect(r.kind === 'backend' && `${r.ingress} ${r.backend.service}`).toBe('default/two b');
  });
});

describe('IngressClass selection', () => {
  const rule = { rules: [{ http: { paths: [{ path: '/', pathType: 'Prefix', backend: be('a') }] } }] };
  it('spec.ingressClassName, then the legacy annotation, then the default class', () => {
    const other = { meta: meta('', 'traefik'), controller: 'traefik.io/ingress-controller', isDefault: false };
    const m = cluster([
      ing('named', { ...rule, ingressClassName: 'traefik' }),
      ing('legacy', rule, { 'kubernetes.io/ingress.class': 'nginx' }),
      ing('plain', rule),
    ], [nginx, other]);
    expect(m.ingresses.map((i) => ingressClassOf(m, i))).toEqual(['traefik', 'nginx', null]);
    const withDefault = { ...m, ingressClasses: [{ ...nginx, isDefault: true }, other] };
    expect(ingressClassOf(withDefault, m.ingresses[2]!)).toBe('nginx');
  });

  it('a controller only routes its own class (by class name or controller name)', () => {
    const m = cluster([ing('t', { ...rule, ingressClassName: 'traefik' })]);
    expect(routeIngress(m, 'nginx', 'x', '/').kind).toBe('404');
    const m2 = cluster([ing('n', { ...rule, ingressClassName: 'nginx' })]);
    expect(routeIngress(m2, 'k8s.io/ingress-nginx', 'x', '/').kind).toBe('backend');
  });

  it('the old serviceName/servicePort form and `backend`', () => {
    const m = cluster([ing('old', {
      backend: { serviceName: 'def', servicePort: 80 },
      rules: [{ host: 'old.example.com', http: { paths: [{ path: '/app', backend: { serviceName: 'b', servicePort: 'alt' } }] } }],
    }, { 'kubernetes.io/ingress.class': 'nginx' })]);
    expect(to(routeIngress(m, 'nginx', 'old.example.com', '/app/x'))).toBe('b:8080 (host old.example.com path /app (ImplementationSpecific))');
    expect(to(routeIngress(m, 'nginx', 'other', '/'))).toBe('def:80 (defaultBackend)');
  });
});

describe('TLS', () => {
  it('finds the Secret named for the host', () => {
    const m = { ...cluster([ing('t', { ingressClassName: 'nginx', tls: [{ hosts: ['secure.example.com'], secretName: 'secure-tls' }], rules: [] })]), secrets: [{ meta: meta('default', 'secure-tls'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }] };
    expect(tlsFor(m, 'nginx', 'secure.example.com')).toEqual({ ingress: 'default/t', secret: 'default/secure-tls', found: true });
    expect(tlsFor({ ...m, secrets: [] }, 'nginx', 'secure.example.com')?.found).toBe(false);
    expect(tlsFor(m, 'nginx', 'plain.example.com')).toBeNull();
  });
});
