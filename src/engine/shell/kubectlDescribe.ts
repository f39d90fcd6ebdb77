/** `kubectl describe` for Services, Pods, Nodes, Endpoints and the rest, in kubectl's layout. */
import { cniOf } from '../cni/registry';
import type { EndpointsModel, NodeModel, PodModel, ServiceModel, WorkloadModel } from '../model/cluster';
import type { Sim } from '../sim';
import { formatLabels, formatSelector } from '../control/selector';
import { hashString } from '../util/rand';
import { KUBERNETES_VERSION } from '../control/system';
import type { PolicyModel } from '../policy/evaluate';
import { describePolicy } from './netpol';
import { ageOf, describeBlock, describeMap, nowSeconds, rfc1123 } from './kubectlFormat';
import { crashHistory } from '../control/lifecycle';
import { endpointsText, events, KERNEL, nodeAnnotations, nodeRoles, OS_IMAGE, podRestarts, type Item, type ResourceType } from './kubectlResources';

const none = '<none>';

/** A stable 64-hex-digit id (container IDs, image digests) derived from a name. */
function hex64(seed: string): string {
  let s = '';
  for (let i = 0; s.length < 64; i++) s += hashString(seed, i * 0x9e3779b1).toString(16).padStart(8, '0');
  return s.slice(0, 64);
}

