/**
 * Issue 16: `knp trace` through an Ingress follows the controller's second connection (`relay:`
 * legs) to the backend Pod, and the JSON names the backend. curl's --resolve and -H reach the
 * Ingress rule's host the way a learner's curl does.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runKnp } from '../../helpers/cli';

const files = { 'i.yaml': readFileSync(new URL('./ingress.yaml', import.meta.url), 'utf8') };
type J = { verdict: string; responder: string; events: { flow: string; type: string; where: { machine: string } }[] };

describe('knp trace through an Ingress', () => {
  it('--resolve: the trace follows the relay: legs to the backend, which the JSON names', async () => {
    const r = await runKnp(['trace', 'i.yaml', '--from', 'host/laptop', '--to', 'http://a.example.com/', '--resolve', 'a.example.com:80:192.168.1.11', '--json'], { files });
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as J;
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toMatch(/^pod\/default\/web-/);
    expect(t.events.some((e) => e.flow.startsWith('relay:') && e.type === 'deliver' && e.where.machine === t.responder)).toBe(true);
  });

  it('--header Host: the same, to a node address', async () => {
    const r = await runKnp(['trace', 'i.yaml', '--from', 'host/laptop', '--to', 'http://192.168.1.12/', '--header', 'Host: a.example.com'], { files });
    expect(r.stdout).toMatch(/\[relay:syn\]/);
    expect(r.stdout).toMatch(/responder: pod\/default\/web-/);
  });

  it('rejects a malformed --resolve', async () => {
    const r = await runKnp(['trace', 'i.yaml', '--from', 'host/laptop', '--to', 'http://a.example.com/', '--resolve', 'a.example.com'], { files });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('knp: --resolve must be HOST:PORT:ADDR, not "a.example.com"\n');
  });
});
