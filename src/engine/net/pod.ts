/**
 * A Pod's network namespace, the one its pause container holds: lo, and the sockets its
 * containers' processes open (model/listen.ts; all containers share the namespace, hence one port space). The CNI plugin adds
 * eth0 and the routes. hostNetwork Pods get no namespace: their sockets open in the node's.
 */
import { INGRESS_LABELS } from '../model/labels';
import type { PodModel } from '../model/cluster';
import { containerListens, type ContainerSpec, type ListenPort } from '../model/listen';
import { labelBits, report, type BuildCtx } from './context';
import { namedNsId, podNsId } from './ids';
import { createNs, inheritSysctls, loopbackUp } from './mutate';
import type { AppKind, Listener, NetNs } from './types';
import { uuidFromWords } from '../util/uuid';

/** CoreDNS is recognised the way kubeadm labels it. */
export function isCoreDns(pod: PodModel): boolean {
  return pod.meta.labels['k8s-app'] === 'kube-dns' || pod.containers.some((c) => /(^|\/)coredns(:|$)/.test(c.image));
}

/** ingress-nginx's controller Pods, as its manifests label them. */
export function isIngressController(pod: PodModel): boolean {
  return pod.meta.labels['app.kubernetes.io/name'] === INGRESS_LABELS['app.kubernetes.io/name'] && pod.meta.labels['app.kubernetes.io/component'] === INGRESS_LABELS['app.kubernetes.io/component'];
}

const DNS_APP: AppKind = { kind: 'dns' };
const ECHO_APP: AppKind = { kind: 'echo' };
const INGRESS_APP: AppKind = { kind: 'proxy', role: 'ingress-nginx' };

function appFor(pod: PodModel, port: ListenPort, coreDns: boolean): AppKind | undefined {
  if ((coreDns && port.port === 53) || port.app === 'dns') return DNS_APP;
  // The controller process (nginx) is what listens on 80/443 in its Pods.
  if (port.protocol === 'TCP' && (port.port === 80 || port.port === 443) && isIngressController(pod)) return INGRESS_APP;
  return port.app === 'echo' || port.protocol === 'UDP' ? ECHO_APP : undefined;
}

const proto = (p: ListenPort['protocol']): Listener['protocol'] => (p === 'UDP' ? 'udp' : p === 'SCTP' ? 'sctp' : 'tcp');

/**
 * What a container's process opens (model/listen.ts), once per build for the containers of a
 * workload's replicas: they share the template's container object, and the answer depends only
 * on it, the container's index and the Pod's annotations (each Pod has its own object: compared
 * by content).
 */
function listensOf(ctx: BuildCtx, pod: PodModel, spec: ContainerSpec, index: number): readonly ListenPort[] {
  const memo = ctx.listens;
  const hit = memo?.get(spec);
  if (hit && hit.index === index && sameRecord(hit.annotations, pod.meta.annotations)) return hit.ports;
  const ports = containerListens(pod, spec, index);
  memo?.set(spec, { annotations: pod.meta.annotations, index, ports });
  return ports;
}

function sameRecord(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  if (a === b) return true;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const k of keys) if (a[k] !== b[k] || !Object.prototype.hasOwnProperty.call(b, k)) return false;
  return true;
}

const overlaps = (x: Listener, l: Listener): boolean =>
  x.protocol === l.protocol && x.port === l.port && (x.address === l.address || x.address === '0.0.0.0' || l.address === '0.0.0.0');

function takenBy(existing: readonly Listener[], out: readonly Listener[], l: Listener): Listener | undefined {
  for (const x of existing) if (overlaps(x, l)) return x;
  for (const x of out) if (overlaps(x, l)) return x;
  return undefined;
}

