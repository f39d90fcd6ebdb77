/**
 * The lesson panel beside the playground: the course list with progress, a lesson's text and
 * steps (each checked by the engine), or a challenge's goals and hints. Text follows the UI
 * language live; the checks come from the worker, never from what is on the screen.
 */
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { select, useApp } from '../store';
import { useCatalog } from './catalog';
import { Markdown } from './Markdown';
import { useLearn } from './store';
import type { Bi } from './content';

const pick = (b: Bi, lang: string): string => (lang === 'zh-CN' ? b.zh : b.en);

export default function LessonPanel() {
  const { t } = useTranslation();
  const panel = useLearn((s) => s.panel);
  const close = useLearn((s) => s.close);
  const openCourse = useLearn((s) => s.openCourse);
  // A new lesson or challenge starts at the top of the panel, not where the course list was scrolled.
  const shown = useLearn((s) => s.lesson?.id ?? s.challenge?.name ?? '');
  return (
    <aside className="knp-lesson" data-testid="lesson-panel" data-mode={panel} aria-label={t('learn.course')}>
      <div className="knp-panel-head">
        {panel !== 'course'
          ? <button type="button" className="knp-link" onClick={openCourse}>{t('learn.back')}</button>
          : <span className="knp-panel-title">{t('learn.course')}</span>}
        <span className="knp-spacer" />
        <button type="button" className="knp-icon-btn" aria-label={t('learn.close')} title={t('learn.close')} onClick={close}>✕</button>
      </div>
      <div className="knp-lesson-body" key={`${panel}:${shown}`}>
        {panel === 'course' && <Course />}
        {panel === 'lesson' && <LessonView />}
        {panel === 'challenge' && <ChallengeView />}
      </div>
    </aside>
  );
}

