/**
 * Zoom-to-expand for the counted groups of a large cluster (Pods per node and namespace,
 * Services per namespace): zooming in until a collapsed group is drawn big enough to read, with
 * the whole group on screen, draws its members; zooming back out folds the groups that zooming
 * opened (a group opened by a click stays open). Pure: the canvas passes the groups' boxes in
 * screen pixels and what the last zoom opened; it gets back what to open and what to fold.
 */

/** At this zoom a group's members are readable: a collapsed group on screen opens. */
export const EXPAND_ZOOM = 0.6;
/** Below this zoom, the groups zooming opened fold again (lower than EXPAND_ZOOM: no flicker). */
export const COLLAPSE_ZOOM = 0.45;
/** At most this many groups open per zoom step, the ones nearest the middle of the canvas. */
export const MAX_OPEN_PER_ZOOM = 4;

export interface ScreenBox { readonly id: string; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly expanded: boolean }

export interface ZoomGroupsInput {
  readonly zoom: number;
  readonly previousZoom: number;
  /** The canvas's size in screen pixels. */
  readonly width: number;
  readonly height: number;
  readonly groups: readonly ScreenBox[];
  /** Groups that an earlier zoom opened and are still open. */
  readonly opened: ReadonlySet<string>;
}

export function zoomGroups(i: ZoomGroupsInput): { open: string[]; close: string[] } {
  // Only a change of zoom acts: panning (or the camera following a packet) opens nothing.
  if (Math.abs(i.zoom - i.previousZoom) < 1e-6) return { open: [], close: [] };
  if (i.zoom < i.previousZoom) {
    return { open: [], close: i.zoom < COLLAPSE_ZOOM ? [...i.opened].sort() : [] };
  }
  if (i.zoom < EXPAND_ZOOM) return { open: [], close: [] };
  const cx = i.width / 2;
  const cy = i.height / 2;
  const inView = i.groups.filter((g) => !g.expanded && g.x >= 0 && g.y >= 0 && g.x + g.w <= i.width && g.y + g.h <= i.height);
  const dist = (g: ScreenBox) => Math.hypot(g.x + g.w / 2 - cx, g.y + g.h / 2 - cy);
  inView.sort((a, b) => dist(a) - dist(b) || (a.id < b.id ? -1 : 1));
  return { open: inView.slice(0, MAX_OPEN_PER_ZOOM).map((g) => g.id), close: [] };
}
