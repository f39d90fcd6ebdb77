/**
 * Label selectors as NetworkPolicy uses them (metav1.LabelSelector): matchLabels AND every
 * matchExpression (In, NotIn, Exists, DoesNotExist). An empty selector selects everything.
 * Also kubectl's way of printing one (metav1.FormatLabelSelector).
 */
import type { LabelSelector } from '../scenario/schema/common';

type Labels = Readonly<Record<string, string>>;

export function selectorMatches(sel: LabelSelector | undefined, labels: Labels): boolean {
  if (!sel) return true;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const v = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !(e.values ?? []).includes(v!)) return false; break;
      case 'NotIn': if (has && (e.values ?? []).includes(v!)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
    }
  }
  return true;
}

export function selectorIsEmpty(sel: LabelSelector | undefined): boolean {
  return !sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0);
}

/** "app=web,tier in (a,b),!legacy" — requirements sorted by key, as kubectl prints them; "<none>" if empty. */
export function formatSelector(sel: LabelSelector | undefined): string {
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel?.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(',');
    const text = e.operator === 'In' ? `${e.key} in (${vals})` : e.operator === 'NotIn' ? `${e.key} notin (${vals})` : e.operator === 'Exists' ? e.key : `!${e.key}`;
    reqs.push({ key: e.key, text });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.length ? reqs.map((r) => r.text).join(',') : '<none>';
}
