/**
 * The Cluster document's own checks: CIDRs and ranges (a broken one is replaced by its default so
 * the rest still builds), and the machines outside the cluster, including the upstream resolver.
 */
import { isIp, parsePrefix, prefixOverlaps, prefixSize } from '../addr/ip';
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
  const out = { ...spec };
  const pod = parsePrefix(spec.podCIDR);
  if (!pod) { r.error(origin, ['spec', 'podCIDR'], 'invalid-cidr', `podCIDR "${spec.podCIDR}" is not a valid CIDR (host bits must be zero)`, 'write it like 10.244.0.0/16'); out.podCIDR = defaults.podCIDR; }
  const svc = parsePrefix(spec.serviceCIDR);
  if (!svc || svc.len > 30) { r.error(origin, ['spec', 'serviceCIDR'], 'invalid-cidr', `serviceCIDR "${spec.serviceCIDR}" is not a valid CIDR of at least 4 addresses`, 'write it like 10.96.0.0/12'); out.serviceCIDR = defaults.serviceCIDR; }
  else if (prefixSize(svc) < 16) r.warn(origin, ['spec', 'serviceCIDR'], 'small-service-cidr', `serviceCIDR ${spec.serviceCIDR} has fewer than 16 addresses; kube-dns needs the tenth`, 'use a /28 or larger');
  if (pod && svc && prefixOverlaps(pod, svc)) r.error(origin, ['spec', 'serviceCIDR'], 'cidr-overlap', `serviceCIDR ${spec.serviceCIDR} overlaps the Pod CIDR ${spec.podCIDR}`, 'Service and Pod addresses must not overlap, e.g. 10.96.0.0/12 and 10.244.0.0/16');
  if (!parseNodePortRange(spec.nodePortRange)) { r.error(origin, ['spec', 'nodePortRange'], 'invalid-port-range', `nodePortRange "${spec.nodePortRange}" is not a port range`, 'write it like 30000-32767'); out.nodePortRange = defaults.nodePortRange; }
  if (pod && pod.len > spec.nodeCIDRMaskSize) { r.error(origin, ['spec', 'nodeCIDRMaskSize'], 'invalid-value', `nodeCIDRMaskSize ${spec.nodeCIDRMaskSize} is larger than the cluster CIDR ${spec.podCIDR}`, `use a mask of at least /${pod.len}`); out.nodeCIDRMaskSize = Math.max(pod.len, 24); }
  const under = parsePrefix(spec.underlayCIDR, true);
  if (!under) { r.error(origin, ['spec', 'underlayCIDR'], 'invalid-cidr', `underlayCIDR "${spec.underlayCIDR}" is not a valid CIDR`, 'write it like 192.168.1.0/24'); out.underlayCIDR = defaults.underlayCIDR; }
  if (spec.gateway !== undefined && !isIp(spec.gateway)) { r.error(origin, ['spec', 'gateway'], 'invalid-ip', `gateway "${spec.gateway}" is not an IPv4 address`); delete out.gateway; }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(spec.clusterDomain)) { r.error(origin, ['spec', 'clusterDomain'], 'invalid-name', `clusterDomain "${spec.clusterDomain}" is not a DNS domain`, 'e.g. cluster.local'); out.clusterDomain = defaults.clusterDomain; }
  const net = spec.network;
  const backends = CNI_PLUGINS[net.plugin].backends;
  if (net.backend !== undefined && !backends.includes(net.backend)) {
    r.error(origin, ['spec', 'network', 'backend'], 'invalid-backend', `network plugin ${net.plugin} has no backend "${net.backend}"`, `use one of: ${backends.join(', ')}`);
    out.network = { ...net, backend: backends[0] as typeof net.backend };
  }
  if (net.encryption === true && !CNI_PLUGINS[net.plugin].encryption) {
    r.report(origin, ['spec', 'network', 'encryption'], 'warning', 'encryption-not-supported', `network plugin ${net.plugin} has no encryption setting; spec.network.encryption is ignored`,
      'encryption: true applies to weave (a password for its peers); remove it, or use network.plugin: weave', false, { params: { plugin: net.plugin } });
  }
  // A plugin that serves Services itself (CniPlugin.replacesKubeProxy) runs without kube-proxy: a mode picked for it does nothing.
  const defaultMode = defaults.kubeProxy.mode;
  if (CNI_PLUGINS[net.plugin].replacesKubeProxy?.(spec) && spec.kubeProxy.mode !== defaultMode && spec.kubeProxy.mode !== 'none') {
    r.warn(origin, ['spec', 'kubeProxy', 'mode'], 'kube-proxy-replaced', `network plugin ${net.plugin} serves Services itself and the cluster runs without kube-proxy: kubeProxy.mode ${spec.kubeProxy.mode} does not apply`, 'remove spec.kubeProxy, or choose a plugin that relies on kube-proxy (flannel, calico, canal, bridge)');
  }
  return out;
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
    if (names.has(h.name)) { r.error(origin, [...at, 'name'], 'duplicate-name', `external host "${h.name}" is listed twice`, 'give each external host its own name'); return; }
    if (!isIp(h.ip)) { r.error(origin, [...at, 'ip'], 'invalid-ip', `external host ${h.name}: "${h.ip}" is not a valid IPv4 address`, 'e.g. 203.0.113.10'); return; }
    if (ips.has(h.ip)) { r.error(origin, [...at, 'ip'], 'duplicate-ip', `external host ${h.name}: ${h.ip} is already used by another external host`, 'give each machine its own address'); return; }
    const ports: { port: number; protocol: Protocol }[] = [];
    (h.ports ?? []).forEach((p, j) => {
      const pp = parseHostPort(p);
      if (!pp) r.error(origin, [...at, 'ports', j], 'invalid-port', `external host ${h.name}: "${String(p)}" is not a port`, 'write 80, "8080/tcp" or "53/udp"');
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
    r.error(origin, ['spec', 'dns', 'upstream'], 'unknown-external-host', `dns.upstream names "${upstreamName}", which is not one of spec.externalHosts`, 'add it to externalHosts, or write its IP');
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
