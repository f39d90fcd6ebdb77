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
import { formatIPv4, isIp, nthAddress, parseIPv4, parsePrefix, prefixContains, prefixOverlaps, prefixSize, type Prefix } from '../addr/ip';
import type { ClusterModel, ContainerModel, EndpointSliceModel, EndpointsModel, ExternalHostModel, Meta, NodeModel, PodModel, ProbeModel, Protocol, ServiceModel, WorkloadModel } from '../model/cluster';
import type { Diagnostic } from '../scenario/diagnostics';
import type { Loaded, Origin, ScenarioObjects } from '../scenario/load';
import type { ObjectMeta } from '../scenario/schema/common';
import type * as In from '../scenario/schema/k8s';
import { clusterSpec, type ClusterSpec } from '../scenario/schema/knp';
import type { Rand } from '../util/rand';
import { Reporter } from './diag';
import { computeEndpoints, computeSlices, mirrorSlices, selectedPods } from './endpoints';
import { newEnvCache, podServiceEnv } from './env';
import { AGE_BASE, makeMeta, nsOf } from './meta';
import { randomSuffix } from './names';
import { buildNodes } from './nodes';
import { validatePodSpec } from './podspec';
import { resolveTargetPort } from './ports';
import { hostPortsOf, schedule, type NodeLoad } from './scheduler';
import { buildServices, parseNodePortRange, type ServiceSrc } from './services';
import { ingressExpose, SYSTEM_NAMESPACES, systemObjects } from './system';
import { dns1123Label, dns1123Subdomain, labelKey, labelValue } from './validation';
import { expandWorkload, type PodDraft, type WorkloadKind, type WorkloadSrc } from './workloads';

export { AGE_BASE };

/** The default external DNS server: what nodes' /etc/resolv.conf points at, and CoreDNS forwards to. */
export const DEFAULT_UPSTREAM_DNS = { name: 'upstream-dns', ip: '198.51.100.53' } as const;

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

