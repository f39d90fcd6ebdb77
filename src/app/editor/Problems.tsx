/**
 * The problems panel: the engine's errors and warnings in one list, the same count the header
 * shows (select.problems). Each names its code and position; a click puts the editor's cursor
 * there. Messages are rendered from the code in the UI's language (./diagnostics.ts).
 */
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { select, useActions, useApp } from '../store';
import { renderDiagnostic } from './diagnostics';

export function Problems() {
  const { t, i18n } = useTranslation();
  const problems = useApp(useShallow(select.problems));
  const actions = useActions();
  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return (
    <section className="knp-problems" data-testid="problems-panel" data-count={problems.length} aria-label={t('problems.title')}>
      <div className="knp-problems-head">
        <span className="knp-panel-title">{t('problems.title')}</span>
        <span className={`knp-badge ${problems.some((d) => d.severity === 'error') ? 'err' : problems.length ? 'warn' : ''}`} data-testid="problems-count">{problems.length}</span>
      </div>
      {problems.length === 0 ? (
        <div className="knp-muted knp-small knp-problems-none">{t('problems.none')}</div>
      ) : (
        <ul className="knp-problems-list">
          {problems.map((d, i) => {
            const r = renderDiagnostic(d, lang);
            return (
              <li key={`${d.code}:${d.line}:${d.col}:${i}`}>
                <button
                  type="button" className={`knp-problem sev-${d.severity}`} data-code={d.code} data-line={d.line} data-col={d.col}
                  title={t('problems.go', { line: d.line })} onClick={() => actions.revealAt(d.line, d.col)}
                >
                  <span className="knp-problem-sev" aria-label={t(`problems.${d.severity}`)}>{d.severity === 'error' ? '✕' : '⚠'}</span>
                  <span className="knp-problem-text">{r.message}{r.hint && <span className="knp-muted"> — {r.hint}</span>}</span>
                  <span className="knp-problem-where knp-mono">{d.code} · {d.line}:{d.col}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
