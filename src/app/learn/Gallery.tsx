/** The gallery: every example scenario, lesson and challenge the site carries, one click to open. */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { select, useApp } from '../store';
import { useCatalog } from './catalog';
import { useLearn } from './store';

export default function Gallery() {
  const { t } = useTranslation();
  const lang = useApp(select.lang);
  const seed = useApp((s) => s.seed);
  const cat = useCatalog(seed);
  const setGallery = useLearn((s) => s.setGallery);
  const openScenario = useLearn((s) => s.openScenario);
  const openLesson = useLearn((s) => s.openLesson);
  const openChallenge = useLearn((s) => s.openChallenge);
  const solved = useLearn((s) => s.solved);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') setGallery(false); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setGallery]);
  return (
    <div className="knp-modal-backdrop" onClick={(e) => { if (e.target === e.currentTarget) setGallery(false); }}>
      <div className="knp-modal knp-gallery" data-testid="scenario-gallery" role="dialog" aria-modal="true" aria-label={t('learn.galleryTitle')}>
        <div className="knp-panel-head">
          <span className="knp-panel-title">{t('learn.galleryTitle')}</span>
          <span className="knp-spacer" />
          <button type="button" className="knp-icon-btn" aria-label={t('learn.close')} onClick={() => setGallery(false)}>✕</button>
        </div>
        {!cat ? <div className="knp-pad knp-muted">…</div> : (
          <div className="knp-gallery-cols">
            <section>
              <h3 className="knp-lesson-h">{t('learn.scenarios')}</h3>
              {cat.scenarios.map((s) => (
                <button key={s.name} type="button" className="knp-card" data-scenario={s.name} onClick={() => void openScenario(s.name)}>
                  <strong>{s.name}</strong>
                  <span className="knp-muted knp-small" lang="en">{s.blurb}</span>
                </button>
              ))}
            </section>
            <section>
              <h3 className="knp-lesson-h">{t('learn.lessons')}</h3>
              <div className="knp-gallery-list">
                {cat.lessons.map((l) => (
                  <button key={l.id} type="button" className="knp-card small" data-lesson={l.id} onClick={() => void openLesson(l.id)}>
                    <span><span className="knp-course-n">{l.id.slice(0, 2)}</span> {lang === 'zh-CN' ? l.title.zh : l.title.en}</span>
                  </button>
                ))}
              </div>
            </section>
            <section>
              <h3 className="knp-lesson-h">{t('learn.challenges')}</h3>
              <div className="knp-gallery-list">
                {cat.challenges.map((c) => (
                  <button key={c.name} type="button" className="knp-card small" data-challenge={c.name} onClick={() => void openChallenge(c.name)}>
                    <span>⚑ {lang === 'zh-CN' ? c.title.zh : c.title.en}{solved.includes(c.name) ? ' ✓' : ''}</span>
                  </button>
                ))}
              </div>
            </section>
          </div>
        )}
      </div>
    </div>
  );
}
