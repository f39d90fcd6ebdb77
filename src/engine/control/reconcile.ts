/**
 * The control plane in one pass: scenario objects → ClusterModel, plus the diagnostics the
 * API server, the controllers and the scheduler would produce.
 *
 *   objects ─► API server checks ─► Services (IP + NodePort allocation)
 *           └► workload controllers ─► Pods ─► scheduler ─► host-local IPAM ─► kubelet env
 *                                                    └──────► Endpoints / EndpointSlices
 *
 * Creation order is document order (as `kubectl apply -f` sends them), after the system
 * objects a fresh kubeadm cluster already has. Nothing here throws on user input.
 */
import { bornKey, type ClusterHistory } from './history';
import { formatIPv4, nthAddress, parsePrefix } from '../addr/ip';
import type { ClusterModel, EndpointSliceModel, EndpointsModel, ExternalHostModel, Meta, NodeModel, PodModel, ProbeModel, Protocol, WorkloadModel } from '../model/cluster';
import type { Diagnostic } from '../scenario/diagnostics';
import type { Loaded, Origin, ScenarioObjects } from '../scenario/load';
import type { ObjectMeta } from '../scenario/schema/common';
import type * as In from '../scenario/schema/k8s';
import { clusterSpec } from '../scenario/schema/knp';
import type { Rand } from '../util/rand';
import { Reporter } from './diag';
import { buildExternalHosts, DEFAULT_UPSTREAM_DNS, ensureLoadBalancerHost, sanitizeSpec } from './cluster';
import { placePods } from './pods';
import { cniOf } from '../cni/registry';
import { checkListening } from './listenCheck';
import { checkServiceTargets, userEndpointsModel, userSliceModel } from './userEndpoints';
import { computeEndpoints, computeSlices, mirrorSlices } from './endpoints';
import { AGE_BASE, makeMeta, nsOf } from './meta';
import { objectUid, randomSuffix } from './names';
import { buildNodes } from './nodes';
import { validatePodSpec } from './podspec';
import { parsePrefix6 } from '../addr/ip6';
import { buildServices, parseNodePortRange, type ServiceSrc } from './services';
import { ingressExpose, staticPods, SYSTEM_NAMESPACES, systemObjects } from './system';
import { dns1123Label, dns1123Subdomain, labelKey, labelValue } from './validation';
import { expandWorkload, type PodDraft, type WorkloadKind, type WorkloadSrc } from './workloads';

export { AGE_BASE, DEFAULT_UPSTREAM_DNS };

type Kind = 'Namespace' | 'Pod' | 'Service' | 'Endpoints' | 'EndpointSlice' | 'ConfigMap' | 'Secret' | WorkloadKind | 'Ingress' | 'IngressClass' | 'NetworkPolicy';

interface Src {
  readonly kind: Kind;
  readonly obj: { metadata: ObjectMeta } & Record<string, unknown>;
  readonly origin?: Origin | undefined;
  readonly system: boolean;
  createdIndex: number;
  name: string;
  namespace: string;
}

const CLUSTER_SCOPED = new Set<Kind>(['Namespace', 'IngressClass']);

/**
 * `history` (a live simulation being rebuilt after kubectl changed it): running Pods stay where
 * they are, deleted ones are replaced under new names (src/engine/k8s/history.ts).
 */
