/**
 * The story as readable text (`knp trace --story`, golden files) and as JSON (`--json`'s `story`
 * key): one line per step with its phase, leg, machine, sentence, badges and the events it
 * covers, then the verdict.
 */
import { renderMessage, type EngineLang } from '../i18n/messages';
import { formatPath } from './format';
import { deriveStory, eventRange, type StoryStep } from './story';
import type { Trace } from './types';

export function storyText(s: StoryStep, lang: EngineLang): string {
  return renderMessage(s.message.code, s.message.params, lang);
}

export function formatStory(t: Trace, lang: EngineLang, steps: readonly StoryStep[] = deriveStory(t)): string {
  const lines = [`story ${t.from} -> ${t.to} (${t.protocol}): ${steps.length} steps, ${t.events.length} events`];
  steps.forEach((s, i) => {
    const badges = s.badges.length ? `  [${s.badges.join(' ')}]` : '';
    lines.push(`${String(i + 1).padStart(3)}  ${s.phase.padEnd(9)} ${s.leg.padEnd(7)} ${s.machine}${s.dev ? ` (${s.dev})` : ''}  #${eventRange(s)}${badges}`);
    lines.push(`       ${storyText(s, lang)}`);
  });
  lines.push(`verdict: ${t.verdict}`);
  if (t.reasonMessage) lines.push(`reason: ${renderMessage(t.reasonMessage.code, t.reasonMessage.params, lang)}`);
  else if (t.reason) lines.push(`reason: ${t.reason}`);
  lines.push(`path: ${formatPath(t.path)}`);
  lines.push(`reply path: ${formatPath(t.replyPath)}`);
  return `${lines.join('\n')}\n`;
}

/** The `story` key of `knp trace --json`: `[{phase, machine, dev, text, events}]` plus leg, code, params, badges, in/out. */
export function storyJson(t: Trace, lang: EngineLang, steps: readonly StoryStep[] = deriveStory(t)): object[] {
  return steps.map((s) => ({
    phase: s.phase, leg: s.leg, flow: s.flow, machine: s.machine, ...(s.dev !== undefined ? { dev: s.dev } : {}),
    text: storyText(s, lang), code: s.message.code, params: s.message.params,
    events: s.events, badges: s.badges,
    ...(s.inSeq !== undefined ? { in: s.inSeq } : {}), ...(s.outSeq !== undefined ? { out: s.outSeq } : {}),
    ...(s.hops ? { hops: s.hops } : {}),
  }));
}
