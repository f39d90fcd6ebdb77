/** Control-plane diagnostics point at the field the user wrote, through each object's Origin. */
import type { Diagnostic, Severity } from '../scenario/diagnostics';
import { NO_RANGE } from '../scenario/diagnostics';
import type { Origin } from '../scenario/load';
import type { Path } from '../scenario/source';

/** What a diagnostic is about, for a UI that names it next to the object and in its own words. */
/** The values a diagnostic's message names, by name. */
export type Params = Readonly<Record<string, string | number>>;

export interface About {
  readonly subject?: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

export class Reporter {
  constructor(readonly ds: Diagnostic[], private readonly fallbackFile = 'scenario.yaml') {}

  report(origin: Origin | undefined, path: Path, severity: Severity, code: string, message: string, hint?: string, key = false, about: About = {}): void {
    const range = origin ? safeLocate(origin, path, key) : NO_RANGE;
    this.ds.push({ file: origin?.file ?? this.fallbackFile, ...range, severity, code, message, ...(hint ? { hint } : {}), ...about });
  }
  /** `params`: the values the message names (src/engine/i18n/diagnostics.ts writes the sentence from them). */
  error(origin: Origin | undefined, path: Path, code: string, message: string, hint?: string, key = false, params?: About['params']): void {
    this.report(origin, path, 'error', code, message, hint, key, params ? { params } : {});
  }
  warn(origin: Origin | undefined, path: Path, code: string, message: string, hint?: string, about?: About): void {
    this.report(origin, path, 'warning', code, message, hint, false, about);
  }
}

function safeLocate(origin: Origin, path: Path, key: boolean) {
  try { return origin.locate(path, key); } catch { return NO_RANGE; }
}