export function reconcile(objects: ScenarioObjects, rand: Rand, diagnostics: Diagnostic[], history?: ClusterHistory): ClusterModel {
  const r = new Reporter(diagnostics, objects.cluster?.origin.file);
  const corigin = objects.cluster?.origin;
  let spec = sanitizeSpec(objects.cluster?.obj.spec ?? clusterSpec.parse({}), corigin, r);
  const k8sCount = objects.namespaces.length + objects.pods.length + objects.deployments.length + objects.replicaSets.length
    + objects.statefulSets.length + objects.daemonSets.length + objects.services.length + objects.endpoints.length
    + objects.endpointSlices.length + objects.configMaps.length + objects.secrets.length + objects.ingresses.length
    + objects.ingressClasses.length + objects.networkPolicies.length;
  const hasCluster = !!objects.cluster || k8sCount > 0 || (objects.hosts.length === 0 && objects.containers.length === 0);

  const { externalHosts, upstreamDns } = buildExternalHosts(spec, corigin, r, hasCluster);
  // The DNS layer reads spec.dns.upstream: name the resolver we chose (a role: dns host, or the default one).
  if (upstreamDns && spec.dns?.upstream === undefined) spec = { ...spec, dns: { ...spec.dns, upstream: upstreamDns.name } };
  const probes: ProbeModel[] = objects.probes.map(({ obj, origin }) => ({
    name: obj.metadata.name ?? '', from: obj.spec.from, to: obj.spec.to,
    ...(obj.spec.protocol ? { protocol: obj.spec.protocol } : {}), ...(obj.spec.port !== undefined ? { port: obj.spec.port } : {}),
    count: obj.spec.count, ...(obj.spec.expect ? { expect: stripUndefined(obj.spec.expect) } : {}), origin,
  }));
  let order = 0;
  const plainMeta = (kind: string, l: Loaded<{ metadata: ObjectMeta }>) => makeMeta(kind, { name: l.obj.metadata.name ?? '', namespace: nsOf(l.obj.metadata), labels: l.obj.metadata.labels, annotations: l.obj.metadata.annotations }, order++, false, { origin: l.origin });
  const hosts = objects.hosts.map((h) => ({ meta: plainMeta('Host', h), spec: h.obj.spec }));
  const containers = objects.containers.map((c) => ({ meta: plainMeta('Container', c), spec: c.obj.spec }));

  const empty: ClusterModel = {
    hasCluster, name: objects.cluster?.obj.metadata.name ?? 'kubernetes', spec, ageBase: AGE_BASE, upstreamDns, apiServer: null,
    nodes: [], namespaces: [], pods: [], workloads: [], services: [], endpoints: [], endpointSlices: [],
    configMaps: [], secrets: [], ingresses: [], ingressClasses: [], networkPolicies: [], externalHosts,
    probes, hosts, containers,
  };
  if (!hasCluster) { checkProbes(probes, { pods: [], nodes: [], externalHosts, hosts }, r); return empty; }

  const nodes = buildNodes(spec, corigin, r);
  const serviceCIDR = parsePrefix(spec.serviceCIDR)!;
  const nodePorts = parseNodePortRange(spec.nodePortRange)!;
  const apiNode = nodes.find((n) => n.controlPlane) ?? nodes[0];

  // ── the object store: system objects first, then the user's in document order ──
  const sys = systemObjects(spec, formatIPv4(nthAddress(serviceCIDR, 10)), ingressExpose(spec, objects.ingresses.length > 0));
  const kubernetesSvc = sys.services.find((s) => s.metadata.name === 'kubernetes');
  if (kubernetesSvc?.spec) kubernetesSvc.spec.clusterIP = formatIPv4(nthAddress(serviceCIDR, 1));
  const user: Src[] = [];
  const addUser = (kind: Kind, list: readonly Loaded<unknown>[]) => {
    for (const l of list) {
      const obj = l.obj as Src['obj'];
      user.push({ kind, obj, origin: l.origin, system: false, createdIndex: 0, name: obj.metadata.name ?? '', namespace: CLUSTER_SCOPED.has(kind) ? '' : nsOf(obj.metadata) });
    }
  };
  addUser('Namespace', objects.namespaces); addUser('Pod', objects.pods); addUser('Deployment', objects.deployments);
  addUser('ReplicaSet', objects.replicaSets); addUser('StatefulSet', objects.statefulSets); addUser('DaemonSet', objects.daemonSets);
  addUser('Service', objects.services); addUser('Endpoints', objects.endpoints); addUser('EndpointSlice', objects.endpointSlices);
  addUser('ConfigMap', objects.configMaps); addUser('Secret', objects.secrets); addUser('Ingress', objects.ingresses);
  addUser('IngressClass', objects.ingressClasses); addUser('NetworkPolicy', objects.networkPolicies);
  // Document order: each object's document and line, read once (not per comparison).
  const pos = new Map(user.map((s) => [s, s.origin ? [s.origin.doc, safeLine(s.origin)] as const : [0, 0] as const]));
  user.sort((a, b) => pos.get(a)![0] - pos.get(b)![0] || pos.get(a)![1] - pos.get(b)![1]);

  const system: Src[] = [];
  const addSys = (kind: Kind, obj: { metadata: ObjectMeta }) => system.push({ kind, obj: obj as Src['obj'], system: true, createdIndex: 0, name: obj.metadata.name!, namespace: CLUSTER_SCOPED.has(kind) ? '' : nsOf(obj.metadata) });
  for (const n of SYSTEM_NAMESPACES) addSys('Namespace', { metadata: { name: n } });
  for (const n of sys.namespaces) addSys('Namespace', n);
  for (const s of sys.services.filter((x) => x.metadata.name === 'kubernetes')) addSys('Service', s);
  for (const c of sys.configMaps) addSys('ConfigMap', c);
  for (const d of sys.deployments) addSys('Deployment', d);
  for (const s of sys.services.filter((x) => x.metadata.name !== 'kubernetes')) addSys('Service', s);
  for (const d of sys.daemonSets) addSys('DaemonSet', d);
  for (const c of sys.ingressClasses) addSys('IngressClass', c);

  // A user object with a system object's name replaces it (e.g. their own `coredns` ConfigMap).
  const keyOf = (s: Src) => `${s.kind}/${s.namespace}/${s.name}`;
  const userKeys = new Set(user.map(keyOf));
  const store: Src[] = [...system.filter((s) => s.kind === 'Namespace' || !userKeys.has(keyOf(s))), ...user];
  store.forEach((s, i) => { s.createdIndex = i; });

  // ── API server: names, labels, namespaces, duplicates ──
  const accepted: Src[] = [];
  const seen = new Set<string>();
  const namespaces = new Set<string>();
  for (const s of store) if (s.kind === 'Namespace' && s.system) namespaces.add(s.name);
  for (const s of store) if (s.kind === 'Namespace' && !s.system && s.name && !dns1123Label(s.name)) namespaces.add(s.name);
  const implicitNs = new Set<string>();
  for (const s of store) {
    if (s.system) { seen.add(keyOf(s)); accepted.push(s); continue; }
    const md = s.obj.metadata;
    if (!s.name) {
      if (md.generateName) {
        s.name = `${md.generateName}${randomSuffix(rand.fork(`generateName/${s.kind}/${s.namespace}/${md.generateName}/${s.createdIndex}`))}`;
      } else {
        r.error(s.origin, ['metadata'], 'missing-name', `${s.kind} is invalid: metadata.name: Required value: name or generateName is required`, 'add metadata.name', false, { kind: s.kind });
        continue;
      }
    }
    const nameErr = s.kind === 'Namespace' ? dns1123Label(s.name) : s.kind === 'Service' ? null : dns1123Subdomain(s.name);
    if (nameErr) {
      r.error(s.origin, ['metadata', 'name'], 'invalid-name', `${s.kind} "${s.name}" is invalid: metadata.name: Invalid value: "${s.name}": ${nameErr}`, 'names use lower case letters, digits and "-" (e.g. my-app)', false, { object: `${s.kind} ${s.name}`, field: 'metadata.name', value: s.name });
      continue;
    }
    let badLabel = false;
    for (const [k, v] of Object.entries(md.labels ?? {})) {
      const e = labelKey(k) ? `metadata.labels: Invalid value: "${k}": ${labelKey(k)}` : labelValue(v) ? `metadata.labels: Invalid value: "${v}": ${labelValue(v)}` : null;
      if (e) { r.error(s.origin, ['metadata', 'labels', k], 'invalid-label', `${s.kind} "${s.name}" is invalid: ${e}`, 'label keys and values are at most 63 letters, digits, "-", "_" or "." and start and end with a letter or digit', false, { object: `${s.kind} ${s.name}`, field: 'metadata.labels', value: `${k}=${v}` }); badLabel = true; }
    }
    if (badLabel) continue;
    if (s.namespace && md.namespace !== undefined && dns1123Label(md.namespace)) {
      r.error(s.origin, ['metadata', 'namespace'], 'invalid-name', `${s.kind} "${s.name}" is invalid: metadata.namespace: Invalid value: "${md.namespace}": ${dns1123Label(md.namespace)}`, 'namespaces are lower case letters, digits and "-"', false, { object: `${s.kind} ${s.name}`, field: 'metadata.namespace', value: String(md.namespace) });
      continue;
    }
    if (s.kind === 'Namespace' && namespaces.has(s.name) && store.some((x) => x.system && x.kind === 'Namespace' && x.name === s.name)) continue; // declaring kube-system again is harmless
    if (seen.has(keyOf(s))) {
      r.error(s.origin, ['metadata', 'name'], 'duplicate-name', `${s.kind.toLowerCase()}s "${s.name}" already exists${s.namespace ? ` in namespace ${s.namespace}` : ''}; this one is ignored`, 'give each object its own name, or delete one of the two documents', false, { kind: s.kind, name: s.namespace ? `${s.namespace}/${s.name}` : s.name });
      continue;
    }
    if (s.namespace && !namespaces.has(s.namespace)) {
      if (!implicitNs.has(s.namespace)) r.warn(s.origin, md.namespace !== undefined ? ['metadata', 'namespace'] : ['metadata'], 'namespace-not-found', `namespaces "${s.namespace}" not found; the playground creates it for you`, `add a Namespace document: {apiVersion: v1, kind: Namespace, metadata: {name: ${s.namespace}}}`, { params: { namespace: s.namespace } });
      implicitNs.add(s.namespace);
    }
    seen.add(keyOf(s));
    accepted.push(s);
  }
  const metaOf = (s: Src) => makeMeta(s.kind, { name: s.name, namespace: s.namespace, labels: s.obj.metadata.labels, annotations: s.obj.metadata.annotations }, s.createdIndex, s.system, { origin: s.origin, createdAt: bornAt(s.kind, s.namespace, s.name, history) });
  const of = (k: Kind) => accepted.filter((s) => s.kind === k);

  // ── namespaces ──
  const nsMetas: Meta[] = of('Namespace').map(metaOf);
  for (const n of implicitNs) nsMetas.push(makeMeta('Namespace', { name: n, namespace: '' }, store.length, false));
  for (const m of nsMetas) (m.labels as Record<string, string>)['kubernetes.io/metadata.name'] = m.name;

  // ── Services ──
  const svcSrcs: ServiceSrc[] = of('Service').map((s) => ({ obj: s.obj as unknown as In.ServiceIn, meta: metaOf(s), origin: s.origin }));
  const lbHost = ensureLoadBalancerHost(externalHosts, svcSrcs.some((s) => s.obj.spec?.type === 'LoadBalancer'));
  const serviceCIDR6 = spec.serviceCIDRs.map((c) => parsePrefix6(c)).find((p) => p !== null) ?? undefined;
  const serviceFamilies = spec.ipFamilies.includes('IPv6') ? spec.serviceCIDRs.map((c) => (c.includes(':') ? 'IPv6' as const : 'IPv4' as const)) : undefined;
  const services = buildServices(svcSrcs, { serviceCIDR, nodePorts, ...(lbHost ? { loadBalancerIP: lbHost.ip } : {}), ...(serviceCIDR6 ? { serviceCIDR6 } : {}), ...(serviceFamilies ? { serviceFamilies } : {}) }, rand, r);

  // ── workloads → Pods ──
  const workloads: WorkloadModel[] = [];
  const drafts: PodDraft[] = [];
  if (apiNode) {
    for (const sp of staticPods()) {
      const name = `${sp.name}-${apiNode.name}`;
      drafts.push({
        name, namespace: 'kube-system', labels: { component: sp.name, tier: 'control-plane' }, annotations: { 'kubernetes.io/config.source': 'file' },
        spec: { hostNetwork: true, priorityClassName: 'system-node-critical', containers: [{ name: sp.name, image: sp.image, command: sp.command, ports: sp.ports.map((p) => ({ ...p, hostPort: p.containerPort, protocol: 'TCP' as const })) }] },
        terminating: false, system: true, createdIndex: 0, specPath: ['spec'], owner: `Node/${apiNode.name}`, ownerKind: 'Node', ownerName: apiNode.name,
        hostname: apiNode.name, fixedNode: apiNode.name,
      });
    }
  }
  for (const s of accepted) {
    if (s.kind === 'Deployment' || s.kind === 'ReplicaSet' || s.kind === 'StatefulSet' || s.kind === 'DaemonSet') {
      const src: WorkloadSrc = { kind: s.kind, obj: s.obj as unknown as In.DeploymentIn, meta: metaOf(s), origin: s.origin, system: s.system };
      const res = expandWorkload(src, nodes, rand, r, history?.deleted);
      if (!res) continue;
      workloads.push(res.workload);
      drafts.push(...res.pods);
      if (s.kind === 'StatefulSet' && res.workload.serviceName && !s.system) {
        const svc = services.find((x) => x.meta.namespace === s.namespace && x.meta.name === res.workload.serviceName);
        if (!svc) r.warn(s.origin, ['spec', 'serviceName'], 'statefulset-service-missing', `StatefulSet ${s.name}: Service "${res.workload.serviceName}" does not exist, so its Pods get no DNS names`, 'add a headless Service (clusterIP: None) with that name selecting the Pods', { params: { statefulset: s.name, service: res.workload.serviceName } });
        else if (!svc.headless) r.warn(s.origin, ['spec', 'serviceName'], 'statefulset-service-not-headless', `StatefulSet ${s.name}: Service "${svc.meta.name}" is not headless, so web-0.${svc.meta.name} style names do not resolve`, 'set clusterIP: None on that Service', { params: { statefulset: s.name, service: svc.meta.name } });
      }
    } else if (s.kind === 'Pod') {
      const p = s.obj as unknown as In.PodIn;
      if (!validatePodSpec(p.spec, s.origin, ['spec'], r, `Pod ${s.name}`)) continue;
      drafts.push({
        name: s.name, namespace: s.namespace, labels: { ...(p.metadata.labels ?? {}) }, annotations: { ...(p.metadata.annotations ?? {}) },
        spec: p.spec, status: p.status, terminating: p.metadata.deletionTimestamp !== undefined && p.metadata.deletionTimestamp !== null,
        system: false, createdIndex: s.createdIndex, origin: s.origin, specPath: ['spec'], owner: `Pod/${s.namespace}/${s.name}`,
        hostname: p.spec.hostname ?? s.name.slice(0, 63).replace(/[-.]+$/, ''), subdomain: p.spec.subdomain,
      });
    }
  }

  // ── scheduler + IPAM (host-local: .1 is the bridge, Pods from .2 up) ──
  const pods = placePods(drafts, nodes, services, r, history, cniOf(spec).ipam?.(spec, nodes));

  // ── endpoints controllers ──
  const endpoints: EndpointsModel[] = [];
  const endpointSlices: EndpointSliceModel[] = [];
  const sliceMeta = (svc: { namespace: string; createdIndex: number; createdAt: number }) => (name: string, labels: Record<string, string>): Meta =>
    makeMeta('EndpointSlice', { name, namespace: svc.namespace, labels }, svc.createdIndex, false, { createdAt: svc.createdAt });
  const userEndpoints = new Map(of('Endpoints').map((s) => [`${s.namespace}/${s.name}`, s]));
  for (const svc of services) {
    const key = `${svc.meta.namespace}/${svc.meta.name}`;
    // The Service's metadata with the Endpoints' own uid, no annotations and no origin (key order kept).
    const epMeta: { -readonly [K in keyof Meta]: Meta[K] } = {
      name: svc.meta.name, namespace: svc.meta.namespace, uid: objectUid('Endpoints', svc.meta.namespace, svc.meta.name),
      labels: svc.meta.labels, annotations: {}, createdIndex: svc.meta.createdIndex, createdAt: svc.meta.createdAt,
    };
    if (svc.meta.ownerKind) epMeta.ownerKind = svc.meta.ownerKind;
    if (svc.meta.ownerName) epMeta.ownerName = svc.meta.ownerName;
    if (svc.meta.namespace === 'default' && svc.meta.name === 'kubernetes' && !svc.meta.origin) {
      if (apiNode) {
        const ports = [{ name: 'https', port: 6443, protocol: 'TCP' as Protocol }];
        // The API server advertises its primary-family address (an IPv6-primary cluster: the node's IPv6 one).
        const apiIP = apiNode.ips?.[0] ?? apiNode.ip;
        endpoints.push({ meta: { ...epMeta, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip: apiIP }], notReadyAddresses: [], ports }] });
        endpointSlices.push({
          meta: { ...sliceMeta(svc.meta)('kubernetes', { 'kubernetes.io/service-name': 'kubernetes' }) },
          serviceName: 'kubernetes', addressType: apiIP.includes(':') ? 'IPv6' : 'IPv4', endpoints: [{ addresses: [apiIP], ready: true, serving: true, terminating: false }], ports, managedByUser: false,
        });
      }
      continue;
    }
    if (svc.type === 'ExternalName') continue;
    if (svc.selector) {
      const written = userEndpoints.get(key);
      if (written) r.warn(written.origin, ['metadata', 'name'], 'endpoints-overwritten', `Endpoints ${key} belong to a Service with a selector; the endpoints controller replaces what you wrote`, 'remove spec.selector from the Service to manage its endpoints yourself', { params: { endpoints: key } });
      endpoints.push(computeEndpoints(svc, pods, epMeta));
      endpointSlices.push(...computeSlices(svc, pods, nodes, sliceMeta(svc.meta), rand));
      if (svc.meta.origin) checkServiceTargets(svc, pods, r);
    }
  }
  for (const s of of('Endpoints')) {
    const key = `${s.namespace}/${s.name}`;
    const svc = services.find((x) => `${x.meta.namespace}/${x.meta.name}` === key);
    if (svc?.selector) continue;
    const ep = userEndpointsModel(s, metaOf(s), r);
    endpoints.push(ep);
    if (!svc) r.warn(s.origin, ['metadata', 'name'], 'endpoints-no-service', `Endpoints ${key} have no Service of the same name, so nothing sends traffic to them`, 'add a Service without a selector named like the Endpoints', { params: { endpoints: key } });
    else if (ep.meta.labels['endpointslice.kubernetes.io/skip-mirror'] !== 'true') endpointSlices.push(...mirrorSlices(ep, sliceMeta(svc.meta), rand));
  }
  for (const s of of('EndpointSlice')) endpointSlices.push(userSliceModel(s, metaOf(s), services, r));

  // ── everything else is stored as written ──
  const configMaps = of('ConfigMap').map((s) => ({ meta: metaOf(s), data: { ...((s.obj as unknown as In.ConfigMapIn).data ?? {}) } }));
  const secrets = of('Secret').map((s) => {
    const o = s.obj as unknown as In.SecretIn;
    return { meta: metaOf(s), type: o.type ?? 'Opaque', data: { ...(o.data ?? {}), ...(o.stringData ?? {}) } };
  });
  const ingresses = of('Ingress').map((s) => ({ meta: metaOf(s), spec: (s.obj as unknown as In.IngressIn).spec ?? {} }));
  const ingressClasses = of('IngressClass').map((s) => ({
    meta: metaOf(s), controller: (s.obj as unknown as In.IngressClassIn).spec?.controller ?? '',
    isDefault: s.obj.metadata.annotations?.['ingressclass.kubernetes.io/is-default-class'] === 'true',
  }));
  const networkPolicies = of('NetworkPolicy').map((s) => ({ meta: metaOf(s), spec: (s.obj as unknown as In.NetworkPolicyIn).spec }));

  checkProbes(probes, { pods, nodes, externalHosts, hosts }, r);
  checkListening(services, ingresses, pods, r);

  const byNsName = <T extends { meta: Meta }>(xs: T[]): T[] => xs.sort((a, b) => a.meta.namespace.localeCompare(b.meta.namespace) || a.meta.name.localeCompare(b.meta.name));
  return {
    ...empty,
    apiServer: apiNode ? { ip: apiNode.ip, port: 6443, node: apiNode.name } : null,
    nodes,
    namespaces: nsMetas.sort((a, b) => a.name.localeCompare(b.name)),
    pods: byNsName(pods), workloads: byNsName(workloads), services: byNsName(services),
    endpoints: byNsName(endpoints), endpointSlices: byNsName(endpointSlices),
    configMaps: byNsName(configMaps), secrets: byNsName(secrets), ingresses: byNsName(ingresses),
    ingressClasses: byNsName(ingressClasses), networkPolicies: byNsName(networkPolicies),
  };
}

