/**
 * NetworkPolicy (networking.k8s.io/v1) decided as the API defines it, as a pure function.
 *
 *   src ──egress of src──► ──ingress of dst──► dst      both directions must allow
 *
 * - A Pod is isolated for a direction when some policy in its namespace selects it and lists
 *   that direction in policyTypes (default: Ingress, plus Egress when egress rules exist).
 *   Not isolated: everything allowed in that direction.
 * - Isolated: allowed when any rule of any selecting policy (the union) matches the peer and port.
 * - A peer: podSelector (same namespace as the policy), namespaceSelector, both (AND), ipBlock
 *   (cidr minus except); several peers OR; no peers = everyone. Ports: none = all ports; a named
 *   port resolves on the destination Pod's containers; endPort makes a range.
 * - hostNetwork Pods are never selected; as peers they are only their node's address.
 *   Traffic from a node to its own Pods (kubelet probes) is allowed.
 * - A Pod's traffic to its own IP never leaves its namespace (loopback): always allowed.
 * - Replies of allowed connections pass (conntrack ESTABLISHED): this decides new connections.
 */
import { anyCidrContains, ipFamily } from '../addr/family';
import type { ClusterModel, PodModel, Protocol } from '../model/cluster';
import type { NetworkPolicyIn } from '../scenario/schema/k8s';
import { ipInCidr, isIp } from '../addr/ip';
import { cniOf } from '../cni/registry';
import { selectorMatches } from './selector';

export type PolicyModel = ClusterModel['networkPolicies'][number];
type Rule = NonNullable<NetworkPolicyIn['spec']['ingress']>[number];
type Peer = NonNullable<Rule['from']>[number];
type PortSpec = NonNullable<Rule['ports']>[number];

/** A side of a connection: a Pod (its IP) or a bare address (a node, an external host). */
export interface PolicyEndpoint {
  readonly pod: PodModel | null;
  readonly ip: string;
  /** "NS/NAME" for Pods, the IP otherwise. */
  readonly label: string;
}

export interface DirectionDecision {
  readonly allowed: boolean;
  /** Policies selecting the Pod for this direction ("NS/NAME"); empty = not isolated. */
  readonly isolatedBy: readonly string[];
  /** The first policy rule that allowed it: "NS/NAME ingress[0]". */
  readonly allowedBy: string | null;
}

export interface PolicyDecision {
  readonly allowed: boolean;
  readonly reason: string;
  readonly egress: DirectionDecision;
  readonly ingress: DirectionDecision;
}

export function policyTypesOf(p: PolicyModel): { ingress: boolean; egress: boolean } {
  const t = p.spec.policyTypes;
  if (t && t.length) return { ingress: t.includes('Ingress'), egress: t.includes('Egress') };
  return { ingress: true, egress: (p.spec.egress ?? []).length > 0 };
}

/** The network plugins whose data plane enforces NetworkPolicy. */
export function policyEnforced(model: ClusterModel): boolean {
  return cniOf(model.spec).enforcesPolicy;
}

const nsLabelCache = new WeakMap<ClusterModel, Map<string, Readonly<Record<string, string>>>>();

export function namespaceLabels(model: ClusterModel, ns: string): Readonly<Record<string, string>> {
  let byNs = nsLabelCache.get(model);
  if (!byNs) { byNs = new Map(); nsLabelCache.set(model, byNs); }
  let labels = byNs.get(ns);
  if (!labels) {
    const m = model.namespaces.find((n) => n.name === ns);
    // The API server sets kubernetes.io/metadata.name on every namespace.
    labels = { ...(m?.labels ?? {}), 'kubernetes.io/metadata.name': ns };
    byNs.set(ns, labels);
  }
  return labels;
}

export function podSelectedBy(p: PolicyModel, pod: PodModel): boolean {
  return !pod.hostNetwork && pod.meta.namespace === p.meta.namespace && selectorMatches(p.spec.podSelector, pod.meta.labels);
}

/**
 * An ipBlock matches an address inside its CIDR and outside every `except`, of either family: an
 * IPv6 block (fd00::/64) matches IPv6 addresses only, an IPv4 one IPv4 only.
 */
export function ipBlockMatches(block: NonNullable<Peer['ipBlock']>, ip: string): boolean {
  if (ip.includes(':') || block.cidr.includes(':')) {
    if (!anyCidrContains(block.cidr, ip)) return false;
    return !(block.except ?? []).some((e) => anyCidrContains(e, ip));
  }
  if (!ipInCidr(ip, block.cidr)) return false;
  return !(block.except ?? []).some((e) => ipInCidr(ip, e));
}

/** Does `peer` (in a policy of namespace `policyNs`) match endpoint `e`? */
export function peerMatches(model: ClusterModel, peer: Peer, policyNs: string, e: PolicyEndpoint): boolean {
  if (peer.ipBlock) return ipFamily(e.ip) !== null && ipBlockMatches(peer.ipBlock, e.ip);
  const pod = e.pod;
  if (!pod || pod.hostNetwork) return false;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, namespaceLabels(model, pod.meta.namespace))) return false;
  } else if (pod.meta.namespace !== policyNs) return false;
  if (peer.podSelector && !selectorMatches(peer.podSelector, pod.meta.labels)) return false;
  return !!(peer.podSelector || peer.namespaceSelector);
}

/** The number a (possibly named) policy port means on the destination Pod, or null. */
function resolvePort(port: PortSpec['port'], proto: Protocol, dst: PodModel | null): number | null {
  if (port === undefined) return null;
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  if (!dst) return null;
  for (const c of dst.containers) for (const cp of c.ports) if (cp.name === port && cp.protocol === proto) return cp.containerPort;
  return null;
}

