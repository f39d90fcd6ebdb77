/**
 * The netfilter engine inside a real packet walk: the default playground scenario with
 * kube-proxy's rules restored on each node (as the kube-proxy installer does at build time).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine, walk, type Sim } from '../../../src/engine/index';
import { kubeProxyIptables } from '../../../src/engine/k8s/kubeproxy/iptables';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';

const HOOKS = `*nat
:PREROUTING ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-POSTROUTING - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
COMMIT
*filter
:FORWARD ACCEPT [0:0]
:KUBE-FORWARD - [0:0]
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
COMMIT
`;

function playground(): Sim {
  const { sim } = buildSim(readFileSync(join(__dirname, '../../../content/scenarios/default.yaml'), 'utf8'));
  for (const node of sim.model.nodes) {
    const ns = sim.net.namespaces.get(`node/${node.name}`)!;
    expect(iptablesRestore(ns, HOOKS)).toEqual({ ok: true });
    expect(iptablesRestore(ns, kubeProxyIptables(sim.model, node), { noflush: true })).toEqual({ ok: true });
  }
  return sim;
}

const svcIP = (sim: Sim, name: string): string => sim.model.services.find((s) => s.meta.name === name)!.clusterIP!;

describe('netfilter in the walk', () => {
  it('Pod → ClusterIP: DNAT to an endpoint on the way out, un-DNAT on the way back', () => {
    const sim = playground();
    const t = walk(sim, { from: 'pod/default/client', to: `http://${svcIP(sim, 'my-nginx')}/` });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toMatch(/^pod\/default\/my-nginx-/);
    expect(t.events.some((e) => e.type === 'nat' && e.summary.startsWith(`DNAT dst ${svcIP(sim, 'my-nginx')}:80 →`))).toBe(true);
    expect(t.events.some((e) => e.type === 'conntrack' && e.summary.includes('un-DNAT'))).toBe(true);
    expect(t.rulesEvaluated).toBeGreaterThan(0);
  });

  it('external host → NodePort is DNATed and masqueraded', () => {
    const sim = playground();
    const t = walk(sim, { from: 'host/laptop', to: 'http://192.168.1.11:30080/' });
    expect(t.verdict).toBe('delivered');
    expect(t.seenSource?.startsWith('203.0.113.10')).toBe(false);
  });

  it('a learner\'s iptables -I FORWARD 1 ... -j DROP stops the next connection; -D restores it', () => {
    const sim = playground();
    const client = sim.model.pods.find((p) => p.meta.name === 'client')!;
    const to = `http://${svcIP(sim, 'my-nginx')}/`;
    const node = { kind: 'node', name: client.nodeName! } as const;
    expect(runLine(sim, node, `iptables -I FORWARD 1 -s ${client.podIP} -j DROP`).exitCode).toBe(0);
    expect(walk(sim, { from: 'pod/default/client', to }).verdict).not.toBe('delivered');
    expect(runLine(sim, node, `iptables -D FORWARD -s ${client.podIP} -j DROP`).exitCode).toBe(0);
    expect(walk(sim, { from: 'pod/default/client', to }).verdict).toBe('delivered');
    // The conntrack table of the client's node shows the connection that went through.
    expect(runLine(sim, node, 'conntrack -L -p tcp').stdout).toContain(`dst=${svcIP(sim, 'my-nginx')} sport=`);
  });
});
