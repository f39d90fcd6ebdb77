/**
 * Snapshot + view + UI positions (+ the previous layout) → React Flow nodes and edges. Pure:
 * the same inputs always give the same graph. With the previous call's `memory`, ids that
 * survive an edit keep their places and only new ones are placed; dragged positions win.
 *
 *   Cluster view (./layout.ts: packing)        Kernel view of one node (dagre, top to bottom)
 *        ┌svc┐  ┌svc┐                            Pods (pause + containers), each over its veth
 *   ┌ node-1 ────────────┐ ┌ node-2 ──────┐           │ enslaved
 *   │ pod pod pod        │ │ pod pod      │       bridge (cni0)
 *   │ cni0 eth0 flannel.1│═│flannel.1 cni0│           │
 *   └────────┬───────────┘ └───┬──────────┘       netfilter: PREROUTING → routing → INPUT/FORWARD → OUTPUT → POSTROUTING
 *   ═════════╧═ infra/underlay ╧═══════════           │
 *     ▭ external hosts                            flannel.1 / tunl0 / kube-ipvs0 → eth0 → underlay
 */
import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { Diagnostic } from '../../engine';
import type { LinkSnap, NsSnap, PodSnap, Snapshot } from '../../worker/snapshot';
import type { View } from '../store';
import { deviceAddresses, nodeAddresses, nodePodCIDRs, nodeSubtitle, nodeTitleLine, podAddresses, primaryFamily, serviceAddresses, shownDeviceAddresses, type Family } from './addresses';
import { layoutCluster, SIZE, type LayoutMemory } from './layout';

export type EdgeKind = 'veth' | 'bridge' | 'tunnel' | 'underlay' | 'endpoint' | 'l3';

/** `subtitle`: the title line's text; `full`: every address and range (its tooltip); `cut`: where a subtitle too long is cut (two addresses: in the middle, keeping both ends). */
export interface MachineData { [k: string]: unknown; knpId: string; title: string; subtitle: string; full: string; cut: 'start' | 'middle'; role: 'node' | 'control-plane'; summary?: MachineSummary }
/**
 * What the cluster view says about a machine when it is zoomed out too far to read its Pods
 * (nodes.tsx MachineNode): its addresses, Pod ranges, how many Pods run there and its network
 * devices (bridge, tunnels, eth0).
 */
export interface MachineSummary { ips: string[]; podCIDRs: string[]; pods: number; running: number; devices: string[] }
/** A warning the engine gave about the object a node draws (a Service with no endpoints, ...). */
export type ObjectWarning = Diagnostic;
/** `ip`: the primary address (or Pending); `addrs`: every address drawn, primary family first (two on a dual-stack Pod). */
export interface PodData { [k: string]: unknown; knpId: string; name: string; namespace: string; ip: string; addrs: string[]; phase: string; system: boolean; containers: string[]; warnings?: readonly ObjectWarning[] }
/** `addr`: the first address drawn; `addrs`: those the box draws (two lines in the kernel view for both families); `all`: every one. */
export interface DeviceData { [k: string]: unknown; knpId: string; name: string; kind: string; addr: string; addrs: string[]; all: string[]; detail: string; up: boolean }
export interface ServiceData { [k: string]: unknown; knpId: string; name: string; namespace: string; type: string; ip: string; addrs: string[]; ports: string[]; warnings?: readonly ObjectWarning[] }
export interface HostData { [k: string]: unknown; knpId: string; name: string; ip: string }
export interface UnderlayData { [k: string]: unknown; knpId: string; cidr: string; width: number }
export interface NetfilterData { [k: string]: unknown; knpId: string; node: string; chains: NsSnap['chains']; activeHook?: string }
export interface LinkData { [k: string]: unknown; kind: EdgeKind; label?: string }
/** A node's Pods of one namespace drawn as one counted box (a large cluster); `expanded`: its Pods are drawn too. */
export interface PodGroupData { [k: string]: unknown; knpId: string; node: string; namespace: string; count: number; running: number; expanded: boolean }
/** A namespace's Services drawn as one counted box (a large cluster); `expanded`: its Services are drawn too. */
export interface ServiceGroupData { [k: string]: unknown; knpId: string; namespace: string; count: number; shown: number; expanded: boolean }

