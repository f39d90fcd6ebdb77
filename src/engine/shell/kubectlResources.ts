/**
 * The resource types `kubectl get` knows, with their aliases, their table columns (as kubectl's
 * printers lay them out) and their object form for -o yaml/json. Rows read the ClusterModel;
 * ReplicaSets that a Deployment owns are derived from it, as the controller would have made them.
 */
import type { EndpointSliceModel, EndpointsModel, Meta, NodeModel, PodModel, ServiceModel, WorkloadModel } from '../model/cluster';
import type { Sim } from '../sim';
import { cniOf } from '../cni/registry';
import { KUBERNETES_VERSION } from '../control/system';
import { formatLabels, formatSelector } from '../control/selector';
import { ageOf, humanDuration, nowSeconds, timestamp } from './kubectlFormat';
import { crashHistory } from '../control/lifecycle';

export interface Item {
  readonly meta: Meta;
  readonly obj: unknown;
}

export interface ResourceType {
  readonly plural: string;
  readonly singular: string;
  readonly aliases: readonly string[];
  readonly kind: string;
  /** How `kubectl get all` and multi-type output prefix names: "pod", "deployment.apps". */
  readonly prefix: string;
  readonly apiVersion: string;
  readonly namespaced: boolean;
  list(sim: Sim): Item[];
  headers(wide: boolean): string[];
  row(sim: Sim, item: Item, wide: boolean): string[];
  object(sim: Sim, item: Item): Record<string, unknown>;
}

const none = '<none>';
const CRI = 'containerd://1.7.13';

/** How many times kubelet restarted the Pod's crashing container by now (0 for any other Pod). */
export function podRestarts(sim: Sim, p: PodModel): number {
  return p.crashLoop ? crashHistory(nowSeconds(sim) - p.meta.createdAt).restarts : 0;
}

/** "47s": how long ago the last restart was, as RESTARTS shows it ("5 (47s ago)"). */
export function restartAgo(sim: Sim, p: PodModel): string {
  const age = nowSeconds(sim) - p.meta.createdAt;
  return humanDuration(age - crashHistory(age).last);
}

export function podStatus(p: PodModel, sim?: Sim): string {
  if (p.terminating) return 'Terminating';
  // Between restarts kubelet waits (CrashLoopBackOff); before the first, the exit shows.
  if (p.crashLoop && sim) return podRestarts(sim, p) > 0 ? 'CrashLoopBackOff' : p.crashLoop.exitCode === 0 ? 'Completed' : 'Error';
  switch (p.phase) {
    case 'Pending': return p.nodeName ? 'ContainerCreating' : 'Pending';
    case 'Succeeded': return 'Completed';
    case 'Failed': return 'Error';
    default: return p.phase;
  }
}

export function podReady(p: PodModel): string {
  const n = p.containers.length;
  return `${p.ready ? n : 0}/${n}`;
}

