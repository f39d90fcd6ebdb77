/**
 * Every lesson in content/lessons, played headless: its scenario builds without errors, its
 * text exists in both languages with one section per step, and each step's check fails before
 * the learner acts and passes after the step's solution (the checks are goals and event
 * predicates the engine evaluates, so this is the lesson working, not text matching).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine/index';
import { loadLesson } from '../../src/engine/lessons/load';
import { applyAction, beginStep, checkStep, eventMatches, predictTrace, startLesson } from '../../src/engine/lessons/run';
import { runKnp } from '../helpers/cli';

const dir = 'content/lessons';
const ids = readdirSync(dir).filter((d) => /^\d\d-/.test(d)).sort();
const read = (id: string, f: string) => readFileSync(`${dir}/${id}/${f}`, 'utf8');

describe('content/lessons', () => {
  it('has at least 21 lessons numbered in order', () => {
    expect(ids.length).toBeGreaterThanOrEqual(21);
    ids.forEach((id, i) => expect(id.slice(0, 2)).toBe(String(i + 1).padStart(2, '0')));
  });
  it('knp lessons --json lists them', async () => {
    const r = await runKnp(['lessons', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; title_en: string; title_zh: string; scenario: string; steps: number }[];
    expect(list.map((l) => l.id)).toEqual(ids);
    for (const l of list) {
      expect(l.title_en).not.toBe('');
      expect(l.title_zh).toMatch(/[\u4e00-\u9fff]/);
      expect(l.scenario).toBe(`${dir}/${l.id}/scenario.yaml`);
      expect(l.steps).toBeGreaterThanOrEqual(2);
    }
  });
  for (const id of ids) {
    describe(id, () => {
      const { lesson, diagnostics } = loadLesson({ id, en: read(id, 'lesson.en.md'), zh: read(id, 'lesson.zh-CN.md'), scenario: read(id, 'scenario.yaml'), steps: read(id, 'steps.yaml') });
      it('steps.yaml is valid and both texts have one section per step', () => {
        expect(diagnostics).toEqual([]);
        expect(lesson!.en.title).not.toBe('');
        expect(lesson!.zh.title).toMatch(/[\u4e00-\u9fff]/);
        expect(lesson!.zh.sections.length).toBe(lesson!.en.sections.length);
        for (const s of lesson!.zh.sections) expect(s.body).toMatch(/[\u4e00-\u9fff]/);
        // A prediction's buttons speak the page's language: prose labels have Chinese words.
        for (const c of lesson!.steps.steps.flatMap((st) => st.choices ?? [])) {
          expect(c.label.en, `${c.id} en`).not.toBe('');
          expect(c.label['zh-CN'], `${c.id} zh-CN`).not.toBe('');
          if (/[a-z]{3,} [a-z]{2,}/.test(c.label.en)) expect(c.label['zh-CN'], `${c.id}`).toMatch(/[\u4e00-\u9fff]/);
        }
      });
      it('its scenario builds without errors', () => {
        const { diagnostics: ds } = buildSim(lesson!.scenario, { file: `${dir}/${id}/scenario.yaml` });
        expect(ds.filter((d) => d.severity === 'error')).toEqual([]);
      });
      it('each check fails before the step is done and passes after its solution', () => {
        const state = startLesson(lesson!.scenario, 1, `${dir}/${id}/scenario.yaml`);
        for (const step of lesson!.steps.steps) {
          beginStep(state);
          expect(checkStep(state, step).pass, `${step.id} passes before the learner acts`).toBe(false);
          if (step.check && 'predict' in step.check) {
            // The question has exactly one answer, and the trace (not the author) decides which.
            const t = predictTrace(state, step.check.predict.packet);
            const right = step.choices!.filter((c) => t.events.some((e) => eventMatches(e, c.event)));
            expect(right.map((c) => c.id), `${step.id}: choices the trace confirms`).toHaveLength(1);
            beginStep(state);
          }
          for (const a of step.solution) applyAction(state, a, step.id);
          const r = checkStep(state, step);
          expect(r.pass, `${step.id}: ${r.en}`).toBe(true);
        }
      });
    });
  }
});