/** The sockets a Pod's containers open; a port two containers both claim is a diagnostic (the second fails to bind). */
/** `quiet`: system Pods (kube-proxy, flannel) share sockets the node's daemons already model, without complaint. */
export function podListeners(ctx: BuildCtx, pod: PodModel, existing: readonly Listener[], quiet = false, owner = `pod/${pod.meta.namespace}/${pod.meta.name}`): Listener[] {
  const out: Listener[] = [];
  const coreDns = isCoreDns(pod);
  // One answer per Pod for its HTTP sockets (the app's name is the Pod's).
  let http: AppKind | undefined;
  const httpApp = (): AppKind => (http ??= { kind: 'http', name: pod.meta.name });
  for (let ci = 0; ci < pod.containers.length; ci++) {
    const c = pod.containers[ci]!;
    // Each socket the container wants, in order: the first to claim a port gets it.
    const bind = (l: Listener): void => {
      const clash = takenBy(existing, out, l);
      if (!clash) { out.push(l); return; }
      if (quiet || (clash.owner === owner && clash.container === c.name)) return;
      report(ctx, pod.meta.origin, ['spec', 'containers', ci, 'ports'], 'error', 'pod-port-conflict',
        `${clash.owner === owner ? `containers "${clash.container}" and "${c.name}" of Pod ${pod.meta.name}` : `Pod ${pod.meta.name} (container "${c.name}") and ${clash.owner}`} both listen on ${l.port}/${l.protocol}: the second bind fails with "address already in use"`,
        'containers of one Pod share its network namespace; give each a different port', { pod: pod.meta.name, port: `${l.port}/${l.protocol}`, container: c.name, other: clash.owner === owner ? clash.container ?? '' : clash.owner });
    };
    // What the container's process opens (k8s/listen.ts): the image's ports, the command's, the annotation's.
    const spec = pod.spec?.containers?.[ci] ?? { name: c.name, image: c.image, ports: c.ports };
    let dns = false;
    for (const p of listensOf(ctx, pod, spec, ci)) {
      dns ||= p.port === 53;
      bind({ protocol: proto(p.protocol), address: '0.0.0.0', port: p.port, owner, app: appFor(pod, p, coreDns) ?? httpApp(), container: c.name });
    }
    // CoreDNS answers on 53 over both protocols even when only one port is declared, and its
    // health (8080) and ready (8181) plugins listen for kubelet's probes.
    if (coreDns && dns) {
      for (const protocol of ['udp', 'tcp'] as const) bind({ protocol, address: '0.0.0.0', port: 53, owner, app: DNS_APP, container: c.name });
      for (const port of [8080, 8181]) bind({ protocol: 'tcp', address: '0.0.0.0', port, owner, app: httpApp(), container: c.name });
    }
  }
  return out;
}

/** containerd's name for a sandbox namespace: "cni-" and a random UUID (here seeded per Pod). */
export function cniNetnsName(ctx: BuildCtx, podId: string): string {
  const label = `${podId} netns`;
  const a = labelBits(ctx, label, 0), b = labelBits(ctx, label, 1), c = labelBits(ctx, label, 2), d = labelBits(ctx, label, 3);
  return `cni-${uuidFromWords(a, b, c, d)}`;
}


/** The Pod's own namespace with lo up (the CNI loopback plugin) and its sockets. */
export function buildPodNs(ctx: BuildCtx, pod: PodModel, nodeNs: NetNs): NetNs {
  const id = podNsId(pod.meta.namespace, pod.meta.name);
  const ns = createNs(ctx.net, id, { kind: 'pod', namespace: pod.meta.namespace, name: pod.meta.name }, nodeNs.id);
  // containerd pins the sandbox's namespace at /run/netns/cni-UUID, so `ip netns` on the node lists it.
  ns.netnsName = cniNetnsName(ctx, id);
  ctx.net.aliases?.set(namedNsId(nodeNs.id, ns.netnsName), id);
  inheritSysctls(ns, nodeNs);
  loopbackUp(ns);
  // The namespace was made with no sockets: the Pod's are its list (one array, no copy).
  ns.listeners = podListeners(ctx, pod, [], false, id);
  return ns;
}
