/**
 * iptables-save goldens: restore kube-proxy's input (test/golden/netfilter/*.input, the text
 * kube-proxy pipes to `iptables-restore --noflush --counters`) and compare what iptables-save
 * prints with test/golden/netfilter/*.save. Regenerate: UPDATE_GOLDEN=1 npx vitest run test/unit/netfilter/golden.test.ts
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iptablesRestore, iptablesSave } from '../../../src/engine/netfilter/restore';
import { nodeNs } from './fixtures';

const DIR = join(__dirname, '../../golden/netfilter');
const KUBE_PROXY_GOLDENS = join(__dirname, '../../golden/iptables');

describe('iptables-save goldens', () => {
  for (const f of readdirSync(DIR).filter((x) => x.endsWith('.input'))) {
    it(f, () => {
      const ns = nodeNs();
      expect(iptablesRestore(ns, readFileSync(join(DIR, f), 'utf8'), { noflush: true, counters: true })).toEqual({ ok: true });
      const out = iptablesSave(ns);
      const golden = join(DIR, f.replace(/\.input$/, '.save'));
      if (process.env['UPDATE_GOLDEN'] || !existsSync(golden)) writeFileSync(golden, out);
      expect(out).toBe(readFileSync(golden, 'utf8'));
    });
  }

  it("every kube-proxy golden loads with iptables-restore and survives a save/restore round trip", () => {
    const files = existsSync(KUBE_PROXY_GOLDENS) ? readdirSync(KUBE_PROXY_GOLDENS).filter((x) => x.endsWith('.rules')) : [];
    for (const f of files) {
      const ns = nodeNs();
      const r = iptablesRestore(ns, readFileSync(join(KUBE_PROXY_GOLDENS, f), 'utf8'), { noflush: true, counters: true });
      expect({ f, r }).toEqual({ f, r: { ok: true } });
      const saved = iptablesSave(ns);
      const again = nodeNs();
      expect(iptablesRestore(again, saved)).toEqual({ ok: true });
      expect(iptablesSave(again)).toBe(saved);
    }
  });
});
