/**
 * The trace as a story (the default view): one row per device hop, its sentence in the page's
 * language (the engine's message code rendered by i18next), its phase, its leg (request or
 * reply) and the badges for what changed there. Clicking a row moves the replay to that step;
 * the chevron expands the events the step folds (ARP exchanges, chains that only RETURN...).
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TraceEvent } from '../../engine';
import type { StoryStep } from '../../engine/trace/story';
import { useMessageText } from '../i18n/message';
import { select, storyOf, useActions, useApp } from '../store';

/** A step's sentence: `msg.<code>` from the engine catalog, with its parameters. */
export function useStepText(): (s: StoryStep) => string {
  const text = useMessageText();
  return (s) => text(s.message);
}

export function StepBadges({ step }: { step: StoryStep }) {
  const { t } = useTranslation();
  return <>{step.badges.map((b) => <span key={b} className={`knp-change change-${b}`} data-testid={`badge-${b}`} data-change={b}>{t(`story.badge.${b}`)}</span>)}</>;
}

const StepRow = memo(({ step, k, state, events, onJump }: { step: StoryStep; k: number; state: 'past' | 'current' | ''; events: readonly TraceEvent[]; onJump: (k: number) => void }) => {
  const { t } = useTranslation();
  const text = useStepText();
  const line = useMessageText();
  const [open, setOpen] = useState(false);
  const first = open ? events.findIndex((e) => e.seq === step.events[0]) : -1;
  const mine = first >= 0 ? events.slice(first, first + step.events.length) : [];
  const sentence = text(step);
  return (
    <li
      className={`knp-step ${state} leg-${step.leg}`} data-testid="story-step" data-phase={step.phase} data-machine={step.machine} data-leg={step.leg}
      data-step={k} aria-current={state === 'current' ? 'step' : undefined}
    >
      <div className="knp-step-head">
        <button type="button" className="knp-step-open" aria-expanded={open} title={open ? t('story.collapse') : t('story.expand')} aria-label={open ? t('story.collapse') : t('story.expand')} onClick={() => setOpen(!open)}>{open ? '▾' : '▸'}</button>
        <button type="button" className="knp-step-main" onClick={() => onJump(k)}>
          {/* One short line of where, what kind and what changed, then the sentence across the whole row. */}
          <span className="knp-step-line">
            <span className="knp-step-n">{k + 1}</span>
            <span className={`knp-step-phase phase-${step.phase}`}>{t(`story.phase.${step.phase}`)}</span>
            <span className={`knp-step-leg leg-${step.leg}`} data-leg={step.leg}>{t(`story.leg.${step.leg}`)}</span>
            <span className="knp-step-where knp-mono knp-small knp-muted">{step.machine.replace(/^(pod|node|host|infra)\//, '')}{step.dev ? `:${step.dev}` : ''}</span>
            <span className="knp-small knp-muted">{t('story.events', { count: step.events.length })}</span>
            {step.badges.length > 0 && <span className="knp-step-meta"><StepBadges step={step} /></span>}
          </span>
          {/* One line per step (the whole sentence on hover); the current or expanded step reads in full. */}
          <span className="knp-step-text" title={sentence}>{sentence}</span>
        </button>
      </div>
      {open && (
        <ol className="knp-step-events" data-testid="story-step-events">
          {mine.map((e) => (
            <li key={e.seq} className="knp-small"><span className="knp-seq">{e.seq}</span> <span className={`knp-type type-${e.type}`}>{e.type}</span> <span className="knp-mono" data-summary>{line(e.message)}</span></li>
          ))}
        </ol>
      )}
    </li>
  );
});

export function StoryList() {
  const run = useApp(select.primaryRun);
  const current = useApp(select.currentStep);
  const actions = useActions();
  const list = useRef<HTMLOListElement>(null);
  const story = run ? storyOf(run.trace) : null;
  const events = useMemo(() => run?.trace.events ?? [], [run]);
  // Stable, so a replay step re-renders only the two rows whose state changed (StepRow is memo).
  const endOf = story?.endOf;
  const onJump = useCallback((k: number) => actions.jump(endOf?.[k] ?? 0), [actions, endOf]);

  // Keep the current step in view as the replay moves.
  useEffect(() => {
    const row = list.current?.querySelector<HTMLElement>(`[data-step="${current}"]`);
    row?.scrollIntoView?.({ block: 'nearest' });
  }, [current]);

  if (!story) return null;
  return (
    <ol className="knp-steps" ref={list} data-testid="story-list" data-count={story.steps.length}>
      {story.steps.map((s, k) => <StepRow key={k} step={s} k={k} events={events} state={k === current ? 'current' : current >= 0 && k < current ? 'past' : ''} onJump={onJump} />)}
    </ol>
  );
}