export function portsMatch(ports: Rule['ports'], port: number, proto: Protocol, dst: PodModel | null): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    const pp = p.protocol ?? 'TCP';
    if (pp !== proto) return false;
    if (p.port === undefined) return true;
    const n = resolvePort(p.port, pp, dst);
    if (n === null) return false;
    return p.endPort !== undefined && typeof p.port === 'number' ? port >= n && port <= p.endPort : port === n;
  });
}

function ruleMatches(model: ClusterModel, rule: Rule, peers: readonly Peer[] | undefined, policyNs: string, peer: PolicyEndpoint, port: number, proto: Protocol, dst: PolicyEndpoint): boolean {
  if (!portsMatch(rule.ports, port, proto, dst.pod)) return false;
  if (!peers || peers.length === 0) return true;
  return peers.some((p) => peerMatches(model, p, policyNs, peer));
}

const name = (p: PolicyModel): string => `${p.meta.namespace}/${p.meta.name}`;

function decide(model: ClusterModel, dir: 'ingress' | 'egress', subject: PolicyEndpoint, peer: PolicyEndpoint, port: number, proto: Protocol, dst: PolicyEndpoint): DirectionDecision {
  const pod = subject.pod;
  if (!pod || pod.hostNetwork) return { allowed: true, isolatedBy: [], allowedBy: null };
  const selecting = model.networkPolicies.filter((p) => policyTypesOf(p)[dir] && podSelectedBy(p, pod));
  if (!selecting.length) return { allowed: true, isolatedBy: [], allowedBy: null };
  for (const p of selecting) {
    const rules = (dir === 'ingress' ? p.spec.ingress : p.spec.egress) ?? [];
    for (let i = 0; i < rules.length; i++) {
      const r = rules[i]!;
      const peers = dir === 'ingress' ? (r as { from?: Peer[] }).from : (r as { to?: Peer[] }).to;
      if (ruleMatches(model, r, peers, p.meta.namespace, peer, port, proto, dst)) return { allowed: true, isolatedBy: selecting.map(name), allowedBy: `${name(p)} ${dir}[${i}]` };
    }
  }
  return { allowed: false, isolatedBy: selecting.map(name), allowedBy: null };
}

/** Finds a Pod by "NS/NAME" or by its Pod IP; anything else is a bare address. */
export function endpointOf(model: ClusterModel, x: string | PodModel): PolicyEndpoint {
  if (typeof x !== 'string') return { pod: x, ip: x.podIP ?? '', label: `${x.meta.namespace}/${x.meta.name}` };
  const slash = x.replace(/^pod\//, '').split('/');
  if (slash.length === 2) {
    const pod = model.pods.find((p) => p.meta.namespace === slash[0] && p.meta.name === slash[1]);
    if (pod) return { pod, ip: pod.podIP ?? '', label: `${pod.meta.namespace}/${pod.meta.name}` };
  }
  const pod = model.pods.find((p) => p.podIP === x && !p.hostNetwork);
  return pod ? { pod, ip: x, label: `${pod.meta.namespace}/${pod.meta.name}` } : { pod: null, ip: x, label: x };
}

const plural = (xs: readonly string[]): string => (xs.length === 1 ? `policy ${xs[0]} selects` : `policies ${xs.join(', ')} select`);

/**
 * May `src` open a connection to `dst` on `port`/`proto`? src and dst: "NS/NAME", a Pod, or an IP.
 * `enforce` (default: whether the network plugin enforces policy) false gives the API's answer regardless.
 */
export function policyAllows(model: ClusterModel, src: string | PodModel, dst: string | PodModel, port: number, proto: Protocol, opts: { enforce?: boolean } = {}): PolicyDecision {
  const s = endpointOf(model, src);
  const d = endpointOf(model, dst);
  const open: DirectionDecision = { allowed: true, isolatedBy: [], allowedBy: null };
  if (!(opts.enforce ?? policyEnforced(model))) {
    return { allowed: true, reason: `allowed: the ${model.spec.network.plugin} network plugin does not enforce NetworkPolicy`, egress: open, ingress: open };
  }
  // A Pod talking to its own IP stays on its loopback: no policy ever sees it.
  if (s.pod && s.pod === d.pod) return { allowed: true, reason: `allowed: ${s.label} to itself never leaves its network namespace`, egress: open, ingress: open };
  // A hostNetwork Pod or a node reaching a Pod on the same node: kubelet's path, always allowed.
  const sameNode = s.pod?.hostNetwork && d.pod && s.pod.nodeName === d.pod.nodeName;
  const what = `${d.label} on ${port}/${proto}`;
  const egress = decide(model, 'egress', s, d, port, proto, d);
  if (!egress.allowed) {
    return { allowed: false, reason: `dropped: ${plural(egress.isolatedBy)} ${s.label} for egress; no rule allows ${what}`, egress, ingress: open };
  }
  const ingress = sameNode ? open : decide(model, 'ingress', d, s, port, proto, d);
  if (!ingress.allowed) {
    return { allowed: false, reason: `dropped: ${plural(ingress.isolatedBy)} ${d.label} for ingress; no rule allows ${s.label} on ${port}/${proto}`, egress, ingress };
  }
  const parts: string[] = [];
  if (egress.allowedBy) parts.push(`egress by ${egress.allowedBy}`);
  if (ingress.allowedBy) parts.push(`ingress by ${ingress.allowedBy}`);
  const reason = parts.length ? `allowed: ${parts.join(', ')}` : `allowed: no policy isolates ${s.label} for egress or ${d.label} for ingress`;
  return { allowed: true, reason, egress, ingress };
}
