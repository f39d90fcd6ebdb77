/** The per-Service cache must never change the output: regenerated text equals a fresh sync. */
import { describe, expect, it } from 'vitest';
import { KubeProxyCache, kubeProxyIptables } from '../../../src/engine/agents/kubeproxy/iptables';
import { sameData } from '../../../src/engine/util/equal';
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

  it('a rebuilt model (equal copies of every object) reuses blocks, and a changed copy does not', () => {
    const cache = new KubeProxyCache();
    const m1 = model({ nodes: [node1], services, slices });
    const first = kubeProxyIptables(m1, node1, { cache });
    const copy = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;
    const sv2 = services.map(copy);
    const sl2 = slices.map(copy);
    sl2[3] = slice(sl2[3]!.meta.namespace, 'svc-3', [ep('10.244.8.8')], [{ name: 'http', port: 8080 }]);
    const m2 = model({ nodes: [node1], services: sv2, slices: sl2 });
    const again = kubeProxyIptables(m2, node1, { cache });
    expect(again).toBe(kubeProxyIptables(m2, node1));
    expect(again).toContain('10.244.8.8:8080');
    expect(again).not.toBe(first);
    const m3 = model({ nodes: [node1], services: sv2.map(copy), slices: sl2.map(copy) });
    expect(kubeProxyIptables(m3, node1, { cache })).toBe(again);
  });
});

describe('sameData', () => {
  it('is JSON equality that stops early and errs towards different', () => {
    expect(sameData({ a: [1, 'x', null, { b: true }] }, { a: [1, 'x', null, { b: true }] })).toBe(true);
    expect(sameData({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameData([1, 2], [1, 2, 3])).toBe(false);
    expect(sameData({ a: [1] }, { a: { 0: 1 } })).toBe(false);
    expect(sameData({ a: undefined }, {})).toBe(false);
    expect(sameData(new Map([[1, 2]]), new Map([[1, 2]]))).toBe(false);
    expect(sameData(Number.NaN, Number.NaN)).toBe(false);
    expect(sameData('10.0.0.1', '10.0.0.1')).toBe(true);
  });
});
