/**
 * Services: the API server's validation and its two allocators. Cluster IPs come from
 * --service-cluster-ip-range: a value the user wrote is reserved first; others are drawn at
 * random (seeded) from the upper band, above the first addresses kept for static use
 * (kubernetes = first address, kube-dns = tenth). NodePorts work the same way within
 * --service-node-port-range.
 */
import { formatIPv4, nthAddress, parseIPv4, parsePrefix, prefixContains, prefixSize, type Prefix } from '../addr/ip';
import type { Meta, ServiceModel, ServicePortModel, ServiceType } from '../model/cluster';
import type { Origin } from '../scenario/load';
import type { ServiceIn } from '../scenario/schema/k8s';
import type { Rand } from '../util/rand';
import type { Params, Reporter } from './diag';
import { formatIPv6, nthAddress6, parseIPv6, prefix6Contains, prefix6Size, type Prefix6 } from '../addr/ip6';
import { familyErrorText, resolveServiceFamilies, type IPFamily, type IPFamilyPolicy } from './ipfamilies';
import { dns1035Label, dns1123Label, dns1123Subdomain, labelKey, labelValue, portName } from './validation';

export interface ServiceSrc {
  readonly obj: ServiceIn;
  readonly meta: Meta;
  readonly origin?: Origin | undefined;
}

export interface Allocators {
  readonly serviceCIDR: Prefix;
  readonly nodePorts: { lo: number; hi: number; text: string };
  /** The IPv6 Service range of a dual-stack or IPv6 cluster (stage 1: Kubernetes' view only). */
  readonly serviceCIDR6?: Prefix6;
  /** The cluster's Service families, primary first; absent = IPv4 only. */
  readonly serviceFamilies?: readonly IPFamily[];
  /** The load balancer's address: a LoadBalancer Service without status.loadBalancer gets it as its EXTERNAL-IP. */
  readonly loadBalancerIP?: string;
}

interface Checked {
  src: ServiceSrc;
  type: ServiceType;
  headless: boolean;
  ports: { port: ServicePortModel; nodePort?: number }[];
  /** Set on a cluster with an IPv6 family: the API server's ipFamilyPolicy and ipFamilies. */
  families?: { policy: IPFamilyPolicy | null; list: readonly IPFamily[] };
}

