/**
 * Every challenge in content/challenges: its goals fail on the start scenario and pass on the
 * reference solution kept beside it (NAME.solution.yaml, or NAME.solution.sh: terminal
 * commands run on the start), for two seeds, so the drawn variables cannot hide a broken one.
 */
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runKnp } from '../helpers/cli';

const dir = 'content/challenges';
const starts = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.solution.yaml')).sort();

describe('content/challenges', () => {
  it('ships at least 12 challenges, each with a reference solution', () => {
    expect(starts.length).toBeGreaterThanOrEqual(12);
    for (const f of starts) {
      const base = f.replace(/\.yaml$/, '');
      expect(existsSync(`${dir}/${base}.solution.yaml`) || existsSync(`${dir}/${base}.solution.sh`), base).toBe(true);
    }
  });
  for (const f of starts) {
    const base = f.replace(/\.yaml$/, '');
    for (const seed of ['1', '2']) {
      it(`${base} (seed ${seed}): fails on start, passes on the solution`, async () => {
        const start = await runKnp(['grade', `${dir}/${f}`, '--seed', seed, '--json']);
        expect(start.stderr).toBe('');
        expect(start.code).toBe(1);
        const report = JSON.parse(start.stdout) as { pass: boolean; goals: { pass: boolean; en: string; zh: string }[] };
        expect(report.goals.some((g) => !g.pass)).toBe(true);
        for (const g of report.goals) { expect(g.en).not.toMatch(/\{\w+\}/); expect(g.zh).not.toMatch(/\{\w+\}/); }
        const sol = existsSync(`${dir}/${base}.solution.yaml`)
          ? await runKnp(['grade', `${dir}/${base}.solution.yaml`, '--start', `${dir}/${f}`, '--seed', seed])
          : await runKnp(['grade', `${dir}/${f}`, '--commands', `${dir}/${base}.solution.sh`, '--seed', seed]);
        expect(sol.stdout).not.toContain('FAIL');
        expect(sol.code).toBe(0);
      });
    }
  }
});
