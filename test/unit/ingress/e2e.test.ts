/** Ingress through the walk: external client → node:80 (hostPort) → ingress-nginx Pod → backend Pod. */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import { walk } from '../../../src/engine/stack/walk';
import { nginxPage } from '../../../src/engine/agents/ingress/proxy';
import { ingressYaml as yaml } from './scenario';


describe('ingress-nginx through the walk', () => {
  const { sim } = buildSim(yaml());
  const webPods = sim.model.pods.filter((p) => p.meta.labels['app'] === 'web').map((p) => `pod/default/${p.meta.name}`);

  it('curl -H Host from outside reaches a backend through the controller', () => {
    const t = walk(sim, { from: 'host/laptop', to: 'http://192.168.1.11/abc/x', http: { headers: { Host: 'a.example.com' } } });
    expect(t.verdict).toBe('delivered');
    expect(webPods).toContain(t.responder);
    // The backend saw the controller Pod's address: a new connection, not the client's.
    const ctrl = sim.model.pods.find((p) => p.meta.namespace === 'ingress-nginx' && p.nodeName === 'node-1')!;
    expect(t.seenSource?.split(':')[0]).toBe(ctrl.podIP);
    const relayed = t.events.find((e) => e.flow.startsWith('relay:') && e.packet?.payload?.kind === 'http-request');
    expect(relayed?.packet?.payload?.kind === 'http-request' && relayed.packet.payload.headers['X-Forwarded-For']).toBe('203.0.113.10');
    expect(t.events.some((e) => e.summary.includes('matches host a.example.com path /abc (Prefix) of default/web'))).toBe(true);
  });

  it('curl --resolve pins the name to a node; the Host header comes from the URL', () => {
    const r = runLine(sim, { kind: 'host', name: 'laptop' }, 'curl -s --resolve a.example.com:80:192.168.1.12 http://a.example.com/abc');
    expect(r.stdout).toMatch(/^Hostname: web-/);
  });

  it('no matching rule: the controller\'s own 404', () => {
    const r = runLine(sim, { kind: 'host', name: 'laptop' }, "curl -s -H 'Host: b.example.com' http://192.168.1.11/abc");
    expect(r.stdout).toBe(nginxPage(404));
  });

  it('a TLS host: plain HTTP is redirected, HTTPS is terminated at the controller', () => {
    const http = walk(sim, { from: 'host/laptop', to: 'http://192.168.1.11/', http: { headers: { Host: 's.example.com' } } });
    expect(http.events.some((e) => e.summary.includes('308 to https://s.example.com/'))).toBe(true);
    const https = walk(sim, { from: 'host/laptop', to: 'https://192.168.1.11/', http: { headers: { Host: 's.example.com' } } });
    expect(https.verdict).toBe('delivered');
    expect(webPods).toContain(https.responder);
    expect(https.events.some((e) => e.summary.includes('TLS terminated with default/s-tls'))).toBe(true);
  });

  it('NodePort exposure: the same routing behind the controller Service', () => {
    const s2 = buildSim(yaml('NodePort')).sim;
    const svc = s2.model.services.find((s) => s.meta.namespace === 'ingress-nginx')!;
    const np = svc.ports.find((p) => p.port === 80)!.nodePort!;
    const t = walk(s2, { from: 'host/laptop', to: `http://192.168.1.12:${np}/abc`, http: { headers: { Host: 'a.example.com' } } });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toMatch(/^pod\/default\/web-/);
  });
});
