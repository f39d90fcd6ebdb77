import { describe, expect, it } from 'vitest';
import { runKnp } from '../../helpers/cli';

const files = { 's.yaml': '' };

describe('knp trace', () => {
  it('prints usage without --from/--to', async () => {
    const r = await runKnp(['trace', 's.yaml', '--to', '10.0.0.1'], { files });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^usage: knp trace FILE --from TARGET --to DEST/);
  });

  it('rejects a bad --proto and --port', async () => {
    expect((await runKnp(['trace', 's.yaml', '--from', 'pod/a', '--to', '10.0.0.1', '--proto', 'gre'], { files })).stderr).toBe('knp: --proto must be tcp, udp or icmp, not "gre"\n');
    expect((await runKnp(['trace', 's.yaml', '--from', 'pod/a', '--to', '10.0.0.1', '--port', '70000'], { files })).code).toBe(2);
  });

  it('reports an unknown client as an error trace, in text and JSON', async () => {
    const t = await runKnp(['trace', 's.yaml', '--from', 'pod/default/ghost', '--to', '10.0.0.1'], { files });
    expect(t.code).toBe(2);
    expect(t.stdout).toContain('verdict: error');
    expect(t.stdout).toContain('reason: no network namespace for "pod/default/ghost"');
    const j = await runKnp(['trace', 's.yaml', '--from', 'pod/default/ghost', '--to', 'http://10.0.0.1/', '--json'], { files });
    const trace = JSON.parse(j.stdout) as Record<string, unknown>;
    expect(Object.keys(trace)).toEqual(expect.arrayContaining(['verdict', 'responder', 'seenSource', 'events', 'path', 'replyPath', 'rulesEvaluated', 'reason']));
    expect(trace['verdict']).toBe('error');
  });
});

describe('explainTrace', () => {
  it('lists the decisive steps of each leg and the verdict', async () => {
    const { explainTrace } = await import('../../../src/engine/trace/format');
    const { walk } = await import('../../../src/engine/stack/walk');
    const { twoNodes } = await import('./fixtures');
    const text = explainTrace(walk(twoNodes('vxlan').sim, { from: 'pod/default/a-1', to: 'http://10.244.2.3/' }));
    expect(text).toContain('  syn:\n');
    expect(text).toContain('  response:\n');
    expect(text).toContain('in node/node-1 (flannel.1): VXLAN encap vni 1');
    expect(text.trimEnd().endsWith('=> delivered')).toBe(true);
  });
});
