/**
 * CoreDNS's answer to one question, as the `hosts`, `kubernetes` and `forward` plugins of the
 * Corefile decide it. Pure: the stack delivers the query packet to a CoreDNS Pod's socket and
 * asks this function what that Pod answers.
 *
 * Plugin order is CoreDNS's compiled order (plugin.cfg), not the Corefile's: hosts, then
 * kubernetes, then forward. A block is chosen by the longest zone that contains the name.
 */
import type { Sim } from '../../sim';
import type { DnsAnswerer } from '../../stack/apps';
import type { ClusterModel } from '../../model/cluster';
import { defaultCorefile } from '../../control/system';
import { fqdn, inZone, parseCorefile, serverFor, type Corefile, type HostsPlugin } from './corefile';
import { kubernetesLookup, ipToReverse, reverseToIp, soaRR } from './records';
import { nodeResolvConf, parseResolvConf } from '../kubelet/resolvconf';

import type { RRType } from '../../net/packet';

export type { RRType } from '../../net/packet';

export const RR_TYPES: readonly RRType[] = ['A', 'AAAA', 'SRV', 'PTR', 'CNAME', 'TXT', 'NS', 'SOA', 'ANY'];

export type { DnsQuestion, DnsRR, DnsResponse } from '../../net/packet';
import type { DnsQuestion, DnsRR, DnsResponse } from '../../net/packet';

const corefileCache = new Map<string, Corefile>();

/** The Corefile in effect: the `coredns` ConfigMap in kube-system, or kubeadm's default. */
export function corefileOf(model: ClusterModel): Corefile {
  const cm = model.configMaps.find((c) => c.meta.namespace === 'kube-system' && c.meta.name === 'coredns');
  const text = cm?.data['Corefile'] ?? defaultCorefile(model.spec.clusterDomain);
  let cf = corefileCache.get(text);
  if (!cf) {
    cf = parseCorefile(text);
    if (corefileCache.size > 64) corefileCache.clear();
    corefileCache.set(text, cf);
  }
  return cf;
}

function hostsLookup(h: HostsPlugin, name: string, type: DnsQuestion['type']): { rrs: DnsRR[]; exists: boolean; next?: true } {
  if (type === 'PTR') {
    const rev = reverseToIp(name);
    const names = rev ? h.entries.filter((e) => e.ip === rev).flatMap((e) => e.names) : [];
    // An address the file does not list goes on to the next plugin whatever `fallthrough` says.
    if (!names.length) return { rrs: [], exists: false, next: true };
    return { rrs: names.map((n) => ({ name, type: 'PTR' as const, ttl: h.ttl, data: n })), exists: true };
  }
  const ips = h.entries.filter((e) => e.names.includes(name)).map((e) => e.ip);
  const v4 = ips.filter((ip) => !ip.includes(':'));
  const v6 = ips.filter((ip) => ip.includes(':'));
  const rrs: DnsRR[] = type === 'A' || type === 'ANY' ? v4.map((ip) => ({ name, type: 'A', ttl: h.ttl, data: ip }))
    : type === 'AAAA' ? v6.map((ip) => ({ name, type: 'AAAA', ttl: h.ttl, data: ip })) : [];
  return { rrs, exists: ips.length > 0 };
}

/** The node a CoreDNS Pod runs on (its `forward . /etc/resolv.conf` reads that node's file). */
function serverNode(model: ClusterModel, server: string): string | null {
  const parts = server.split('/');
  if (parts[0] === 'pod' && parts.length === 3) return model.pods.find((p) => p.meta.namespace === parts[1] && p.meta.name === parts[2])?.nodeName ?? null;
  if (parts[0] === 'node') return parts[1] ?? null;
  return null;
}

/**
 * CoreDNS's kubernetes plugin follows a CNAME (ExternalName) out of its zones with its own
 * upstream lookup, through the same server: the target's records are appended to the answer.
 * That inner lookup is answered in-process (its packets are not walked).
 */
function chaseCname(model: ClusterModel, server: string, q: DnsQuestion, answers: readonly DnsRR[], zones: readonly string[], depth: number): DnsRR[] {
  const last = answers[answers.length - 1];
  if (!last || last.type !== 'CNAME' || q.type === 'CNAME' || depth >= 4) return [];
  if (zones.some((z) => inZone(last.data, z))) return [];
  const r = answerQuestion(model, server, { name: last.data, type: q.type }, depth + 1);
  if (r.answers.length) return [...r.answers];
  if (!r.forwardTo) return [];
  return [...answerUpstream(model, r.forwardTo, { name: last.data, type: q.type }).answers];
}

