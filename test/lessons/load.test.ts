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
  it('a prediction choice needs its label in both languages: a plain string is an error at its line', () => {
    const predict = (label: string) => `seeds: [x]
steps:
  - id: one
    do: predict
    choices:
      - {id: a, label: ${label}, event: {type: drop}}
      - {id: b, label: {en: "b", zh-CN: "乙"}, event: {type: deliver}}
    check: {predict: {packet: {from: pod/default/a, to: pod/default/b}}}
    solution: [{answer: a}]
`;
    const good = loadLesson({ id: '01-x', en: EN, zh: ZH, scenario: '', steps: predict('{en: "dropped", zh-CN: "被丢弃"}') });
    expect(good.diagnostics).toEqual([]);
    expect(good.lesson!.steps.steps[0]!.choices![0]!.label).toEqual({ en: 'dropped', 'zh-CN': '被丢弃' });
    const plain = loadLesson({ id: '01-x', en: EN, zh: ZH, scenario: '', steps: predict('"dropped"') });
    expect(plain.lesson).toBeNull();
    expect(plain.diagnostics[0]).toMatchObject({ code: 'lesson-invalid-step', file: 'content/lessons/01-x/steps.yaml' });
    const enOnly = loadLesson({ id: '01-x', en: EN, zh: ZH, scenario: '', steps: predict('{en: "dropped"}') });
    expect(enOnly.lesson).toBeNull();
  });
});
