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
import { hasIPv6, nodeIPv6 } from '../../net/ipv6';
import { podAddr } from './policy';

/** Whether the cluster's Calico runs an IPv6 pool: calico itself (not canal) on a cluster with an IPv6 family. */
const ipv6On = (sim: Sim): boolean => sim.model.spec.network.plugin === 'calico' && hasIPv6(sim.model);
/** The IPv6 pool's CIDR (the cluster's IPv6 Pod CIDR). */
const pool6 = (sim: Sim): string | undefined => sim.model.spec.podCIDRs?.find((c) => c.includes(':'));

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

/** BIRD's peers of one family: every other node's address of that family, when BIRD runs a mesh. */
function bgpPeers(sim: Sim, me: string, bgpOn: BgpOn, fam: 4 | 6): string[] {
  if (!bgpOn(sim) || (fam === 6 && !ipv6On(sim))) return [];
  const mine = sim.model.nodes.find((n) => n.name === me);
  if (fam === 6 && (!mine || !nodeIPv6(mine))) return [];
  return sim.model.nodes.filter((n) => n.name !== me).map((n) => (fam === 4 ? n.ip : nodeIPv6(n))).filter((a): a is string => !!a);
}

function peerTable(fam: 4 | 6, peers: readonly string[]): string {
  if (peers.length === 0) return `No IPv${fam} peers found.\n`;
  let out = '';
  {
    const rows = [['PEER ADDRESS', 'PEER TYPE', 'STATE', 'SINCE', 'INFO'], ...peers.map((ip) => [ip, 'node-to-node mesh', 'up', since(), 'Established'])];
    const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)) + 2);
    const line = `+${w.map((x) => '-'.repeat(x)).join('+')}+\n`;
    const center = (s: string, n: number): string => { const l = Math.floor((n - 2 - s.length) / 2); return ` ${' '.repeat(l)}${s}${' '.repeat(n - 2 - s.length - l)} `; };
    out += line + `|${rows[0]!.map((c, i) => center(c, w[i]!)).join('|')}|\n` + line;
    for (const r of rows.slice(1)) out += `|${r.map((c, i) => ` ${c.padEnd(w[i]! - 2)} `).join('|')}|\n`;
    out += line;
  }
  return out;
}

function nodeStatus(sim: Sim, target: Target, bgpOn: BgpOn): CommandResult {
  if (target.kind !== 'node') return fail('Calico process is not running.\n', 1);
  const me = target.name;
  const v4 = peerTable(4, bgpPeers(sim, me, bgpOn, 4));
  const v6 = peerTable(6, bgpPeers(sim, me, bgpOn, 6));
  return ok(`Calico process is running.\n\nIPv4 BGP status\n${v4}\nIPv6 BGP status\n${v6}\n`);
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
    const u6 = sim.model.spec.underlayCIDRs?.find((c) => c.includes(':'))?.split('/')[1];
    const ip6 = (n: (typeof sim.model.nodes)[number]): string => { const a = ipv6On(sim) ? nodeIPv6(n) : undefined; return a && u6 ? `${a}/${u6}` : ''; };
    return ok(table([['NAME', 'ASN', 'IPV4', 'IPV6'], ...sim.model.nodes.map((n) => [n.name, bgpOn(sim) ? '(64512)' : '', `${n.ip}/24`, ip6(n)])]));
  }
  if (['ippool', 'ippools', 'ipp', 'ipps', 'pool', 'pools'].includes(k)) {
    const ipip = plugin === 'calico' && backend === 'ipip' ? 'Always' : 'Never';
    const vxlan = plugin === 'calico' && backend === 'vxlan' ? 'Always' : 'Never';
    const name = 'default-ipv4-ippool';
    // calico-node's default IPv6 pool: no IPIP (IPv4 only), VXLAN when the cluster uses it, natOutgoing off.
    const c6 = ipv6On(sim) ? pool6(sim) : undefined;
    if (!wide) return ok(table([['NAME', 'CIDR', 'SELECTOR'], [name, sim.model.spec.podCIDR, 'all()'], ...(c6 ? [['default-ipv6-ippool', c6, 'all()']] : [])]));
    return ok(table([['NAME', 'CIDR', 'NAT', 'IPIPMODE', 'VXLANMODE', 'DISABLED', 'DISABLEBGPEXPORT', 'SELECTOR'], [name, sim.model.spec.podCIDR, 'true', ipip, vxlan, 'false', 'false', 'all()'],
      ...(c6 ? [['default-ipv6-ippool', c6, 'false', 'Never', vxlan, 'false', 'false', 'all()']] : [])]));
  }
  if (['workloadendpoint', 'workloadendpoints', 'wep', 'weps'].includes(k)) {
    const all = argv.includes('-A') || argv.includes('--all-namespaces');
    const nsIdx = argv.findIndex((a) => a === '-n' || a === '--namespace');
    const ns = nsIdx >= 0 ? argv[nsIdx + 1] : 'default';
    const pods = sim.model.pods.filter((p) => !p.hostNetwork && p.podIP && p.nodeName && (all || p.meta.namespace === ns));
    const head = [...(all ? ['NAMESPACE'] : []), 'WORKLOAD', 'NODE', 'NETWORKS', 'INTERFACE', ...(wide ? ['PROFILES', 'NATS'] : [])];
    return ok(table([head, ...pods.map((p) => [...(all ? [p.meta.namespace] : []), p.meta.name, p.nodeName!, [`${p.podIP}/32`, ...(ipv6On(sim) && podAddr(p, 6) ? [`${podAddr(p, 6)}/128`] : [])].join(','), caliName(p.meta.namespace, p.meta.name), ...(wide ? [`kns.${p.meta.namespace},ksa.${p.meta.namespace}.default`, ''] : [])])]));
  }
  return fail(`Failed to get resources: resource type '${kind ?? ''}' is not supported\n`, 1);
};

