/** The topology canvas: React Flow over the nodes and edges derived from the snapshot. */
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, applyNodeChanges, useReactFlow, type NodeChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { select, useActions, useApp } from '../store';
import { locate, toFlow, type FlowEdge, type FlowNode } from './flow';
import type { LayoutMemory } from './layout';
import { edgeTypes } from './LinkEdge';
import { nodeTypes } from './nodes';

// framer-motion only loads once there is a packet to animate.
const PacketLayer = lazy(() => import('../motion/PacketLayer').then((m) => ({ default: m.PacketLayer })));

const MINIMAP_STYLE = { width: 150, height: 96 };
// Room for the zoom controls on the left and the hint along the bottom edge.
const FIT = { padding: { top: '20px', right: '24px', bottom: '40px', left: '56px' }, duration: 0 } as const;
const minimapColor = (n: { type?: string }): string => (n.type === 'machine' ? 'rgba(99,102,241,.18)' : n.type === 'service' ? '#a78bfa' : n.type === 'underlay' ? '#64748b' : '#60a5fa');

const HOOKS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);

function Flow() {
  const { t } = useTranslation();
  const snap = useApp(select.snapshot);
  const view = useApp(select.view);
  const positions = useApp(select.positions);
  const theme = useApp(select.theme);
  const selected = useApp(select.selected);
  const hasRuns = useApp((s) => s.runs.length > 0);
  const actions = useActions();
  const rf = useReactFlow();

  // Click inspects; Shift-click makes it the packet's source, Alt-click its destination.
  // Handlers keep their identity: new ones would make React Flow re-render every node.
  const snapRef = useRef(snap);
  snapRef.current = snap;
  const pick = useCallback((e: { shiftKey: boolean; altKey: boolean }, id: string) => {
    const s = snapRef.current;
    if (e.shiftKey && /^(pod|node|host)\//.test(id) && id.split('/').length <= 3) { actions.setSend({ from: id }); return; }
    if (e.altKey && s) {
      const pod = s.pods.find((p) => p.id === id);
      const svc = s.services.find((x) => x.id === id);
      const host = s.hosts.find((h) => h.id === id);
      const node = s.nodes.find((n) => n.id === id);
      const to = pod?.ip ?? (svc ? `${svc.name}.${svc.namespace}.svc.cluster.local` : host?.ip ?? node?.ip);
      if (to) { actions.setSend({ to }); return; }
    }
    actions.select(id);
  }, [actions]);
  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)), []);
  const onNodeDragStop = useCallback((_e: unknown, n: FlowNode) => actions.move(n.id, n.position), [actions]);
  const onNodeClick = useCallback((e: { shiftKey: boolean; altKey: boolean }, n: FlowNode) => pick(e, n.id), [pick]);
  const onPaneClick = useCallback(() => actions.select(null), [actions]);

  // Layout memory per view: what the last graph placed where, so an edit only places new ids.
  const memory = useRef(new Map<string, LayoutMemory>());
  const viewKey = view.kind === 'kernel' ? `kernel:${view.node}` : 'cluster';
  const derived = useMemo(() => {
    const f = toFlow(snap, view, positions, memory.current.get(viewKey));
    if (f.memory) memory.current.set(viewKey, f.memory);
    return f;
  }, [snap, view, viewKey, positions]);
  const [nodes, setNodes] = useState<FlowNode[]>(() => derived.nodes);
  const ids = useMemo(() => new Set(derived.nodes.map((n) => n.id)), [derived]);

  // Only the selection changes the node objects. Playback highlights go through a generated
  // stylesheet (PlaybackStyles), so React Flow sees no change at all while packets move.
  const decorated = useMemo(() => derived.nodes.map((n): FlowNode => (selected === n.id ? { ...n, className: 'picked' } : n)), [derived, selected]);
  const edges = derived.edges;

  // Local copy for smooth dragging; the store keeps the final position.
  useEffect(() => setNodes(decorated), [decorated]);
  // The graph for a new snapshot is on screen after this commit (bench/ui.ts measures to here).
  useEffect(() => { if (snap) performance.mark('knp:graph', { detail: snap.generation }); }, [snap]);

  // Fit when the view changes or the first graph arrives; edits keep the viewport.
  const fitted = useRef<string>('');
  useEffect(() => {
    if (derived.nodes.length && fitted.current !== viewKey) {
      fitted.current = viewKey;
      requestAnimationFrame(() => void rf.fitView(FIT));
    }
  }, [derived, viewKey, rf]);

  // A viewport from a share link, applied once the graph has been fitted.
  const cameraGoto = useApp(select.cameraGoto);
  useEffect(() => {
    if (!cameraGoto || !derived.nodes.length) return;
    const h = requestAnimationFrame(() => requestAnimationFrame(() => void rf.setViewport({ x: cameraGoto.x, y: cameraGoto.y, zoom: cameraGoto.zoom })));
    return () => cancelAnimationFrame(h);
  }, [cameraGoto, derived.nodes.length > 0, rf]);

  return (
    <ReactFlow
      onMoveEnd={(_, vp) => actions.setCamera({ x: vp.x, y: vp.y, zoom: vp.zoom })}
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={onNodesChange}
      onNodeDragStop={onNodeDragStop}
      onNodeClick={onNodeClick}
      onPaneClick={onPaneClick}
      colorMode={theme}
      minZoom={0.08}
      maxZoom={2.5}
      nodesConnectable={false}
      proOptions={{ hideAttribution: true }}
      fitView
      fitViewOptions={FIT}
    >
      <Background gap={22} size={1} />
      <Controls showInteractive={false} fitViewOptions={FIT} />
      <MiniMap pannable zoomable className="knp-minimap" nodeStrokeWidth={2} style={MINIMAP_STYLE} nodeColor={minimapColor} />
      <PlaybackStyles ids={ids} edges={derived.edges} nodes={nodes} />
      {hasRuns && <Suspense fallback={null}><PacketLayer ids={ids} /></Suspense>}
      {!derived.nodes.length && <div className="knp-canvas-empty">{t('canvas.empty')}</div>}
      {derived.nodes.length > 0 && <div className="knp-canvas-hint">{t('canvas.hint')}</div>}
    </ReactFlow>
  );
}

