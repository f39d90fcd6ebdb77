/** Playback controls: play, pause, step, jump, speed 0.25×–4×, loop. Drives the store's cursor. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { SPEEDS, select, useActions, useApp } from '../store';
import { IconPause, IconPlay, IconStepBack, IconStepForward } from '../ui/icons';

/** Milliseconds per event at 1×: a hop to another device takes the glide; steps in place (a
 * rule, a lookup, a conntrack entry) are quick, so a 500-event walk still plays in a minute. */
const HOP_MS = 650;
const IN_PLACE_MS = 110;

export function Player() {
  const { t } = useTranslation();
  const run = useApp(select.primaryRun);
  const cursor = useApp(select.cursor);
  const playing = useApp(select.playing);
  const speed = useApp(select.speed);
  const loop = useApp(select.loop);
  const actions = useActions();
  const total = run?.trace.events.length ?? 0;

  useEffect(() => {
    if (!playing || !run) return;
    const cur = run.trace.events[cursor];
    const next = run.trace.events[cursor + 1];
    const moves = !cur || !next || cur.where.ns !== next.where.ns || cur.where.dev !== next.where.dev;
    const h = setTimeout(() => actions.tick(), (moves ? HOP_MS : IN_PLACE_MS) / speed);
    return () => clearTimeout(h);
  }, [playing, speed, actions, cursor, run]);

  const disabled = !total;
  return (
    <div className="knp-player" role="toolbar" aria-label="trace">
      <button type="button" className="knp-icon-btn" data-testid="trace-step-back" onClick={() => actions.step(-1)} disabled={disabled} title={t('player.stepBack')} aria-label={t('player.stepBack')}><IconStepBack /></button>
      <button type="button" className={`knp-icon-btn ${!playing ? 'primary' : ''}`} data-testid="trace-play" onClick={() => actions.play()} disabled={disabled} aria-pressed={playing} title={t('player.play')} aria-label={t('player.play')}><IconPlay /></button>
      <button type="button" className={`knp-icon-btn ${playing ? 'primary' : ''}`} data-testid="trace-pause" onClick={() => actions.pause()} disabled={disabled} title={t('player.pause')} aria-label={t('player.pause')}><IconPause /></button>
      <button type="button" className="knp-icon-btn" data-testid="trace-step-forward" onClick={() => actions.step(1)} disabled={disabled} title={t('player.stepForward')} aria-label={t('player.stepForward')}><IconStepForward /></button>
      <input
        type="range" min={0} max={Math.max(0, total - 1)} value={Math.max(0, cursor)} disabled={disabled}
        onChange={(e) => actions.jump(Number(e.target.value))} aria-label={t('player.jump')} className="knp-scrub"
      />
      <span className="knp-muted knp-small knp-count">{total ? t('player.event', { n: cursor + 1, total }) : t('player.noTrace')}</span>
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
    </div>
  );
}
