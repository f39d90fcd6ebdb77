/** The browser tier's shared setup for a describe block (kept apart from harness.ts, which the bench also imports). */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildAndServe, launch, type Site } from './harness';

/** One production build served and one Chromium, made before the block's tests and closed after them. */
export function browserSuite(): { readonly site: Site; readonly browser: Browser } {
  const env = {} as { site: Site; browser: Browser };
  beforeAll(async () => {
    env.site = await buildAndServe();
    env.browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await env.browser?.close();
    await env.site?.close();
  });
  return env;
}