export function reconcile(objects: ScenarioObjects, rand: Rand, diagnostics: Diagnostic[]): ClusterModel {
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
  if (!hasCluster) return empty;

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
  const pos = (s: Src) => (s.origin ? [s.origin.doc, safeLine(s.origin)] : [0, 0]);
  user.sort((a, b) => pos(a)[0]! - pos(b)[0]! || pos(a)[1]! - pos(b)[1]!);

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
        r.error(s.origin, ['metadata'], 'missing-name', `${s.kind} is invalid: metadata.name: Required value: name or generateName is required`, 'add metadata.name');
        continue;
      }
    }
    const nameErr = s.kind === 'Namespace' ? dns1123Label(s.name) : s.kind === 'Service' ? null : dns1123Subdomain(s.name);
    if (nameErr) {
      r.error(s.origin, ['metadata', 'name'], 'invalid-name', `${s.kind} "${s.name}" is invalid: metadata.name: Invalid value: "${s.name}": ${nameErr}`, 'names use lower case letters, digits and "-" (e.g. my-app)');
      continue;
    }
    let badLabel = false;
    for (const [k, v] of Object.entries(md.labels ?? {})) {
      const e = labelKey(k) ? `metadata.labels: Invalid value: "${k}": ${labelKey(k)}` : labelValue(v) ? `metadata.labels: Invalid value: "${v}": ${labelValue(v)}` : null;
      if (e) { r.error(s.origin, ['metadata', 'labels', k], 'invalid-label', `${s.kind} "${s.name}" is invalid: ${e}`, 'label keys and values are at most 63 letters, digits, "-", "_" or "." and start and end with a letter or digit'); badLabel = true; }
    }
    if (badLabel) continue;
    if (s.namespace && md.namespace !== undefined && dns1123Label(md.namespace)) {
      r.error(s.origin, ['metadata', 'namespace'], 'invalid-name', `${s.kind} "${s.name}" is invalid: metadata.namespace: Invalid value: "${md.namespace}": ${dns1123Label(md.namespace)}`, 'namespaces are lower case letters, digits and "-"');
      continue;
    }
    if (s.kind === 'Namespace' && namespaces.has(s.name) && store.some((x) => x.system && x.kind === 'Namespace' && x.name === s.name)) continue; // declaring kube-system again is harmless
    if (seen.has(keyOf(s))) {
      r.error(s.origin, ['metadata', 'name'], 'duplicate-name', `${s.kind.toLowerCase()}s "${s.name}" already exists${s.namespace ? ` in namespace ${s.namespace}` : ''}; this one is ignored`, 'give each object its own name, or delete one of the two documents');
      continue;
    }
    if (s.namespace && !namespaces.has(s.namespace)) {
      if (!implicitNs.has(s.namespace)) r.warn(s.origin, md.namespace !== undefined ? ['metadata', 'namespace'] : ['metadata'], 'namespace-not-found', `namespaces "${s.namespace}" not found; the playground creates it for you`, `add a Namespace document: {apiVersion: v1, kind: Namespace, metadata: {name: ${s.namespace}}}`);
      implicitNs.add(s.namespace);
    }
    seen.add(keyOf(s));
    accepted.push(s);
  }
  const metaOf = (s: Src) => makeMeta(s.kind, { name: s.name, namespace: s.namespace, labels: s.obj.metadata.labels, annotations: s.obj.metadata.annotations }, s.createdIndex, s.system, { origin: s.origin });
  const of = (k: Kind) => accepted.filter((s) => s.kind === k);

  // ── namespaces ──
  const nsMetas: Meta[] = of('Namespace').map(metaOf);
  for (const n of implicitNs) nsMetas.push(makeMeta('Namespace', { name: n, namespace: '' }, store.length, false));
  for (const m of nsMetas) (m.labels as Record<string, string>)['kubernetes.io/metadata.name'] = m.name;

  // ── Services ──
  const svcSrcs: ServiceSrc[] = of('Service').map((s) => ({ obj: s.obj as unknown as In.ServiceIn, meta: metaOf(s), origin: s.origin }));
  const services = buildServices(svcSrcs, { serviceCIDR, nodePorts }, rand, r);

  // ── workloads → Pods ──
  const workloads: WorkloadModel[] = [];
  const drafts: PodDraft[] = [];
  for (const s of accepted) {
    if (s.kind === 'Deployment' || s.kind === 'ReplicaSet' || s.kind === 'StatefulSet' || s.kind === 'DaemonSet') {
      const src: WorkloadSrc = { kind: s.kind, obj: s.obj as unknown as In.DeploymentIn, meta: metaOf(s), origin: s.origin, system: s.system };
      const res = expandWorkload(src, nodes, rand, r);
      if (!res) continue;
      workloads.push(res.workload);
      drafts.push(...res.pods);
      if (s.kind === 'StatefulSet' && res.workload.serviceName && !s.system) {
        const svc = services.find((x) => x.meta.namespace === s.namespace && x.meta.name === res.workload.serviceName);
        if (!svc) r.warn(s.origin, ['spec', 'serviceName'], 'statefulset-service-missing', `StatefulSet ${s.name}: Service "${res.workload.serviceName}" does not exist, so its Pods get no DNS names`, 'add a headless Service (clusterIP: None) with that name selecting the Pods');
        else if (!svc.headless) r.warn(s.origin, ['spec', 'serviceName'], 'statefulset-service-not-headless', `StatefulSet ${s.name}: Service "${svc.meta.name}" is not headless, so web-0.${svc.meta.name} style names do not resolve`, 'set clusterIP: None on that Service');
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
  const pods = placePods(drafts, nodes, services, r);

  // ── endpoints controllers ──
  const endpoints: EndpointsModel[] = [];
  const endpointSlices: EndpointSliceModel[] = [];
  const sliceMeta = (svc: { namespace: string; createdIndex: number; createdAt: number }) => (name: string, labels: Record<string, string>): Meta =>
    ({ ...makeMeta('EndpointSlice', { name, namespace: svc.namespace, labels }, svc.createdIndex, false), createdAt: svc.createdAt });
  const userEndpoints = new Map(of('Endpoints').map((s) => [`${s.namespace}/${s.name}`, s]));
  for (const svc of services) {
    const key = `${svc.meta.namespace}/${svc.meta.name}`;
    const epMeta: Meta = { ...svc.meta, uid: makeMeta('Endpoints', svc.meta, 0, false).uid, annotations: {} };
    delete (epMeta as { origin?: Origin }).origin;
    if (svc.meta.namespace === 'default' && svc.meta.name === 'kubernetes' && !svc.meta.origin) {
      if (apiNode) {
        const ports = [{ name: 'https', port: 6443, protocol: 'TCP' as Protocol }];
        endpoints.push({ meta: { ...epMeta, labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } }, subsets: [{ addresses: [{ ip: apiNode.ip }], notReadyAddresses: [], ports }] });
        endpointSlices.push({
          meta: { ...sliceMeta(svc.meta)('kubernetes', { 'kubernetes.io/service-name': 'kubernetes' }) },
          serviceName: 'kubernetes', addressType: 'IPv4', endpoints: [{ addresses: [apiNode.ip], ready: true, serving: true, terminating: false }], ports, managedByUser: false,
        });
      }
      continue;
    }
    if (svc.type === 'ExternalName') continue;
    if (svc.selector) {
      const written = userEndpoints.get(key);
      if (written) r.warn(written.origin, ['metadata', 'name'], 'endpoints-overwritten', `Endpoints ${key} belong to a Service with a selector; the endpoints controller replaces what you wrote`, 'remove spec.selector from the Service to manage its endpoints yourself');
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
    if (!svc) r.warn(s.origin, ['metadata', 'name'], 'endpoints-no-service', `Endpoints ${key} have no Service of the same name, so nothing sends traffic to them`, 'add a Service without a selector named like the Endpoints');
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

function safeLine(o: Origin): number {
  try { return o.locate([]).line; } catch { return 0; }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Checks the cluster-wide ranges; a broken one is reported and replaced by its default so the rest still builds. */
function sanitizeSpec(spec: ClusterSpec, origin: Origin | undefined, r: Reporter): ClusterSpec {
  const defaults = clusterSpec.parse({});
  const out = { ...spec };
  const pod = parsePrefix(spec.podCIDR);
  if (!pod) { r.error(origin, ['spec', 'podCIDR'], 'invalid-cidr', `podCIDR "${spec.podCIDR}" is not a valid CIDR (host bits must be zero)`, 'write it like 10.244.0.0/16'); out.podCIDR = defaults.podCIDR; }
  const svc = parsePrefix(spec.serviceCIDR);
  if (!svc || svc.len > 30) { r.error(origin, ['spec', 'serviceCIDR'], 'invalid-cidr', `serviceCIDR "${spec.serviceCIDR}" is not a valid CIDR of at least 4 addresses`, 'write it like 10.96.0.0/12'); out.serviceCIDR = defaults.serviceCIDR; }
  else if (prefixSize(svc) < 16) r.warn(origin, ['spec', 'serviceCIDR'], 'small-service-cidr', `serviceCIDR ${spec.serviceCIDR} has fewer than 16 addresses; kube-dns needs the tenth`, 'use a /28 or larger');
  if (pod && svc && prefixOverlaps(pod, svc)) r.error(origin, ['spec', 'serviceCIDR'], 'cidr-overlap', `serviceCIDR ${spec.serviceCIDR} overlaps the Pod CIDR ${spec.podCIDR}`, 'Service and Pod addresses must not overlap, e.g. 10.96.0.0/12 and 10.244.0.0/16');
  if (!parseNodePortRange(spec.nodePortRange)) { r.error(origin, ['spec', 'nodePortRange'], 'invalid-port-range', `nodePortRange "${spec.nodePortRange}" is not a port range`, 'write it like 30000-32767'); out.nodePortRange = defaults.nodePortRange; }
  if (pod && pod.len > spec.nodeCIDRMaskSize) { r.error(origin, ['spec', 'nodeCIDRMaskSize'], 'invalid-value', `nodeCIDRMaskSize ${spec.nodeCIDRMaskSize} is larger than the cluster CIDR ${spec.podCIDR}`, `use a mask of at least /${pod.len}`); out.nodeCIDRMaskSize = Math.max(pod.len, 24); }
  const under = parsePrefix(spec.underlayCIDR, true);
  if (!under) { r.error(origin, ['spec', 'underlayCIDR'], 'invalid-cidr', `underlayCIDR "${spec.underlayCIDR}" is not a valid CIDR`, 'write it like 192.168.1.0/24'); out.underlayCIDR = defaults.underlayCIDR; }
  if (spec.gateway !== undefined && !isIp(spec.gateway)) { r.error(origin, ['spec', 'gateway'], 'invalid-ip', `gateway "${spec.gateway}" is not an IPv4 address`); delete out.gateway; }
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(spec.clusterDomain)) { r.error(origin, ['spec', 'clusterDomain'], 'invalid-name', `clusterDomain "${spec.clusterDomain}" is not a DNS domain`, 'e.g. cluster.local'); out.clusterDomain = defaults.clusterDomain; }
  const net = spec.network;
  const backends: Record<string, readonly string[]> = { flannel: ['vxlan', 'udp', 'host-gw'], calico: ['bgp', 'ipip', 'vxlan', 'none'], canal: ['vxlan', 'udp', 'host-gw'], bridge: ['none'] };
  if (net.backend !== undefined && !backends[net.plugin]!.includes(net.backend)) {
    r.error(origin, ['spec', 'network', 'backend'], 'invalid-backend', `network plugin ${net.plugin} has no backend "${net.backend}"`, `use one of: ${backends[net.plugin]!.join(', ')}`);
    out.network = { ...net, backend: backends[net.plugin]![0] as typeof net.backend };
  }
  return out;
}

function parseHostPort(p: number | string): { port: number; protocol: Protocol } | null {
  if (typeof p === 'number') return p >= 1 && p <= 65535 ? { port: p, protocol: 'TCP' } : null;
  const m = /^(\d+)(?:\/(tcp|udp|sctp))?$/i.exec(p.trim());
  if (!m) return null;
  const port = Number(m[1]);
  if (port < 1 || port > 65535) return null;
  return { port, protocol: (m[2] ?? 'tcp').toUpperCase() as Protocol };
}

function buildExternalHosts(spec: ClusterSpec, origin: Origin | undefined, r: Reporter, hasCluster: boolean): { externalHosts: ExternalHostModel[]; upstreamDns: { name: string; ip: string } | null } {
  const out: ExternalHostModel[] = [];
  const names = new Set<string>();
  const ips = new Set<string>();
  let dnsHost: ExternalHostModel | undefined;
  (spec.externalHosts ?? []).forEach((h, i) => {
    const at = ['spec', 'externalHosts', i];
    if (names.has(h.name)) { r.error(origin, [...at, 'name'], 'duplicate-name', `external host "${h.name}" is listed twice`, 'give each external host its own name'); return; }
    if (!isIp(h.ip)) { r.error(origin, [...at, 'ip'], 'invalid-ip', `external host ${h.name}: "${h.ip}" is not a valid IPv4 address`, 'e.g. 203.0.113.10'); return; }
    if (ips.has(h.ip)) { r.error(origin, [...at, 'ip'], 'duplicate-ip', `external host ${h.name}: ${h.ip} is already used by another external host`, 'give each machine its own address'); return; }
    const ports: { port: number; protocol: Protocol }[] = [];
    (h.ports ?? []).forEach((p, j) => {
      const pp = parseHostPort(p);
      if (!pp) r.error(origin, [...at, 'ports', j], 'invalid-port', `external host ${h.name}: "${String(p)}" is not a port`, 'write 80, "8080/tcp" or "53/udp"');
      else ports.push(pp);
    });
    const model = { name: h.name, ip: h.ip, ports };
    names.add(h.name); ips.add(h.ip);
    out.push(model);
    if (h.role === 'dns' && !dnsHost) dnsHost = model;
  });
  const upstreamName = spec.dns?.upstream;
  if (upstreamName !== undefined) {
    const named = out.find((h) => h.name === upstreamName || h.ip === upstreamName);
    if (named) return { externalHosts: out, upstreamDns: { name: named.name, ip: named.ip } };
    if (isIp(upstreamName)) return { externalHosts: out, upstreamDns: { name: upstreamName, ip: upstreamName } };
    r.error(origin, ['spec', 'dns', 'upstream'], 'unknown-external-host', `dns.upstream names "${upstreamName}", which is not one of spec.externalHosts`, 'add it to externalHosts, or write its IP');
  }
  if (dnsHost) return { externalHosts: out, upstreamDns: { name: dnsHost.name, ip: dnsHost.ip } };
  if (!hasCluster) return { externalHosts: out, upstreamDns: null };
  if (names.has(DEFAULT_UPSTREAM_DNS.name) || ips.has(DEFAULT_UPSTREAM_DNS.ip)) {
    const h = out.find((x) => x.name === DEFAULT_UPSTREAM_DNS.name || x.ip === DEFAULT_UPSTREAM_DNS.ip)!;
    return { externalHosts: out, upstreamDns: { name: h.name, ip: h.ip } };
  }
  out.push({ name: DEFAULT_UPSTREAM_DNS.name, ip: DEFAULT_UPSTREAM_DNS.ip, ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }] });
  return { externalHosts: out, upstreamDns: { ...DEFAULT_UPSTREAM_DNS } };
}

/** Scheduling, host-local IPAM and kubelet's view of each Pod (env, hostname, phase). */
function placePods(drafts: readonly PodDraft[], nodes: readonly NodeModel[], services: readonly ServiceModel[], r: Reporter): PodModel[] {
  const load = new Map<string, NodeLoad>(nodes.map((n) => [n.name, { pods: [] }]));
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const ranges = new Map<string, { prefix: Prefix; next: number; used: Set<number> }>();
  for (const n of nodes) ranges.set(n.name, { prefix: parsePrefix(n.podCIDR)!, next: 2, used: new Set() });
  const ipOwner = new Map<number, string>();
  for (const n of nodes) ipOwner.set(parseIPv4(n.ip)!, `node ${n.name}`);

  // Reserve addresses the user wrote in status.podIP before anyone allocates.
  const fixedIP = new Map<PodDraft, string>();
  for (const d of drafts) {
    const want = d.status?.podIP;
    if (want === undefined || d.spec.hostNetwork) continue;
    const v = parseIPv4(want);
    const at = [...d.specPath.slice(0, -1), 'status', 'podIP'];
    if (v === null) { r.error(d.origin, at, 'invalid-ip', `Pod ${d.name}: status.podIP "${want}" is not a valid IPv4 address`, 'remove it and one is allocated'); continue; }
    const owner = ipOwner.get(v);
    if (owner) { r.error(d.origin, at, 'podip-taken', `Pod ${d.name}: status.podIP ${want} is already used by ${owner}`, 'every Pod needs its own address; remove status.podIP and one is allocated'); continue; }
    ipOwner.set(v, `Pod ${d.namespace}/${d.name}`);
    fixedIP.set(d, want);
    for (const rg of ranges.values()) if (prefixContains(rg.prefix, v)) rg.used.add(v);
  }

  const out: PodModel[] = [];
  const envCache = newEnvCache();
  for (const d of drafts) {
    let nodeName: string | null = null;
    let pendingReason: string | undefined;
    if (d.fixedNode) {
      // A DaemonSet Pod carries node affinity to its one node; the scheduler still checks host ports.
      const node = nodeByName.get(d.fixedNode)!;
      const res = schedule({ ...d.spec, tolerations: [{ operator: 'Exists' }] }, d.owner, [node], load);
      if ('node' in res) nodeName = res.node;
      else {
        const others = nodes.length - 1;
        pendingReason = `0/${nodes.length} nodes are available: 1 node(s) didn't have free ports for the requested pod ports${others ? `, ${others} node(s) didn't match Pod's node affinity/selector` : ''}. preemption: 0/${nodes.length} nodes are available: 1 No preemption victims found for incoming pod${others ? `, ${others} Preemption is not helpful for scheduling` : ''}.`;
        if (!d.system) r.warn(d.origin, ['metadata', 'name'], 'pod-unschedulable', `Pod ${d.namespace}/${d.name} (on ${node.name}) stays Pending: ${pendingReason}`, 'another Pod on that node already holds the host port');
      }
    }
    else if (d.spec.nodeName !== undefined) {
      if (nodeByName.has(d.spec.nodeName)) nodeName = d.spec.nodeName;
      else r.warn(d.origin, [...d.specPath, 'nodeName'], 'node-not-found', `Pod ${d.name}: spec.nodeName "${d.spec.nodeName}" is not a node of this cluster; the Pod stays Pending`, `use one of: ${nodes.map((n) => n.name).join(', ')}`);
    } else {
      const res = schedule(d.spec, d.owner, nodes, load);
      if ('node' in res) nodeName = res.node;
      else {
        pendingReason = res.reason;
        if (!d.system) r.warn(d.origin, ['metadata', 'name'], 'pod-unschedulable', `Pod ${d.namespace}/${d.name} stays Pending: ${res.reason}`, 'check nodeSelector, affinity, tolerations and hostPorts against the nodes');
      }
    }
    const node = nodeName ? nodeByName.get(nodeName) : undefined;
    if (node) load.get(node.name)!.pods.push({ owner: d.owner, hostPorts: hostPortsOf(d.spec) });
    const hostNetwork = d.spec.hostNetwork ?? false;
    let podIP: string | null = null;
    if (node && hostNetwork) podIP = node.ip;
    else if (node) {
      const fixed = fixedIP.get(d);
      const rg = ranges.get(node.name)!;
      if (fixed) {
        podIP = fixed;
        if (!prefixContains(rg.prefix, parseIPv4(fixed)!)) r.warn(d.origin, [...d.specPath.slice(0, -1), 'status', 'podIP'], 'podip-outside-node-cidr', `Pod ${d.name}: status.podIP ${fixed} is outside node ${node.name}'s podCIDR ${node.podCIDR}; routes to it will not exist`, `pick an address in ${node.podCIDR}`);
      } else {
        const size = prefixSize(rg.prefix);
        while (rg.next < size - 1 && (rg.used.has(nthAddress(rg.prefix, rg.next)) || ipOwner.has(nthAddress(rg.prefix, rg.next)))) rg.next++;
        if (rg.next < size - 1) {
          const v = nthAddress(rg.prefix, rg.next++);
          rg.used.add(v); ipOwner.set(v, `Pod ${d.namespace}/${d.name}`);
          podIP = formatIPv4(v);
        } else {
          pendingReason = `failed to allocate for range 0: no IP addresses available in range set: ${formatIPv4(nthAddress(rg.prefix, 1))}-${formatIPv4(nthAddress(rg.prefix, size - 2))}`;
          r.warn(d.origin, ['metadata', 'name'], 'podcidr-full', `Pod ${d.name}: node ${node.name}'s podCIDR ${node.podCIDR} has no free address`, 'use a larger nodeCIDRMaskSize or more nodes');
        }
      }
    }
    const conditions = d.status?.conditions ?? [];
    const phase = d.status?.phase ?? (node && podIP ? 'Running' : 'Pending');
    const readyCond = conditions.find((c) => c.type === 'Ready');
    const ready = phase === 'Running' && podIP !== null && readyCond?.status !== 'False' && readyCond?.status !== 'Unknown';
    const containers: ContainerModel[] = d.spec.containers.map((c) => ({
      name: c.name, image: c.image ?? '',
      ports: (c.ports ?? []).map((p) => ({
        ...(p.name !== undefined ? { name: p.name } : {}), containerPort: p.containerPort, protocol: p.protocol ?? 'TCP',
        ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}), ...(p.hostIP !== undefined ? { hostIP: p.hostIP } : {}),
      })),
      env: (c.env ?? []).map((e) => ({ name: e.name, value: e.value ?? '' })),
    }));
    const serviceEnv = podServiceEnv(services, d.namespace, d.createdIndex, d.spec.enableServiceLinks ?? true, envCache);
    const meta = makeMeta('Pod', { name: d.name, namespace: d.namespace, labels: d.labels, annotations: d.annotations }, d.createdIndex, d.system, {
      ...(d.ownerKind ? { ownerKind: d.ownerKind } : {}), ...(d.ownerName ? { ownerName: d.ownerName } : {}), origin: d.origin,
    });
    out.push({
      meta, spec: d.spec, containers, nodeName, hostNetwork, phase,
      ...(pendingReason ? { pendingReason } : {}),
      podIP: phase === 'Pending' && !podIP ? null : podIP, hostIP: node?.ip ?? null, ready, terminating: d.terminating,
      hostname: hostNetwork && node ? node.name : d.hostname,
      ...(d.subdomain ? { subdomain: d.subdomain } : {}),
      env: [...(containers[0]?.env ?? []), ...serviceEnv],
      serviceEnv,
      dnsPolicy: d.spec.dnsPolicy ?? 'ClusterFirst',
      system: d.system,
      createdIndex: d.createdIndex,
    });
  }
  return out;
}

