/**
 * The story of a run's trace (src/engine/trace/story.ts), derived once per trace, and the
 * mapping between the replay cursor (an event index) and story steps: in the story view, step,
 * play and the slider move from the end of one step to the end of the next.
 */
import type { Trace } from '../../engine';
import { deriveStory, type StoryStep } from '../../engine/trace/story';

export interface Story {
  readonly steps: readonly StoryStep[];
  /** For each event index, the index of the step that covers it. */
  readonly stepOfEvent: readonly number[];
  /** For each step, the event index of its last event (where the cursor rests on it). */
  readonly endOf: readonly number[];
  /** Event indices by seq. */
  readonly indexOfSeq: ReadonlyMap<number, number>;
}

const cache = new WeakMap<Trace, Story>();

export function storyOf(trace: Trace): Story {
  const hit = cache.get(trace);
  if (hit) return hit;
  const steps = deriveStory(trace);
  const indexOfSeq = new Map(trace.events.map((e, i) => [e.seq, i] as const));
  const stepOfEvent: number[] = new Array<number>(trace.events.length).fill(0);
  const endOf: number[] = [];
  steps.forEach((s, k) => {
    for (const seq of s.events) { const i = indexOfSeq.get(seq); if (i !== undefined) stepOfEvent[i] = k; }
    endOf.push(indexOfSeq.get(s.events[s.events.length - 1]!) ?? 0);
  });
  const story = { steps, stepOfEvent, endOf, indexOfSeq };
  cache.set(trace, story);
  return story;
}

/** The step the cursor is in (-1 before the first event). */
export function stepAt(trace: Trace, cursor: number): number {
  if (cursor < 0) return -1;
  return storyOf(trace).stepOfEvent[cursor] ?? -1;
}

/** The cursor for step `k` (clamped): its last event. */
export function cursorOfStep(trace: Trace, k: number): number {
  const { endOf } = storyOf(trace);
  if (!endOf.length) return -1;
  return endOf[Math.max(0, Math.min(endOf.length - 1, k))]!;
}

/**
 * Where each run stands when the primary run's cursor is at `cursor`. Outside the story view
 * every run shows the same event index. In the story view every run moves by story step: the
 * primary is in step k, so each other run rests at the end of its own step k (its last event
 * once its story is shorter), not at the primary's event index, which would put a run of
 * another length in the middle of some unrelated step.
 */
export function runCursors(traces: readonly Trace[], primary: number, cursor: number, storyView: boolean): number[] {
  const lead = traces[primary];
  if (cursor < 0 || !lead) return traces.map(() => -1);
  if (!storyView) return traces.map((t) => Math.min(cursor, t.events.length - 1));
  const k = stepAt(lead, cursor);
  const leadEnd = cursorOfStep(lead, k);
  return traces.map((t, i) => {
    if (i === primary) return cursor;
    // While the primary is still inside step k (playing by event), the others wait at the end of step k-1.
    const step = cursor < leadEnd ? k - 1 : k;
    return step < 0 ? Math.min(0, t.events.length - 1) : cursorOfStep(t, step);
  });
}
