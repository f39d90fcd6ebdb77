import { readFileSync } from 'node:fs';
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

describe('knp trace --story', () => {
  const yaml = { 'd.yaml': readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8') };
  const args = ['trace', 'd.yaml', '--from', 'pod/default/client', '--to', 'http://my-nginx.default.svc.cluster.local/'];

  it('prints one sentence per step, in the language asked or the locale\'s', async () => {
    const en = await runKnp([...args, '--story'], { files: yaml });
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/^story pod\/default\/client -> http:\/\/my-nginx\.default\.svc\.cluster\.local\/ \(tcp\): \d+ steps/);
    expect(en.stdout).toContain('rewrites the destination');
    const zh = await runKnp([...args, '--story', '--lang', 'zh-CN'], { files: yaml });
    expect(zh.stdout).toContain('改写为');
    expect((await runKnp([...args, '--story'], { files: yaml, env: { LANG: 'zh_CN.UTF-8' } })).stdout).toBe(zh.stdout);
    expect((await runKnp([...args, '--story', '--lang', 'fr'], { files: yaml })).stderr).toBe('knp: --lang must be zh-CN or en, not "fr"\n');
  });

  it('--json carries the story under "story", each step pointing at its events', async () => {
    const j = JSON.parse((await runKnp([...args, '--json'], { files: yaml })).stdout) as { events: { seq: number }[]; story: { phase: string; machine: string; dev?: string; text: string; events: number[] }[] };
    expect(j.story.length).toBeGreaterThan(10);
    expect(j.story.flatMap((s) => s.events)).toEqual(j.events.map((e) => e.seq));
    for (const s of j.story) expect(Object.keys(s)).toEqual(expect.arrayContaining(['phase', 'machine', 'text', 'events']));
  });
});