export type FlowNode =
  | Node<MachineData, 'machine'> | Node<PodData, 'pod'> | Node<DeviceData, 'device'> | Node<ServiceData, 'service'>
  | Node<HostData, 'host'> | Node<UnderlayData, 'underlay'> | Node<NetfilterData, 'netfilter'> | Node<PodGroupData, 'podgroup'>
  | Node<ServiceGroupData, 'servicegroup'>;
export type FlowEdge = Edge<LinkData, 'link'>;

export interface Flow {
  readonly nodes: FlowNode[];
  readonly edges: FlowEdge[];
  /** What this layout placed where: pass it to the next toFlow so surviving ids stay put. */
  readonly memory?: LayoutMemory;
}

type Positions = Readonly<Record<string, { x: number; y: number }>>;

export { SIZE };

/** Devices that are the interesting part of a node's root namespace, in drawing order. */
const TUNNEL_KINDS = new Set(['vxlan', 'tun', 'ipip']);
/** A Service with more endpoints than this draws one edge per machine instead of one per Pod. */
const MAX_ENDPOINT_EDGES = 16;
/** A dummy device holds Service addresses (kube-proxy's kube-ipvs0, kube-router's kube-dummy-if): drawn inline, no peer. */
const isDummy = (l: LinkSnap): boolean => l.kind === 'dummy';
const isTunnel = (l: LinkSnap): boolean => TUNNEL_KINDS.has(l.kind) || isDummy(l);

/**
 * Over this many Pods on one node, the cluster view draws the node's Pods as one counted group
 * per namespace (`group/NODE/NAMESPACE`), each drawn Pod by Pod only once expanded. The
 * two-node lessons stay under it and look as they always did.
 */
export const POD_GROUP_THRESHOLD = 12;

/** The id of the group a node's Pods of one namespace collapse into. */
export const groupId = (node: string, namespace: string): string => `group/${node}/${namespace}`;

/**
 * Over this many Services, the cluster view draws each namespace's Services (two or more) as
 * one counted group (`svcgroup/NAMESPACE`), its Services drawn one by one only once expanded.
 */
export const SERVICE_GROUP_THRESHOLD = 12;

/** The id of the group a namespace's Services collapse into. */
export const serviceGroupId = (namespace: string): string => `svcgroup/${namespace}`;

/** A canvas id that stands for a group (of Pods or of Services): a click or a zoom opens it. */
export const isGroupId = (id: string): boolean => id.startsWith('group/') || id.startsWith('svcgroup/');

export interface FlowOptions {
  /** Groups (`group/NODE/NAMESPACE`, `svcgroup/NAMESPACE`) drawn with their members. */
  readonly expanded?: ReadonlySet<string>;
  /** Services always drawn on their own, even in a collapsed group: the ones a trace touches. */
  readonly pinned?: ReadonlySet<string>;
}

/**
 * `memory` is the previous call's `Flow.memory` for the same view: ids that survive an edit keep
 * their places and only new ones are laid out (see ./layout.ts). Without it the layout is fresh.
 */
export function toFlow(snap: Snapshot | null, view: View, positions: Positions, memory?: LayoutMemory | null, opts: FlowOptions = {}): Flow {
  if (!snap) return { nodes: [], edges: [] };
  return view.kind === 'kernel' ? kernelFlow(snap, view.node, positions, memory ?? null) : clusterFlow(snap, positions, memory ?? null, opts.expanded ?? new Set(), opts.pinned ?? new Set());
}

const nsMap = (snap: Snapshot): Map<string, NsSnap> => new Map(snap.namespaces.map((n) => [n.id, n]));
const edge = (source: string, target: string, kind: EdgeKind, label?: string): FlowEdge =>
  ({ id: `${kind}:${source}->${target}`, source, target, type: 'link', data: label ? { kind, label } : { kind } });

