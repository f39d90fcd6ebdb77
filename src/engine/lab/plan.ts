/**
 * From a built simulation to the exporter's input: which namespaces, which iptables rulesets,
 * which probes (resolved to addresses by the simulator), what the kernel must offer.
 *
 * Probes are the scenario's Probe objects, or the ones named on the command line. A probe may
 * also be written ad hoc as "FROM TO" (e.g. "pod/default/client http://web.default:80").
 * Names in TO are resolved by the simulator before export (the lab runs no CoreDNS): Services
 * to their ClusterIP, Pods by name, nodes, hosts and external hosts by name. The script says
 * so in a comment above each probe.
 */
import { ipFamily } from '../addr/family';
import type { ClusterModel, ProbeModel } from '../model/cluster';
import { nsForRef } from '../net/lookup';
import type { NetNs, Network } from '../net/types';
import { rulesetText } from '../netfilter/nft/ruleset';
import type { Sim } from '../sim';
import type { IpvsState } from '../ipvs/ipvs';
import type { Target } from '../net/target';
import { runLine } from '../shell/run';
import type { LabInput, LabProbe } from './export';

export interface LabPlanOptions {
  /** Probe names (or ad hoc "FROM TO" specs); empty = every Probe object of the scenario. */
  readonly probes?: readonly string[];
  /** iptables-save text per namespace, when the netfilter module is present. */
  readonly iptablesSave?: (ns: NetNs) => string | null;
  /** ip6tables-save text per namespace; default: what the simulator's own `ip6tables-save` prints there (its live IPv6 tables). */
  readonly ip6tablesSave?: (ns: NetNs) => string | null;
  /** `nft list ruleset` text per namespace (kube-proxy's nftables mode); default: the namespace's nf_tables state as `nft list ruleset` prints it. */
  readonly nftRuleset?: (ns: NetNs) => string | null;
  /** Resolves a walk endpoint ("pod/NAME", "node/N", "host/H#net1") to its namespace; default: net/lookup's nsForRef. */
  readonly nsForRef?: (sim: Sim, ref: string) => NetNs | undefined;
}

export interface LabPlan {
  readonly input: LabInput;
  /** Probes that could not be exported, with the reason (the verb prints them and fails). */
  readonly problems: readonly string[];
}

export interface ParsedTo {
  readonly host: string;
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  readonly port: number;
}

/**
 * Parses a probe's TO: IP, IP:PORT, http://HOST[:PORT]/PATH, https://..., tcp://HOST:PORT,
 * udp://HOST:PORT. An IPv6 address is written bare (ping) or in brackets: [V6]:PORT, http://[V6]/.
 */
export function parseTo(to: string, protocol?: 'tcp' | 'udp' | 'icmp', port?: number): ParsedTo | null {
  const m = /^([a-z]+):\/\/(\[[0-9A-Fa-f:.]+\]|[^/:[\]]+)(?::(\d+))?(\/.*)?$/.exec(to);
  if (m) {
    const scheme = m[1]!;
    const defaults: Record<string, ['tcp' | 'udp', number]> = { http: ['tcp', 80], https: ['tcp', 443], tcp: ['tcp', 0], udp: ['udp', 0] };
    const d = defaults[scheme];
    if (!d) return null;
    const p = m[3] ? Number(m[3]) : port ?? d[1];
    if (!p) return null;
    return { host: unbracket(m[2]!), protocol: protocol ?? d[0], port: p };
  }
  // A bare IPv6 address has no port (its colons are the address's own).
  const hp = /^[0-9A-Fa-f]*:[0-9A-Fa-f]*:[0-9A-Fa-f:.]*$/.test(to) ? [to, to] : /^(\[[0-9A-Fa-f:.]+\]|[^:/\s[\]]+)(?::(\d+))?$/.exec(to);
  if (!hp) return null;
  const p = hp[2] ? Number(hp[2]) : port;
  const proto = protocol ?? (p ? 'tcp' : 'icmp');
  if (proto !== 'icmp' && !p) return null;
  return { host: unbracket(hp[1]!), protocol: proto, port: proto === 'icmp' ? 0 : p! };
}

const unbracket = (h: string): string => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h);

/**
 * What the simulator's resolver answers for HOST, asked from a client in Kubernetes namespace
 * `clientNs` (its search list: NS.svc.cluster.local, svc.cluster.local, cluster.local).
 */
