/** UI strings in English and Simplified Chinese; the language switch changes them live. */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';
import { FEATURES } from './features';

export const LANGUAGES = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '中文' },
] as const;
export type Lang = (typeof LANGUAGES)[number]['code'];

export function initI18n(lang: Lang): typeof i18next {
  void i18next.use(initReactI18next).init({
    resources: {
      en: { translation: Object.assign({}, en, ...FEATURES.map((f) => f.en)) },
      'zh-CN': { translation: Object.assign({}, zhCN, ...FEATURES.map((f) => f['zh-CN'])) },
    },
    lng: lang,
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    initImmediate: false,
  } as Parameters<typeof i18next.init>[0]);
  return i18next;
}

export function detectLang(): Lang {
  const saved = globalThis.localStorage?.getItem('knp.lang');
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return globalThis.navigator?.language?.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}
