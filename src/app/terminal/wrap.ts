/**
 * Wraps text for a terminal of `cols` columns on word boundaries: a line breaks at a space,
 * never inside a word, and between two CJK characters (which take two columns each and have
 * no spaces between words). A word longer than a line is cut, as the terminal would.
 */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
export const widthOf = (s: string): number => [...s].reduce((w, ch) => w + (WIDE.test(ch) ? 2 : 1), 0);

export function wrapWords(text: string, cols: number): string[] {
  if (cols < 2) return [text];
  // Units that may not be split: runs of non-space, non-CJK characters; each CJK character (with
  // the punctuation that follows it) alone; spaces separate.
  const units = text.match(/ +|[\u3000-\u303f\uff00-\uffef]+|[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff][\u3000-\u303f\uff0c\uff1a\uff1b\uff01\uff1f\uff09]*|[^ \u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+/g) ?? [];
  const lines: string[] = [];
  let cur = '';
  for (const u of units) {
    if (/^ +$/.test(u)) { if (cur && widthOf(cur) + u.length <= cols) cur += u; else if (cur) { lines.push(cur.trimEnd()); cur = ''; } continue; }
    if (widthOf(cur) + widthOf(u) <= cols) { cur += u; continue; }
    if (cur.trim()) lines.push(cur.trimEnd());
    cur = '';
    let rest = u;
    while (widthOf(rest) > cols) {
      let cut = '';
      for (const ch of rest) { if (widthOf(cut + ch) > cols) break; cut += ch; }
      lines.push(cut);
      rest = rest.slice(cut.length);
    }
    cur = rest;
  }
  if (cur.trim()) lines.push(cur.trimEnd());
  return lines;
}
