/**
 * Replays the traces on the canvas: one packet per run, moving to the node where the current
 * event happened. Encapsulated packets are drawn as a packet inside a packet. With
 * prefers-reduced-motion the packets jump instead of gliding. The animation only replays the
 * trace; it never decides anything.
 */
import { ViewportPortal, useReactFlow } from '@xyflow/react';
import { motion, useReducedMotion } from 'framer-motion';
import { useShallow } from 'zustand/react/shallow';
import type { TraceEvent } from '../../engine';
import type { Packet } from '../../engine/net/packet';
import { locate } from '../canvas/flow';
import { select, useApp } from '../store';

const HUES = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#65a30d'];

function protoOf(p: Packet | undefined): string {
  if (!p) return '';
  if (p.arp) return 'ARP';
  if (p.vxlan) return 'VXLAN';
  if (p.inner) return p.ip?.protocol === 4 ? 'IPIP' : 'UDP';
  if (p.tcp) return 'TCP';
  if (p.udp) return 'UDP';
  if (p.icmp) return 'ICMP';
  return p.ip ? 'IP' : '';
}

export function PacketLayer({ ids }: { ids: ReadonlySet<string> }) {
  const events = useApp(useShallow((s) => s.runs.map((r) => (s.cursor < 0 ? null : r.trace.events[Math.min(s.cursor, r.trace.events.length - 1)] ?? null))));
  const speed = useApp(select.speed);
  const reduced = useReducedMotion();
  const rf = useReactFlow();

  const spot = (e: TraceEvent, i: number) => {
    const id = locate(e.where, ids);
    const n = id ? rf.getInternalNode(id) : undefined;
    if (!n) return null;
    const w = n.measured.width ?? n.width ?? 0;
    const h = n.measured.height ?? n.height ?? 0;
    // Several packets on one node fan out a little so each stays visible.
    const dx = ((i % 5) - 2) * 9;
    const dy = Math.floor(i / 5) * 9;
    return { x: n.internals.positionAbsolute.x + w / 2 + dx, y: n.internals.positionAbsolute.y + h / 2 + dy };
  };

  return (
    <ViewportPortal>
      {events.map((e, i) => {
        if (!e) return null;
        const at = spot(e, i);
        if (!at) return null;
        const p = e.packet;
        const encap = !!p?.inner;
        const dropped = e.type === 'drop';
        const hue = HUES[i % HUES.length]!;
        return (
          <motion.div
            key={i}
            className={`knp-packet ${encap ? 'encap' : ''} ${dropped ? 'dropped' : ''}`}
            data-knp-packet={i}
            data-knp-at={locate(e.where, ids) ?? ''}
            style={{ position: 'absolute', left: 0, top: 0, pointerEvents: 'none', willChange: 'transform', ['--hue' as string]: hue }}
            initial={false}
            // One `transform` string, not x/y/scale: framer-motion then hands the glide to the
            // compositor (WAAPI), so a moving packet costs the main thread nothing per frame.
            animate={{ transform: `translate(${at.x}px, ${at.y}px) scale(${dropped ? 0.8 : 1})` }}
            transition={reduced ? { duration: 0 } : { type: 'tween', ease: 'easeInOut', duration: 0.55 / speed }}
          >
            {encap ? (
              <div className="knp-packet-outer"><span className="knp-packet-tag">{protoOf(p)}</span><div className="knp-packet-dot" /></div>
            ) : (
              <div className="knp-packet-dot">{dropped ? '✕' : ''}</div>
            )}
            {i === 0 && <div className="knp-packet-label">{protoOf(p)} {e.type}</div>}
          </motion.div>
        );
      })}
    </ViewportPortal>
  );
}
