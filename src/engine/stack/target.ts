/**
 * Where a walk starts and where it goes: a client name (pod/NS/NAME, node/NAME, host/NAME,
 * "#netns" suffix) to its network namespace, and a destination (IP, IP:PORT, URL) to an
 * address, port and protocol.
 */
import { isIp } from '../addr/ip';
import { hostNsId, namedNsId, nodeNsId, podNsId } from '../net/ids';
import type { NetNs } from '../net/types';
import type { Sim } from '../sim';

/** The namespace a client name runs in; hostNetwork Pods run in their node's root namespace. */
export function clientNs(sim: Sim, from: string): NetNs | undefined {
  const hash = from.indexOf('#');
  const base = hash < 0 ? from : from.slice(0, hash);
  const netns = hash < 0 ? undefined : from.slice(hash + 1);
  const direct = sim.net.namespaces.get(from);
  if (direct) return direct;
  const parts = base.split('/');
  let id: string | undefined;
  if (parts[0] === 'pod' && (parts.length === 2 || parts.length === 3)) {
    const [ns, name] = parts.length === 3 ? [parts[1]!, parts[2]!] : ['default', parts[1]!];
    id = podNsId(ns, name);
    if (!sim.net.namespaces.has(id)) {
      const pod = sim.model.pods?.find((p) => p.meta.namespace === ns && p.meta.name === name);
      if (pod?.hostNetwork && pod.nodeName) id = nodeNsId(pod.nodeName);
    }
  } else if (parts[0] === 'node' && parts.length === 2) id = nodeNsId(parts[1]!);
  else if (parts[0] === 'host' && parts.length === 2) id = hostNsId(parts[1]!);
  if (!id) return undefined;
  if (netns) id = namedNsId(id, netns);
  return sim.net.namespaces.get(id);
}

export interface Destination {
  readonly host: string;
  /** The address to send to (the host itself when it is an IP, or a --resolve pin). */
  readonly ip: string | undefined;
  readonly port: number | undefined;
  readonly protocol: 'tcp' | 'udp' | 'icmp' | 'sctp';
  readonly scheme?: 'http' | 'https' | 'tcp' | 'udp';
  readonly path: string;
}

/** Parses IP, IP:PORT or SCHEME://HOST[:PORT][/PATH]; undefined when it is none of them. */
export function parseDestination(to: string, protocol?: Destination['protocol'], port?: number, resolve?: Readonly<Record<string, string>>): Destination | undefined {
  const url = /^(https?|tcp|udp):\/\/([^/:?#]+)(?::(\d+))?([/?#].*)?$/.exec(to);
  let host: string;
  let p: number | undefined = port;
  let proto = protocol;
  let scheme: Destination['scheme'];
  let path = '/';
  if (url) {
    scheme = url[1] as Destination['scheme'];
    host = url[2]!;
    if (url[3]) p = Number(url[3]);
    p ??= scheme === 'http' ? 80 : scheme === 'https' ? 443 : undefined;
    proto = scheme === 'udp' ? 'udp' : 'tcp';
    path = url[4] && url[4].startsWith('/') ? url[4] : '/';
    if (p === undefined) return undefined;
  } else {
    const m = /^([^:]+)(?::(\d+))?$/.exec(to);
    if (!m) return undefined;
    host = m[1]!;
    if (m[2]) p = Number(m[2]);
    proto ??= p === undefined ? 'icmp' : 'tcp';
  }
  if (p !== undefined && (!Number.isInteger(p) || p < 1 || p > 65535)) return undefined;
  const pin = resolve?.[`${host}:${p ?? ''}`] ?? resolve?.[host];
  const ip = isIp(host) ? host : pin;
  return { host, ip, port: p, protocol: proto, ...(scheme ? { scheme } : {}), path };
}
