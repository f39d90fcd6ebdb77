/**
 * Label selectors, as the API server evaluates them: `matchLabels` and `matchExpressions`
 * (In, NotIn, Exists, DoesNotExist) ANDed together, plus the string form `kubectl -l` takes
 * ("app=web,tier!=db,env in (a,b),!canary").
 */
import type { LabelSelector } from '../scenario/schema/common';

export type Labels = Readonly<Record<string, string>>;

/** A Service's selector: a plain map, every pair must match. An empty map matches nothing for Services (handled by callers). */
export function matchesMap(labels: Labels, selector: Labels): boolean {
  for (const [k, v] of Object.entries(selector)) if (labels[k] !== v) return false;
  return true;
}

/** metav1.LabelSelector semantics: an empty selector matches everything. */
export function matchesSelector(labels: Labels, selector: LabelSelector | undefined | null): boolean {
  if (!selector) return false;
  if (selector.matchLabels && !matchesMap(labels, selector.matchLabels)) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const v = labels[e.key];
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In': if (!has || !values.includes(v!)) return false; break;
      case 'NotIn': if (has && values.includes(v!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}

/** `app=web,tier` style printing, as kubectl shows selectors (keys sorted). */
export function formatLabels(labels: Labels | null | undefined, empty = '<none>'): string {
  if (!labels) return empty;
  const keys = Object.keys(labels).sort();
  return keys.length ? keys.map((k) => `${k}=${labels[k]}`).join(',') : empty;
}

export function formatSelector(s: LabelSelector | undefined): string {
  if (!s) return '<none>';
  const parts: string[] = [];
  for (const k of Object.keys(s.matchLabels ?? {}).sort()) parts.push(`${k}=${s.matchLabels![k]}`);
  for (const e of s.matchExpressions ?? []) {
    switch (e.operator) {
      case 'In': parts.push(`${e.key} in (${(e.values ?? []).join(',')})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${(e.values ?? []).join(',')})`); break;
      case 'Exists': parts.push(e.key); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
    }
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** Parses `kubectl -l` syntax into a LabelSelector; returns an error string like kubectl's on bad input. */
export function parseSelectorString(s: string): LabelSelector | string {
  const matchLabels: Record<string, string> = {};
  const matchExpressions: NonNullable<LabelSelector['matchExpressions']> = [];
  // Split on commas that are not inside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) { parts.push(cur); cur = ''; continue; }
    cur += c;
  }
  parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) continue;
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      matchExpressions.push({ key: m[1]!, operator: m[2] === 'in' ? 'In' : 'NotIn', values: m[3]!.split(',').map((x) => x.trim()).filter(Boolean) });
    } else if ((m = /^([\w./-]+)\s*!=\s*([\w.-]*)$/.exec(p))) {
      matchExpressions.push({ key: m[1]!, operator: 'NotIn', values: [m[2]!] });
    } else if ((m = /^([\w./-]+)\s*==?\s*([\w.-]*)$/.exec(p))) {
      if (matchLabels[m[1]!] !== undefined && matchLabels[m[1]!] !== m[2]) matchExpressions.push({ key: m[1]!, operator: 'In', values: [m[2]!] });
      else matchLabels[m[1]!] = m[2]!;
    } else if ((m = /^!([\w./-]+)$/.exec(p))) {
      matchExpressions.push({ key: m[1]!, operator: 'DoesNotExist' });
    } else if ((m = /^([\w./-]+)$/.exec(p))) {
      matchExpressions.push({ key: m[1]!, operator: 'Exists' });
    } else {
      return `error: unable to parse requirement: found '${p}', expected: in, notin, =, ==, !=, gt, lt`;
    }
  }
  return { matchLabels, matchExpressions };
}
