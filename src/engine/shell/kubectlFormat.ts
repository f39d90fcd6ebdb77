/**
 * How kubectl lays text out: the tabwriter behind `get` tables (min width 6, padding 3) and
 * `describe` blocks (padding 2), HumanDuration for AGE, RFC 3339 timestamps. Simulated time:
 * the cluster started at CLUSTER_EPOCH; an object's age is derived from sim.now, never a clock.
 */
import type { Sim } from '../sim';
import { AGE_BASE } from '../control/meta';

/** Wall-clock time the simulated cluster started (only used to print timestamps). */
export const CLUSTER_EPOCH_MS = Date.UTC(2024, 4, 1, 9, 0, 0);

export function nowSeconds(sim: Sim): number {
  return (sim.model.ageBase ?? AGE_BASE) + Math.floor(sim.now / 1000);
}

export function ageOf(sim: Sim, createdAt: number): string {
  return humanDuration(nowSeconds(sim) - createdAt);
}

export function timestamp(createdAt: number): string {
  return new Date(CLUSTER_EPOCH_MS + createdAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** "Wed, 01 May 2024 09:00:00 +0000", as describe prints Start Time. */
export function rfc1123(createdAt: number): string {
  const d = new Date(CLUSTER_EPOCH_MS + createdAt * 1000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(seconds: number): string {
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) { const s = seconds % 60; return s === 0 ? `${minutes}m` : `${minutes}m${s}s`; }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(seconds / 3600);
  if (hours < 8) { const m = minutes % 60; return m === 0 ? `${hours}h` : `${hours}h${m}m`; }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) { const h = hours % 24; return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`; }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) { const dy = Math.floor(hours / 24) % 365; const y = Math.floor(hours / 24 / 365); return dy === 0 ? `${y}y` : `${y}y${dy}d`; }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/**
 * Go's text/tabwriter with elastic tabstops: cells end at '\t'; a column's width is set by the
 * run of consecutive lines that have a cell in that column. The last cell of a line is not padded.
 */
export function tabwrite(text: string, minWidth: number, padding: number): string {
  const lines = text.split('\n').map((l) => l.split('\t'));
  const widths: number[][] = lines.map(() => []);
  const format = (col: number, start: number, end: number): void => {
    let i = start;
    while (i < end) {
      // Skip lines with no cell in this column.
      if (lines[i]!.length - 1 <= col) { i++; continue; }
      let j = i;
      let w = 0;
      while (j < end && lines[j]!.length - 1 > col) { w = Math.max(w, lines[j]![col]!.length + padding); j++; }
      w = Math.max(w, minWidth);
      for (let k = i; k < j; k++) widths[k]![col] = w;
      format(col + 1, i, j);
      i = j;
    }
  };
  format(0, 0, lines.length);
  return lines.map((cells, li) => cells.map((c, ci) => (ci < cells.length - 1 ? c.padEnd(widths[li]![ci] ?? 0) : c)).join('')).join('\n');
}

/** A `kubectl get` table. */
export function table(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  return `${tabwrite(rows.map((r) => r.join('\t')).join('\n'), 6, 3)}\n`;
}

/** A `describe` block: lines whose cells are separated by '\t'. */
export function describeBlock(lines: readonly string[]): string {
  return `${tabwrite(lines.join('\n'), 0, 2)}\n`;
}

/** Map printing for describe: first pair on the key's line, the rest indented under it. */
export function describeMap(key: string, m: Readonly<Record<string, string>> | null | undefined, indent = ''): string[] {
  const keys = Object.keys(m ?? {}).sort();
  if (keys.length === 0) return [`${indent}${key}:\t<none>`];
  return keys.map((k, i) => `${i === 0 ? `${indent}${key}:` : ''}\t${k}=${m![k]}`);
}
