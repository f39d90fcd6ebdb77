/** Saved versions of the learner's work, newest first: restore one, or open a .knp file as a new one. */
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../persist/context';
import { select, useApp } from '../store';

export function HistoryPanel({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const history = useApp(select.history);
  const yaml = useApp(select.yaml);
  const journal = useApp(select.journal);
  const session = useSession();
  const file = useRef<HTMLInputElement>(null);
  const fmt = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  const isCurrent = (h: (typeof history)[number]) => h.yaml === yaml && h.journal.length === journal.length && h.journal.every((j, i) => j.line === journal[i]!.line && j.target === journal[i]!.target);
  let currentShown = false;

  const openFile = async (f: File | undefined) => {
    if (!f || !session) return;
    await session.open('file', await f.text());
    onClose();
  };

  return (
    <aside className="knp-history" data-testid="history-panel" aria-label={t('share.historyTitle')}>
      <div className="knp-panel-head">
        <strong>{t('share.historyTitle')}</strong>
        <span className="knp-spacer" />
        <button type="button" className="knp-btn" data-testid="open-knp" onClick={() => file.current?.click()}>{t('share.openFile')}</button>
        <input ref={file} type="file" accept=".knp,application/json" hidden onChange={(e) => void openFile(e.target.files?.[0])} />
        <button type="button" className="knp-icon-btn" aria-label={t('share.close')} onClick={onClose}>✕</button>
      </div>
      <p className="knp-history-hint">{t('share.historyHint')}</p>
      {!history.length && <p className="knp-history-hint">{t('share.empty')}</p>}
      <ol className="knp-history-list">
        {history.map((h) => {
          const current = !currentShown && isCurrent(h);
          if (current) currentShown = true;
          return (
            <li key={h.id} className={current ? 'current' : ''} data-testid="history-item" data-source={h.source} data-current={current}>
              <div>
                <div className="knp-history-when">{fmt.format(h.at)} · {t(`share.source.${h.source}`)}{current ? ` · ${t('share.current')}` : ''}</div>
                <div className="knp-history-what">{firstLine(h.yaml)}{h.journal.length ? ` · ${t('share.commands', { count: h.journal.length })}` : ''}</div>
              </div>
              <button type="button" className="knp-btn" disabled={current || !session} onClick={() => void session?.restoreVersion(h.id)}>{t('share.restore')}</button>
            </li>
          );
        })}
      </ol>
    </aside>
  );
}

function firstLine(yaml: string): string {
  const m = /name:\s*["']?([^"',}\s]+)/.exec(yaml);
  return m?.[1] ?? '—';
}
