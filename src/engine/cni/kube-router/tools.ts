/**
 * The gobgp CLI kube-router's image ships (`gobgp` talks to the gobgp server inside kube-router
 * on the node): `gobgp neighbor` (the iBGP full mesh, one session per other node) and `gobgp
 * global rib` (the node's own podCIDR, originated locally, and every peer's, learned with the
 * peer as next hop). Read from the model; ages are simulated time since the sessions came up.
 */
import type { Target } from '../../net/target';
import type { Sim } from '../../sim';
import { cniFail as fail, cniOk as ok, type CniTool } from '../plugin';
import { KUBE_ROUTER_ASN } from './plugin';

/** The sessions came up a few seconds after the cluster started. */
const UP_AFTER_S = 12;

function age(sim: Sim): string {
  const s = Math.max(0, Math.floor(sim.now / 1000) + UP_AFTER_S);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor(s / 60) % 60)}:${p(s % 60)}`;
}

function columns(rows: string[][], pad = 1): string {
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `${r.map((x, i) => (i === r.length - 1 ? x : x.padEnd(w[i]! + pad))).join('')}`.trimEnd() + '\n').join('');
}

function neighbor(sim: Sim, me: string): string {
  const peers = sim.model.nodes.filter((n) => n.name !== me);
  const rows = [['Peer', 'AS', 'Up/Down', 'State', '|#Received', 'Accepted']];
  for (const n of peers) rows.push([n.ip, String(KUBE_ROUTER_ASN), age(sim), 'Establ', `|${'1'.padStart(9)}`, '1'.padStart(8)]);
  return columns(rows);
}

function globalRib(sim: Sim, me: string): string {
  const self = sim.model.nodes.find((n) => n.name === me);
  const rows = [['   Network', 'Next Hop', 'AS_PATH', 'Age', 'Attrs']];
  const entries = sim.model.nodes
    .filter((n) => n.podCIDR)
    .map((n) => ({ net: n.podCIDR, hop: n.name === me ? '0.0.0.0' : n.ip, attrs: n.name === me ? '[{Origin: i}]' : '[{Origin: i} {LocalPref: 100}]' }))
    .sort((a, b) => a.net.localeCompare(b.net, 'en', { numeric: true }));
  for (const e of entries) rows.push([`*> ${e.net}`, e.hop, '', age(sim), e.attrs]);
  return self ? columns(rows, 3) : '';
}

export const gobgp: CniTool = (sim, target: Target, argv) => {
  if (target.kind !== 'node') return fail('failed to connect to 127.0.0.1:50051: connection refused\n', 1);
  const [, a, b] = argv;
  if (a === 'neighbor' || a === 'neighbour' || a === 'n') return ok(neighbor(sim, target.name));
  if ((a === 'global' || a === 'g') && (b === 'rib' || b === 'r')) return ok(globalRib(sim, target.name));
  if (a === 'global' || a === 'g') return ok(`AS:        ${KUBE_ROUTER_ASN}\nRouter-ID: ${sim.model.nodes.find((n) => n.name === target.name)?.ip ?? ''}\nListening Port: 179, Addresses: 0.0.0.0, ::\n`);
  return fail(`Usage:\n  gobgp [command]\n\nAvailable Commands:\n  global      subcommand for global\n  neighbor    subcommand for neighbor operations\n\nunknown command "${a ?? ''}" for "gobgp"\n`, 1);
};

export const kubeRouterTools: Readonly<Record<string, CniTool>> = { gobgp };
