/** The trace's events, like Packet Tracer's event list: filter by type, click to jump. */
import { memo, useEffect, useMemo, useRef } from 'react';
import type { TraceEvent } from '../../engine';
import { useTranslation } from 'react-i18next';
import { select, useActions, useApp } from '../store';

/**
 * Every row is this tall (styles.css pins `.knp-event-rows > li` to it). Rows stay in the DOM
 * (the e2e tests count them), but off-screen ones skip layout and paint through
 * `content-visibility: auto`, and the current row's place is arithmetic, not a layout read.
 */
export const ROW_PX = 24;

/** One row; memoised so a playback tick re-renders only the two rows whose state changed. */
const Row = memo(({ e, i, state, onJump }: { e: TraceEvent; i: number; state: 'past' | 'current' | ''; onJump: (i: number) => void }) => (
  <li>
    <button type="button" className={`knp-event ${state}`} aria-current={state === 'current'} onClick={() => onJump(i)} data-event-type={e.type}>
      <span className="knp-seq">{e.seq}</span>
      <span className={`knp-type type-${e.type}`}>{e.type}</span>
      <span className="knp-where knp-mono">{e.where.machine.replace(/^(pod|node|host|infra)\//, '')}{e.where.dev ? `:${e.where.dev}` : ''}</span>
      <span className="knp-sum" title={e.summary}>{e.summary}</span>
    </button>
  </li>
));

export function EventList() {
  const { t } = useTranslation();
  const run = useApp(select.primaryRun);
  const runs = useApp(select.runs);
  const primary = useApp(select.primary);
  const cursor = useApp(select.cursor);
  const filter = useApp(select.eventFilter);
  const actions = useActions();
  const list = useRef<HTMLOListElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const events = run?.trace.events ?? [];
  // Per trace and filter, not per tick: the event types, the shown rows and the endpoint spread.
  const types = useMemo(() => [...new Set(events.map((e) => e.type))], [events]);
  const shown = useMemo(() => {
    const out: number[] = [];
    for (let i = 0; i < events.length; i++) if (!filter.length || filter.includes(events[i]!.type)) out.push(i);
    return out;
  }, [events, filter]);
  const spread = useMemo(() => Object.entries(runs.reduce<Record<string, number>>((acc, r) => {
    const k = r.trace.responder ?? t(`verdict.${r.trace.verdict}`);
    acc[k] = (acc[k] ?? 0) + 1;
    return acc;
  }, {})), [runs, t]);

  useEffect(() => {
    // Scroll only when the current row left the visible part of the list. Rows have a fixed
    // height, so its place is arithmetic and reading it forces no layout.
    const h = requestAnimationFrame(() => {
      const box = body.current;
      const ol = list.current;
      if (!box || !ol) return;
      const at = shown.indexOf(cursor);
      if (at < 0) return;
      const top = ol.offsetTop + 4 + at * ROW_PX;
      if (top < box.scrollTop || top + ROW_PX > box.scrollTop + box.clientHeight) box.scrollTop = Math.max(0, top - box.clientHeight / 2);
    });
    return () => cancelAnimationFrame(h);
  }, [cursor, shown]);

  return (
    <section className="knp-events" data-testid="event-list" aria-label={t('events.title')}>
      <div className="knp-panel-head">
        <span className="knp-panel-title">{t('events.title')}</span>
        {runs.length > 1 && (
          <select aria-label={t('events.packets')} value={primary} onChange={(e) => actions.setPrimary(Number(e.target.value))}>
            {runs.map((r, i) => <option key={r.id} value={i}>{r.label} — {t(`verdict.${r.trace.verdict}`)}</option>)}
          </select>
        )}
        <span className="knp-spacer" />
        <select aria-label={t('events.filter')} value={filter[0] ?? ''} onChange={(e) => actions.setFilter(e.target.value ? [e.target.value] : [])}>
          <option value="">{t('events.all')}</option>
          {types.map((ty) => <option key={ty} value={ty}>{ty}</option>)}
        </select>
      </div>
      <div className="knp-panel-body" ref={body}>
        {runs.length > 1 && (
          <div className="knp-spread knp-small" data-spread>
            {spread.map(([who, n]) => <span key={who} className="knp-badge" title={who}>{who.replace(/^pod\/[^/]+\//, '')} ×{n}</span>)}
          </div>
        )}
        {run && (
          <div className={`knp-verdict verdict-${run.trace.verdict}`} data-verdict={run.trace.verdict}>
            {t(`verdict.${run.trace.verdict}`)}{run.trace.responder ? ` · ${run.trace.responder}` : ''}{run.trace.reason ? ` — ${run.trace.reason}` : ''}
          </div>
        )}
        {!events.length && <p className="knp-muted knp-pad">{run ? t('events.empty') : t('player.noTrace')}</p>}
        <ol ref={list} className="knp-event-rows">
          {shown.map((i) => (
            <Row key={i} e={events[i]!} i={i} state={i === cursor ? 'current' : i < cursor ? 'past' : ''} onJump={actions.jump} />
          ))}
        </ol>
      </div>
    </section>
  );
}
