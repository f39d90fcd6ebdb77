/**
 * The Cluster document's own checks: CIDRs and ranges (a broken one is replaced by its default so
 * the rest still builds), and the machines outside the cluster, including the upstream resolver.
 */
import { isIp, parsePrefix, prefixOverlaps, prefixSize } from '../addr/ip';
import { formatAnyCidr, parseAnyCidr, type Family } from '../addr/family';
import { formatPrefix6, parsePrefix6, prefix6Overlaps } from '../addr/ip6';
import type { ExternalHostModel, Protocol } from '../model/cluster';
import type { Origin } from '../scenario/load';
import { clusterSpec, type ClusterSpec } from '../scenario/schema/knp';
import { CNI_PLUGINS } from '../cni/registry';
import type { Reporter } from './diag';
import { parseNodePortRange } from './services';


/** The default external DNS server: what nodes' /etc/resolv.conf points at, and CoreDNS forwards to. */
export const DEFAULT_UPSTREAM_DNS = { name: 'upstream-dns', ip: '198.51.100.53' } as const;

/**
 * The cloud's load balancer, when a LoadBalancer Service exists and no external host has
 * `role: loadbalancer`: the cloud controller manager's part, one machine outside the cluster
 * whose address every such Service gets as its EXTERNAL-IP (RFC 2544's benchmarking range, so it
 * never clashes with a documentation address a scenario uses).
 */
export const BUILTIN_CLOUD_LB = { name: 'cloud-lb', ip: '198.18.0.10' } as const;

/** The load balancer of the cluster: a `role: loadbalancer` host, or the built-in one added when a LoadBalancer Service needs it. */
export function ensureLoadBalancerHost(hosts: ExternalHostModel[], needed: boolean): ExternalHostModel | undefined {
  const declared = hosts.find((h) => h.role === 'loadbalancer');
  if (declared || !needed) return declared;
  let n = 10;
  while (hosts.some((h) => h.ip === `198.18.0.${n}`)) n++;
  const lb: ExternalHostModel = { name: hosts.some((h) => h.name === BUILTIN_CLOUD_LB.name) ? `${BUILTIN_CLOUD_LB.name}-0` : BUILTIN_CLOUD_LB.name, ip: `198.18.0.${n}`, ports: [], role: 'loadbalancer', builtIn: true };
  hosts.push(lb);
  return lb;
}

