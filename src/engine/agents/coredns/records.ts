/**
 * The `kubernetes` plugin of CoreDNS: the records the Kubernetes DNS specification defines,
 * computed from the ClusterModel. Pure.
 *
 *   SVC.NS.svc.DOMAIN                    A: clusterIP | headless: ready endpoint addresses | ExternalName: CNAME
 *   _PORT._PROTO.SVC.NS.svc.DOMAIN       SRV per named port (headless: one per endpoint)
 *   EP.SVC.NS.svc.DOMAIN                 A of one endpoint (hostname, or a-b-c-d, or the Pod name)
 *   a-b-c-d.NS.pod.DOMAIN                A (pods insecure | verified)
 *   d.c.b.a.in-addr.arpa                 PTR of Service IPs and endpoint addresses
 *   (nibbles).ip6.arpa                   PTR of IPv6 ones (dual-stack / IPv6 clusters)
 *
 * On a cluster with IPv6, a Service's names carry one address per clusterIP (AAAA for the IPv6
 * one), a headless Service's the endpoints of both address families' slices, and an SRV answer
 * one record per target and port with A and AAAA in the additional section, as the plugin's
 * findServices and CoreDNS's backend_lookup do. An endpoint without a hostname is named by its
 * address with '.' or ':' turned into '-' (fd00-10-244--3).
 *
 * A name that does not exist is NXDOMAIN; a name that exists without records of the asked type
 * is NOERROR with no answer (NODATA). Both carry the zone's SOA in the authority section.
 */
import type { ClusterModel, EndpointModel, PodModel, ServiceModel } from '../../model/cluster';
import { isIp } from '../../addr/ip';
import { canonicalIp, ipFamily, reverseName } from '../../addr/family';
import { formatIPv6, parseReverseName6 } from '../../addr/ip6';
import type { KubernetesPlugin } from './corefile';
import { fqdn, inZone } from './corefile';
import type { DnsRR, RRType } from './answer';

export type PluginResult =
  | { readonly kind: 'answer'; readonly answers: readonly DnsRR[]; readonly additional: readonly DnsRR[] }
  | { readonly kind: 'nodata' }
  | { readonly kind: 'nxdomain' }
  | { readonly kind: 'next' };

/** A fixed serial: CoreDNS uses the time of the last API change; the playground has no wall clock. */
export const SOA_SERIAL = 1700000000;

export function soaRR(zone: string, ttl: number): DnsRR {
  const base = zone === '.' ? '' : zone;
  return { name: zone, type: 'SOA', ttl, data: `ns.dns.${base} hostmaster.${base} ${SOA_SERIAL} 7200 1800 86400 ${ttl}` };
}

interface Endpoint { readonly ip: string; readonly name: string; readonly ports: readonly { name: string; port: number; protocol: string }[] }

/** "10.244.1.5" → "10-244-1-5", as CoreDNS names an endpoint without a hostname. */
export const dashed = (ip: string): string => ip.replace(/[.:]/g, '-');

/** An address of either family (DNS answers carry IPv6 ones as AAAA). */
const isAddr = (ip: string): boolean => ipFamily(ip) !== null;
/** The record type of an address: A or AAAA. */
export const addrType = (ip: string): 'A' | 'AAAA' => (ip.includes(':') ? 'AAAA' : 'A');

/** A Service's cluster IPs as DNS publishes them: spec.clusterIPs (one per family), else clusterIP. */
export function serviceIPs(svc: ServiceModel): string[] {
  const list = svc.clusterIPs && svc.clusterIPs.length ? svc.clusterIPs : svc.clusterIP !== null ? [svc.clusterIP] : [];
  return list.filter(isAddr);
}

function podByRef(model: ClusterModel, ref: string | undefined): PodModel | undefined {
  if (!ref) return undefined;
  const parts = ref.split('/');
  if (parts.length !== 3) return undefined;
  return model.pods.find((p) => p.meta.namespace === parts[1] && p.meta.name === parts[2]);
}

