/**
 * What Services cost each kube-proxy mode, counted on the rules the engine's own writers produce
 * (the same text a node loads), for the scenario's Services and for a curve of generated
 * clusters from 10 to 10,000 Services shaped like it (its endpoints per Service, its share of
 * NodePorts). Per mode:
 *
 * - rules: what the mode loads (iptables: `-A` rules; IPVS: iptables rules plus IPVS virtual and
 *   real servers and ipset members; nftables: rules plus verdict-map and set elements);
 * - newConnection: what the first packet of a new connection to a ClusterIP is checked against
 *   in the nat path: iptables walks KUBE-SERVICES rule by rule until its Service's rule (mean over
 *   the Service ports, worst = every rule), then the KUBE-SVC statistic rules and the KUBE-SEP
 *   chain; IPVS matches one ipset (a hash lookup) and looks the virtual server up in a hash;
 *   nftables looks the destination up in the service-ips verdict map, then walks two short chains;
 * - serviceChange: rules written again when one Service's endpoints change (kube-proxy's partial
 *   sync: iptables rewrites KUBE-SERVICES and the other top-level chains in full, plus that
 *   Service's chains; IPVS and nftables touch only that Service's entries);
 * - bytes: the size of the text the mode hands the kernel (iptables-restore, nft -f, or the
 *   ipvsadm/ipset commands), a measure of the memory the rules hold.
 *
 * The curve is the line through two generated clusters (CURVE_BASIS): for one Service shape each
 * count is linear in the Service count or flat. Pure: no timing, no randomness; the same model
 * gives the same numbers.
 */
import type { ClusterModel, EndpointSliceModel, Meta, NodeModel, ServiceModel } from '../../model/cluster';
import { proxyConfig, type ProxyConfig } from './config';
import { buildKubeIpsets } from './ipset';
import { buildIpvsIptables, ipvsRestoreText } from './ipvsrules';
import { buildIpvsState } from './ipvsstate';
import { buildKubeProxyRestore, kubeProxyRestoreText, LARGE_CLUSTER_ENDPOINTS } from './iptables';
import { kubeProxyNftables } from './nftables';
import { allServicePorts } from './serviceports';

export type CostMode = 'iptables' | 'ipvs' | 'nftables';
export const COST_MODES: readonly CostMode[] = ['iptables', 'ipvs', 'nftables'];

export interface ModeCost {
  readonly mode: CostMode;
  /** Everything the mode loads: rules, plus set/map elements and IPVS entries where it has them. */
  readonly rules: number;
  /** Of `rules`, the iptables or nftables rules alone (the rest are elements and IPVS entries). */
  readonly chainRules: number;
  /** Rules (and lookups) a new connection to a ClusterIP is checked against: mean over the Service ports, and worst. */
  readonly newConnection: { readonly mean: number; readonly worst: number };
  /** Rules or entries written again when one Service's endpoints change (mean over the Services). */
  readonly serviceChange: number;
  /** Bytes of rule text the mode hands the kernel. */
  readonly bytes: number;
}

export interface CostPoint {
  readonly services: number;
  readonly modes: readonly ModeCost[];
}

export interface CostReport {
  /** The scenario's Services with a ClusterIP that kube-proxy serves, their ports, and endpoints per Service port. */
  readonly services: number;
  readonly servicePorts: number;
  readonly endpointsPerService: number;
  /** The mode the scenario runs. */
  readonly mode: string;
  readonly current: readonly ModeCost[];
  readonly curve: readonly CostPoint[];
}

export const DEFAULT_CURVE: readonly number[] = [10, 30, 100, 300, 1000, 3000, 10000];

const round = (n: number): number => Math.round(n * 10) / 10;

function lines(text: string): string[] {
  return text.split('\n');
}

/** The chain a `-A CHAIN ...` line appends to. */
function chainOf(line: string): string {
  return line.slice(3, line.indexOf(' ', 3) < 0 ? undefined : line.indexOf(' ', 3));
}

const PER_SERVICE = /^KUBE-(SVC|SVL|EXT|FW|SEP)-/;

/**
 * A mode's counts, each linear in the Service count for one Service shape (totals, and means
 * whose parts grow together), so a curve can run through two generated clusters; `finish` turns
 * them into the ModeCost figures (ratios are taken only there).
 */
type Counts = Readonly<Record<string, number>>;