function podData(p: PodSnap): PodData {
  const addrs = podAddresses(p);
  return { knpId: p.id, name: p.name, namespace: p.namespace, ip: addrs[0] ?? (p.phase === 'Pending' ? 'Pending' : ''), addrs, phase: p.phase, system: p.system, containers: p.containers.map((c) => c.name) };
}

function deviceData(id: string, l: LinkSnap, primary: Family, lines: 1 | 2): DeviceData {
  const all = deviceAddresses(l, primary);
  const addrs = shownDeviceAddresses(all, lines);
  return { knpId: id, name: l.name, kind: l.kind, addr: addrs[0] ?? '', addrs, all, detail: l.detail ?? '', up: l.up };
}

// ─── Cluster view ────────────────────────────────────────────────────────────────────────

function clusterFlow(snap: Snapshot, positions: Positions, memory: LayoutMemory | null, expanded: ReadonlySet<string>, pinned: ReadonlySet<string>): Flow {
  const edges: FlowEdge[] = [];
  const nss = nsMap(snap);
  const primary = primaryFamily(snap);

  const podsByNode = new Map<string, PodSnap[]>();
  for (const p of snap.pods) {
    if (!p.node || p.hostNetwork) continue;
    const list = podsByNode.get(p.node) ?? [];
    list.push(p);
    podsByNode.set(p.node, list);
  }

  // What each machine holds, in drawing order: workloads before system Pods; bridge, tunnels, eth0.
  const machines = snap.nodes.map((n) => {
    const pods = (podsByNode.get(n.name) ?? []).slice().sort((a, b) => Number(a.system) - Number(b.system) || a.id.localeCompare(b.id));
    const links = nss.get(n.id)?.links ?? [];
    const bridge = links.find((l) => l.kind === 'bridge');
    const tuns = links.filter(isTunnel).sort((a, b) => a.name.localeCompare(b.name));
    const eth0 = links.find((l) => l.name === 'eth0') ?? links.find((l) => l.kind === 'ether');
    const devices = [bridge, ...tuns, eth0].filter((l): l is LinkSnap => !!l);
    // Overlay devices with a peer on every other machine; a dummy (kube-ipvs0, also listed) stays inline.
    const overlay = tuns.filter((t) => !isDummy(t));
    // A crowded node: its Pods as one counted group per namespace; an expanded group's Pods follow it.
    const groups: { id: string; namespace: string; pods: PodSnap[]; expanded: boolean }[] = [];
    if (pods.length > POD_GROUP_THRESHOLD) {
      const byNs = new Map<string, PodSnap[]>();
      for (const p of pods) { const l = byNs.get(p.namespace); if (l) l.push(p); else byNs.set(p.namespace, [p]); }
      for (const [namespace, list] of [...byNs].sort((a, b) => Number(a[0] === 'kube-system') - Number(b[0] === 'kube-system') || a[0].localeCompare(b[0]))) {
        const id = groupId(n.name, namespace);
        groups.push({ id, namespace, pods: list, expanded: expanded.has(id) });
      }
    }
    const drawn = groups.length ? groups.flatMap((g) => (g.expanded ? g.pods : [])) : pods;
    const slots = groups.length ? groups.flatMap((g) => [g.id, ...(g.expanded ? g.pods.map((p) => p.id) : [])]) : pods.map((p) => p.id);
    return { n, all: pods, pods: drawn, groups, slots, bridge, tuns, eth0, devices, overlay };
  });
  const hasUnderlay = snap.namespaces.some((n) => n.id === 'infra/underlay') || snap.nodes.length > 0;
  const nodeOfPod = new Map(machines.flatMap((m) => [...m.pods, ...m.groups.flatMap((g) => g.pods)].map((p) => [p.id, m.n.id] as const)));
  // Where a Pod is drawn: itself, or the collapsed group holding it.
  const drawnAs = new Map<string, string>();
  for (const m of machines) {
    for (const p of m.pods) drawnAs.set(p.id, p.id);
    for (const g of m.groups) if (!g.expanded) for (const p of g.pods) drawnAs.set(p.id, g.id);
  }
  const shownAs = (eps: readonly string[]): string[] => [...new Set(eps.flatMap((e) => { const d = drawnAs.get(e); return d ? [d] : []; }))];
  const allServices = [...snap.services].sort((a, b) => a.id.localeCompare(b.id));
  // A crowded cluster: each namespace's Services as one counted group; the drawn ones are those
  // of expanded groups, of namespaces with a single Service, and those a trace touches.
  const svcGroups: { id: string; namespace: string; members: typeof allServices; expanded: boolean }[] = [];
  if (allServices.length > SERVICE_GROUP_THRESHOLD) {
    const byNs = new Map<string, typeof allServices>();
    for (const s of allServices) { const l = byNs.get(s.namespace); if (l) l.push(s); else byNs.set(s.namespace, [s]); }
    for (const [namespace, members] of [...byNs].sort((a, b) => a[0].localeCompare(b[0]))) {
      if (members.length < 2) continue;
      const id = serviceGroupId(namespace);
      svcGroups.push({ id, namespace, members, expanded: expanded.has(id) });
    }
  }
  const folded = new Set(svcGroups.filter((g) => !g.expanded).flatMap((g) => g.members.map((s) => s.id)));
  const services = allServices.filter((s) => !folded.has(s.id) || pinned.has(s.id));
  const lay = layoutCluster({
    groups: machines.map((m) => ({
      id: m.n.id, pods: m.slots, minWidth: titleWidth(m.n),
      devices: m.devices.filter((l) => !m.overlay.includes(l)).map((l) => `${m.n.id}/${l.name}`),
      tunnels: m.overlay.map((l) => `${m.n.id}/${l.name}`),
    })),
    services: [
      ...svcGroups.map((g) => ({ id: g.id, endpoints: shownAs(g.members.flatMap((s) => s.endpoints)) })),
      ...services.map((s) => ({ id: s.id, endpoints: shownAs(s.endpoints) })),
    ],
    hosts: snap.hosts.map((h) => h.id),
    underlay: hasUnderlay ? 'infra/underlay' : null,
  }, memory);
  // Dragged positions win over the layout.
  const at = (id: string): { x: number; y: number } => positions[id] ?? lay.pos.get(id) ?? { x: 0, y: 0 };

  const nodes: FlowNode[] = [];
  const tunnels: string[][] = [];
  for (const { n, all, pods, groups, bridge, tuns, eth0, devices } of machines) {
    const box = lay.size.get(n.id)!;
    const summary: MachineSummary = {
      ips: nodeAddresses(n), podCIDRs: nodePodCIDRs(n), pods: all.length, running: all.filter((p) => p.phase === 'Running').length, devices: devices.map((l) => l.name),
    };
    nodes.push({
      id: n.id, type: 'machine', position: at(n.id), width: box.w, height: box.h,
      data: { knpId: n.id, title: n.name, subtitle: subtitle(n), full: nodeSubtitle(n), cut: (n.ips?.length ?? 0) > 1 ? 'middle' : 'start', role: n.controlPlane ? 'control-plane' : 'node', summary },
    });
    for (const g of groups) {
      nodes.push({
        id: g.id, type: 'podgroup', parentId: n.id, extent: 'parent', position: at(g.id), width: SIZE.pod.w, height: SIZE.pod.h,
        data: { knpId: g.id, node: n.name, namespace: g.namespace, count: g.pods.length, running: g.pods.filter((p) => p.phase === 'Running').length, expanded: g.expanded },
      });
      if (bridge && !g.expanded) edges.push(edge(g.id, `${n.id}/${bridge.name}`, 'veth'));
    }
    for (const p of pods) {
      nodes.push({ id: p.id, type: 'pod', parentId: n.id, extent: 'parent', position: at(p.id), width: SIZE.pod.w, height: SIZE.pod.h, data: podData(p) });
    }
    for (const l of devices) {
      const id = `${n.id}/${l.name}`;
      nodes.push({ id, type: 'device', parentId: n.id, extent: 'parent', position: at(id), width: SIZE.device.w, height: SIZE.device.h, data: deviceData(id, l, primary, 1) });
    }
    // Each Pod's eth0 is one end of a veth pair whose other end is a port of the bridge.
    for (const p of pods) {
      const pns = nss.get(p.id);
      const peer = pns?.links.find((l) => l.name === 'eth0')?.peer;
      if (bridge && peer && peer.ns === n.id) edges.push(edge(p.id, `${n.id}/${bridge.name}`, 'veth', peer.dev));
      else if (bridge && pns) edges.push(edge(p.id, `${n.id}/${bridge.name}`, 'veth'));
    }
    if (eth0) {
      for (const t of tuns) if (!isDummy(t)) edges.push(edge(`${n.id}/${t.name}`, `${n.id}/${eth0.name}`, 'l3'));
      if (hasUnderlay) edges.push(edge(`${n.id}/${eth0.name}`, 'infra/underlay', 'underlay'));
    }
    tunnels.push(tuns.filter((t) => !isDummy(t)).map((t) => `${n.id}/${t.name}`));
  }

  // Tunnels between every pair of nodes (a full mesh, as flannel programs it); capped for big clusters.
  if (tunnels.length <= 8) {
    for (let i = 0; i < tunnels.length; i++) {
      for (let j = i + 1; j < tunnels.length; j++) {
        const a = tunnels[i]![0];
        const b = tunnels[j]![0];
        if (a && b) edges.push(edge(a, b, 'tunnel'));
      }
    }
  }

  if (hasUnderlay) {
    const { w, h } = lay.size.get('infra/underlay')!;
    nodes.push({ id: 'infra/underlay', type: 'underlay', position: lay.pos.get('infra/underlay')!, width: w, height: h, draggable: false, data: { knpId: 'infra/underlay', cidr: underlayCidr(snap), width: w } });
  }

  const drawnSvc = new Set(services.map((s) => s.id));
  for (const g of svcGroups) {
    nodes.push({
      id: g.id, type: 'servicegroup', position: at(g.id), width: SIZE.service.w, height: SIZE.service.h,
      data: { knpId: g.id, namespace: g.namespace, count: g.members.length, shown: g.members.filter((s) => drawnSvc.has(s.id)).length, expanded: g.expanded },
    });
  }
  for (const s of services) {
    nodes.push({
      id: s.id, type: 'service', position: at(s.id), width: SIZE.service.w, height: SIZE.service.h,
      data: { knpId: s.id, name: s.name, namespace: s.namespace, type: s.type, ip: s.clusterIP ?? '', addrs: serviceAddresses(s), ports: [...s.ports] },
    });
    const eps = shownAs(s.endpoints);
    if (eps.length <= MAX_ENDPOINT_EDGES) {
      // An edge to a collapsed group says how many of its Pods are endpoints.
      const inGroup = new Map<string, number>();
      for (const e of s.endpoints) { const d = drawnAs.get(e); if (d && d !== e) inGroup.set(d, (inGroup.get(d) ?? 0) + 1); }
      for (const e of eps) edges.push(inGroup.has(e) ? edge(s.id, e, 'endpoint', `${inGroup.get(e)} endpoints`) : edge(s.id, e, 'endpoint'));
    }
    else {
      // Hundreds of lines say less than one per machine with a count: "12 endpoints on node-3".
      const perNode = new Map<string, number>();
      for (const e of s.endpoints) { const m = drawnAs.has(e) ? nodeOfPod.get(e) : undefined; if (m) perNode.set(m, (perNode.get(m) ?? 0) + 1); }
      for (const [m, k] of [...perNode].sort((a, b) => a[0].localeCompare(b[0]))) edges.push(edge(s.id, m, 'endpoint', `${k} endpoints`));
    }
  }

  for (const h of snap.hosts) {
    nodes.push({ id: h.id, type: 'host', position: at(h.id), width: SIZE.host.w, height: SIZE.host.h, data: { knpId: h.id, name: h.name, ip: h.ip } });
    if (hasUnderlay) edges.push(edge(h.id, 'infra/underlay', 'underlay'));
  }

  return { nodes, edges, memory: lay.memory };
}

