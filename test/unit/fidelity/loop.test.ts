/**
 * Issue 16: a routing loop ends as Linux ends it. Each forward takes one off the TTL; the node
 * where it reaches zero sends ICMP time exceeded, and the error finds its way back to the Pod
 * through the masquerading node's conntrack (RELATED), even when the packet looped back through
 * that node and left a fresh, never-confirmed entry with the same reply tuple behind.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine, walk } from '../../../src/engine';

const yaml = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');

function looped() {
  const { sim } = buildSim(yaml);
  runLine(sim, { kind: 'node', name: 'node-1' }, 'ip route add 10.99.0.0/16 via 192.168.1.12');
  runLine(sim, { kind: 'node', name: 'node-2' }, 'ip route add 10.99.0.0/16 via 192.168.1.11');
  return sim;
}
const client = { kind: 'pod', namespace: 'default', name: 'client' } as const;

describe('a routing loop between two nodes', () => {
  it('ping -t 5 from a Pod prints "Time to live exceeded" from the node where the TTL ran out', () => {
    const out = runLine(looped(), client, 'ping -c 2 -t 5 10.99.0.1').stdout;
    // client runs on node-2: 5 → node-2 (4) → node-1 (3) → node-2 (2) → node-1 (1) → node-2 expires it.
    expect(out).toContain('From 192.168.1.12 icmp_seq=1 Time to live exceeded');
    expect(out).toContain('2 packets transmitted, 0 received, +2 errors, 100% packet loss');
  });

  it('traceroute from a Pod shows the two nodes alternating, not * * *', () => {
    const out = runLine(looped(), client, 'traceroute -m 6 10.99.0.1').stdout;
    const hops = out.split('\n').slice(1).filter(Boolean).map((l) => l.trim().split(/\s+/)[1]);
    expect(hops).toEqual(['10.244.1.1', '192.168.1.11', '192.168.1.12', '192.168.1.11', '192.168.1.12', '192.168.1.11']);
  });

  it('the time exceeded is RELATED to the masqueraded connection and un-SNATed to the Pod', () => {
    const t = walk(looped(), { from: 'pod/default/client', to: '10.99.0.1', protocol: 'icmp', ttl: 3 });
    expect(t.verdict).toBe('unreachable');
    expect(t.reason).toContain('time to live exceeded (ICMP from 192.168.1.12)');
    expect(t.events.some((e) => e.flow === 'icmp-error' && e.type === 'conntrack' && /RELATED reply/.test(e.summary))).toBe(true);
    expect(t.events.some((e) => e.flow === 'icmp-error' && e.type === 'deliver' && e.where.machine === 'pod/default/client')).toBe(true);
  });
});
