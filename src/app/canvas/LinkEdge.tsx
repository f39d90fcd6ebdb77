/** A straight edge from border to border of two nodes, styled by link kind (veth, bridge, tunnel, underlay). */
import { BaseEdge, EdgeLabelRenderer, useInternalNode, type EdgeProps, type Edge, type InternalNode } from '@xyflow/react';
import { memo } from 'react';
import type { LinkData } from './flow';
import { useFar } from './nodes';

function center(n: InternalNode) {
  const w = n.measured.width ?? n.width ?? 0;
  const h = n.measured.height ?? n.height ?? 0;
  return { x: n.internals.positionAbsolute.x + w / 2, y: n.internals.positionAbsolute.y + h / 2, w, h };
}

/** Where the segment from a's centre towards b leaves a's rectangle. */
function border(a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number }) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  if (!dx && !dy) return { x: a.x, y: a.y };
  const sx = dx ? a.w / 2 / Math.abs(dx) : Infinity;
  const sy = dy ? a.h / 2 / Math.abs(dy) : Infinity;
  const s = Math.min(sx, sy, 1);
  return { x: a.x + dx * s, y: a.y + dy * s };
}

export const LinkEdge = memo(({ id, source, target, data }: EdgeProps<Edge<LinkData>>) => {
  const s = useInternalNode(source);
  const t = useInternalNode(target);
  // Zoomed far out the labels are unreadable and each one is a positioned box to re-layer.
  const far = useFar();
  if (!s || !t) return null;
  const a = center(s);
  const kind = data?.kind ?? 'l3';
  // The underlay is a long bus: a machine drops straight down onto it, not to its middle.
  const b = kind === 'underlay' && t.type === 'underlay' ? { ...center(t), x: Math.min(Math.max(a.x, t.internals.positionAbsolute.x + 12), t.internals.positionAbsolute.x + (t.measured.width ?? t.width ?? 0) - 12), w: 0 } : center(t);
  const p = border(a, b);
  const q = border(b, a);
  return (
    <>
      <BaseEdge id={id} path={`M ${p.x} ${p.y} L ${q.x} ${q.y}`} className={`knp-edge kind-${kind}`} />
      {data?.label && !far && (
        <EdgeLabelRenderer>
          <div className="knp-edge-label" style={{ transform: `translate(-50%, -50%) translate(${(p.x + q.x) / 2}px, ${(p.y + q.y) / 2}px)` }}>{data.label}</div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});

export const edgeTypes = { link: LinkEdge };
