/** How the tier compares answers, and what a disagreement looks like (no kernel needed). */
import { describe, expect, it } from 'vitest';
import type { LabProbe } from '../../src/engine/lab/export';
import type { Trace } from '../../src/engine/trace/types';
import { collapseTunnelEntries, disagreement } from './compare';
import { normaliseConntrack } from './harness';

const probe: LabProbe = { name: 'web', fromNs: 'pod/default/client', protocol: 'tcp', ip: '10.96.0.10', port: 80 };
const trace = (verdict: Trace['verdict'], responder: string | null, seenSource: string | null): Trace => ({
  from: 'pod/default/client', to: 'http://10.96.0.10', protocol: 'tcp', verdict, responder, seenSource, events: [], path: [], replyPath: [], rulesEvaluated: 0,
});

describe('kernel tier comparison', () => {
  it('agrees on the same verdict, responder and seen address (ports are each kernel\'s own)', () => {
    expect(disagreement('t', probe, trace('delivered', 'pod/default/web-1', '10.244.1.5:40000'), { probe: 'web', verdict: 'delivered', responder: 'pod/default/web-1', seenSource: '10.244.1.5:51234' }, null)).toBeNull();
  });

  it('treats a silent drop in the simulator as a timeout on the kernel', () => {
    expect(disagreement('t', probe, trace('dropped', null, null), { probe: 'web', verdict: 'timeout', responder: null, seenSource: null }, null)).toBeNull();
  });

  it('prints both answers side by side when NAT differs', () => {
    const d = disagreement('grid/x / web', probe, trace('delivered', 'pod/default/web-1', '10.244.1.5:40000'), { probe: 'web', verdict: 'delivered', responder: 'pod/default/web-1', seenSource: '10.244.1.1:40000' }, null);
    expect(d).toBe([
      'grid/x / web: seen source address differ',
      '              simulator          kernel',
      '  verdict     delivered          delivered',
      '  responder   pod/default/web-1  pod/default/web-1',
      '  seenSource  10.244.1.5:40000   10.244.1.1:40000   <-- differs',
    ].join('\n'));
  });

  it('compares who sent the ICMP error when both pings got one', () => {
    const ping: LabProbe = { name: 'far', fromNs: 'node/node-1', protocol: 'icmp', ip: 'fd00:99::1', port: 0 };
    const err = (src: string): Trace => ({
      ...trace('unreachable', null, null),
      events: [{ type: 'deliver', flow: 'icmp-error', packet: { ip: { version: 6, src, dst: 'fd00:192:168:1::11', ttl: 64, protocol: 58, id: 0, df: true, tos: 0, length: 76 } } } as unknown as Trace['events'][number]],
    });
    const lab = { probe: 'far', verdict: 'unreachable' as const, responder: null, seenSource: null, icmpFrom: 'fd00:192:168:1::1' };
    expect(disagreement('t', ping, err('fd00:192:168:1::1'), lab, null)).toBeNull();
    const d = disagreement('t', ping, err('fd00:192:168:1::12'), lab, null);
    expect(d).toContain('ICMP error sender differ');
    expect(d).toContain('icmpFrom    fd00:192:168:1::12');
    // The simulator's own errno (no neighbour answered) is the kernel's ICMP error to itself.
    const local: Trace = { ...trace('unreachable', null, null), events: [{ type: 'send', packet: { ip: { version: 6, src: 'fd00:192:168:1::11', dst: 'fd00:99::1', ttl: 64, protocol: 58, id: 0, df: true, tos: 0, length: 64 } } } as unknown as Trace['events'][number]] };
    expect(disagreement('t', ping, local, { ...lab, icmpFrom: 'fd00:192:168:1::11' }, null)).toBeNull();
    expect(disagreement('t', ping, local, lab, null)).toContain('ICMP error sender differ');
  });

  it('accepts any endpoint when several may answer, but not a stranger', () => {
    const eps = ['pod/default/web-1', 'pod/default/web-2'];
    expect(disagreement('t', probe, trace('delivered', 'pod/default/web-1', '10.244.1.5:1'), { probe: 'web', verdict: 'delivered', responder: 'pod/default/web-2', seenSource: '10.244.1.5:2' }, eps)).toBeNull();
    expect(disagreement('t', probe, trace('delivered', 'pod/default/web-1', '10.244.1.5:1'), { probe: 'web', verdict: 'delivered', responder: 'pod/default/db-1', seenSource: '10.244.1.5:2' }, eps)).toContain('kernel responder not among');
  });

  it('keeps only the shape of a conntrack entry', () => {
    expect(normaliseConntrack('tcp      6 119 TIME_WAIT src=10.2.1.2 dst=10.2.1.1 sport=40000 dport=8080 src=10.2.2.2 dst=10.2.2.1 sport=80 dport=40000 [ASSURED] mark=0 use=1'))
      .toBe('tcp 10.2.1.2 > 10.2.1.1:8080 | reply 10.2.2.2:80 > 10.2.2.1');
  });

  it('takes outer tunnel entries modulo their source port, and nothing else', () => {
    const vx = 'node/node-1 udp 192.168.1.12 > 192.168.1.11:6784 | reply 192.168.1.11:6784 > 192.168.1.12';
    const back = 'node/node-1 udp 192.168.1.11 > 192.168.1.12:6784 | reply 192.168.1.12:6784 > 192.168.1.11';
    const dns = 'node/node-1 udp 10.32.0.2 > 10.96.0.10:53 | reply 10.32.0.5:53 > 10.32.0.2';
    const syn = 'node/node-2 tcp 10.40.0.2 > 10.32.0.4:80 | reply 10.32.0.4:80 > 10.40.0.2';
    // Four SYNs rehashed to four outer ports are one outer flow; two DNS queries stay two.
    expect(collapseTunnelEntries([vx, vx, vx, vx, back, dns, dns, syn], new Set([6784]))).toEqual([vx, back, dns, dns, syn]);
    // A port no VXLAN device listens on is not a tunnel.
    expect(collapseTunnelEntries([vx, vx], new Set([8472]))).toEqual([vx, vx]);
    // Both directions stay: an outer flow one way only is a real difference.
    expect(collapseTunnelEntries([vx], new Set([6784]))).not.toEqual(collapseTunnelEntries([vx, back], new Set([6784])));
  });
});
