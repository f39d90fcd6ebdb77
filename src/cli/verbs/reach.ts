/**
 * `knp reach FILE [--port N] [--proto tcp|udp|sctp] [--namespaces A,B] [--json]`: which Pod
 * reaches which, on one port. JSON: {"port":80,"protocol":"TCP","pods":[...],"matrix":[[...]]}.
 */
import { formatReach } from '../../engine/policy/matrix';
import { reachability } from '../../engine/clients/reach';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

const USAGE = 'usage: knp reach FILE [--port N] [--proto tcp|udp|sctp] [--namespaces A,B] [--via walk|evaluator] [--json]\n';

export const reach: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed', 'port', 'proto', 'namespaces', 'via']);
  const [file] = args.positional;
  if (!file) { io.stderr(USAGE); return 2; }
  const portText = args.values.get('port') ?? '80';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) { io.stderr(`knp reach: --port must be 1-65535, not "${portText}"\n`); return 2; }
  const protoText = (args.values.get('proto') ?? 'tcp').toLowerCase();
  if (protoText !== 'tcp' && protoText !== 'udp' && protoText !== 'sctp') { io.stderr(`knp reach: --proto must be tcp, udp or sctp, not "${protoText}"\n`); return 2; }
  const via = args.values.get('via') ?? 'auto';
  if (via !== 'auto' && via !== 'walk' && via !== 'evaluator') { io.stderr(`knp reach: --via must be walk or evaluator, not "${via}"\n`); return 2; }
  const nsText = args.values.get('namespaces');
  const namespaces = nsText ? nsText.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  const r = reachability(built.sim, { port, protocol: protoText.toUpperCase() as 'TCP' | 'UDP' | 'SCTP', via, ...(namespaces ? { namespaces } : {}) });
  if (args.flags.has('json')) {
    io.stdout(`${JSON.stringify({ port: r.port, protocol: r.protocol, pods: r.pods, matrix: r.matrix })}\n`);
  } else {
    io.stdout(formatReach(r));
    if (built.diagnostics.some((d) => d.code === 'policy-not-enforced')) io.stdout(`note: the ${built.sim.model.spec.network.plugin} network plugin does not enforce NetworkPolicy; every cell is allowed\n`);
  }
  return 0;
};
