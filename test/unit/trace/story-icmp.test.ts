/** A ping's story names it as a ping in both languages (it carries data bytes, but it is not UDP). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine';
import { walk } from '../../../src/engine/stack/walk';
import { deriveStory } from '../../../src/engine/trace/story';
import { storyText } from '../../../src/engine/trace/storyFormat';

const yaml = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');

describe('story of an ICMP echo', () => {
  const trace = walk(buildSim(yaml, { seed: 1 }).sim, { from: 'pod/default/client', to: '10.244.0.2', protocol: 'icmp' });
  const steps = deriveStory(trace);

  it('the first step sends an ICMP echo request, the last receives the echo reply, in en and zh-CN', () => {
    expect(steps[0]!.phase).toBe('ping');
    const first = { en: storyText(steps[0]!, 'en'), zh: storyText(steps[0]!, 'zh-CN') };
    expect(first.en).toMatch(/^client sends ICMP echo request to 10\.244\.0\.2 /);
    expect(first.zh).toMatch(/^client 发出 ICMP echo request，目的地 10\.244\.0\.2/);
    const last = steps[steps.length - 1]!;
    expect(storyText(last, 'en')).toBe('client receives ICMP echo reply');
    expect(storyText(last, 'zh-CN')).toBe('client 收到 ICMP echo reply');
  });

  it('no step of the ping calls it UDP', () => {
    for (const s of steps) for (const lang of ['en', 'zh-CN'] as const) expect(storyText(s, lang)).not.toMatch(/UDP/);
  });
});