interface ModeCounter {
  readonly mode: CostMode;
  count(model: ClusterModel, node: NodeModel, cfg: ProxyConfig): Counts;
  finish(c: Counts): ModeCost;
}

const ratio = (a: number, b: number): number => (b ? a / b : 0);

const IPTABLES: ModeCounter = {
  mode: 'iptables',
  count(model, node, cfg) {
    const text = kubeProxyRestoreText(buildKubeProxyRestore(model, node, { cfg: { ...cfg, mode: 'iptables' } }));
    const rules = lines(text).filter((l) => l.startsWith('-A '));
    const byChain = new Map<string, string[]>();
    for (const l of rules) {
      const c = chainOf(l);
      const list = byChain.get(c);
      if (list) list.push(l); else byChain.set(c, [l]);
    }
    // KUBE-SERVICES in order: a ClusterIP's first packet is checked against every rule before its own.
    const services = byChain.get('KUBE-SERVICES') ?? [];
    let posSum = 0;
    let posCount = 0;
    services.forEach((l, i) => { if (/ -j KUBE-(SVC|SVL)-/.test(l)) { posSum += i + 1; posCount++; } });
    // KUBE-SVC: the masquerade check, then the statistic rules until the picked endpoint's ((j + 1) / 2 on average).
    let svcSum = 0;
    let svcWorst = 0;
    let svcCount = 0;
    let sepSum = 0;
    let sepCount = 0;
    for (const [c, ls] of byChain) {
      if (c.startsWith('KUBE-SVC-')) {
        const j = ls.filter((l) => / -j KUBE-SEP-/.test(l)).length;
        svcSum += ls.length - j + (j + 1) / 2;
        svcWorst = Math.max(svcWorst, ls.length);
        svcCount++;
      } else if (c.startsWith('KUBE-SEP-')) {
        sepSum += ls.length;
        sepCount++;
      }
    }
    const perService = rules.filter((l) => PER_SERVICE.test(chainOf(l))).length;
    return {
      rules: rules.length, bytes: text.length, kubeServices: services.length, meanPos: ratio(posSum, posCount),
      svc: ratio(svcSum, svcCount), svcWorst, sep: ratio(sepSum, sepCount), topLevel: rules.length - perService,
      perService, ports: allServicePorts(model).length,
    };
  },
  finish(c) {
    // 1: PREROUTING's jump to KUBE-SERVICES.
    return {
      mode: 'iptables', rules: Math.round(c.rules!), chainRules: Math.round(c.rules!),
      newConnection: { mean: round(1 + c.meanPos! + c.svc! + c.sep!), worst: round(1 + c.kubeServices! + c.svcWorst! + c.sep!) },
      // kube-proxy's partial sync writes KUBE-SERVICES and the other top-level chains in full, plus the Service's own chains.
      serviceChange: round(c.topLevel! + ratio(c.perService!, c.ports!)),
      bytes: Math.round(c.bytes!),
    };
  },
};

const IPVS: ModeCounter = {
  mode: 'ipvs',
  count(model, node, cfg) {
    const cf: ProxyConfig = { ...cfg, mode: 'ipvs' };
    const sps = allServicePorts(model);
    const state = buildIpvsState(model, node, { cfg: cf, ports: sps });
    const sets = buildKubeIpsets(sps, node.name, state);
    const text = ipvsRestoreText(buildIpvsIptables(cf, sets));
    const rules = lines(text).filter((l) => l.startsWith('-A '));
    // What `ipvsadm-save -n` and `ipset save` would print: one line per virtual server, real server and member.
    let entries = 0;
    let bytes = text.length;
    for (const vs of state.services.values()) {
      entries += 1 + vs.dests.length;
      bytes += `-A -t ${vs.address}:${vs.port} -s ${vs.scheduler}\n`.length;
      for (const d of vs.dests) bytes += `-a -t ${vs.address}:${vs.port} -r ${d.address}:${d.port} -m -w ${d.weight}\n`.length;
    }
    let members = 0;
    for (const s of sets.values()) {
      for (const m of s.members) { members++; bytes += `add ${s.name} ${m}\n`.length; }
    }
    const services = rules.filter((l) => chainOf(l) === 'KUBE-SERVICES');
    const at = services.findIndex((l) => l.includes('KUBE-CLUSTER-IP'));
    return { rules: rules.length, entries, members, bytes, kubeServices: services.length, clusterIpAt: at < 0 ? services.length : at + 1, ports: sps.length };
  },
  finish(c) {
    // PREROUTING's jump, KUBE-SERVICES up to the KUBE-CLUSTER-IP set match (one hash lookup), then IPVS's own hash lookup.
    return {
      mode: 'ipvs', rules: Math.round(c.rules! + c.entries! + c.members!), chainRules: Math.round(c.rules!),
      newConnection: { mean: round(1 + c.clusterIpAt! + 1), worst: round(1 + c.kubeServices! + 1) },
      serviceChange: round(ratio(c.entries! + c.members!, c.ports!)),
      bytes: Math.round(c.bytes!),
    };
  },
};

