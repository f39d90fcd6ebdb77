/**
 * The learner's session across reloads: restores the saved work (or a share link / .knp file
 * opened on top of it, as a new history version), then saves every change of the YAML or the
 * journal. Also turns the playground's moment into a share state and back.
 *
 *   boot ─► storage (IndexedDB → localStorage → memory) ─► saved work + history
 *        ─► #v=1&d=… in the address? decode: ok → new history version, opened; bad → linkError
 *        ─► fragment removed from the address bar ─► store.restore(yaml, journal) ─► extras
 *   edits/journal ─(debounce)─► storage 'current' + history (folded edits, ≥ 20 versions)
 */
import { decodeFile, decodeLink, hasLink, type SharedState } from '../../engine';
import type { AppStore, HistoryItem } from '../store';
import { readHistory, readWork, recordEdit, recordOpened, sameWork, type Work } from './history';
import type { WorkStorage, WriteOutcome } from './storage';

export interface SessionOptions {
  readonly storage: WorkStorage;
  /** The address's fragment ('#…' or ''). */
  readonly hash: string;
  readonly defaultYaml: string;
  /** Removes the fragment from the address bar once read. */
  readonly clearHash: () => void;
  readonly now?: () => number;
  readonly saveDelayMs?: number;
  /** An embedded view keeps nothing and says nothing about it (it must not touch the learner's own work). */
  readonly embedded?: boolean;
  /** Opens the lesson or challenge an opened link or file carries (the learning store's resume). */
  readonly onLearn?: (l: NonNullable<SharedState['learn']>) => Promise<void>;
}

export interface Session {
  /** Writes pending changes now (page hide). */
  flush(): Promise<void>;
  /** Opens a share link or .knp content as a new history version; returns false (linkError set) if unreadable. */
  open(kind: 'link' | 'file', text: string): Promise<boolean>;
  /** Makes a history version the current work (the current work stays in the history). */
  restoreVersion(id: string): Promise<void>;
  stop(): void;
}

let idCounter = 0;
const newId = (now: number) => `${now.toString(36)}-${(++idCounter).toString(36)}`;

