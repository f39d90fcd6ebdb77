/**
 * An engine message (src/engine/i18n/messages.ts) in the page's language: `msg.<code>` with its
 * parameters, lists joined as the language writes them, plural forms chosen by `count`.
 */
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { paramsFor, type Message } from '../../engine/i18n/messages';

export function useMessageText(): (m: Message) => string {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  return useCallback((m: Message) => t(`msg.${m.code}`, { ...paramsFor(m.params, lang), interpolation: { escapeValue: false } }), [t, lang]);
}
