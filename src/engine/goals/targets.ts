/**
 * The goal language's names for things, turned into what the packet walk takes: a Service or
 * Pod port becomes an address and protocol, a workload name stands for its first Pod.
 */
import type { ClusterModel, PodModel } from '../model/cluster';

export interface Destination {
  /** What walk() takes: IP, IP:PORT or a URL. */
  readonly to: string;
  readonly protocol?: 'tcp' | 'udp' | 'icmp';
}

function splitRef(ref: string): { ns: string; name: string } {
  const parts = ref.split('/');
  return parts.length >= 2 ? { ns: parts[0]!, name: parts.slice(1).join('/') } : { ns: 'default', name: ref };
}

/** pod/NS/NAME: the Pod itself, else the first Pod a workload (Deployment, DaemonSet...) of that name owns. */
export function findPod(model: ClusterModel, ns: string, name: string): PodModel | undefined {
  const exact = model.pods.find((p) => p.meta.namespace === ns && p.meta.name === name);
  if (exact) return exact;
  const w = model.workloads.find((x) => x.meta.namespace === ns && x.meta.name === name);
  const podName = w?.pods[0];
  return podName ? model.pods.find((p) => p.meta.namespace === ns && p.meta.name === podName) : undefined;
}

/** A client in walk's notation: pod/NS/WORKLOAD is narrowed to that workload's first Pod. */
export function clientOf(model: ClusterModel, from: string): string {
  const m = /^pod\/([^/#]+)\/([^/#]+)$/.exec(from);
  if (!m) return from;
  const pod = findPod(model, m[1]!, m[2]!);
  return pod ? `pod/${pod.meta.namespace}/${pod.meta.name}` : from;
}

export type DestinationResult = { readonly ok: true; readonly dest: Destination } | { readonly ok: false; readonly why: string };

export function destinationOf(model: ClusterModel, to: string): DestinationResult {
  const svc = /^svc\/(?:([^/:]+)\/)?([^/:]+)(?::([^/:]+))?$/.exec(to);
  if (svc) {
    const ns = svc[1] ?? 'default';
    const s = model.services.find((x) => x.meta.namespace === ns && x.meta.name === svc[2]);
    if (!s) return { ok: false, why: `no Service ${ns}/${svc[2]}` };
    const portRef = svc[3];
    const port = portRef === undefined ? s.ports[0] : s.ports.find((p) => String(p.port) === portRef || p.name === portRef);
    if (!port) return { ok: false, why: `Service ${ns}/${s.meta.name} has no port ${portRef ?? ''}`.trim() };
    const protocol = port.protocol === 'UDP' ? 'udp' : 'tcp';
    // Headless and ExternalName Services have no virtual IP: go through DNS as a client would.
    const host = s.clusterIP && s.clusterIP !== 'None' ? s.clusterIP : `${s.meta.name}.${ns}.svc.${model.spec.clusterDomain}`;
    const scheme = protocol === 'udp' ? 'udp' : port.port === 80 || port.port === 8080 || port.name === 'http' ? 'http' : 'tcp';
    return { ok: true, dest: { to: `${scheme}://${host}:${port.port}${scheme === 'http' ? '/' : ''}`, protocol } };
  }
  const pod = /^pod\/(?:([^/:]+)\/)?([^/:]+)(?::(\d+))?$/.exec(to);
  if (pod) {
    const p = findPod(model, pod[1] ?? 'default', pod[2]!);
    if (!p) return { ok: false, why: `no Pod ${pod[1] ?? 'default'}/${pod[2]}` };
    if (!p.podIP) return { ok: false, why: `Pod ${p.meta.namespace}/${p.meta.name} has no IP (${p.phase})` };
    return { ok: true, dest: pod[3] ? { to: `tcp://${p.podIP}:${pod[3]}`, protocol: 'tcp' } : { to: p.podIP, protocol: 'icmp' } };
  }
  const node = /^node\/([^/:]+)(?::(\d+))?$/.exec(to);
  if (node) {
    const n = model.nodes.find((x) => x.name === node[1]);
    if (!n) return { ok: false, why: `no node ${node[1]}` };
    return { ok: true, dest: node[2] ? { to: `tcp://${n.ip}:${node[2]}`, protocol: 'tcp' } : { to: n.ip, protocol: 'icmp' } };
  }
  return { ok: true, dest: { to } };
}

export { splitRef };
