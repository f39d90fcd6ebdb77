/**
 * A plain, serialisable view of the simulation for the UI: the control-plane model (what
 * `kubectl get` shows) and every namespace's kernel state (what `ip`, `bridge`, `iptables`,
 * `conntrack` and `ipvsadm` show). Built by one pure function from the Sim, so the canvas and
 * the inspector never see live engine objects and the worker can post it as is.
 */
import { runArgv, type Sim } from '../engine';
import { formatEntry } from '../engine/conntrack/format';
import { hasIPv6 } from '../engine/net/ipv6';
import type { NetNs, NsOwner } from '../engine/net/types';
import { formatRuleSpec } from '../engine/netfilter/format';
import { readCounters } from '../engine/netfilter/state';
import { podSelectedBy } from '../engine/policy/evaluate';

export interface NodeSnap {
  readonly id: string;             // node/NAME
  readonly name: string;
  readonly ip: string;
  readonly podCIDR: string;
  /**
   * On a cluster with an IPv6 family: every InternalIP and podCIDR, primary family first (an
   * IPv6-only cluster lists IPv6 only; `ip` and `podCIDR` are then the IPv4 wiring underneath).
   * Absent on an IPv4-only cluster, where they are [ip] and [podCIDR].
   */
  readonly ips?: readonly string[];
  readonly podCIDRs?: readonly string[];
  readonly controlPlane: boolean;
  readonly ready: boolean;
}

export interface PodSnap {
  readonly id: string;             // pod/NS/NAME
  readonly namespace: string;
  readonly name: string;
  readonly node: string | null;
  readonly ip: string | null;
  /** status.podIPs on a cluster with an IPv6 family, primary family first; absent otherwise ([ip]). */
  readonly ips?: readonly string[];
  readonly phase: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly system: boolean;
  readonly hostNetwork: boolean;
  readonly containers: readonly { readonly name: string; readonly image: string; readonly ports: readonly string[] }[];
}

export interface ServiceSnap {
  readonly id: string;             // svc/NS/NAME
  readonly namespace: string;
  readonly name: string;
  readonly type: string;
  readonly clusterIP: string | null;
  /** spec.clusterIPs on a cluster with an IPv6 family, primary family first; absent otherwise ([clusterIP]). */
  readonly clusterIPs?: readonly string[];
  readonly ports: readonly string[];   // "80→8080/TCP", "80:30080/TCP"
  /** Endpoint Pods (pod/NS/NAME) or bare addresses when not Pods. */
  readonly endpoints: readonly string[];
}

export interface HostSnap {
  readonly id: string;             // host/NAME
  readonly name: string;
  readonly ip: string;
}

export interface LinkSnap {
  readonly ifindex: number;
  readonly name: string;
  readonly kind: string;
  readonly mac: string;
  readonly mtu: number;
  readonly up: boolean;
  readonly master?: string;
  readonly addrs: readonly string[];  // "10.244.1.1/24"
  /** veth peer: its namespace and device name. */
  readonly peer?: { readonly ns: string; readonly dev: string };
  readonly fdb: readonly string[];    // as `bridge fdb show` prints them
  readonly detail?: string;           // "vxlan id 1 dstport 8472", "tun (flanneld)"
  readonly stats: { readonly rx: number; readonly tx: number; readonly dropped: number };
}

export interface RuleSnap {
  readonly text: string;
  readonly packets: number;
  readonly bytes: number;
}

export interface ChainSnap {
  readonly table: string;
  readonly name: string;
  readonly policy?: string;
  readonly rules: readonly RuleSnap[];
}

