/**
 * Warnings when traffic is sent to a port no process listens on (k8s/listen.ts): a Service's
 * targetPort, an Ingress backend's Service port, a hostPort. The packets would be refused
 * (TCP RST / ICMP port unreachable) at the Pod; the warning says so before anyone sends one.
 */
import type { ClusterModel, PodModel, ServiceModel } from '../model/cluster';

type IngressModel = ClusterModel['ingresses'][number];
import type { Path } from '../scenario/source';
import type { Reporter } from './diag';
import { selectedPods } from './endpoints';
import { imageKey, listensText, podListensOn } from '../model/listen';
import { resolveTargetPort } from './ports';

const fixHint = (port: number, proto: string) =>
  `point targetPort at a port the container listens on, or make the process listen on ${port}/${proto} (its command, or the annotation knp.io/listen: "${port}/${proto.toLowerCase()}")`;

/** The ports of `svc` whose target no selected Pod listens on: index → message. */
function deafPorts(svc: ServiceModel, pods: readonly PodModel[]): Map<number, string> {
  const out = new Map<number, string>();
  const selected = selectedPods(svc, pods).filter((p) => p.spec?.containers);
  if (!selected.length) return out;
  svc.ports.forEach((p, i) => {
    // The first Pod the port reaches names the message; any Pod listening there clears it.
    let t: { pod: PodModel; port: number } | null = null;
    for (const pod of selected) {
      const port = resolveTargetPort(pod, p);
      if (port === null) continue;
      if (podListensOn(pod, port, p.protocol)) return;
      t ??= { pod, port };
    }
    if (!t) return;
    const image = t.pod.spec.containers[0]?.image ?? '';
    out.set(i, `targetPort ${t.port}/${p.protocol} reaches Pod ${t.pod.meta.name}, whose ${imageKey(image) || 'container'} listens on ${listensText(t.pod)}: connections there are refused`);
  });
  return out;
}

export function checkListening(services: readonly ServiceModel[], ingresses: readonly IngressModel[], pods: readonly PodModel[], r: Reporter): void {
  const deaf = new Map<ServiceModel, Map<number, string>>();
  for (const svc of services) {
    if (!svc.meta.origin || !svc.selector) continue;
    const d = deafPorts(svc, pods);
    deaf.set(svc, d);
    for (const [i, msg] of d) {
      const p = svc.ports[i]!;
      const resolved = selectedPods(svc, pods).map((pod) => resolveTargetPort(pod, p)).find((x) => x !== null) ?? p.port;
      r.warn(svc.meta.origin, ['spec', 'ports', i, 'targetPort'], 'target-port-not-listening', `Service ${svc.meta.namespace}/${svc.meta.name}: ${msg}`, fixHint(resolved, p.protocol), { params: { service: `${svc.meta.namespace}/${svc.meta.name}`, targetPort: String(resolved), protocol: p.protocol, pods: selectedPods(svc, pods).length } });
    }
  }
  for (const ing of ingresses) {
    if (!ing.meta.origin) continue;
    const check = (backend: { service?: { name: string; port: { name?: string | undefined; number?: number | undefined } } | undefined } | undefined, at: Path) => {
      const b = backend?.service;
      if (!b) return;
      const svc = services.find((s) => s.meta.namespace === ing.meta.namespace && s.meta.name === b.name);
      if (!svc) return;
      const i = svc.ports.findIndex((p) => (b.port.number !== undefined ? p.port === b.port.number : p.name === b.port.name));
      const msg = i >= 0 ? (deaf.get(svc) ?? deafPorts(svc, pods)).get(i) : undefined;
      if (msg) r.warn(ing.meta.origin, at, 'backend-not-listening', `Ingress ${ing.meta.name}: backend ${b.name}:${b.port.number ?? b.port.name}: ${msg}`, `fix Service ${b.name}'s targetPort, or make the backend Pods listen there`, { params: { ingress: ing.meta.name, service: b.name, port: String(b.port.number ?? b.port.name) } });
    };
    check(ing.spec.defaultBackend, ['spec', 'defaultBackend']);
    (ing.spec.rules ?? []).forEach((rule, ri) => (rule.http?.paths ?? []).forEach((p, pi) => check(p.backend, ['spec', 'rules', ri, 'http', 'paths', pi, 'backend'])));
  }
  // hostPort: the node DNATs to the Pod's containerPort, where something must listen.
  const said = new Set<string>();
  for (const pod of pods) {
    if (pod.system || !pod.meta.origin || !pod.spec?.containers) continue;
    const specPath: Path = pod.meta.ownerKind && pod.meta.ownerKind !== 'Node' ? ['spec', 'template', 'spec'] : ['spec'];
    pod.spec.containers.forEach((c, ci) => (c.ports ?? []).forEach((p, pi) => {
      if (!p.hostPort) return;
      const proto = p.protocol ?? 'TCP';
      if (podListensOn(pod, p.containerPort, proto)) return;
      const key = `${pod.meta.origin!.file}/${pod.meta.origin!.doc}/${ci}/${pi}`;
      if (said.has(key)) return;
      said.add(key);
      r.warn(pod.meta.origin, [...specPath, 'containers', ci, 'ports', pi, 'containerPort'], 'hostport-not-listening',
        `Pod ${pod.meta.name}: hostPort ${p.hostPort} forwards to ${p.containerPort}/${proto}, but ${imageKey(c.image ?? '') || 'the container'} listens on ${listensText(pod)}: connections there are refused`,
        fixHint(p.containerPort, proto), { params: { pod: pod.meta.name, hostPort: p.hostPort, port: `${p.containerPort}/${proto}`, listens: listensText(pod) } });
    }));
  }
}
