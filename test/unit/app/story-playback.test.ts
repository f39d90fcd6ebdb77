/** The store's playback in the story view: step, tick and the toggle move by story step. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../src/app/store/store';
import { runEvents } from '../../../src/app/store/select';
import { cursorOfStep, runCursors, stepAt, storyOf } from '../../../src/app/store/story';
import { EngineClient } from '../../../src/worker/client';
import { inProcessTransport } from '../../../src/worker/in-process';

const DEFAULT = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');

async function sent() {
  const store = createAppStore(new EngineClient(() => inProcessTransport()), { yaml: DEFAULT, debounceMs: 0 });
  await store.getState().loadNow();
  store.getState().setSend({ from: 'pod/default/client', to: 'http://my-nginx.default.svc.cluster.local/' });
  await store.getState().sendPacket();
  store.getState().pause();
  return store;
}

describe('story playback', () => {
  it('starts at the end of the first step and steps, ticks and jumps by story step', async () => {
    const store = await sent();
    const trace = store.getState().runs[0]!.trace;
    const { steps, endOf } = storyOf(trace);
    expect(store.getState().storyView).toBe(true);
    expect(store.getState().cursor).toBe(endOf[0]);
    store.getState().step(1);
    expect(store.getState().cursor).toBe(endOf[1]);
    store.getState().step(-1);
    expect(store.getState().cursor).toBe(endOf[0]);
    store.getState().tick();
    expect(stepAt(trace, store.getState().cursor)).toBe(1);
    // From the middle of a step, back goes to the step before; forward finishes this one.
    store.getState().jump(endOf[4]! - 1);
    store.getState().step(-1);
    expect(store.getState().cursor).toBe(endOf[3]);
    store.getState().jump(endOf[4]! - 1);
    store.getState().step(1);
    expect(store.getState().cursor).toBe(endOf[4]);
    store.getState().jump(endOf[steps.length - 1]!);
    store.getState().tick();
    expect(store.getState().playing).toBe(false);
    expect(cursorOfStep(trace, 999)).toBe(trace.events.length - 1);
  });

  it('the toggle switches playback to single events and back to the step the cursor is in', async () => {
    const store = await sent();
    const trace = store.getState().runs[0]!.trace;
    const { endOf } = storyOf(trace);
    store.getState().setStoryView(false);
    const c = store.getState().cursor;
    store.getState().step(1);
    expect(store.getState().cursor).toBe(c + 1);
    store.getState().setStoryView(true);
    expect(store.getState().cursor).toBe(endOf[stepAt(trace, c + 1)]);
  });

  it('with several runs, every run moves by story step, not by the followed run\'s event index', async () => {
    const store = createAppStore(new EngineClient(() => inProcessTransport()), { yaml: DEFAULT, debounceMs: 0 });
    await store.getState().loadNow();
    store.getState().setSend({ from: 'pod/default/client', to: 'http://my-nginx.default.svc.cluster.local/', count: 10 });
    await store.getState().sendPacket();
    store.getState().pause();
    const traces = store.getState().runs.map((r) => r.trace);
    expect(traces.length).toBe(10);
    // The first run resolves and ARPs; later ones hit the caches, so their events are fewer:
    // the same event index would land in a different step in each.
    expect(new Set(traces.map((t) => t.events.length)).size).toBeGreaterThan(1);
    for (let k = 0; k < 6; k++) {
      const s = store.getState();
      expect(stepAt(traces[0]!, s.cursor)).toBe(k);
      const shown = runEvents(s);
      traces.forEach((t, i) => {
        const want = t.events[cursorOfStep(t, k)]!;
        expect(shown[i], `run ${i} at story step ${k}`).toBe(want);
        expect(stepAt(t, t.events.indexOf(shown[i]!))).toBe(Math.min(k, storyOf(t).steps.length - 1));
      });
      store.getState().step(1);
    }
    // Following another run: the others follow its step.
    store.getState().setPrimary(3);
    store.getState().jump(cursorOfStep(traces[3]!, 2));
    const c = runCursors(traces, 3, store.getState().cursor, true);
    traces.forEach((t, i) => expect(c[i]).toBe(cursorOfStep(t, 2)));
    // Outside the story view every run shows the same event index, as before.
    expect(runCursors(traces, 0, 5, false)).toEqual(traces.map((t) => Math.min(5, t.events.length - 1)));
  });
});
