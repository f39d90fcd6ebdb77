/**
 * Rejects: each file under cases/ starts with `# expect: SEVERITY CODE LINE:COL` and must
 * produce that diagnostic at that exact position (what the editor underlines).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine/index';

const dir = join(__dirname, 'cases');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

describe('bad input becomes a diagnostic at the right place', () => {
  it('has at least 30 cases', () => expect(files.length).toBeGreaterThanOrEqual(30));
  for (const f of files) {
    it(f, () => {
      const text = readFileSync(join(dir, f), 'utf8');
      const m = /^# expect: (error|warning|info) ([a-z0-9-]+) (\d+):(\d+)/.exec(text);
      expect(m, 'first line must be "# expect: SEVERITY CODE LINE:COL"').not.toBeNull();
      const [, severity, code, line, col] = m!;
      const { diagnostics } = buildSim(text, { file: f });
      const hits = diagnostics.filter((d) => d.code === code);
      expect(hits.map((d) => `${d.severity} ${d.line}:${d.col}`), diagnostics.map((d) => `${d.line}:${d.col} ${d.code}`).join('\n')).toContain(`${severity} ${line}:${col}`);
      expect(hits[0]!.message.length).toBeGreaterThan(10);
    });
  }
});
