/**
 * The trace's events, like Packet Tracer's event list: filter by type, click or use the arrow
 * keys to jump, and the list follows the replay.
 *
 * A walk through a big cluster has thousands of events (a Service with 300 endpoints is 300
 * iptables rules), so the list is virtual: only the rows in view (and a few around them) are in
 * the DOM, inside a list as tall as all of them, so a replay step restyles a few dozen rows, not
 * thousands. Rows address themselves by `data-index` (the event's index in the trace). Nothing on
 * a step reads layout: rows have a fixed height and the scroll position is kept in state.
 */
import { memo, useCallback, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { TraceEvent } from '../../engine';
import { useTranslation } from 'react-i18next';
import { useMessageText } from '../i18n/message';
import { select, useActions, useApp } from '../store';
import { StoryList } from './StoryList';

/** Every row is this tall (styles.css pins `.knp-event-rows > li` to it). */
export const ROW_PX = 24;
/** Rows drawn above and below the visible ones, so a short scroll shows no blank rows. */
const OVERSCAN = 8;

type RowState = 'past' | 'current' | '';

/** One row of the window. */
const Row = memo(({ e, i, state, onJump, text }: { e: TraceEvent; i: number; state: RowState; onJump: (i: number) => void; text: string }) => (
  <li role="presentation">
    <button
      type="button" id={`knp-ev-${i}`} className={`knp-event ${state}`} role="option" aria-selected={state === 'current'} aria-current={state === 'current'}
      tabIndex={-1} onClick={() => onJump(i)} data-index={i} data-event-type={e.type}
    >
      <span className="knp-seq">{e.seq}</span>
      <span className={`knp-type type-${e.type}`}>{e.type}</span>
      <span className="knp-where knp-mono">{e.where.machine.replace(/^(pod|node|host|infra)\//, '')}{e.where.dev ? `:${e.where.dev}` : ''}</span>
      <span className="knp-sum" title={text} data-testid="event-summary">{text}</span>
    </button>
  </li>
));

/** Position of event `i` among the shown (ascending) event indices, or -1. */
function positionOf(shown: readonly number[], i: number): number {
  let lo = 0;
  let hi = shown.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = shown[mid]!;
    if (v === i) return mid;
    if (v < i) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

interface ScrollView { readonly top: number; readonly height: number; readonly base: number }

export function EventList() {
  const { t } = useTranslation();
  const run = useApp(select.primaryRun);
  const runs = useApp(select.runs);
  const primary = useApp(select.primary);
  const cursor = useApp(select.cursor);
  const filter = useApp(select.eventFilter);
  const storyView = useApp(select.storyView);
  const actions = useActions();
  const line = useMessageText();
  const list = useRef<HTMLOListElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const events = useMemo(() => run?.trace.events ?? [], [run]);
  // Per trace and filter, not per step: the event types, the shown rows and the endpoint spread.
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

  // Where the list is scrolled, how tall it is and where the rows start inside it: read on
  // scroll, resize and a new trace only, never on a replay step.
  const [view, setView] = useState<ScrollView>({ top: 0, height: 12 * ROW_PX, base: 0 });
  const measure = useCallback(() => {
    const box = body.current;
    const ol = list.current;
    if (!box || !ol) return;
    const next = { top: box.scrollTop, height: box.clientHeight, base: ol.offsetTop };
    setView((v) => (v.top === next.top && v.height === next.height && v.base === next.base ? v : next));
  }, []);
  // Scroll events come once per frame, before the frame's script runs: layout is still clean
  // there, so reading it costs nothing (a read after a replay step's DOM change would force it).
  useLayoutEffect(() => {
    measure();
    const box = body.current;
    if (!box || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => measure());
    ro.observe(box);
    return () => ro.disconnect();
  }, [measure, runs, run, shown]);

  // Follow the replay: when the current row leaves the visible part, scroll so it is the
  // second row; a whole screen of steps then passes before the list moves again. The new
  // window is drawn in the same render as the step, and the scroll is written after it, so
  // the browser lays the list out once. Only a cursor that moved moves the list: the user's
  // own scrolling is left alone.
  const at = positionOf(shown, cursor);
  const followed = useRef<{ at: number; shown: readonly number[] }>({ at: -1, shown });
  let top = view.top;
  if (at >= 0 && (at !== followed.current.at || shown !== followed.current.shown)) {
    const rowTop = view.base + at * ROW_PX;
    if (rowTop < view.top || rowTop + ROW_PX > view.top + view.height) top = Math.max(0, rowTop - ROW_PX);
  }
  useLayoutEffect(() => {
    followed.current = { at, shown };
    const box = body.current;
    if (!box || top === view.top) return;
    box.scrollTop = top;
    setView((w) => ({ ...w, top }));
  }, [at, shown, top, view.top]);

  const first = Math.floor((top - view.base) / ROW_PX);
  const from = Math.max(0, Math.min(shown.length - 1, first - OVERSCAN));
  const to = Math.min(shown.length - 1, first + Math.ceil(view.height / ROW_PX) + OVERSCAN);
  const windowRows: number[] = [];
  for (let k = from; k <= to; k++) windowRows.push(shown[k]!);
  // A row's sentence is rendered once per trace and language, not on every replay step.
  const texts = useMemo(() => new Map<number, string>(), [events, line]);
  const textOf = (i: number): string => { let s = texts.get(i); if (s === undefined) { s = line(events[i]!.message); texts.set(i, s); } return s; };

  const onKeyDown = (e: KeyboardEvent<HTMLOListElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey || !shown.length) return;
    const page = Math.max(1, Math.floor(view.height / ROW_PX) - 1);
    const from = at >= 0 ? at : 0;
    const to = e.key === 'ArrowDown' ? from + 1 : e.key === 'ArrowUp' ? from - 1 : e.key === 'PageDown' ? from + page : e.key === 'PageUp' ? from - page
      : e.key === 'Home' ? 0 : e.key === 'End' ? shown.length - 1 : null;
    if (to === null) return;
    e.preventDefault();
    actions.jump(shown[Math.max(0, Math.min(shown.length - 1, to))]!);
  };

  return (
    <section className="knp-events" data-testid="event-list" data-count={events.length} data-shown={shown.length} data-view={storyView ? 'story' : 'events'} aria-label={t('events.title')}>
      <div className="knp-panel-head">
        <span className="knp-panel-title">{storyView ? t('story.title') : t('events.title')}</span>
        <label className="knp-inline knp-small knp-story-toggle" title={t('story.toggleTitle')}>
          <input type="checkbox" data-testid="story-toggle" checked={storyView} aria-pressed={storyView} onChange={(e) => actions.setStoryView(e.target.checked)} />
          <span>{t('story.toggle')}</span>
        </label>
        {runs.length > 1 && (
          <select aria-label={t('events.packets')} value={primary} onChange={(e) => actions.setPrimary(Number(e.target.value))}>
            {runs.map((r, i) => <option key={r.id} value={i}>{r.label} — {t(`verdict.${r.trace.verdict}`)}</option>)}
          </select>
        )}
        <span className="knp-spacer" />
        {!storyView && <select aria-label={t('events.filter')} value={filter[0] ?? ''} onChange={(e) => actions.setFilter(e.target.value ? [e.target.value] : [])}>
          <option value="">{t('events.all')}</option>
          {types.map((ty) => <option key={ty} value={ty}>{ty}</option>)}
        </select>}
      </div>
      <div className="knp-panel-body" ref={body} onScroll={measure}>
        {runs.length > 1 && (
          <div className="knp-spread knp-small" data-spread>
            {spread.map(([who, n]) => <span key={who} className="knp-badge" title={who}>{who.replace(/^pod\/[^/]+\//, '')} ×{n}</span>)}
          </div>
        )}
        {run && (
          <div className={`knp-verdict verdict-${run.trace.verdict}`} data-verdict={run.trace.verdict}>
            {t(`verdict.${run.trace.verdict}`)}{run.trace.responder ? ` · ${run.trace.responder}` : ''}{run.trace.reasonMessage ? ` — ${line(run.trace.reasonMessage)}` : run.trace.reason ? ` — ${run.trace.reason}` : ''}
          </div>
        )}
        {!events.length && <p className="knp-muted knp-pad">{run ? t('events.empty') : t('player.noTrace')}</p>}
        {storyView ? <StoryList /> : <ol
          ref={list} className="knp-event-rows" role="listbox" aria-label={t('events.title')} tabIndex={shown.length ? 0 : -1} onKeyDown={onKeyDown}
          aria-activedescendant={at >= from && at <= to ? `knp-ev-${cursor}` : undefined}
          // As tall as every row; the drawn window starts where its first row belongs.
          style={{ height: 8 + shown.length * ROW_PX, paddingTop: 4 + Math.max(0, from) * ROW_PX }}
        >
          {windowRows.map((i) => (
            <Row key={i} e={events[i]!} i={i} state={i === cursor ? 'current' : cursor >= 0 && i < cursor ? 'past' : ''} onJump={actions.jump} text={textOf(i)} />
          ))}
        </ol>}
      </div>
    </section>
  );
}
