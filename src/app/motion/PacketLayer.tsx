/**
 * Replays the traces on the canvas: one packet per run, moving to the node where the current
 * event happened. Encapsulated packets are drawn as a packet inside a packet. With
 * prefers-reduced-motion the packets jump instead of gliding. The animation only replays the
 * trace; it never decides anything.
 *
 * Packets keep their size on screen at any zoom (a 300-Pod cluster fits at about 0.15, where
 * an 18 px dot would be 3 px), and packets standing on the same node spread into a small grid
 * around its centre, so ten requests to a Service show as ten dots over their endpoints.
 * A step costs O(packets): a map lookup per packet and one WAAPI transform animation each,
 * which the compositor runs without the main thread.
 */
import { ViewportPortal, useReactFlow, useStore, type ReactFlowState } from '@xyflow/react';
import { motion, useReducedMotion } from 'framer-motion';
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import type { Packet } from '../../engine/net/packet';
import { locate } from '../canvas/flow';
import { select, useApp } from '../store';

const HUES = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];
/** Screen pixels between packets sharing a node, and packets per row of that grid. */
const GAP = 13;
const PER_ROW = 5;

function protoOf(p: Packet | undefined): string {
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

export function PacketLayer({ ids }: { ids: ReadonlySet<string> }) {
  const events = useApp(useShallow(select.runEvents));
  const speed = useApp(select.speed);
  const primary = useApp(select.primary);
  const zoom = useStore(zoomSelector);
  const reduced = useReducedMotion() ?? false;
  const rf = useReactFlow();
  const { t } = useTranslation();
  // Packets grow as the canvas shrinks, so they stay readable; never smaller than drawn.
  const scale = Math.max(1, 1 / zoom);

  // Where each packet stands: the node it is on and its place among the packets there.
  const at = events.map((e) => (e ? locate(e.where, ids) : null));
  const count = new Map<string, number>();
  const place = at.map((id) => {
    if (!id) return 0;
    const k = count.get(id) ?? 0;
    count.set(id, k + 1);
    return k;
  });

  return (
    <ViewportPortal>
      {events.map((e, i) => {
        const id = at[i];
        const n = id ? rf.getInternalNode(id) : undefined;
        if (!e || !id || !n) return null;
        const w = n.measured.width ?? n.width ?? 0;
        const h = n.measured.height ?? n.height ?? 0;
        const { dx, dy } = fanOut(place[i]!, count.get(id)!);
        const lead = i === primary;
        return (
          <PacketDot
            key={i} i={i} at={id} x={n.internals.positionAbsolute.x + w / 2 + dx * scale} y={n.internals.positionAbsolute.y + h / 2 + dy * scale} scale={scale}
            proto={protoOf(e.packet)} encap={!!e.packet?.inner} dropped={e.type === 'drop'} label={lead ? `${protoOf(e.packet)} ${t(`eventType.${e.type}`)}`.trim() : null}
            reduced={reduced} speed={speed}
          />
        );
      })}
    </ViewportPortal>
  );
}

/**
 * One packet, from plain values only: on a step where a packet stays on its node (a rule, a
 * lookup) its props are equal and it does not re-render; only the labelled one does.
 */
const PacketDot = memo(({ i, at, x, y, scale, proto, encap, dropped, label, reduced, speed }: {
  i: number; at: string; x: number; y: number; scale: number; proto: string; encap: boolean; dropped: boolean; label: string | null; reduced: boolean; speed: number;
}) => (
  <motion.div
    className={`knp-packet ${encap ? 'encap' : ''} ${dropped ? 'dropped' : ''} ${label !== null ? 'lead' : ''}`}
    data-knp-packet={i}
    data-knp-at={at}
    data-motion={reduced ? 'jump' : 'glide'}
    style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none', willChange: 'transform', zIndex: label !== null ? 1001 : 1000, ['--hue' as string]: HUES[i % HUES.length]! }}
    initial={false}
    // One `transform` string, not x/y/scale: framer-motion then hands the glide to the
    // compositor (WAAPI), so a moving packet costs the main thread nothing per frame.
    animate={{ transform: `translate(${x}px, ${y}px) scale(${(dropped ? 0.8 : 1) * scale})` }}
    transition={reduced ? { duration: 0 } : { type: 'tween', ease: 'easeInOut', duration: 0.55 / speed }}
  >
    {encap ? (
      <div className="knp-packet-outer"><span className="knp-packet-tag">{proto}</span><div className="knp-packet-dot" /></div>
    ) : (
      <div className="knp-packet-dot">{dropped ? '✕' : ''}</div>
    )}
    {label !== null && <div className="knp-packet-label">{label}</div>}
  </motion.div>
));
