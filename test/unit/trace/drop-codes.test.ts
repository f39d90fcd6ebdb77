/**
 * Every drop the walk writes is a `drop.*` message: the trace's English text stays what it was
 * ("drop: " + the reason), and the event, the story step and the verdict read in zh-CN too.
 */
import { describe, expect, it } from 'vitest';
import { render, renderMessage } from '../../../src/engine/i18n/messages';
import { deriveStory } from '../../../src/engine/trace/story';
import { isEvent } from '../../../src/engine/trace/types';
import { TRACE_CASES } from '../../golden/story/cases';

const HAN = /[\u4e00-\u9fff]/;

describe('drop reasons are coded', () => {
  const traces = TRACE_CASES.map((c) => ({ name: c.name, trace: c.trace() }));

  it('every drop in a walk of the goldens\' scenarios carries a drop.* message whose English is the reason', () => {
    let drops = 0;
    for (const { name, trace } of traces) {
      for (const e of trace.events.filter(isEvent('drop'))) {
        drops++;
        const m = e.detail.reasonMessage;
        expect(m?.code, `${name} #${e.seq}: uncoded drop "${e.detail.reason}"`).toMatch(/^drop\./);
        expect(render(m!, 'en')).toBe(e.detail.reason);
        expect(e.summary).toBe(`drop: ${e.detail.reason}`);
        const zh = render(e.message, 'zh-CN');
        expect(zh, `${name} #${e.seq}`).toMatch(HAN);
        expect(zh).not.toMatch(/\{\{/);
      }
    }
    expect(drops).toBeGreaterThan(5);
  });

  it('a story step that ends in a drop, and a dropped verdict, say why in zh-CN', () => {
    let checked = 0;
    for (const { trace } of traces) {
      for (const s of deriveStory(trace).filter((x) => x.message.code === 'story.drop')) {
        const reason = s.message.params['reason'];
        expect(String((reason as { code?: string }).code).startsWith('drop.')).toBe(true);
        const zh = renderMessage(s.message.code, s.message.params, 'zh-CN');
        expect(zh).toMatch(HAN);
        expect(zh).not.toMatch(/\{\{/);
        checked++;
      }
      if (trace.verdict === 'dropped' && trace.reasonMessage) {
        expect(render(trace.reasonMessage, 'en')).toBe(`dropped: ${trace.reason}`);
        const r = trace.reasonMessage.params['reason'];
        expect(String((r as { code?: string }).code).startsWith('drop.'), trace.reason).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('app answers', () => {
  it('the http and echo apps say what they did as app.* messages: English as the trace prints it, and zh-CN', () => {
    let coded = 0;
    for (const c of TRACE_CASES) {
      for (const e of c.trace().events.filter(isEvent('app'))) {
        const text = e.message.params['text'] as { code?: string };
        if (!e.detail || !['http', 'echo'].includes(e.detail.app)) continue;
        expect(text.code, `${c.name} #${e.seq}: ${e.summary}`).toMatch(/^app\./);
        expect(render(e.message, 'en')).toBe(e.summary);
        expect(render(e.message, 'zh-CN')).toMatch(HAN);
        coded++;
      }
    }
    expect(coded).toBeGreaterThan(5);
  });
});
