/**
 * Replays the traces on the canvas: one packet per run, moving to the node where the current
 * event happened. Encapsulated packets are drawn as a packet inside a packet. With
 * prefers-reduced-motion the packets jump instead of gliding. The animation only replays the
 * trace; it never decides anything.
 *
 * Packets keep their size on screen at any zoom (a 300-Pod cluster fits at about 0.15, where
 * an 18 px dot would be 3 px), and packets standing on the same node spread into a small grid
 * resting on its top edge (restingDy), so ten requests to a Service show as ten dots over their
 * endpoints and no dot hides the name of the device it is on.
 *
 * No React render per step: React draws one empty element per packet when the runs change; a
 * store subscription moves them on a replay step (a map lookup per packet, a class, a label and
 * one transform glide each, through framer-motion's animate(), which hands it to Web Animations
 * so the compositor runs it without the main thread).
 * A glide interrupted by the next step starts from where the packet is on screen.
 */
import { ViewportPortal, useReactFlow, useStore, type ReactFlowState } from '@xyflow/react';
import { useContext, useLayoutEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { animate, easeInOut, type AnimationPlaybackControls } from 'framer-motion';
import type { Packet } from '../../engine/net/packet';
import { locate } from '../canvas/flow';
import { select, StoreContext, useApp, type AppState } from '../store';

const HUES = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];
/** Screen pixels between packets sharing a node, and packets per row of that grid. */
const GAP = 13;
const PER_ROW = 5;
/** A glide at 1×, in milliseconds. */
const GLIDE_MS = 550;

export function protoOf(p: Packet | undefined): string {
  if (!p) return '';
  if (p.arp) return 'ARP';
  if (p.vxlan) return 'VXLAN';
  if (p.inner) return p.ip?.protocol === 4 ? 'IPIP' : 'UDP';
  if (p.tcp) return 'TCP';
  if (p.udp) return 'UDP';
  // Neighbour discovery is IPv6's ARP: named like it, not as one more ICMPv6 packet.
  if (p.icmp && p.ip?.version === 6) return p.icmp.type === 135 || p.icmp.type === 136 ? 'NDP' : 'ICMPv6';
  if (p.icmp) return 'ICMP';
  return p.ip ? 'IP' : '';
}

const zoomSelector = (s: ReactFlowState): number => s.transform[2];

/** Offset of the k-th of n packets on one spot, in packet units, centred on the spot. */
export function fanOut(k: number, n: number): { dx: number; dy: number } {
  if (n <= 1) return { dx: 0, dy: 0 };
  const cols = Math.min(n, PER_ROW);
  const rows = Math.ceil(n / PER_ROW);
  return { dx: ((k % PER_ROW) - (cols - 1) / 2) * GAP, dy: (Math.floor(k / PER_ROW) - (rows - 1) / 2) * GAP };
}

/**
 * Where packets rest on a node, in screen pixels from its top edge: just above it, the grid of
 * packets sharing it growing upwards, so no dot (18 px and its 3 px ring) sits on the node's
 * name and address. (Centred on the node, a dot covered a device's label at the fitted zoom of
 * a big cluster, where a device is about as small on screen as the dot.)
 */
export function restingDy(n: number): number {
  const rows = Math.ceil(Math.max(1, n) / PER_ROW);
  return -(12 + ((rows - 1) / 2) * GAP);
}

/** What one packet shows; the DOM is rewritten only when this changes. */
interface Look { readonly cls: string; readonly proto: string; readonly encap: boolean; readonly dropped: boolean; readonly label: string | null }
/** Where one packet stands (canvas units, and its scale) and its running glide. */
interface Place { x: number; y: number; s: number; anim: AnimationPlaybackControls | null; from: readonly [number, number, number]; look: Look | null }

const transformOf = (x: number, y: number, s: number): string => `translate(${x}px, ${y}px) scale(${s})`;

function drawLook(el: HTMLElement, look: Look): void {
  el.className = look.cls;
  el.style.zIndex = look.label !== null ? '1001' : '1000';
  el.replaceChildren();
  const dot = document.createElement('div');
  dot.className = 'knp-packet-dot';
  if (look.encap) {
    const outer = document.createElement('div');
    outer.className = 'knp-packet-outer';
    const tag = document.createElement('span');
    tag.className = 'knp-packet-tag';
    tag.textContent = look.proto;
    outer.append(tag, dot);
    el.append(outer);
  } else {
    if (look.dropped) dot.textContent = '✕';
    el.append(dot);
  }
  if (look.label !== null) {
    const label = document.createElement('div');
    label.className = 'knp-packet-label';
    label.textContent = look.label;
    el.append(label);
  }
}