/** The endpoints DNS publishes for a Service: ready ones (or all, with publishNotReadyAddresses). */
export function serviceEndpoints(model: ClusterModel, svc: ServiceModel, k: Pick<KubernetesPlugin, 'endpointPodNames'>): Endpoint[] {
  const ns = svc.meta.namespace;
  const out: Endpoint[] = [];
  const seen = new Set<string>();
  const nameOf = (ip: string, hostname: string | undefined, ref: string | undefined): string => {
    if (hostname) return hostname;
    const pod = podByRef(model, ref);
    // The endpoint controller copies spec.hostname when spec.subdomain names this Service.
    if (pod && pod.subdomain === svc.meta.name && pod.spec.hostname) return pod.spec.hostname;
    if (k.endpointPodNames && pod) return pod.meta.name;
    return dashed(ip);
  };
  const slices = model.endpointSlices.filter((s) => s.meta.namespace === ns && s.serviceName === svc.meta.name && (s.addressType === 'IPv4' || s.addressType === 'IPv6'));
  if (slices.length) {
    for (const s of slices) {
      for (const ep of s.endpoints as readonly EndpointModel[]) {
        if (!(ep.ready || svc.publishNotReadyAddresses)) continue;
        for (const ip of ep.addresses) {
          const key = `${ip}|${s.ports.map((p) => p.port).join(',')}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push({ ip, name: nameOf(ip, ep.hostname, ep.targetRef), ports: s.ports });
        }
      }
    }
    return out;
  }
  const eps = model.endpoints.find((e) => e.meta.namespace === ns && e.meta.name === svc.meta.name);
  for (const sub of eps?.subsets ?? []) {
    const addrs = svc.publishNotReadyAddresses ? [...sub.addresses, ...sub.notReadyAddresses] : sub.addresses;
    for (const a of addrs) out.push({ ip: a.ip, name: nameOf(a.ip, a.hostname, a.targetRef), ports: sub.ports });
  }
  return out;
}

export function namespaceExists(model: ClusterModel, ns: string): boolean {
  if (model.namespaces.some((n) => n.name === ns)) return true;
  // Hand-built models may omit Namespace objects: an object living there proves it exists.
  return model.namespaces.length === 0 && (model.pods.some((p) => p.meta.namespace === ns) || model.services.some((s) => s.meta.namespace === ns));
}

function namespaceExposed(model: ClusterModel, k: KubernetesPlugin, ns: string): boolean {
  if (k.namespaces && !k.namespaces.includes(ns)) return false;
  return namespaceExists(model, ns);
}

/** The kube-dns Service's clusterIP: the address kubelet writes into Pods' resolv.conf. */
export function clusterDnsIp(model: ClusterModel): string {
  const svc = model.services.find((s) => s.meta.namespace === 'kube-system' && s.meta.name === 'kube-dns');
  // kubelet's --cluster-dns is the Service's primary address: IPv6 when the Service is IPv6-primary.
  const primary = svc?.clusterIPs?.[0];
  if (primary && ipFamily(primary) === 6) return primary;
  if (svc?.clusterIP && isIp(svc.clusterIP)) return svc.clusterIP;
  // kubeadm's default: the tenth address of the Service CIDR (10.96.0.10 for 10.96.0.0/12).
  const base = model.spec.serviceCIDR.split('/')[0] ?? '10.96.0.0';
  const o = base.split('.').map(Number);
  return `${o[0]}.${o[1]}.${o[2]}.${(o[3] ?? 0) + 10}`;
}

const matches = (want: string, have: string): boolean => want === '' || want === have.toLowerCase();

interface Parsed { port: string; protocol: string; endpoint: string; service: string; namespace: string; podOrSvc: string }

/** CoreDNS's parseRequest: the labels left of the zone, read from the right. */
function parseRequest(name: string, zone: string): Parsed | null {
  const rest = zone === '.' ? name.slice(0, -1) : name.slice(0, name.length - zone.length - 1);
  const segs = rest ? rest.split('.') : [];
  const r: Parsed = { port: '', protocol: '', endpoint: '', service: '', namespace: '', podOrSvc: '' };
  let last = segs.length - 1;
  if (last < 0) return r;
  r.podOrSvc = segs[last]!;
  if (r.podOrSvc !== 'svc' && r.podOrSvc !== 'pod') return null;
  last--;
  if (last < 0) return r;
  r.namespace = segs[last]!;
  last--;
  if (last < 0) return r;
  r.service = segs[last]!;
  last--;
  if (last < 0) return r;
  if (last === 0) r.endpoint = segs[0]!;
  else if (last === 1) { r.port = segs[0]!.replace(/^_/, ''); r.protocol = segs[1]!.replace(/^_/, ''); }
  else return null;
  return r;
}

interface Item { readonly host: string; readonly port: number | null; readonly target: string; readonly cname: boolean }

/** What the plugin knows under a svc name: CoreDNS's findServices. */
function findServices(model: ClusterModel, k: KubernetesPlugin, r: Parsed, zone: string): Item[] | null {
  const out: Item[] = [];
  for (const svc of model.services) {
    if (svc.meta.namespace !== r.namespace || svc.meta.name !== r.service) continue;
    const svcName = `${svc.meta.name}.${svc.meta.namespace}.svc.${zone}`;
    if (svc.type === 'ExternalName') {
      // CoreDNS: no endpoints, and no _port._proto pseudo-labels below an ExternalName (NXDOMAIN).
      if (r.endpoint || r.port || r.protocol || !svc.externalName) continue;
      // Kubernetes: an IP-looking externalName is a name made of digits, never an address.
      out.push({ host: fqdn(svc.externalName), port: null, target: fqdn(svc.externalName), cname: true });
      continue;
    }
    if (svc.headless || r.endpoint) {
      for (const ep of serviceEndpoints(model, svc, k)) {
        if (r.endpoint && r.endpoint !== ep.name.toLowerCase()) continue;
        const ports = ep.ports.filter((p) => matches(r.port, p.name) && matches(r.protocol, p.protocol));
        if ((r.port || r.protocol) && ports.length === 0) continue;
        const target = `${ep.name}.${svcName}`;
        if (ports.length === 0) out.push({ host: ep.ip, port: null, target, cname: false });
        for (const p of ports) out.push({ host: ep.ip, port: p.port, target, cname: false });
      }
      continue;
    }
    for (const ip of serviceIPs(svc)) {
      for (const p of svc.ports) {
        if (!(matches(r.port, p.name) && matches(r.protocol, p.protocol))) continue;
        out.push({ host: ip, port: p.port, target: svcName, cname: false });
      }
    }
  }
  return out.length ? out : null;
}

function srvRecords(name: string, items: readonly Item[], ttl: number): { answers: DnsRR[]; additional: DnsRR[] } {
  const withPort = items.filter((i) => i.port !== null);
  const weight = withPort.length ? Math.floor(100 / withPort.length) : 100;
  const answers: DnsRR[] = [];
  const additional: DnsRR[] = [];
  const seen = new Set<string>();
  for (const i of withPort) {
    const data = `0 ${weight} ${i.port} ${i.target}`;
    // backend_lookup: a target's address goes to the additional section even when its SRV record is a duplicate (a dual-stack Service's second clusterIP).
    if (!i.cname && !additional.some((a) => a.name === i.target && a.data === i.host)) additional.push({ name: i.target, type: addrType(i.host), ttl, data: i.host });
    if (seen.has(data)) continue;
    seen.add(data);
    answers.push({ name, type: 'SRV', ttl, data });
  }
  return { answers, additional };
}

function addressRecords(model: ClusterModel, k: KubernetesPlugin, name: string, items: readonly Item[], zone: string, depth = 0, want: 'A' | 'AAAA' | 'both' = 'A'): DnsRR[] {
  const out: DnsRR[] = [];
  for (const i of items) {
    if (i.cname) {
      out.push({ name, type: 'CNAME', ttl: k.ttl, data: i.target });
      // CoreDNS follows a CNAME that points back into its own zone.
      if (depth < 8 && inZone(i.target, zone)) {
        const r = parseRequest(i.target, zone);
        const more = r && r.podOrSvc === 'svc' && r.service ? findServices(model, k, r, zone) : null;
        if (more) out.push(...addressRecords(model, k, i.target, more, zone, depth + 1, want));
      }
      return out;
    }
    const t = addrType(i.host);
    if (want !== 'both' && t !== want) continue;
    if (!out.some((a) => a.data === i.host)) out.push({ name, type: t, ttl: k.ttl, data: i.host });
  }
  return out;
}

/** Reverse lookups: Service clusterIPs first, then endpoint addresses (as CoreDNS's reverse.go). */
function ptrFor(model: ClusterModel, k: KubernetesPlugin, ip: string, domain: string): string[] {
  const svc = model.services.find((s) => serviceIPs(s).some((x) => canonicalIp(x) === ip) && (!k.namespaces || k.namespaces.includes(s.meta.namespace)));
  if (svc) return [`${svc.meta.name}.${svc.meta.namespace}.svc.${domain}`];
  const out: string[] = [];
  for (const s of model.services) {
    if (s.type === 'ExternalName' || (k.namespaces && !k.namespaces.includes(s.meta.namespace))) continue;
    for (const ep of serviceEndpoints(model, s, k)) {
      const n = `${ep.name}.${s.meta.name}.${s.meta.namespace}.svc.${domain}`;
      if (canonicalIp(ep.ip) === ip && !out.includes(n)) out.push(n);
    }
  }
  return out;
}

/** "5.1.244.10.in-addr.arpa." → "10.244.1.5", the 32 nibbles of an ip6.arpa name → "fd00::a", or null. */
export function reverseToIp(name: string): string | null {
  if (name.endsWith('ip6.arpa.')) { const v = parseReverseName6(name); return v === null ? null : formatIPv6(v); }
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\.in-addr\.arpa\.$/.exec(name);
  if (!m) return null;
  const ip = `${m[4]}.${m[3]}.${m[2]}.${m[1]}`;
  return isIp(ip) ? ip : null;
}

export function ipToReverse(ip: string): string {
  if (ip.includes(':')) { const r = reverseName(ip); if (r !== null) return `${r}.`; }
  return `${ip.split('.').reverse().join('.')}.in-addr.arpa.`;
}

const fallsThrough = (ft: readonly string[] | null, name: string): boolean =>
  ft !== null && (ft.length === 0 || ft.some((z) => inZone(name, z)));

/** The kubernetes plugin's answer for `name` (fully qualified, lowercase) in `zone`. */
export function kubernetesLookup(model: ClusterModel, k: KubernetesPlugin, zone: string, name: string, type: RRType): PluginResult {
  const ttl = k.ttl;
  const domain = fqdn(model.spec.clusterDomain);
  const giveUp = (): PluginResult => (fallsThrough(k.fallthrough, name) ? { kind: 'next' } : { kind: 'nxdomain' });

  if (zone.endsWith('in-addr.arpa.') || zone.endsWith('ip6.arpa.')) {
    if (name === zone) return type === 'SOA' ? { kind: 'answer', answers: [soaRR(zone, ttl)], additional: [] } : { kind: 'nodata' };
    const ip = reverseToIp(name);
    const ptrs = ip ? ptrFor(model, k, ip, domain) : [];
    if (!ptrs.length) return giveUp();
    if (type !== 'PTR' && type !== 'ANY') return { kind: 'nodata' };
    return { kind: 'answer', answers: ptrs.map((p) => ({ name, type: 'PTR', ttl, data: p })), additional: [] };
  }

  // The zone apex and the names CoreDNS publishes about itself.
  if (name === zone) {
    if (type === 'SOA') return { kind: 'answer', answers: [soaRR(zone, ttl)], additional: [] };
    if (type === 'NS') return { kind: 'answer', answers: [{ name, type: 'NS', ttl, data: `ns.dns.${zone}` }], additional: [{ name: `ns.dns.${zone}`, type: 'A', ttl, data: clusterDnsIp(model) }] };
    return { kind: 'nodata' };
  }
  if (name === `ns.dns.${zone}`) {
    return type === 'A' || type === 'ANY' ? { kind: 'answer', answers: [{ name, type: 'A', ttl, data: clusterDnsIp(model) }], additional: [] } : { kind: 'nodata' };
  }
  if (name === `dns.${zone}`) return { kind: 'nodata' };
  if (name === `dns-version.${zone}`) {
    return type === 'TXT' ? { kind: 'answer', answers: [{ name, type: 'TXT', ttl, data: '"1.1.0"' }], additional: [] } : { kind: 'nodata' };
  }

  const r = parseRequest(name, zone);
  if (!r) return giveUp();

  if (r.podOrSvc === 'pod') {
    if (!r.namespace || !r.service) return r.namespace && namespaceExposed(model, k, r.namespace) ? { kind: 'nodata' } : r.namespace ? giveUp() : { kind: 'nodata' };
    if (r.endpoint || r.port || k.pods === 'disabled') return giveUp();
    // podrecords: four dashed labels without an empty one are IPv4, anything else IPv6 (':' for '-').
    const dashes = r.service.split('-').length - 1;
    const ip6 = dashes === 3 && !r.service.includes('--') ? null : canonicalIp(r.service.replace(/-/g, ':'));
    const ip = ip6 ?? r.service.replace(/-/g, '.');
    if (!isAddr(ip) || !namespaceExposed(model, k, r.namespace)) return giveUp();
    if (k.pods === 'verified' && !model.pods.some((p) => p.meta.namespace === r.namespace && (p.podIP === ip || (p.podIPs ?? []).some((x) => canonicalIp(x) === ip)) && !p.hostNetwork)) return giveUp();
    const t = addrType(ip);
    return type === t || type === 'ANY' ? { kind: 'answer', answers: [{ name, type: t, ttl, data: ip }], additional: [] } : { kind: 'nodata' };
  }

  if (!r.namespace) return { kind: 'nodata' };
  if (!namespaceExposed(model, k, r.namespace)) return giveUp();
  if (!r.service) return { kind: 'nodata' };

  const items = findServices(model, k, r, zone);
  if (!items) return giveUp();
  switch (type) {
    case 'A': case 'AAAA': case 'ANY': case 'CNAME': {
      const answers = addressRecords(model, k, name, items, zone, 0, type === 'AAAA' ? 'AAAA' : type === 'A' ? 'A' : 'both');
      if (type === 'CNAME' && !answers.some((a) => a.type === 'CNAME')) return { kind: 'nodata' };
      if (answers.length === 0) return { kind: 'nodata' };
      return { kind: 'answer', answers: type === 'CNAME' ? answers.filter((a) => a.type === 'CNAME') : answers, additional: [] };
    }
    case 'SRV': {
      const { answers, additional } = srvRecords(name, items, ttl);
      return answers.length ? { kind: 'answer', answers, additional } : { kind: 'nodata' };
    }
    default:
      // TXT, PTR on a forward name...: the name exists, no such records.
      if (items.some((i) => i.cname)) return { kind: 'answer', answers: addressRecords(model, k, name, items, zone).filter((a) => a.type === 'CNAME'), additional: [] };
      return { kind: 'nodata' };
  }
}
