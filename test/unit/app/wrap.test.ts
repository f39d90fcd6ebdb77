import { describe, expect, it } from 'vitest';
import { widthOf, wrapWords } from '../../../src/app/terminal/wrap';
import { en } from '../../../src/app/i18n/en';
import { zhCN } from '../../../src/app/i18n/zh-CN';

const welcome = (s: string) => s.replace('{{target}}', 'node/node-1').replace('{{example}}', 'kubectl get pods -o wide');

describe('terminal welcome line', () => {
  it.each([[48], [57], [63], [80]])('wraps on word boundaries in English at %i columns', (cols) => {
    const text = welcome(en.terminal.welcome);
    const lines = wrapWords(text, cols);
    for (const l of lines) { expect(widthOf(l)).toBeLessThanOrEqual(cols); expect(l).toBe(l.trim()); }
    // Joining the lines with spaces gives the text back: no word was cut.
    expect(lines.join(' ')).toBe(text.replace(/ +/g, ' '));
  });

  it.each([[48], [57], [63]])('wraps Chinese by display width (two columns a character) at %i columns', (cols) => {
    const text = welcome(zhCN.terminal.welcome);
    const lines = wrapWords(text, cols);
    for (const l of lines) expect(widthOf(l)).toBeLessThanOrEqual(cols);
    expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    // Latin words inside the Chinese text are not split either.
    for (const w of ['node/node-1', 'kubectl']) expect(lines.some((l) => l.includes(w))).toBe(true);
  });
});