/** Pure core of answerDns: the model, the Pod answering (pod/NS/NAME) and the question. */
export function answerQuestion(model: ClusterModel, server: string, q: DnsQuestion, depth = 0): DnsResponse {
  const cf = corefileOf(model);
  const name = fqdn(q.name);
  const notes = cf.notes.length ? { notes: cf.notes } : {};
  const picked = serverFor(cf, name);
  if (!picked) return { rcode: 'REFUSED', authoritative: false, answers: [], authority: [], ...notes };
  const { block } = picked;

  if (block.hosts && block.hosts.zones.some((z) => inZone(name, z))) {
    const h = hostsLookup(block.hosts, name, q.type);
    const ft = block.hosts.fallthrough;
    const fallsThrough = h.next || (ft !== null && (ft.length === 0 || ft.some((z) => inZone(name, z))));
    if (h.rrs.length) return { rcode: 'NOERROR', authoritative: true, answers: h.rrs, authority: [], ...notes };
    if (h.exists) return { rcode: 'NOERROR', authoritative: true, answers: [], authority: [], ...notes };
    // The hosts plugin has no SOA to send with an NXDOMAIN, so it answers SERVFAIL instead.
    if (!fallsThrough) return { rcode: 'SERVFAIL', authoritative: false, answers: [], authority: [], ...notes };
  }

  const k = block.kubernetes;
  if (k) {
    const zone = k.zones.filter((z) => inZone(name, z)).sort((a, b) => b.length - a.length)[0];
    if (zone !== undefined) {
      const r = kubernetesLookup(model, k, zone, name, q.type);
      const soa = [soaRR(zone, k.ttl)];
      if (r.kind === 'answer') {
        const chased = chaseCname(model, server, q, r.answers, k.zones, depth);
        return { rcode: 'NOERROR', authoritative: true, answers: [...r.answers, ...chased], authority: [], ...(r.additional.length ? { additional: r.additional } : {}), ...notes };
      }
      if (r.kind === 'nodata') return { rcode: 'NOERROR', authoritative: true, answers: [], authority: soa, ...notes };
      if (r.kind === 'nxdomain') return { rcode: 'NXDOMAIN', authoritative: true, answers: [], authority: soa, ...notes };
    }
  }

  const f = block.forward;
  if (f && inZone(name, f.from)) {
    let upstreams: string[] = [...f.to];
    if (upstreams.includes('/etc/resolv.conf')) {
      const node = serverNode(model, server);
      const rc = parseResolvConf(nodeResolvConf(model, node));
      upstreams = upstreams.flatMap((u) => (u === '/etc/resolv.conf' ? rc.nameservers : [u]));
    }
    const to = upstreams[0];
    if (to) return { rcode: 'NOERROR', authoritative: false, answers: [], authority: [], forwardTo: to, ...notes };
    return { rcode: 'SERVFAIL', authoritative: false, answers: [], authority: [], notes: [...cf.notes, 'forward: no upstream nameserver (the node\'s /etc/resolv.conf lists none)'] };
  }
  // CoreDNS: "no next plugin found" → SERVFAIL.
  return { rcode: 'SERVFAIL', authoritative: false, answers: [], authority: [], ...notes };
}

/** What CoreDNS Pod `server` (pod/NS/NAME) answers to `q`. */
export function answerDns(sim: Sim, server: string, q: DnsQuestion): DnsResponse {
  // An external host listening on 53 is the upstream resolver, not CoreDNS.
  if (server.startsWith('host/')) return answerUpstream(sim.model, server, q);
  return answerQuestion(sim.model, server, q);
}

/**
 * The DNS answerer buildSim registers on the Sim (`sim.dns`): a Pod listener is CoreDNS (the
 * Corefile decides), any other is the scenario's upstream resolver.
 */
export const corednsAnswerer: DnsAnswerer = {
  answer: (sim, owner, local, q) => owner.startsWith('pod/') ? answerDns(sim, owner, q) : answerUpstream(sim.model, local, q),
};

const ROOT_SOA: DnsRR = { name: '.', type: 'SOA', ttl: 86400, data: 'a.root-servers.net. nstld.verisign-grs.com. 2024112400 1800 900 604800 86400' };

/**
 * What the upstream resolver (an external host the scenario declares) answers: the scenario's
 * external hosts by name, their reverse names, NXDOMAIN for everything else (the playground has
 * no Internet). `server` is the upstream's IP.
 */
export function answerUpstream(model: ClusterModel, server: string, q: DnsQuestion): DnsResponse {
  return { ...upstreamAnswer(model, server, q), recursionAvailable: true };
}

function upstreamAnswer(model: ClusterModel, _server: string, q: DnsQuestion): DnsResponse {
  const name = fqdn(q.name);
  const rev = reverseToIp(name);
  if (rev) {
    const hosts = model.externalHosts.filter((h) => h.ip === rev);
    if (!hosts.length) return { rcode: 'NXDOMAIN', authoritative: false, answers: [], authority: [ROOT_SOA] };
    return q.type === 'PTR'
      ? { rcode: 'NOERROR', authoritative: false, answers: hosts.map((h) => ({ name, type: 'PTR', ttl: 300, data: fqdn(h.name) })), authority: [] }
      : { rcode: 'NOERROR', authoritative: false, answers: [], authority: [ROOT_SOA] };
  }
  const hosts = model.externalHosts.filter((h) => fqdn(h.name) === name);
  if (!hosts.length) return { rcode: 'NXDOMAIN', authoritative: false, answers: [], authority: [ROOT_SOA] };
  if (q.type !== 'A' && q.type !== 'ANY') return { rcode: 'NOERROR', authoritative: false, answers: [], authority: [ROOT_SOA] };
  return { rcode: 'NOERROR', authoritative: false, answers: hosts.map((h) => ({ name, type: 'A', ttl: 300, data: h.ip })), authority: [] };
}

export { ipToReverse };