const NFTABLES: ModeCounter = {
  mode: 'nftables',
  count(model, node, cfg) {
    const text = kubeProxyNftables(model, node, { ...cfg, mode: 'nftables' });
    const all = lines(text);
    const rules = all.filter((l) => l.startsWith('add rule '));
    const elements = all.filter((l) => l.startsWith('add element '));
    const chainOfRule = (l: string): string => l.split(' ')[4] ?? '';
    const out: Record<string, number> = { rules: rules.length, elements: elements.length, bytes: text.length, svcRules: 0, svcChains: 0, epRules: 0, epChains: 0, servicesRules: 0, perService: 0 };
    const seen = new Set<string>();
    for (const l of rules) {
      const c = chainOfRule(l);
      const first = !seen.has(c);
      seen.add(c);
      if (c === 'services') out.servicesRules!++;
      else if (c.startsWith('service-')) { out.svcRules!++; if (first) out.svcChains!++; }
      else if (c.startsWith('endpoint-')) { out.epRules!++; if (first) out.epChains!++; }
      if (/^(service|endpoint|external|local|firewall)-/.test(c)) out.perService!++;
    }
    out.svcElements = elements.filter((l) => / (service-ips|service-nodeports|cluster-ips|no-endpoint-services|no-endpoint-nodeports|firewall-ips) /.test(l)).length;
    out.ports = allServicePorts(model).length;
    return out;
  },
  finish(c) {
    // nat-prerouting's jump, the services chain's vmap lookup, the service chain, the endpoint chain.
    const chains = ratio(c.svcRules!, c.svcChains!) + ratio(c.epRules!, c.epChains!);
    return {
      mode: 'nftables', rules: Math.round(c.rules! + c.elements!), chainRules: Math.round(c.rules!),
      newConnection: { mean: round(1 + 1 + chains), worst: round(1 + Math.max(1, c.servicesRules!) + chains) },
      serviceChange: round(ratio(c.perService! + c.svcElements!, c.ports!)),
      bytes: Math.round(c.bytes!),
    };
  },
};

const COUNTERS: readonly ModeCounter[] = [IPTABLES, IPVS, NFTABLES];

function countAll(model: ClusterModel, node: NodeModel): Counts[] {
  const cfg = proxyConfig(model);
  return COUNTERS.map((m) => m.count(model, node, cfg));
}

/** The three modes' costs for a model (counted on one node's rules). */
export function modeCosts(model: ClusterModel, node: NodeModel): ModeCost[] {
  return countAll(model, node).map((c, i) => COUNTERS[i]!.finish(c));
}

const meta = (namespace: string, name: string, i: number): Meta => ({ name, namespace, uid: `cost-${namespace}-${name}`, labels: {}, annotations: {}, createdIndex: i, createdAt: 0 });

/**
 * A model like `model` with `n` generated Services (and nothing else kube-proxy reads): one TCP
 * port each, `endpoints` ready endpoints spread over the nodes, every `nodePortEvery`-th a NodePort.
 */
