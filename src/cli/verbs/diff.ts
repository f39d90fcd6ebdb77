/**
 * `knp diff A.yaml B.yaml [--from T --to DEST] [--port N] [--proto tcp|udp] [--seed N]`: what
 * differs between two configurations: each node's `ip route` and `iptables-save` (as a diff),
 * the Pod-to-Pod reachability cells that changed (on --port, default 80), and with --from/--to
 * the trace of the same Send in both. Exit 0 when nothing differs, 1 when something does.
 */
import { compareSims, formatCompare } from '../../engine/index';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

const USAGE = 'usage: knp diff A.yaml B.yaml [--from T --to DEST] [--port N] [--proto tcp|udp] [--seed N]\n';

export const diff: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed', 'from', 'to', 'port', 'proto']);
  const [fa, fb] = args.positional;
  if (!fa || !fb) { io.stderr(USAGE); return 2; }
  const from = args.values.get('from');
  const to = args.values.get('to');
  if ((from === undefined) !== (to === undefined)) { io.stderr(`knp diff: --from and --to go together\n${USAGE}`); return 2; }
  const portText = args.values.get('port');
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) { io.stderr(`knp diff: --port must be 1-65535, not "${portText}"\n`); return 2; }
  const proto = (args.values.get('proto') ?? 'tcp').toLowerCase();
  if (proto !== 'tcp' && proto !== 'udp') { io.stderr(`knp diff: --proto must be tcp or udp, not "${proto}"\n`); return 2; }
  const a = await loadScenarioFile(io, fa, args);
  if (typeof a === 'number') return a;
  const b = await loadScenarioFile(io, fb, args);
  if (typeof b === 'number') return b;
  for (const [f, r] of [[fa, a], [fb, b]] as const) {
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) { io.stderr(`knp diff: ${f} has ${errors.length} error(s); run knp check ${f}\n`); return 2; }
  }
  const result = compareSims(a.sim, b.sim, {
    ...(port !== undefined ? { port } : {}),
    protocol: proto === 'udp' ? 'UDP' : 'TCP',
    ...(from && to ? { send: { from, to, protocol: proto, ...(port !== undefined ? { port } : {}) } } : {}),
  });
  io.stdout(formatCompare(result, { a: fa, b: fb }));
  return result.changed ? 1 : 0;
};
