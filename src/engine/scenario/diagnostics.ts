/**
 * Diagnostics: every problem with the user's input becomes one of these, never an exception.
 * Codes are stable (tests, docs and the editor rely on them); messages say how to fix it.
 */
import { renderDiagnostic } from '../i18n/diagnostics';
import type { EngineLang } from '../i18n/messages';
export type Severity = 'error' | 'warning' | 'info';

export interface SourceRange {
  /** 1-based line and column, like editors and compilers print them. */
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export interface Diagnostic extends SourceRange {
  readonly file: string;
  readonly severity: Severity;
  readonly code: string;
  readonly message: string;
  /** How to fix it, when there is something specific to say. */
  readonly hint?: string;
  /**
   * The values the message names (a Service, a port, a plugin), so a UI can say it in its own
   * words from the stable code; `message` stays the English sentence the CLI prints.
   */
  readonly params?: Readonly<Record<string, string | number>>;
  /** The object the problem is about, named as the playground names it: svc/NS/NAME, netpol/NS/NAME. */
  readonly subject?: string;
}

export const NO_RANGE: SourceRange = { line: 1, col: 1, endLine: 1, endCol: 1 };

/** FILE:LINE:COL: severity code: message (hint); in zh-CN the code's sentence from its params (i18n/diagnostics.ts). */
export function formatDiagnostic(d: Diagnostic, lang: EngineLang = 'en'): string {
  const r = renderDiagnostic(d, lang);
  const hint = r.hint ? (lang === 'zh-CN' ? `（${r.hint}）` : ` (${r.hint})`) : '';
  return `${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${r.message}${hint}`;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
  return ds.some((d) => d.severity === 'error');
}

export function sortDiagnostics(ds: Diagnostic[]): Diagnostic[] {
  return ds.sort((a, b) => a.line - b.line || a.col - b.col || a.code.localeCompare(b.code));
}
