/**
 * A Challenge document in a scenario: its located checks, the setup commands that break the
 * cluster before the learner arrives, and grading (its goals plus its lockedKinds as one
 * `unchanged` goal).
 */
import type { Diagnostic } from '../scenario/diagnostics';
import type { ScenarioObjects } from '../scenario/load';
import type { Goal } from '../scenario/schema/challenge';
import { newSession, runLine } from '../shell/run';
import { parseTarget } from '../shell/types';
import type { Sim } from '../sim';
import { evaluateGoals, type GoalContext, type GoalResult } from './evaluate';
import { LOCKABLE_KINDS } from './unchanged';

export function challengeDiagnostics(objects: ScenarioObjects): Diagnostic[] {
  const c = objects.challenge;
  if (!c) return [];
  const ds: Diagnostic[] = [];
  const at = (path: (string | number)[], code: string, message: string, hint: string, params: Readonly<Record<string, string | number>>): Diagnostic =>
    ({ file: c.origin.file, ...c.origin.locate(path), severity: 'error', code, message, hint, params });
  (c.obj.spec.lockedKinds ?? []).forEach((k, i) => {
    if (!LOCKABLE_KINDS.includes(k)) ds.push(at(['spec', 'lockedKinds', i], 'challenge-unknown-kind', `lockedKinds: "${k}" is not a kind the playground loads`, `use one of ${LOCKABLE_KINDS.join(', ')}`, { field: 'lockedKinds', kind: k, valid: LOCKABLE_KINDS.join(', ') }));
  });
  c.obj.spec.goals.forEach((g, i) => {
    if (!('unchanged' in g)) return;
    g.unchanged.forEach((item, j) => {
      const kind = item.split('/')[0]!;
      if (!LOCKABLE_KINDS.includes(kind)) ds.push(at(['spec', 'goals', i, 'unchanged', j], 'challenge-unknown-kind', `unchanged: "${kind}" is not a kind the playground loads`, 'write KIND or KIND/NAMESPACE/NAME, e.g. Service or Service/default/web', { field: 'unchanged', kind, valid: LOCKABLE_KINDS.join(', ') }));
    });
  });
  for (const [name, v] of Object.entries(c.obj.spec.variables ?? {})) {
    if ('range' in v && v.range[1] < v.range[0]) ds.push(at(['spec', 'variables', name, 'range'], 'challenge-empty-range', `variable ${name}: range [${v.range[0]}, ${v.range[1]}] is empty`, 'write the smaller number first', { variable: name, from: v.range[0], to: v.range[1] }));
  }
  return ds;
}

/** Runs the Challenge's setup commands on a freshly built Sim; a failing command is a located error. */
export function runChallengeSetup(sim: Sim, objects: ScenarioObjects): Diagnostic[] {
  const c = objects.challenge;
  const ds: Diagnostic[] = [];
  (c?.obj.spec.setup ?? []).forEach((s, i) => {
    const target = parseTarget(s.target);
    const r = target ? runLine(sim, target, s.run, newSession()) : { exitCode: 2, stderr: `bad target "${s.target}"`, stdout: '' };
    if (r.exitCode !== 0) {
      ds.push({ file: c!.origin.file, ...c!.origin.locate(['spec', 'setup', i, 'run']), severity: 'error', code: 'challenge-setup-failed',
        message: `setup command failed on ${s.target}: ${s.run}: ${r.stderr.trim() || `exit ${r.exitCode}`}`, hint: 'targets are node/NAME, pod/NS/NAME or host/NAME; try the command in knp exec',
        params: { target: s.target, run: s.run, error: r.stderr.trim() || `exit ${r.exitCode}` } });
    }
  });
  return ds;
}

/** The Challenge's goals, plus `unchanged: lockedKinds` when it locks any. */
export function challengeGoals(objects: ScenarioObjects): Goal[] {
  const spec = objects.challenge?.obj.spec;
  if (!spec) return [];
  return [...spec.goals, ...(spec.lockedKinds?.length ? [{ unchanged: [...spec.lockedKinds] }] : [])];
}

export function gradeChallenge(sim: Sim, ctx: GoalContext = {}): GoalResult[] {
  return sim.objects ? evaluateGoals(sim, challengeGoals(sim.objects), ctx) : [];
}
