/**
 * Where the cluster view puts things. Pure and deterministic: the same input (and the same
 * memory) always gives the same positions; machines, Services and hosts are sorted by id, and
 * each machine's Pods are taken in the order given (flow.ts: workloads first, then by id).
 *
 *   services rows       ┌svc┐   ┌svc┐          (each above the Pods it sends to; rows
 *                                            wrap at the machines' width, upwards)
 *   machines, a grid    ┌ node-1 ───────┐ ┌ node-2 ───────┐
 *   of groups           │ pod pod pod   │ │ pod pod  ·    │   Pods packed in columns,
 *                       │ pod  ·        │ │               │   one free slot kept
 *                       │ cni0 flannel.1 eth0 │ │ …       │   devices in a row below
 *                       └───────────────┘ └───────────────┘
 *   underlay            ════════════════════════════════════
 *   external hosts      ▭ laptop   ▭ upstream-dns
 *
 * Why not dagre here: dagre ranks a graph, so 30 Pods bridged to one cni0 become one 30-wide
 * rank and ten machines hung off one underlay become one 10-wide row. The cluster view is a
 * containment picture (Pods in machines, machines on a wire), which packing draws better and in
 * linear time; dagre stays for the kernel view, which is a real pipeline.
 *
 * Stability across edits: the previous layout is passed back in as `LayoutMemory`. Ids that
 * survive keep their places (a Pod its grid slot, a top-level box its position); only new ids
 * get fresh places, in a free slot of their machine or beside what is already there. A freshly
 * laid machine has one free Pod slot, so adding a replica moves nothing. A machine only grows
 * when it runs out of slots; then what lies below it is pushed down, never sideways.
 */

export interface Pt { readonly x: number; readonly y: number }
export interface Size { readonly w: number; readonly h: number }

export const SIZE = {
  pod: { w: 176, h: 62 }, device: { w: 150, h: 44 }, service: { w: 232, h: 62 }, host: { w: 150, h: 52 },
  pad: 18, header: 40, gap: 14, rowGap: 46, groupGap: 70, underlayH: 34, netfilter: { w: 250, h: 290 },
} as const;

/** A machine: a group box holding its Pods (packed in a grid) and its devices (a row below). */
export interface GroupInput {
  readonly id: string;
  readonly pods: readonly string[];
  readonly devices: readonly string[];
  /**
   * Tunnel devices (flannel.1, tunl0): drawn at the end of the device row that faces the other
   * machines, so the overlay's lines between machines do not cross this machine's devices.
   */
  readonly tunnels?: readonly string[];
  /** Room the group's title needs, in pixels. */
  readonly minWidth?: number;
}

export interface ClusterInput {
  readonly groups: readonly GroupInput[];
  /** A Service (or a group of them) and the Pods it sends to (placed above their centre). */
  readonly services: readonly { readonly id: string; readonly endpoints: readonly string[] }[];
  readonly hosts: readonly string[];
  /** The underlay wire under every machine, or null when there is none. */
  readonly underlay: string | null;
}

export interface LayoutMemory {
  /** Absolute positions of top-level boxes: machines, Services, hosts. */
  readonly top: ReadonlyMap<string, Pt>;
  /** Each Pod's machine and grid slot. */
  readonly slots: ReadonlyMap<string, { readonly group: string; readonly slot: number }>;
  /** Each machine's grid: columns and how many Pod rows it has room for. */
  readonly grids: ReadonlyMap<string, { readonly cols: number; readonly rows: number }>;
}

export interface ClusterLayout {
  /** Top-level nodes: absolute. Children of a machine: relative to it (as React Flow wants). */
  readonly pos: ReadonlyMap<string, Pt>;
  /** Machines and the underlay. */
  readonly size: ReadonlyMap<string, Size>;
  readonly memory: LayoutMemory;
}

const { pod: P, device: D, pad, header, gap, rowGap, groupGap } = SIZE;
const SERVICE_ROW_GAP = 52;
const UNDERLAY_GAP = 44;
/** Width : height the grid of machines aims for: about the canvas's shape beside the editor. */
const ASPECT = 2;
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Columns for a machine's Pod grid: wider than tall (the canvas beside the editor is about
 * three times as wide as it is high at 1280×720, so a few Pods and their free slot sit in one
 * row and the fitted zoom is set by the width), at least as wide as its device row. Up to
 * five columns that way; a machine with many Pods stays about square.
 */
export function podColumns(pods: number, devices: number): number {
  const devW = devices * (D.w + gap) - gap;
  const fromDevices = Math.floor((devW + gap) / (P.w + gap));
  const rows = Math.max(1, Math.round(Math.sqrt((pods + 1) / 3)));
  const wide = Math.min(5, Math.ceil((pods + 1) / rows));
  return Math.max(2, Math.min(8, Math.max(Math.ceil(Math.sqrt(pods + 1)), wide, fromDevices)));
}

interface Placed { id: string; x: number; y: number; w: number; h: number }
const overlaps = (a: Placed, b: Placed, m: number) =>
  a.x < b.x + b.w + m && b.x < a.x + a.w + m && a.y < b.y + b.h + m && b.y < a.y + a.h + m;

