/**
 * The kernel tier's port-forward fixture (test/kernel/fixtures.ts), answered by the simulator:
 * the same rules loaded with iptablesRestore into the router, the same probes, the answers the
 * real kernel gives (worked out by hand there and checked by the kernel tier as root).
 */
import { describe, expect, it } from 'vitest';
import { walk } from '../../../src/engine/index';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import { runLine } from '../../../src/engine/shell/run';
import { portForward, probeModel, simOf } from '../../kernel/fixtures';

describe('kernel fixture port-forward in the simulator', () => {
  const fx = portForward();
  const sim = simOf(fx.net, fx.probes.map(probeModel));
  for (const [id, text] of Object.entries(fx.rules ?? {})) expect(iptablesRestore(sim.net.namespaces.get(id)!, text)).toEqual({ ok: true });

  for (const p of fx.probes) {
    it(`${p.name}: ${p.expect.verdict}${p.expect.seenSource ? `, ${p.expect.seenSource} seen` : ''}`, () => {
      const model = sim.model.probes.find((m) => m.name === p.name)!;
      const t = walk(sim, { from: model.from, to: model.to });
      // As test/kernel/compare.ts: a silent drop in the simulator is a timeout for a real client.
      expect(t.verdict === 'dropped' ? 'timeout' : t.verdict).toBe(p.expect.verdict);
      if (p.expect.responder) expect(t.responder).toBe(p.expect.responder);
      if (p.expect.seenSource) expect(t.seenSource?.split(':')[0]).toBe(p.expect.seenSource);
    });
  }

  it('the router holds one entry with both translations for the forwarded port', () => {
    const out = runLine(sim, { kind: 'host', name: 'r' }, 'conntrack -L -p tcp --dport 8080').stdout;
    expect(out).toMatch(/src=10\.2\.1\.2 dst=10\.2\.1\.1 sport=\d+ dport=8080 src=10\.2\.2\.2 dst=10\.2\.2\.1 sport=80 dport=\d+/);
  });
});