/** API-server checks that need nothing but the object; false = rejected. */
function check(src: ServiceSrc, a: Allocators, r: Reporter): Checked | null {
  const { obj, origin } = src;
  const spec = obj.spec ?? {};
  const name = src.meta.name;
  let ok = true;
  // A missing field is reported on the key of its parent ("spec:"), where it should be added.
  const err = (path: (string | number)[], code: string, msg: string, hint?: string, key = false, params?: Params) => { ok = false; r.error(origin, path, code, `Service "${name}" is invalid: ${msg}`, hint, key, params && { object: `Service ${name}`, ...params }); };
  const badName = dns1035Label(name);
  if (badName) err(['metadata', 'name'], 'invalid-name', `metadata.name: Invalid value: "${name}": ${badName}`, 'Service names must start with a letter: lower case letters, digits and "-"', false, { field: 'metadata.name', value: name });
  const type: ServiceType = spec.type ?? 'ClusterIP';
  const headless = spec.clusterIP === 'None';
  if (type === 'ExternalName') {
    if (!spec.externalName) err(['spec'], 'missing-field', 'spec.externalName: Required value', 'an ExternalName Service needs externalName: some.host.example', true, { kind: 'Service', field: 'spec.externalName' });
  } else if (!spec.ports || spec.ports.length === 0) {
    if (!headless) err(['spec'], 'missing-ports', 'spec.ports: Required value', 'add a ports list, e.g. ports: [{port: 80, targetPort: 8080}]', true, {});
  }
  if (headless && type !== 'ClusterIP') err(['spec', 'clusterIP'], 'invalid-value', `spec.clusterIP: Invalid value: "None": may not be set to 'None' for ${type} services`, 'headless Services must be type ClusterIP', false, { kind: 'Service', field: 'spec.clusterIP' });
  const ports = spec.ports ?? [];
  const names = new Set<string>();
  const seen = new Set<string>();
  const out: Checked['ports'] = [];
  ports.forEach((p, i) => {
    const at = ['spec', 'ports', i];
    const field = `spec.ports[${i}]`;
    const protocol = p.protocol ?? 'TCP';
    if (p.port < 1 || p.port > 65535) err([...at, 'port'], 'port-out-of-range', `${field}.port: Invalid value: ${p.port}: must be between 1 and 65535, inclusive`, 'ports are 1-65535', false, { field: `${field}.port`, value: p.port });
    if (ports.length > 1 && !p.name) err([...at], 'port-name-required', `${field}.name: Required value`, 'a Service with more than one port must name every port, e.g. name: http', false, { field: `${field}.name` });
    if (p.name !== undefined && p.name !== '') {
      // A Service port name is a DNS-1123 label (validateServicePort), unlike a container port's IANA name: "80-8080" is fine.
      const bad = dns1123Label(p.name);
      if (bad) err([...at, 'name'], 'invalid-port-name', `${field}.name: Invalid value: "${p.name}": ${bad}`, 'port names are lower case letters, digits and "-", at most 63', false, { field: `${field}.name`, value: p.name });
      if (names.has(p.name)) err([...at, 'name'], 'duplicate-port-name', `${field}.name: Duplicate value: "${p.name}"`, 'give each port its own name', false, { field: `${field}.name`, value: p.name });
      names.add(p.name);
    }
    const key = `${p.port}/${protocol}`;
    if (seen.has(key)) err([...at, 'port'], 'duplicate-port', `${field}: Duplicate value: port ${p.port}/${protocol}`, 'a Service cannot expose the same port and protocol twice', false, { field, value: `${p.port}/${protocol}` });
    seen.add(key);
    const tp = p.targetPort ?? p.port;
    if (typeof tp === 'number' && (tp < 1 || tp > 65535)) err([...at, 'targetPort'], 'port-out-of-range', `${field}.targetPort: Invalid value: ${tp}: must be between 1 and 65535, inclusive`, 'ports are 1-65535', false, { field: `${field}.targetPort`, value: tp });
    if (typeof tp === 'string' && !/^\d+$/.test(tp)) {
      const bad = portName(tp);
      if (bad) err([...at, 'targetPort'], 'invalid-port-name', `${field}.targetPort: Invalid value: "${tp}": ${bad}`, 'a named targetPort must match a container port name', false, { field: `${field}.targetPort`, value: tp });
    }
    if (p.nodePort !== undefined) {
      if (type === 'ClusterIP' || type === 'ExternalName') {
        err([...at, 'nodePort'], 'nodeport-forbidden', `${field}.nodePort: Forbidden: may not be used when \`type\` is '${type}'`, 'set type: NodePort (or LoadBalancer), or remove nodePort', false, { field: `${field}.nodePort`, type });
      } else if (p.nodePort !== 0 && (p.nodePort < a.nodePorts.lo || p.nodePort > a.nodePorts.hi)) {
        err([...at, 'nodePort'], 'nodeport-out-of-range', `${field}.nodePort: Invalid value: ${p.nodePort}: provided port is not in the valid range. The range of valid ports is ${a.nodePorts.text}`, `pick a port in ${a.nodePorts.text}, or leave nodePort out and one is allocated`, false, { field: `${field}.nodePort`, value: p.nodePort, range: a.nodePorts.text });
      }
    }
    const targetPort = typeof tp === 'string' && /^\d+$/.test(tp) ? Number(tp) : tp;
    out.push({
      port: { name: p.name ?? '', protocol, port: p.port, targetPort, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) },
      ...(p.nodePort ? { nodePort: p.nodePort } : {}),
    });
  });
  if (spec.clusterIP !== undefined && spec.clusterIP !== 'None' && spec.clusterIP !== '') {
    if (type === 'ExternalName') err(['spec', 'clusterIP'], 'invalid-value', 'spec.clusterIP: Invalid value: must be empty for ExternalName services', undefined, false, { kind: 'Service', field: 'spec.clusterIP' });
    else if (parseIPv4(spec.clusterIP) === null && !(a.serviceFamilies && parseIPv6(spec.clusterIP) !== null)) err(['spec', 'clusterIP'], 'clusterip-invalid', `spec.clusterIPs[0]: Invalid value: "${spec.clusterIP}": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`, 'write an address such as 10.96.0.20, or "None" for a headless Service', false, { field: 'spec.clusterIP', value: spec.clusterIP });
  }
  let families: Checked['families'];
  if (a.serviceFamilies) {
    const res = resolveServiceFamilies({
      type, hasSelector: !!spec.selector && Object.keys(spec.selector).length > 0,
      ...(spec.clusterIP !== undefined ? { clusterIP: spec.clusterIP } : {}),
      ...(spec.clusterIPs !== undefined ? { clusterIPs: spec.clusterIPs } : {}),
      ...(spec.ipFamilies !== undefined ? { ipFamilies: spec.ipFamilies } : {}),
      ...(spec.ipFamilyPolicy !== undefined ? { ipFamilyPolicy: spec.ipFamilyPolicy } : {}),
    }, a.serviceFamilies);
    if (res.ok) families = { policy: res.ipFamilyPolicy, list: res.ipFamilies };
    else for (const e of res.errors) err([...e.path], 'service-ip-family-invalid', familyErrorText(e), 'ipFamilyPolicy: SingleStack | PreferDualStack | RequireDualStack; ipFamilies: one per family, of the cluster\'s serviceCIDR families', false, { field: e.path.join('.'), detail: familyErrorText(e) });
  }
  if (spec.externalName !== undefined && type === 'ExternalName') {
    const bad = dns1123Subdomain(spec.externalName.replace(/\.$/, ''));
    if (bad) err(['spec', 'externalName'], 'invalid-name', `spec.externalName: Invalid value: "${spec.externalName}": ${bad}`, 'externalName is a DNS name such as db.example.com, not a URL or an IP', false, { field: 'spec.externalName', value: spec.externalName });
  }
  for (const [k, v] of Object.entries(spec.selector ?? {})) {
    const bad = labelKey(k) ?? labelValue(v);
    if (bad) err(['spec', 'selector', k], 'invalid-label', `spec.selector: Invalid value: "${k}=${v}": ${bad}`, 'selector keys and values follow the label syntax', false, { field: 'spec.selector', value: `${k}=${v}` });
  }
  const timeout = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
  if (timeout !== undefined && (timeout <= 0 || timeout > 86400)) err(['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'], 'out-of-range', `spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: ${timeout}: must be greater than 0 and less than 86400`, 'the default is 10800 (3 hours)', false, { kind: 'Service', field: 'spec.sessionAffinityConfig.clientIP.timeoutSeconds' });
  for (const [i, cidr] of (spec.loadBalancerSourceRanges ?? []).entries()) {
    if (!parsePrefix(cidr.trim(), true)) err(['spec', 'loadBalancerSourceRanges', i], 'invalid-cidr', `spec.loadBalancerSourceRanges[${i}]: Invalid value: "${cidr}": must be a list of IP ranges. For example, 10.240.0.0/24,10.250.0.0/24`, undefined, false, { field: `spec.loadBalancerSourceRanges[${i}]`, value: cidr });
  }
  for (const [i, ip] of (spec.externalIPs ?? []).entries()) {
    if (parseIPv4(ip) === null) err(['spec', 'externalIPs', i], 'invalid-ip', `spec.externalIPs[${i}]: Invalid value: "${ip}": must be a valid IP address`, undefined, false, { field: `spec.externalIPs[${i}]`, value: ip });
  }
  if (spec.externalTrafficPolicy === 'Local' && type !== 'NodePort' && type !== 'LoadBalancer') {
    r.warn(origin, ['spec', 'externalTrafficPolicy'], 'external-traffic-policy-ignored', `Service "${name}": externalTrafficPolicy only applies to NodePort and LoadBalancer Services`, 'remove it or change the type', { params: { object: `Service ${name}`, type } });
  }
  return ok ? { src, type, headless, ports: out, ...(families ? { families } : {}) } : null;
}

