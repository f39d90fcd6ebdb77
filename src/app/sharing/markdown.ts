/**
 * The trace as Markdown for homework. Today it is the event list with the verdict and the path;
 * when the story (branch `story`) lands, `traceMarkdown` is the one seam to switch to its steps.
 * Event summaries come from the engine (English); headings follow the UI language.
 */
import type { Trace } from '../../engine';
import { formatPath } from '../../engine/trace/format';

export interface MarkdownLabels {
  readonly title: string;
  readonly verdict: string;
  readonly path: string;
  readonly replyPath: string;
  readonly events: string;
  readonly scenario: string;
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function traceMarkdown(trace: Trace, scenario: string, labels: MarkdownLabels): string {
  const lines = [
    `# ${labels.title}: ${trace.from} → ${trace.to} (${trace.protocol})`,
    '',
    `- ${labels.scenario}: \`${scenario}\``,
    `- ${labels.verdict}: **${trace.verdict}**${trace.reason ? ` (${trace.reason})` : ''}`,
    `- ${labels.path}: ${formatPath(trace.path)}`,
    `- ${labels.replyPath}: ${formatPath(trace.replyPath)}`,
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