export async function startSession(store: AppStore, opts: SessionOptions): Promise<Session> {
  const now = opts.now ?? (() => Date.now());
  const { storage } = opts;
  const delay = opts.saveDelayMs ?? 250;
  let history: HistoryItem[] = readHistory(await storage.get('history'));
  const saved = readWork(await storage.get('current'));
  const report = (o: WriteOutcome) => { if (!opts.embedded) store.getState().setStorageProblem(o === 'ok' ? null : o); };
  if (storage.kind === 'memory' && !opts.embedded) report('unavailable');

  let work: Work = saved ?? { yaml: opts.defaultYaml, journal: [] };
  let extras: SharedState | null = null;
  if (hasLink(opts.hash)) {
    const d = decodeLink(opts.hash);
    opts.clearHash();
    if (d.ok) {
      history = recordOpened(history, saved, d.state, 'link', now(), () => newId(now()));
      work = d.state;
      extras = d.state;
    } else {
      store.getState().setLinkError({ code: d.code, message: d.message });
    }
  }
  store.getState().setHistory(history);
  let lastSaved: Work | null = saved;

  const save = async (): Promise<void> => {
    const s = store.getState();
    const w: Work = { yaml: s.yaml, journal: s.journal };
    if (lastSaved && sameWork(lastSaved, w)) return;
    lastSaved = w;
    history = recordEdit(store.getState().history, w, now(), () => newId(now()));
    store.getState().setHistory(history);
    const a = await storage.set('current', { yaml: w.yaml, journal: w.journal });
    const b = await storage.set('history', history);
    report(a !== 'ok' ? a : b);
  };
  const saveHistoryOnly = async (): Promise<void> => { report(await storage.set('history', history)); };

  let timer: ReturnType<typeof setTimeout> | null = null;
  let booted = false;
  const unsubscribe = store.subscribe((s, prev) => {
    if (!booted || (s.yaml === prev.yaml && s.journal === prev.journal)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = null; void save(); }, delay);
  });

  await store.getState().restore(work.yaml, work.journal);
  booted = true;
  if (extras) { await applyExtras(store, extras); if (extras.learn) await opts.onLearn?.(extras.learn); }
  else if (saved === null) void save(); // the first visit: the default scenario is version 1
  if (history !== store.getState().history) void saveHistoryOnly();
  // An opened link is saved as the current work at once, so a reload shows it, not the old work.
  if (extras) { lastSaved = null; await save(); }

  const openState = async (state: SharedState, source: 'link' | 'file'): Promise<void> => {
    const s = store.getState();
    history = recordOpened(s.history, { yaml: s.yaml, journal: s.journal }, state, source, now(), () => newId(now()));
    store.getState().setHistory(history);
    lastSaved = state;
    await store.getState().restore(state.yaml, state.journal);
    await applyExtras(store, state);
    if (state.learn) await opts.onLearn?.(state.learn);
    const a = await storage.set('current', { yaml: state.yaml, journal: state.journal });
    const b = await storage.set('history', history);
    report(a !== 'ok' ? a : b);
  };

  return {
    async flush() {
      if (timer) { clearTimeout(timer); timer = null; }
      await save();
    },
    async open(kind, text) {
      const d = kind === 'link' ? decodeLink(text) : decodeFile(text);
      if (!d.ok) { store.getState().setLinkError({ code: d.code, message: d.message }); return false; }
      store.getState().setLinkError(null);
      await openState(d.state, kind);
      return true;
    },
    async restoreVersion(id) {
      const item = store.getState().history.find((h) => h.id === id);
      if (!item) return;
      if (timer) { clearTimeout(timer); timer = null; }
      await save(); // the work being left is a version too
      lastSaved = null;
      await store.getState().restore(item.yaml, item.journal);
      await save();
    },
    stop() { unsubscribe(); if (timer) clearTimeout(timer); },
  };
}

/** The playground's moment as a share state (what a link carries), with the learning panel's part if one is open. */
export function shareState(s: ReturnType<AppStore['getState']>, learn?: SharedState['learn']): SharedState {
  const state: { -readonly [K in keyof SharedState]: SharedState[K] } = { yaml: s.yaml, journal: [...s.journal] };
  if (s.send.from && s.send.to) state.send = { ...s.send, count: Math.max(1, Math.min(50, Math.trunc(s.send.count) || 1)) };
  if (s.runsFrom === 'probes') {
    const run = s.runs[s.primary];
    if (run) state.probe = run.label;
  }
  if (s.runs.length && s.cursor >= 0) state.playhead = s.cursor;
  state.view = s.view;
  if (s.camera) state.camera = s.camera;
  state.lang = s.lang;
  if (learn) state.learn = learn;
  return state;
}

/** Puts the rest of a shared moment on screen once its YAML and journal are built. */
export async function applyExtras(store: AppStore, st: SharedState): Promise<void> {
  const a = store.getState();
  if (st.lang) a.setLang(st.lang);
  if (st.view) {
    const nodes = store.getState().snapshot?.nodes ?? [];
    if (st.view.kind === 'cluster' || nodes.some((n) => n.name === (st.view as { node: string }).node)) a.setView(st.view);
  }
  if (st.send) a.setSend(st.send);
  if (st.probe !== undefined) {
    await a.runProbes();
    const i = store.getState().runs.findIndex((r) => r.label === st.probe);
    if (i >= 0) a.setPrimary(i);
  } else if (st.send && st.playhead !== undefined) {
    await a.sendPacket();
  }
  if (st.playhead !== undefined && store.getState().runs.length) a.jump(st.playhead);
  if (st.camera) a.gotoCamera(st.camera);
}
