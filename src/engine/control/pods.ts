/**
 * From Pod drafts to Pods: the scheduler picks a node, host-local IPAM an address (.1 is the
 * bridge, Pods from .2 up; hostNetwork Pods take the node's IP), kubelet adds the environment.
 */
import { formatIPv4, nthAddress, parseIPv4, parsePrefix, prefixContains, prefixSize, type Prefix } from '../addr/ip';
import { formatIPv6, nthAddress6, parsePrefix6 } from '../addr/ip6';
import type { CniNodeIpam } from '../cni/plugin';
import type { ContainerModel, NodeModel, PodModel, ServiceModel } from '../model/cluster';
import type { Reporter } from './diag';
import { newEnvCache, podServiceEnv } from './env';
import { makeMeta } from './meta';
import { crashingContainer, startedPhase } from './lifecycle';
import { bindPod, hostPortsOf, newScheduleMemo, schedule, type HostPortUse, type NodeLoad } from './scheduler';
import type { PodSpecIn } from '../scenario/schema/k8s';
import type { PodDraft } from './workloads';
import { bornKey, podKey, specKey, type ClusterHistory } from './history';


/** Scheduling, host-local IPAM and kubelet's view of each Pod (env, hostname, phase). */
export function placePods(drafts: readonly PodDraft[], nodes: readonly NodeModel[], services: readonly ServiceModel[], r: Reporter, history?: ClusterHistory, ipam?: ReadonlyMap<string, CniNodeIpam>): PodModel[] {
  const load = new Map<string, NodeLoad>(nodes.map((n) => {
    const max = ipam?.get(n.name)?.maxPods;
    return [n.name, max !== undefined ? { pods: [], maxPods: max } : { pods: [] }];
  }));
  // The plugin's own address pools (CniPlugin.ipam's `addresses`), in hand-out order.
  const pools = new Map<string, number[]>();
  for (const [name, x] of ipam ?? []) if (x.addresses) pools.set(name, x.addresses.map((a) => parseIPv4(a)).filter((v): v is number => v !== null));
  const inRange = (node: string, v: number): boolean => {
    const pool = pools.get(node);
    return pool ? pool.includes(v) : prefixContains(ranges.get(node)!.prefix, v);
  };
  const nodeByName = new Map(nodes.map((n) => [n.name, n]));
  const ranges = new Map<string, { prefix: Prefix; next: number; used: Set<number> }>();
  // host-local on the node's podCIDR, unless the network plugin hands out its own block (CniPlugin.ipam's `range`).
  for (const n of nodes) {
    const own = ipam?.get(n.name)?.range;
    const prefix = own ? parsePrefix(own.cidr) : null;
    ranges.set(n.name, prefix ? { prefix, next: own!.first, used: new Set() } : { prefix: parsePrefix(n.podCIDR)!, next: 2, used: new Set() });
  }
  // Who holds an address: a node's name, or the Pod's draft (spelled out only for a message).
  const ipOwner = new Map<number, string | PodDraft>();
  for (const n of nodes) ipOwner.set(parseIPv4(n.ip)!, `node ${n.name}`);

  // Reserve addresses the user wrote in status.podIP before anyone allocates.
  const fixedIP = new Map<PodDraft, string>();
  for (const d of drafts) {
    const want = d.status?.podIP;
    if (want === undefined || d.spec.hostNetwork) continue;
    const v = parseIPv4(want);
    const at = [...d.specPath.slice(0, -1), 'status', 'podIP'];
    if (v === null) { r.error(d.origin, at, 'invalid-ip', `Pod ${d.name}: status.podIP "${want}" is not a valid IPv4 address`, 'remove it and one is allocated', false, { object: `Pod ${d.name}`, field: 'status.podIP', value: want }); continue; }
    const held = ipOwner.get(v);
    const owner = typeof held === 'string' || held === undefined ? held : `Pod ${held.namespace}/${held.name}`;
    if (owner) { r.error(d.origin, at, 'podip-taken', `Pod ${d.name}: status.podIP ${want} is already used by ${owner}`, 'every Pod needs its own address; remove status.podIP and one is allocated', false, { pod: d.name, ip: want, owner }); continue; }
    ipOwner.set(v, d);
    fixedIP.set(d, want);
    for (const rg of ranges.values()) if (prefixContains(rg.prefix, v)) rg.used.add(v);
  }

  // A rebuild of a live simulation: running Pods keep their node and address; addresses that
  // deleted Pods gave back are not handed out again (host-local moves on past them).
  const pinned = new Map<PodDraft, { node: NodeModel; ip: string | null }>();
  for (const d of drafts) {
    const pin = history?.placements.get(podKey(d.namespace, d.name));
    const node = pin ? nodeByName.get(pin.node) : undefined;
    // A Pod whose spec changed is another Pod (its controller replaced it): it is scheduled afresh.
    if (!pin || !node || fixedIP.has(d) || (pin.spec !== undefined && pin.spec !== specKey(d.spec))) continue;
    const v = pin.ip !== null && !d.spec.hostNetwork ? parseIPv4(pin.ip) : null;
    const rg = ranges.get(node.name)!;
    if (v !== null && (!inRange(node.name, v) || ipOwner.has(v))) continue;
    if (v !== null) { ipOwner.set(v, d); rg.used.add(v); }
    pinned.set(d, { node, ip: v !== null ? pin.ip : null });
  }
  // The running Pods are bound before any new one is scheduled: the spread sees the whole cluster.
  // Pods of one workload share their spec object: what is read from the spec alone is made once per spec.
  const perSpec = new Map<PodSpecIn, { hostPorts: HostPortUse[]; containers: ContainerModel[] }>();
  const ofSpec = (spec: PodSpecIn) => {
    let x = perSpec.get(spec);
    if (!x) {
      x = {
        hostPorts: hostPortsOf(spec),
        containers: spec.containers.map((c) => ({
          name: c.name, image: c.image ?? '',
          ports: (c.ports ?? []).map((p) => ({
            ...(p.name !== undefined ? { name: p.name } : {}), containerPort: p.containerPort, protocol: p.protocol ?? 'TCP',
            ...(p.hostPort !== undefined ? { hostPort: p.hostPort } : {}), ...(p.hostIP !== undefined ? { hostIP: p.hostIP } : {}),
          })),
          env: (c.env ?? []).map((e) => ({ name: e.name, value: e.value ?? '' })),
        })),
      };
      perSpec.set(spec, x);
    }
    return x;
  };
  const bound = (d: PodDraft) => ({ owner: d.owner, hostPorts: ofSpec(d.spec).hostPorts, ...(d.ownerKind === 'Node' ? { static: true } : {}) });
  for (const [d, pin] of pinned) bindPod(load.get(pin.node.name)!, bound(d));
  for (const ip of history?.released ?? []) {
    const v = parseIPv4(ip);
    if (v !== null) for (const rg of ranges.values()) if (prefixContains(rg.prefix, v)) rg.used.add(v);
  }

  const out: PodModel[] = [];
  const envCache = newEnvCache();
  const memo = newScheduleMemo();
  for (const d of drafts) {
    let nodeName: string | null = null;
    let pendingReason: string | undefined;
    const pin = pinned.get(d);
    if (pin) nodeName = pin.node.name;
    else if (d.fixedNode) {
      // A DaemonSet Pod carries node affinity to its one node; the scheduler still checks host ports.
      const node = nodeByName.get(d.fixedNode)!;
      const res = schedule({ ...d.spec, tolerations: [{ operator: 'Exists' }] }, d.owner, [node], load);
      if ('node' in res) nodeName = res.node;
      else {
        const others = nodes.length - 1;
        pendingReason = `0/${nodes.length} nodes are available: 1 node(s) didn't have free ports for the requested pod ports${others ? `, ${others} node(s) didn't match Pod's node affinity/selector` : ''}. preemption: 0/${nodes.length} nodes are available: 1 No preemption victims found for incoming pod${others ? `, ${others} Preemption is not helpful for scheduling` : ''}.`;
        if (!d.system) r.warn(d.origin, ['metadata', 'name'], 'pod-unschedulable', `Pod ${d.namespace}/${d.name} (on ${node.name}) stays Pending: ${pendingReason}`, 'another Pod on that node already holds the host port', { params: { pod: `${d.namespace}/${d.name}`, reason: pendingReason } });
      }
    }
    else if (d.spec.nodeName !== undefined) {
      if (nodeByName.has(d.spec.nodeName)) nodeName = d.spec.nodeName;
      else r.warn(d.origin, [...d.specPath, 'nodeName'], 'node-not-found', `Pod ${d.name}: spec.nodeName "${d.spec.nodeName}" is not a node of this cluster; the Pod stays Pending`, `use one of: ${nodes.map((n) => n.name).join(', ')}`, { params: { pod: d.name, node: d.spec.nodeName, nodes: nodes.map((n) => n.name).join(', ') } });
    } else {
      const res = schedule(d.spec, d.owner, nodes, load, memo);
      if ('node' in res) nodeName = res.node;
      else {
        pendingReason = res.reason;
        if (!d.system) r.warn(d.origin, ['metadata', 'name'], 'pod-unschedulable', `Pod ${d.namespace}/${d.name} stays Pending: ${res.reason}`, 'check nodeSelector, affinity, tolerations and hostPorts against the nodes', { params: { pod: `${d.namespace}/${d.name}`, reason: res.reason } });
      }
    }
    const node = nodeName ? nodeByName.get(nodeName) : undefined;
    if (node && !pin) bindPod(load.get(node.name)!, bound(d));
    const hostNetwork = d.spec.hostNetwork ?? false;
    let podIP: string | null = null;
    if (node && hostNetwork) podIP = node.ip;
    else if (node) {
      const fixed = fixedIP.get(d) ?? pinned.get(d)?.ip ?? undefined;
      const rg = ranges.get(node.name)!;
      if (fixed) {
        podIP = fixed;
        if (!inRange(node.name, parseIPv4(fixed)!)) r.warn(d.origin, [...d.specPath.slice(0, -1), 'status', 'podIP'], 'podip-outside-node-cidr', `Pod ${d.name}: status.podIP ${fixed} is outside node ${node.name}'s podCIDR ${node.podCIDR}; routes to it will not exist`, `pick an address in ${node.podCIDR}`, { params: { pod: d.name, ip: fixed, node: node.name, podCIDR: node.podCIDR } });
      } else if (pools.has(node.name)) {
        const v = pools.get(node.name)!.find((x) => !rg.used.has(x) && !ipOwner.has(x));
        if (v !== undefined) {
          rg.used.add(v); ipOwner.set(v, d);
          podIP = formatIPv4(v);
        } else {
          pendingReason = 'failed to assign an IP address to container';
          r.warn(d.origin, ['metadata', 'name'], 'pod-ip-exhausted', `Pod ${d.name}: node ${node.name} has no free address left on its network interfaces`, 'use an instance type with more ENIs or IPs per ENI, or more nodes', { params: { pod: d.name, node: node.name } });
        }
      } else {
        const size = prefixSize(rg.prefix);
        while (rg.next < size - 1 && (rg.used.has(nthAddress(rg.prefix, rg.next)) || ipOwner.has(nthAddress(rg.prefix, rg.next)))) rg.next++;
        if (rg.next < size - 1) {
          const v = nthAddress(rg.prefix, rg.next++);
          rg.used.add(v); ipOwner.set(v, d);
          podIP = formatIPv4(v);
        } else {
          pendingReason = `failed to allocate for range 0: no IP addresses available in range set: ${formatIPv4(nthAddress(rg.prefix, 1))}-${formatIPv4(nthAddress(rg.prefix, size - 2))}`;
          r.warn(d.origin, ['metadata', 'name'], 'podcidr-full', `Pod ${d.name}: node ${node.name}'s podCIDR ${node.podCIDR} has no free address`, 'use a larger nodeCIDRMaskSize or more nodes', { params: { pod: d.name, node: node.name, podCIDR: node.podCIDR } });
        }
      }
    }
    // Dual-stack: host-local hands out one address per range; the IPv6 one takes the same host index in the node's IPv6 subnet.
    let podIPs: string[] | undefined;
    if (node?.podCIDRs && podIP !== null) {
      if (hostNetwork) podIPs = [...(node.ips ?? [node.ip])];
      else {
        const p6 = node.podCIDRs.map((c) => parsePrefix6(c)).find((x) => x !== null);
        const p4 = parsePrefix(node.podCIDR);
        const v4 = parseIPv4(podIP);
        // An address-list IPAM (not a range) has no host index to mirror: no IPv6 address then.
        const v6 = p6 && p4 && v4 !== null && prefixContains(p4, v4) ? nthAddress6(p6, (v4 - p4.base) >>> 0) : null;
        const hasV4 = node.podCIDRs.some((c) => !c.includes(':'));
        podIPs = node.podCIDRs.map((c) => (c.includes(':') ? (v6 !== null ? formatIPv6(v6) : null) : podIP)).filter((x): x is string => x !== null);
        if (!hasV4 && podIPs.length === 0) podIPs = undefined;
      }
    }
    const conditions = d.status?.conditions ?? [];
    const phase = d.status?.phase ?? (node && podIP ? startedPhase(d.spec, d.annotations) : 'Pending');
    const readyCond = conditions.find((c) => c.type === 'Ready');
    const crash = phase === 'Running' && !d.status?.phase && !d.system ? crashingContainer(d.spec, d.annotations) : null;
    const ready = phase === 'Running' && podIP !== null && !crash && readyCond?.status !== 'False' && readyCond?.status !== 'Unknown';
    const containers = ofSpec(d.spec).containers;
    // In a rebuild, a Pod that did not exist before starts now: it sees every Service there is.
    const bornAt = history?.born && history.now !== undefined ? history.born.get(bornKey('Pod', d.namespace, d.name)) : undefined;
    const fresh = history?.born !== undefined && history.now !== undefined && bornAt === undefined && !d.system;
    const serviceEnv = podServiceEnv(services, d.namespace, fresh ? Number.MAX_SAFE_INTEGER : d.createdIndex, d.spec.enableServiceLinks ?? true, envCache);
    const meta = makeMeta('Pod', { name: d.name, namespace: d.namespace, labels: d.labels, annotations: d.annotations }, d.createdIndex, d.system, {
      ownerKind: d.ownerKind, ownerName: d.ownerName, origin: d.origin, createdAt: bornAt ?? (fresh ? history!.now! : undefined),
    });
    out.push({
      meta, spec: d.spec, containers, nodeName, hostNetwork, phase,
      ...(crash ? { crashLoop: { container: crash.name, exitCode: crash.exitCode } } : {}),
      ...(pendingReason ? { pendingReason } : {}),
      podIP: phase === 'Pending' && !podIP ? null : podIP, hostIP: node?.ip ?? null, ready, terminating: d.terminating,
      ...(podIPs && !(phase === 'Pending' && !podIP) ? { podIPs } : {}),
      hostname: hostNetwork && node ? node.name : d.hostname,
      ...(d.subdomain ? { subdomain: d.subdomain } : {}),
      // Pods of one workload share their Service variables: the same list, not a copy per Pod.
      env: containers[0]?.env.length ? [...containers[0].env, ...serviceEnv] : serviceEnv,
      serviceEnv,
      dnsPolicy: d.spec.dnsPolicy ?? 'ClusterFirst',
      system: d.system,
      createdIndex: d.createdIndex,
    });
  }
  return out;
}