/** About how wide a machine's title line draws (name, badge, address and podCIDR), so it is not cut. */
const subtitle = (n: Snapshot['nodes'][number]): string => nodeTitleLine(n);

function titleWidth(n: Snapshot['nodes'][number]): number {
  // The primary family's address and range set the width, as on a single-stack cluster; a dual-stack
  // title's rest is cut at its end (whole on hover), not allowed to widen every machine.
  const primary = `${n.ips?.[0] ?? n.ip} · podCIDR ${n.podCIDRs?.[0] ?? n.podCIDR}`;
  return 56 + n.name.length * 8 + (n.controlPlane ? 96 : 0) + primary.length * 6.7;
}

/** The underlay's ranges, primary first; `max` 1 (the kernel view's short bus): the primary family's only. */
function underlayCidr(snap: Snapshot, max = 2): string {
  return snap.cluster.underlayCIDRs?.slice(0, max).join(' · ') ?? snap.cluster.underlayCIDR;
}

// ─── Kernel view ─────────────────────────────────────────────────────────────────────────

/** Rows of the kernel view's Pod block (a Pod and its veth per row) before it starts a second column. */
const KERNEL_ROWS = 4;
const KERNEL_UNDERLAY = { w: 320, h: 40 } as const;
/** A kernel-view device drawing an address of each family: its name and two address lines. */
const DEVICE_H2 = 60;