function annotations(a: Readonly<Record<string, string>>, indent = ''): string[] {
  const keys = Object.keys(a).sort();
  if (!keys.length) return [`${indent}Annotations:\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${indent}Annotations:` : ''}\t${k}: ${a[k]}`);
}

function describeService(sim: Sim, s: ServiceModel): string {
  const ep = sim.model.endpoints.find((e) => e.meta.namespace === s.meta.namespace && e.meta.name === s.meta.name);
  const lines = [
    `Name:\t${s.meta.name}`, `Namespace:\t${s.meta.namespace}`, ...describeMap('Labels', s.meta.labels), ...annotations(s.meta.annotations),
    `Selector:\t${formatLabels(s.selector)}`, `Type:\t${s.type}`,
  ];
  if (s.type !== 'ExternalName') {
    const ips = s.clusterIPs ?? (s.clusterIP !== null ? [s.clusterIP] : []);
    lines.push(`IP Family Policy:\t${s.ipFamilyPolicy ?? 'SingleStack'}`, `IP Families:\t${(s.ipFamilies ?? ['IPv4']).join(',')}`, `IP:\t${ips[0] ?? none}`, `IPs:\t${ips.length ? ips.join(',') : none}`);
  } else {
    lines.push(`External Name:\t${s.externalName ?? ''}`);
  }
  if (s.externalIPs.length) lines.push(`External IPs:\t${s.externalIPs.join(',')}`);
  if (s.type === 'LoadBalancer' && s.loadBalancerIngress.length) lines.push(`LoadBalancer Ingress:\t${s.loadBalancerIngress.join(', ')}`);
  for (const p of s.ports) {
    lines.push(`Port:\t${p.name || '<unset>'}  ${p.port}/${p.protocol}`);
    lines.push(`TargetPort:\t${p.targetPort}/${p.protocol}`);
    if (p.nodePort) lines.push(`NodePort:\t${p.name || '<unset>'}  ${p.nodePort}/${p.protocol}`);
    if (s.type !== 'ExternalName') lines.push(`Endpoints:\t${portEndpoints(ep, p.name)}`);
  }
  lines.push(`Session Affinity:\t${s.sessionAffinity}`);
  if (s.type === 'NodePort' || s.type === 'LoadBalancer') lines.push(`External Traffic Policy:\t${s.externalTrafficPolicy}`);
  if (s.healthCheckNodePort) lines.push(`HealthCheck NodePort:\t${s.healthCheckNodePort}`);
  if (s.type !== 'ExternalName') lines.push(`Internal Traffic Policy:\t${s.internalTrafficPolicy}`);
  lines.push(`Events:\t<none>`);
  return describeBlock(lines);
}

/** describe prints, per Service port, the ready endpoints with that port name. */
function portEndpoints(ep: EndpointsModel | undefined, name: string): string {
  if (!ep) return '';
  const sub = { ...ep, subsets: ep.subsets.map((s) => ({ ...s, ports: s.ports.filter((p) => p.name === name) })).filter((s) => s.ports.length > 0) };
  const t = endpointsText(sub, Infinity);
  return t === none ? '' : t;
}

function describePod(sim: Sim, p: PodModel): string {
  const node = sim.model.nodes.find((n) => n.name === p.nodeName);
  const lines = [
    `Name:\t${p.meta.name}`, `Namespace:\t${p.meta.namespace}`, `Priority:\t${p.system ? '2000000000' : '0'}`,
    ...(p.system ? [`Priority Class Name:\t${p.hostNetwork ? 'system-node-critical' : 'system-cluster-critical'}`] : []),
    `Service Account:\tdefault`, `Node:\t${node ? `${node.name}/${node.ip}` : none}`,
    ...(node ? [`Start Time:\t${rfc1123(p.meta.createdAt)}`] : []),
    ...describeMap('Labels', p.meta.labels), ...annotations(p.meta.annotations),
    `Status:\t${p.terminating ? 'Terminating (lasts 30s)' : p.phase}`,
    `IP:\t${p.podIPs?.[0] ?? p.podIP ?? ''}`,
    `IPs:${p.podIP ? '' : '\t<none>'}`,
  ];
  const out: string[] = [describeBlock(lines).trimEnd()];
  if (p.podIP) out.push(describeBlock((p.podIPs ?? [p.podIP]).map((ip) => `  IP:\t${ip}`)).trimEnd());
  const tail: string[] = [];
  if (p.meta.ownerKind) tail.push(`Controlled By:\t${p.meta.ownerKind}/${p.meta.ownerName}`);
  tail.push('Containers:');
  for (const c of p.containers) {
    const spec = p.spec.containers.find((x) => x.name === c.name);
    tail.push(`  ${c.name}:`);
    if (p.nodeName) tail.push(`    Container ID:\tcontainerd://${hex64(`${p.meta.uid}/${c.name}`)}`);
    tail.push(`    Image:\t${c.image}`);
    if (p.nodeName) tail.push(`    Image ID:\t${c.image.includes('@') ? c.image : `docker.io/library/${c.image.split(':')[0]}@sha256:${hex64(c.image)}`}`);
    const ports = c.ports.map((x) => `${x.containerPort}/${x.protocol}${x.name ? ` (${x.name})` : ''}`);
    tail.push(`    Port${ports.length > 1 ? 's' : ''}:\t${ports.length ? ports.join(', ') : none}`);
    tail.push(`    Host Port${ports.length > 1 ? 's' : ''}:\t${c.ports.length ? c.ports.map((x) => `${p.hostNetwork ? x.containerPort : x.hostPort ?? 0}/${x.protocol}${x.name ? ` (${x.name})` : ''}`).join(', ') : none}`);
    if (spec?.command) { tail.push('    Command:'); for (const a of spec.command) tail.push(`      ${a}`); }
    if (spec?.args) { tail.push('    Args:'); for (const a of spec.args) tail.push(`      ${a}`); }
    const crash = p.crashLoop?.container === c.name ? p.crashLoop : undefined;
    const restarts = crash ? podRestarts(sim, p) : 0;
    if (crash) {
      // Each run ends at once; kubelet waits before the next (CrashLoopBackOff).
      const last = p.meta.createdAt + crashHistory(nowSeconds(sim) - p.meta.createdAt).last;
      const terminated = [`      Reason:\t${crash.exitCode === 0 ? 'Completed' : 'Error'}`, `      Exit Code:\t${crash.exitCode}`, `      Started:\t${rfc1123(last)}`, `      Finished:\t${rfc1123(last)}`];
      if (restarts > 0) tail.push('    State:\tWaiting', '      Reason:\tCrashLoopBackOff', '    Last State:\tTerminated', ...terminated);
      else tail.push('    State:\tTerminated', ...terminated);
    } else if (p.phase === 'Running') tail.push('    State:\tRunning', `      Started:\t${rfc1123(p.meta.createdAt + 3)}`);
    else tail.push('    State:\tWaiting', `      Reason:\t${p.nodeName ? 'ContainerCreating' : 'PodInitializing'}`);
    tail.push(`    Ready:\t${p.ready ? 'True' : 'False'}`, `    Restart Count:\t${restarts}`);
    if (c.env.length) { tail.push('    Environment:'); for (const e of c.env) tail.push(`      ${e.name}:\t${e.value}`); } else tail.push(`    Environment:\t${none}`);
    tail.push('    Mounts:', `      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-${p.meta.uid.slice(0, 5).replace(/[^a-z0-9]/g, 'x')} (ro)`);
  }
  out.push(describeBlock(tail).trimEnd());
  const conds = p.nodeName
    ? [['PodReadyToStartContainers', 'True'], ['Initialized', 'True'], ['Ready', p.ready ? 'True' : 'False'], ['ContainersReady', p.ready ? 'True' : 'False'], ['PodScheduled', 'True']]
    : [['PodScheduled', 'False']];
  out.push(describeBlock(['Conditions:', '  Type\tStatus', ...conds.map(([t, s]) => `  ${t} \t${s}`)]).trimEnd());
  const tolerations = [
    ...(p.spec.tolerations ?? []).map((t) => `${t.key ?? ''}${t.value ? `=${t.value}` : ''}${t.effect ? `:${t.effect}` : ''}${t.operator === 'Exists' ? ' op=Exists' : ''}`),
    'node.kubernetes.io/not-ready:NoExecute op=Exists for 300s', 'node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
  ];
  const end = [
    'QoS Class:\tBestEffort',
    `Node-Selectors:\t${formatLabels(p.spec.nodeSelector ?? null)}`,
    ...tolerations.map((t, i) => `${i === 0 ? 'Tolerations:' : ''}\t${t}`),
  ];
  const evs = events(sim).filter((e) => e.meta.namespace === p.meta.namespace && e.object === `pod/${p.meta.name}`);
  if (evs.length) {
    end.push('Events:');
    out.push(describeBlock(end).trimEnd());
    out.push(describeBlock(['  Type\tReason\tAge\tFrom\tMessage', '  ----\t------\t----\t----\t-------', ...evs.map((e) => `  ${e.type}\t${e.reason}\t${ageOf(sim, e.meta.createdAt)}\t${e.source}\t${e.message}`)]).trimEnd());
  } else {
    end.push('Events:\t<none>');
    out.push(describeBlock(end).trimEnd());
  }
  return `${out.join('\n')}\n`;
}

