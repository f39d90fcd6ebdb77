/**
 * The store's packet runs over the in-process engine: a terminal command that walks packets
 * adds a playable run like Send does, and an edit to the YAML makes the followed run stale
 * (it no longer plays) until it is sent again on the new text.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore, select, type AppStore } from '../../../src/app/store';
import { EngineClient } from '../../../src/worker/client';
import { inProcessTransport } from '../../../src/worker/in-process';

const DEFAULT = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');

let client: EngineClient | null = null;
async function loaded(): Promise<AppStore> {
  client = new EngineClient(() => inProcessTransport());
  const store = createAppStore(client, { yaml: DEFAULT, debounceMs: 5 });
  await store.getState().loadNow();
  store.getState().setTerminalTarget('pod/default/client');
  return store;
}
afterEach(() => { client?.close(); client = null; });

describe('terminal commands replay on the canvas', () => {
  it.each([
    ['curl -s http://my-nginx/', 'tcp'],
    ['ping -c 1 my-nginx-0-placeholder', 'icmp'],
  ])('%s adds a run whose trace the player can step through', async (line, protocol) => {
    const store = await loaded();
    const pod = store.getState().snapshot!.pods.find((p) => !p.system && p.id !== 'pod/default/client' && p.ip)!;
    const r = await store.getState().exec(line.replace('my-nginx-0-placeholder', pod.ip!));
    expect(r.exitCode).toBe(0);
    const s = store.getState();
    expect(s.runs.length).toBeGreaterThan(0);
    const run = select.primaryRun(s)!;
    expect(run.trace.protocol).toBe(protocol);
    expect(run.trace.verdict).toBe('delivered');
    expect(run.source).toEqual({ kind: 'exec', target: 'pod/default/client', line: line.replace('my-nginx-0-placeholder', pod.ip!) });
    // Playback starts on the run (at its first story step, or its first event) and steps on.
    expect(s.cursor).toBeGreaterThanOrEqual(0);
    s.pause();
    s.step(1);
    expect(store.getState().cursor).toBeGreaterThan(s.cursor);
    expect(store.getState().cursor).toBeLessThan(run.trace.events.length);
  });

  it('dig hands back the query packets it walked; commands that walk nothing add no run', async () => {
    const store = await loaded();
    await store.getState().exec('dig my-nginx.default.svc.cluster.local +short');
    const dig = store.getState().runs;
    expect(dig.length).toBeGreaterThan(0);
    expect(dig.every((r) => r.trace.protocol === 'udp' && r.trace.events.length > 0)).toBe(true);
    await store.getState().exec('ip route');
    expect(store.getState().runs).toBe(dig);
  });

  it('kubectl exec from a node passes the walks of the command it runs through', async () => {
    const store = await loaded();
    store.getState().setTerminalTarget('node/node-1');
    await store.getState().exec('kubectl exec client -- curl -s http://my-nginx/');
    expect(select.primaryRun(store.getState())?.trace.from).toBe('pod/default/client');
  });
});

describe('a trace of an older YAML', () => {
  it('is stale after an edit, does not play, and Send again walks it on the new YAML', async () => {
    const store = await loaded();
    await store.getState().exec('curl -s http://my-nginx/');
    expect(select.stale(store.getState())).toBe(false);
    store.getState().setYaml(DEFAULT.replace('replicas: 2', 'replicas: 3'));
    expect(select.stale(store.getState())).toBe(true);
    store.getState().play();
    expect(store.getState().playing).toBe(false);
    await store.getState().resend();
    const s = store.getState();
    expect(select.stale(s)).toBe(false);
    expect(s.snapshot!.pods.filter((p) => p.name.startsWith('my-nginx')).length).toBe(3);
    expect(select.primaryRun(s)!.source).toEqual({ kind: 'exec', target: 'pod/default/client', line: 'curl -s http://my-nginx/' });
  });

  it('a Send run is sent again with the same request', async () => {
    const store = await loaded();
    store.getState().setSend({ from: 'pod/default/client', to: 'my-nginx', port: '80', protocol: 'tcp', count: 2 });
    await store.getState().sendPacket();
    expect(store.getState().runs).toHaveLength(2);
    store.getState().setYaml(`${DEFAULT}\n`);
    expect(select.stale(store.getState())).toBe(true);
    await store.getState().resend();
    expect(store.getState().runs).toHaveLength(2);
    expect(select.stale(store.getState())).toBe(false);
    expect(select.primaryRun(store.getState())!.source).toMatchObject({ kind: 'send', count: 2, req: { from: 'pod/default/client', to: 'my-nginx', port: 80 } });
  });
});
