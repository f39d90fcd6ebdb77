/**
 * `knp lessons [--json] [--dir DIR]`: the course, one line per lesson, or as JSON
 * `[{id, title_en, title_zh, scenario, steps}]` where `steps` is the number of steps.
 * Exit 2 when a lesson's files are missing or its steps.yaml is invalid (located diagnostics).
 */
import { formatDiagnostic } from '../../engine/index';
import { loadLesson } from '../../engine/lessons/load';
import type { Verb } from '../io';
import { parseArgs } from '../load';

export const lessons: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['dir']);
  const dir = args.values.get('dir') ?? 'content/lessons';
  if (!io.listDir) { io.stderr('knp lessons: this environment cannot list directories\n'); return 2; }
  let ids: string[];
  try { ids = (await io.listDir(dir)).filter((d) => /^\d\d-/.test(d)).sort(); } catch { io.stderr(`knp: cannot read ${dir}\n`); return 2; }
  const out: { id: string; title_en: string; title_zh: string; scenario: string; steps: number }[] = [];
  let bad = false;
  for (const id of ids) {
    const read = async (name: string): Promise<string | null> => io.readFile(`${dir}/${id}/${name}`).catch(() => null);
    const [en, zh, scenario, steps] = await Promise.all([read('lesson.en.md'), read('lesson.zh-CN.md'), read('scenario.yaml'), read('steps.yaml')]);
    if (en === null || zh === null || scenario === null || steps === null) { io.stderr(`${dir}/${id}: a lesson needs lesson.en.md, lesson.zh-CN.md, scenario.yaml and steps.yaml\n`); bad = true; continue; }
    const { lesson, diagnostics } = loadLesson({ id, en, zh, scenario, steps });
    for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
    if (!lesson) { bad = true; continue; }
    out.push({ id, title_en: lesson.en.title, title_zh: lesson.zh.title, scenario: `${dir}/${id}/scenario.yaml`, steps: lesson.steps.steps.length });
  }
  if (args.flags.has('json')) io.stdout(`${JSON.stringify(out, null, 2)}\n`);
  else for (const l of out) io.stdout(`${l.id}  ${l.title_en} / ${l.title_zh}  (${l.steps} steps)\n`);
  return bad ? 2 : 0;
};