export function servicePorts(s: ServiceModel): string {
  if (s.ports.length === 0) return none;
  return s.ports.map((p) => (p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol}` : `${p.port}/${p.protocol}`)).join(',');
}

export function serviceExternalIP(s: ServiceModel): string {
  switch (s.type) {
    case 'ExternalName': return s.externalName ?? none;
    case 'LoadBalancer': {
      const ips = [...s.loadBalancerIngress, ...s.externalIPs];
      return ips.length ? ips.join(',') : '<pending>';
    }
    default: return s.externalIPs.length ? s.externalIPs.join(',') : none;
  }
}

/** kubectl's formatEndpoints: ready addresses, ip:port, at most 3 then "+ N more...". */
export function endpointsText(ep: EndpointsModel | undefined, max = 3): string {
  if (!ep) return none;
  const list: string[] = [];
  let count = 0;
  for (const ss of ep.subsets) {
    if (ss.ports.length === 0) {
      count += ss.addresses.length;
      for (const a of ss.addresses) if (list.length < max) list.push(a.ip);
    } else {
      for (const p of ss.ports) {
        count += ss.addresses.length;
        for (const a of ss.addresses) if (list.length < max) list.push(a.ip.includes(":") ? `[${a.ip}]:${p.port}` : `${a.ip}:${p.port}`);
      }
    }
  }
  if (list.length === 0) return none;
  return count > max ? `${list.join(',')} + ${count - max} more...` : list.join(',');
}

function sliceEndpoints(s: EndpointSliceModel): string {
  const all = s.endpoints.flatMap((e) => e.addresses);
  if (all.length === 0) return '<unset>';
  return all.length > 3 ? `${all.slice(0, 3).join(',')} + ${all.length - 3} more...` : all.join(',');
}

function slicePorts(s: EndpointSliceModel): string {
  if (s.ports.length === 0) return '<unset>';
  const ps = s.ports.map((p) => String(p.port));
  return ps.length > 3 ? `${ps.slice(0, 3).join(',')} + ${ps.length - 3} more...` : ps.join(',');
}

function metaObject(meta: Meta, extra: Record<string, unknown> = {}, namespaced = true): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (Object.keys(meta.annotations).length) o.annotations = { ...meta.annotations };
  o.creationTimestamp = timestamp(meta.createdAt);
  if (Object.keys(meta.labels).length) o.labels = { ...meta.labels };
  o.name = meta.name;
  if (namespaced) o.namespace = meta.namespace;
  Object.assign(o, extra);
  o.resourceVersion = String(1000 + meta.createdIndex * 7);
  o.uid = meta.uid;
  return o;
}

const ownerRef = (kind: string, name: string, uid: string) => ({ ownerReferences: [{ apiVersion: kind === 'Node' ? 'v1' : 'apps/v1', blockOwnerDeletion: true, controller: true, kind, name, uid }] });

function workloadPods(sim: Sim, w: WorkloadModel): PodModel[] {
  return sim.model.pods.filter((p) => p.meta.namespace === w.meta.namespace && w.pods.includes(p.meta.name));
}

function containersOf(w: WorkloadModel, sim: Sim): { names: string; images: string } {
  const spec = (w as { template?: unknown }).template;
  void spec;
  const pod = workloadPods(sim, w)[0];
  const cs = pod?.containers ?? [];
  return { names: cs.map((c) => c.name).join(',') || none, images: cs.map((c) => c.image).join(',') || none };
}

/** ReplicaSets: those the user wrote plus one per Deployment. */
export interface ReplicaSetView { meta: Meta; desired: number; pods: PodModel[]; selector: WorkloadModel['selector']; owner?: WorkloadModel }

function replicaSets(sim: Sim): ReplicaSetView[] {
  const out: ReplicaSetView[] = [];
  for (const w of sim.model.workloads) {
    if (w.kind === 'ReplicaSet') out.push({ meta: w.meta, desired: w.replicas, pods: workloadPods(sim, w), selector: w.selector });
    if (w.kind === 'Deployment' && w.replicaSetName) {
      const hash = w.podTemplateHash ?? '';
      const meta: Meta = { ...w.meta, name: w.replicaSetName, uid: `${w.meta.uid.slice(0, 24)}${hash.padEnd(12, '0').slice(0, 12)}`, labels: { ...podTemplateLabels(sim, w), 'pod-template-hash': hash }, ownerKind: 'Deployment', ownerName: w.meta.name, annotations: { 'deployment.kubernetes.io/desired-replicas': String(w.replicas), 'deployment.kubernetes.io/max-replicas': String(w.replicas + Math.ceil(w.replicas / 4)), 'deployment.kubernetes.io/revision': '1' } };
      const selector = { ...w.selector, matchLabels: { ...(w.selector?.matchLabels ?? {}), 'pod-template-hash': hash } };
      out.push({ meta, desired: w.replicas, pods: workloadPods(sim, w), selector, owner: w });
    }
  }
  return out.sort((a, b) => a.meta.namespace.localeCompare(b.meta.namespace) || a.meta.name.localeCompare(b.meta.name));
}

function podTemplateLabels(sim: Sim, w: WorkloadModel): Record<string, string> {
  const p = workloadPods(sim, w)[0];
  const l = { ...(p?.meta.labels ?? w.selector?.matchLabels ?? {}) };
  delete l['pod-template-hash'];
  return l;
}

const workloadsOf = (sim: Sim, kind: WorkloadModel['kind']) => sim.model.workloads.filter((w) => w.kind === kind).map((w) => ({ meta: w.meta, obj: w }));

function podObject(sim: Sim, p: PodModel): Record<string, unknown> {
  const owner = p.meta.ownerKind && p.meta.ownerName ? ownerRef(p.meta.ownerKind, p.meta.ownerName, sim.model.workloads.find((w) => w.meta.name === p.meta.ownerName || w.replicaSetName === p.meta.ownerName)?.meta.uid ?? '') : {};
  const spec: Record<string, unknown> = {
    containers: p.containers.map((c) => {
      const src = p.spec.containers.find((x) => x.name === c.name);
      return {
        ...(src?.args ? { args: src.args } : {}), ...(src?.command ? { command: src.command } : {}),
        ...(c.env.length ? { env: c.env } : {}),
        image: c.image, imagePullPolicy: c.image.endsWith(':latest') || !c.image.includes(':') ? 'Always' : 'IfNotPresent', name: c.name,
        ...(c.ports.length ? { ports: c.ports.map((pt) => ({ containerPort: pt.containerPort, ...(pt.hostPort ? { hostPort: pt.hostPort } : {}), ...(pt.name ? { name: pt.name } : {}), protocol: pt.protocol })) } : {}),
        resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File',
      };
    }),
    dnsPolicy: p.dnsPolicy, enableServiceLinks: p.spec.enableServiceLinks ?? true,
    ...(p.hostNetwork ? { hostNetwork: true } : {}),
    ...(p.spec.hostAliases ? { hostAliases: p.spec.hostAliases } : {}),
    ...(p.spec.hostname ? { hostname: p.spec.hostname } : {}),
    ...(p.nodeName ? { nodeName: p.nodeName } : {}),
    ...(p.spec.nodeSelector ? { nodeSelector: p.spec.nodeSelector } : {}),
    preemptionPolicy: 'PreemptLowerPriority', priority: 0, restartPolicy: 'Always', schedulerName: 'default-scheduler',
    securityContext: {}, serviceAccount: 'default', serviceAccountName: 'default',
    ...(p.subdomain ? { subdomain: p.subdomain } : {}),
    terminationGracePeriodSeconds: 30,
    tolerations: [
      ...(p.spec.tolerations ?? []),
      { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
      { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
    ],
  };
  const scheduled = p.nodeName !== null;
  const status: Record<string, unknown> = {
    conditions: scheduled
      ? ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ lastProbeTime: null, lastTransitionTime: timestamp(p.meta.createdAt + 1), status: type === 'Ready' || type === 'ContainersReady' ? (p.ready ? 'True' : 'False') : 'True', type }))
      : [{ lastProbeTime: null, lastTransitionTime: timestamp(p.meta.createdAt), message: p.pendingReason ?? '', reason: 'Unschedulable', status: 'False', type: 'PodScheduled' }],
    ...(p.hostIP ? { hostIP: p.hostIP, hostIPs: [{ ip: p.hostIP }] } : {}),
    phase: p.phase,
    ...(p.podIP ? { podIP: p.podIPs?.[0] ?? p.podIP, podIPs: (p.podIPs ?? [p.podIP]).map((ip) => ({ ip })) } : {}),
    qosClass: 'BestEffort',
    ...(scheduled ? { startTime: timestamp(p.meta.createdAt) } : {}),
  };
  return { apiVersion: 'v1', kind: 'Pod', metadata: metaObject(p.meta, { ...(p.meta.ownerKind ? owner : {}) }), spec, status };
}

function serviceObject(s: ServiceModel): Record<string, unknown> {
  const spec: Record<string, unknown> = {
    ...(s.clusterIP !== null ? { clusterIP: s.clusterIPs?.[0] ?? s.clusterIP, clusterIPs: s.clusterIPs ?? [s.clusterIP] } : {}),
    ...(s.externalIPs.length ? { externalIPs: s.externalIPs } : {}),
    ...(s.externalName ? { externalName: s.externalName } : {}),
    ...(s.type === 'NodePort' || s.type === 'LoadBalancer' ? { externalTrafficPolicy: s.externalTrafficPolicy } : {}),
    ...(s.healthCheckNodePort ? { healthCheckNodePort: s.healthCheckNodePort } : {}),
    internalTrafficPolicy: s.internalTrafficPolicy, ...(s.ipFamilyPolicy === null ? {} : { ipFamilies: s.ipFamilies ?? ['IPv4'], ipFamilyPolicy: s.ipFamilyPolicy ?? 'SingleStack' }),
    ...(s.ports.length ? { ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), ...(p.nodePort ? { nodePort: p.nodePort } : {}), port: p.port, protocol: p.protocol, targetPort: p.targetPort })) } : {}),
    ...(s.publishNotReadyAddresses ? { publishNotReadyAddresses: true } : {}),
    ...(s.selector ? { selector: s.selector } : {}),
    sessionAffinity: s.sessionAffinity,
    ...(s.sessionAffinity === 'ClientIP' ? { sessionAffinityConfig: { clientIP: { timeoutSeconds: s.sessionAffinityTimeout } } } : {}),
    type: s.type,
  };
  const status = { loadBalancer: s.loadBalancerIngress.length ? { ingress: s.loadBalancerIngress.map((ip) => ({ ip, ipMode: 'VIP' })) } : {} };
  return { apiVersion: 'v1', kind: 'Service', metadata: metaObject(s.meta), spec, status };
}

/**
 * The annotations kubelet and the CNI write on a Node: flannel (and canal) record the node's
 * public IP and backend there — for vxlan its VTEP's VNI and MAC, which peers program into
 * their neighbour and FDB tables — read from the node's flannel.1 as built.
 */
export function nodeAnnotations(sim: Sim, n: NodeModel): Record<string, string> {
  const out: Record<string, string> = { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true', ...cniOf(sim.model.spec).nodeAnnotations(sim.model, n) };
  if (out['flannel.alpha.coreos.com/public-ip'] !== undefined) {
    const backend = out['flannel.alpha.coreos.com/backend-type'] ?? sim.model.spec.network.backend ?? 'vxlan';
    const vtep = sim.net.namespaces.get(`node/${n.name}`)?.links.find((l) => l.name === 'flannel.1')?.mac;
    out['flannel.alpha.coreos.com/backend-data'] ??= backend === 'vxlan' && vtep ? `{"VNI":1,"VtepMAC":"${vtep}"}` : 'null';
    out['flannel.alpha.coreos.com/kube-subnet-manager'] ??= 'true';
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function nodeObject(sim: Sim, n: NodeModel): Record<string, unknown> {
  const meta: Meta = { name: n.name, namespace: '', uid: `node-${n.name}`, labels: n.labels, annotations: nodeAnnotations(sim, n), createdIndex: n.createdIndex, createdAt: 0 };
  return {
    apiVersion: 'v1', kind: 'Node', metadata: metaObject(meta, {}, false),
    spec: { podCIDR: n.podCIDRs?.[0] ?? n.podCIDR, podCIDRs: n.podCIDRs ?? [n.podCIDR], ...(n.taints.length ? { taints: n.taints } : {}) },
    status: {
      addresses: [...(n.ips ?? [n.ip]).map((a) => ({ address: a, type: 'InternalIP' })), ...n.extraAddresses.map((a) => ({ address: a, type: 'ExternalIP' })), { address: n.name, type: 'Hostname' }],
      nodeInfo: { architecture: 'amd64', containerRuntimeVersion: CRI, kernelVersion: KERNEL, kubeProxyVersion: KUBERNETES_VERSION, kubeletVersion: KUBERNETES_VERSION, operatingSystem: 'linux', osImage: OS_IMAGE },
    },
  };
}

export const OS_IMAGE = 'Ubuntu 22.04.4 LTS';
export const KERNEL = '5.15.0-105-generic';

function nodeMeta(n: NodeModel): Meta {
  return { name: n.name, namespace: '', uid: `node-${n.name}`, labels: n.labels, annotations: {}, createdIndex: n.createdIndex, createdAt: 0 };
}

export function nodeRoles(n: NodeModel): string {
  const roles = Object.keys(n.labels).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length)).filter(Boolean).sort();
  return roles.length ? roles.join(',') : none;
}

export const RESOURCES: readonly ResourceType[] = [
  {
    plural: 'pods', singular: 'pod', aliases: ['po'], kind: 'Pod', prefix: 'pod', apiVersion: 'v1', namespaced: true,
    list: (sim) => sim.model.pods.map((p) => ({ meta: p.meta, obj: p })),
    headers: (wide) => ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', ...(wide ? ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'] : [])],
    row: (sim, it, wide) => {
      const p = it.obj as PodModel;
      const restarts = podRestarts(sim, p);
      return [p.meta.name, podReady(p), podStatus(p, sim), restarts ? `${restarts} (${restartAgo(sim, p)} ago)` : '0', ageOf(sim, p.meta.createdAt), ...(wide ? [p.podIPs?.[0] ?? p.podIP ?? none, p.nodeName ?? none, none, none] : [])];
    },
    object: (sim, it) => podObject(sim, it.obj as PodModel),
  },
  {
    plural: 'services', singular: 'service', aliases: ['svc'], kind: 'Service', prefix: 'service', apiVersion: 'v1', namespaced: true,
    list: (sim) => sim.model.services.map((s) => ({ meta: s.meta, obj: s })),
    headers: (wide) => ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', ...(wide ? ['SELECTOR'] : [])],
    row: (sim, it, wide) => {
      const s = it.obj as ServiceModel;
      return [s.meta.name, s.type, (s.clusterIPs ? s.clusterIPs[0] : s.clusterIP) ?? none, serviceExternalIP(s), servicePorts(s), ageOf(sim, s.meta.createdAt), ...(wide ? [formatLabels(s.selector)] : [])];
    },
    object: (_sim, it) => serviceObject(it.obj as ServiceModel),
  },
  {
    plural: 'endpoints', singular: 'endpoints', aliases: ['ep'], kind: 'Endpoints', prefix: 'endpoints', apiVersion: 'v1', namespaced: true,
    list: (sim) => sim.model.endpoints.map((e) => ({ meta: e.meta, obj: e })),
    headers: () => ['NAME', 'ENDPOINTS', 'AGE'],
    row: (sim, it) => [it.meta.name, endpointsText(it.obj as EndpointsModel), ageOf(sim, it.meta.createdAt)],
    object: (_sim, it) => {
      const e = it.obj as EndpointsModel;
      const addr = (a: { ip: string; hostname?: string; nodeName?: string; targetRef?: string }) => {
        const ref = a.targetRef?.split('/');
        return { ...(a.hostname ? { hostname: a.hostname } : {}), ip: a.ip, ...(a.nodeName ? { nodeName: a.nodeName } : {}), ...(ref ? { targetRef: { kind: 'Pod', name: ref[2], namespace: ref[1] } } : {}) };
      };
      return {
        apiVersion: 'v1', kind: 'Endpoints', metadata: metaObject(e.meta),
        ...(e.subsets.length ? { subsets: e.subsets.map((s) => ({ ...(s.addresses.length ? { addresses: s.addresses.map(addr) } : {}), ...(s.notReadyAddresses.length ? { notReadyAddresses: s.notReadyAddresses.map(addr) } : {}), ...(s.ports.length ? { ports: s.ports.map((p) => ({ ...(p.name ? { name: p.name } : {}), port: p.port, protocol: p.protocol })) } : {}) })) } : {}),
      };
    },
  },
  {
    plural: 'endpointslices', singular: 'endpointslice', aliases: ['endpointslice.discovery.k8s.io'], kind: 'EndpointSlice', prefix: 'endpointslice.discovery.k8s.io', apiVersion: 'discovery.k8s.io/v1', namespaced: true,
    list: (sim) => sim.model.endpointSlices.map((e) => ({ meta: e.meta, obj: e })),
    headers: () => ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
    row: (sim, it) => { const s = it.obj as EndpointSliceModel; return [s.meta.name, s.addressType, slicePorts(s), sliceEndpoints(s), ageOf(sim, s.meta.createdAt)]; },
    object: (_sim, it) => {
      const s = it.obj as EndpointSliceModel;
      return {
        addressType: s.addressType, apiVersion: 'discovery.k8s.io/v1',
        endpoints: s.endpoints.map((e) => {
          const ref = e.targetRef?.split('/');
          return { addresses: e.addresses, conditions: { ready: e.ready, serving: e.serving, terminating: e.terminating }, ...(e.hostname ? { hostname: e.hostname } : {}), ...(e.nodeName ? { nodeName: e.nodeName } : {}), ...(ref ? { targetRef: { kind: 'Pod', name: ref[2], namespace: ref[1] } } : {}), ...(e.zone ? { zone: e.zone } : {}) };
        }),
        kind: 'EndpointSlice', metadata: metaObject(s.meta),
        ports: s.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
      };
    },
  },
  {
    plural: 'nodes', singular: 'node', aliases: ['no'], kind: 'Node', prefix: 'node', apiVersion: 'v1', namespaced: false,
    list: (sim) => sim.model.nodes.map((n) => ({ meta: nodeMeta(n), obj: n })),
    headers: (wide) => ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION', ...(wide ? ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'] : [])],
    row: (sim, it, wide) => {
      const n = it.obj as NodeModel;
      return [n.name, n.ready ? 'Ready' : 'NotReady', nodeRoles(n), ageOf(sim, 0), KUBERNETES_VERSION, ...(wide ? [n.ip, n.extraAddresses[0] ?? none, OS_IMAGE, KERNEL, CRI] : [])];
    },
    object: (sim, it) => nodeObject(sim, it.obj as NodeModel),
  },
  {
    plural: 'namespaces', singular: 'namespace', aliases: ['ns'], kind: 'Namespace', prefix: 'namespace', apiVersion: 'v1', namespaced: false,
    list: (sim) => sim.model.namespaces.map((m) => ({ meta: { ...m, namespace: '' }, obj: m })),
    headers: () => ['NAME', 'STATUS', 'AGE'],
    row: (sim, it) => [it.meta.name, 'Active', ageOf(sim, it.meta.createdAt)],
    object: (_sim, it) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: metaObject(it.meta, {}, false), spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } }),
  },
  {
    plural: 'deployments', singular: 'deployment', aliases: ['deploy', 'deployment.apps', 'deployments.apps'], kind: 'Deployment', prefix: 'deployment.apps', apiVersion: 'apps/v1', namespaced: true,
    list: (sim) => workloadsOf(sim, 'Deployment'),
    headers: (wide) => ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', ...(wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
    row: (sim, it, wide) => {
      const w = it.obj as WorkloadModel;
      const pods = workloadPods(sim, w);
      const ready = pods.filter((p) => p.ready).length;
      const c = containersOf(w, sim);
      return [w.meta.name, `${ready}/${w.replicas}`, String(pods.length), String(ready), ageOf(sim, w.meta.createdAt), ...(wide ? [c.names, c.images, formatSelector(w.selector)] : [])];
    },
    object: (sim, it) => workloadObject(sim, it.obj as WorkloadModel),
  },
  {
    plural: 'replicasets', singular: 'replicaset', aliases: ['rs', 'replicaset.apps', 'replicasets.apps'], kind: 'ReplicaSet', prefix: 'replicaset.apps', apiVersion: 'apps/v1', namespaced: true,
    list: (sim) => replicaSets(sim).map((r) => ({ meta: r.meta, obj: r })),
    headers: (wide) => ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', ...(wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
    row: (sim, it, wide) => {
      const r = it.obj as ReplicaSetView;
      const cs = r.pods[0]?.containers ?? [];
      return [r.meta.name, String(r.desired), String(r.pods.length), String(r.pods.filter((p) => p.ready).length), ageOf(sim, r.meta.createdAt), ...(wide ? [cs.map((c) => c.name).join(',') || none, cs.map((c) => c.image).join(',') || none, formatSelector(r.selector)] : [])];
    },
    object: (_sim, it) => {
      const r = it.obj as ReplicaSetView;
      return { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: metaObject(r.meta, r.owner ? ownerRef('Deployment', r.owner.meta.name, r.owner.meta.uid) : {}), spec: { replicas: r.desired, selector: r.selector }, status: { availableReplicas: r.pods.filter((p) => p.ready).length, fullyLabeledReplicas: r.pods.length, observedGeneration: 1, readyReplicas: r.pods.filter((p) => p.ready).length, replicas: r.pods.length } };
    },
  },
  {
    plural: 'statefulsets', singular: 'statefulset', aliases: ['sts', 'statefulset.apps', 'statefulsets.apps'], kind: 'StatefulSet', prefix: 'statefulset.apps', apiVersion: 'apps/v1', namespaced: true,
    list: (sim) => workloadsOf(sim, 'StatefulSet'),
    headers: (wide) => ['NAME', 'READY', 'AGE', ...(wide ? ['CONTAINERS', 'IMAGES'] : [])],
    row: (sim, it, wide) => {
      const w = it.obj as WorkloadModel;
      const c = containersOf(w, sim);
      return [w.meta.name, `${workloadPods(sim, w).filter((p) => p.ready).length}/${w.replicas}`, ageOf(sim, w.meta.createdAt), ...(wide ? [c.names, c.images] : [])];
    },
    object: (sim, it) => workloadObject(sim, it.obj as WorkloadModel),
  },
  {
    plural: 'daemonsets', singular: 'daemonset', aliases: ['ds', 'daemonset.apps', 'daemonsets.apps'], kind: 'DaemonSet', prefix: 'daemonset.apps', apiVersion: 'apps/v1', namespaced: true,
    list: (sim) => workloadsOf(sim, 'DaemonSet'),
    headers: (wide) => ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE', ...(wide ? ['CONTAINERS', 'IMAGES', 'SELECTOR'] : [])],
    row: (sim, it, wide) => {
      const w = it.obj as WorkloadModel;
      const pods = workloadPods(sim, w);
      const ready = String(pods.filter((p) => p.ready).length);
      const c = containersOf(w, sim);
      const ns = pods[0]?.spec.nodeSelector;
      return [w.meta.name, String(w.replicas), String(pods.length), ready, String(pods.length), ready, formatLabels(ns ?? null), ageOf(sim, w.meta.createdAt), ...(wide ? [c.names, c.images, formatSelector(w.selector)] : [])];
    },
    object: (sim, it) => workloadObject(sim, it.obj as WorkloadModel),
  },
  {
    plural: 'configmaps', singular: 'configmap', aliases: ['cm'], kind: 'ConfigMap', prefix: 'configmap', apiVersion: 'v1', namespaced: true,
    list: (sim) => sim.model.configMaps.map((c) => ({ meta: c.meta, obj: c })),
    headers: () => ['NAME', 'DATA', 'AGE'],
    row: (sim, it) => [it.meta.name, String(Object.keys((it.obj as { data: Record<string, string> }).data).length), ageOf(sim, it.meta.createdAt)],
    object: (_sim, it) => ({ apiVersion: 'v1', data: (it.obj as { data: Record<string, string> }).data, kind: 'ConfigMap', metadata: metaObject(it.meta) }),
  },
  {
    plural: 'secrets', singular: 'secret', aliases: [], kind: 'Secret', prefix: 'secret', apiVersion: 'v1', namespaced: true,
    list: (sim) => sim.model.secrets.map((c) => ({ meta: c.meta, obj: c })),
    headers: () => ['NAME', 'TYPE', 'DATA', 'AGE'],
    row: (sim, it) => { const s = it.obj as { type: string; data: Record<string, string> }; return [it.meta.name, s.type, String(Object.keys(s.data).length), ageOf(sim, it.meta.createdAt)]; },
    object: (_sim, it) => { const s = it.obj as { type: string; data: Record<string, string> }; return { apiVersion: 'v1', data: s.data, kind: 'Secret', metadata: metaObject(it.meta), type: s.type }; },
  },
  {
    plural: 'ingresses', singular: 'ingress', aliases: ['ing', 'ingress.networking.k8s.io'], kind: 'Ingress', prefix: 'ingress.networking.k8s.io', apiVersion: 'networking.k8s.io/v1', namespaced: true,
    list: (sim) => sim.model.ingresses.map((i) => ({ meta: i.meta, obj: i })),
    headers: () => ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
    row: (sim, it) => {
      const ing = it.obj as Sim['model']['ingresses'][number];
      const hosts = (ing.spec.rules ?? []).map((r) => r.host).filter((h): h is string => !!h);
      const cls = ing.spec.ingressClassName ?? ing.meta.annotations['kubernetes.io/ingress.class'] ?? sim.model.ingressClasses.find((c) => c.isDefault)?.meta.name ?? none;
      return [ing.meta.name, cls, hosts.length ? hosts.join(',') : '*', '', ing.spec.tls?.length ? '80, 443' : '80', ageOf(sim, ing.meta.createdAt)];
    },
    object: (_sim, it) => { const ing = it.obj as Sim['model']['ingresses'][number]; return { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: metaObject(ing.meta), spec: ing.spec, status: { loadBalancer: {} } }; },
  },
  {
    plural: 'ingressclasses', singular: 'ingressclass', aliases: ['ingressclass.networking.k8s.io'], kind: 'IngressClass', prefix: 'ingressclass.networking.k8s.io', apiVersion: 'networking.k8s.io/v1', namespaced: false,
    list: (sim) => sim.model.ingressClasses.map((i) => ({ meta: { ...i.meta, namespace: '' }, obj: i })),
    headers: () => ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'],
    row: (sim, it) => [it.meta.name, (it.obj as { controller: string }).controller, none, ageOf(sim, it.meta.createdAt)],
    object: (_sim, it) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: metaObject(it.meta, {}, false), spec: { controller: (it.obj as { controller: string }).controller } }),
  },
  {
    plural: 'networkpolicies', singular: 'networkpolicy', aliases: ['netpol', 'networkpolicy.networking.k8s.io'], kind: 'NetworkPolicy', prefix: 'networkpolicy.networking.k8s.io', apiVersion: 'networking.k8s.io/v1', namespaced: true,
    list: (sim) => sim.model.networkPolicies.map((n) => ({ meta: n.meta, obj: n })),
    headers: () => ['NAME', 'POD-SELECTOR', 'AGE'],
    row: (sim, it) => { const np = it.obj as Sim['model']['networkPolicies'][number]; return [np.meta.name, formatSelector(np.spec.podSelector), ageOf(sim, np.meta.createdAt)]; },
    object: (_sim, it) => { const np = it.obj as Sim['model']['networkPolicies'][number]; return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: metaObject(np.meta), spec: np.spec }; },
  },
  {
    plural: 'events', singular: 'event', aliases: ['ev'], kind: 'Event', prefix: 'event', apiVersion: 'v1', namespaced: true,
    list: (sim) => events(sim).map((e) => ({ meta: e.meta, obj: e })),
    headers: () => ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    row: (sim, it) => { const e = it.obj as EventView; return [ageOf(sim, e.meta.createdAt), e.type, e.reason, e.object, e.message]; },
    object: (_sim, it) => { const e = it.obj as EventView; return { apiVersion: 'v1', count: 1, firstTimestamp: timestamp(e.meta.createdAt), involvedObject: { kind: e.object.split('/')[0], name: e.object.split('/')[1], namespace: e.meta.namespace }, kind: 'Event', lastTimestamp: timestamp(e.meta.createdAt), message: e.message, metadata: metaObject(e.meta), reason: e.reason, source: { component: e.source }, type: e.type }; },
  },
];

/** An event the controllers and kubelet would have recorded (kept for an hour, so only the user's objects show). */
export interface EventView { meta: Meta; type: 'Normal' | 'Warning'; reason: string; object: string; message: string; source: string }

export function events(sim: Sim): EventView[] {
  const out: EventView[] = [];
  const now = sim.model.ageBase ?? 0;
  const add = (ns: string, createdAt: number, type: EventView['type'], reason: string, object: string, message: string, source: string) => {
    if (now - createdAt > 3600) return;
    const name = `${object.split('/')[1]}.${(0x17c000000 + out.length * 0x1f3b1).toString(16)}`;
    out.push({ meta: { name, namespace: ns, uid: name, labels: {}, annotations: {}, createdIndex: out.length, createdAt }, type, reason, object, message, source });
  };
  for (const w of sim.model.workloads) {
    const ns = w.meta.namespace; const at = w.meta.createdAt;
    if (w.kind === 'Deployment' && w.replicaSetName) {
      add(ns, at, 'Normal', 'ScalingReplicaSet', `deployment/${w.meta.name}`, `Scaled up replica set ${w.replicaSetName} to ${w.replicas}`, 'deployment-controller');
      for (const p of w.pods) add(ns, at, 'Normal', 'SuccessfulCreate', `replicaset/${w.replicaSetName}`, `Created pod: ${p}`, 'replicaset-controller');
    } else {
      const ctl = w.kind === 'StatefulSet' ? 'statefulset-controller' : w.kind === 'DaemonSet' ? 'daemonset-controller' : 'replicaset-controller';
      for (const p of w.pods) add(ns, at, 'Normal', 'SuccessfulCreate', `${w.kind.toLowerCase()}/${w.meta.name}`, w.kind === 'StatefulSet' ? `create Pod ${p} in StatefulSet ${w.meta.name} successful` : `Created pod: ${p}`, ctl);
    }
  }
  for (const p of sim.model.pods) {
    const ns = p.meta.namespace; const at = p.meta.createdAt; const obj = `pod/${p.meta.name}`;
    if (!p.nodeName) {
      if (p.pendingReason) add(ns, at, 'Warning', 'FailedScheduling', obj, p.pendingReason, 'default-scheduler');
      continue;
    }
    add(ns, at, 'Normal', 'Scheduled', obj, `Successfully assigned ${ns}/${p.meta.name} to ${p.nodeName}`, 'default-scheduler');
    for (const c of p.containers) {
      add(ns, at, 'Normal', 'Pulled', obj, `Container image "${c.image}" already present on machine`, 'kubelet');
      add(ns, at, 'Normal', 'Created', obj, `Created container ${c.name}`, 'kubelet');
      add(ns, at, 'Normal', 'Started', obj, `Started container ${c.name}`, 'kubelet');
    }
    // kubelet backs off before restarting a container that keeps exiting.
    if (p.crashLoop && podRestarts(sim, p) > 0) {
      add(ns, at + crashHistory(nowSeconds(sim) - at).last, 'Warning', 'BackOff', obj, `Back-off restarting failed container ${p.crashLoop.container} in pod ${p.meta.name}_${ns}(${p.meta.uid})`, 'kubelet');
    }
  }
  return out;
}

function workloadObject(sim: Sim, w: WorkloadModel): Record<string, unknown> {
  const pods = workloadPods(sim, w);
  const ready = pods.filter((p) => p.ready).length;
  const template = pods[0] ? { metadata: { labels: podTemplateLabels(sim, w) }, spec: { containers: pods[0].spec.containers, ...(pods[0].hostNetwork ? { hostNetwork: true } : {}) } } : {};
  return {
    apiVersion: 'apps/v1', kind: w.kind, metadata: metaObject(w.meta, { generation: 1 }),
    spec: { ...(w.kind !== 'DaemonSet' ? { replicas: w.replicas } : {}), selector: w.selector, ...(w.serviceName ? { serviceName: w.serviceName } : {}), template },
    status: w.kind === 'DaemonSet'
      ? { currentNumberScheduled: pods.length, desiredNumberScheduled: w.replicas, numberAvailable: ready, numberMisscheduled: 0, numberReady: ready, observedGeneration: 1, updatedNumberScheduled: pods.length }
      : { availableReplicas: ready, observedGeneration: 1, readyReplicas: ready, replicas: pods.length, updatedReplicas: pods.length },
  };
}

export function findResource(name: string): ResourceType | undefined {
  const n = name.toLowerCase();
  return RESOURCES.find((r) => r.plural === n || r.singular === n || r.aliases.includes(n) || r.kind.toLowerCase() === n);
}

/** What `kubectl get all` lists, in kubectl's order. */
export const ALL = ['pods', 'services', 'daemonsets', 'deployments', 'replicasets', 'statefulsets'];
