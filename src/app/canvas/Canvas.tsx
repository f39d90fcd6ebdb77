/** The topology canvas: React Flow over the nodes and edges derived from the snapshot. */
import { Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, applyNodeChanges, useOnViewportChange, useReactFlow, useStore as useFlowStore, useStoreApi, type NodeChange, type ReactFlowState, type Viewport } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { select, useActions, useApp } from '../store';
import { machineAt, serviceAt, trailOf } from './follow';
import { isGroupId, locate, objectWarnings, toFlow, type FlowEdge, type FlowNode } from './flow';
import { SIZE, type LayoutMemory } from './layout';
import { edgeTypes } from './LinkEdge';
import { FAR_ZOOM, nodeTypes as baseNodeTypes, READABLE_ZOOM } from './nodes';
import { PodGroupNode, ServiceGroupNode } from './PodGroup';
import { zoomGroups } from './zoomgroups';

const nodeTypes = { ...baseNodeTypes, podgroup: PodGroupNode, servicegroup: ServiceGroupNode };
/** Past this many canvas nodes (a large cluster), React Flow draws only those in the viewport. */
const RENDER_VISIBLE_ONLY = 150;

// The packet layer only loads once there is a packet to animate.
const PacketLayer = lazy(() => import('../motion/PacketLayer').then((m) => ({ default: m.PacketLayer })));

const MINIMAP_STYLE = { width: 150, height: 96 };
// Room for the zoom controls on the left and the hint along the bottom edge: at the fitted
// zoom no overlay covers a device. (The follow toggle is in the player's bar, not over the
// canvas, so the canvas's whole height goes to the cluster.)
const FIT = { padding: { top: '12px', right: '16px', bottom: '30px', left: '52px' }, duration: 0 } as const;
const minimapColor = (n: { type?: string }): string => (n.type === 'machine' ? 'rgba(99,102,241,.18)' : n.type === 'service' || n.type === 'servicegroup' ? '#a78bfa' : n.type === 'underlay' ? '#64748b' : '#60a5fa');

const HOOKS = new Set(['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']);
const PLAYBACK_CLASSES = ['hot', 'active', 'trail', 'svc-acting'] as const;

