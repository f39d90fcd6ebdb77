/**
 * `knp cost FILE [--json] [--lang zh-CN|en] [--seed N]`: what the scenario's Services cost each
 * kube-proxy mode — rules, rules a new connection is checked against, rules rewritten by one
 * Service change, the size of the rule text — now and as a curve from 10 to 10,000 Services
 * (src/engine/agents/kubeproxy/cost.ts computes it; the UI plots the same numbers).
 * JSON: {"services","servicePorts","endpointsPerService","mode","current":[ModeCost],"curve":[{"services","modes":[ModeCost]}]}.
 */
import { CURVE_BASIS, proxyCost, type ModeCost } from '../../engine/agents/kubeproxy/cost';
import { LARGE_CLUSTER_ENDPOINTS } from '../../engine/agents/kubeproxy/iptables';
import { langFromEnv, renderMessage, type EngineLang, type MessageCode } from '../../engine/i18n/messages';
import type { Verb } from '../io';
import { loadScenarioFile, parseArgs } from '../load';

const USAGE = 'usage: knp cost FILE [--json] [--lang zh-CN|en] [--seed N]\n';

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}

/** Columns padded to their widest cell (CJK characters count as two). */
function table(rows: readonly (readonly string[])[]): string {
  const width = (s: string): number => [...s].reduce((n, c) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(c) ? 2 : 1), 0);
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => width(r[i] ?? ''))));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(w[i]! - width(c) + 2))).join('').trimEnd()).join('\n');
}

export const cost: Verb = async (argv, io) => {
  const args = parseArgs(argv, ['seed', 'lang']);
  const [file] = args.positional;
  if (!file) { io.stderr(USAGE); return 2; }
  const langArg = args.values.get('lang');
  if (langArg !== undefined && langArg !== 'en' && langArg !== 'zh-CN') { io.stderr(`knp: --lang must be zh-CN or en, not "${langArg}"\n`); return 2; }
  const lang: EngineLang = langArg ?? langFromEnv(io.env ?? {});
  const built = await loadScenarioFile(io, file, args);
  if (typeof built === 'number') return built;
  const r = proxyCost(built.sim.model);
  if (!r) { io.stderr(`knp cost: ${file} has no cluster (no nodes): nothing for kube-proxy to write\n`); return 1; }
  if (args.flags.has('json')) { io.stdout(`${JSON.stringify(r, null, 2)}\n`); return 0; }
  const t = (code: MessageCode, params: Readonly<Record<string, string | number>> = {}): string => renderMessage(code, params, lang);
  const out: string[] = [t('cost.title', { file }), t('cost.summary', { services: r.services, ports: r.servicePorts, endpoints: r.endpointsPerService, mode: r.mode }), ''];
  out.push(t('cost.now', { services: r.services }));
  out.push(table([
    [t('cost.col.mode'), t('cost.col.rules'), t('cost.col.newConn'), t('cost.col.change'), t('cost.col.bytes')],
    ...r.current.map((m) => [m.mode, String(m.rules), `${m.newConnection.mean} / ${m.newConnection.worst}`, String(m.serviceChange), kib(m.bytes)]),
  ]));
  const curve = (title: MessageCode, cell: (m: ModeCost) => string): void => {
    out.push('', t(title));
    out.push(table([[t('cost.col.services'), ...r.curve[0]!.modes.map((m) => m.mode)], ...r.curve.map((p) => [String(p.services), ...p.modes.map(cell)])]));
  };
  curve('cost.curve.newConn', (m) => String(m.newConnection.mean));
  curve('cost.curve.change', (m) => String(m.serviceChange));
  curve('cost.curve.bytes', (m) => kib(m.bytes));
  out.push('', t('cost.note.iptables'), t('cost.note.hash'), t('cost.note.method', { lo: CURVE_BASIS[0], hi: CURVE_BASIS[1] }), t('cost.note.large', { endpoints: LARGE_CLUSTER_ENDPOINTS }));
  io.stdout(`${out.join('\n')}\n`);
  return 0;
};