/** Checks the cluster-wide ranges; a broken one is reported and replaced by its default so the rest still builds. */
export function sanitizeSpec(spec: ClusterSpec, origin: Origin | undefined, r: Reporter): ClusterSpec {
  const defaults = clusterSpec.parse({});
  const out = { ...spec, ...sanitizeFamilies(spec, origin, r) };
  spec = { ...spec, podCIDR: out.podCIDR, serviceCIDR: out.serviceCIDR, underlayCIDR: out.underlayCIDR };
  const pod = parsePrefix(spec.podCIDR);
  if (!pod) { r.error(origin, ['spec', 'podCIDR'], 'invalid-cidr', `podCIDR "${spec.podCIDR}" is not a valid CIDR (host bits must be zero)`, 'write it like 10.244.0.0/16', false, { object: 'Cluster', field: 'spec.podCIDR', value: spec.podCIDR }); out.podCIDR = defaults.podCIDR; }
  const svc = parsePrefix(spec.serviceCIDR);
  if (!svc || svc.len > 30) { r.error(origin, ['spec', 'serviceCIDR'], 'invalid-cidr', `serviceCIDR "${spec.serviceCIDR}" is not a valid CIDR of at least 4 addresses`, 'write it like 10.96.0.0/12', false, { object: 'Cluster', field: 'spec.serviceCIDR', value: spec.serviceCIDR }); out.serviceCIDR = defaults.serviceCIDR; }
  else if (prefixSize(svc) < 16) r.warn(origin, ['spec', 'serviceCIDR'], 'small-service-cidr', `serviceCIDR ${spec.serviceCIDR} has fewer than 16 addresses; kube-dns needs the tenth`, 'use a /28 or larger', { params: { cidr: spec.serviceCIDR } });
  if (pod && svc && prefixOverlaps(pod, svc)) r.error(origin, ['spec', 'serviceCIDR'], 'cidr-overlap', `serviceCIDR ${spec.serviceCIDR} overlaps the Pod CIDR ${spec.podCIDR}`, 'Service and Pod addresses must not overlap, e.g. 10.96.0.0/12 and 10.244.0.0/16', false, { serviceCIDR: spec.serviceCIDR, podCIDR: spec.podCIDR });
  if (!parseNodePortRange(spec.nodePortRange)) { r.error(origin, ['spec', 'nodePortRange'], 'invalid-port-range', `nodePortRange "${spec.nodePortRange}" is not a port range`, 'write it like 30000-32767', false, { value: spec.nodePortRange }); out.nodePortRange = defaults.nodePortRange; }
  if (pod && pod.len > spec.nodeCIDRMaskSize) { r.error(origin, ['spec', 'nodeCIDRMaskSize'], 'invalid-value', `nodeCIDRMaskSize ${spec.nodeCIDRMaskSize} is larger than the cluster CIDR ${spec.podCIDR}`, `use a mask of at least /${pod.len}`, false, { kind: 'Cluster', field: 'spec.nodeCIDRMaskSize' }); out.nodeCIDRMaskSize = Math.max(pod.len, 24); }
  const under = parsePrefix(spec.underlayCIDR, true);
  if (!under) { r.error(origin, ['spec', 'underlayCIDR'], 'invalid-cidr', `underlayCIDR "${spec.underlayCIDR}" is not a valid CIDR`, 'write it like 192.168.1.0/24', false, { object: 'Cluster', field: 'spec.underlayCIDR', value: spec.underlayCIDR }); out.underlayCIDR = defaults.underlayCIDR; }
  if (spec.gateway !== undefined && !isIp(spec.gateway)) { r.error(origin, ['spec', 'gateway'], 'invalid-ip', `gateway "${spec.gateway}" is not an IPv4 address`, undefined, false, { object: 'Cluster', field: 'spec.gateway', value: spec.gateway }); delete out.gateway; }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(spec.clusterDomain)) { r.error(origin, ['spec', 'clusterDomain'], 'invalid-name', `clusterDomain "${spec.clusterDomain}" is not a DNS domain`, 'e.g. cluster.local', false, { object: 'Cluster', field: 'spec.clusterDomain', value: spec.clusterDomain }); out.clusterDomain = defaults.clusterDomain; }
  const net = spec.network;
  const backends = CNI_PLUGINS[net.plugin].backends;
  if (net.backend !== undefined && !backends.includes(net.backend)) {
    r.error(origin, ['spec', 'network', 'backend'], 'invalid-backend', `network plugin ${net.plugin} has no backend "${net.backend}"`, `use one of: ${backends.join(', ')}`, false, { plugin: net.plugin, backend: String(net.backend), valid: backends.join(', ') });
    out.network = { ...net, backend: backends[0] as typeof net.backend };
  }
  // A plugin that serves Services itself (CniPlugin.replacesKubeProxy) runs without kube-proxy: a mode picked for it does nothing.
  const defaultMode = defaults.kubeProxy.mode;
  if (CNI_PLUGINS[net.plugin].replacesKubeProxy?.(spec) && spec.kubeProxy.mode !== defaultMode && spec.kubeProxy.mode !== 'none') {
    r.warn(origin, ['spec', 'kubeProxy', 'mode'], 'kube-proxy-replaced', `network plugin ${net.plugin} serves Services itself and the cluster runs without kube-proxy: kubeProxy.mode ${spec.kubeProxy.mode} does not apply`, 'remove spec.kubeProxy, or choose a plugin that relies on kube-proxy (flannel, calico, canal, bridge)', { params: { plugin: net.plugin, mode: spec.kubeProxy.mode } });
  }
  // A spec.network field only other plugins read (CniPlugin.settings) does nothing here: say so.
  for (const [key, value] of Object.entries(net) as [string, unknown][]) {
    if (value === undefined || value === false) continue;
    const owners = Object.values(CNI_PLUGINS).filter((p) => p.settings?.includes(key as keyof ClusterSpec['network']));
    if (owners.length === 0 || owners.some((p) => p.id === net.plugin)) continue;
    const ids = owners.map((p) => p.id).join(', ');
    r.warn(origin, ['spec', 'network', key], 'network-setting-not-applicable', `spec.network.${key} applies only to the ${ids} plugin; ${net.plugin} ignores it`, `remove ${key}, or use network.plugin: ${owners[0]!.id}`, { params: { setting: key, plugin: net.plugin, owners: ids } });
    // Ignored means ignored: nothing downstream acts on it.
    const { [key as keyof typeof out.network]: _drop, ...rest } = out.network;
    out.network = rest as typeof out.network;
  }
  return out;
}

