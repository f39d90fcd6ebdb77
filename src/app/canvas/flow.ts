/**
 * Snapshot + view + UI positions → React Flow nodes and edges. Pure: the same inputs always
 * give the same graph, so layouts are stable across edits and a rebuild only moves what changed.
 *
 *   Cluster view                          Kernel view of one node (dagre, top to bottom)
 *   ┌ svc/default/web ┐                     pod namespaces (eth0, containers)
 *   ┌ node/node-1 ──────────────┐               │ veth pair
 *   │ pod  pod  pod             │           host-side veths
 *   │  └──veth──┴── cni0        │               │ enslaved
 *   │      flannel.1    eth0    │           bridge (cni0)
 *   └──────────────────┬────────┘               │
 *   ══════════ infra/underlay ═══           netfilter: PREROUTING → routing → INPUT/FORWARD → OUTPUT → POSTROUTING
 *                                               │
 *                                           flannel.1 / tunl0 / kube-ipvs0 → eth0 → underlay
 */
import dagre from '@dagrejs/dagre';
import type { Edge, Node } from '@xyflow/react';
import type { LinkSnap, NsSnap, PodSnap, Snapshot } from '../../worker/snapshot';
import type { View } from '../store';

export type EdgeKind = 'veth' | 'bridge' | 'tunnel' | 'underlay' | 'endpoint' | 'l3';

export interface MachineData { [k: string]: unknown; knpId: string; title: string; subtitle: string; role: 'node' | 'control-plane' }
export interface PodData { [k: string]: unknown; knpId: string; name: string; namespace: string; ip: string; phase: string; system: boolean; containers: string[] }
export interface DeviceData { [k: string]: unknown; knpId: string; name: string; kind: string; addr: string; detail: string; up: boolean }
export interface ServiceData { [k: string]: unknown; knpId: string; name: string; namespace: string; type: string; ip: string; ports: string[] }
export interface HostData { [k: string]: unknown; knpId: string; name: string; ip: string }
export interface UnderlayData { [k: string]: unknown; knpId: string; cidr: string; width: number }
export interface NetfilterData { [k: string]: unknown; knpId: string; node: string; chains: NsSnap['chains']; activeHook?: string }
export interface LinkData { [k: string]: unknown; kind: EdgeKind; label?: string }

export type FlowNode =
  | Node<MachineData, 'machine'> | Node<PodData, 'pod'> | Node<DeviceData, 'device'> | Node<ServiceData, 'service'>
  | Node<HostData, 'host'> | Node<UnderlayData, 'underlay'> | Node<NetfilterData, 'netfilter'>;
export type FlowEdge = Edge<LinkData, 'link'>;

export interface Flow { readonly nodes: FlowNode[]; readonly edges: FlowEdge[] }

type Positions = Readonly<Record<string, { x: number; y: number }>>;

export const SIZE = {
  pod: { w: 150, h: 62 }, device: { w: 118, h: 44 }, service: { w: 170, h: 62 }, host: { w: 150, h: 52 },
  pad: 18, header: 40, gap: 14, rowGap: 46, groupGap: 70, underlayH: 34, netfilter: { w: 620, h: 96 },
} as const;

/** Devices that are the interesting part of a node's root namespace, in drawing order. */
const TUNNEL_KINDS = new Set(['vxlan', 'tun', 'ipip']);
const isTunnel = (l: LinkSnap): boolean => TUNNEL_KINDS.has(l.kind) || l.name === 'kube-ipvs0';

export function toFlow(snap: Snapshot | null, view: View, positions: Positions): Flow {
  if (!snap) return { nodes: [], edges: [] };
  return view.kind === 'kernel' ? kernelFlow(snap, view.node, positions) : clusterFlow(snap, positions);
}

const nsMap = (snap: Snapshot): Map<string, NsSnap> => new Map(snap.namespaces.map((n) => [n.id, n]));
const v4 = (l: LinkSnap | undefined): string => l?.addrs.find((a) => !a.includes(':')) ?? '';
const edge = (source: string, target: string, kind: EdgeKind, label?: string): FlowEdge =>
  ({ id: `${kind}:${source}->${target}`, source, target, type: 'link', data: label ? { kind, label } : { kind } });

function podData(p: PodSnap): PodData {
  return { knpId: p.id, name: p.name, namespace: p.namespace, ip: p.ip ?? (p.phase === 'Pending' ? 'Pending' : ''), phase: p.phase, system: p.system, containers: p.containers.map((c) => c.name) };
}