function describeNode(sim: Sim, n: NodeModel): string {
  const pods = sim.model.pods.filter((p) => p.nodeName === n.name);
  const head = [
    `Name:\t${n.name}`, `Roles:\t${nodeRoles(n)}`, ...describeMap('Labels', n.labels),
    ...annotations(nodeAnnotations(sim, n)),
    `CreationTimestamp:\t${rfc1123(0)}`,
    ...(n.taints.length ? n.taints.map((t, i) => `${i === 0 ? 'Taints:' : ''}\t${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`) : ['Taints:\t<none>']),
    'Unschedulable:\tfalse',
  ];
  const cond = describeBlock([
    'Conditions:',
    '  Type\tStatus\tReason\tMessage',
    '  ----\t------\t------\t-------',
    ...[cniOf(sim.model.spec).networkCondition].filter((c) => c !== ''),
    '  MemoryPressure\tFalse\tKubeletHasSufficientMemory\tkubelet has sufficient memory available',
    '  DiskPressure\tFalse\tKubeletHasNoDiskPressure\tkubelet has no disk pressure',
    '  PIDPressure\tFalse\tKubeletHasSufficientPID\tkubelet has sufficient PID available',
    `  Ready\t${n.ready ? 'True' : 'False'}\t${n.ready ? 'KubeletReady' : 'KubeletNotReady'}\t${n.ready ? 'kubelet is posting ready status' : 'container runtime network not ready'}`,
  ]).trimEnd();
  const addr = describeBlock(['Addresses:', ...(n.ips ?? [n.ip]).map((a) => `  InternalIP:\t${a}`), ...n.extraAddresses.map((a) => `  ExternalIP:\t${a}`), `  Hostname:\t${n.name}`]).trimEnd();
  const info = describeBlock([
    'System Info:', '  Operating System:\tlinux', '  Architecture:\tamd64', `  Container Runtime Version:\tcontainerd://1.7.13`,
    `  Kubelet Version:\t${KUBERNETES_VERSION}`, `  Kube-Proxy Version:\t${KUBERNETES_VERSION}`, `  Kernel Version:\t${KERNEL}`, `  OS Image:\t${OS_IMAGE}`,
    `PodCIDR:\t${n.podCIDRs?.[0] ?? n.podCIDR}`, `PodCIDRs:\t${(n.podCIDRs ?? [n.podCIDR]).join(',')}`,
    `Non-terminated Pods:\t(${pods.length} in total)`,
  ]).trimEnd();
  const podTable = describeBlock([
    '  Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge',
    '  ---------\t----\t------------\t----------\t---------------\t-------------\t---',
    ...pods.map((p) => `  ${p.meta.namespace}\t${p.meta.name}\t0 (0%)\t0 (0%)\t0 (0%)\t0 (0%)\t${ageOf(sim, p.meta.createdAt)}`),
  ]).trimEnd();
  return `${describeBlock(head).trimEnd()}\n${cond}\n${addr}\n${info}\n${podTable}\nEvents:  <none>\n`;
}

