/** The top bar: title, cluster/kernel view, share, language, theme, engine status. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Lang } from './i18n';
import { encodeScenario } from './share';
import { select, useActions, useApp } from './store';

export function Header() {
  const { t } = useTranslation();
  const view = useApp(select.view);
  const nodes = useApp((s) => s.snapshot?.nodes);
  const status = useApp(select.status);
  const errors = useApp(select.errorCount);
  // The problems panel lists exactly these: errors and warnings.
  const problems = useApp(select.problemCount);
  const theme = useApp(select.theme);
  const lang = useApp(select.lang);
  const yaml = useApp(select.yaml);
  const actions = useActions();
  const [copied, setCopied] = useState(false);

  const share = async () => {
    const url = `${location.origin}${location.pathname}#${await encodeScenario(yaml)}`;
    history.replaceState(null, '', url);
    try { await navigator.clipboard.writeText(url); } catch { /* the address bar has it */ }
    setCopied(true);
    setTimeout(() => setCopied(false), 1800);
  };
  const downloadLab = async () => {
    const r = await actions.labScript();
    if (!r) return;
    if (!r.script) { window.alert(`${t('toolbar.labUnsupported')}\n${r.problems.join('\n')}`); return; }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([r.script], { type: 'text/x-shellscript' }));
    a.download = 'lab.sh';
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  const firstNode = nodes?.[0]?.name;

  return (
    <header className="knp-header">
      <div className="knp-brand">
        <span className="knp-logo" aria-hidden>⎈</span>
        <div>
          <div className="knp-title">{t('app.title')}</div>
          <div className="knp-tagline">{t('app.tagline')}</div>
        </div>
      </div>
      <div className="knp-seg" role="tablist" aria-label={t('toolbar.view')}>
        <button type="button" role="tab" aria-selected={view.kind === 'cluster'} className={view.kind === 'cluster' ? 'on' : ''} onClick={() => actions.setView({ kind: 'cluster' })}>{t('toolbar.cluster')}</button>
        <button type="button" role="tab" aria-selected={view.kind === 'kernel'} className={view.kind === 'kernel' ? 'on' : ''} disabled={!firstNode} onClick={() => firstNode && actions.setView({ kind: 'kernel', node: view.kind === 'kernel' ? view.node : firstNode })}>{t('toolbar.kernel')}</button>
      </div>
      {view.kind === 'kernel' && (
        <select aria-label={t('toolbar.node')} value={view.node} onChange={(e) => actions.setView({ kind: 'kernel', node: e.target.value })}>
          {(nodes ?? []).map((n) => <option key={n.name} value={n.name}>{n.name}</option>)}
        </select>
      )}
      <span className="knp-spacer" />
      <span className={`knp-status status-${status} ${errors ? 'has-errors' : problems ? 'has-warnings' : ''}`} data-testid="problem-count" data-count={problems} aria-live="polite">
        <span className="knp-dot" aria-hidden />
        {status === 'ready' ? (problems ? t('editor.problems', { count: problems }) : t('engine.ready')) : t(`engine.${status}`)}
      </span>
      <button type="button" className="knp-btn" data-testid="share-button" onClick={() => void share()}>{copied ? `✓ ${t('toolbar.shared')}` : `⇪ ${t('toolbar.share')}`}</button>
      <button type="button" className="knp-btn" data-testid="lab-download" title={t('toolbar.labHint')} onClick={() => void downloadLab()}>⤓ {t('toolbar.lab')}</button>
      <select aria-label={t('toolbar.language')} value={lang} onChange={(e) => actions.setLang(e.target.value as Lang)}>
        {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.label}</option>)}
      </select>
      <button type="button" className="knp-icon-btn" onClick={() => actions.setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={t('toolbar.theme')} title={theme === 'dark' ? t('toolbar.light') : t('toolbar.dark')}>{theme === 'dark' ? '☀' : '☾'}</button>
    </header>
  );
}
