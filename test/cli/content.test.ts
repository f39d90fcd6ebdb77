/** Every scenario shipped in content/scenarios passes `knp check` without errors. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runKnp } from '../helpers/cli';

const files = readdirSync('content/scenarios').filter((f) => f.endsWith('.yaml')).sort();

describe('content/scenarios', () => {
  it('includes the default scenario and the seeds\' examples', () => {
    expect(files).toEqual(expect.arrayContaining(['default.yaml', 'nodeport.yaml', 'hostport.yaml', 'no-selector-endpoints.yaml']));
  });
  for (const f of files) {
    it(`knp check ${f} finds no errors or warnings`, async () => {
      const r = await runKnp(['check', `content/scenarios/${f}`]);
      // An info line (e.g. what an IPv6 cluster does not walk yet) is neither an error nor a warning.
      expect(r.stdout.split('\n').filter((l) => l && !/: info [a-z0-9-]+: /.test(l)).join('\n')).toBe('');
      expect(r.code).toBe(0);
    });
  }
});