export function parseNodePortRange(s: string): { lo: number; hi: number; text: string } | null {
  const m = /^(\d+)-(\d+)$/.exec(s.trim());
  if (!m) return null;
  const lo = Number(m[1]); const hi = Number(m[2]);
  if (lo < 1 || hi > 65535 || lo > hi) return null;
  return { lo, hi, text: `${lo}-${hi}` };
}

/** Validates and allocates every Service, in creation order. Returns the accepted ones. */
export function buildServices(srcs: readonly ServiceSrc[], a: Allocators, rand: Rand, r: Reporter): ServiceModel[] {
  const checked = srcs.map((s) => check(s, a, r)).filter((c): c is Checked => c !== null);
  const cidr = a.serviceCIDR;
  const size = prefixSize(cidr);
  const usedIPs = new Map<number, string>();
  const usedPorts = new Map<number, string>();
  const ips = new Map<Checked, string | null>();
  const rejected = new Set<Checked>();
  const label = (c: Checked) => `${c.src.meta.namespace}/${c.src.meta.name}`;

  // Pass 1: what the user wrote is reserved in creation order; a later clash is rejected.
  const used6 = new Map<bigint, string>();
  const ip6Of = new Map<Checked, string>();
  const cidr6 = a.serviceCIDR6;
  for (const c of checked) {
    const written = [c.src.obj.spec?.clusterIP, ...(c.src.obj.spec?.clusterIPs ?? []).slice(1)];
    const want = written.find((w) => w !== undefined && w !== '' && !w.includes(':'));
    if (c.type === 'ExternalName') { ips.set(c, null); continue; }
    if (c.headless) { ips.set(c, 'None'); continue; }
    const want6 = written.find((w) => w?.includes(':'));
    if (want6 !== undefined && cidr6) {
      const v6 = parseIPv6(want6)!;
      const range = `${formatIPv6(cidr6.base)}/${cidr6.len}`;
      const at = ['spec', 'clusterIP'];
      if (!prefix6Contains(cidr6, v6) || v6 === cidr6.base) {
        r.error(c.src.origin, at, 'clusterip-out-of-range', `Service "${c.src.meta.name}" is invalid: spec.clusterIPs: Invalid value: ["${want6}"]: failed to allocate IP ${want6}: the provided IP (${want6}) is not in the valid range. The range of valid IPs is ${range}`, `pick an address inside serviceCIDR ${range}, or leave clusterIP out`, false, { object: `Service ${c.src.meta.name}`, value: want6, range });
        rejected.add(c); continue;
      }
      const owner6 = used6.get(v6);
      if (owner6) { r.error(c.src.origin, at, 'clusterip-allocated', `Service "${c.src.meta.name}" is invalid: spec.clusterIPs: Invalid value: ["${want6}"]: failed to allocate IP ${want6}: provided IP is already allocated (by ${owner6})`, 'leave clusterIP out and one is allocated, or pick a free address', false, { object: `Service ${c.src.meta.name}`, value: want6, owner: owner6 }); rejected.add(c); continue; }
      used6.set(v6, label(c));
      ip6Of.set(c, formatIPv6(v6));
    }
    if (want === undefined) continue;
    const v = parseIPv4(want)!;
    const at = ['spec', 'clusterIP'];
    if (!prefixContains(cidr, v) || v === cidr.base || v === nthAddress(cidr, size - 1)) {
      r.error(c.src.origin, at, 'clusterip-out-of-range', `Service "${c.src.meta.name}" is invalid: spec.clusterIPs: Invalid value: ["${want}"]: failed to allocate IP ${want}: the provided IP (${want}) is not in the valid range. The range of valid IPs is ${formatIPv4(cidr.base)}/${cidr.len}`, `pick an address inside serviceCIDR ${formatIPv4(cidr.base)}/${cidr.len}, or leave clusterIP out`, false, { object: `Service ${c.src.meta.name}`, value: want, range: `${formatIPv4(cidr.base)}/${cidr.len}` });
      rejected.add(c); continue;
    }
    const owner = usedIPs.get(v);
    if (owner) {
      r.error(c.src.origin, at, 'clusterip-allocated', `Service "${c.src.meta.name}" is invalid: spec.clusterIPs: Invalid value: ["${want}"]: failed to allocate IP ${want}: provided IP is already allocated (by ${owner})`, 'leave clusterIP out and one is allocated, or pick a free address', false, { object: `Service ${c.src.meta.name}`, value: want, owner });
      rejected.add(c); continue;
    }
    usedIPs.set(v, label(c));
    ips.set(c, want);
  }
  for (const c of checked) {
    if (rejected.has(c)) continue;
    c.ports.forEach((p, i) => {
      if (!p.nodePort) return;
      const owner = usedPorts.get(p.nodePort);
      if (owner) {
        r.error(c.src.origin, ['spec', 'ports', i, 'nodePort'], 'nodeport-allocated', `Service "${c.src.meta.name}" is invalid: spec.ports[${i}].nodePort: Invalid value: ${p.nodePort}: provided port is already allocated (by ${owner})`, 'pick another port, or leave nodePort out and one is allocated', false, { object: `Service ${c.src.meta.name}`, field: `spec.ports[${i}].nodePort`, value: p.nodePort, owner });
        rejected.add(c);
        return;
      }
      usedPorts.set(p.nodePort, label(c));
    });
  }
  // Pass 2: dynamic allocation, seeded per object so adding a Service does not move the others.
  const band = Math.min(Math.max(16, Math.floor(size / 16)), 256);
  const portBand = Math.min(Math.max(16, Math.floor((a.nodePorts.hi - a.nodePorts.lo + 1) / 32)), 128);
  const pickIP = (c: Checked): string | null => {
    const lo = size - 2 > band ? band : 1;
    const span = size - 1 - lo;
    if (span <= 0) return null;
    const rr = rand.fork(`clusterip/${label(c)}`);
    const start = rr.int(span);
    for (let k = 0; k < span; k++) {
      const v = nthAddress(cidr, lo + ((start + k) % span));
      if (!usedIPs.has(v)) { usedIPs.set(v, label(c)); return formatIPv4(v); }
    }
    // Upper band full: fall back to any free address.
    for (let n = 1; n < size - 1; n++) { const v = nthAddress(cidr, n); if (!usedIPs.has(v)) { usedIPs.set(v, label(c)); return formatIPv4(v); } }
    return null;
  };
  const pickPort = (c: Checked, key: string): number | null => {
    const span0 = a.nodePorts.hi - a.nodePorts.lo + 1;
    const lo = span0 > portBand * 2 ? a.nodePorts.lo + portBand : a.nodePorts.lo;
    const span = a.nodePorts.hi - lo + 1;
    const rr = rand.fork(`nodeport/${label(c)}/${key}`);
    const start = rr.int(span);
    for (let k = 0; k < span0; k++) {
      const p = k < span ? lo + ((start + k) % span) : a.nodePorts.lo + (k - span);
      if (!usedPorts.has(p)) { usedPorts.set(p, label(c)); return p; }
    }
    return null;
  };
  // IPv6 cluster IPs (Kubernetes' view in stage 1): the same seeded draw from the upper band of the IPv6 range.
  const pickIP6 = (c: Checked): string | null => {
    if (!cidr6) return null;
    const size6 = Number(prefix6Size(cidr6) > 1n << 24n ? 1n << 24n : prefix6Size(cidr6));
    const lo = size6 - 2 > band ? band : 1;
    const span = size6 - 1 - lo;
    if (span <= 0) return null;
    const start = rand.fork(`clusterip6/${label(c)}`).int(span);
    for (let k = 0; k < span; k++) {
      const v = nthAddress6(cidr6, lo + ((start + k) % span))!;
      if (!used6.has(v)) { used6.set(v, label(c)); return formatIPv6(v); }
    }
    return null;
  };
  // A written IPv4 address in the static band (kubernetes = first, kube-dns = tenth) gets its
  // IPv6 twin at the same offset, as kubeadm's fd00:10:96::1 and ::a.
  const mirror6 = (c: Checked, ip: string | null): string | null => {
    if (!cidr6 || ip === null || !ips.has(c)) return null;
    const v = parseIPv4(ip);
    if (v === null) return null;
    const off = (v - cidr.base) >>> 0;
    if (off === 0 || off >= band) return null;
    const v6 = nthAddress6(cidr6, off);
    if (v6 === null || used6.has(v6)) return null;
    used6.set(v6, label(c));
    return formatIPv6(v6);
  };
  const out: ServiceModel[] = [];
  for (const c of checked) {
    if (rejected.has(c)) continue;
    let ip = ips.has(c) ? ips.get(c)! : pickIP(c);
    if (ip === undefined) ip = null;
    if (!ips.has(c) && ip === null) { r.error(c.src.origin, ['metadata', 'name'], 'clusterip-exhausted', `Service "${c.src.meta.name}": no free cluster IP left in ${formatIPv4(cidr.base)}/${cidr.len}`, 'widen serviceCIDR', false, { object: `Service ${c.src.meta.name}`, range: `${formatIPv4(cidr.base)}/${cidr.len}` }); continue; }
    const spec = c.src.obj.spec ?? {};
    const wantsNodePorts = c.type === 'NodePort' || (c.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
    const ports: ServicePortModel[] = c.ports.map((p, i) => {
      const nodePort = p.nodePort ?? (wantsNodePorts ? pickPort(c, `${i}`) ?? undefined : undefined);
      return { ...p.port, ...(nodePort ? { nodePort } : {}) };
    });
    const etp = spec.externalTrafficPolicy ?? 'Cluster';
    let healthCheckNodePort: number | undefined;
    if (c.type === 'LoadBalancer' && etp === 'Local') healthCheckNodePort = spec.healthCheckNodePort ?? pickPort(c, 'health') ?? undefined;
    // status.loadBalancer as written, else what the cloud controller manager would fill in.
    const written = c.src.obj.status?.loadBalancer?.ingress ?? [];
    const lb = written.length || c.type !== 'LoadBalancer' || !a.loadBalancerIP ? written : [{ ip: a.loadBalancerIP }];
    out.push({
      meta: c.src.meta, type: c.type,
      selector: spec.selector && Object.keys(spec.selector).length > 0 && c.type !== 'ExternalName' ? { ...spec.selector } : null,
      clusterIP: ip, headless: c.headless, ports,
      ...(c.families ? familyFields(c, ip, () => ip6Of.get(c) ?? mirror6(c, ip) ?? pickIP6(c)) : {}),
      externalIPs: spec.externalIPs ?? [],
      ...(spec.externalName !== undefined ? { externalName: spec.externalName } : {}),
      loadBalancerIngress: lb.map((x) => x.ip ?? x.hostname ?? '').filter(Boolean),
      loadBalancerSourceRanges: spec.loadBalancerSourceRanges ?? [],
      externalTrafficPolicy: etp,
      internalTrafficPolicy: spec.internalTrafficPolicy ?? 'Cluster',
      ...(healthCheckNodePort ? { healthCheckNodePort } : {}),
      sessionAffinity: spec.sessionAffinity ?? 'None',
      sessionAffinityTimeout: spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800,
      publishNotReadyAddresses: spec.publishNotReadyAddresses ?? false,
    });
  }
  return out;
}

/** clusterIPs in the order of ipFamilies; `clusterIP` (the IPv4 one the walk uses) stays as it is. */
function familyFields(c: Checked, ip: string | null, ip6: () => string | null): Pick<ServiceModel, 'ipFamilies' | 'ipFamilyPolicy' | 'clusterIPs'> {
  const f = c.families!;
  if (c.type === 'ExternalName') return { ipFamilies: [], ipFamilyPolicy: null, clusterIPs: [] };
  if (c.headless) return { ipFamilies: f.list, ipFamilyPolicy: f.policy, clusterIPs: ['None'] };
  const v6 = f.list.includes('IPv6') ? ip6() : null;
  const clusterIPs = f.list.map((fam) => (fam === 'IPv4' ? ip : v6)).filter((x): x is string => x !== null);
  return { ipFamilies: f.list, ipFamilyPolicy: f.policy, clusterIPs };
}
