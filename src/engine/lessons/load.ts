/**
 * A lesson's files read into one object: titles and step sections from the two markdown texts,
 * steps from steps.yaml (schema.ts). Problems are located diagnostics, as for scenarios.
 */
import type { Diagnostic } from '../scenario/diagnostics';
import { parseYamlSource } from '../scenario/source';
import { steps as stepsSchema, type LessonSteps } from './schema';

export interface LessonFiles {
  /** The folder name, NN-slug. */
  readonly id: string;
  readonly en: string;
  readonly zh: string;
  readonly scenario: string;
  readonly steps: string;
}

export interface LessonText {
  readonly title: string;
  readonly intro: string;
  /** One per `## ` heading, in order: its heading and body. */
  readonly sections: readonly { readonly heading: string; readonly body: string }[];
}

export interface Lesson {
  readonly id: string;
  readonly en: LessonText;
  readonly zh: LessonText;
  readonly scenario: string;
  readonly steps: LessonSteps;
}

export function parseLessonText(md: string): LessonText {
  let title = '';
  const intro: string[] = [];
  const sections: { heading: string; body: string[] }[] = [];
  for (const line of md.split('\n')) {
    if (!title && line.startsWith('# ')) { title = line.slice(2).trim(); continue; }
    if (line.startsWith('## ')) { sections.push({ heading: line.slice(3).trim(), body: [] }); continue; }
    const last = sections[sections.length - 1];
    (last ? last.body : intro).push(line);
  }
  return { title, intro: intro.join('\n').trim(), sections: sections.map((s) => ({ heading: s.heading, body: s.body.join('\n').trim() })) };
}

export function loadLesson(f: LessonFiles): { lesson: Lesson | null; diagnostics: Diagnostic[] } {
  const file = `content/lessons/${f.id}/steps.yaml`;
  const { docs, diagnostics } = parseYamlSource(file, f.steps);
  const doc = docs[0];
  if (!doc) return { lesson: null, diagnostics: [...diagnostics, { file, line: 1, col: 1, endLine: 1, endCol: 1, severity: 'error', code: 'lesson-no-steps', message: 'steps.yaml is empty' }] };
  const r = stepsSchema.safeParse(doc.value);
  if (!r.success) {
    for (const issue of r.error.issues) {
      const path = issue.path.map((s) => (typeof s === 'number' ? s : String(s)));
      diagnostics.push({ file, ...doc.locate(path), severity: 'error', code: 'lesson-invalid-step', message: `steps.yaml: ${path.join('.') || 'document'}: ${issue.message}` });
    }
    return { lesson: null, diagnostics };
  }
  const en = parseLessonText(f.en);
  const zh = parseLessonText(f.zh);
  for (const [lang, t] of [['lesson.en.md', en], ['lesson.zh-CN.md', zh]] as const) {
    if (t.sections.length !== r.data.steps.length) {
      diagnostics.push({ file: `content/lessons/${f.id}/${lang}`, line: 1, col: 1, endLine: 1, endCol: 1, severity: 'error', code: 'lesson-step-mismatch',
        message: `${lang} has ${t.sections.length} "## " step sections; steps.yaml has ${r.data.steps.length} steps`, hint: 'write one "## " section per step, in the same order' });
    }
  }
  return { lesson: { id: f.id, en, zh, scenario: f.scenario, steps: r.data }, diagnostics };
}
