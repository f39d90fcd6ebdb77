/** Titles and step counts of every lesson and challenge, loaded once for the course list and the gallery. */
import { useEffect, useState } from 'react';
import type { Bi } from './content';

export interface Catalog {
  readonly lessons: readonly { readonly id: string; readonly title: Bi; readonly steps: readonly string[] }[];
  readonly challenges: readonly { readonly name: string; readonly title: Bi; readonly description: Bi | null }[];
  readonly scenarios: readonly { readonly name: string; readonly blurb: string }[];
}

let cached: Promise<Catalog> | null = null;

export function loadCatalog(seed: number): Promise<Catalog> {
  cached ??= (async () => {
    const c = await import('./content');
    const lessons = (await Promise.all(c.lessonIds.map((id) => c.lesson(id))))
      .flatMap((l) => (l ? [{ id: l.id, title: { en: l.en.title, zh: l.zh.title }, steps: l.steps.steps.map((s) => s.id) }] : []));
    const challenges = await Promise.all(c.challengeNames.map(async (name) => {
      const ch = await c.challenge(name, seed);
      return { name, title: ch.title, description: ch.description };
    }));
    const scenarios = await Promise.all(c.scenarioNames.map(async (name) => ({ name, blurb: c.scenarioBlurb(await c.scenario(name)) })));
    return { lessons, challenges, scenarios };
  })();
  return cached;
}

export function useCatalog(seed: number): Catalog | null {
  const [cat, setCat] = useState<Catalog | null>(null);
  useEffect(() => { let live = true; void loadCatalog(seed).then((c) => { if (live) setCat(c); }); return () => { live = false; }; }, [seed]);
  return cat;
}