/** Warnings a careful API reviewer would give: a selector no Pod matches, a named targetPort no Pod has. */
function checkServiceTargets(svc: ServiceModel, pods: readonly PodModel[], r: Reporter): void {
  const origin = svc.meta.origin;
  const selected = selectedPods(svc, pods);
  if (selected.length === 0) {
    r.warn(origin, ['spec', 'selector'], 'selector-no-match', `Service ${svc.meta.namespace}/${svc.meta.name}: selector ${Object.entries(svc.selector ?? {}).map(([k, v]) => `${k}=${v}`).join(',')} matches no Pod in namespace ${svc.meta.namespace}, so it has no endpoints`, 'make the selector equal to the Pods\' labels (spec.template.metadata.labels of the Deployment)');
    return;
  }
  svc.ports.forEach((p, i) => {
    if (typeof p.targetPort !== 'string') return;
    if (selected.some((pod) => resolveTargetPort(pod, p) !== null)) return;
    r.warn(origin, ['spec', 'ports', i, 'targetPort'], 'target-port-not-found', `Service ${svc.meta.name}: targetPort "${p.targetPort}" names a port (${p.protocol}) that none of the ${selected.length} selected Pod(s) declares`, 'name the container port the same (ports: [{name: ..., containerPort: ...}]) or use a number');
  });
}

