import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineClient, type EngineEvent } from '../../../src/worker/client';
import { inProcessTransport, type InProcessTransport } from '../../../src/worker/in-process';
import { PROTOCOL_VERSION } from '../../../src/worker/protocol';
import { EngineHost } from '../../../src/worker/host';

const DEFAULT = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');

let client: EngineClient | null = null;
let transports: InProcessTransport[] = [];
function makeClient(timeoutMs?: number): EngineClient {
  transports = [];
  client = new EngineClient(() => { const t = inProcessTransport(); transports.push(t); return t; }, timeoutMs ? { timeoutMs } : {});
  return client;
}
afterEach(() => { client?.close(); client = null; });

describe('engine client over the in-process transport', () => {
  it('loads the default scenario and answers with diagnostics, a snapshot and the command names', async () => {
    const r = await makeClient().load(DEFAULT, 1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.value.snapshot.cluster.plugin).toBe('flannel');
    expect(r.value.commands).toContain('echo');
  });

  it('reports YAML problems as diagnostics with positions, not as errors', async () => {
    const r = await makeClient().load('apiVersion: v1\nkind: Pod\nmetadata: {name: [}\n', 1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.diagnostics.length).toBeGreaterThan(0);
    expect(r.value.diagnostics[0]!.line).toBe(3);
  });

  it('runs a command line in a target', async () => {
    const c = makeClient();
    await c.load(DEFAULT, 1);
    const r = await c.exec('node/node-1', 'echo hello world');
    expect(r.ok && r.value.result.stdout).toBe('hello world\n');
  });

  it('answers an unknown target the way a shell would, as output', async () => {
    const c = makeClient();
    await c.load(DEFAULT, 1);
    const r = await c.exec('nowhere', 'echo hi');
    expect(r.ok && r.value.result.exitCode).toBe(2);
  });

  it('refuses exec before any scenario is loaded, as data with a code', async () => {
    const r = await makeClient().exec('node/node-1', 'echo hi');
    expect(r.ok ? null : r.error.code).toBe('not-loaded');
  });

  it('returns a trace for a walk request', async () => {
    const c = makeClient();
    await c.load(DEFAULT, 1);
    const r = await c.trace({ from: 'pod/default/client', to: 'http://my-nginx/' });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.trace.from).toBe('pod/default/client');
  });

  it('drops a stale load when a newer one was sent', async () => {
    const c = makeClient();
    const first = c.load(DEFAULT, 1);
    const second = c.load(DEFAULT.replace('replicas: 2', 'replicas: 3'), 1);
    expect((await first).ok ? 'ok' : (await first as { error: { code: string } }).error.code).toBe('superseded');
    expect((await second).ok).toBe(true);
  });

  it('restarts a dead engine, fails what was pending, reloads the scenario and says so', async () => {
    const c = makeClient();
    const events: EngineEvent[] = [];
    c.on((e) => events.push(e));
    await c.load(DEFAULT, 1);
    transports[0]!.kill('boom');
    const r = await c.exec('node/node-1', 'echo lost');
    expect(r.ok ? null : r.error.code).toBe('worker-died');
    expect(events.some((e) => e.kind === 'restarted' && e.reason === 'boom')).toBe(true);
    const again = await c.exec('node/node-1', 'echo back');
    expect(again.ok && again.value.result.stdout).toBe('back\n');
  });

  it('treats an engine that stops answering as dead', async () => {
    const c = makeClient(50);
    await c.load(DEFAULT, 1);
    transports[0]!.close(); // silently gone: no crash event, no answers
    const r = await c.exec('node/node-1', 'echo hi');
    expect(r.ok ? null : r.error.code).toBe('worker-died');
    expect(c.restarts).toBe(1);
  });

  it('rejects a request from another protocol version', () => {
    const res = new EngineHost().handle({ v: PROTOCOL_VERSION + 1, id: 7, req: { type: 'reset' } });
    expect(res.ok ? null : res.error.code).toBe('version-mismatch');
  });
});