type FamilyField = 'podCIDR' | 'serviceCIDR' | 'underlayCIDR';
const EXAMPLE: Record<FamilyField, string> = { podCIDR: '[10.244.0.0/16, "fd00:10:244::/56"]', serviceCIDR: '[10.96.0.0/12, "fd00:10:96::/112"]', underlayCIDR: '[192.168.1.0/24, "fd00:192:168:1::/64"]' };

/**
 * The per-family CIDR lists (spec.podCIDR, serviceCIDR, underlayCIDR take one CIDR or one per
 * family, as kube-controller-manager's --cluster-cidr and kube-apiserver's
 * --service-cluster-ip-range do): at most two, never two of one family, the Service range of
 * the Pod range's families. IPv4 entries keep their checks in sanitizeSpec; where the packet
 * walk does not carry IPv6 in full, an info diagnostic `ipv6-datapath-not-yet` says what.
 */
function sanitizeFamilies(spec: ClusterSpec, origin: Origin | undefined, r: Reporter): Pick<ClusterSpec, FamilyField | 'podCIDRs' | 'serviceCIDRs' | 'underlayCIDRs' | 'ipFamilies' | 'nodeCIDRMaskSizeIPv6'> {
  const defaults = clusterSpec.parse({});
  const at = (f: FamilyField, i: number, n: number): (string | number)[] => (n > 1 ? ['spec', f, i] : ['spec', f]);
  const check = (f: FamilyField, list: readonly string[]): string[] => {
    const kept: string[] = [];
    const seen = new Map<Family, string>();
    list.forEach((c, i) => {
      if (!c.includes(':')) { kept.push(c); if (!seen.has(4)) seen.set(4, c); return; } // IPv4: checked below as before
      const p = parsePrefix6(c);
      if (!p) { r.error(origin, at(f, i, list.length), 'invalid-cidr', `${f} "${c}" is not a valid CIDR (host bits must be zero)`, `write it like ${f === 'serviceCIDR' ? 'fd00:10:96::/112' : 'fd00:10:244::/56'}`, false, { object: 'Cluster', field: `spec.${f}`, value: c }); return; }
      const other = seen.get(6);
      if (other !== undefined) { r.error(origin, at(f, i, list.length), 'dual-stack-same-family', `${f}: ${c} and ${other} are both IPv6; a dual-stack list holds one CIDR per family`, `write one IPv4 and one IPv6 CIDR, e.g. ${EXAMPLE[f]}`, false, { field: `spec.${f}`, a: c, b: other }); return; }
      seen.set(6, c);
      kept.push(formatPrefix6(p));
    });
    const v4 = list.filter((c) => !c.includes(':'));
    if (v4.length > 1) r.error(origin, at(f, list.indexOf(v4[1] as string), list.length), 'dual-stack-same-family', `${f}: ${v4[0]} and ${v4[1]} are both IPv4; a dual-stack list holds one CIDR per family`, `write one IPv4 and one IPv6 CIDR, e.g. ${EXAMPLE[f]}`, false, { field: `spec.${f}`, a: String(v4[0]), b: String(v4[1]) });
    if (list.length > 2) r.error(origin, at(f, 2, list.length), 'too-many-cidrs', `${f} lists ${list.length} CIDRs; a cluster has at most two, one per family`, `keep one IPv4 and one IPv6 CIDR, e.g. ${EXAMPLE[f]}`, false, { field: `spec.${f}`, count: list.length });
    const out: string[] = [];
    const fam = new Set<Family>();
    for (const c of kept) { const k: Family = c.includes(':') ? 6 : 4; if (!fam.has(k)) { fam.add(k); out.push(c); } }
    return out;
  };
  const podCIDRs = check('podCIDR', spec.podCIDRs);
  const serviceCIDRs = check('serviceCIDR', spec.serviceCIDRs);
  const underlayCIDRs = check('underlayCIDR', spec.underlayCIDRs);
  if (podCIDRs.length === 0) podCIDRs.push(defaults.podCIDR);
  if (serviceCIDRs.length === 0) serviceCIDRs.push(defaults.serviceCIDR);
  if (underlayCIDRs.length === 0) underlayCIDRs.push(defaults.underlayCIDR);
  const famOf = (l: readonly string[]): Family[] => l.map((c) => (c.includes(':') ? 6 : 4));
  const podFam = famOf(podCIDRs), svcFam = famOf(serviceCIDRs);
  const name = (l: readonly Family[]): string => l.map((f) => `IPv${f}`).join(',');
  if (podFam.length !== svcFam.length || podFam.some((f) => !svcFam.includes(f))) {
    r.error(origin, ['spec', 'serviceCIDR'], 'cidr-family-mismatch', `serviceCIDR has the families ${name(svcFam)} but podCIDR has ${name(podFam)}; Services and Pods of a cluster share its IP families`, `list a serviceCIDR for each family of podCIDR, e.g. ${EXAMPLE.serviceCIDR}`, false, { serviceFamilies: name(svcFam), podFamilies: name(podFam) });
  }
  const underFam = famOf(underlayCIDRs);
  for (const f of podFam) {
    if (!underFam.includes(f)) r.warn(origin, ['spec', 'underlayCIDR'], 'underlay-family-missing', `the cluster is ${name(podFam)} but underlayCIDR has no IPv${f} CIDR; nodes get no IPv${f} address on the underlay`, `add an IPv${f} CIDR to underlayCIDR, e.g. ${EXAMPLE.underlayCIDR}`, { params: { family: `IPv${f}` } });
  }
  // IPv6 ranges: kube-apiserver's limits and the overlap check the IPv4 range has.
  const pod6 = podCIDRs.find((c) => c.includes(':')), svc6 = serviceCIDRs.find((c) => c.includes(':'));
  const p6 = pod6 ? parsePrefix6(pod6) : null, s6 = svc6 ? parsePrefix6(svc6) : null;
  let nodeCIDRMaskSizeIPv6 = spec.nodeCIDRMaskSizeIPv6;
  if (s6 && s6.len < 108) r.error(origin, ['spec', 'serviceCIDR'], 'invalid-cidr', `specified serviceCIDR ${svc6} is too large; for 128-bit addresses, the mask must be >= 108`, 'use a /108 to /124 range, e.g. fd00:10:96::/112', false, { object: 'Cluster', field: 'spec.serviceCIDR', value: String(svc6) });
  if (s6 && s6.len > 124) r.error(origin, ['spec', 'serviceCIDR'], 'invalid-cidr', `serviceCIDR "${svc6}" is not a valid CIDR of at least 16 addresses`, 'use a /108 to /124 range, e.g. fd00:10:96::/112', false, { object: 'Cluster', field: 'spec.serviceCIDR', value: String(svc6) });
  if (p6 && s6 && prefix6Overlaps(p6, s6)) r.error(origin, ['spec', 'serviceCIDR'], 'cidr-overlap', `serviceCIDR ${svc6} overlaps the Pod CIDR ${pod6}`, 'Service and Pod addresses must not overlap, e.g. fd00:10:96::/112 and fd00:10:244::/56', false, { serviceCIDR: String(svc6), podCIDR: String(pod6) });
  if (p6 && p6.len > nodeCIDRMaskSizeIPv6) { r.error(origin, ['spec', 'nodeCIDRMaskSizeIPv6'], 'invalid-value', `nodeCIDRMaskSizeIPv6 ${nodeCIDRMaskSizeIPv6} is larger than the cluster CIDR ${pod6}`, `use a mask of at least /${p6.len}`, false, { kind: 'Cluster', field: 'spec.nodeCIDRMaskSizeIPv6' }); nodeCIDRMaskSizeIPv6 = Math.max(p6.len, 64); }
  if (p6 && nodeCIDRMaskSizeIPv6 - p6.len > 16) r.error(origin, ['spec', 'nodeCIDRMaskSizeIPv6'], 'invalid-value', `nodeCIDRMaskSizeIPv6 ${nodeCIDRMaskSizeIPv6} and the cluster CIDR ${pod6}: the difference between the two masks must be at most 16`, `use a cluster CIDR of at least /${nodeCIDRMaskSizeIPv6 - 16}`, false, { kind: 'Cluster', field: 'spec.nodeCIDRMaskSizeIPv6' });
  const ipFamilies = podFam.map((f) => (f === 4 ? 'IPv4' as const : 'IPv6' as const));
  const v4 = (l: readonly string[], d: string): string => l.find((c) => !c.includes(':')) ?? d;
  // The IPv6 data path wires Pods with the bridge plugin and flannel's vxlan backend, and Services
  // are translated for IPv6 (ip6tables, nf_tables ip6, IPVS). A dual-stack cluster of those walks
  // every family in full; an IPv6-only one keeps IPv4 wiring underneath, which the info says.
  const walks6 = spec.network.plugin === 'bridge' || (spec.network.plugin === 'flannel' && (spec.network.backend ?? 'vxlan') === 'vxlan');
  if (podFam.includes(6) && !podFam.includes(4) && walks6) {
    r.report(origin, ['spec', 'podCIDR'], 'info', 'ipv6-datapath-not-yet',
      `the cluster is IPv6-only: Pods, nodes, Services and the underlay router speak IPv6 and packets walk over IPv6, but the machines keep IPv4 wiring from the default ranges (${defaults.podCIDR}, ${defaults.underlayCIDR}) underneath`,
    'use the IPv6 addresses (ping -6, curl http://[ADDR]/) or Services by name; the IPv4 wiring underneath carries no cluster traffic', false, { params: { families: name(podFam), plugin: spec.network.plugin } });
    // (flannel's vxlan backend wires IPv6 with flannel-v6.1; its udp and host-gw backends do not.)
  } else if (podFam.includes(6) && !walks6) {
    const only6 = !podFam.includes(4);
    r.report(origin, ['spec', 'podCIDR'], 'info', 'ipv6-datapath-not-yet', only6
      ? `the cluster is IPv6-only: its Kubernetes objects carry IPv6 addresses, but packets are not walked over IPv6 yet; the machines are wired with the default IPv4 ranges (${defaults.podCIDR}, ${defaults.serviceCIDR}, ${defaults.underlayCIDR}) so probes and traces still run`
      : `the cluster is dual-stack (${name(podFam)}): Kubernetes objects carry both families, but the ${spec.network.plugin} plugin${spec.network.plugin === 'flannel' ? ` (${spec.network.backend} backend)` : ''} does not wire IPv6 yet, so packets walk over IPv4 only`,
    only6 ? 'add an IPv4 CIDR to see packets walk, or read the IPv6 objects with kubectl' : 'probe the IPv4 addresses, or use network.plugin: bridge (or flannel with backend: vxlan) to walk IPv6', false, { params: { families: name(podFam), plugin: spec.network.plugin } });
  }
  return {
    podCIDR: v4(podCIDRs, defaults.podCIDR), serviceCIDR: v4(serviceCIDRs, defaults.serviceCIDR), underlayCIDR: v4(underlayCIDRs, defaults.underlayCIDR),
    podCIDRs: podCIDRs.map((c) => { const p = parseAnyCidr(c); return p ? formatAnyCidr(p) : c; }), serviceCIDRs, underlayCIDRs, ipFamilies, nodeCIDRMaskSizeIPv6,
  };
}