const birdcl = (bgpOn: BgpOn): CniTool => (sim, target, argv) => {
  if (target.kind !== 'node') return fail('Unable to connect to server control socket (/var/run/calico/bird.ctl): No such file or directory\n', 1);
  // birdcl -s /var/run/calico/bird6.ctl talks to BIRD's IPv6 daemon (bird6, BIRD 1.x): its mesh peers over IPv6.
  const six = argv.includes('/var/run/calico/bird6.ctl') || argv[0] === 'birdcl6' || argv[0] === 'birdc6';
  if (six && !(ipv6On(sim) && bgpOn(sim))) return fail('Unable to connect to server control socket (/var/run/calico/bird6.ctl): No such file or directory\n', 1);
  const words = argv.slice(1).filter((a) => !a.startsWith('-') && a !== '/var/run/calico/bird.ctl' && a !== '/var/run/calico/bird6.ctl');
  const cmd = words.join(' ');
  const head = 'BIRD v0.3.3+birdv1.6.8 ready.\n';
  if (!/^sh(ow)?\s+p(rotocols?)?(\s+all)?$/.test(cmd)) return ok(`${head}${cmd ? 'syntax error' : ''}\n`);
  const me = target.name;
  const rows: string[][] = [['name', 'proto', 'table', 'state', 'since', 'info']];
  const t = since();
  rows.push(['static1', 'Static', 'master', 'up', t, ''], ['kernel1', 'Kernel', 'master', 'up', t, ''], ['device1', 'Device', 'master', 'up', t, ''], ['direct1', 'Direct', 'master', 'up', t, '']);
  for (const ip of bgpPeers(sim, me, bgpOn, six ? 6 : 4)) rows.push([`Mesh_${ip.replace(/[.:]/g, '_')}`, 'BGP', 'master', 'up', t, 'Established']);
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)) + 1);
  return ok(head + rows.map((r) => `${r.map((c, i) => c.padEnd(w[i]!)).join('')}\n`.replace(/ +\n$/, '    \n')).join(''));
};

/** The tools a Calico-family node has; `bgpOn` says whether BIRD runs a mesh there. */
export function calicoTools(bgpOn: BgpOn): Readonly<Record<string, CniTool>> {
  const bird = birdcl(bgpOn);
  return { calicoctl: calicoctl(bgpOn), birdcl: bird, birdc: bird };
}
