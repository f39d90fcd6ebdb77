/**
 * `knp grade FILE [--seed N] [--json] [--start START] [--commands CMDS]`: evaluates the file's
 * Challenge goals against its simulation and prints each with pass/fail and why. Exit 0 when
 * every goal holds, 1 when one fails, 2 on bad input (no Challenge, a broken Challenge
 * document, unreadable files), with located diagnostics.
 *
 * --start names the scenario the learner started from (what `unchanged` and lockedKinds
 * compare with; default: FILE itself). --commands runs a journal first (the text `knp shell`
 * reads, through share/journal.ts: `use TARGET` lines, then commands; `TARGET COMMAND` lines
 * are read too), as a learner typing in the terminal would.
 */
import { buildSim, formatDiagnostic, gradeChallenge, parseJournal, replayJournal, type GoalResult } from '../../engine/index';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

const USAGE = 'usage: knp grade FILE [--seed N] [--json] [--start START.yaml] [--commands FILE]\n';

export const grade: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed', 'start', 'commands']);
  const [file] = args.positional;
  if (!file) { io.stderr(USAGE); return 2; }
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  const { sim, diagnostics } = built;
  const challenge = sim.objects?.challenge;
  const bad = diagnostics.filter((d) => d.severity === 'error' && (d.code === 'yaml-syntax' || d.code.startsWith('challenge-') || d.code === 'duplicate-challenge'
    || (!challenge && d.message.startsWith('Challenge'))));
  if (!challenge || bad.length) {
    for (const d of bad) io.stderr(`${formatDiagnostic(d)}\n`);
    if (!challenge && !bad.length) io.stderr(`${file}:1:1: error no-challenge: there is no Challenge document to grade (add one with apiVersion: knp/v1alpha1, kind: Challenge, spec.goals)\n`);
    return 2;
  }
  let start = sim.objects;
  const startFile = args.values.get('start');
  if (startFile) {
    let text: string;
    try { text = await io.readFile(startFile); } catch { io.stderr(`knp: cannot read ${startFile}\n`); return 2; }
    start = buildSim(text, { file: startFile, seed: sim.seed }).sim.objects;
  }
  const cmdFile = args.values.get('commands');
  if (cmdFile) {
    let text: string;
    try { text = await io.readFile(cmdFile); } catch { io.stderr(`knp: cannot read ${cmdFile}\n`); return 2; }
    const parsed = parseJournal(text);
    if (!parsed.ok) { io.stderr(`${cmdFile}:${parsed.line}:1: error bad-command-line: ${parsed.message}\n`); return 2; }
    const results = replayJournal(sim, parsed.journal);
    results.forEach((r, i) => {
      if (r.exitCode !== 0) io.stderr(`${cmdFile}:${parsed.lines[i]}: ${parsed.journal[i]!.line.split('\n')[0]}: exit ${r.exitCode}: ${r.stderr.trim()}\n`);
    });
  }
  const results = gradeChallenge(sim, start ? { start } : {});
  const pass = results.every((r) => r.pass);
  if (args.flags.has('json')) {
    io.stdout(`${JSON.stringify({ file, seed: sim.seed, challenge: challenge.obj.metadata.name ?? null, pass, goals: results.map(plain) }, null, 2)}\n`);
  } else {
    io.stdout(`challenge ${challenge.obj.metadata.name ?? ''}: ${challenge.obj.spec.title.en}\n`);
    for (const d of diagnostics.filter((x) => x.severity === 'error')) io.stdout(`  note: ${formatDiagnostic(d)}\n`);
    for (const r of results) io.stdout(`${r.pass ? 'PASS' : 'FAIL'} ${r.kind}: ${r.en}\n`);
    io.stdout(`${results.filter((r) => r.pass).length}/${results.length} goals pass\n`);
  }
  return pass ? 0 : 1;
};

function plain(r: GoalResult): Omit<GoalResult, 'trace'> {
  const { trace: _trace, ...rest } = r;
  return rest;
}
