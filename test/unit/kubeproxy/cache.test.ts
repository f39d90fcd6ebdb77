/** The per-Service cache must never change the output: regenerated text equals a fresh sync. */
import { describe, expect, it } from 'vitest';
import { KubeProxyCache, kubeProxyIptables } from '../../../src/engine/agents/kubeproxy/iptables';
import { ep, model, node, port, service, slice } from './fixtures';

const node1 = node('node-1', '192.168.1.11', '10.244.1.0/24');
const services = Array.from({ length: 150 }, (_, i) => service(`ns-${i % 7}`, `svc-${i}`, `10.96.1.${i}`, [port('http', 80, { targetPort: 8080 })]));
const slices = services.map((s, i) => slice(s.meta.namespace, s.meta.name, Array.from({ length: 1 + (i % 4) }, (_, k) => ep(`10.244.${k}.${i}`)), [{ name: 'http', port: 8080 }]));

describe('KubeProxyCache', () => {
  it('regeneration after a change equals a fresh sync', () => {
    const cache = new KubeProxyCache();
    const m1 = model({ nodes: [node1], services, slices });
    expect(kubeProxyIptables(m1, node1, { cache })).toBe(kubeProxyIptables(m1, node1));
    // one Service's endpoints change, one Service is deleted, one is added
    const s2 = slices.slice();
    s2[42] = slice('ns-0', 'svc-42', [ep('10.244.9.9')], [{ name: 'http', port: 9090 }]);
    const sv2 = services.filter((_, i) => i !== 7).concat(service('ns-0', 'aaa-new', '10.96.2.1', [port('dns', 53, { protocol: 'UDP' })]));
    const m2 = model({ nodes: [node1], services: sv2, slices: s2.concat(slice('ns-0', 'aaa-new', [ep('10.244.3.3')], [{ name: 'dns', port: 53, protocol: 'UDP' }])) });
    const regen = kubeProxyIptables(m2, node1, { cache });
    expect(regen).toBe(kubeProxyIptables(m2, node1));
    expect(regen).toContain('10.244.9.9:9090');
    expect(regen).not.toContain('ns-0/svc-7:');
    expect(regen).toContain('ns-0/aaa-new:dns');
    // a settings change drops the cache
    const m3 = model({ spec: { kubeProxy: { masqueradeAll: true } }, nodes: [node1], services: sv2, slices: s2 });
    expect(kubeProxyIptables(m3, node1, { cache })).toBe(kubeProxyIptables(m3, node1));
  });
});
