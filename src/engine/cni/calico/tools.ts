/**
 * Calico's own tools, installed by its plugin (CniPlugin.tools), as a node of a Calico (or canal) cluster answers them: `calicoctl get
 * nodes|ippool|workloadendpoints [-o wide]`, `calicoctl node status` (the BGP mesh as BIRD sees
 * it) and BIRD's `birdcl show protocols`. Everything is read from the model: nodes, the pool
 * (the cluster's Pod CIDR, with the encapsulation the backend uses) and each Pod's cali device.
 */
import type { Target } from '../../net/target';
import type { Sim } from '../../sim';
import { CLUSTER_START_MS } from '../../util/clock';
import { cniFail as fail, cniOk as ok, type CniTool, type CniToolResult as CommandResult } from '../plugin';
import { caliName } from './plugin';

/** Whether the cluster's nodes run BIRD's BGP mesh (Calico without VXLAN; never canal, whose routes come from flannel). */
type BgpOn = (sim: Sim) => boolean;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)) + 3);
  return rows.map((r) => `${r.map((c, i) => c.padEnd(widths[i]!)).join('')}\n`).join('');
}


const since = (): string => {
  const d = new Date(CLUSTER_START_MS + 12_000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`;
};

function nodeStatus(sim: Sim, target: Target, bgpOn: BgpOn): CommandResult {
  if (target.kind !== 'node') return fail('Calico process is not running.\n', 1);
  const me = target.name;
  let out = 'Calico process is running.\n\nIPv4 BGP status\n';
  const peers = bgpOn(sim) ? sim.model.nodes.filter((n) => n.name !== me) : [];
  if (peers.length === 0) out += 'No IPv4 peers found.\n';
  else {
    const rows = [['PEER ADDRESS', 'PEER TYPE', 'STATE', 'SINCE', 'INFO'], ...peers.map((n) => [n.ip, 'node-to-node mesh', 'up', since(), 'Established'])];
    const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)) + 2);
    const line = `+${w.map((x) => '-'.repeat(x)).join('+')}+\n`;
    const center = (s: string, n: number): string => { const l = Math.floor((n - 2 - s.length) / 2); return ` ${' '.repeat(l)}${s}${' '.repeat(n - 2 - s.length - l)} `; };
    out += line + `|${rows[0]!.map((c, i) => center(c, w[i]!)).join('|')}|\n` + line;
    for (const r of rows.slice(1)) out += `|${r.map((c, i) => ` ${c.padEnd(w[i]! - 2)} `).join('|')}|\n`;
    out += line;
  }
  return ok(`${out}\nIPv6 BGP status\nNo IPv6 peers found.\n\n`);
}

const calicoctl = (bgpOn: BgpOn): CniTool => (sim, target, argv) => {
  const [verb, kind] = [argv[1], argv[2]];
  const wide = argv.includes('wide') || argv.includes('-owide') || argv.some((a) => a === '-o=wide' || a === '--output=wide');
  if (verb === 'node' && kind === 'status') return nodeStatus(sim, target, bgpOn);
  if (verb === 'version') return ok('Client Version:    v3.27.0\nGit commit:        711528e\nCluster Version:   v3.27.0\nCluster Type:      k8s,bgp,kubeadm,kdd\n');
  if (verb !== 'get') return fail(`Invalid option: '${verb ?? ''}'.\n\nUsage:\n  calicoctl [options] <command> [<args>...]\n`, 1);
  const k = (kind ?? '').toLowerCase();
  const backend = sim.model.spec.network.backend;
  const plugin = sim.model.spec.network.plugin;
  if (['node', 'nodes'].includes(k)) {
    if (!wide) return ok(table([['NAME'], ...sim.model.nodes.map((n) => [n.name])]));
    return ok(table([['NAME', 'ASN', 'IPV4', 'IPV6'], ...sim.model.nodes.map((n) => [n.name, bgpOn(sim) ? '(64512)' : '', `${n.ip}/24`, ''])]));
  }
  if (['ippool', 'ippools', 'ipp', 'ipps', 'pool', 'pools'].includes(k)) {
    const ipip = plugin === 'calico' && backend === 'ipip' ? 'Always' : 'Never';
    const vxlan = plugin === 'calico' && backend === 'vxlan' ? 'Always' : 'Never';
    const name = 'default-ipv4-ippool';
    if (!wide) return ok(table([['NAME', 'CIDR', 'SELECTOR'], [name, sim.model.spec.podCIDR, 'all()']]));
    return ok(table([['NAME', 'CIDR', 'NAT', 'IPIPMODE', 'VXLANMODE', 'DISABLED', 'DISABLEBGPEXPORT', 'SELECTOR'], [name, sim.model.spec.podCIDR, 'true', ipip, vxlan, 'false', 'false', 'all()']]));
  }
  if (['workloadendpoint', 'workloadendpoints', 'wep', 'weps'].includes(k)) {
    const all = argv.includes('-A') || argv.includes('--all-namespaces');
    const nsIdx = argv.findIndex((a) => a === '-n' || a === '--namespace');
    const ns = nsIdx >= 0 ? argv[nsIdx + 1] : 'default';
    const pods = sim.model.pods.filter((p) => !p.hostNetwork && p.podIP && p.nodeName && (all || p.meta.namespace === ns));
    const head = [...(all ? ['NAMESPACE'] : []), 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE', ...(wide ? ['PROFILES', 'NATS'] : [])];
    return ok(table([head, ...pods.map((p) => [...(all ? [p.meta.namespace] : []), p.meta.name, p.nodeName!, `${p.podIP}/32`, caliName(p.meta.namespace, p.meta.name), ...(wide ? [`kns.${p.meta.namespace},ksa.${p.meta.namespace}.default`, ''] : [])])]));
  }
  return fail(`Failed to get resources: resource type '${kind ?? ''}' is not supported\n`, 1);
};

const birdcl = (bgpOn: BgpOn): CniTool => (sim, target, argv) => {
  if (target.kind !== 'node') return fail('Unable to connect to server control socket (/var/run/calico/bird.ctl): No such file or directory\n', 1);
  const words = argv.slice(1).filter((a) => !a.startsWith('-') && a !== '/var/run/calico/bird.ctl');
  const cmd = words.join(' ');
  const head = 'BIRD v0.3.3+birdv1.6.8 ready.\n';
  if (!/^sh(ow)?\s+p(rotocols?)?(\s+all)?$/.test(cmd)) return ok(`${head}${cmd ? 'syntax error' : ''}\n`);
  const me = target.name;
  const rows: string[][] = [['name', 'proto', 'table', 'state', 'since', 'info']];
  const t = since();
  rows.push(['static1', 'Static', 'master', 'up', t, ''], ['kernel1', 'Kernel', 'master', 'up', t, ''], ['device1', 'Device', 'master', 'up', t, ''], ['direct1', 'Direct', 'master', 'up', t, '']);
  if (bgpOn(sim)) for (const n of sim.model.nodes.filter((x) => x.name !== me)) rows.push([`Mesh_${n.ip.replace(/\./g, '_')}`, 'BGP', 'master', 'up', t, 'Established']);
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)) + 1);
  return ok(head + rows.map((r) => `${r.map((c, i) => c.padEnd(w[i]!)).join('')}\n`.replace(/ +\n$/, '    \n')).join(''));
};

/** The tools a Calico-family node has; `bgpOn` says whether BIRD runs a mesh there. */
export function calicoTools(bgpOn: BgpOn): Readonly<Record<string, CniTool>> {
  const bird = birdcl(bgpOn);
  return { calicoctl: calicoctl(bgpOn), birdcl: bird, birdc: bird };
}