function Flow() {
  const { t } = useTranslation();
  const snap = useApp(select.snapshot);
  const view = useApp(select.view);
  const positions = useApp(select.positions);
  const theme = useApp(select.theme);
  const selected = useApp(select.selected);
  const hasRuns = useApp((s) => s.runs.length > 0);
  // A stale trace is not drawn: its packets would move through a network that no longer exists.
  const stale = useApp(select.stale);
  const diagnostics = useApp(select.diagnostics);
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
    // A group (of Pods or Services) opens or folds; it has nothing to inspect of its own.
    if (isGroupId(id)) { actions.toggleGroup(id); return; }
    actions.select(id);
  }, [actions]);
  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => setNodes((ns) => applyNodeChanges(changes, ns)), []);
  const onNodeDragStop = useCallback((_e: unknown, n: FlowNode) => actions.move(n.id, n.position), [actions]);
  const onNodeClick = useCallback((e: { shiftKey: boolean; altKey: boolean }, n: FlowNode) => pick(e, n.id), [pick]);
  const onPaneClick = useCallback(() => actions.select(null), [actions]);

  // Layout memory per view: what the last graph placed where, so an edit only places new ids.
  const memory = useRef(new Map<string, LayoutMemory>());
  const viewKey = view.kind === 'kernel' ? `kernel:${view.node}` : 'cluster';
  const expandedList = useApp(select.expanded);
  const expanded = useMemo(() => new Set(expandedList), [expandedList]);
  // The Services the traces go through are drawn even when their namespace's group is folded.
  const runs = useApp(select.runs);
  const pinnedKey = useMemo(() => {
    const out = new Set<string>();
    for (const r of runs) for (const e of r.trace.events) { const svc = serviceAt(e); if (svc) out.add(svc); }
    return [...out].sort().join('\n');
  }, [runs]);
  const pinned = useMemo(() => new Set(pinnedKey ? pinnedKey.split('\n') : []), [pinnedKey]);
  const derived = useMemo(() => {
    const f = toFlow(snap, view, positions, memory.current.get(viewKey), { expanded, pinned });
    if (f.memory) memory.current.set(viewKey, f.memory);
    return f;
  }, [snap, view, viewKey, positions, expanded, pinned]);
  const [nodes, setNodes] = useState<FlowNode[]>(() => derived.nodes);
  const ids = useMemo(() => new Set(derived.nodes.map((n) => n.id)), [derived]);

  // Only the selection changes the node objects. Playback highlights go through a generated
  // stylesheet (PlaybackStyles), so React Flow sees no change at all while packets move.
  // Warnings change the few node objects they are about, when the diagnostics change.
  const warnings = useMemo(() => objectWarnings(diagnostics, snap), [diagnostics, snap]);
  const decorated = useMemo(() => derived.nodes.map((n): FlowNode => {
    let x = selected === n.id ? { ...n, className: 'picked' } : n;
    const w = warnings.get(n.id);
    if (w && (x.type === 'service' || x.type === 'pod')) x = { ...x, data: { ...x.data, warnings: w } } as FlowNode;
    return x;
  }), [derived, selected, warnings]);
  const edges = derived.edges;

  // Local copy for smooth dragging; the store keeps the final position.
  useEffect(() => setNodes(decorated), [decorated]);
  // The graph for a new snapshot is on screen after this commit (bench/ui.ts measures to here).
  useEffect(() => { if (snap) performance.mark('knp:graph', { detail: snap.generation }); }, [snap]);

  // The stylesheet hides a machine's contents under its summary in the cluster view only.
  useEffect(() => {
    const root = document.querySelector<HTMLElement>('[data-testid=canvas]');
    if (root) root.dataset['view'] = view.kind;
  }, [view.kind]);
  // Fit when the view changes or the first graph arrives; edits keep the viewport.
  const fitted = useRef<string>('');
  const [fitZoom, setFitZoom] = useState(0);
  useEffect(() => {
    if (derived.nodes.length && fitted.current !== viewKey) {
      fitted.current = viewKey;
      requestAnimationFrame(() => void rf.fitView(FIT).then(() => setFitZoom(rf.getZoom())));
    }
  }, [derived, viewKey, rf]);
  // When the canvas changes size (a lesson docks and the editor's column widens, the window or
  // a split moves) and the learner has not zoomed since the fit, fit again: a graph fitted to
  // the old size would run off the new one.
  const fitZoomRef = useRef(0);
  fitZoomRef.current = fitZoom;
  useEffect(() => {
    const el = document.querySelector<HTMLElement>('[data-testid=canvas]');
    if (!el || typeof ResizeObserver === 'undefined') return;
    let last = { w: el.clientWidth, h: el.clientHeight };
    let raf = 0;
    const ro = new ResizeObserver(() => {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(() => {
        const now = { w: el.clientWidth, h: el.clientHeight };
        const moved = Math.abs(now.w - last.w) > 16 || Math.abs(now.h - last.h) > 16;
        if (!moved || !now.w || !now.h) return;
        last = now;
        const z = fitZoomRef.current;
        if (z > 0 && Math.abs(rf.getZoom() - z) < 1e-3) void rf.fitView(FIT).then(() => setFitZoom(rf.getZoom()));
      });
    });
    ro.observe(el);
    return () => { ro.disconnect(); cancelAnimationFrame(raf); };
  }, [rf]);
  // The minimap only helps once the graph no longer fits: zoomed in past the fitted zoom. At
  // the fitted zoom it would sit on top of the devices in the bottom-right corner.
  const zoomedIn = useFlowStore(useCallback((s: ReactFlowState) => fitZoom > 0 && s.transform[2] > fitZoom * 1.1, [fitZoom]));

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
      onlyRenderVisibleElements={derived.nodes.length > RENDER_VISIBLE_ONLY}
      proOptions={{ hideAttribution: true }}
      fitView
      fitViewOptions={FIT}
    >
      <Background gap={22} size={1} />
      <Controls showInteractive={false} fitViewOptions={FIT} />
      {zoomedIn && <MiniMap pannable zoomable className="knp-minimap" nodeStrokeWidth={2} style={MINIMAP_STYLE} nodeColor={minimapColor} />}
      <PlaybackStyles ids={ids} edges={derived.edges} nodes={nodes} stale={stale} />
      {hasRuns && !stale && <Suspense fallback={null}><PacketLayer ids={ids} /></Suspense>}
      <CameraFollow ids={ids} />
      <ZoomExpand nodes={derived.nodes} />
      <ZoomStyle />
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
function PlaybackStyles({ ids, edges, nodes, stale }: { ids: ReadonlySet<string>; edges: readonly FlowEdge[]; nodes: readonly FlowNode[]; stale: boolean }) {
  const current = useApp(useShallow((s) => (stale ? [] : select.runEvents(s))));
  const playing = useApp(select.playing);
  // The followed packet's trail (the nodes it has been on) and the Service acting on it now.
  const primaryEvents = useApp((s) => (stale ? null : s.runs[s.primary]?.trace.events ?? null));
  const cursor = useApp(select.cursor);
  const trail = useMemo(() => (primaryEvents ? trailOf(primaryEvents, cursor, ids) : []), [primaryEvents, cursor, ids]);
  const trailKey = trail.join('\n');
  const litService = useApp((s) => (stale ? null : serviceAt(s.runs[s.primary]?.trace.events[s.cursor])));
  // Where each animated packet is now, and which netfilter hook is running.
  const { hotIds, activeHooks } = useMemo(() => {
    const hotIds = new Set<string>();
    const activeHooks = new Map<string, string>();
    for (const e of current) {
      if (!e) continue;
      const id = locate(e.where, ids);
      if (id) hotIds.add(id);
      if (e.type === 'netfilter' && HOOKS.has(e.detail.hook)) activeHooks.set(`${e.where.machine}/netfilter`, e.detail.hook);
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
    const next = new Map<Element, Set<string>>();
    const lookup = (sel: string): Element[] => {
      let els = found.current.get(sel);
      if (!els || !els.every((el) => el.isConnected)) { els = [...root.querySelectorAll(sel)]; found.current.set(sel, els); }
      return els;
    };
    const mark = (sel: string, cls: string) => lookup(sel).forEach((el) => { const c = next.get(el); if (c) c.add(cls); else next.set(el, new Set([cls])); });
    const hot = [...hotIds];
    for (const id of hot) mark(`.react-flow__node[data-id=${q(id)}]`, 'hot');
    for (let a = 0; a < hot.length; a++) {
      for (let b = a + 1; b < hot.length; b++) {
        for (const e of edgeByEnds.get(`${hot[a]}\n${hot[b]}`) ?? []) mark(`.react-flow__edge[data-id=${q(e)}]`, 'hot');
      }
    }
    for (const [nf, hook] of activeHooks) mark(`[data-knp-id=${q(`${nf}/${hook}`)}]`, 'active');
    const steps = trailKey ? trailKey.split('\n') : [];
    for (const id of steps) if (!hotIds.has(id)) mark(`.react-flow__node[data-id=${q(id)}]`, 'trail');
    for (let i = 1; i < steps.length; i++) for (const e of edgeByEnds.get(`${steps[i - 1]}\n${steps[i]}`) ?? []) mark(`.react-flow__edge[data-id=${q(e)}]`, 'trail');
    if (litService) mark(`.react-flow__node[data-id=${q(litService)}]`, 'svc-acting');
    // Each element gets exactly this step's classes: what it was a step ago goes.
    for (const el of new Set([...applied.current, ...next.keys()])) {
      const want = next.get(el);
      for (const cls of PLAYBACK_CLASSES) el.classList.toggle(cls, !!want?.has(cls));
    }
    applied.current = [...next.keys()];
    // Re-applied after React re-renders the nodes (their className is React's to set).
  }, [hotIds, activeHooks, edgeByEnds, nodes, trailKey, litService]);
  return null;
}

/**
 * Zoom-to-expand (./zoomgroups.ts): when a zoom ends, the collapsed groups it brought close
 * enough open, and zooming back out folds what zooming opened, through the store's `expanded`.
 */
function ZoomExpand({ nodes }: { nodes: readonly FlowNode[] }) {
  const actions = useActions();
  const rf = useReactFlow();
  const expanded = useApp(select.expanded);
  const last = useRef<number | null>(null);
  const opened = useRef(new Set<string>());
  // A group folded by hand (a click) is no longer zooming's to fold.
  for (const id of opened.current) if (!expanded.includes(id)) opened.current.delete(id);
  const groups = useRef(nodes);
  groups.current = nodes;
  // The zoom where the last move ended (or, before any, where this one began), compared with
  // where this one ends: a pan of the camera following a packet in between changes nothing.
  const began = useRef<number | null>(null);
  const onStart = useCallback((vp: Viewport) => { began.current ??= vp.zoom; }, []);
  const onEnd = useCallback((vp: Viewport) => {
    const previous = last.current ?? began.current ?? vp.zoom;
    last.current = vp.zoom;
    const el = document.querySelector<HTMLElement>('[data-testid=canvas]');
    if (!el) return;
    const boxes = groups.current.flatMap((n) => {
      if (n.type !== 'podgroup' && n.type !== 'servicegroup') return [];
      const i = rf.getInternalNode(n.id);
      if (!i) return [];
      const p = i.internals.positionAbsolute;
      return [{ id: n.id, x: p.x * vp.zoom + vp.x, y: p.y * vp.zoom + vp.y, w: (n.width ?? 0) * vp.zoom, h: (n.height ?? 0) * vp.zoom, expanded: n.data.expanded }];
    });
    const { open, close } = zoomGroups({ zoom: vp.zoom, previousZoom: previous, width: el.clientWidth, height: el.clientHeight, groups: boxes, opened: opened.current });
    for (const id of open) opened.current.add(id);
    for (const id of close) opened.current.delete(id);
    if (open.length || close.length) actions.setGroups(open, close);
  }, [actions, rf]);
  useOnViewportChange({ onStart, onEnd });
  return null;
}

/**
 * Tells the stylesheet how far the canvas is zoomed: `data-zoom` (far, mid, near) on the canvas
 * and `--knp-z`, in steps of 1/40 so a wheel zoom restyles the text a few times, not per frame.
 */
// Rounded down: text divided by it is never smaller on screen than asked.
const zoomStep = (s: ReactFlowState): number => Math.max(0.025, Math.floor(s.transform[2] * 40) / 40);
function ZoomStyle() {
  const z = useFlowStore(zoomStep);
  useEffect(() => {
    const root = document.querySelector<HTMLElement>('[data-testid=canvas]');
    if (!root || !z) return;
    root.dataset['zoom'] = z < FAR_ZOOM ? 'far' : z < READABLE_ZOOM ? 'mid' : 'near';
    root.style.setProperty('--knp-z', String(z));
    // A Pod's or a Service's box (less its borders and padding) holds two lines of 11.5 px
    // text (name, address; line-height 1.1 in styles.css) from about 0.46, three (a dual-stack
    // Pod's second address) from about 0.68.
    const lines = Math.floor(((SIZE.pod.h - 3) * z - 2) / (11.5 * 1.1));
    root.dataset['lines'] = String(Math.max(1, Math.min(3, lines)));
  }, [z]);
  return null;
}

/**
 * Keeps the followed packet in view: when the node it is on leaves the middle of the canvas,
 * the camera glides there at the same zoom. With the kernel view open, it switches to the node
 * the packet is on. Keyed off the store's cursor only, so it follows event or story playback.
 */
function CameraFollow({ ids }: { ids: ReadonlySet<string> }) {
  const on = useApp(select.cameraFollow);
  const stale = useApp(select.stale);
  const event = useApp(select.currentEvent);
  const view = useApp(select.view);
  const actions = useActions();
  const rf = useReactFlow();
  const flow = useStoreApi();
  const at = event ? locate(event.where, ids) : null;
  const machine = machineAt(event);

  useEffect(() => {
    if (!on || stale || view.kind !== 'kernel' || !machine || machine === view.node) return;
    actions.setView({ kind: 'kernel', node: machine });
  }, [on, stale, view, machine, actions]);

  useEffect(() => {
    if (!on || stale || !at) return;
    const n = rf.getInternalNode(at);
    // React Flow's own record of the canvas's size: reading the element's box here would lay
    // out the page in the middle of a replay step.
    const { width, height } = flow.getState();
    const box = { width, height };
    if (!n || !width || !height) return;
    const w = n.measured.width ?? n.width ?? 0;
    const h = n.measured.height ?? n.height ?? 0;
    const cx = n.internals.positionAbsolute.x + w / 2;
    const cy = n.internals.positionAbsolute.y + h / 2;
    const { x, y, zoom } = rf.getViewport();
    const sx = cx * zoom + x;
    const sy = cy * zoom + y;
    // Inside the middle 70 % of the canvas: leave the camera alone (no seasick panning).
    if (sx > box.width * 0.15 && sx < box.width * 0.85 && sy > box.height * 0.15 && sy < box.height * 0.85) return;
    const reduced = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    void rf.setCenter(cx, cy, { zoom, duration: reduced ? 0 : 450 });
  }, [on, stale, at, rf, flow]);
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
