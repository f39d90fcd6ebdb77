/**
 * Playback controls: play, pause, step, jump, speed 0.25×–4×, loop. Drives the store's cursor.
 * From the keyboard: every control is a Tab stop, and outside the editor, the terminal and
 * form fields Space plays or pauses and ←/→ step.
 */
import { useContext, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SPEEDS, StoreContext, cursorOfStep, select, storyOf, useActions, useApp } from '../store';
import { IconPause, IconPlay, IconStepBack, IconStepForward } from '../ui/icons';

/** Milliseconds per event at 1×: a hop to another device takes the glide; steps in place (a
 * rule, a lookup, a conntrack entry) are quick, so a 500-event walk still plays in a minute. */
const HOP_MS = 650;
const IN_PLACE_MS = 110;
/** A story step at 1×: long enough to read its sentence. */
const STORY_STEP_MS = 1400;
/** One frame at 60 Hz: how much lateness a step may carry over to the next one. */
const FRAME_MS = 1000 / 60;

/** Where Space and the arrow keys already mean something else. */
const OWN_KEYS = 'input, textarea, select, button, a, [contenteditable], [role=listbox], [role=slider], .monaco-editor, .xterm, .react-flow__node, .react-flow__edge';

export function Player() {
  const { t } = useTranslation();
  const run = useApp(select.primaryRun);
  const cursor = useApp(select.cursor);
  const playing = useApp(select.playing);
  const speed = useApp(select.speed);
  const loop = useApp(select.loop);
  const actions = useActions();
  const store = useContext(StoreContext);
  const total = run?.trace.events.length ?? 0;
  const storyView = useApp(select.storyView);
  const step = useApp(select.currentStep);
  const steps = run && storyView ? storyOf(run.trace).steps.length : 0;

  // The clock runs in animation frames: a step lands at the start of a frame, so the store
  // update, React's render and the browser's paint of that step share one frame's budget
  // (a timer could fire late in a frame and push the paint into the next one).
  useEffect(() => {
    if (!playing || !store) return;
    let raf = 0;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { if (store.getState().playing) store.getState().tick(); };
    const tickSoon = () => channel.port2.postMessage(null);
    let shown = store.getState().cursor;
    let since = performance.now();
    const frame = (now: number) => {
      const s = store.getState();
      if (!s.playing) return;
      if (s.cursor !== shown) { shown = s.cursor; since = now; }
      const events = s.runs[s.primary]?.trace.events ?? [];
      const cur = events[s.cursor];
      const next = events[s.cursor + 1];
      const moves = !cur || !next || cur.where.ns !== next.where.ns || cur.where.dev !== next.where.dev;
      const wait = (s.storyView ? STORY_STEP_MS : moves ? HOP_MS : IN_PLACE_MS) / s.speed;
      const late = now - since - wait;
      if (late >= 0) {
        // The step runs in a task of its own right after this frame, so its render and the
        // next frame's paint fall on either side of a frame boundary instead of sharing one.
        tickSoon();
        shown = s.cursor + 1;
        // Carry up to a frame of lateness, so quick steps keep their pace on average.
        since = now - Math.min(late, FRAME_MS);
      }
      raf = requestAnimationFrame(frame);
    };
    raf = requestAnimationFrame(frame);
    return () => { cancelAnimationFrame(raf); channel.port1.close(); };
  }, [playing, store]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.target instanceof Element && e.target.closest(OWN_KEYS)) return;
      const s = store?.getState();
      if (!s?.runs.length) return;
      if (e.key === ' ') s.playing ? actions.pause() : actions.play();
      else if (e.key === 'ArrowRight') actions.step(1);
      else if (e.key === 'ArrowLeft') actions.step(-1);
      else return;
      e.preventDefault();
    };
    // Capture phase: React Flow also listens for Space on the window (to pan) and marks the
    // event handled before a bubbling listener would see it.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [actions, store]);

  const disabled = !total;
  const key = (label: string, k: string) => `${label} (${k})`;
  return (
    <div className="knp-player" role="toolbar" aria-label="trace">
      <button type="button" className="knp-icon-btn" data-testid="trace-step-back" onClick={() => actions.step(-1)} disabled={disabled} title={key(t('player.stepBack'), '←')} aria-label={t('player.stepBack')} aria-keyshortcuts="ArrowLeft"><IconStepBack /></button>
      <button type="button" className={`knp-icon-btn ${!playing ? 'primary' : ''}`} data-testid="trace-play" onClick={() => actions.play()} disabled={disabled} aria-pressed={playing} title={key(t('player.play'), t('player.space'))} aria-label={t('player.play')} aria-keyshortcuts="Space"><IconPlay /></button>
      <button type="button" className={`knp-icon-btn ${playing ? 'primary' : ''}`} data-testid="trace-pause" onClick={() => actions.pause()} disabled={disabled} title={key(t('player.pause'), t('player.space'))} aria-label={t('player.pause')} aria-keyshortcuts="Space"><IconPause /></button>
      <button type="button" className="knp-icon-btn" data-testid="trace-step-forward" onClick={() => actions.step(1)} disabled={disabled} title={key(t('player.stepForward'), '→')} aria-label={t('player.stepForward')} aria-keyshortcuts="ArrowRight"><IconStepForward /></button>
      {storyView && run ? (
        <input
          type="range" min={0} max={Math.max(0, steps - 1)} value={Math.max(0, step)} disabled={disabled} data-testid="story-slider"
          onChange={(e) => actions.jump(cursorOfStep(run.trace, Number(e.target.value)))} aria-label={t('story.jump')} className="knp-scrub"
        />
      ) : (
        <input
          type="range" min={0} max={Math.max(0, total - 1)} value={Math.max(0, cursor)} disabled={disabled}
          onChange={(e) => actions.jump(Number(e.target.value))} aria-label={t('player.jump')} className="knp-scrub"
        />
      )}
      <span className="knp-muted knp-small knp-count">{!total ? t('player.noTrace') : storyView ? t('story.step', { n: step + 1, total: steps }) : t('player.event', { n: cursor + 1, total })}</span>
      <label className="knp-inline knp-small">
        <span className="knp-muted">{t('player.speed')}</span>
        <select value={speed} onChange={(e) => actions.setSpeed(Number(e.target.value))} aria-label={t('player.speed')}>
          {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
        </select>
      </label>
      <label className="knp-inline knp-small">
        <input type="checkbox" checked={loop} onChange={() => actions.toggleLoop()} />
        <span>{t('player.loop')}</span>
      </label>
      <FollowToggle />
    </div>
  );
}

/**
 * The toggle for the camera that follows the packet (on by default). It sits with the other
 * playback controls rather than over the canvas, whose height goes to the cluster at 1280×720.
 */
function FollowToggle() {
  const { t } = useTranslation();
  const on = useApp(select.cameraFollow);
  const actions = useActions();
  return (
    <label className="knp-follow knp-inline knp-small" title={t('camera.followHint')}>
      <input type="checkbox" data-testid="camera-follow" checked={on} onChange={(e) => actions.setCameraFollow(e.target.checked)} />
      <span>{t('camera.follow')}</span>
    </label>
  );
}
