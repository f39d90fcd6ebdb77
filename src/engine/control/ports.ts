/** Service port → Pod port: how kube-proxy and the endpoints controllers read `targetPort`. */
import type { ContainerPortModel, PodModel, Protocol, ServicePortModel } from '../model/cluster';

/**
 * The Pod port a Service port sends to, as podutil.FindPort does: a number is taken as is;
 * a name is looked up among the Pod's container ports with the same protocol. null = the Pod
 * has no such named port (that Pod is left out of this port's endpoints).
 */
export function resolveTargetPort(pod: Pick<PodModel, 'containers'>, port: Pick<ServicePortModel, 'targetPort' | 'protocol'>): number | null {
  if (typeof port.targetPort === 'number') return port.targetPort;
  for (const c of pod.containers) {
    for (const p of c.ports) if (p.name === port.targetPort && p.protocol === port.protocol) return p.containerPort;
  }
  // An all-digit string behaves like a number (intstr "8080").
  if (/^\d+$/.test(port.targetPort)) return Number(port.targetPort);
  return null;
}

/** Every container port of a Pod, with the container that declares it. */
export function podPorts(pod: Pick<PodModel, 'containers'>): { container: string; port: ContainerPortModel }[] {
  return pod.containers.flatMap((c) => c.ports.map((port) => ({ container: c.name, port })));
}

export const protoLower = (p: Protocol): string => p.toLowerCase();
