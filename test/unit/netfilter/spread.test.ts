import { describe, expect, it } from 'vitest';
import { netfilterEngine } from '../../../src/engine/netfilter/engine';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import { createRand } from '../../../src/engine/util/rand';
import { nodeNs, tcp } from './fixtures';

const svc = (affinity: boolean): string => {
  const sep = (n: string, ip: string) => [
    `-A KUBE-SEP-${n} -p tcp -m comment --comment "default/web" ${affinity ? `-m recent --set --name KUBE-SEP-${n} --mask 255.255.255.255 --rsource ` : ''}-m tcp -j DNAT --to-destination ${ip}:80`,
  ];
  const check = (n: string) => (affinity ? [`-A KUBE-SVC-WEB -m comment --comment "default/web -> x" -m recent --name KUBE-SEP-${n} --rcheck --seconds 10800 --reap -j KUBE-SEP-${n}`] : []);
  return [
    '*nat', ':OUTPUT ACCEPT [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-SVC-WEB - [0:0]', ':KUBE-SEP-A - [0:0]', ':KUBE-SEP-B - [0:0]', ':KUBE-SEP-C - [0:0]',
    '-A OUTPUT -j KUBE-SERVICES',
    '-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment "default/web cluster IP" -m tcp --dport 80 -j KUBE-SVC-WEB',
    ...check('A'), ...check('B'), ...check('C'),
    '-A KUBE-SVC-WEB -m comment --comment "default/web -> 10.244.1.5:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-A',
    '-A KUBE-SVC-WEB -m comment --comment "default/web -> 10.244.2.5:80" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-B',
    '-A KUBE-SVC-WEB -m comment --comment "default/web -> 10.244.3.5:80" -j KUBE-SEP-C',
    ...sep('A', '10.244.1.5'), ...sep('B', '10.244.2.5'), ...sep('C', '10.244.3.5'),
    'COMMIT', '',
  ].join('\n');
};

function connect(ns: ReturnType<typeof nodeNs>, src: string, sport: number, rand: () => number, now = 0): string {
  const v = netfilterEngine.runHook(ns, 'OUTPUT', tcp(src, sport, '10.96.0.50', 80), { now, random: rand, outDev: 'eth0' }, () => {});
  return v.packet.ip!.dst;
}

describe('kube-proxy style load balancing', () => {
  it('spreads connections over three endpoints with the seeded statistic match', () => {
    const ns = nodeNs();
    expect(iptablesRestore(ns, svc(false))).toEqual({ ok: true });
    const r = createRand(42);
    const counts = new Map<string, number>();
    for (let i = 0; i < 3000; i++) {
      const dst = connect(ns, '192.168.1.10', 10000 + i, () => r.next());
      counts.set(dst, (counts.get(dst) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['10.244.1.5', '10.244.2.5', '10.244.3.5']);
    for (const n of counts.values()) { expect(n).toBeGreaterThan(850); expect(n).toBeLessThan(1150); }
  });

  it('is deterministic for a seed', () => {
    const pick = () => {
      const ns = nodeNs();
      iptablesRestore(ns, svc(false));
      const r = createRand(9);
      return Array.from({ length: 20 }, (_, i) => connect(ns, '192.168.1.10', 20000 + i, () => r.next()));
    };
    expect(pick()).toEqual(pick());
  });

  it('pins a client to one endpoint with -m recent (ClientIP affinity) until the timeout', () => {
    const ns = nodeNs();
    expect(iptablesRestore(ns, svc(true))).toEqual({ ok: true });
    const r = createRand(3);
    const first = connect(ns, '192.168.1.10', 30000, () => r.next());
    for (let i = 1; i < 50; i++) expect(connect(ns, '192.168.1.10', 30000 + i, () => r.next(), i * 1000)).toBe(first);
    // After 10800 s without a hit the entry is reaped and the statistic rules decide again.
    const later = new Set<string>();
    for (let i = 0; i < 30; i++) later.add(connect(ns, `192.168.1.${20 + i}`, 40000, () => r.next(), 20_000_000));
    expect(later.size).toBeGreaterThan(1);
  });
});
