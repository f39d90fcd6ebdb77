/**
 * A Pod's network namespace, the one its pause container holds: lo, and the sockets its
 * containers' processes open (model/listen.ts; all containers share the namespace, hence one port space). The CNI plugin adds
 * eth0 and the routes. hostNetwork Pods get no namespace: their sockets open in the node's.
 */
import { INGRESS_LABELS } from '../model/labels';
import type { PodModel } from '../model/cluster';
import { containerListens, type ListenPort } from '../model/listen';
import { labelBits, report, type BuildCtx } from './context';
import { namedNsId, podNsId } from './ids';
import { createNs, inheritSysctls, loopbackUp } from './mutate';
import type { AppKind, Listener, NetNs } from './types';

/** CoreDNS is recognised the way kubeadm labels it. */
export function isCoreDns(pod: PodModel): boolean {
  return pod.meta.labels['k8s-app'] === 'kube-dns' || pod.containers.some((c) => /(^|\/)coredns(:|$)/.test(c.image));
}

/** ingress-nginx's controller Pods, as its manifests label them. */
export function isIngressController(pod: PodModel): boolean {
  return pod.meta.labels['app.kubernetes.io/name'] === INGRESS_LABELS['app.kubernetes.io/name'] && pod.meta.labels['app.kubernetes.io/component'] === INGRESS_LABELS['app.kubernetes.io/component'];
}

function appFor(pod: PodModel, port: ListenPort): AppKind {
  if ((isCoreDns(pod) && port.port === 53) || port.app === 'dns') return { kind: 'dns' };
  // The controller process (nginx) is what listens on 80/443 in its Pods.
  if (port.protocol === 'TCP' && (port.port === 80 || port.port === 443) && isIngressController(pod)) return { kind: 'proxy', role: 'ingress-nginx' };
  return port.app === 'echo' || port.protocol === 'UDP' ? { kind: 'echo' } : { kind: 'http', name: pod.meta.name };
}

const proto = (p: ListenPort['protocol']): Listener['protocol'] => (p === 'UDP' ? 'udp' : p === 'SCTP' ? 'sctp' : 'tcp');

/** The sockets a Pod's containers open; a port two containers both claim is a diagnostic (the second fails to bind). */
/** `quiet`: system Pods (kube-proxy, flannel) share sockets the node's daemons already model, without complaint. */
export function podListeners(ctx: BuildCtx, pod: PodModel, existing: readonly Listener[], quiet = false): Listener[] {
  const owner = `pod/${pod.meta.namespace}/${pod.meta.name}`;
  const out: Listener[] = [];
  const overlaps = (x: Listener, l: Listener): boolean =>
    x.protocol === l.protocol && x.port === l.port && (x.address === l.address || x.address === '0.0.0.0' || l.address === '0.0.0.0');
  const taken = (l: Listener): Listener | undefined => {
    for (const x of existing) if (overlaps(x, l)) return x;
    for (const x of out) if (overlaps(x, l)) return x;
    return undefined;
  };
  const coreDns = isCoreDns(pod);
  pod.containers.forEach((c, ci) => {
    const want: Listener[] = [];
    // What the container's process opens (k8s/listen.ts): the image's ports, the command's, the annotation's.
    const spec = pod.spec?.containers?.[ci] ?? { name: c.name, image: c.image, ports: c.ports };
    for (const p of containerListens(pod, spec, ci)) {
      want.push({ protocol: proto(p.protocol), address: '0.0.0.0', port: p.port, owner, app: appFor(pod, p), container: c.name });
    }
    // CoreDNS answers on 53 over both protocols even when only one port is declared, and its
    // health (8080) and ready (8181) plugins listen for kubelet's probes.
    if (coreDns && want.some((p) => p.port === 53)) {
      for (const protocol of ['udp', 'tcp'] as const) want.push({ protocol, address: '0.0.0.0', port: 53, owner, app: { kind: 'dns' }, container: c.name });
      for (const port of [8080, 8181]) want.push({ protocol: 'tcp', address: '0.0.0.0', port, owner, app: { kind: 'http', name: pod.meta.name }, container: c.name });
    }
    for (const l of want) {
      const clash = taken(l);
      if (!clash) { out.push(l); continue; }
      if (quiet || (clash.owner === owner && clash.container === c.name)) continue;
      report(ctx, pod.meta.origin, ['spec', 'containers', ci, 'ports'], 'error', 'pod-port-conflict',
        `${clash.owner === owner ? `containers "${clash.container}" and "${c.name}" of Pod ${pod.meta.name}` : `Pod ${pod.meta.name} (container "${c.name}") and ${clash.owner}`} both listen on ${l.port}/${l.protocol}: the second bind fails with "address already in use"`,
        'containers of one Pod share its network namespace; give each a different port', { pod: pod.meta.name, port: `${l.port}/${l.protocol}`, container: c.name, other: clash.owner === owner ? clash.container ?? '' : clash.owner });
    }
  });
  return out;
}

/** containerd's name for a sandbox namespace: "cni-" and a random UUID (here seeded per Pod). */
export function cniNetnsName(ctx: BuildCtx, podId: string): string {
  const label = `${podId} netns`;
  const h = hex8(labelBits(ctx, label, 0)) + hex8(labelBits(ctx, label, 1)) + hex8(labelBits(ctx, label, 2)) + hex8(labelBits(ctx, label, 3));
  return `cni-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const hex8 = (v: number): string => v.toString(16).padStart(8, '0');

/** The Pod's own namespace with lo up (the CNI loopback plugin) and its sockets. */
export function buildPodNs(ctx: BuildCtx, pod: PodModel, nodeNs: NetNs): NetNs {
  const id = podNsId(pod.meta.namespace, pod.meta.name);
  const ns = createNs(ctx.net, id, { kind: 'pod', namespace: pod.meta.namespace, name: pod.meta.name }, nodeNs.id);
  // containerd pins the sandbox's namespace at /run/netns/cni-UUID, so `ip netns` on the node lists it.
  ns.netnsName = cniNetnsName(ctx, id);
  ctx.net.aliases?.set(namedNsId(nodeNs.id, ns.netnsName), id);
  inheritSysctls(ns, nodeNs);
  loopbackUp(ns);
  ns.listeners.push(...podListeners(ctx, pod, []));
  return ns;
}
