/**
 * Where a walk starts and where it goes: a client name (pod/NS/NAME, node/NAME, host/NAME,
 * "#netns" suffix) to its network namespace, and a destination (IP, IP:PORT, URL) to an
 * address, port and protocol.
 */
import { etcHostsFor, hostsLookup } from './hosts';
import { isIp } from '../addr/ip';
import { canonicalIPv6, isIPv6 } from '../addr/ip6';
import { nsForRef } from '../net/lookup';
import type { TraceEvent } from '../trace/types';
import type { NetNs } from '../net/types';
import type { Sim } from '../sim';

/** The namespace a client name runs in; hostNetwork Pods run in their node's root namespace. */
export function clientNs(sim: Sim, from: string): NetNs | undefined {
  return nsForRef(sim, from);
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

/**
 * Parses IP, IP:PORT or SCHEME://HOST[:PORT][/PATH]; undefined when it is none of them. An IPv6
 * address is bare (`fd00::2`) or in brackets (`[fd00::2]:80`, `http://[fd00::2]/`, RFC 3986).
 */
export function parseDestination(to: string, protocol?: Destination['protocol'], port?: number, resolve?: Readonly<Record<string, string>>): Destination | undefined {
  const v6 = /^(?:(https?|tcp|udp):\/\/)?\[([0-9a-fA-F:.]+)\](?::(\d+))?([/?#].*)?$/.exec(to);
  if (v6 || (isIPv6(to) && !to.startsWith('['))) {
    const host = v6 ? canonicalIPv6(v6[2]!) : canonicalIPv6(to);
    if (!host) return undefined;
    const scheme = v6?.[1] as Destination['scheme'] | undefined;
    let p = v6?.[3] ? Number(v6[3]) : port;
    p ??= scheme === 'http' ? 80 : scheme === 'https' ? 443 : undefined;
    if (scheme && p === undefined) return undefined;
    if (p !== undefined && (!Number.isInteger(p) || p < 1 || p > 65535)) return undefined;
    const proto = scheme ? (scheme === 'udp' ? 'udp' : 'tcp') : protocol ?? (p === undefined ? 'icmp' : 'tcp');
    const path = v6?.[4] && v6[4].startsWith('/') ? v6[4] : '/';
    return { host, ip: host, port: p, protocol: proto, ...(scheme ? { scheme } : {}), path };
  }
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

/** What a name lookup through resolv.conf gave (clients/dns/resolve.ts's ResolveResult fits it). */
export interface NameResolution {
  /** Final addresses, in answer order. */
  readonly addresses: readonly string[];
  /** Each query's walk (their events are shown before the connection's). */
  readonly traces: readonly { readonly events: readonly TraceEvent[] }[];
  /** One 'dns' event per attempt. */
  readonly events: readonly TraceEvent[];
  /** Each query asked; response null when no server answered. */
  readonly steps: readonly { readonly response: { readonly rcode: string } | null; readonly reason?: string }[];
}

/**
 * The stub resolver, registered on the Sim by the client layer (`sim.resolver`): the stack walks
 * to a name through it without importing it.
 */
export interface NameResolver {
  /** `family` 6 asks for AAAA records (getaddrinfo with AF_INET6: ping -6, traceroute -6); default A. */
  resolve(sim: Sim, from: string, host: string, family?: 4 | 6): NameResolution;
}

export type HostLookup =
  | { readonly ok: true; readonly ip: string; readonly events: readonly TraceEvent[] }
  | { readonly ok: false; readonly why: 'nxdomain' | 'timeout'; readonly reason: string; readonly events: readonly TraceEvent[] };

/**
 * getaddrinfo for a client: /etc/hosts first (localhost, the Pod's own name, hostAliases: stack/hosts.ts), then DNS through the client's
 * resolv.conf, each query a walked packet (the resolver registered on the Sim: clients/dns/resolve.ts). The DNS packets' events come
 * back with flows prefixed "dns:" so a trace can show the lookup before the connection; they are
 * copies made for this answer, which the caller may renumber (walk.ts sets their `seq`).
 */
export function lookupHost(sim: Sim, from: string, host: string, family: 4 | 6 = 4): HostLookup {
  if (host === 'localhost' || host === 'localhost.localdomain') return { ok: true, ip: family === 6 ? '::1' : '127.0.0.1', events: [] };
  const hosts = etcHostsFor(sim, from);
  const fromFile = hosts === null ? null : hostsLookup(hosts, host, family);
  if (fromFile) return { ok: true, ip: fromFile, events: [] };
  if (!sim.resolver) return { ok: false, why: 'timeout', reason: `no resolver to look up ${host}`, events: [] };
  const res = sim.resolver.resolve(sim, from, host, family);
  const events: TraceEvent[] = [];
  let t = 0;
  for (const tr of res.traces) {
    for (const e of tr.events) events.push({ ...e, t: t + e.t, flow: `dns:${e.flow}` });
    t += tr.events[tr.events.length - 1]?.t ?? 0;
  }
  for (const e of res.events) events.push({ ...e, t });
  const ip = res.addresses[0];
  if (ip) return { ok: true, ip, events };
  const last = res.steps[res.steps.length - 1];
  const noServer = !res.steps.some((s) => s.response);
  return noServer
    ? { ok: false, why: 'timeout', reason: `no DNS server answered for ${host}${last?.reason ? ` (${last.reason})` : ''}`, events }
    : { ok: false, why: 'nxdomain', reason: `could not resolve host ${host} (${last?.response?.rcode ?? 'no records'})`, events };
}
