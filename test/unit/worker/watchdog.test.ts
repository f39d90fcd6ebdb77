/**
 * The watchdog (src/worker/client.ts): a request past its budget gets the worker replaced, the
 * simulation rebuilt from the YAML and the command journal, and listeners told what happened.
 * The hung worker is an in-process engine that never answers the test-only `stall` request.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BUDGETS_MS, EngineClient, type EngineEvent } from '../../../src/worker/client';
import { inProcessTransport } from '../../../src/worker/in-process';
import type { Transport } from '../../../src/worker/transport';

const DEFAULT = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');

let client: EngineClient | null = null;
let made = 0;
/** An engine that hangs on `stall` (and, when `hangOn` says so, on other lines too). */
function hangingClient(timeoutMs: number, hangOn: (line: string) => boolean = () => false): EngineClient {
  made = 0;
  client = new EngineClient((): Transport => {
    made++;
    const t = inProcessTransport();
    return { ...t, post: (m) => { if (m.req.type === 'stall' || (m.req.type === 'exec' && hangOn(m.req.line))) return; t.post(m); } };
  }, { timeoutMs });
  return client;
}
afterEach(() => { client?.close(); client = null; });

function next(c: EngineClient, kind: EngineEvent['kind']): Promise<EngineEvent> {
  return new Promise((ok) => { const off = c.on((e) => { if (e.kind === kind) { off(); ok(e); } }); });
}

describe('the engine watchdog', () => {
  it('has budgets of a few seconds for what the learner waits on', () => {
    expect(BUDGETS_MS.exec).toBeLessThanOrEqual(5_000);
    expect(BUDGETS_MS.trace).toBeLessThanOrEqual(5_000);
    expect(BUDGETS_MS.load).toBeLessThanOrEqual(15_000);
  });

  it('cancels a runaway request, restarts the worker and replays the journal into it', async () => {
    const c = hangingClient(200);
    await c.load(DEFAULT, 1);
    const scaled = await c.exec('node/node-1', 'kubectl scale deployment my-nginx --replicas=3');
    expect(scaled.ok && scaled.value.result.exitCode).toBe(0);
    await c.exec('node/node-1', 'echo read-only lines are not journaled');
    expect(c.journal()).toEqual([{ target: 'node/node-1', line: 'kubectl scale deployment my-nginx --replicas=3' }]);

    const restarted = next(c, 'restarted');
    const recovered = next(c, 'recovered');
    const r = await c.stall(60_000);
    expect(r.ok ? null : r.error.code).toBe('worker-died');
    const e = await restarted;
    expect(e.kind === 'restarted' && e.cause).toEqual({ code: 'timeout', request: 'stall', seconds: 0.2 });
    expect(e.kind === 'restarted' && e.rebuilding).toBe(true);
    const rec = await recovered;
    expect(rec.kind === 'recovered' && rec.replayed).toBe(1);
    expect(made).toBe(2);

    // The new engine has the YAML and the scaled Deployment back.
    const pods = await c.exec('node/node-1', 'kubectl get pods');
    expect(pods.ok && pods.value.result.stdout.match(/^my-nginx-/gm)?.length).toBe(3);
  });

  it('rebuilds from the YAML alone when a journal line hangs too, then stops trying', async () => {
    const c = hangingClient(150, (line) => line.includes('--replicas=3'));
    await c.load(DEFAULT, 1);
    // Journal a line that hangs when it is replayed (it answered the first time).
    (c as unknown as { ownJournal: { target: string; line: string }[] }).ownJournal.push({ target: 'node/node-1', line: 'kubectl scale deployment my-nginx --replicas=3' });
    const events: EngineEvent[] = [];
    c.on((e) => events.push(e));
    const recovered = next(c, 'recovered');
    await c.stall(60_000);
    const rec = await recovered;
    expect(rec.kind === 'recovered' && rec.replayed).toBe(0);
    expect(events.filter((e) => e.kind === 'restarted').length).toBe(2);
    const pods = await c.exec('node/node-1', 'kubectl get pods');
    expect(pods.ok && pods.value.result.stdout.match(/^my-nginx-/gm)?.length).toBe(2);
  });

  it('does not rebuild a YAML whose build ran past its budget', async () => {
    const c = hangingClient(100);
    const events: EngineEvent[] = [];
    c.on((e) => events.push(e));
    await c.load(DEFAULT, 1);
    // Pretend the build itself hung: the watchdog fires on a load.
    (c as unknown as { replace(r: string, cause: unknown): void }).replace('slow', { code: 'timeout', request: 'load', seconds: 0.1 });
    const e = events.find((x) => x.kind === 'restarted');
    expect(e?.kind === 'restarted' && e.rebuilding).toBe(false);
  });
});
