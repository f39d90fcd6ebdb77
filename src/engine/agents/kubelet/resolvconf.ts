/**
 * /etc/resolv.conf as kubelet writes it into a Pod's sandbox, and the nodes' own file.
 *
 *   dnsPolicy                 nameserver           search                                   options
 *   ClusterFirst              kube-dns clusterIP   NS.svc.D svc.D D + node's search         ndots:5
 *   ClusterFirstWithHostNet   (same, also for hostNetwork Pods)
 *   ClusterFirst+hostNetwork  behaves as Default (kubelet falls back)
 *   Default                   the node's file      the node's file                          the node's file
 *   None                      only spec.dnsConfig
 *
 * spec.dnsConfig is then merged: nameservers and searches appended (duplicates dropped), options
 * merged by name (the Pod's value wins). kubelet trims to 3 nameservers and 32 search domains /
 * 2048 characters and records an event; containerd writes "search", "nameserver", "options".
 */
import type { ClusterModel, PodModel } from '../../model/cluster';
import { clusterDnsIp } from '../coredns/records';

export interface ResolvConf {
  readonly nameservers: readonly string[];
  readonly searches: readonly string[];
  readonly options: readonly { readonly name: string; readonly value?: string }[];
}

export const MAX_NAMESERVERS = 3;
export const MAX_SEARCH_PATHS = 32;
export const MAX_SEARCH_CHARS = 2048;

export function parseResolvConf(text: string): ResolvConf {
  const nameservers: string[] = [];
  let searches: string[] = [];
  const options: { name: string; value?: string }[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'nameserver' && rest[0]) nameservers.push(rest[0]);
    else if (key === 'search' || key === 'domain') searches = rest.map((s) => s.replace(/\.$/, ''));
    else if (key === 'options') {
      for (const o of rest) {
        const i = o.indexOf(':');
        const opt = i < 0 ? { name: o } : { name: o.slice(0, i), value: o.slice(i + 1) };
        const at = options.findIndex((x) => x.name === opt.name);
        if (at >= 0) options[at] = opt; else options.push(opt);
      }
    }
  }
  return { nameservers, searches, options };
}

export function formatResolvConf(rc: ResolvConf): string {
  let s = '';
  if (rc.searches.length) s += `search ${rc.searches.join(' ')}\n`;
  for (const n of rc.nameservers) s += `nameserver ${n}\n`;
  if (rc.options.length) s += `options ${rc.options.map((o) => (o.value !== undefined && o.value !== '' ? `${o.name}:${o.value}` : o.name)).join(' ')}\n`;
  return s;
}

/** ndots from the options (glibc default 1, capped at 15). */
export function ndotsOf(rc: ResolvConf): number {
  const o = rc.options.find((x) => x.name === 'ndots');
  const n = Number(o?.value);
  return o && Number.isInteger(n) && n >= 0 ? Math.min(n, 15) : 1;
}

/** The upstream resolver's address: the external host named by Cluster.spec.dns.upstream. */
export function upstreamDnsIp(model: ClusterModel): string | null {
  if (model.upstreamDns) return model.upstreamDns.ip;
  const name = model.spec.dns?.upstream;
  if (!name) return null;
  return model.externalHosts.find((h) => h.name === name)?.ip ?? null;
}

/** A node's own /etc/resolv.conf: nodes[].resolvConf, else one line naming the upstream resolver. */
export function nodeResolvConf(model: ClusterModel, nodeName: string | null): string {
  const node = nodeName ? model.nodes.find((n) => n.name === nodeName) : undefined;
  if (node?.resolvConf !== undefined) return node.resolvConf.endsWith('\n') || node.resolvConf === '' ? node.resolvConf : `${node.resolvConf}\n`;
  const up = upstreamDnsIp(model);
  return up ? `nameserver ${up}\n` : '# no upstream resolver declared (Cluster spec.dns.upstream)\n';
}

const unique = (xs: readonly string[]): string[] => xs.filter((x, i) => xs.indexOf(x) === i);

export interface PodResolv {
  readonly conf: ResolvConf;
  readonly text: string;
  /** kubelet's events about this file (limits exceeded, ...): "Warning DNSConfigForming ...". */
  readonly messages: readonly string[];
  /** The policy kubelet applied (ClusterFirst on a hostNetwork Pod applies Default). */
  readonly effectivePolicy: PodModel['dnsPolicy'];
}

/** What kubelet writes into `pod`'s /etc/resolv.conf. */
export function podResolvConf(model: ClusterModel, pod: PodModel): PodResolv {
  const domain = model.spec.clusterDomain;
  const host = parseResolvConf(nodeResolvConf(model, pod.nodeName));
  let policy = pod.dnsPolicy;
  if (policy === 'ClusterFirst' && pod.hostNetwork) policy = 'Default';
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: { name: string; value?: string }[] = [];
  switch (policy) {
    case 'ClusterFirst':
    case 'ClusterFirstWithHostNet': {
      nameservers = [clusterDnsIp(model)];
      const ns = pod.meta.namespace;
      searches = [`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...host.searches];
      options = [{ name: 'ndots', value: '5' }];
      break;
    }
    case 'Default':
      nameservers = [...host.nameservers];
      searches = [...host.searches];
      options = [...host.options];
      break;
    case 'None':
      break;
  }
  const dc = pod.spec.dnsConfig;
  if (dc) {
    nameservers = unique([...nameservers, ...(dc.nameservers ?? [])]);
    searches = unique([...searches, ...(dc.searches ?? [])]);
    for (const o of dc.options ?? []) {
      const opt = o.value !== undefined ? { name: o.name, value: o.value } : { name: o.name };
      const at = options.findIndex((x) => x.name === o.name);
      if (at >= 0) options[at] = opt; else options.push(opt);
    }
  }
  const messages: string[] = [];
  if (nameservers.length > MAX_NAMESERVERS) {
    nameservers = nameservers.slice(0, MAX_NAMESERVERS);
    messages.push(`Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: ${nameservers.join(' ')}`);
  }
  let trimmed = false;
  if (searches.length > MAX_SEARCH_PATHS) { searches = searches.slice(0, MAX_SEARCH_PATHS); trimmed = true; }
  while (searches.join(' ').length > MAX_SEARCH_CHARS) { searches = searches.slice(0, -1); trimmed = true; }
  if (trimmed) messages.push(`Search Line limits were exceeded, some search paths have been omitted, the applied search line is: ${searches.join(' ')}`);
  const conf: ResolvConf = { nameservers, searches, options };
  return { conf, text: formatResolvConf(conf), messages, effectivePolicy: policy };
}
