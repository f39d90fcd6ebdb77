/** The scale suite's table for docs/performance.md: each figure per size, its target, and its ratio to S in the same run. */
import type { BenchResult } from './harness';
import { FIGURES } from './scale';

const fmt = (v: number | undefined, unit = 'ms'): string => (v === undefined ? '–' : `${v < 10 ? v.toFixed(2) : v.toFixed(0)}${unit === 'ms' ? ' ms' : ` ${unit}`}`);

export function scaleTable(results: readonly BenchResult[], machine: string, commit: string): string {
  const rows = ['| figure | size | median | min | max | target | met | ratio to S | note |', '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |'];
  for (const figure of Object.keys(FIGURES)) {
    const of = results.filter((r) => r.figure === figure);
    const s = of.find((r) => r.size === 'S');
    for (const r of of) {
      const ratio = s && r !== s && s.ms > 0 ? `${(r.ms / s.ms).toFixed(1)}×` : '–';
      const met = r.targetMs === undefined ? '–' : r.ms <= r.targetMs ? 'yes' : '**no**';
      rows.push(`| ${FIGURES[figure]} | ${r.size} | ${fmt(r.ms, r.unit)} | ${fmt(r.min, r.unit)} | ${fmt(r.max, r.unit)} | ${r.targetMs === undefined ? '–' : fmt(r.targetMs, r.unit)} | ${met} | ${ratio} | ${r.note ?? ''} |`);
    }
  }
  return `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, commit ${commit.slice(0, 10)} (\`npm run bench -- scale\`).\n\n${rows.join('\n')}`;
}

const UI_FIGURES: Record<string, string> = {
  'ui-graph': 'edit → graph updated in the browser',
  'ui-frames': 'late frames with 20 packets in flight (%)',
  'ui-bytes': 'worker → UI data per edit (MB)',
};

/** The UI's figures at scale (bench/ui.ts uiScale), each per size against its target. */
export function uiScaleTable(results: readonly BenchResult[], machine: string, commit: string): string {
  const rows = ['| figure | size | median | min | max | target | met | note |', '| --- | --- | ---: | ---: | ---: | ---: | --- | --- |'];
  for (const [figure, label] of Object.entries(UI_FIGURES)) {
    for (const r of results.filter((x) => x.figure === figure)) {
      const met = r.targetMs === undefined ? '–' : r.ms <= r.targetMs ? 'yes' : '**no**';
      rows.push(`| ${label} | ${r.size} | ${fmt(r.ms, r.unit)} | ${fmt(r.min, r.unit)} | ${fmt(r.max, r.unit)} | ${r.targetMs === undefined ? '–' : fmt(r.targetMs, r.unit)} | ${met} | ${r.note ?? ''} |`);
    }
  }
  return `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, commit ${commit.slice(0, 10)} (\`npm run bench -- ui-scale\`).\n\n${rows.join('\n')}`;
}
