/** kubectl never crashes: seeded random argument lists give kubectl-style errors, not internal errors. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runArgv } from '../../../src/engine/shell/run';
import type { Target } from '../../../src/engine/shell/types';
import { createRand } from '../../../src/engine/util/rand';

const WORDS = ['get', 'describe', 'exec', 'version', 'cluster-info', 'pods', 'po', 'svc', 'ep', 'endpointslices', 'nodes', 'ns', 'all', 'deploy', 'rs', 'ds', 'sts',
  'configmaps', 'secrets', 'ing', 'ingressclasses', 'netpol', 'svc,ep', 'pod/client', 'client', 'my-nginx', 'nosuch', '-n', 'kube-system', '-A', '-o', 'wide', 'yaml',
  'json', 'name', 'jsonpath={.items[*].metadata.name}', 'jsonpath={range .items[*]}{end}', 'jsonpath={.x[', '-l', 'run=my-nginx', 'a in (b', '--show-labels', '-c', 'x', '--', 'env', 'hostname', ''];

describe('kubectl is robust', () => {
  const { sim } = buildSim(readFileSync('content/scenarios/default.yaml', 'utf8'));
  const targets: Target[] = [{ kind: 'workstation' }, { kind: 'pod', namespace: 'default', name: 'client' }, { kind: 'node', name: 'node-1' }];
  it('400 random command lines end in output or a kubectl error', () => {
    const r = createRand(42);
    for (let i = 0; i < 400; i++) {
      const argv = ['kubectl', ...Array.from({ length: 1 + r.int(6) }, () => WORDS[r.int(WORDS.length)]!)];
      const res = runArgv(sim, targets[i % targets.length]!, argv);
      expect(res.stderr, argv.join(' ')).not.toContain('internal error');
      expect(res.exitCode, argv.join(' ')).toBeLessThan(128);
    }
  });
});
