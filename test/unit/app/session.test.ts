/**
 * Nothing lost: the journal of state-changing commands, autosave and history, opening links
 * over own work, damaged links, storage that cannot save, and the watchdog replaying the journal.
 * The real engine runs in-process behind the worker protocol.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeFragment } from '../../../src/engine';
import { recordEdit, MAX_VERSIONS, FOLD_MS } from '../../../src/app/persist/history';
import { shareState, startSession } from '../../../src/app/persist/session';
import { memoryStorage, openStorage, type WorkStorage } from '../../../src/app/persist/storage';
import { createAppStore, type AppStore } from '../../../src/app/store';
import { EngineClient } from '../../../src/worker/client';
import { inProcessTransport, type InProcessTransport } from '../../../src/worker/in-process';

const DEFAULT = readFileSync('content/scenarios/default.yaml', 'utf8');
const DROP = 'iptables -I OUTPUT -p tcp --dport 80 -j DROP';

/** A storage that persists between "page loads" of one test, like IndexedDB would. */
function diskStorage(disk = new Map<string, unknown>(), outcome: 'ok' | 'full' = 'ok'): WorkStorage & { disk: Map<string, unknown> } {
  return {
    kind: 'indexeddb', disk,
    get: async <T,>(k: string) => structuredClone(disk.get(k)) as T | undefined,
    set: async (k, v) => { if (outcome === 'ok') disk.set(k, structuredClone(v)); return outcome; },
  };
}

function page(): { store: AppStore; transports: InProcessTransport[] } {
  const transports: InProcessTransport[] = [];
  const client = new EngineClient(() => { const t = inProcessTransport(); transports.push(t); return t; }, { timeoutMs: 5000 });
  return { store: createAppStore(client, { yaml: '', debounceMs: 5 }), transports };
}

const idle = (ms = 40) => new Promise((r) => setTimeout(r, ms));

async function sendToNginx(store: AppStore): Promise<string> {
  store.getState().setSend({ from: 'pod/default/client', to: 'my-nginx:80', port: '80', protocol: 'tcp', count: 1 });
  await store.getState().sendPacket();
  return store.getState().runs[0]!.trace.verdict;
}

describe('journal', () => {
  it('records exactly the commands that changed the simulation, with their target', async () => {
    const { store } = page();
    await startSession(store, { storage: memoryStorage(), hash: '', defaultYaml: DEFAULT, clearHash: () => {} });
    store.getState().setTerminalTarget('pod/default/client');
    await store.getState().exec('iptables -L OUTPUT -n');
    await store.getState().exec('ip route');
    await store.getState().exec('iptables -X NOPE-NOT-THERE');
    expect(store.getState().journal).toEqual([]);
    await store.getState().exec(DROP);
    expect(store.getState().journal).toEqual([{ target: 'pod/default/client', line: DROP }]);
    await store.getState().resetToYaml();
    expect(store.getState().journal).toEqual([]);
  });

  it('the watchdog rebuilds from YAML + journal: a crash keeps the DROP', async () => {
    const { store, transports } = page();
    await startSession(store, { storage: memoryStorage(), hash: '', defaultYaml: DEFAULT, clearHash: () => {} });
    store.getState().setTerminalTarget('pod/default/client');
    await store.getState().exec(DROP);
    expect(await sendToNginx(store)).toBe('dropped');
    transports.at(-1)!.kill('test crash');
    await idle(100);
    expect(store.getState().notice?.kind).toBe('restarted');
    expect(store.getState().journal).toHaveLength(1);
    expect(await sendToNginx(store)).toBe('dropped');
  });
});