const BAD_ENDPOINT = [parsePrefix('127.0.0.0/8')!, parsePrefix('169.254.0.0/16')!, parsePrefix('224.0.0.0/4')!];

function userEndpointsModel(s: Src, meta: Meta, r: Reporter): EndpointsModel {
  const o = s.obj as unknown as In.EndpointsIn;
  const addr = (a: { ip: string; hostname?: string | undefined; nodeName?: string | undefined }, path: (string | number)[]) => {
    const v = parseIPv4(a.ip);
    if (v === null) { r.error(s.origin, [...path, 'ip'], 'invalid-ip', `Endpoints "${s.name}" is invalid: ${path.join('.')}.ip: Invalid value: "${a.ip}": must be a valid IP address`); return null; }
    if (BAD_ENDPOINT.some((p) => prefixContains(p, v))) { r.error(s.origin, [...path, 'ip'], 'invalid-endpoint-ip', `Endpoints "${s.name}" is invalid: ip: Invalid value: "${a.ip}": may not be in the loopback range (127.0.0.0/8), link-local (169.254.0.0/16) or multicast range`, 'endpoints must be addresses other machines can reach'); return null; }
    return { ip: a.ip, ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.nodeName ? { nodeName: a.nodeName } : {}) };
  };
  return {
    meta,
    subsets: (o.subsets ?? []).map((sub, i) => ({
      addresses: (sub.addresses ?? []).map((a, j) => addr(a, ['subsets', i, 'addresses', j])).filter((x): x is NonNullable<typeof x> => x !== null),
      notReadyAddresses: (sub.notReadyAddresses ?? []).map((a, j) => addr(a, ['subsets', i, 'notReadyAddresses', j])).filter((x): x is NonNullable<typeof x> => x !== null),
      ports: (sub.ports ?? []).map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol ?? 'TCP' })),
    })),
  };
}

