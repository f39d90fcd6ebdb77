/**
 * A diagnostic in the UI's language, from its stable code: in zh-CN the full sentence when the
 * catalog has one and the diagnostic carries its params, else the code's title with the engine's
 * own sentence (which names the values) as the detail in English; in English the engine's own
 * sentence. Never a blank.
 */
import i18next from 'i18next';
import type { Diagnostic } from '../../engine';
import type { Lang } from '../i18n';

export interface Rendered { readonly message: string; readonly hint: string | null }

/** The few words drawn on the canvas next to the object a warning is about. */
export function renderShort(d: Diagnostic, lang: Lang, t = i18next.getFixedT(lang)): string {
  const base = `diag.${d.code}`;
  if (d.params && i18next.exists(`${base}.short`, { lng: lang } as never)) return t(`${base}.short`, d.params);
  return i18next.exists(`${base}.title`, { lng: lang } as never) ? t(`${base}.title`) : d.message;
}

export function renderDiagnostic(d: Diagnostic, lang: Lang, t = i18next.getFixedT(lang)): Rendered {
  // English: the engine's own sentence and hint, which name every value (the catalog's English
  // templates say the same from the params; the CLI prints the engine's).
  if (lang === 'en') return { message: d.message, hint: d.hint ?? null };
  const base = `diag.${d.code}`;
  const has = (k: string) => i18next.exists(`${base}.${k}`, { lng: lang, fallbackLng: false } as never);
  const hint = d.params && has('hint') ? t(`${base}.hint`, d.params) : d.hint ?? null;
  if (d.params && has('message')) return { message: t(`${base}.message`, d.params), hint };
  if (!has('title')) return { message: d.message, hint };
  return { message: `${t(`${base}.title`)}：${d.message}`, hint };
}
