/**
 * The `knp` command: the same engine the browser runs, in-process. Each verb lives in
 * src/cli/verbs/; this file only dispatches.
 */
import type { CliIO, Verb } from './io';
import { check } from './verbs/check';
import { cost } from './verbs/cost';
import { exec } from './verbs/exec';
import { grade } from './verbs/grade';
import { lessons } from './verbs/lessons';
import { lab } from './verbs/lab';
import { shell } from './verbs/shell';
import { open, share } from './verbs/share';
import { diff } from './verbs/diff';
import { reach } from './verbs/reach';
import { trace } from './verbs/trace';

export type { CliIO } from './io';

const verbs: Record<string, Verb> = { check, exec, shell, lab, reach, trace, grade, lessons, share, open, diff, cost };

const USAGE = `usage: knp VERB FILE [options]
  check FILE [--lang zh-CN|en]       diagnostics: FILE:LINE:COL: severity code: message
  exec FILE [TARGET] -- COMMAND...   run one simulated command (TARGET: node/NAME, pod/NS/NAME, host/NAME)
  shell FILE                         commands from standard input against one live simulation
  trace FILE --from T --to DEST      walk a packet exchange and print every hop ([--proto P] [--port N] [--json] [--story] [--lang zh-CN|en] [--pcap OUT] [--explain])
  lab FILE [--probe NAME]... > lab.sh  a bash script rebuilding the network in real namespaces, running the probes
  reach FILE [--port N] [--proto P] [--namespaces A,B] [--json]   Pod-to-Pod reachability table
  share FILE [--base URL] [--commands FILE] [--knp OUT]   a share link (v=1) for the scenario and a journal of commands
  open LINK|FILE.knp [--commands FILE] > YAML   the scenario back byte for byte; the journal to FILE
  diff A.yaml B.yaml [--from T --to DEST] [--port N]   routes, iptables-save, reachability and the same trace, A vs B (exit 1 when they differ)
  grade FILE [--start S] [--commands C] [--json]   check a Challenge's goals: PASS/FAIL and why; exit 1 if one fails
  lessons [--json]                   the course: [{id, title_en, title_zh, scenario, steps}]
  cost FILE [--json] [--lang zh-CN|en]   kube-proxy's modes (iptables, IPVS, nftables): rules, rules a new connection checks, rules rewritten per Service change, rule text; now and from 10 to 10,000 Services
every verb takes --seed N (default 1)
`;

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [verb, ...rest] = argv;
  if (!verb || verb === '--help' || verb === '-h' || verb === 'help') { io.stdout(USAGE); return verb ? 0 : 2; }
  const v = verbs[verb];
  if (!v) { io.stderr(`knp: unknown verb "${verb}"\n${USAGE}`); return 2; }
  return v(rest, io);
}