/** A rebuild keeps each object's creation time; an object new to it is created now (history.ts). Undefined: a first build. */
function bornAt(kind: string, namespace: string, name: string, history: ClusterHistory | undefined): number | undefined {
  if (!history?.born || history.now === undefined) return undefined;
  return history.born.get(bornKey(kind, namespace, name)) ?? history.now;
}

function safeLine(o: Origin): number {
  try { return o.locate([]).line; } catch { return 0; }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A Probe must start somewhere that exists: pod/NS/NAME, pod/NAME, node/NAME or host/NAME. */
function checkProbes(probes: readonly ProbeModel[], where: { pods: readonly PodModel[]; nodes: readonly NodeModel[]; externalHosts: readonly ExternalHostModel[]; hosts: readonly { meta: Meta }[] }, r: Reporter): void {
  for (const p of probes) {
    const parts = p.from.split('/');
    let known: boolean;
    let hint: string;
    switch (parts[0]) {
      case 'pod': {
        const [ns, name] = parts.length === 3 ? [parts[1], parts[2]] : ['default', parts[1]];
        known = where.pods.some((x) => x.meta.namespace === ns && x.meta.name === name);
        hint = `Pods: ${where.pods.filter((x) => !x.system).map((x) => `pod/${x.meta.namespace}/${x.meta.name}`).slice(0, 5).join(', ') || 'none'}`;
        break;
      }
      case 'node': known = where.nodes.some((n) => n.name === parts[1]); hint = `nodes: ${where.nodes.map((n) => n.name).join(', ') || 'none'}`; break;
      case 'host': known = where.externalHosts.some((h) => h.name === parts[1]) || where.hosts.some((h) => h.meta.name === parts[1]); hint = `hosts: ${[...where.externalHosts.map((h) => h.name), ...where.hosts.map((h) => h.meta.name)].join(', ') || 'none'}`; break;
      default: known = false; hint = 'write pod/NS/NAME, pod/NAME, node/NAME or host/NAME';
    }
    if (!known) r.warn(p.origin, ['spec', 'from'], 'probe-unknown-source', `Probe ${p.name}: "${p.from}" is not a Pod, node or host of this scenario`, hint, { params: { probe: p.name, from: p.from, known: hint } });
  }
}