describe('autosave and history', () => {
  it('a reload brings back the YAML and the journal exactly', async () => {
    const disk = new Map<string, unknown>();
    const a = page();
    await startSession(a.store, { storage: diskStorage(disk), hash: '', defaultYaml: DEFAULT, clearHash: () => {}, saveDelayMs: 5 });
    const edited = DEFAULT.replace('replicas: 2', 'replicas: 3');
    a.store.getState().setYaml(edited);
    await idle(80);
    a.store.getState().setTerminalTarget('pod/default/client');
    await a.store.getState().exec(DROP);
    await idle(40);

    const b = page();
    await startSession(b.store, { storage: diskStorage(disk), hash: '', defaultYaml: DEFAULT, clearHash: () => {} });
    expect(b.store.getState().yaml).toBe(edited);
    expect(b.store.getState().journal).toEqual([{ target: 'pod/default/client', line: DROP }]);
    expect(await sendToNginx(b.store)).toBe('dropped');
  });

  it('keeps at least 20 versions; edits close in time fold into one', () => {
    let h: ReturnType<typeof recordEdit> = [];
    let id = 0;
    for (let i = 0; i < 60; i++) h = recordEdit(h, { yaml: `v${i}`, journal: [] }, i * (FOLD_MS + 1), () => `id${id++}`);
    expect(h.length).toBe(MAX_VERSIONS);
    expect(MAX_VERSIONS).toBeGreaterThanOrEqual(20);
    expect(h[0]!.yaml).toBe('v59');
    const folded = recordEdit(h, { yaml: 'v60', journal: [] }, 59 * (FOLD_MS + 1) + 10, () => 'x');
    expect(folded.length).toBe(MAX_VERSIONS);
    expect(folded[0]).toMatchObject({ yaml: 'v60', id: h[0]!.id });
  });

  it('restoring a version keeps the work being left in the history', async () => {
    const disk = new Map<string, unknown>();
    let t = 1_000_000;
    const { store } = page();
    const s = await startSession(store, { storage: diskStorage(disk), hash: '', defaultYaml: DEFAULT, clearHash: () => {}, saveDelayMs: 5, now: () => (t += FOLD_MS * 2) });
    store.getState().setYaml(`${DEFAULT}# mine\n`);
    await idle(60);
    const first = store.getState().history.find((h) => h.yaml === DEFAULT)!;
    expect(first).toBeDefined();
    await s.restoreVersion(first.id);
    expect(store.getState().yaml).toBe(DEFAULT);
    expect(store.getState().history.some((h) => h.yaml === `${DEFAULT}# mine\n`)).toBe(true);
  });
});

describe('opening links', () => {
  it('a link opens over own work as a new version; own work stays in the history; the fragment is cleared', async () => {
    const disk = new Map<string, unknown>();
    const own = `${DEFAULT}# my own work\n`;
    disk.set('current', { yaml: own, journal: [] });
    const shared = { yaml: DEFAULT, journal: [{ target: 'pod/default/client', line: DROP }], send: { from: 'pod/default/client', to: 'my-nginx:80', port: '80', protocol: 'tcp' as const, count: 1 }, playhead: 3, view: { kind: 'cluster' as const }, lang: 'zh-CN' as const };
    let cleared = 0;
    const { store } = page();
    await startSession(store, { storage: diskStorage(disk), hash: `#${encodeFragment(shared)}`, defaultYaml: DEFAULT, clearHash: () => { cleared++; } });
    expect(cleared).toBe(1);
    const s = store.getState();
    expect(s.yaml).toBe(DEFAULT);
    expect(s.journal).toEqual(shared.journal);
    expect(s.history.map((h) => h.source)).toEqual(['link', 'edit']);
    expect(s.history[1]!.yaml).toBe(own);
    expect(s.lang).toBe('zh-CN');
    expect(s.runs[0]?.trace.verdict).toBe('dropped');
    expect(s.cursor).toBe(3);
    // The link is now the saved work: a reload shows it, and the own work is still a version.
    expect((disk.get('current') as { yaml: string }).yaml).toBe(DEFAULT);
  });

  it('a damaged link changes nothing and says so', async () => {
    const disk = new Map<string, unknown>();
    const own = `${DEFAULT}# mine\n`;
    disk.set('current', { yaml: own, journal: [{ target: 'pod/default/client', line: DROP }] });
    const frag = encodeFragment({ yaml: 'nodes: []\n', journal: [] });
    const { store } = page();
    await startSession(store, { storage: diskStorage(disk), hash: `#${frag.slice(0, -6)}`, defaultYaml: DEFAULT, clearHash: () => {} });
    expect(store.getState().linkError?.code).toBe('corrupt');
    expect(store.getState().yaml).toBe(own);
    expect(store.getState().journal).toHaveLength(1);
    expect(store.getState().history.every((h) => h.source === 'edit')).toBe(true);
  });

  it('the share state carries the moment and opens to the same verdict', async () => {
    const a = page();
    await startSession(a.store, { storage: memoryStorage(), hash: '', defaultYaml: DEFAULT, clearHash: () => {} });
    a.store.getState().setTerminalTarget('pod/default/client');
    await a.store.getState().exec(DROP);
    await sendToNginx(a.store);
    a.store.getState().jump(2);
    a.store.getState().setCamera({ x: 1, y: 2, zoom: 0.5 });
    const st = shareState(a.store.getState());
    expect(st).toMatchObject({ playhead: 2, camera: { x: 1, y: 2, zoom: 0.5 }, journal: [{ target: 'pod/default/client', line: DROP }] });
    const b = page();
    await startSession(b.store, { storage: memoryStorage(), hash: `#${encodeFragment(st)}`, defaultYaml: 'nodes: []\n', clearHash: () => {} });
    expect(b.store.getState().runs[0]?.trace.verdict).toBe('dropped');
    expect(b.store.getState().cursor).toBe(2);
    expect(b.store.getState().cameraGoto).toMatchObject({ x: 1, y: 2, zoom: 0.5 });
  });
});

