/**
 * The story over every golden trace: every event in exactly one step, phases in order, badges
 * that name only what changed at the hop; plus `knp trace --story` goldens (NAME.txt here).
 * Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/story/story.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MESSAGES, renderMessage } from '../../../src/engine/i18n/messages';
import { deriveStory, PHASES, type StoryStep } from '../../../src/engine/trace/story';
import { formatStory } from '../../../src/engine/trace/storyFormat';
import type { Trace } from '../../../src/engine/trace/types';
import { buildSim } from '../../../src/engine/index';
import { walk } from '../../../src/engine/stack/walk';
import { STORY_CASES } from '../../../bench/story';
import { defaultSend, TRACE_CASES } from './cases';

const DIR = new URL('./', import.meta.url);

function expectGolden(name: string, text: string): void {
  const file = new URL(`${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden ${name}.txt: run UPDATE_GOLDEN=1 npx vitest run test/golden/story/story.test.ts`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

function expectWellFormed(t: Trace, steps: readonly StoryStep[]): void {
  // Every event exactly once, in trace order.
  expect(steps.flatMap((s) => s.events)).toEqual(t.events.map((e) => e.seq));
  for (const s of steps) expect(s.events.length).toBeGreaterThan(0);
  // Within each connection the phases never go back (dns, handshake/ping, request, response, teardown).
  const last = new Map<string, number>();
  for (const s of steps) {
    const rank = PHASES.indexOf(s.phase);
    expect(rank, `${s.flow} is in phase ${s.phase} after a later phase`).toBeGreaterThanOrEqual(last.get(s.connection) ?? 0);
    last.set(s.connection, rank);
  }
  // Every sentence gets every parameter its template names.
  for (const s of steps) {
    const declared = MESSAGES[s.message.code].params;
    expect(Object.keys(s.message.params).sort()).toEqual([...declared].sort());
    expect(renderMessage(s.message.code, s.message.params, 'zh-CN')).not.toMatch(/\{\{/);
  }
}

describe('the story of every golden trace', () => {
  for (const c of TRACE_CASES) {
    it(c.name, () => {
      const t = c.trace();
      const steps = deriveStory(t);
      expectWellFormed(t, steps);
      expectGolden(c.name, formatStory(t, 'en', steps));
    });
  }
});

describe('the default scenario', () => {
  it('tells the Pod-to-Service HTTP exchange with DNS in at most 40 steps, same node or across nodes', () => {
    for (const seed of [1, 3]) {
      const t = defaultSend(seed);
      expect(t.verdict).toBe('delivered');
      const steps = deriveStory(t);
      expectWellFormed(t, steps);
      expect(steps.length).toBeLessThanOrEqual(40);
      expect(t.events.length).toBeGreaterThan(steps.length * 10);
    }
    // Seed 3 picks the endpoint on the other node: the SYN crosses the overlay.
    expect(deriveStory(defaultSend(3)).some((s) => s.flow === 'syn' && s.badges.includes('encap'))).toBe(true);
  });

  it('badges the KUBE-SEP step DNAT and conntrack\'s un-DNAT on the reply reverse-nat, never SNAT', () => {
    const steps = deriveStory(defaultSend(3));
    const syn = steps.filter((s) => s.flow === 'syn');
    const dnat = syn.filter((s) => s.badges.includes('dnat'));
    expect(dnat).toHaveLength(1);
    expect(dnat[0]!.message.code).toBe('story.dnat');
    expect(String(dnat[0]!.message.params['chain'])).toMatch(/^KUBE-SEP-/);
    const synAck = steps.filter((s) => s.flow === 'syn-ack');
    expect(synAck.filter((s) => s.badges.includes('reverse-nat')).map((s) => s.message.code)).toEqual(['story.reverseDnat']);
    expect(synAck.some((s) => s.badges.includes('snat') || s.badges.includes('dnat'))).toBe(false);
    // The DNS answer is un-DNATed the same way.
    expect(steps.some((s) => s.flow === 'dns:response' && s.badges.includes('reverse-nat'))).toBe(true);
  });

  it('writes the story in Chinese with --lang zh-CN', () => {
    const zh = formatStory(defaultSend(1), 'zh-CN');
    expect(zh).toMatch(/改写为 10\.244\.\d+\.\d+:80（DNAT）/);
    expect(zh).toContain('反向 NAT');
    expectGolden('default-service-http.zh-CN', zh);
  });
});

describe('badges name what changed at this hop only', () => {
  const cross = () => TRACE_CASES.find((c) => c.name === 'scenario-cross-node-http')!.trace();

  it('a Pod-to-Pod SYN-ACK is not badged DNAT or SNAT', () => {
    const steps = deriveStory(cross());
    const synAck = steps.filter((s) => s.flow === 'syn-ack');
    expect(synAck.length).toBeGreaterThan(2);
    for (const s of synAck) expect(s.badges.filter((b) => b === 'dnat' || b === 'snat' || b === 'reverse-nat')).toEqual([]);
    for (const s of steps) expect(s.badges.filter((b) => b === 'dnat' || b === 'snat' || b === 'reverse-nat')).toEqual([]);
  });

  it('routers decrement the TTL and rewrite MACs; VXLAN hops say encap and decap', () => {
    const steps = deriveStory(cross()).filter((s) => s.flow === 'syn');
    expect(steps.map((s) => s.machine)).toEqual(['pod/default/client', 'node/node-1', 'infra/underlay', 'node/node-2', 'pod/default/web']);
    expect(steps.map((s) => s.badges)).toEqual([[], ['ttl', 'encap'], [], ['ttl', 'decap'], []]);
    expect(steps[1]!.message.code).toBe('story.encap');
  });

  it('a masqueraded Pod-to-node connection is SNAT where FLANNEL-POSTRTG matched', () => {
    const steps = deriveStory(TRACE_CASES.find((c) => c.name === 'scenario-pod-to-node')!.trace());
    const snat = steps.filter((s) => s.badges.includes('snat') && !s.hops);
    expect(snat.map((s) => [s.flow, s.machine, s.message.code, s.message.params['chain']])).toEqual([['syn', 'node/node-1', 'story.snat', 'FLANNEL-POSTRTG']]);
    expect(steps.some((s) => s.flow === 'syn-ack' && s.badges.includes('reverse-nat') && s.message.code === 'story.reverseSnat')).toBe(true);
  });
});

describe('the story of the content scenarios\' probes and an Ingress request (the bench\'s cases)', () => {
  for (const c of STORY_CASES) {
    it(c.name, () => {
      const t = walk(buildSim(c.yaml, { seed: c.seed }).sim, c.req);
      expect(t.verdict).toBe('delivered');
      const steps = deriveStory(t);
      expectWellFormed(t, steps);
      if (c.target !== undefined) expect(steps.length).toBeLessThanOrEqual(c.target);
    });
  }

  it('the Ingress controller\'s own connection to the backend is its own connection, told after the client\'s request reaches it', () => {
    const c = STORY_CASES.find((x) => x.name.startsWith('Ingress'))!;
    const steps = deriveStory(walk(buildSim(c.yaml, { seed: c.seed }).sim, c.req));
    const firstRelay = steps.findIndex((s) => s.connection === 'relay:');
    expect(firstRelay).toBeGreaterThan(0);
    expect(steps.slice(0, firstRelay).some((s) => s.flow === 'request')).toBe(true);
    expect(steps.findIndex((s) => s.connection === '' && s.flow === 'response')).toBeGreaterThan(firstRelay);
  });
});