function describeEndpoints(e: EndpointsModel): string {
  const lines = [`Name:\t${e.meta.name}`, `Namespace:\t${e.meta.namespace}`, ...describeMap('Labels', e.meta.labels), ...annotations(e.meta.annotations), 'Subsets:'];
  const out = [describeBlock(lines).trimEnd()];
  for (const s of e.subsets) {
    out.push(describeBlock([`  Addresses:\t${s.addresses.map((a) => a.ip).join(',') || none}`, `  NotReadyAddresses:\t${s.notReadyAddresses.map((a) => a.ip).join(',') || none}`, '  Ports:']).trimEnd());
    out.push(describeBlock(['    Name\tPort\tProtocol', '    ----\t----\t--------', ...s.ports.map((p) => `    ${p.name || '<unset>'}\t${p.port}\t${p.protocol}`)]).trimEnd());
  }
  return `${out.join('\n')}\n\nEvents:  <none>\n`;
}

function describeWorkload(sim: Sim, w: WorkloadModel): string {
  const pods = sim.model.pods.filter((p) => p.meta.namespace === w.meta.namespace && w.pods.includes(p.meta.name));
  const ready = pods.filter((p) => p.ready).length;
  const c = pods[0]?.containers ?? [];
  const lines = [
    `Name:\t${w.meta.name}`, `Namespace:\t${w.meta.namespace}`, `CreationTimestamp:\t${rfc1123(w.meta.createdAt)}`, ...describeMap('Labels', w.meta.labels), ...annotations(w.meta.annotations),
    `Selector:\t${formatSelector(w.selector)}`,
    w.kind === 'DaemonSet' ? `Desired Number of Nodes Scheduled: ${w.replicas}` : `Replicas:\t${w.replicas} desired | ${pods.length} updated | ${pods.length} total | ${ready} available | ${pods.length - ready} unavailable`,
    ...(w.kind === 'Deployment' ? ['StrategyType:\tRollingUpdate', 'MinReadySeconds:\t0', 'RollingUpdateStrategy:\t25% max unavailable, 25% max surge'] : []),
    'Pod Template:', ...describeMap('Labels', templateLabels(pods[0]?.meta.labels ?? {}), '  '), '  Containers:',
    ...c.flatMap((x) => [`   ${x.name}:`, `    Image:\t${x.image}`, `    Port:\t${x.ports.map((p) => `${p.containerPort}/${p.protocol}`).join(', ') || none}`]),
    ...(w.replicaSetName ? [`NewReplicaSet:\t${w.replicaSetName} (${pods.length}/${w.replicas} replicas created)`] : []),
    'Events:\t<none>',
  ];
  return describeBlock(lines);
}

/** The labels the user wrote on the template, without the ones controllers add to each Pod. */
function templateLabels(l: Readonly<Record<string, string>>): Record<string, string> {
  const out = { ...l };
  for (const k of ['pod-template-hash', 'controller-revision-hash', 'pod-template-generation', 'statefulset.kubernetes.io/pod-name', 'apps.kubernetes.io/pod-index']) delete out[k];
  return out;
}

export function describeResource(sim: Sim, rt: ResourceType, it: Item): string {
  switch (rt.kind) {
    case 'Service': return describeService(sim, it.obj as ServiceModel);
    case 'Pod': return describePod(sim, it.obj as PodModel);
    case 'Node': return describeNode(sim, it.obj as NodeModel);
    case 'Endpoints': return describeEndpoints(it.obj as EndpointsModel);
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': return describeWorkload(sim, it.obj as WorkloadModel);
    case 'NetworkPolicy': return describePolicy(it.obj as PolicyModel);
    default: {
      const lines = [`Name:\t${it.meta.name}`, ...(rt.namespaced ? [`Namespace:\t${it.meta.namespace}`] : []), ...describeMap('Labels', it.meta.labels), ...annotations(it.meta.annotations), 'Events:\t<none>'];
      return describeBlock(lines);
    }
  }
}
