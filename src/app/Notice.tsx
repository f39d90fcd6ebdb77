/** The banner for engine restarts and failures. */
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { select, useActions, useApp, type Notice as NoticeState } from './store';

/** What the watchdog did, in the learner's language: why the engine stopped, then what came back. */
export function restartText(t: TFunction, n: Extract<NoticeState, { kind: 'restarted' }>): string {
  const c = n.cause;
  const why = !c ? t('engine.restarted', { reason: n.reason })
    : c.code === 'timeout' ? t('watchdog.timeout', { seconds: c.seconds, request: c.request })
    : c.code === 'crash' ? t('watchdog.crash', { message: c.message })
    : t('watchdog.manual');
  if (!c) return why;
  const parts = [why];
  if (n.recovery === 'rebuilding') parts.push(t('watchdog.rebuilding'));
  else if (n.recovery === 'recovered') {
    parts.push(t('watchdog.recovered'));
    if (n.replayed) parts.push(t('watchdog.replayed', { count: n.replayed }));
    if (n.skipped) parts.push(t('watchdog.skipped', { count: n.skipped }));
  } else parts.push(t(c.code === 'timeout' && (c.request === 'load' || c.request === 'reset') ? 'watchdog.yamlTooSlow' : 'watchdog.gaveUp'));
  return parts.join(' ');
}

export function Notice() {
  const { t } = useTranslation();
  const n = useApp(select.notice);
  const actions = useActions();
  if (!n) return null;
  return (
    <div className={`knp-notice notice-${n.kind}`} role="alert" data-notice={n.kind} {...(n.kind === 'restarted' && n.recovery ? { 'data-recovery': n.recovery } : {})}>
      <span>{n.kind === 'restarted' ? restartText(t, n) : t('engine.failure', { message: n.message })}</span>
      <button type="button" className="knp-btn" onClick={() => actions.dismissNotice()}>{t('engine.dismiss')}</button>
    </div>
  );
}