export interface NsSnap {
  readonly id: string;
  /**
   * Set when only the namespace's outline was sent (its links but loopback, what the canvas draws): its
   * routes, neighbours and listeners read empty and its chains, conntrack and IPVS null until the
   * UI asks for it (`focus`, protocol.ts). Absent on a namespace sent in full.
   */
  readonly partial?: true;
  readonly machine: string;
  readonly owner: NsOwner;
  readonly links: readonly LinkSnap[];
  readonly routes: readonly string[];  // as `ip route show table all` prints them (IPv4)
  readonly neigh: readonly string[];   // as `ip neigh` prints them (IPv4: ARP)
  /** As `ip -6 route show table all` prints them; absent when the namespace has no IPv6 route (an IPv4-only cluster). */
  readonly routes6?: readonly string[];
  /** As `ip -6 neigh` prints them (NDP); absent when `routes6` is. */
  readonly neigh6?: readonly string[];
  readonly listeners: readonly string[];
  /** null when the namespace has no rules (everything accepted). */
  readonly chains: readonly ChainSnap[] | null;
  readonly conntrack: readonly string[] | null;
  readonly ipvs: readonly string[] | null;
}

export interface Snapshot {
  /** Changes whenever the simulation does; the UI skips work when it is unchanged. */
  readonly generation: number;
  readonly cluster: {
    readonly name: string;
    readonly hasCluster: boolean;
    readonly plugin: string;
    readonly backend: string | null;
    readonly bridge: string;
    readonly kubeProxy: string;
    readonly podCIDR: string;
    readonly serviceCIDR: string;
    readonly underlayCIDR: string;
    /** The ranges of each family, primary first, on a cluster with an IPv6 family; absent otherwise. */
    readonly podCIDRs?: readonly string[];
    readonly serviceCIDRs?: readonly string[];
    readonly underlayCIDRs?: readonly string[];
  };
  readonly nodes: readonly NodeSnap[];
  readonly pods: readonly PodSnap[];
  readonly services: readonly ServiceSnap[];
  readonly hosts: readonly HostSnap[];
  readonly probes: readonly { readonly name: string; readonly from: string; readonly to: string }[];
  /** NetworkPolicies and the Pods each selects (what a policy warning is shown next to). */
  readonly policies: readonly { readonly id: string; readonly pods: readonly string[] }[];
  readonly namespaces: readonly NsSnap[];
}

/**
 * Which namespaces come in full (chains, conntrack, IPVS); the others come as outlines
 * (`partial`). 'all' (the default) sends every namespace in full.
 */
export type Detail = 'all' | ReadonlySet<string>;

/** Up to this many namespaces a scenario is small: everything is sent in full, as always. */
export const FULL_DETAIL_NAMESPACES = 48;

