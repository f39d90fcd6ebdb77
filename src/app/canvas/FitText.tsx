/**
 * A label on the canvas that always fits its box: when the whole text is too wide at the
 * current zoom it is cut in the middle, keeping the start and, longer, the end (the part that
 * tells my-nginx-…-zzkg6 from my-nginx-…-qt5jk, cilium_host from cilium_net, one veth from
 * another), with "…" where the cut is. The whole text is on hover (title) and in data-full; the
 * inspector shows it too. A subtitle (`keep="start"`) is cut at its end instead.
 *
 * Why not CSS's text-overflow: it cuts at the end, so "my-nginx-547b884f79-zzkg6" and
 * "my-nginx-547b884f79-qt5jk" both read "my-ngi…" at the fitted zoom, and two devices look alike.
 *
 * Measuring uses a 2D canvas's measureText (no layout per try). Between FAR_ZOOM and
 * READABLE_ZOOM the canvas draws text at a fixed size on screen (styles.css, "mid"), so the
 * text is measured again when the zoom moves there; at other zooms a label is measured once.
 */
import { useStore, type ReactFlowState } from '@xyflow/react';
import { useLayoutEffect, useRef, useState } from 'react';
// nodes.tsx imports this module too: the constants are read only when a label renders.
import { FAR_ZOOM, READABLE_ZOOM } from './nodes';

/** The zoom as ZoomStyle (Canvas.tsx) quantises it; one value for every zoom outside "mid". */
const midZoom = (s: ReactFlowState): number => {
  const z = Math.max(0.025, Math.floor(s.transform[2] * 40) / 40);
  return z < FAR_ZOOM ? 0 : z >= READABLE_ZOOM ? 1 : z;
};

let ctx: CanvasRenderingContext2D | null | undefined;
function measure(font: string, text: string): number {
  if (ctx === undefined) ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return 0;
  ctx.font = font;
  return ctx.measureText(text).width;
}

/**
 * The longest form of `text` whose width (by `width`) is at most `room`: the text itself, or
 * its start and end around "…" (the end gets 3 of every 5 characters kept), or with
 * keep = 'start' its start and "…". Pure, so it is tested without a browser.
 */
export function fitText(text: string, room: number, width: (s: string) => number, keep: 'middle' | 'start' = 'middle'): string {
  if (width(text) <= room) return text;
  const chars = [...text];
  for (let n = chars.length - 1; n >= 1; n--) {
    const tail = keep === 'start' ? 0 : Math.ceil(n * 0.6);
    const head = n - tail;
    const s = `${chars.slice(0, head).join('').trimEnd()}…${tail ? chars.slice(chars.length - tail).join('').trimStart() : ''}`;
    if (width(s) <= room) return s;
  }
  return '…';
}

export function FitText({ text, className = '', keep = 'middle' }: { text: string; className?: string; keep?: 'middle' | 'start' }) {
  const z = useStore(midZoom);
  const ref = useRef<HTMLSpanElement>(null);
  // The cut form and the text it was cut from: a new text shows whole until it is measured.
  const [fit, setFit] = useState({ text, shown: text });
  const shown = fit.text === text ? fit.shown : text;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const run = () => {
      // Measured with the whole text in place: the box's width does not depend on it (the
      // label is a shrinking flex item or a block, overflow hidden).
      const room = el.clientWidth;
      // Not drawn (display: none at this zoom): nothing to fit yet.
      if (!room) { setFit({ text, shown: text }); return; }
      const cs = getComputedStyle(el);
      // In "mid" the font size is 11.5px / zoom (styles.css); ZoomStyle may not have set
      // --knp-z yet in this commit, so it is computed here from the same quantised zoom.
      const px = z > 0 && z < 1 ? 11.5 / z : parseFloat(cs.fontSize);
      const font = `${cs.fontStyle} ${cs.fontWeight} ${px}px ${cs.fontFamily}`;
      setFit({ text, shown: fitText(text, room + 0.5, (s) => measure(font, s), keep) });
    };
    run();
    // The padding in "mid" follows --knp-z, which ZoomStyle sets after this commit: look again.
    const h = requestAnimationFrame(run);
    return () => cancelAnimationFrame(h);
  }, [text, z, keep]);
  const cut = shown !== text;
  return (
    <span ref={ref} className={`knp-fit ${className}`} title={cut ? text : undefined} data-full={text} data-cut={cut ? 'true' : undefined}>
      {shown}
    </span>
  );
}
