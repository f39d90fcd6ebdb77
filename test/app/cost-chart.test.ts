/**
 * The cost view's chart: a scenario with fewer Services than the curve's first point is drawn
 * at the curve's start with a note in the page's language, never left of every line.
 */
import { readFileSync } from 'node:fs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine';
import { proxyCost } from '../../src/engine/agents/kubeproxy/cost';
import { CostChart } from '../../src/app/cost/CostView';
import { initI18n } from '../../src/app/i18n';

const DEFAULT = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8');

/** The x of the "this scenario" line and the x where the curves start. */
function xs(svg: string): { here: number; curveStart: number } {
  const here = Number(/data-testid="cost-current"[^>]*>\s*<line x1="([\d.]+)"/.exec(svg)?.[1]);
  const starts = [...svg.matchAll(/data-testid="cost-line"[^>]*points="([\d.]+),/g)].map((m) => Number(m[1]));
  return { here, curveStart: Math.min(...starts) };
}

describe('cost chart', () => {
  const report = proxyCost(buildSim(DEFAULT, { seed: 1, file: 'scenario.yaml' }).sim.model)!;

  for (const [lang, note] of [['en', 'fewer than 10'], ['zh-CN', '少于 10']] as const) {
    it(`draws a scenario under 10 Services at the curve's start, with a note (${lang})`, async () => {
      const i18n = initI18n(lang);
      await i18n.changeLanguage(lang);
      expect(report.services).toBeLessThan(10);
      const svg = renderToStaticMarkup(createElement(CostChart, { report, metric: 'newConnection' }));
      expect(svg).toContain('data-clamped="true"');
      expect(svg).toContain(note);
      const { here, curveStart } = xs(svg);
      expect(here).toBeCloseTo(curveStart, 0);
    });
  }

  it('draws a scenario of 10 Services or more where it is, without the note', () => {
    initI18n('en');
    const big = { ...report, services: 120 };
    const svg = renderToStaticMarkup(createElement(CostChart, { report: big, metric: 'rules' }));
    expect(svg).toContain('data-clamped="false"');
    expect(svg).not.toContain('cost-clamped');
    const { here, curveStart } = xs(svg);
    expect(here).toBeGreaterThan(curveStart + 10);
  });
});