function kernelFlow(snap: Snapshot, nodeName: string, positions: Positions, memory: LayoutMemory | null): Flow {
  const nss = nsMap(snap);
  const nodeId = `node/${nodeName}`;
  const root = nss.get(nodeId);
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  // Sorted, so the same snapshot always gives dagre the same graph (and dagre the same picture).
  const pods = snap.pods.filter((p) => p.node === nodeName && !p.hostNetwork).sort((a, b) => a.id.localeCompare(b.id));
  const links = (root?.links.filter((l) => l.kind !== 'loopback') ?? []).slice().sort((a, b) => a.name.localeCompare(b.name));
  const nfId = `${nodeId}/netfilter`;

  // In the kernel view a Pod is its network namespace: held by the pause container, shared by the others.
  for (const p of pods) {
    const d = podData(p);
    nodes.push({ id: p.id, type: 'pod', position: { x: 0, y: 0 }, width: SIZE.pod.w, height: SIZE.pod.h, data: { ...d, containers: ['pause', ...d.containers] } });
  }
  const primary = primaryFamily(snap);
  // A device with both families draws both (one line each), one line taller.
  const devData = new Map(links.map((l) => [l.name, deviceData(`${nodeId}/${l.name}`, l, primary, 2)]));
  const devH = (name: string): number => ((devData.get(name)?.addrs.length ?? 0) > 1 ? DEVICE_H2 : SIZE.device.h);
  for (const l of links) {
    const id = `${nodeId}/${l.name}`;
    nodes.push({ id, type: 'device', position: { x: 0, y: 0 }, width: SIZE.device.w, height: devH(l.name), data: devData.get(l.name)! });
  }
  nodes.push({ id: nfId, type: 'netfilter', position: { x: 0, y: 0 }, width: SIZE.netfilter.w, height: SIZE.netfilter.h, data: { knpId: nfId, node: nodeName, chains: root?.chains ?? null } });
  // A bus under eth0 (placed after dagre below), not one more rank to the right.
  nodes.push({ id: 'infra/underlay', type: 'underlay', position: { x: 0, y: 0 }, width: KERNEL_UNDERLAY.w, height: KERNEL_UNDERLAY.h, data: { knpId: 'infra/underlay', cidr: underlayCidr(snap, 1), width: KERNEL_UNDERLAY.w } });

  for (const p of pods) {
    const peer = nss.get(p.id)?.links.find((l) => l.name === 'eth0')?.peer;
    if (peer && peer.ns === nodeId) edges.push(edge(p.id, `${nodeId}/${peer.dev}`, 'veth', 'eth0 ⇄ ' + peer.dev));
  }
  for (const l of links) {
    const id = `${nodeId}/${l.name}`;
    if (l.master) edges.push(edge(id, `${nodeId}/${l.master}`, 'bridge'));
    else if (l.kind === 'bridge') edges.push(edge(id, nfId, 'l3'));
    else if (l.kind !== 'veth') edges.push(edge(nfId, id, 'l3'));
  }
  const eth0 = links.find((l) => l.name === 'eth0') ?? links.find((l) => l.kind === 'ether');
  if (eth0) {
    // An encapsulated packet leaves through eth0: the tunnel device sits between netfilter and it.
    for (const l of links) if (isTunnel(l) && !isDummy(l)) edges.push(edge(`${nodeId}/${l.name}`, `${nodeId}/${eth0.name}`, 'l3'));
    edges.push(edge(`${nodeId}/${eth0.name}`, 'infra/underlay', 'underlay'));
  }

  // The canvas beside the editor is about three times as wide as it is high (827×280 at
  // 1280×720), so the pipeline runs left to right: Pods, bridge, netfilter, tunnel, eth0,
  // underlay. Top to bottom it was seven ranks tall and fitted at zoom 0.35, too small to read.
  // The Pods and their host-side veths are one block of rows (a Pod, its veth on its right):
  // dagre would make them one rank, 30 Pods tall. dagre places the block and the rest.
  const peerOf = new Map<string, string>();
  for (const p of pods) {
    const peer = nss.get(p.id)?.links.find((l) => l.name === 'eth0')?.peer;
    if (peer && peer.ns === nodeId && links.some((l) => l.name === peer.dev)) peerOf.set(p.id, `${nodeId}/${peer.dev}`);
  }
  const paired = new Set(peerOf.values());
  const cells: { pod?: string; veth?: string }[] = [
    ...pods.map((p) => ({ pod: p.id, ...(peerOf.has(p.id) ? { veth: peerOf.get(p.id)! } : {}) })),
    ...links.filter((l) => l.kind === 'veth' && !paired.has(`${nodeId}/${l.name}`)).map((l) => ({ veth: `${nodeId}/${l.name}` })),
  ];
  const inBlock = new Set(cells.flatMap((c) => [c.pod, c.veth].filter((x): x is string => !!x)));
  // Up to KERNEL_ROWS rows in one column; more cells make more columns, about square overall.
  const rows = cells.length <= KERNEL_ROWS ? Math.max(1, cells.length) : Math.max(KERNEL_ROWS, Math.ceil(Math.sqrt(cells.length * 1.5)));
  const cols = Math.ceil(cells.length / rows);
  const PAIR_GAP = 30;
  const cellW = SIZE.pod.w + PAIR_GAP + SIZE.device.w + 30;
  const cellH = Math.max(SIZE.pod.h, SIZE.device.h) + 16;
  const BLOCK = '\u0000pods';
  const bridge = links.find((l) => l.kind === 'bridge');

  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'LR', nodesep: 18, ranksep: 40, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  const eth0Id = eth0 ? `${nodeId}/${eth0.name}` : null;
  const under = (id: string) => !!eth0Id && id === 'infra/underlay';
  for (const n of nodes) if (!inBlock.has(n.id) && !under(n.id)) g.setNode(n.id, { width: n.width ?? 100, height: n.height ?? 40 });
  if (cells.length) {
    g.setNode(BLOCK, { width: cols * cellW - 30, height: Math.min(cells.length, rows) * cellH - 16 });
    g.setEdge(BLOCK, bridge ? `${nodeId}/${bridge.name}` : nfId);
  }
  for (const e of edges) if (!inBlock.has(e.source) && !inBlock.has(e.target) && !under(e.target)) g.setEdge(e.source, e.target);
  dagre.layout(g);
  const fresh = new Map<string, { x: number; y: number }>();
  for (const n of nodes) {
    const p = g.hasNode(n.id) ? (g.node(n.id) as { x: number; y: number }) : undefined;
    if (p) fresh.set(n.id, { x: p.x - (n.width ?? 0) / 2, y: p.y - (n.height ?? 0) / 2 });
  }
  if (cells.length) {
    const b = g.node(BLOCK) as { x: number; y: number; width: number; height: number };
    const x0 = b.x - b.width / 2;
    const y0 = b.y - b.height / 2;
    cells.forEach((c, i) => {
      const x = x0 + Math.floor(i / rows) * cellW;
      const y = y0 + (i % rows) * cellH;
      if (c.pod) fresh.set(c.pod, { x, y: y + (cellH - 16 - SIZE.pod.h) / 2 });
      if (c.veth) fresh.set(c.veth, { x: x + SIZE.pod.w + PAIR_GAP, y: y + (cellH - 16 - SIZE.device.h) / 2 });
    });
  }
  // The underlay under eth0, its right end no further right than the rest; below everything
  // in its way. The canvas has height to spare, not width.
  const e0 = eth0Id ? fresh.get(eth0Id) : undefined;
  if (e0) {
    const boxes = nodes.flatMap((n) => { const p = fresh.get(n.id); return p && n.id !== 'infra/underlay' ? [{ ...p, w: n.width ?? 0, h: n.height ?? 0 }] : []; });
    const right = Math.max(...boxes.map((b) => b.x + b.w));
    const x = Math.max(Math.min(e0.x + SIZE.device.w / 2 - KERNEL_UNDERLAY.w / 2, right - KERNEL_UNDERLAY.w), 0);
    let y = e0.y + devH(eth0!.name) + 40;
    for (const b of boxes) if (b.x < x + KERNEL_UNDERLAY.w + 12 && x < b.x + b.w + 12 && b.y + b.h + 12 > y && b.y < y + KERNEL_UNDERLAY.h + 12) y = Math.max(y, b.y + b.h + 30);
    fresh.set('infra/underlay', { x, y });
  }

  const placed: { x: number; y: number; w: number; h: number }[] = [];
  const hits = (b: { x: number; y: number; w: number; h: number }) => placed.find((p) => b.x < p.x + p.w + 12 && p.x < b.x + b.w + 12 && b.y < p.y + p.h + 12 && p.y < b.y + b.h + 12);
  const top = new Map<string, { x: number; y: number }>();
  const keptFirst = [...nodes.filter((n) => memory?.top.has(n.id)), ...nodes.filter((n) => !memory?.top.has(n.id))];
  for (const n of keptFirst) {
    const w = n.width ?? 0;
    const h = n.height ?? 0;
    const prev = memory?.top.get(n.id);
    const b = { ...(prev ?? fresh.get(n.id) ?? { x: 0, y: 0 }), w, h };
    // A new device or Pod goes where dagre put it, moved right past anything already there.
    if (!prev) for (let hit = hits(b); hit; hit = hits(b)) b.x = hit.x + hit.w + 22;
    placed.push(b);
    top.set(n.id, { x: b.x, y: b.y });
    n.position = positions[n.id] ?? { x: b.x, y: b.y };
  }
  return { nodes, edges, memory: { top, slots: new Map(), grids: new Map() } };
}