function parseHostPort(p: number | string): { port: number; protocol: Protocol } | null {
  if (typeof p === 'number') return p >= 1 && p <= 65535 ? { port: p, protocol: 'TCP' } : null;
  const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(p.trim());
  if (!m) return null;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return null;
  return { port, protocol: (m[2] ?? 'tcp').toUpperCase() as Protocol };
}

export function buildExternalHosts(spec: ClusterSpec, origin: Origin | undefined, r: Reporter, hasCluster: boolean): { externalHosts: ExternalHostModel[]; upstreamDns: { name: string; ip: string } | null } {
  const out: ExternalHostModel[] = [];
  const names = new Set<string>();
  const ips = new Set<string>();
  let dnsHost: ExternalHostModel | undefined;
  (spec.externalHosts ?? []).forEach((h, i) => {
    const at = ['spec', 'externalHosts', i];
    if (names.has(h.name)) { r.error(origin, [...at, 'name'], 'duplicate-name', `external host "${h.name}" is listed twice`, 'give each external host its own name', false, { kind: 'externalHosts', name: h.name }); return; }
    if (!isIp(h.ip)) { r.error(origin, [...at, 'ip'], 'invalid-ip', `external host ${h.name}: "${h.ip}" is not a valid IPv4 address`, 'e.g. 203.0.113.10', false, { object: h.name, field: 'ip', value: h.ip }); return; }
    if (ips.has(h.ip)) { r.error(origin, [...at, 'ip'], 'duplicate-ip', `external host ${h.name}: ${h.ip} is already used by another external host`, 'give each machine its own address', false, { name: h.name, ip: h.ip }); return; }
    const ports: { port: number; protocol: Protocol }[] = [];
    (h.ports ?? []).forEach((p, j) => {
      const pp = parseHostPort(p);
      if (!pp) r.error(origin, [...at, 'ports', j], 'invalid-port', `external host ${h.name}: "${String(p)}" is not a port`, 'write 80, "8080/tcp" or "53/udp"', false, { name: h.name, value: String(p) });
      else ports.push(pp);
    });
    const model: ExternalHostModel = { name: h.name, ip: h.ip, ports, ...(h.role ? { role: h.role } : {}) };
    names.add(h.name); ips.add(h.ip);
    out.push(model);
    if (h.role === 'dns' && !dnsHost) dnsHost = model;
  });
  const upstreamName = spec.dns?.upstream;
  if (upstreamName !== undefined) {
    const named = out.find((h) => h.name === upstreamName || h.ip === upstreamName);
    if (named) return { externalHosts: out, upstreamDns: { name: named.name, ip: named.ip } };
    if (isIp(upstreamName)) return { externalHosts: out, upstreamDns: { name: upstreamName, ip: upstreamName } };
    r.error(origin, ['spec', 'dns', 'upstream'], 'unknown-external-host', `dns.upstream names "${upstreamName}", which is not one of spec.externalHosts`, 'add it to externalHosts, or write its IP', false, { name: upstreamName });
  }
  if (dnsHost) return { externalHosts: out, upstreamDns: { name: dnsHost.name, ip: dnsHost.ip } };
  if (!hasCluster) return { externalHosts: out, upstreamDns: null };
  if (names.has(DEFAULT_UPSTREAM_DNS.name) || ips.has(DEFAULT_UPSTREAM_DNS.ip)) {
    const h = out.find((x) => x.name === DEFAULT_UPSTREAM_DNS.name || x.ip === DEFAULT_UPSTREAM_DNS.ip)!;
    return { externalHosts: out, upstreamDns: { name: h.name, ip: h.ip } };
  }
  out.push({ name: DEFAULT_UPSTREAM_DNS.name, ip: DEFAULT_UPSTREAM_DNS.ip, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
  return { externalHosts: out, upstreamDns: { ...DEFAULT_UPSTREAM_DNS } };
}
