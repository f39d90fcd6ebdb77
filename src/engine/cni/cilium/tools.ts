/**
 * `cilium-dbg` (and its older name `cilium`), as the agent on a node answers it: `status`,
 * `service list`, `bpf lb list`, `endpoint list`. Everything is read from the agent's maps
 * (identity.ts, lb.ts), which are derived from the model and the network.
 */
import type { Target } from '../../net/target';
import type { Sim } from '../../sim';
import { cniFail as fail, cniOk as ok, type CniTool, type CniToolResult } from '../plugin';
import { ciliumView, enforced, ID_HOST, RESERVED_NAMES } from './identity';
import { lbBackends, lbServices, type LbBackend } from './lb';
import { routerIp } from './plugin';

const SOCK_ERR = 'Error: Unable to reach the Cilium API at unix:///var/run/cilium/cilium.sock: is the agent running on this machine?\n';

function columns(rows: readonly (readonly string[])[], gap = 3): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + gap))).join('').replace(/ +$/, '')).join('\n') + '\n';
}

interface Frontend { readonly addr: string; readonly type: string; readonly backends: readonly LbBackend[] }

/** The LB map's frontends in ID order: every ClusterIP port, then (kubeProxyReplacement) each NodePort on the node's address. */
function frontends(sim: Sim, node: string): Frontend[] {
  const model = sim.model;
  const kpr = model.spec.network.kubeProxyReplacement === true;
  const me = model.nodes.find((n) => n.name === node);
  const out: Frontend[] = [];
  for (const s of lbServices(model)) {
    for (const p of s.ports) {
      const backends = lbBackends(model, s, p);
      out.push({ addr: `${s.clusterIP}:${p.port}/${p.protocol}`, type: 'ClusterIP', backends });
      if (kpr && me && p.nodePort !== undefined) {
        out.push({ addr: `${me.ip}:${p.nodePort}/${p.protocol}`, type: 'NodePort', backends });
        out.push({ addr: `0.0.0.0:${p.nodePort}/${p.protocol}`, type: 'NodePort', backends });
      }
    }
  }
  return out;
}

function serviceList(sim: Sim, node: string): CniToolResult {
  const rows: string[][] = [['ID', 'Frontend', 'Service Type', 'Backend']];
  frontends(sim, node).forEach((f, i) => {
    if (f.backends.length === 0) { rows.push([String(i + 1), f.addr, f.type, '']); return; }
    f.backends.forEach((b, j) => rows.push([j === 0 ? String(i + 1) : '', j === 0 ? f.addr : '', j === 0 ? f.type : '', `${j + 1} => ${b.ip}:${b.port}/${f.addr.split('/')[1]} (active)`]));
  });
  return ok(columns(rows));
}

function bpfLbList(sim: Sim, node: string): CniToolResult {
  const rows: string[][] = [['SERVICE ADDRESS', 'BACKEND ADDRESS (REVNAT_ID) (SLOT)']];
  frontends(sim, node).forEach((f, i) => {
    const id = i + 1;
    const addr = f.addr.replace(/\/(TCP|UDP|SCTP)$/, '');
    const proto = f.addr.split('/')[1];
    f.backends.forEach((b, j) => rows.push([`${addr}/${proto} (${j + 1})`, `${b.ip}:${b.port}/${proto} (${id}) (${j + 1})`]));
    rows.push([`${addr}/${proto} (0)`, `0.0.0.0:0 (${id}) (0) [${f.type}${f.type === 'ClusterIP' ? ', non-routable' : ''}]`]);
  });
  return ok(columns(rows, 2));
}

