/** The banner for engine restarts and failures. */
import { useTranslation } from 'react-i18next';
import { select, useActions, useApp } from './store';

export function Notice() {
  const { t } = useTranslation();
  const n = useApp(select.notice);
  const actions = useActions();
  if (!n) return null;
  return (
    <div className={`knp-notice notice-${n.kind}`} role="alert" data-notice={n.kind}>
      <span>{n.kind === 'restarted' ? t('engine.restarted', { reason: n.reason }) : t('engine.failure', { message: n.message })}</span>
      <button type="button" className="knp-btn" onClick={() => actions.dismissNotice()}>{t('engine.dismiss')}</button>
    </div>
  );
}
