/** A lesson's files: bad steps.yaml and texts whose sections do not match are located diagnostics. */
import { describe, expect, it } from 'vitest';
import { loadLesson, parseLessonText } from '../../src/engine/lessons/load';

const STEPS = `seeds: [x]
steps:
  - id: one
    do: command
    check: {ran: {command: ip addr}}
    solution: [{run: {target: host/h1, line: ip addr}}]
`;
const EN = '# Title\n\nIntro.\n\n## One\n\nDo it.\n';
const ZH = '# 标题\n\n介绍。\n\n## 一\n\n做。\n';

describe('lesson files', () => {
  it('reads title, intro and one section per step', () => {
    const t = parseLessonText(EN);
    expect(t).toEqual({ title: 'Title', intro: 'Intro.', sections: [{ heading: 'One', body: 'Do it.' }] });
    const { lesson, diagnostics } = loadLesson({ id: '01-x', en: EN, zh: ZH, scenario: '', steps: STEPS });
    expect(diagnostics).toEqual([]);
    expect(lesson!.steps.steps[0]!.id).toBe('one');
  });
  it('a step without a check is an error at its line', () => {
    const { lesson, diagnostics } = loadLesson({ id: '01-x', en: EN, zh: ZH, scenario: '', steps: STEPS.replace('    check: {ran: {command: ip addr}}\n', '') });
    expect(lesson).toBeNull();
    expect(diagnostics[0]).toMatchObject({ code: 'lesson-invalid-step', line: 3, file: 'content/lessons/01-x/steps.yaml' });
  });
  it('a text with a missing step section is reported for that language', () => {
    const { diagnostics } = loadLesson({ id: '01-x', en: EN, zh: ZH.replace('## 一\n', ''), scenario: '', steps: STEPS });
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['content/lessons/01-x/lesson.zh-CN.md lesson-step-mismatch']);
  });
});
