/**
 * UI strings owned by one feature each, in both languages. A feature keeps its strings in its
 * own module here (`bilingual(en, zh)` makes the Chinese side keep the English shape) and adds
 * one line to FEATURES; `initI18n` merges them over the base strings in `../en.ts`.
 */
import { layout } from './layout';
import { learn } from './learn';
import { share } from './share';
import { engineMessages, storyStrings } from './story';
import { watchdog } from './watchdog';

export type Tree = { readonly [key: string]: string | Tree };

export interface Bilingual {
  readonly en: Tree;
  readonly 'zh-CN': Tree;
}

/** Both languages of one feature; the type makes the Chinese strings mirror the English keys. */
export function bilingual<T extends Tree>(en: T, zh: { [K in keyof T]: T[K] extends string ? string : T[K] }): Bilingual {
  return { en, 'zh-CN': zh as Tree };
}

import { diagnostics } from './diagnostics';
import { follow } from './follow';
import { hooks } from './hooks';
import { compareSettings } from './compareSettings';
import { editObject } from './editObject';
import { traceStrings } from './trace';
import { cost } from './cost';
import { groups } from './groups';
import { packet } from './packet';

export const FEATURES: readonly Bilingual[] = [
  storyStrings, engineMessages, follow, diagnostics, share, watchdog, learn, compareSettings, editObject, traceStrings,
  hooks, layout,
  cost, groups,
  packet,
];