/**
 * Highlights where the packets are now: the devices, the links and the netfilter hook. A step
 * costs O(packets): classes are toggled on the few elements that change (new node objects
 * would make React Flow re-render the canvas; a stylesheet change would restyle all of it).
 */
function PlaybackStyles({ ids, edges, nodes }: { ids: ReadonlySet<string>; edges: readonly FlowEdge[]; nodes: readonly FlowNode[] }) {
  const current = useApp(useShallow((s) => s.runs.map((r) => (s.cursor < 0 ? null : r.trace.events[Math.min(s.cursor, r.trace.events.length - 1)] ?? null))));
  const playing = useApp(select.playing);
  // Where each animated packet is now, and which netfilter hook is running.
  const { hotIds, activeHooks } = useMemo(() => {
    const hotIds = new Set<string>();
    const activeHooks = new Map<string, string>();
    for (const e of current) {
      if (!e) continue;
      const id = locate(e.where, ids);
      if (id) hotIds.add(id);
      const chain = String(e.detail?.['hook'] ?? e.detail?.['chain'] ?? '');
      if (e.type === 'netfilter' && HOOKS.has(chain)) activeHooks.set(`${e.where.machine}/netfilter`, chain);
      if (e.type === 'route') activeHooks.set(`${e.where.machine}/netfilter`, 'routing');
    }
    return { hotIds, activeHooks };
  }, [current, ids]);
  // The link between two hot nodes lights up: found by its ends, not by scanning every edge.
  const edgeByEnds = useMemo(() => {
    const m = new Map<string, string[]>();
    for (const e of edges) {
      for (const k of [`${e.source}\n${e.target}`, `${e.target}\n${e.source}`]) {
        const l = m.get(k);
        if (l) l.push(e.id);
        else m.set(k, [e.id]);
      }
    }
    return m;
  }, [edges]);

  // Tunnel dashes stop moving while packets play (styles.css): one less repaint per frame.
  useEffect(() => {
    const root = document.querySelector<HTMLElement>('[data-testid=canvas]');
    if (!root) return;
    root.toggleAttribute('data-playing', playing);
    return () => root.removeAttribute('data-playing');
  }, [playing]);

  const applied = useRef<Element[]>([]);
  // Selector → elements, kept while the nodes stay the same: with 300 Pods on the canvas a
  // document query per packet per step costs more than the step itself.
  const found = useRef(new Map<string, Element[]>());
  useEffect(() => { found.current = new Map(); }, [nodes, edges]);
  useEffect(() => {
    const root = document.querySelector('[data-testid=canvas]');
    if (!root) return;
    const q = (id: string) => `"${id.replace(/["\\]/g, '\\$&')}"`;
    const next: Element[] = [];
    const lookup = (sel: string): Element[] => {
      let els = found.current.get(sel);
      if (!els || !els.every((el) => el.isConnected)) { els = [...root.querySelectorAll(sel)]; found.current.set(sel, els); }
      return els;
    };
    const mark = (sel: string, cls: string) => lookup(sel).forEach((el) => { el.classList.add(cls); next.push(el); });
    const hot = [...hotIds];
    for (const id of hot) mark(`.react-flow__node[data-id=${q(id)}]`, 'hot');
    for (let a = 0; a < hot.length; a++) {
      for (let b = a + 1; b < hot.length; b++) {
        for (const e of edgeByEnds.get(`${hot[a]}\n${hot[b]}`) ?? []) mark(`.react-flow__edge[data-id=${q(e)}]`, 'hot');
      }
    }
    for (const [nf, hook] of activeHooks) mark(`[data-knp-id=${q(`${nf}/${hook}`)}]`, 'active');
    const keep = new Set(next);
    for (const el of applied.current) if (!keep.has(el)) el.classList.remove('hot', 'active');
    applied.current = next;
    // Re-applied after React re-renders the nodes (their className is React's to set).
  }, [hotIds, activeHooks, edgeByEnds, nodes]);
  return null;
}

export function Canvas() {
  return (
    <div className="knp-canvas" data-testid="canvas">
      <ReactFlowProvider>
        <Flow />
      </ReactFlowProvider>
    </div>
  );
}
