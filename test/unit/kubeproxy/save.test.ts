/**
 * Every ruleset golden loaded through the netfilter engine's iptables-restore and printed by its
 * iptables-save: the text a learner sees with `iptables-save` on the node. Files:
 * test/golden/iptables/*.save next to each *.rules.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { iptablesRestore, iptablesSave } from '../../../src/engine/netfilter/restore';
import type { NetNs } from '../../../src/engine/net/types';
import { expectGolden, GOLDEN_DIR } from './golden';

const fresh = (): NetNs => ({ id: 'node/node-1', owner: { kind: 'node', name: 'node-1' }, machine: 'node-1', links: [], routes: [], neigh: [], sysctl: {}, listeners: [], nextIfindex: 1 });

describe('iptables-save of the generated rulesets', () => {
  for (const file of readdirSync(GOLDEN_DIR).filter((f) => f.endsWith('.rules')).sort()) {
    it(file, () => {
      const ns = fresh();
      // kube-proxy's own text is applied with --noflush, as kube-proxy runs iptables-restore.
      const r = iptablesRestore(ns, readFileSync(join(GOLDEN_DIR, file), 'utf8'), { noflush: file.startsWith('kube-proxy-') });
      expect(r).toEqual({ ok: true });
      expectGolden(file.replace(/\.rules$/, '.save'), iptablesSave(ns));
    });
  }
});
