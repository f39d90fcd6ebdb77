/**
 * Golden traces on hand-built networks: small networks in, readable traces out
 * (test/golden/trace/NAME.txt). The cases are test/golden/trace/cases.ts, shared with the story.
 * Regenerate with UPDATE_GOLDEN=1 npx vitest run test/unit/stack/golden.test.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatTrace } from '../../../src/engine/trace/format';
import { expectTraceCase, TRACE_CASES } from '../../golden/trace/cases';

const DIR = new URL('../../golden/trace/', import.meta.url);

function golden(name: string, text: string): void {
  const file = new URL(`${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(file, text);
  }
  expect(existsSync(file), `missing golden ${name}.txt: run UPDATE_GOLDEN=1 npx vitest run test/unit/stack/golden.test.ts`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

describe('golden traces', () => {
  for (const c of TRACE_CASES.filter((x) => x.group === 'hand-built')) {
    it(c.title, () => expectTraceCase(c, formatTrace(c.trace()), golden));
  }
});
