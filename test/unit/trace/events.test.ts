/**
 * The typed trace events over every golden trace: each event's English summary is its message
 * rendered in en, its message has exactly its code's parameters and reads in Chinese; and the
 * readers that moved from string keys to typed fields still find what they found.
 */
import { describe, expect, it } from 'vitest';
import { MESSAGES, renderMessage } from '../../../src/engine/i18n/messages';
import { eventMatches } from '../../../src/engine/lessons/run';
import { matchedRule } from '../../../src/engine/goals/evaluate';
import { isEvent, TRACE_EVENT_TYPES, type TraceEvent } from '../../../src/engine/trace/types';
import { pipelinePoint } from '../../../src/app/inspect/hooks';
import { TRACE_CASES } from '../../golden/story/cases';

const traceOf = (name: string) => TRACE_CASES.find((c) => c.name === name)!.trace();

describe('trace events carry their message', () => {
  for (const c of TRACE_CASES) {
    it(c.name, () => {
      const t = c.trace();
      for (const e of t.events) {
        expect(TRACE_EVENT_TYPES).toContain(e.type);
        expect(e.summary, `#${e.seq}`).toBe(renderMessage(e.message.code, e.message.params, 'en'));
        expect(Object.keys(e.message.params).sort(), `#${e.seq} ${e.message.code}`).toEqual([...MESSAGES[e.message.code].params].sort());
        const zh = renderMessage(e.message.code, e.message.params, 'zh-CN');
        expect(zh).not.toMatch(/\{\{/);
        expect(zh, `#${e.seq} ${e.message.code}`).toMatch(/[\u4e00-\u9fff]/);
      }
    });
  }
});

describe('readers of typed details', () => {
  it('a lesson check matches a tunnel by kind and a drop by reason', () => {
    const vx = traceOf('cross-node-vxlan-http');
    expect(vx.events.some((e) => eventMatches(e, { type: 'encap', kind: 'vxlan' }))).toBe(true);
    expect(vx.events.some((e) => eventMatches(e, { type: 'encap', kind: 'ipip' }))).toBe(false);
    const closed = traceOf('closed-tcp-port');
    expect(closed.events.some((e) => eventMatches(e, { type: 'drop', reason: 'nothing listens', flow: 'syn' }))).toBe(true);
  });

  it('a lesson check names a DNAT by the chain of the rule that chose it', () => {
    const t = traceOf('default-service-http');
    const nat = t.events.filter(isEvent('nat')).find((e) => e.detail.kind === 'DNAT' && !e.flow.startsWith('dns'))!;
    expect(nat.detail.rule).toMatch(/^nat\/KUBE-SEP-/);
    expect(eventMatches(nat, { flow: nat.flow.replace(/#\d+$/, ''), type: 'nat', kind: 'DNAT', chain: 'KUBE-SEP-*' })).toBe(true);
    expect(eventMatches(nat, { flow: nat.flow.replace(/#\d+$/, ''), type: 'nat', kind: 'DNAT', chain: 'KUBE-SVC-*' })).toBe(false);
  });

  it('the goal evaluator finds the rule that matched in a chain named like a pattern', () => {
    const t = traceOf('default-service-http');
    expect(matchedRule(t.events, 'KUBE-SVC-*')).toMatch(/-j KUBE-SEP-/);
    expect(matchedRule(t.events, 'NO-SUCH-CHAIN')).toBeNull();
  });

  it('the netfilter inspector places a chain event at its hook, and not a nat event', () => {
    const t = traceOf('default-service-http');
    const chain = t.events.find((e): e is TraceEvent & { type: 'netfilter' } => e.type === 'netfilter' && 'chain' in e.detail && e.detail.chain === 'KUBE-SERVICES')!;
    const at = pipelinePoint(chain, chain.where.ns)!;
    expect(at.stage).toMatch(/^(PREROUTING|OUTPUT)$/);
    expect(at).toMatchObject({ table: 'nat', chain: 'KUBE-SERVICES' });
    const nat = t.events.find(isEvent('nat'))!;
    expect(pipelinePoint(nat, nat.where.ns)).toBeNull();
  });
});
