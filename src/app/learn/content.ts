/**
 * The course, the challenges and the example scenarios, bundled with the site (no network):
 * every file is its own lazy chunk, fetched the first time the panel or the gallery needs it,
 * so the first paint does not carry them. Parsed with the engine's own readers.
 */
import { parse } from 'yaml';
import { loadLesson, type Lesson } from '../../engine/lessons/load';
import { expandVariables } from '../../engine/scenario/variables';

type Raw = Record<string, () => Promise<string>>;
const lessonFiles = import.meta.glob('../../../content/lessons/*/*.{md,yaml}', { query: '?raw', import: 'default' }) as Raw;
const challengeFiles = import.meta.glob(['../../../content/challenges/*.yaml', '!../../../content/challenges/*.solution.yaml'], { query: '?raw', import: 'default' }) as Raw;
const scenarioFiles = import.meta.glob('../../../content/scenarios/*.yaml', { query: '?raw', import: 'default' }) as Raw;

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);
const folder = (p: string): string => p.split('/').slice(-2, -1)[0]!;

export const lessonIds: readonly string[] = [...new Set(Object.keys(lessonFiles).map(folder))].sort();
export const challengeNames: readonly string[] = Object.keys(challengeFiles).map((p) => base(p).replace(/\.yaml$/, '')).sort();
export const scenarioNames: readonly string[] = Object.keys(scenarioFiles).map((p) => base(p).replace(/\.yaml$/, '')).sort();

const get = (files: Raw, suffix: string): Promise<string> => {
  const key = Object.keys(files).find((k) => k.endsWith(suffix));
  return key ? files[key]!() : Promise.reject(new Error(`no bundled file ${suffix}`));
};

const lessonCache = new Map<string, Promise<Lesson | null>>();
export function lesson(id: string): Promise<Lesson | null> {
  let p = lessonCache.get(id);
  if (!p) {
    p = Promise.all(['lesson.en.md', 'lesson.zh-CN.md', 'scenario.yaml', 'steps.yaml'].map((f) => get(lessonFiles, `/${id}/${f}`)))
      .then(([en, zh, scenario, steps]) => loadLesson({ id, en: en!, zh: zh!, scenario: scenario!, steps: steps! }).lesson);
    lessonCache.set(id, p);
  }
  return p;
}

export interface Bi { readonly en: string; readonly zh: string }
export interface ChallengeInfo {
  readonly name: string;
  /** The start scenario with this seed's variables written in: what the editor opens. */
  readonly yaml: string;
  /** The seed the variables were drawn with, and the variables (what a share link carries). */
  readonly seed: number;
  readonly variables: Readonly<Record<string, string>>;
  readonly title: Bi;
  readonly description: Bi | null;
  readonly hints: readonly Bi[];
}

const bi = (v: unknown): Bi | null => {
  if (!v || typeof v !== 'object') return null;
  const o = v as Record<string, unknown>;
  const en = typeof o['en'] === 'string' ? o['en'] : '';
  const zh = typeof o['zh-CN'] === 'string' ? o['zh-CN'] : en;
  return en || zh ? { en: en || zh, zh } : null;
};

export async function challenge(name: string, seed: number): Promise<ChallengeInfo> {
  const raw = await get(challengeFiles, `/${name}.yaml`);
  const { text, values } = expandVariables(`content/challenges/${name}.yaml`, raw, seed);
  let spec: Record<string, unknown> = {};
  for (const chunk of text.split(/^---\s*$/m)) {
    try {
      const v = parse(chunk) as { kind?: string; spec?: Record<string, unknown> } | null;
      if (v?.kind === 'Challenge') { spec = v.spec ?? {}; break; }
    } catch { /* the engine reports broken YAML with its location; here only the text is wanted */ }
  }
  return {
    name, yaml: text, seed, variables: values,
    title: bi(spec['title']) ?? { en: name, zh: name },
    description: bi(spec['description']),
    hints: Array.isArray(spec['hints']) ? spec['hints'].map(bi).filter((h): h is Bi => !!h) : [],
  };
}

export function scenario(name: string): Promise<string> {
  return get(scenarioFiles, `/${name}.yaml`);
}

/** A scenario's opening comment, the sentence that says what it shows (the files are written in English). */
export function scenarioBlurb(yaml: string): string {
  const lines: string[] = [];
  for (const l of yaml.split('\n')) { if (!l.startsWith('#')) break; lines.push(l.replace(/^#\s?/, '')); }
  return lines.join(' ');
}
