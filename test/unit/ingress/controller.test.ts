import { describe, expect, it } from 'vitest';
import { ingressControllerObjects } from '../../../src/engine/k8s/ingress/controller';
import { ingressNginxProxy, nginxPage } from '../../../src/engine/k8s/ingress/proxy';
import type { AppContext } from '../../../src/engine/stack/apps';
import { clusterSpec } from '../../../src/engine/scenario/schema/knp';
import { meta, model, pod, simOf, slice, svc } from '../dns/fixture';

describe('ingressControllerObjects', () => {
  it('hostPort DaemonSet by default when the scenario has Ingresses', () => {
    const o = ingressControllerObjects(clusterSpec.parse({}), true);
    expect(o.daemonSets.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['ingress-nginx/ingress-nginx-controller']);
    expect(o.daemonSets[0]!.spec.template.spec.containers[0]!.ports?.map((p) => `${p.containerPort}:${p.hostPort}`)).toEqual(['80:80', '443:443']);
    expect(o.ingressClasses[0]?.spec?.controller).toBe('k8s.io/ingress-nginx');
    expect(o.services).toEqual([]);
  });
  it('NodePort / LoadBalancer: a Deployment behind a Service; none: nothing', () => {
    const np = ingressControllerObjects(clusterSpec.parse({ ingressController: { expose: 'NodePort' } }), false);
    expect(np.deployments).toHaveLength(1);
    expect(np.services[0]?.spec?.type).toBe('NodePort');
    expect(ingressControllerObjects(clusterSpec.parse({ ingressController: { expose: 'LoadBalancer' } }), true).services[0]?.spec?.type).toBe('LoadBalancer');
    expect(ingressControllerObjects(clusterSpec.parse({ ingressController: { expose: 'none' } }), true).namespaces).toEqual([]);
    expect(ingressControllerObjects(clusterSpec.parse({}), false).namespaces).toEqual([]);
  });
});

describe('the controller at layer 7', () => {
  const web1 = pod('default', 'web-1', { ip: '10.244.1.5', labels: { app: 'web' } });
  const web = svc('default', 'web', { clusterIP: '10.96.5.5', ports: [{ name: 'http', port: 80, targetPort: 8080 }] });
  const m = model({
    pods: [web1], services: [web], endpointSlices: [slice(web, [web1])],
    ingressClasses: [{ meta: meta('', 'nginx'), controller: 'k8s.io/ingress-nginx', isDefault: true }],
    ingresses: [{ meta: meta('default', 'web'), spec: { rules: [{ host: 'a.example.com', http: { paths: [{ path: '/abc', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] } }], tls: [{ hosts: ['s.example.com'], secretName: 's' }] } }],
  });
  const ctx = (host: string, path: string, port = 80): AppContext => ({
    sim: simOf(m), ns: {} as AppContext['ns'], protocol: 'tcp',
    listener: { protocol: 'tcp', address: '0.0.0.0', port, owner: 'pod/ingress-nginx/ingress-nginx-controller-abcde', app: { kind: 'proxy', role: 'ingress-nginx' } },
    client: { ip: '192.168.1.100', port: 40000 }, local: { ip: '10.244.1.20', port },
    payload: { kind: 'http-request', method: 'GET', path, host, headers: {} },
  });

  it('relays to an endpoint with X-Forwarded-For', () => {
    const a = ingressNginxProxy(ctx('a.example.com', '/abc/x'));
    expect(a.kind).toBe('relay');
    if (a.kind !== 'relay') return;
    expect(a.to).toEqual({ ip: '10.244.1.5', port: 8080, protocol: 'tcp' });
    expect(a.payload?.kind === 'http-request' && a.payload.headers['X-Forwarded-For']).toBe('192.168.1.100');
    expect(a.summary).toContain('matches host a.example.com path /abc (Prefix) of default/web -> default/web:80 -> endpoint 10.244.1.5:8080');
  });

  it('answers its own 404 page when nothing matches', () => {
    const a = ingressNginxProxy(ctx('b.example.com', '/'));
    expect(a.kind === 'reply' && a.payload).toEqual({ kind: 'http-response', status: 404, body: nginxPage(404), headers: {} });
  });

  it('redirects plain HTTP to HTTPS for a TLS host', () => {
    const a = ingressNginxProxy(ctx('s.example.com', '/p'));
    expect(a.kind === 'reply' && a.payload.kind === 'http-response' && [a.payload.status, a.payload.headers['Location']]).toEqual([308, 'https://s.example.com/p']);
  });
});