export function layoutCluster(input: ClusterInput, memory?: LayoutMemory | null): ClusterLayout {
  const pos = new Map<string, Pt>();
  const size = new Map<string, Size>();
  const slots = new Map<string, { group: string; slot: number }>();
  const grids = new Map<string, { cols: number; rows: number }>();
  const top = new Map<string, Pt>();
  const absPod = new Map<string, Pt>();

  // ── Inside each machine: Pods into grid slots, devices in a row below. ──
  const groups = [...input.groups].sort((a, b) => byId(a.id, b.id));
  const boxes: Placed[] = [];
  const rowOf = new Map<string, { x0: number; y: number }>();
  for (const g of groups) {
    const pods = [...g.pods];
    const prev = memory?.grids.get(g.id);
    const cols = prev?.cols ?? podColumns(pods.length, g.devices.length + (g.tunnels?.length ?? 0));
    const taken = new Map<number, string>();
    const fresh: string[] = [];
    for (const id of pods) {
      const m = memory?.slots.get(id);
      if (m && m.group === g.id && !taken.has(m.slot)) taken.set(m.slot, id);
      else fresh.push(id);
    }
    let next = 0;
    for (const id of fresh) {
      while (taken.has(next)) next++;
      taken.set(next, id);
    }
    const used = Math.max(-1, ...taken.keys()) + 1;
    // A fresh grid has room for one more Pod; a remembered one keeps its rows until it is full,
    // then grows with one free slot again.
    const rows = !prev ? Math.max(1, Math.ceil((used + 1) / cols))
      : used > prev.rows * cols ? Math.ceil((used + 1) / cols) : prev.rows;
    grids.set(g.id, { cols, rows });
    const podsW = cols * (P.w + gap) - gap;
    const nDev = g.devices.length + (g.tunnels?.length ?? 0);
    const devW = nDev * (D.w + gap) - gap;
    const innerW = Math.max(podsW, devW, 260, (g.minWidth ?? 0) - 2 * pad);
    const devY = header + rows * (P.h + gap) - gap + rowGap;
    const w = innerW + 2 * pad;
    const h = nDev ? devY + D.h + pad : header + rows * (P.h + gap) - gap + pad;
    size.set(g.id, { w, h });
    for (const [slot, id] of taken) {
      slots.set(id, { group: g.id, slot });
      pos.set(id, { x: pad + (slot % cols) * (P.w + gap), y: header + Math.floor(slot / cols) * (P.h + gap) });
    }
    rowOf.set(g.id, { x0: pad + (innerW - devW) / 2, y: devY });
    boxes.push({ id: g.id, x: 0, y: 0, w, h });
  }

  // ── Machines: a grid of groups in name order, about as wide as a screen is. ──
  const avgW = boxes.reduce((a, b) => a + b.w, 0) / Math.max(1, boxes.length);
  const avgH = boxes.reduce((a, b) => a + b.h, 0) / Math.max(1, boxes.length);
  // The row length whose whole picture (with the Services above and the underlay below) is
  // closest to ASPECT; the first such, so ties go to fewer columns.
  let perRow = 1;
  let best = Infinity;
  for (let k = 1; k <= boxes.length; k++) {
    const w = k * (avgW + groupGap);
    const h = Math.ceil(boxes.length / k) * (avgH + groupGap) + 2 * SERVICE_ROW_GAP + SIZE.service.h + SIZE.host.h;
    const score = Math.abs(Math.log(w / h / ASPECT));
    if (score < best - 1e-9) { best = score; perRow = k; }
  }
  const machinesTop = SIZE.service.h + SERVICE_ROW_GAP;
  {
    let y = machinesTop;
    for (let r = 0; r * perRow < boxes.length; r++) {
      const row = boxes.slice(r * perRow, (r + 1) * perRow);
      let x = 0;
      for (const b of row) { b.x = x; b.y = y; x += b.w + groupGap; }
      y += Math.max(...row.map((b) => b.h)) + groupGap;
    }
  }
  // Machines that were drawn before stay; new (or grown) ones are pushed down until free.
  const kept = boxes.filter((b) => memory?.top.has(b.id)).map((b) => { const p = memory!.top.get(b.id)!; b.x = p.x; b.y = p.y; return b; });
  kept.sort((a, b) => a.y - b.y || a.x - b.x || byId(a.id, b.id));
  const placed: Placed[] = [];
  for (const b of [...kept, ...boxes.filter((x) => !memory?.top.has(x.id))]) {
    for (let hit = placed.find((p) => overlaps(p, b, groupGap / 2 - 1)); hit; hit = placed.find((p) => overlaps(p, b, groupGap / 2 - 1))) b.y = hit.y + hit.h + groupGap;
    placed.push(b);
    pos.set(b.id, { x: b.x, y: b.y });
    top.set(b.id, { x: b.x, y: b.y });
  }
  // Device rows: tunnels on the left when there is a machine to the left, else on the right.
  for (const g of groups) {
    const b = placed.find((p) => p.id === g.id)!;
    const leftOf = placed.some((p) => p !== b && p.x < b.x && p.y < b.y + b.h && b.y < p.y + p.h);
    const row = leftOf ? [...(g.tunnels ?? []), ...g.devices] : [...g.devices, ...(g.tunnels ?? [])];
    const { x0, y } = rowOf.get(g.id)!;
    row.forEach((d, i) => pos.set(d, { x: x0 + i * (D.w + gap), y }));
  }
  for (const g of groups) {
    const o = pos.get(g.id)!;
    for (const id of g.pods) { const p = pos.get(id)!; absPod.set(id, { x: o.x + p.x + P.w / 2, y: o.y + p.y }); }
  }
  const minX = placed.length ? Math.min(...placed.map((b) => b.x)) : 0;
  const maxX = placed.length ? Math.max(...placed.map((b) => b.x + b.w)) : 400;
  const bottom = placed.length ? Math.max(...placed.map((b) => b.y + b.h)) : machinesTop;
  const minY = placed.length ? Math.min(...placed.map((b) => b.y)) : machinesTop;

  // ── Services: rows above the machines, each over the centre of its endpoints. ──
  // The rows are no wider than the machines (at least a few Services wide): a Service that
  // would stick out starts a new row above, so a hundred Services never squeeze the machines
  // into a thin strip at the fitted zoom.
  const svcY = minY - SERVICE_ROW_GAP - SIZE.service.h;
  const sw = SIZE.service.w;
  const sh = SIZE.service.h;
  const right = minX + Math.max(maxX - minX, 4 * (sw + gap)) + sw / 2;
  const svcs = input.services.map((s) => {
    const xs = s.endpoints.map((e) => absPod.get(e)?.x).filter((v): v is number => v !== undefined);
    return { id: s.id, cx: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : (minX + maxX) / 2 };
  }).sort((a, b) => a.cx - b.cx || byId(a.id, b.id));
  const row: Placed[] = [];
  for (const s of svcs) { const p = memory?.top.get(s.id); if (p) row.push({ id: s.id, x: p.x, y: p.y, w: sw, h: sh }); }
  const keptSvcs = row.length;
  const rowY = (r: number) => svcY - r * (sh + gap);
  let rows = 1;
  for (const s of svcs) {
    if (memory?.top.has(s.id)) continue;
    let b: Placed | null = null;
    for (let r = 0; !b; r++) {
      // Over its Pods if there is room in this row, else the row's first free place from the left.
      for (const x0 of [s.cx - sw / 2, minX]) {
        const c: Placed = { id: s.id, x: x0, y: rowY(r), w: sw, h: sh };
        for (let hit = row.find((p) => overlaps(p, c, gap - 1)); hit; hit = row.find((p) => overlaps(p, c, gap - 1))) c.x = hit.x + hit.w + gap;
        // A row takes a Service that fits, or any Service when it is still empty.
        if (c.x + sw <= right || !row.some((p) => p.y === c.y)) { b = c; rows = Math.max(rows, r + 1); break; }
      }
    }
    row.push(b);
  }
  // A fresh single row was only pushed right: slide it back so, on average, each Service is
  // over its Pods. (Wrapped rows stay inside the machines' width instead.)
  if (!keptSvcs && row.length && rows === 1) {
    const want = new Map(svcs.map((s) => [s.id, s.cx - sw / 2]));
    const shift = row.reduce((a, b) => a + (want.get(b.id)! - b.x), 0) / row.length;
    for (const b of row) b.x = Math.round(b.x + shift);
  }
  for (const b of row) { pos.set(b.id, { x: b.x, y: b.y }); top.set(b.id, { x: b.x, y: b.y }); }

  // ── The underlay under every machine, the external hosts below it. ──
  const underlayY = bottom + UNDERLAY_GAP;
  if (input.underlay) {
    pos.set(input.underlay, { x: minX, y: underlayY });
    size.set(input.underlay, { w: Math.max(maxX - minX, 400), h: SIZE.underlayH });
  }
  const hostY = underlayY + SIZE.underlayH + UNDERLAY_GAP;
  const hostRow: Placed[] = [];
  const hosts = [...input.hosts].sort(byId);
  for (const id of hosts) {
    const p = memory?.top.get(id);
    if (p) hostRow.push({ id, x: p.x, y: Math.max(p.y, hostY), w: SIZE.host.w, h: SIZE.host.h });
  }
  let hx = minX;
  for (const id of hosts) {
    if (memory?.top.has(id)) continue;
    const b: Placed = { id, x: hx, y: hostY, w: SIZE.host.w, h: SIZE.host.h };
    for (let hit = hostRow.find((p) => overlaps(p, b, 39)); hit; hit = hostRow.find((p) => overlaps(p, b, 39))) b.x = hit.x + hit.w + 40;
    hostRow.push(b);
    hx = b.x + b.w + 40;
  }
  for (const b of hostRow) { pos.set(b.id, { x: b.x, y: b.y }); top.set(b.id, { x: b.x, y: b.y }); }

  return { pos, size, memory: { top, slots, grids } };
}