function endpointList(sim: Sim, node: string): CniToolResult {
  const v = ciliumView(sim);
  const model = sim.model;
  const head1 = ['ENDPOINT', 'POLICY (ingress)', 'POLICY (egress)', 'IDENTITY', 'LABELS (source:key[=value])', 'IPv6', 'IPv4', 'STATUS'];
  const head2 = ['', 'ENFORCEMENT', 'ENFORCEMENT', '', '', '', '', ''];
  const rows: string[][] = [head1, head2];
  const en = (b: boolean): string => (b ? 'Enabled' : 'Disabled');
  const hostEp = 100 + (model.nodes.findIndex((n) => n.name === node) * 37) % 3000;
  const eps = [
    { id: hostEp, ing: false, eg: false, identity: ID_HOST, labels: [RESERVED_NAMES[ID_HOST]!, ...Object.entries(model.nodes.find((n) => n.name === node)?.labels ?? {}).map(([k, x]) => `k8s:${k}${x ? `=${x}` : ''}`).sort()], ip: '' },
    ...v.endpoints.filter((e) => e.node.name === node).map((e) => ({ id: e.id, ing: enforced(model, e.pod, 'ingress'), eg: enforced(model, e.pod, 'egress'), identity: e.identity, labels: e.labels, ip: e.ip })),
  ].sort((a, b) => a.id - b.id);
  for (const e of eps) {
    e.labels.forEach((l, i) => rows.push(i === 0 ? [String(e.id), en(e.ing), en(e.eg), String(e.identity), l, '', e.ip, 'ready'] : ['', '', '', '', l, '', '', '']));
  }
  return ok(columns(rows));
}

function status(sim: Sim, node: string): CniToolResult {
  const model = sim.model;
  const me = model.nodes.find((n) => n.name === node)!;
  const v = ciliumView(sim);
  const kpr = model.spec.network.kubeProxyReplacement === true;
  const native = model.spec.network.backend === 'native';
  const local = v.endpoints.filter((e) => e.node.name === node).length;
  const lines: [string, string][] = [
    ['KVStore', 'Disabled'],
    ['Kubernetes', 'Ok   1.30 (v1.30.0) [linux/amd64]'],
    ['KubeProxyReplacement', kpr ? `True   [eth0   ${me.ip} (Direct Routing)]` : 'False'],
    ['Host firewall', 'Disabled'],
    ['CNI Chaining', 'none'],
    ['CNI Config file', 'successfully wrote CNI configuration file to /host/etc/cni/net.d/05-cilium.conflist'],
    ['Cilium', 'Ok   1.16.5 (v1.16.5-ad688277)'],
    ['NodeMonitor', 'Listening for events on 2 CPUs with 64x4096 of shared memory'],
    ['Cilium health daemon', 'Ok'],
    ['IPAM', `IPv4: ${local + 1}/254 allocated from ${me.podCIDR}, `],
    ['Routing', `Network: ${native ? 'Native' : 'Tunnel [vxlan]'}   Host: Legacy`],
    ['Attach Mode', 'TCX'],
    ['Device Mode', 'veth'],
    ['Masquerading', 'IPTables [IPv4: Enabled, IPv6: Disabled]'],
    ['Controller Status', '28/28 healthy'],
    ['Proxy Status', `OK, ip ${routerIp(me.podCIDR) ?? ''}, 0 redirects active on ports 10000-20000, Envoy: external`],
    ['Global Identity Range', 'min 256, max 65535'],
    ['Hubble', 'Disabled'],
    ['Encryption', 'Disabled'],
    ['Cluster health', `${model.nodes.length}/${model.nodes.length} reachable`],
    ['Modules Health', 'Stopped(0) Degraded(0) OK(11)'],
  ];
  return ok(lines.map(([k, x]) => `${`${k}:`.padEnd(25)}${x}`).join('\n') + '\n');
}

const USAGE = `CLI for interacting with the local Cilium Agent

Usage:
  cilium-dbg [command]

Available Commands:
  bpf         Direct access to local BPF maps
  endpoint    Manage endpoints
  service     Manage services & loadbalancers
  status      Display status of daemon
`;

const ciliumDbg: CniTool = (sim, target: Target, argv) => {
  const words = argv.slice(1).filter((a) => !a.startsWith('-'));
  if (words.length === 0 || argv.includes('--help') || argv.includes('-h')) return ok(USAGE);
  if (target.kind !== 'node') return fail(SOCK_ERR, 1);
  const node = target.name;
  const cmd = words.join(' ');
  if (cmd === 'status') return status(sim, node);
  if (cmd === 'service list' || cmd === 'service ls') return serviceList(sim, node);
  if (cmd === 'bpf lb list' || cmd === 'bpf lb ls') return bpfLbList(sim, node);
  if (cmd === 'endpoint list' || cmd === 'endpoint ls') return endpointList(sim, node);
  return fail(`Error: unknown command "${cmd}" for "cilium-dbg"\nRun 'cilium-dbg --help' for usage.\n`, 1);
};

export const ciliumTools: Readonly<Record<string, CniTool>> = { 'cilium-dbg': ciliumDbg, cilium: ciliumDbg };
