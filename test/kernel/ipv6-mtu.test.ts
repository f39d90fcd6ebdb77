/**
 * Kernel tier, ICMPv6 Packet Too Big: in the dual-stack flannel cell (grid6), Pods keep the
 * IPv4 overlay's MTU (1450) while flannel-v6.1 carries 1430 (70 bytes of IPv6 outer headers).
 * An IPv6 router never fragments (ip6_forward): node-1 answers an IPv6 ping that does not fit
 * flannel-v6.1 with Packet Too Big (MTU 1430) from its address towards the Pod, and one that
 * fits arrives. Sizes are ping -s payloads: 1382 + 8 + 40 = 1430 fits, 1392 (1440) does not.
 * The simulator must give the same verdicts and the same sender for the error.
 * Runs as root; not root is a failure, never a skip.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { buildSim, walk } from '../../src/engine/index';
import { exportLab, type LabProbe } from '../../src/engine/lab/export';
import { planLab } from '../../src/engine/lab/plan';
import { icmpErrorSender } from './compare';
import { cell6Yaml } from './grid';
import { requireRoot, runLab, sweep, uniquePrefix } from './harness';

afterAll(() => { sweep(); });

describe('kernel tier: IPv6 Packet Too Big under flannel-v6.1', () => {
  it('a ping that fits flannel-v6.1 arrives, a bigger one gets Packet Too Big from node-1, on both kernels', async () => {
    requireRoot();
    const { sim } = buildSim(cell6Yaml('flannel-vxlan', 'dual'), { seed: 1 });
    const plan = planLab(sim, { probes: ['cross-node-ping'] });
    const ping = plan.input.probes[0]!;
    expect(sim.net.namespaces.get('node/node-1')!.links.find((l) => l.name === 'flannel-v6.1')?.mtu).toBe(1430);
    const probes: LabProbe[] = [{ ...ping, name: 'fits', size: 1382 }, { ...ping, name: 'too-big', size: 1392 }];
    const run = await runLab(exportLab({ ...plan.input, probes }).script, { prefix: uniquePrefix(), timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    const kernel = probes.map((p) => run.answers.find((a) => a.probe === p.name)).map((a) => `${a?.verdict} ${a?.icmpFrom ?? '-'}`);
    // The script was written before these walks (a walk changes neighbour and route-cache state).
    const simulator = probes.map((p) => {
      const t = walk(sim, { from: 'pod/default/client-1', to: p.ip, protocol: 'icmp', size: p.size! });
      return `${t.verdict} ${icmpErrorSender(t) ?? '-'}`;
    });
    expect(kernel).toEqual(['delivered -', 'unreachable fd00:10:244::1']);
    expect(simulator).toEqual(kernel);
  }, 150_000);
});