export function PacketLayer({ ids }: { ids: ReadonlySet<string> }) {
  const count = useApp((s) => s.runs.length);
  const zoom = useStore(zoomSelector);
  const store = useContext(StoreContext);
  const rf = useReactFlow();
  const { t } = useTranslation();
  const els = useRef<(HTMLDivElement | null)[]>([]);
  const places = useRef<Place[]>([]);

  useLayoutEffect(() => {
    if (!store) return;
    // Packets grow as the canvas shrinks, so they stay readable; never smaller than drawn.
    const scale = Math.max(1, 1 / zoom);
    let shown: readonly unknown[] | null = null;
    let lead = -1;
    // `glide`: false when the zoom or the graph changed (the packets are put where they belong).
    const update = (s: AppState, glide: boolean) => {
      const events = select.runEvents(s);
      // The same events as last time (a store change that is not a step): nothing moves.
      if (glide && lead === s.primary && shown && shown.length === events.length && events.every((e, i) => e === shown![i])) return;
      shown = events;
      lead = s.primary;
      const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
      const duration = reduced ? 0 : GLIDE_MS / s.speed;
      const at = events.map((e) => (e ? locate(e.where, ids) : null));
      const onNode = new Map<string, number>();
      const rank = at.map((id) => {
        if (!id) return 0;
        const k = onNode.get(id) ?? 0;
        onNode.set(id, k + 1);
        return k;
      });
      events.forEach((e, i) => {
        const el = els.current[i];
        if (!el) return;
        const id = at[i];
        const n = id ? rf.getInternalNode(id) : undefined;
        if (!e || !id || !n) { el.style.display = 'none'; return; }
        el.style.display = '';
        const p = places.current[i] ??= { x: NaN, y: NaN, s: 1, anim: null, from: [0, 0, 1], look: null };
        const proto = protoOf(e.packet);
        const dropped = e.type === 'drop';
        const encap = !!e.packet?.inner;
        const lead = i === s.primary;
        const label = lead ? `${proto} ${t(`eventType.${e.type}`)}`.trim() : null;
        const look: Look = { cls: `knp-packet ${encap ? 'encap' : ''} ${dropped ? 'dropped' : ''} ${lead ? 'lead' : ''}`, proto, encap, dropped, label };
        const was = p.look;
        if (!was || was.cls !== look.cls || was.proto !== look.proto || was.label !== look.label) { drawLook(el, look); p.look = look; }
        el.dataset['knpAt'] = id;
        el.dataset['motion'] = reduced ? 'jump' : 'glide';
        const w = n.measured.width ?? n.width ?? 0;
        const here = onNode.get(id)!;
        const { dx, dy } = fanOut(rank[i]!, here);
        const x = n.internals.positionAbsolute.x + w / 2 + dx * scale;
        const y = n.internals.positionAbsolute.y + (restingDy(here) + dy) * scale;
        const sc = (dropped ? 0.8 : 1) * scale;
        if (x === p.x && y === p.y && sc === p.s) return;
        // Where the packet is on screen now: the running glide's point, else its resting place.
        let from: [number, number, number] = [p.x, p.y, p.s];
        if (p.anim) {
          const c = p.anim;
          const progress = c.duration > 0 ? easeInOut(Math.min(1, Math.max(0, c.time / c.duration))) : 1;
          from = [0, 1, 2].map((k) => p.from[k]! + ([p.x, p.y, p.s][k]! - p.from[k]!) * progress) as [number, number, number];
          c.cancel();
          p.anim = null;
        }
        const to = transformOf(x, y, sc);
        el.style.transform = to;
        if (glide && duration > 0 && !Number.isNaN(from[0])) {
          // framer-motion hands a transform glide to the browser's Web Animations (the compositor
          // runs it; no React render and no main-thread frame per step).
          const anim = animate(el, { transform: [transformOf(...from), to] }, { duration: duration / 1000, ease: 'easeInOut' });
          p.anim = anim;
          void anim.finished.then(() => { if (p.anim === anim) p.anim = null; });
          p.from = from;
        }
        p.x = x; p.y = y; p.s = sc;
      });
    };
    update(store.getState(), false);
    return store.subscribe((s) => update(s, true));
  }, [store, ids, zoom, count, rf, t]);

  return (
    <ViewportPortal>
      {Array.from({ length: count }, (_, i) => (
        <div
          key={i} ref={(el) => { els.current[i] = el; }} data-knp-packet={i} className="knp-packet"
          style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none', willChange: 'transform', display: 'none', ['--hue' as string]: HUES[i % HUES.length]! }}
        />
      ))}
    </ViewportPortal>
  );
}