export function snapshot(sim: Sim, generation: number, detail: Detail = 'all'): Snapshot {
  const m = sim.model;
  const podIdByIp = new Map<string, string>();
  for (const p of m.pods) if (p.podIP && !p.hostNetwork) podIdByIp.set(p.podIP, `pod/${p.meta.namespace}/${p.meta.name}`);
  const slicesOf = new Map<string, (typeof m.endpointSlices)[number][]>();
  for (const e of m.endpointSlices) {
    const k = `${e.meta.namespace}/${e.serviceName}`;
    const l = slicesOf.get(k);
    if (l) l.push(e); else slicesOf.set(k, [e]);
  }
  const nsList = [...sim.net.namespaces.values()];
  const v6 = hasIPv6(m);
  const nsById = new Map(nsList.map((n) => [n.id, n]));
  return {
    generation,
    cluster: {
      name: m.name, hasCluster: m.hasCluster, plugin: m.spec.network.plugin, backend: m.spec.network.backend ?? null,
      bridge: m.spec.network.bridge, kubeProxy: m.spec.kubeProxy.mode, podCIDR: m.spec.podCIDR, serviceCIDR: m.spec.serviceCIDR, underlayCIDR: m.spec.underlayCIDR,
      ...(v6 ? { podCIDRs: [...(m.spec.podCIDRs ?? [m.spec.podCIDR])], serviceCIDRs: [...(m.spec.serviceCIDRs ?? [m.spec.serviceCIDR])], underlayCIDRs: [...(m.spec.underlayCIDRs ?? [m.spec.underlayCIDR])] } : {}),
    },
    nodes: m.nodes.map((n) => ({ id: `node/${n.name}`, name: n.name, ip: n.ip, podCIDR: n.podCIDR, ...(n.ips ? { ips: [...n.ips] } : {}), ...(n.podCIDRs ? { podCIDRs: [...n.podCIDRs] } : {}), controlPlane: n.controlPlane, ready: n.ready })),
    pods: m.pods.map((p) => ({
      id: `pod/${p.meta.namespace}/${p.meta.name}`, namespace: p.meta.namespace, name: p.meta.name, node: p.nodeName, ip: p.podIP, ...(p.podIPs ? { ips: [...p.podIPs] } : {}),
      phase: p.phase, labels: { ...p.meta.labels }, system: p.system, hostNetwork: p.hostNetwork,
      containers: p.containers.map((c) => ({
        name: c.name, image: c.image,
        ports: c.ports.map((cp) => `${cp.containerPort}/${cp.protocol}${cp.hostPort ? ` (hostPort ${cp.hostPort})` : ''}`),
      })),
    })),
    services: m.services.map((s) => {
      const slices = slicesOf.get(`${s.meta.namespace}/${s.meta.name}`) ?? [];
      const endpoints = slices.flatMap((e) => e.endpoints.flatMap((ep) => ep.targetRef ? [ep.targetRef] : ep.addresses.map((a) => podIdByIp.get(a) ?? a)));
      return {
        id: `svc/${s.meta.namespace}/${s.meta.name}`, namespace: s.meta.namespace, name: s.meta.name, type: s.type, clusterIP: s.clusterIP, ...(s.clusterIPs ? { clusterIPs: [...s.clusterIPs] } : {}),
        ports: s.ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}→${p.targetPort}/${p.protocol}`),
        endpoints: [...new Set(endpoints)],
      };
    }),
    hosts: [
      ...m.externalHosts.map((h) => ({ id: `host/${h.name}`, name: h.name, ip: h.ip })),
      ...m.hosts.map((h) => ({ id: `host/${h.meta.name}`, name: h.meta.name, ip: firstIp(nsById.get(`host/${h.meta.name}`)?.links) })),
    ],
    probes: m.probes.map((p) => ({ name: p.name, from: p.from, to: p.to })),
    policies: m.networkPolicies.map((np) => ({
      id: `netpol/${np.meta.namespace}/${np.meta.name}`,
      pods: m.pods.filter((p) => podSelectedBy(np, p)).map((p) => `pod/${p.meta.namespace}/${p.meta.name}`),
    })),
    namespaces: nsList.map((ns) => {
      const full = detail === 'all' || detail.has(ns.id);
      return {
      id: ns.id, ...(full ? {} : { partial: true as const }), machine: ns.machine, owner: ns.owner,
      links: (full ? ns.links : ns.links.filter((l) => l.kind !== 'loopback')).map((l) => ({
        ifindex: l.ifindex, name: l.name, kind: l.kind, mac: String(l.mac), mtu: l.mtu, up: l.up,
        ...(l.master ? { master: l.master } : {}),
        addrs: l.addrs.map((a) => `${a.address}/${a.prefixLen}`),
        ...(l.peer ? { peer: { ns: l.peer.ns, dev: nsById.get(l.peer.ns)?.links.find((x) => x.ifindex === l.peer!.ifindex)?.name ?? `if${l.peer.ifindex}` } } : {}),
        fdb: (l.fdb ?? []).map((f) => `${String(f.mac)} dev ${f.dev}${f.dst ? ` dst ${f.dst}` : ''}${f.local ? ' self' : ''}${f.permanent ? ' permanent' : ''}`),
        ...(linkDetail(l) ? { detail: linkDetail(l)! } : {}),
        stats: { rx: l.stats.rxPackets, tx: l.stats.txPackets, dropped: l.stats.rxDropped + l.stats.txDropped },
      })),
      routes: !full ? [] : ns.routes.filter((r) => r.family !== 6).map(routeLine),
      neigh: !full ? [] : ns.neigh.filter((n) => n.family !== 6).map(neighLine),
      ...(full && ns.routes.some((r) => r.family === 6) ? { routes6: ns.routes.filter((r) => r.family === 6).map(routeLine), neigh6: ns.neigh.filter((n) => n.family === 6).map(neighLine) } : {}),
      listeners: !full ? [] : ns.listeners.map((l) => `${l.protocol} ${l.address}:${l.port} (${l.app.kind}${l.container ? `, ${l.container}` : ''})`),
      chains: full ? chainsOf(ns) : null,
      conntrack: full && ns.conntrack ? [...ns.conntrack.entries.values()].map((e) => formatEntry(e, sim.now)) : null,
      ipvs: full ? ipvsOf(sim, ns) : null,
      };
    }),
  };
}

/** One route as `ip route show table all` (or `ip -6 route …`) prints it. */
function routeLine(r: NetNs['routes'][number]): string {
  return [
    r.type !== 'unicast' ? r.type : '', r.dst, r.via ? `via ${r.via}` : '', r.dev ? `dev ${r.dev}` : '',
    r.table === 255 ? 'table local' : r.table !== 254 ? `table ${r.table}` : '', r.proto !== 'boot' ? `proto ${r.proto}` : '',
    r.scope !== 'global' ? `scope ${r.scope}` : '', r.src ? `src ${r.src}` : '', r.metric !== undefined ? `metric ${r.metric}` : '', r.onlink ? 'onlink' : '',
  ].filter(Boolean).join(' ');
}

/** One neighbour as `ip neigh` prints it. */
function neighLine(n: NetNs['neigh'][number]): string {
  return `${n.ip} dev ${n.dev}${n.mac ? ` lladdr ${String(n.mac)}` : ''} ${n.state}`;
}

function firstIp(links: readonly { addrs: readonly { address: string; scope: string }[] }[] | undefined): string {
  for (const l of links ?? []) for (const a of l.addrs) if (a.scope === 'global') return a.address;
  return '';
}

function linkDetail(l: { kind: string; vxlan?: { vni: number; port: number; local?: string }; tun?: { owner: string }; ipip?: { local?: string; remote?: string } }): string | undefined {
  if (l.vxlan) return `vxlan id ${l.vxlan.vni}${l.vxlan.local ? ` local ${l.vxlan.local}` : ''} dstport ${l.vxlan.port}`;
  if (l.tun) return `tun (${l.tun.owner})`;
  if (l.ipip) return `ipip remote ${l.ipip.remote ?? 'any'} local ${l.ipip.local ?? 'any'}`;
  return undefined;
}

function chainsOf(ns: NetNs): ChainSnap[] | null {
  const nf = ns.netfilter;
  if (!nf) return null;
  const out: ChainSnap[] = [];
  for (const table of Object.values(nf.tables)) {
    if (!table.used) continue;
    for (const c of table.chains.values()) {
      out.push({
        table: table.name, name: c.name, ...(c.policy ? { policy: c.policy } : {}),
        rules: c.rules.map((r) => { const n = readCounters(table, r); return { text: formatRuleSpec(r), packets: n.pkts, bytes: n.bytes }; }),
      });
    }
  }
  return out.length ? out : null;
}

/** The IPVS table as `ipvsadm -Ln` prints it: the shell command is the one formatter. */
function ipvsOf(sim: Sim, ns: NetNs): string[] | null {
  if (!ns.ipvs || ns.owner.kind !== 'node') return null;
  // runArgv, not runLine: a snapshot must not touch the terminal's session (its jobs, its $?).
  const r = runArgv(sim, { kind: 'node', name: ns.owner.name }, ['ipvsadm', '-Ln']);
  return r.exitCode === 0 ? r.stdout.replace(/\n$/, '').split('\n') : null;
}
