/**
 * Packet capture for the shell's tcpdump and `conntrack -E`: while a capture is open on a Sim,
 * every Walker created for it (a ping, a curl, a DNS query) is remembered, and the capture reads
 * the events those walks emitted. Nothing here changes a walk; it only watches.
 *
 * Times: each walk's events carry microseconds since that walk started; a capture lays the walks
 * end to end (a gap of GAP_US between them) so the lines it prints keep their order.
 */
import type { Sim } from '../sim';
import type { TraceEvent } from '../trace/types';

export interface Capture {
  /** The walks' event lists, in the order the walks started. */
  readonly walks: (readonly TraceEvent[])[];
  /** Events already handed out by drain(). */
  read: number;
}

const GAP_US = 1000;
const open = new WeakMap<object, Set<Capture>>();

export function startCapture(sim: Sim): Capture {
  const c: Capture = { walks: [], read: 0 };
  let set = open.get(sim);
  if (!set) { set = new Set(); open.set(sim, set); }
  set.add(c);
  return c;
}

export function stopCapture(sim: Sim, c: Capture): void {
  open.get(sim)?.delete(c);
}

/** Called by every Walker as it starts: open captures keep a live reference to its events. */
export function noteWalk(sim: Sim, events: readonly TraceEvent[]): void {
  const set = open.get(sim);
  if (!set) return;
  for (const c of set) c.walks.push(events);
}

export interface Seen {
  /** Microseconds since the capture started. */
  readonly us: number;
  readonly event: TraceEvent;
}

/**
 * The events seen so far, each once: a walk that copies another walk's events (the DNS lookup
 * before a connection) shares their packet objects, so the copy is recognised and skipped.
 */
export function captured(c: Capture): Seen[] {
  const out: Seen[] = [];
  const seen = new Map<object, Set<string>>();
  let base = 0;
  for (const events of c.walks) {
    let last = 0;
    for (const e of events) {
      last = e.t;
      if (e.packet) {
        const key = `${e.type}|${e.where.ns}|${e.where.dev ?? ''}`;
        let keys = seen.get(e.packet);
        if (!keys) { keys = new Set(); seen.set(e.packet, keys); }
        if (keys.has(key)) continue;
        keys.add(key);
      }
      out.push({ us: base + e.t, event: e });
    }
    if (events.length) base += last + GAP_US;
  }
  return out;
}
