/**
 * Golden transcripts: each case runs command lines in targets and compares the terminal text
 * ("$ target: command" then its output) with test/golden/ip/NAME.txt exactly.
 * Regenerate with: UPDATE_GOLDEN=1 npx vitest run test/golden/ip
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { formatTarget, type Target } from '../../../src/engine/shell/types';
import { runLine } from '../../../src/engine/shell/run';
import type { Sim } from '../../../src/engine/sim';

export function transcript(s: Sim, steps: readonly [Target, string][]): string {
  return steps.map(([t, line]) => {
    const r = runLine(s, t, line);
    return `$ ${formatTarget(t)}: ${line}\n${r.stdout}${r.stderr}${r.exitCode ? `[exit ${r.exitCode}]\n` : ''}`;
  }).join('\n');
}

export function expectGolden(name: string, text: string): void {
  const path = new URL(`./${name}.txt`, import.meta.url);
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}