export function resolveName(model: ClusterModel, host: string, clientNs: string): string | null {
  if (ipFamily(host) !== null) return host;
  const domain = model.spec.clusterDomain;
  const name = host.replace(/\.$/, '');
  const candidates = host.endsWith('.') ? [name] : [name, `${name}.${clientNs}.svc.${domain}`, `${name}.svc.${domain}`, `${name}.${domain}`];
  for (const c of candidates) {
    const svc = /^([^.]+)\.([^.]+)\.svc\.(.+)$/.exec(c);
    if (svc && svc[3] === domain) {
      const s = model.services.find((x) => x.meta.name === svc[1] && x.meta.namespace === svc[2]);
      if (s?.clusterIP && !s.headless) return s.clusterIP;
      if (s?.headless) {
        const slice = model.endpointSlices.find((e) => e.serviceName === s.meta.name && e.meta.namespace === s.meta.namespace);
        const ep = slice?.endpoints.find((e) => e.ready);
        if (ep?.addresses[0]) return ep.addresses[0];
      }
    }
  }
  const ext = model.externalHosts.find((h) => h.name === name);
  if (ext) return ext.ip;
  const node = model.nodes.find((n) => n.name === name);
  if (node) return node.ip;
  const hostObj = model.hosts.find((h) => h.meta.name === name);
  if (hostObj?.spec.ip) return hostObj.spec.ip.split('/')[0]!;
  return null;
}

export function planLab(sim: Sim, opts: LabPlanOptions = {}): LabPlan {
  const problems: string[] = [];
  const nsFor = opts.nsForRef ?? nsForRef;
  const selected: ProbeModel[] = [];
  const wanted = opts.probes ?? [];
  if (wanted.length === 0) selected.push(...sim.model.probes);
  wanted.forEach((w, i) => {
    const byName = sim.model.probes.find((p) => p.name === w);
    if (byName) { selected.push(byName); return; }
    const parts = w.trim().split(/\s+/);
    if (parts.length === 2) { selected.push({ name: `probe-${i + 1}`, from: parts[0]!, to: parts[1]!, count: 1 }); return; }
    problems.push(`--probe ${JSON.stringify(w)}: no Probe object has this name (or write it as "FROM TO", e.g. "pod/default/client http://web:80")`);
  });

  const probes: LabProbe[] = [];
  for (const p of selected) {
    const ns = nsFor(sim, p.from);
    if (!ns) { problems.push(`probe ${p.name}: ${p.from} has no network namespace in the simulation`); continue; }
    const to = parseTo(p.to, p.protocol, p.port);
    if (!to) { problems.push(`probe ${p.name}: cannot read destination ${JSON.stringify(p.to)} (use IP, IP:PORT, http://HOST[:PORT], tcp://HOST:PORT or udp://HOST:PORT)`); continue; }
    const clientNs = ns.owner.kind === 'pod' ? ns.owner.namespace : 'default';
    const ip = resolveName(sim.model, to.host, clientNs);
    if (!ip) { problems.push(`probe ${p.name}: the simulator cannot resolve ${to.host}`); continue; }
    const note = ip === to.host ? undefined : `${to.host} resolved by the simulator to ${ip}`;
    probes.push({ name: p.name, fromNs: ns.id, protocol: to.protocol, ip, port: to.port, ...(note ? { note } : {}) });
  }

  const requires: ('ipvs' | 'ipip' | 'vxlan' | 'tun')[] = [];
  const notes: string[] = [];
  if (sim.model.hasCluster && sim.model.nodes.length > 0 && sim.model.spec.kubeProxy.mode === 'ipvs') requires.push('ipvs');
  else {
    // IPVS state another writer left (a network plugin's own service proxy): needed only when a probe goes to a virtual server.
    const vips = new Set([...sim.net.namespaces.values()].flatMap((ns) => [...((ns.ipvs as IpvsState | undefined)?.services.values() ?? [])].map((vs) => vs.address)));
    if (probes.some((p) => vips.has(p.ip))) requires.push('ipvs');
    else if (vips.size > 0) notes.push('IPVS virtual servers are not exported (no probe goes to one)');
  }
  if (sim.model.spec.kubeProxy.mode === 'userspace' && sim.model.nodes.length > 0) notes.push('kube-proxy userspace mode: the proxy process is not exported; its REDIRECT rules are');
  if (!opts.iptablesSave) notes.push('no netfilter module in this build: iptables rulesets are not exported');
  return {
    input: {
      title: sim.file, seed: sim.seed, net: sim.net, probes, requires, notes,
      ...(opts.iptablesSave ? { iptablesSave: opts.iptablesSave } : {}),
      ip6tablesSave: opts.ip6tablesSave ?? ((ns) => ip6tablesSaveOf(sim, ns)),
      nftRuleset: opts.nftRuleset ?? ((ns) => (ns.nft?.tables.length ? rulesetText(ns.nft) : null)),
    },
    problems,
  };
}

/** What `ip6tables-save` prints in the simulator for a namespace with IPv6 rules, or null. */
export function ip6tablesSaveOf(sim: Sim, ns: NetNs): string | null {
  if (!ns.netfilter6) return null;
  const o = ns.owner;
  const target: Target | null = o.kind === 'node' ? { kind: 'node', name: o.name } : o.kind === 'pod' ? { kind: 'pod', namespace: o.namespace, name: o.name } : o.kind === 'host' ? { kind: 'host', name: o.name } : null;
  if (!target) return null;
  const r = runLine(sim, target, 'ip6tables-save');
  return r.exitCode === 0 && r.stdout.trim() ? r.stdout : null;
}

export type { Network };
