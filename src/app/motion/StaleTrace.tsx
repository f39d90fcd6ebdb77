/**
 * Says so when the trace being replayed was walked on other YAML than the editor holds, and
 * sends it again on the new text in one click. The store refuses to play a stale run, and the
 * canvas stops drawing its packets: what is shown is never a network that no longer exists.
 */
import { useTranslation } from 'react-i18next';
import { select, useActions, useApp } from '../store';

export function StaleTrace() {
  const { t } = useTranslation();
  const stale = useApp(select.stale);
  const sending = useApp(select.sending);
  const actions = useActions();
  if (!stale) return null;
  return (
    <div className="knp-stale" data-testid="trace-stale" role="status">
      <span className="knp-stale-icon" aria-hidden>⟳</span>
      <span className="knp-stale-text"><strong>{t('stale.title')}</strong> <span className="knp-muted">{t('stale.body')}</span></span>
      <button type="button" className="knp-btn primary" data-testid="trace-resend" disabled={sending} onClick={() => void actions.resend()}>
        {sending ? t('stale.resending') : t('stale.resend')}
      </button>
    </div>
  );
}
