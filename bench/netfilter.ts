/**
 * Netfilter at kube-proxy scale: 2,000 ClusterIP Services × 5 endpoints (about 34,000 nat rules
 * in iptables-restore text, the shape kube-proxy writes). Measures parse + restore of the whole
 * ruleset and one packet (the first of a connection, so the nat table runs) through OUTPUT.
 */
import { netfilterEngine } from '../src/engine/netfilter/engine';
import type { Packet } from '../src/engine/net/packet';
import type { NetNs } from '../src/engine/net/types';
import { forgetParsedLines, iptablesRestore } from '../src/engine/netfilter/restore';
import { createRand } from '../src/engine/util/rand';
import { time, type Bench } from './harness';
import { detailRecord } from '../src/engine/trace/types';

export function kubeRuleset(services: number, endpoints: number): string {
  const l: string[] = ['*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
    ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]', ':KUBE-POSTROUTING - [0:0]'];
  const rules: string[] = [
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  ];
  for (let s = 0; s < services; s++) {
    const vip = `10.96.${s >> 8}.${s & 255}`;
    const svc = `KUBE-SVC-${String(s).padStart(16, 'A')}`;
    const name = `ns${s % 10}/svc-${s}:http`;
    l.push(`:${svc} - [0:0]`);
    rules.push(`-A KUBE-SERVICES -d ${vip}/32 -p tcp -m comment --comment "${name} cluster IP" -m tcp --dport 80 -j ${svc}`);
    rules.push(`-A ${svc} ! -s 10.244.0.0/16 -d ${vip}/32 -p tcp -m comment --comment "${name} cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`);
    for (let e = 0; e < endpoints; e++) {
      const ep = `10.244.${(s * endpoints + e) >> 8 & 255}.${(s * endpoints + e) & 255}`;
      const sep = `KUBE-SEP-${String(s * endpoints + e).padStart(16, 'B')}`;
      l.push(`:${sep} - [0:0]`);
      const left = endpoints - e;
      rules.push(left > 1
        ? `-A ${svc} -m comment --comment "${name} -> ${ep}:8080" -m statistic --mode random --probability ${(1 / left).toFixed(11)} -j ${sep}`
        : `-A ${svc} -m comment --comment "${name} -> ${ep}:8080" -j ${sep}`);
      rules.push(`-A ${sep} -s ${ep}/32 -m comment --comment "${name}" -j KUBE-MARK-MASQ`);
      rules.push(`-A ${sep} -p tcp -m comment --comment "${name}" -m tcp -j DNAT --to-destination ${ep}:8080`);
    }
  }
  rules.push('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS'.replace(' -j KUBE-NODEPORTS', ' -j RETURN'));
  return [...l, ...rules, 'COMMIT', ''].join('\n');
}

function emptyNs(): NetNs {
  return { id: 'node/bench', owner: { kind: 'node', name: 'bench' }, machine: 'node/bench', links: [], routes: [], neigh: [], sysctl: {}, listeners: [], nextIfindex: 1 };
}

export const bench: Bench = () => {
  const text = kubeRuleset(2000, 5);
  const ruleCount = text.split('\n').filter((x) => x.startsWith('-A')).length;
  const restore = time('netfilter: parse + restore kube-proxy ruleset (lines never seen)', () => {
    forgetParsedLines();
    const r = iptablesRestore(emptyNs(), text);
    if (!r.ok) throw new Error(r.error);
  }, { runs: 5, warmup: 1, note: `${ruleCount} rules` });
  const again = time('netfilter: restore the same ruleset again (a rebuild: lines parsed before)', () => {
    const r = iptablesRestore(emptyNs(), text);
    if (!r.ok) throw new Error(r.error);
  }, { runs: 5, warmup: 1, note: `${ruleCount} rules` });
  const ns = emptyNs();
  iptablesRestore(ns, text);
  const rand = createRand(1);
  let port = 1024;
  let evaluated = 0;
  const packet = (): Packet => ({
    ip: { version: 4, src: '10.244.200.9', dst: '10.96.7.207', ttl: 64, protocol: 6, id: 1, df: true, tos: 0, length: 60 },
    tcp: { sport: port++, dport: 80, seq: 0, ack: 0, flags: { syn: true }, window: 64240 },
  });
  const trace = time('netfilter: one new connection through OUTPUT (nat)', () => {
    evaluated = 0;
    netfilterEngine.runHook(ns, 'OUTPUT', packet(), { now: 0, random: () => rand.next(), outDev: 'eth0' }, (e) => {
      if (e.type === 'netfilter') evaluated += Number(detailRecord(e)['evaluated'] ?? 0);
    });
  }, { runs: 200, warmup: 20, targetMs: 1 });
  // kube-proxy's partial sync after one Service changes: its chains rewritten with --noflush.
  const partial = ['*nat', ':KUBE-SVC-AAAAAAAAAAAAAAA7 - [0:0]', ':KUBE-SEP-BBBBBBBBBBBBBB35 - [0:0]',
    '-A KUBE-SVC-AAAAAAAAAAAAAAA7 -m comment --comment "ns7/svc-7:http -> 10.244.0.99:8080" -j KUBE-SEP-BBBBBBBBBBBBBB35',
    '-A KUBE-SEP-BBBBBBBBBBBBBB35 -p tcp -m comment --comment "ns7/svc-7:http" -m tcp -j DNAT --to-destination 10.244.0.99:8080',
    'COMMIT', ''].join('\n');
  const resync = time('netfilter: --noflush restore of one Service into the full ruleset', () => {
    const r = iptablesRestore(ns, partial, { noflush: true });
    if (!r.ok) throw new Error(r.error);
  }, { runs: 20, warmup: 3, targetMs: 5 });
  return [restore, again, { ...trace, note: `${evaluated} rules evaluated (linear count)` }, resync];
};