function Course() {
  const { t } = useTranslation();
  const lang = useApp(select.lang);
  const seed = useApp((s) => s.seed);
  const cat = useCatalog(seed);
  const progress = useLearn((s) => s.progress);
  const solved = useLearn((s) => s.solved);
  const openLesson = useLearn((s) => s.openLesson);
  const openChallenge = useLearn((s) => s.openChallenge);
  if (!cat) return <div className="knp-muted knp-pad">…</div>;
  return (
    <>
      <h3 className="knp-lesson-h">{t('learn.lessons')}</h3>
      <ol className="knp-course">
        {cat.lessons.map((l) => {
          const done = l.steps.filter((s) => progress[l.id]?.includes(s)).length;
          return (
            <li key={l.id}>
              <button type="button" className="knp-course-item" data-lesson={l.id} data-complete={done === l.steps.length} onClick={() => void openLesson(l.id)}>
                <span className="knp-course-n">{l.id.slice(0, 2)}</span>
                <span className="knp-course-title">{pick(l.title, lang)}</span>
                <span className={`knp-course-progress ${done === l.steps.length ? 'complete' : ''}`} title={t('learn.progress', { done, total: l.steps.length })}>
                  {done === l.steps.length ? '✓' : `${done}/${l.steps.length}`}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      <h3 className="knp-lesson-h">{t('learn.challenges')}</h3>
      <ul className="knp-course">
        {cat.challenges.map((c) => (
          <li key={c.name}>
            <button type="button" className="knp-course-item" data-challenge={c.name} onClick={() => void openChallenge(c.name)}>
              <span className="knp-course-n">⚑</span>
              <span className="knp-course-title">{pick(c.title, lang)}</span>
              {solved.includes(c.name) && <span className="knp-course-progress complete" title={t('learn.solved')}>✓</span>}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function LessonView() {
  const { t } = useTranslation();
  const lang = useApp(select.lang);
  const target = useApp(select.terminalTarget);
  const lesson = useLearn((s) => s.lesson);
  const stepIdx = useLearn((s) => s.stepIdx);
  const done = useLearn(useShallow((s) => (s.lesson ? s.progress[s.lesson.id] ?? [] : [])));
  const checking = useLearn((s) => s.checking);
  const lastCheck = useLearn((s) => s.lastCheck);
  const learn = useLearn(useShallow((s) => ({ next: s.next, answer: s.answer, recheck: s.recheck, openLesson: s.openLesson })));
  const seed = useApp((s) => s.seed);
  const cat = useCatalog(seed);
  if (!lesson) return null;
  const text = lang === 'zh-CN' ? lesson.zh : lesson.en;
  const steps = lesson.steps.steps;
  const finished = stepIdx >= steps.length;
  const ids = cat?.lessons.map((l) => l.id) ?? [];
  const following = ids[ids.indexOf(lesson.id) + 1];

  return (
    <article className="knp-lesson-text" data-lesson={lesson.id} data-step={stepIdx}>
      <h2 className="knp-lesson-title">{text.title}</h2>
      <Markdown text={text.intro} />
      <ol className="knp-steps">
        {steps.map((step, i) => {
          const section = text.sections[i];
          const isDone = done.includes(step.id);
          const isCurrent = i === stepIdx;
          return (
            <li key={step.id} className={`knp-step ${isCurrent ? 'current' : ''}`} data-testid="lesson-step" data-step-id={step.id} data-done={isDone ? 'true' : 'false'} data-current={isCurrent ? 'true' : 'false'}>
              <div className="knp-step-head">
                <span className={`knp-step-mark ${isDone ? 'done' : ''}`} aria-hidden>{isDone ? '✓' : i + 1}</span>
                <span className="knp-step-title">{section?.heading ?? step.id}</span>
              </div>
              {isCurrent && (
                <div className="knp-step-body">
                  {section && <Markdown text={section.body} />}
                  <p className="knp-step-do">
                    {step.do === 'command' ? (step.target || target ? t('learn.doCommand', { target: step.target ?? target }) : t('learn.doCommandAny'))
                      : step.do === 'packet' ? t('learn.doPacket') : step.do === 'observe' ? t('learn.doObserve')
                        : step.do === 'edit' ? t('learn.doEdit') : t('learn.doPredict')}
                  </p>
                  {step.do === 'predict' && step.choices && (
                    <div className="knp-choices" data-testid="lesson-choices" role="group" aria-label={t('learn.choose')}>
                      <span className="knp-muted">{t('learn.choose')}</span>
                      {step.choices.map((c) => (
                        <button key={c.id} type="button" className="knp-btn" data-choice={c.id} disabled={checking} onClick={() => void learn.answer(c.id)}>{lang === 'zh-CN' ? c.label['zh-CN'] : c.label.en}</button>
                      ))}
                    </div>
                  )}
                  {lastCheck && !lastCheck.pass && step.do === 'predict' && (
                    <p className="knp-check fail" role="status">{lang === 'zh-CN' ? lastCheck.zh : lastCheck.en}</p>
                  )}
                  <div className="knp-step-actions">
                    <button type="button" className="knp-btn primary" data-testid="lesson-next" title={t('learn.nextHint')} onClick={learn.next}>{t('learn.next')}</button>
                    {step.do !== 'predict' && <button type="button" className="knp-btn" onClick={() => void learn.recheck()}>{t('learn.checkNow')}</button>}
                    <span className="knp-muted knp-small" aria-live="polite">{checking ? t('learn.checking') : step.do !== 'predict' ? t('learn.waiting') : ''}</span>
                  </div>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {finished && (
        <div className="knp-lesson-done" role="status">
          <p>{t('learn.finished')}</p>
          {following && <button type="button" className="knp-btn primary" onClick={() => void learn.openLesson(following)}>{t('learn.nextLesson')}</button>}
        </div>
      )}
    </article>
  );
}

function ChallengeView() {
  const { t } = useTranslation();
  const lang = useApp(select.lang);
  const ch = useLearn((s) => s.challenge);
  const goals = useLearn((s) => s.goals);
  const hintsShown = useLearn((s) => s.hintsShown);
  const showHint = useLearn((s) => s.showHint);
  const checking = useLearn((s) => s.checking);
  if (!ch) return null;
  const allPass = !!goals?.length && goals.every((g) => g.pass);
  return (
    <article className="knp-lesson-text" data-challenge={ch.name}>
      <div className="knp-muted knp-small">⚑ {t('learn.challenge')}</div>
      <h2 className="knp-lesson-title">{pick(ch.title, lang)}</h2>
      {ch.description && <Markdown text={pick(ch.description, lang)} />}
      <p className="knp-muted knp-small">{t('learn.challengeHelp')}</p>
      <h3 className="knp-lesson-h">{t('learn.goals')} {checking && <span className="knp-muted knp-small">{t('learn.checking')}</span>}</h3>
      {!goals ? <p className="knp-muted">{t('learn.goalsWaiting')}</p> : (
        <ul className="knp-goals">
          {goals.map((g, i) => (
            <li key={i} className={`knp-goal ${g.pass ? 'pass' : 'fail'}`} data-testid="challenge-goal" data-pass={g.pass ? 'true' : 'false'} data-kind={g.kind}>
              <span className="knp-goal-mark" aria-hidden>{g.pass ? '✓' : '✗'}</span>
              <span>{lang === 'zh-CN' ? g.zh : g.en}</span>
            </li>
          ))}
        </ul>
      )}
      {allPass && <p className="knp-lesson-done" role="status">{t('learn.allPass')}</p>}
      <div className="knp-hints">
        {ch.hints.slice(0, hintsShown).map((h, i) => (
          <div key={i} className="knp-hint" data-testid="challenge-hint"><strong>{t('learn.hintN', { n: i + 1 })}</strong> <Markdown text={pick(h, lang)} /></div>
        ))}
        {hintsShown < ch.hints.length
          ? <button type="button" className="knp-btn" data-testid="challenge-hint-more" onClick={showHint}>{t('learn.hint')}</button>
          : ch.hints.length > 0 && <span className="knp-muted knp-small">{t('learn.noMoreHints')}</span>}
      </div>
    </article>
  );
}
