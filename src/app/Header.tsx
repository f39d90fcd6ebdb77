/** The top bar: title, cluster/kernel view, share, language, theme, engine status. */
import { useCallback, useContext, useRef, useState } from 'react';
import { useDismiss } from './sharing/dismiss';
import { useTranslation } from 'react-i18next';
import { encodeFile, encodeFragment, MAX_FRAGMENT } from '../engine';
import { LANGUAGES, type Lang } from './i18n';
import { LearnContext, shareLearn, useLearn } from './learn/store';
import { shareState } from './persist/session';
import { download, scenarioName } from './sharing/download';
import { Exports } from './sharing/Exports';
import { HistoryPanel } from './sharing/HistoryPanel';
import { ReachMatrix } from './sharing/ReachMatrix';
import { CostView } from './cost/CostView';
import { CompareView } from './sharing/CompareView';
import { select, StoreContext, useActions, useApp } from './store';

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
  const actions = useActions();
  const store = useContext(StoreContext)!;
  const [copied, setCopied] = useState(false);
  const panel = useLearn((s) => s.panel);
  const openCourse = useLearn((s) => s.openCourse);
  const closePanel = useLearn((s) => s.close);
  const setGallery = useLearn((s) => s.setGallery);
  const [link, setLink] = useState<{ url: string; tooLong: boolean } | null>(null);
  const [historyOpen, setHistoryOpen] = useState(false);
  const shareBox = useRef<HTMLDivElement>(null);
  useDismiss(shareBox, link !== null, useCallback(() => setLink(null), []));
  const [reachOpen, setReachOpen] = useState(false);
  const [costOpen, setCostOpen] = useState(false);
  const [compareOpen, setCompareOpen] = useState(false);
  const learnStore = useContext(LearnContext);
  // A link and a .knp file carry the open lesson or challenge and its progress too.
  const moment = () => shareState(store.getState(), learnStore ? shareLearn(learnStore.getState()) : undefined);

  // The link is offered (and copied), not put in the address bar: reading a link clears it from there.
  const share = async () => {
    const frag = encodeFragment(moment());
    const url = `${location.origin}${location.pathname}${location.search}#${frag}`;
    const tooLong = frag.length > MAX_FRAGMENT;
    setLink({ url, tooLong });
    if (tooLong) return;
    try { await navigator.clipboard.writeText(url); setCopied(true); setTimeout(() => setCopied(false), 1800); } catch { /* the box shows it */ }
  };
  const downloadKnp = () => {
    const s = store.getState();
    download(`${scenarioName(s.yaml)}.knp`, encodeFile(moment()), 'application/json');
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
      <button type="button" className={`knp-btn ${panel !== 'closed' ? 'on' : ''}`} data-testid="open-lessons" aria-pressed={panel !== 'closed'} title={t('learn.openHint')} onClick={() => (panel === 'closed' ? openCourse() : closePanel())}>{t('learn.open')}</button>
      <button type="button" className="knp-btn" data-testid="open-gallery" title={t('learn.galleryHint')} onClick={() => setGallery(true)}>{t('learn.gallery')}</button>
      <span className="knp-spacer" />
      <span className={`knp-status status-${status} ${errors ? 'has-errors' : problems ? 'has-warnings' : ''}`} data-testid="problem-count" data-count={problems} aria-live="polite">
        <span className="knp-dot" aria-hidden />
        {status === 'ready' ? (problems ? t('editor.problems', { count: problems }) : t('engine.ready')) : t(`engine.${status}`)}
      </span>
      <button type="button" className="knp-btn" data-testid="reach-button" aria-expanded={reachOpen} title={t('share.reach.button')} onClick={() => setReachOpen(!reachOpen)}><span aria-hidden>▦</span> <span className="knp-btn-label">{t('share.reach.button')}</span></button>
      <button type="button" className="knp-btn" data-testid="cost-button" aria-expanded={costOpen} title={t('cost.buttonHint')} onClick={() => setCostOpen(!costOpen)}><span aria-hidden>∑</span> <span className="knp-btn-label">{t('cost.button')}</span></button>
      <button type="button" className="knp-btn" data-testid="compare-button" aria-expanded={compareOpen} title={t('share.compare.button')} onClick={() => setCompareOpen(!compareOpen)}><span aria-hidden>⇄</span> <span className="knp-btn-label">{t('share.compare.button')}</span></button>
      <button type="button" className="knp-btn" data-testid="history-button" aria-expanded={historyOpen} title={t('share.history')} onClick={() => setHistoryOpen(!historyOpen)}><span aria-hidden>↺</span> <span className="knp-btn-label">{t('share.history')}</span></button>
      <div className="knp-menu" ref={shareBox}>
        <button type="button" className="knp-btn" data-testid="share-button" onClick={() => void share()}>{copied ? `✓ ${t('toolbar.shared')}` : `⇪ ${t('toolbar.share')}`}</button>
        {link && (
          <div className="knp-menu-pop knp-share-pop" data-testid="share-pop">
            {link.tooLong
              ? <p>{t('share.tooLong', { size: link.url.length })}</p>
              : <input readOnly data-testid="share-link" value={link.url} onFocus={(e) => e.currentTarget.select()} aria-label={t('toolbar.share')} />}
            <div className="knp-row">
              <button type="button" className="knp-btn" data-testid="share-knp" onClick={downloadKnp}>⤓ {t('share.downloadKnp')}</button>
              <span className="knp-spacer" />
              <button type="button" className="knp-btn" onClick={() => setLink(null)}>{t('share.close')}</button>
            </div>
          </div>
        )}
      </div>
      <Exports />
      <button type="button" className="knp-btn" data-testid="lab-download" title={t('toolbar.labHint')} onClick={() => void downloadLab()}>⤓ {t('toolbar.lab')}</button>
      <select aria-label={t('toolbar.language')} value={lang} onChange={(e) => actions.setLang(e.target.value as Lang)}>
        {LANGUAGES.map((l) => <option key={l.code} value={l.code}>{l.label}</option>)}
      </select>
      <button type="button" className="knp-icon-btn" onClick={() => actions.setTheme(theme === 'dark' ? 'light' : 'dark')} aria-label={t('toolbar.theme')} title={theme === 'dark' ? t('toolbar.light') : t('toolbar.dark')}>{theme === 'dark' ? '☀' : '☾'}</button>
      {compareOpen && <CompareView onClose={() => setCompareOpen(false)} />}
      {reachOpen && <ReachMatrix onClose={() => setReachOpen(false)} />}
      {costOpen && <CostView onClose={() => setCostOpen(false)} />}
      {historyOpen && <HistoryPanel onClose={() => setHistoryOpen(false)} />}
    </header>
  );
}
