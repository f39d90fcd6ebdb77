import { describe, expect, it } from 'vitest';
import { en } from '../../../src/app/i18n/en';
import { zhCN } from '../../../src/app/i18n/zh-CN';
import { FEATURES, type Tree } from '../../../src/app/i18n/features';

/** Every key path to a string, e.g. "player.play". */
function keys(t: Tree, prefix = ''): string[] {
  return Object.entries(t).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)));
}

describe('UI strings', () => {
  it('the base strings have every key in both languages', () => {
    expect(keys(zhCN as unknown as Tree).sort()).toEqual(keys(en as unknown as Tree).sort());
  });

  it('each feature has every key in both languages, non-empty, and no top-level key collides', () => {
    const seen = new Set(Object.keys(en));
    for (const f of FEATURES) {
      expect(keys(f['zh-CN']).sort()).toEqual(keys(f.en).sort());
      for (const t of [f.en, f['zh-CN']]) for (const k of keys(t)) expect(k.length > 0 && lookup(t, k).trim().length).toBeGreaterThan(0);
      for (const top of Object.keys(f.en)) {
        expect(seen.has(top), `top-level key "${top}" is used twice`).toBe(false);
        seen.add(top);
      }
    }
  });
});

function lookup(t: Tree, path: string): string {
  let cur: string | Tree = t;
  for (const part of path.split('.')) cur = (cur as Tree)[part] as string | Tree;
  return cur as string;
}
