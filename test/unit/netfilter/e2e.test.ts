/**
 * The netfilter engine inside a real packet walk: the default playground scenario, whose nodes
 * get kube-proxy's rules through iptablesRestore when the simulation is built.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine, walk, type Sim } from '../../../src/engine/index';

function playground(): Sim {
  const { sim } = buildSim(readFileSync(join(__dirname, '../../../content/scenarios/default.yaml'), 'utf8'));
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

  it('node → ClusterIP of a hostNetwork endpoint on the same node is masqueraded to the node address, not 127.0.0.1', () => {
    const sim = playground();
    const t = walk(sim, { from: 'node/node-1', to: 'https://10.96.0.1/' });
    expect(t.verdict).toBe('delivered');
    expect(t.seenSource?.startsWith('192.168.1.11:')).toBe(true);
    expect(runLine(sim, { kind: 'node', name: 'node-1' }, 'conntrack -L -d 10.96.0.1').stdout).toMatch(/^tcp {6}6 \d+ TIME_WAIT src=192\.168\.1\.11 dst=10\.96\.0\.1 sport=\d+ dport=443 src=192\.168\.1\.11 dst=192\.168\.1\.11 sport=6443 dport=\d+ \[ASSURED\] mark=0 use=1\n$/);
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