describe('the lab script through the protocol', () => {
  it('gives the knp lab script for the loaded scenario, with its probes', async () => {
    const c = makeClient();
    await c.load(DEFAULT, 1);
    const r = await c.lab();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.problems).toEqual([]);
    expect(r.value.script).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(r.value.script).toContain('iptables-restore');
  });

  it('refuses before a scenario is loaded', async () => {
    const r = await makeClient().lab();
    expect(r.ok).toBe(false);
  });
});

describe('goals through the protocol', () => {
  it('grades the loaded Challenge on the live Sim, and a terminal fix turns a goal green', async () => {
    const c = makeClient();
    const file = readFileSync(new URL('../../../content/challenges/pods-cannot-talk.yaml', import.meta.url), 'utf8');
    await c.load(file, 1);
    const before = await c.goals();
    expect(before.ok).toBe(true);
    if (!before.ok) return;
    expect(before.value.results.map((r) => [r.kind, r.pass])).toEqual([['reach', false], ['path', false], ['unchanged', true]]);
    expect(before.value.results[0]!.zh).toContain('无法访问');
    await c.exec('node/node-2', 'sysctl -w net.ipv4.ip_forward=1');
    const after = await c.goals();
    expect(after.ok && after.value.results.every((r) => r.pass)).toBe(true);
  });

  it('lockedKinds compare with the challenge as opened (the load\'s baseline), not with the last edit', async () => {
    const c = makeClient();
    const file = readFileSync(new URL('../../../content/challenges/wrong-targetport.yaml', import.meta.url), 'utf8');
    await c.load(file, 1);
    // The learner edits a locked Deployment: each edit is a new load with the same baseline.
    const edited = file.replace('image: example/api', 'image: example/api-v2');
    expect(edited).not.toBe(file);
    const locked = (r: Awaited<ReturnType<typeof c.goals>>) => (r.ok ? r.value.results.find((g) => g.kind === 'unchanged') : undefined);
    await c.load(edited, 1, file);
    const kept = locked(await c.goals());
    expect(kept?.pass).toBe(false);
    expect(kept?.en).toMatch(/changed: .*Deployment/);
    // Another edit on the same baseline still compares with the start; undoing it passes.
    await c.load(`${edited}\n`, 1, file);
    expect(locked(await c.goals())?.pass).toBe(false);
    await c.load(file, 1, file);
    expect(locked(await c.goals())?.pass).toBe(true);
    // Without a baseline, a load is its own start (the CLI's knp grade FILE reads one file).
    await c.load(edited, 1);
    expect(locked(await c.goals())?.pass).toBe(true);
  });

  it('evaluates goals it is given, and refuses before a scenario is loaded', async () => {
    expect((await makeClient().goals()).ok).toBe(false);
    const c = makeClient();
    await c.load(DEFAULT, 1);
    const r = await c.goals([{ rule: { from: 'pod/default/client', to: 'svc/default/my-nginx:80', matches: 'KUBE-SEP-*' } }]);
    expect(r.ok && r.value.results[0]!.pass).toBe(true);
  });
});

describe('lesson checks through the protocol', () => {
  it('a lesson played through the client: each step fails first, passes after the learner acts', async () => {
    const dir = '../../../content/lessons/02-veth-pair/';
    const yaml = readFileSync(new URL(`${dir}scenario.yaml`, import.meta.url), 'utf8');
    const { loadLesson } = await import('../../../src/engine/lessons/load');
    const read = (f: string) => readFileSync(new URL(`${dir}${f}`, import.meta.url), 'utf8');
    const { lesson } = loadLesson({ id: '02-veth-pair', en: read('lesson.en.md'), zh: read('lesson.zh-CN.md'), scenario: yaml, steps: read('steps.yaml') });
    const c = makeClient();
    await c.load(yaml, 1);
    for (const step of lesson!.steps.steps) {
      await c.beginStep();
      const before = await c.check(step);
      expect(before.ok && before.value.result.pass, step.id).toBe(false);
      for (const a of step.solution) {
        if ('run' in a) await c.exec(a.run.target, a.run.line);
        else if ('send' in a) await c.trace({ from: a.send.from, to: a.send.to });
      }
      const after = await c.check(step);
      expect(after.ok && after.value.result.pass, step.id).toBe(true);
    }
  });
});
