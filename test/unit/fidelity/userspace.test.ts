/**
 * Issue 16: userspace kube-proxy tries another endpoint when the chosen one refuses or does not
 * answer; when every endpoint fails it closes the client's connection (the client reads an empty
 * reply), instead of leaving the client waiting.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, walk } from '../../../src/engine';

const yaml = readFileSync(new URL('./userspace.yaml', import.meta.url), 'utf8');
const to = (sim: ReturnType<typeof buildSim>['sim'], name: string): string => `http://${sim.model.services.find((s) => s.meta.name === name)!.clusterIP}/`;
const apps = (t: ReturnType<typeof walk>): string[] => t.events.filter((e) => e.type === 'app' && e.where.machine === 'node/node-1').map((e) => e.summary);

describe('userspace kube-proxy retries', () => {
  it('an unreachable endpoint first: the proxy retries the next one and the client gets its answer', () => {
    const { sim } = buildSim(yaml);
    const t = walk(sim, { from: 'pod/default/client', to: to(sim, 'mixed') });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('pod/default/web');
    expect(apps(t)).toEqual([
      'kube-proxy (userspace) default/mixed: round-robin picks 10.244.1.200:80, opening a new connection from the node',
      'kube-proxy (userspace) default/mixed: retries with 10.244.1.3:80, opening a new connection from the node',
      'kube-proxy (userspace): relays the answer of 10.244.1.3:80',
    ]);
  });

  it('every endpoint refuses: the proxy closes the client connection (empty reply), not a client timeout', () => {
    const { sim } = buildSim(yaml);
    const t = walk(sim, { from: 'pod/default/client', to: to(sim, 'dead') });
    expect(t.verdict).toBe('refused');
    expect(t.responder).toBe('node/node-1');
    expect(t.reason).toMatch(/^connection closed by 10\.\d+\.\d+\.\d+:80 without a response \(empty reply from server\)$/);
    expect(t.events.some((e) => e.type === 'send' && e.where.machine === 'node/node-1' && /\[F\.\]/.test(e.summary) && e.summary.startsWith('close: '))).toBe(true);
  });
});