function userSliceModel(s: Src, meta: Meta, services: readonly ServiceModel[], r: Reporter): EndpointSliceModel {
  const o = s.obj as unknown as In.EndpointSliceIn;
  const serviceName = meta.labels['kubernetes.io/service-name'] ?? '';
  if (!serviceName) r.warn(s.origin, ['metadata'], 'endpointslice-no-service-label', `EndpointSlice ${s.name} has no kubernetes.io/service-name label, so no Service uses it`, 'add labels: {kubernetes.io/service-name: SERVICE}');
  else if (!services.some((x) => x.meta.namespace === s.namespace && x.meta.name === serviceName)) r.warn(s.origin, ['metadata', 'labels', 'kubernetes.io/service-name'], 'endpointslice-no-service', `EndpointSlice ${s.name} belongs to Service "${serviceName}", which does not exist`, 'create the Service, or fix the label');
  return {
    meta, serviceName, addressType: o.addressType,
    endpoints: (o.endpoints ?? []).map((e) => {
      const ready = e.conditions?.ready ?? true;
      return {
        addresses: e.addresses, ready, serving: e.conditions?.serving ?? ready, terminating: e.conditions?.terminating ?? false,
        ...(e.hostname ? { hostname: e.hostname } : {}), ...(e.nodeName ? { nodeName: e.nodeName } : {}), ...(e.zone ? { zone: e.zone } : {}),
      };
    }),
    ports: (o.ports ?? []).filter((p) => p.port !== undefined).map((p) => ({ name: p.name ?? '', port: p.port!, protocol: p.protocol ?? 'TCP' })),
    managedByUser: true,
  };
}