function deviceData(id: string, l: LinkSnap): DeviceData {
  return { knpId: id, name: l.name, kind: l.kind, addr: v4(l), detail: l.detail ?? '', up: l.up };
}

// ─── Cluster view ────────────────────────────────────────────────────────────────────────

function clusterFlow(snap: Snapshot, positions: Positions): Flow {
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const nss = nsMap(snap);
  const { pod: P, device: D, pad, header, gap, rowGap } = SIZE;
  const at = (id: string, x: number, y: number) => positions[id] ?? { x, y };
  const absolute = new Map<string, { x: number; y: number }>();

  const podsByNode = new Map<string, PodSnap[]>();
  for (const p of snap.pods) {
    if (!p.node || p.hostNetwork) continue;
    const list = podsByNode.get(p.node) ?? [];
    list.push(p);
    podsByNode.set(p.node, list);
  }

  const top = SIZE.service.h + 70;
  let x = 0;
  let bottom = top;
  const eth0s: string[] = [];
  const tunnels: string[][] = [];
  for (const n of snap.nodes) {
    const pods = (podsByNode.get(n.name) ?? []).slice().sort((a, b) => Number(a.system) - Number(b.system) || a.id.localeCompare(b.id));
    const root = nss.get(n.id);
    const links = root?.links ?? [];
    const bridge = links.find((l) => l.kind === 'bridge');
    const tuns = links.filter(isTunnel);
    const eth0 = links.find((l) => l.name === 'eth0') ?? links.find((l) => l.kind === 'ether');
    const perRow = Math.max(2, Math.min(4, pods.length));
    const podRows = Math.max(1, Math.ceil(pods.length / perRow));
    const devRow = [bridge, ...tuns, eth0].filter((l): l is LinkSnap => !!l);
    const innerW = Math.max(perRow * (P.w + gap) - gap, devRow.length * (D.w + gap) - gap, 260);
    const w = innerW + 2 * pad;
    const devY = header + podRows * (P.h + gap) - gap + rowGap;
    const h = devY + (devRow.length ? D.h + pad : 0) + (devRow.length ? 0 : pad);
    const gpos = at(n.id, x, top);
    nodes.push({
      id: n.id, type: 'machine', position: gpos, width: w, height: h,
      data: { knpId: n.id, title: n.name, subtitle: `${n.ip} · podCIDR ${n.podCIDR}`, role: n.controlPlane ? 'control-plane' : 'node' },
    });
    pods.forEach((p, i) => {
      const rx = pad + (i % perRow) * (P.w + gap);
      const ry = header + Math.floor(i / perRow) * (P.h + gap);
      const pos = at(p.id, rx, ry);
      nodes.push({ id: p.id, type: 'pod', parentId: n.id, extent: 'parent', position: pos, width: P.w, height: P.h, data: podData(p) });
      absolute.set(p.id, { x: gpos.x + pos.x + P.w / 2, y: gpos.y + pos.y });
    });
    const devX0 = pad + (innerW - (devRow.length * (D.w + gap) - gap)) / 2;
    devRow.forEach((l, i) => {
      const id = `${n.id}/${l.name}`;
      nodes.push({ id, type: 'device', parentId: n.id, extent: 'parent', position: at(id, devX0 + i * (D.w + gap), devY), width: D.w, height: D.h, data: deviceData(id, l) });
    });
    // Each Pod's eth0 is one end of a veth pair whose other end is a port of the bridge.
    for (const p of pods) {
      const pns = nss.get(p.id);
      const peer = pns?.links.find((l) => l.name === 'eth0')?.peer;
      if (bridge && peer && peer.ns === n.id) edges.push(edge(p.id, `${n.id}/${bridge.name}`, 'veth', peer.dev));
      else if (bridge && pns) edges.push(edge(p.id, `${n.id}/${bridge.name}`, 'veth'));
    }
    if (eth0) {
      eth0s.push(`${n.id}/${eth0.name}`);
      for (const t of tuns) if (t.name !== 'kube-ipvs0') edges.push(edge(`${n.id}/${t.name}`, `${n.id}/${eth0.name}`, 'l3'));
    }
    tunnels.push(tuns.filter((t) => t.kind !== 'dummy' && t.name !== 'kube-ipvs0').map((t) => `${n.id}/${t.name}`));
    x = gpos.x + w + SIZE.groupGap;
    bottom = Math.max(bottom, gpos.y + h);
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

  const width = Math.max(x - SIZE.groupGap, 400);
  const underlayY = bottom + 60;
  const hasUnderlay = snap.namespaces.some((n) => n.id === 'infra/underlay') || snap.nodes.length > 0;
  if (hasUnderlay) {
    nodes.push({ id: 'infra/underlay', type: 'underlay', position: at('infra/underlay', 0, underlayY), width, height: SIZE.underlayH, draggable: false, data: { knpId: 'infra/underlay', cidr: underlayCidr(snap), width } });
    for (const e of eth0s) edges.push(edge(e, 'infra/underlay', 'underlay'));
  }

  // Services above the nodes, near the Pods they send to.
  const svcs = snap.services.map((s) => {
    const xs = s.endpoints.map((e) => absolute.get(e)?.x).filter((v): v is number => v !== undefined);
    return { s, cx: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : width / 2 };
  }).sort((a, b) => a.cx - b.cx || a.s.id.localeCompare(b.s.id));
  let minX = -Infinity;
  for (const { s, cx } of svcs) {
    const sx = Math.max(cx - SIZE.service.w / 2, minX);
    minX = sx + SIZE.service.w + gap;
    nodes.push({
      id: s.id, type: 'service', position: at(s.id, sx, 0), width: SIZE.service.w, height: SIZE.service.h,
      data: { knpId: s.id, name: s.name, namespace: s.namespace, type: s.type, ip: s.clusterIP ?? '', ports: [...s.ports] },
    });
    for (const e of s.endpoints) if (absolute.has(e)) edges.push(edge(s.id, e, 'endpoint'));
  }

  // External hosts below the underlay.
  snap.hosts.forEach((h, i) => {
    nodes.push({ id: h.id, type: 'host', position: at(h.id, i * (SIZE.host.w + 40), underlayY + SIZE.underlayH + 60), width: SIZE.host.w, height: SIZE.host.h, data: { knpId: h.id, name: h.name, ip: h.ip } });
    if (hasUnderlay) edges.push(edge(h.id, 'infra/underlay', 'underlay'));
  });

  return { nodes, edges };
}

function underlayCidr(snap: Snapshot): string {
  return snap.cluster.underlayCIDR;
}

// ─── Kernel view ─────────────────────────────────────────────────────────────────────────

function kernelFlow(snap: Snapshot, nodeName: string, positions: Positions): Flow {
  const nss = nsMap(snap);
  const nodeId = `node/${nodeName}`;
  const root = nss.get(nodeId);
  const nodes: FlowNode[] = [];
  const edges: FlowEdge[] = [];
  const pods = snap.pods.filter((p) => p.node === nodeName && !p.hostNetwork);
  const links = root?.links.filter((l) => l.kind !== 'loopback') ?? [];
  const nfId = `${nodeId}/netfilter`;

  // In the kernel view a Pod is its network namespace: held by the pause container, shared by the others.
  for (const p of pods) {
    const d = podData(p);
    nodes.push({ id: p.id, type: 'pod', position: { x: 0, y: 0 }, width: SIZE.pod.w, height: SIZE.pod.h, data: { ...d, containers: ['pause', ...d.containers] } });
  }
  for (const l of links) {
    const id = `${nodeId}/${l.name}`;
    nodes.push({ id, type: 'device', position: { x: 0, y: 0 }, width: SIZE.device.w, height: SIZE.device.h, data: deviceData(id, l) });
  }
  nodes.push({ id: nfId, type: 'netfilter', position: { x: 0, y: 0 }, width: SIZE.netfilter.w, height: SIZE.netfilter.h, data: { knpId: nfId, node: nodeName, chains: root?.chains ?? null } });
  nodes.push({ id: 'infra/underlay', type: 'underlay', position: { x: 0, y: 0 }, width: 300, height: SIZE.underlayH, data: { knpId: 'infra/underlay', cidr: underlayCidr(snap), width: 300 } });

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
  if (eth0) edges.push(edge(`${nodeId}/${eth0.name}`, 'infra/underlay', 'underlay'));

  // dagre places the ranks top to bottom; positions the user dragged win.
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 22, ranksep: 56, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { width: n.width ?? 100, height: n.height ?? 40 });
  for (const e of edges) g.setEdge(e.source, e.target);
  dagre.layout(g);
  for (const n of nodes) {
    const p = g.node(n.id) as { x: number; y: number } | undefined;
    n.position = positions[n.id] ?? (p ? { x: p.x - (n.width ?? 0) / 2, y: p.y - (n.height ?? 0) / 2 } : { x: 0, y: 0 });
  }
  return { nodes, edges };
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
