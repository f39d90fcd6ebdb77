/**
 * `knp shell FILE`: command lines from standard input against one live simulation, so a change
 * made by one command is seen by the next. `use TARGET` switches where commands run; a
 * here-document (`<<EOF` … `EOF`) feeds the command its lines; `kubectl exec -it POD -- sh`
 * moves into the Pod until `exit`.
 */
import { formatTarget, parseTarget, runLine, type Target } from '../../engine/index';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

export const shell: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed']);
  const file = args.positional[0];
  if (!file) { io.stderr('usage: knp shell FILE [--seed N]  (commands on standard input; "use TARGET" switches target)\n'); return 2; }
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  const lines = io.readLines();
  if (!lines) { io.stderr('knp shell: no standard input\n'); return 2; }
  let target: Target = { kind: 'workstation' };
  if (args.values.has('target') || args.positional[1]) {
    const t = parseTarget(args.values.get('target') ?? args.positional[1]!);
    if (t) target = t;
  }
  let last = 0;
  // Shells opened by `kubectl exec -it POD -- sh` / `kubectl run -it`: `exit` returns to the one before.
  const sessions: { target: Target; onExit?: readonly string[] }[] = [];
  // A here-document being read: the command line and its lines up to the delimiter.
  let heredoc: { lines: string[]; tag: string } | null = null;
  for await (const raw of lines) {
    if (heredoc) {
      heredoc.lines.push(raw);
      if (raw.replace(/^\t+/, '') !== heredoc.tag) continue;
      const text = heredoc.lines.join('\n');
      heredoc = null;
      const r = runLine(built.sim, target, text);
      io.stdout(r.stdout); io.stderr(r.stderr); last = r.exitCode;
      continue;
    }
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const tag = /<<-?\s*['"]?([A-Za-z_][\w-]*)/.exec(line);
    if (tag) { heredoc = { lines: [line], tag: tag[1]! }; continue; }
    if ((line === 'exit' || line === 'logout') && sessions.length) {
      const back = sessions.pop()!;
      if (back.onExit) { const r = runLine(built.sim, back.target, back.onExit.join(' ')); io.stdout(r.stdout); io.stderr(r.stderr); }
      target = back.target;
      io.stderr(`# back on ${formatTarget(target)}\n`);
      continue;
    }
    if (line === 'exit' || line === 'quit') break;
    const use = /^use\s+(\S+)$/.exec(line);
    if (use) {
      const t = parseTarget(use[1]!);
      if (!t) { io.stderr(`knp shell: bad target "${use[1]}"\n`); last = 2; continue; }
      target = t;
      io.stderr(`# now on ${formatTarget(target)}\n`);
      continue;
    }
    const r = runLine(built.sim, target, line);
    io.stdout(r.stdout);
    io.stderr(r.stderr);
    last = r.exitCode;
    if (r.session) {
      sessions.push({ target, ...(r.session.onExit ? { onExit: r.session.onExit } : {}) });
      target = r.session.target;
      io.stderr(`# now on ${formatTarget(target)} (exit returns)\n`);
    }
  }
  return last;
};