describe('storage problems', () => {
  it('no storage at all: the playground works and says work is not saved', async () => {
    const storage = await openStorage({ indexedDB: null, localStorage: null });
    expect(storage.kind).toBe('memory');
    const { store } = page();
    await startSession(store, { storage, hash: '', defaultYaml: DEFAULT, clearHash: () => {} });
    expect(store.getState().storageProblem).toBe('unavailable');
    expect(store.getState().snapshot?.pods.length).toBeGreaterThan(0);
  });

  it('a full disk is reported, and the edit still applies', async () => {
    const { store } = page();
    await startSession(store, { storage: diskStorage(new Map(), 'full'), hash: '', defaultYaml: DEFAULT, clearHash: () => {}, saveDelayMs: 5 });
    store.getState().setYaml(`${DEFAULT}# more\n`);
    await idle(80);
    expect(store.getState().storageProblem).toBe('full');
    expect(store.getState().status).toBe('ready');
  });

  it('localStorage is used when IndexedDB is missing, and a quota error reads as "full"', async () => {
    const data = new Map<string, string>();
    let quota = false;
    const ls = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => { if (quota && k !== 'knp.work.probe') { const e = new Error('quota'); e.name = 'QuotaExceededError'; throw e; } data.set(k, v); },
      removeItem: (k: string) => { data.delete(k); },
    } as unknown as Storage;
    const s = await openStorage({ indexedDB: null, localStorage: ls });
    expect(s.kind).toBe('localstorage');
    expect(await s.set('current', { yaml: 'a', journal: [] })).toBe('ok');
    expect(await s.get('current')).toEqual({ yaml: 'a', journal: [] });
    quota = true;
    expect(await s.set('current', { yaml: 'b', journal: [] })).toBe('full');
  });
});

describe('reachability matrix', () => {
  it('follows the journal and leaves the live simulation untouched', async () => {
    const { store } = page();
    await startSession(store, { storage: memoryStorage(), hash: '', defaultYaml: DEFAULT, clearHash: () => {} });
    const before = (await store.getState().reach(80, 'TCP'))!;
    const from = before.pods.indexOf('default/client');
    const nginx = before.pods.findIndex((p) => p.startsWith('default/my-nginx'));
    expect(from).toBeGreaterThanOrEqual(0);
    expect(before.matrix[from]![nginx]).toBe(true);
    expect(before.ips[nginx]).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    store.getState().setTerminalTarget('pod/default/client');
    await store.getState().exec(DROP);
    const after = (await store.getState().reach(80, 'TCP'))!;
    expect(after.matrix[from]![nginx]).toBe(false);
    expect(after.matrix[nginx]![from]).toBe(before.matrix[nginx]![from]);
    expect(await sendToNginx(store)).toBe('dropped');
  });

  it('computing the matrix leaves no trace in the live simulation (conntrack, counters)', async () => {
    const a = page();
    const b = page();
    await startSession(a.store, { storage: memoryStorage(), hash: '', defaultYaml: DEFAULT, clearHash: () => {} });
    await startSession(b.store, { storage: memoryStorage(), hash: '', defaultYaml: DEFAULT, clearHash: () => {} });
    await a.store.getState().reach(80, 'TCP');
    await sendToNginx(a.store);
    await sendToNginx(b.store);
    expect(JSON.stringify(a.store.getState().runs[0]!.trace)).toBe(JSON.stringify(b.store.getState().runs[0]!.trace));
    const strip = (s: unknown) => JSON.stringify(s, (k, v) => (k === 'generation' ? 0 : v));
    expect(strip(a.store.getState().snapshot)).toBe(strip(b.store.getState().snapshot));
  });
});

describe('compare', () => {
  it('the YAML alone vs the work with a DROP typed: same routes and rules on the nodes, the trace goes from delivered to dropped', async () => {
    const { store } = page();
    await startSession(store, { storage: memoryStorage(), hash: '', defaultYaml: DEFAULT, clearHash: () => {} });
    store.getState().setTerminalTarget('pod/default/client');
    await store.getState().exec(DROP);
    store.getState().setSend({ from: 'pod/default/client', to: 'my-nginx:80', port: '80', protocol: 'tcp', count: 1 });
    const s = store.getState();
    const r = (await s.compare({ yaml: s.yaml, journal: [] }, { yaml: s.yaml, journal: s.journal }, true))!;
    expect(r.changed).toBe(true);
    expect(r.sections.filter((x) => x.changed)).toEqual([]);
    expect(r.trace).toMatchObject({ a: 'delivered', b: 'dropped' });
    expect(r.reach.changes.some((c) => c.from === 'default/client' && c.a === true && c.b === false)).toBe(true);
    const same = (await s.compare({ yaml: s.yaml, journal: s.journal }, { yaml: s.yaml, journal: s.journal }, true))!;
    expect(same.changed).toBe(false);
  });
});
