/** The store's playback in the story view: step, tick and the toggle move by story step. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../src/app/store/store';
import { cursorOfStep, stepAt, storyOf } from '../../../src/app/store/story';
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
});