export function syntheticModel(model: ClusterModel, n: number, endpoints: number, nodePortEvery: number): ClusterModel {
  const services: ServiceModel[] = [];
  const slices: EndpointSliceModel[] = [];
  const nodes = model.nodes.length ? model.nodes : [];
  for (let i = 0; i < n; i++) {
    const ns = `ns-${i % 20}`;
    const np = nodePortEvery > 0 && i % nodePortEvery === 0;
    services.push({
      meta: meta(ns, `svc-${i}`, i), type: np ? 'NodePort' : 'ClusterIP', selector: { app: `svc-${i}` }, clusterIP: `10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, headless: false,
      ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080, ...(np ? { nodePort: 30000 + (i % 2768) } : {}) }],
      externalIPs: [], loadBalancerIngress: [], loadBalancerSourceRanges: [], externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None', sessionAffinityTimeout: 10800, publishNotReadyAddresses: false,
    } as ServiceModel);
    slices.push({
      meta: meta(ns, `svc-${i}-cost`, i), serviceName: `svc-${i}`, addressType: 'IPv4', managedByUser: false,
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: Array.from({ length: endpoints }, (_, k) => {
        const e = i * endpoints + k;
        return { addresses: [`10.${200 + (e >> 16)}.${(e >> 8) & 255}.${e & 255}`], ready: true, serving: true, terminating: false, ...(nodes.length ? { nodeName: nodes[k % nodes.length]!.name } : {}) };
      }),
    } as EndpointSliceModel);
  }
  return { ...model, services, endpointSlices: slices, endpoints: [] };
}

/**
 * The two generated clusters the curve goes through. Past LARGE_CLUSTER_ENDPOINTS endpoints
 * kube-proxy drops its per-endpoint comments (a kink in the iptables text): the curve then runs
 * through two clusters just past that point instead.
 */
export const CURVE_BASIS: readonly [number, number] = [10, 300];

function basisFor(endpoints: number, large: boolean): [number, number] {
  const edge = Math.floor(LARGE_CLUSTER_ENDPOINTS / endpoints);
  if (!large) return [Math.min(CURVE_BASIS[0], edge), Math.min(CURVE_BASIS[1], edge)];
  return [edge + 1, edge + 1 + CURVE_BASIS[1]];
}

/** Counts at `t` along the line from `lo` (t = 0) to `hi` (t = 1). */
function along(lo: Counts, hi: Counts, t: number): Counts {
  const out: Record<string, number> = {};
  for (const k of Object.keys(lo)) out[k] = lo[k]! + (hi[k]! - lo[k]!) * t;
  return out;
}

/** The generated Services' shape: the scenario's endpoints per Service port, and its share of NodePorts (every Nth). */
export function curveShape(model: ClusterModel): { endpoints: number; nodePortEvery: number } {
  const ports = allServicePorts(model);
  const endpoints = ports.length ? ports.reduce((n, p) => n + p.endpoints.length, 0) / ports.length : 0;
  const nodePorts = ports.filter((p) => p.nodePort !== 0).length;
  return { endpoints: Math.max(1, Math.round(endpoints)), nodePortEvery: nodePorts ? Math.max(1, Math.round(ports.length / nodePorts)) : 0 };
}

/** The cost report for a scenario's model: its own Services, and the curve over `sizes` Services. */
export function proxyCost(model: ClusterModel, sizes: readonly number[] = DEFAULT_CURVE): CostReport | null {
  const node = model.nodes.find((n) => !n.controlPlane) ?? model.nodes[0];
  if (!model.hasCluster || !node) return null;
  const ports = allServicePorts(model);
  const services = new Set(ports.map((p) => `${p.service.meta.namespace}/${p.service.meta.name}`)).size;
  const endpoints = ports.length ? ports.reduce((n, p) => n + p.endpoints.length, 0) / ports.length : 0;
  const { endpoints: k, nodePortEvery: every } = curveShape(model);
  const lines = new Map<boolean, { n0: number; n1: number; lo: Counts[]; hi: Counts[] }>();
  const line = (large: boolean): { n0: number; n1: number; lo: Counts[]; hi: Counts[] } => {
    let l = lines.get(large);
    if (!l) {
      const [n0, n1] = basisFor(k, large);
      l = { n0, n1, lo: countAll(syntheticModel(model, n0, k, every), node), hi: countAll(syntheticModel(model, n1, k, every), node) };
      lines.set(large, l);
    }
    return l;
  };
  const at = (n: number): ModeCost[] => {
    const l = line(n * k > LARGE_CLUSTER_ENDPOINTS);
    const t = l.n1 === l.n0 ? 0 : (n - l.n0) / (l.n1 - l.n0);
    return COUNTERS.map((m, i) => m.finish(along(l.lo[i]!, l.hi[i]!, t)));
  };
  return {
    services, servicePorts: ports.length, endpointsPerService: round(endpoints), mode: proxyConfig(model).mode,
    current: modeCosts(model, node),
    curve: sizes.map((n) => ({ services: n, modes: at(n) })),
  };
}