/** Maps where a trace event happened to the canvas node that shows it, most specific first. */
export function locate(where: { machine: string; ns: string; dev?: string }, ids: ReadonlySet<string>): string | null {
  const cands = [
    where.dev ? `${where.ns}/${where.dev}` : '', where.dev ? `${where.machine}/${where.dev}` : '',
    where.ns, where.machine, where.ns.split('#')[0] ?? '',
    // The router and other infrastructure sit on the underlay in the cluster view.
    where.machine.startsWith('infra/') ? 'infra/underlay' : '',
  ];
  for (const c of cands) if (c && ids.has(c)) return c;
  return null;
}

/**
 * The engine's warnings that change what the learner sees, by the canvas node they are about:
 * a Service's own (no endpoints, a targetPort nothing listens on) and, for a NetworkPolicy the
 * CNI does not enforce, each Pod it selects (policies are not drawn themselves).
 */
export function objectWarnings(ds: readonly Diagnostic[], snap: Snapshot | null): Map<string, ObjectWarning[]> {
  const out = new Map<string, ObjectWarning[]>();
  const add = (id: string, d: Diagnostic) => { const l = out.get(id); if (l) l.push(d); else out.set(id, [d]); };
  for (const d of ds) {
    if (d.severity !== 'warning' || !d.subject) continue;
    if (d.subject.startsWith('netpol/')) for (const p of snap?.policies.find((x) => x.id === d.subject)?.pods ?? []) add(p, d);
    else add(d.subject, d);
  }
  return out;
}
