/**
 * The trace as Markdown for homework: the story (one numbered step per device hop, in the
 * page's language, with its badges), the verdict and paths, then the raw event list.
 * Event summaries come from the engine (English); everything else follows the UI language.
 */
import type { Trace } from '../../engine';
import type { EngineLang } from '../../engine/i18n/messages';
import { formatPath } from '../../engine/trace/format';
import { deriveStory } from '../../engine/trace/story';
import { storyText } from '../../engine/trace/storyFormat';

export interface MarkdownLabels {
  readonly title: string;
  readonly verdict: string;
  readonly path: string;
  readonly replyPath: string;
  readonly events: string;
  readonly scenario: string;
  readonly story: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function traceMarkdown(trace: Trace, scenario: string, labels: MarkdownLabels, lang: EngineLang): string {
  const steps = deriveStory(trace);
  const lines = [
    `# ${labels.title}: ${trace.from} → ${trace.to} (${trace.protocol})`,
    '',
    `- ${labels.scenario}: \`${scenario}\``,
    `- ${labels.verdict}: **${trace.verdict}**${trace.reason ? ` (${trace.reason})` : ''}`,
    `- ${labels.path}: ${formatPath(trace.path)}`,
    `- ${labels.replyPath}: ${formatPath(trace.replyPath)}`,
    '',
    `## ${labels.story}`,
    '',
    ...steps.map((st, i) => `${i + 1}. **${st.machine}${st.dev ? ` (${st.dev})` : ''}** — ${storyText(st, lang)}${st.badges.length ? ` \`${st.badges.join('` `')}\`` : ''}`),
    '',
    `## ${labels.events}`,
    '',
    '| # | flow | where | type | summary |',
    '|---|------|-------|------|---------|',
    ...trace.events.map((e) => `| ${e.seq} | ${cell(e.flow)} | ${cell(e.where.dev ? `${e.where.ns} ${e.where.dev}` : e.where.ns)} | ${e.type} | ${cell(e.summary)} |`),
    '',
  ];
  return lines.join('\n');
}
