/**
 * The playground's state: the scenario text, what the engine answered (diagnostics, snapshot),
 * the packets being replayed and the UI's own choices (view, selection, positions, theme).
 * A factory, so tests and the app each make their own; components read it through the named
 * selectors in ./select.ts.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CommandResult, Diagnostic, Trace, WalkRequest } from '../../engine';
import type { EngineClient, RestartCause } from '../../worker/client';
import type { ProtocolError, Result } from '../../worker/protocol';
import type { Snapshot } from '../../worker/snapshot';
import type { Lang } from '../i18n';
import { cursorOfStep, stepAt, storyOf } from './story';

export type View = { readonly kind: 'cluster' } | { readonly kind: 'kernel'; readonly node: string };
export type Notice =
  | {
    readonly kind: 'restarted'; readonly reason: string; readonly cause?: RestartCause;
    /** Set by the watchdog's recovery: 'rebuilding' until the scenario is back, then 'recovered'. */
    readonly recovery?: 'rebuilding' | 'recovered'; readonly replayed?: number; readonly skipped?: number;
  }
  | { readonly kind: 'failure'; readonly message: string };

export interface PacketRun {
  readonly id: number;
  readonly label: string;
  readonly trace: Trace;
}

export interface SendForm {
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  readonly count: number;
}

export const SPEEDS = [0.25, 0.5, 1, 2, 4] as const;

export interface AppState {
  readonly yaml: string;
  readonly seed: number;
  readonly status: 'starting' | 'building' | 'ready';
  readonly notice: Notice | null;
  readonly diagnostics: readonly Diagnostic[];
  readonly snapshot: Snapshot | null;
  readonly commands: readonly string[];
  readonly view: View;
  readonly positions: Readonly<Record<string, { x: number; y: number }>>;
  readonly selected: string | null;
  readonly runs: readonly PacketRun[];
  /** Which run the event list and inspector follow. */
  readonly primary: number;
  /** Index of the current event in the primary run; -1 before the first. */
  readonly cursor: number;
  readonly playing: boolean;
  readonly speed: number;
  readonly loop: boolean;
  /** The story view (one step per device hop) is the default; false shows and plays every event. */
  readonly storyView: boolean;
  /** Event types shown in the list; empty = all. */
  readonly eventFilter: readonly string[];
  readonly sending: boolean;
  readonly send: SendForm;
  readonly terminalTarget: string;
  readonly theme: 'light' | 'dark';
  readonly lang: Lang;
  /** Bumped when the state was reset to the YAML (the terminal prints a line). */
  readonly resets: number;
}

export interface AppActions {
  setYaml(yaml: string): void;
  loadNow(): Promise<void>;
  exec(line: string): Promise<CommandResult>;
  resetToYaml(): Promise<void>;
  sendPacket(): Promise<void>;
  runProbes(): Promise<void>;
  /** The `knp lab` script for the current scenario, or the reasons it cannot be made. */
  labScript(): Promise<{ script: string | null; problems: readonly string[] } | null>;
  setSend(patch: Partial<SendForm>): void;
  play(): void;
  pause(): void;
  step(delta: number): void;
  jump(i: number): void;
  /** Advances playback by one event; at the end loops or stops. */
  tick(): void;
  setSpeed(speed: number): void;
  toggleLoop(): void;
  setPrimary(i: number): void;
  setFilter(types: readonly string[]): void;
  /** Story view on or off; playback then moves by story step or by event. */
  setStoryView(on: boolean): void;
  setView(view: View): void;
  select(id: string | null): void;
  move(id: string, pos: { x: number; y: number }): void;
  setTerminalTarget(t: string): void;
  setTheme(t: 'light' | 'dark'): void;
  setLang(l: Lang): void;
  dismissNotice(): void;
  restartEngine(): void;
}

export type AppStore = StoreApi<AppState & AppActions>;

export interface StoreOptions {
  readonly yaml: string;
  readonly seed?: number;
  /** Edits are rebuilt this long after the last keystroke. */
  readonly debounceMs?: number;
  readonly theme?: 'light' | 'dark';
  readonly lang?: Lang;
}

export function createAppStore(client: EngineClient, opts: StoreOptions): AppStore {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let runIds = 0;
  const debounceMs = opts.debounceMs ?? 250;

  const store = createStore<AppState & AppActions>()((set, get) => {
    const fail = (e: ProtocolError): void => {
      if (e.code === 'superseded') return;
      if (e.code === 'worker-died') return; // the restart notice already says it
      set({ notice: { kind: 'failure', message: `${e.code}: ${e.message}` } });
    };
    const take = <T,>(r: Result<T>): T | null => (r.ok ? r.value : (fail(r.error), null));

    const showRuns = (runs: PacketRun[]): void => {
      const first = runs[0]?.trace;
      const cursor = !first ? -1 : get().storyView ? Math.max(0, cursorOfStep(first, 0)) : 0;
      set({ runs, primary: 0, cursor, playing: runs.some((r) => r.trace.events.length > 1) });
    };

    return {
      yaml: opts.yaml,
      seed: opts.seed ?? 1,
      status: 'starting',
      notice: null,
      diagnostics: [],
      snapshot: null,
      commands: [],
      view: { kind: 'cluster' },
      positions: {},
      selected: null,
      runs: [],
      primary: 0,
      cursor: -1,
      playing: false,
      speed: 1,
      loop: false,
      storyView: true,
      eventFilter: [],
      sending: false,
      send: { from: '', to: '', port: '', protocol: 'tcp', count: 1 },
      terminalTarget: '',
      theme: opts.theme ?? 'light',
      lang: opts.lang ?? 'en',
      resets: 0,

      setYaml(yaml) {
        set({ yaml });
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => { timer = null; void get().loadNow(); }, debounceMs);
      },

      async loadNow() {
        // Marks for bench/ui.ts: from here to "knp:graph" (the canvas showing the result).
        globalThis.performance?.mark?.('knp:load');
        set({ status: 'building' });
        const r = await client.load(get().yaml, get().seed);
        if (!r.ok && r.error.code === 'superseded') return;
        const v = take(r);
        set({ status: 'ready' });
        if (!v) return;
        set({ diagnostics: v.diagnostics, snapshot: v.snapshot, commands: v.commands });
        settleChoices(v.snapshot);
      },

      async exec(line) {
        const target = get().terminalTarget || defaultTarget(get().snapshot);
        const r = await client.exec(target, line);
        if (!r.ok) return { stdout: '', stderr: `knp: ${r.error.message}\n`, exitCode: 125 };
        if (r.value.snapshot) set({ snapshot: r.value.snapshot });
        return r.value.result;
      },

      async resetToYaml() {
        const v = take(await client.reset());
        if (!v) return;
        set({ diagnostics: v.diagnostics, snapshot: v.snapshot, runs: [], cursor: -1, playing: false, resets: get().resets + 1 });
      },

      async sendPacket() {
        const f = get().send;
        if (!f.from || !f.to) return;
        set({ sending: true });
        const port = Number(f.port);
        const req: WalkRequest = { from: f.from, to: f.to, protocol: f.protocol, ...(f.port && Number.isFinite(port) ? { port } : {}) };
        const runs: PacketRun[] = [];
        // Several packets are separate walks: each one may pick another endpoint. The canvas
        // redraws once, with the state after the last one (counters, conntrack).
        let snapshot: Snapshot | null = null;
        for (let i = 0; i < Math.max(1, Math.min(f.count, 50)); i++) {
          const v = take(await client.trace(req));
          if (!v) break;
          snapshot = v.snapshot;
          runs.push({ id: ++runIds, label: `${f.from} → ${f.to}${f.count > 1 ? ` #${i + 1}` : ''}`, trace: v.trace });
        }
        set(snapshot ? { sending: false, snapshot } : { sending: false });
        showRuns(runs);
      },

      async runProbes() {
        set({ sending: true });
        const v = take(await client.probes());
        set({ sending: false });
        if (!v) return;
        set({ snapshot: v.snapshot });
        showRuns(v.outcomes.map((o) => ({ id: ++runIds, label: o.name, trace: o.trace })));
      },

      async labScript() {
        return take(await client.lab());
      },

      setSend(patch) { set({ send: { ...get().send, ...patch } }); },
      play() {
        const s = get();
        const run = s.runs[s.primary];
        if (!run) return;
        const start = s.storyView ? Math.max(0, cursorOfStep(run.trace, 0)) : 0;
        set({ playing: true, cursor: s.cursor >= run.trace.events.length - 1 ? start : s.cursor });
      },
      pause() { set({ playing: false }); },
      step(delta) {
        const s = get();
        const trace = s.runs[s.primary]?.trace;
        const n = trace?.events.length ?? 0;
        if (!trace || !n) return;
        if (s.storyView) {
          // The cursor rests on step ends; from inside a step, forward first finishes that step.
          const k = stepAt(trace, s.cursor);
          const end = cursorOfStep(trace, k);
          const to = delta > 0 && s.cursor < end ? k + delta - 1 : k + delta;
          set({ playing: false, cursor: cursorOfStep(trace, to) });
          return;
        }
        set({ playing: false, cursor: Math.max(0, Math.min(n - 1, s.cursor + delta)) });
      },
      jump(i) {
        const n = get().runs[get().primary]?.trace.events.length ?? 0;
        if (!n) return;
        set({ playing: false, cursor: Math.max(0, Math.min(n - 1, i)) });
      },
      tick() {
        const s = get();
        const trace = s.runs[s.primary]?.trace;
        if (s.storyView && trace) {
          const steps = storyOf(trace).steps.length;
          const k = stepAt(trace, s.cursor);
          if (k + 1 < steps) set({ cursor: cursorOfStep(trace, k + 1) });
          else if (s.loop && steps) set({ cursor: cursorOfStep(trace, 0) });
          else set({ playing: false });
          return;
        }
        const n = Math.max(0, ...s.runs.map((r) => r.trace.events.length));
        if (s.cursor + 1 < n) set({ cursor: s.cursor + 1 });
        else if (s.loop && n) set({ cursor: 0 });
        else set({ playing: false });
      },
      setSpeed(speed) { set({ speed }); },
      toggleLoop() { set({ loop: !get().loop }); },
      setPrimary(i) { set({ primary: i }); },
      setFilter(types) { set({ eventFilter: types }); },
      setStoryView(on) {
        const trace = get().runs[get().primary]?.trace;
        // Entering the story view rests the cursor at the end of the step it was in.
        set(on && trace && get().cursor >= 0 ? { storyView: on, cursor: cursorOfStep(trace, stepAt(trace, get().cursor)) } : { storyView: on });
      },
      setView(view) { set({ view }); },
      select(id) { set({ selected: id }); },
      move(id, pos) { set({ positions: { ...get().positions, [id]: pos } }); },
      setTerminalTarget(t) { set({ terminalTarget: t }); },
      setTheme(theme) { set({ theme }); },
      setLang(lang) { set({ lang }); },
      dismissNotice() { set({ notice: null }); },
      restartEngine() { client.restart('restarted on request'); },
    };
  });

  /** After a rebuild, keep the user's choices where they still make sense. */
  function settleChoices(snap: Snapshot): void {
    const s = store.getState();
    const ids = new Set([...snap.nodes.map((n) => n.id), ...snap.pods.map((p) => p.id), ...snap.hosts.map((h) => h.id)]);
    const patch: { -readonly [K in keyof AppState]?: AppState[K] } = {};
    if (!s.terminalTarget || !ids.has(s.terminalTarget)) patch.terminalTarget = defaultTarget(snap);
    if (s.view.kind === 'kernel' && !snap.nodes.some((n) => n.name === (s.view as { node: string }).node)) patch.view = { kind: 'cluster' };
    if (!s.send.from || !ids.has(s.send.from)) {
      const probe = snap.probes[0];
      const from = probe?.from && ids.has(probe.from) ? probe.from : snap.pods.find((p) => !p.system)?.id ?? snap.nodes[0]?.id ?? '';
      patch.send = { ...s.send, from, to: s.send.to || (probe?.to ?? snap.services[0]?.name ?? '') };
    }
    if (Object.keys(patch).length) store.setState(patch);
  }

  // The watchdog (worker/client.ts) rebuilds the engine from the YAML and the command journal
  // itself; the store only says so and takes the rebuilt snapshot.
  client.on((e) => {
    if (e.kind === 'restarted') {
      store.setState({ notice: { kind: 'restarted', reason: e.reason, cause: e.cause, ...(e.rebuilding ? { recovery: 'rebuilding' as const } : {}) }, runs: [], cursor: -1, playing: false, sending: false, status: 'ready' });
    } else if (e.kind === 'recovered') {
      const n = store.getState().notice;
      store.setState({
        diagnostics: e.load.diagnostics, snapshot: e.load.snapshot, commands: e.load.commands, status: 'ready',
        ...(n?.kind === 'restarted' ? { notice: { ...n, recovery: 'recovered' as const, replayed: e.replayed, skipped: e.skipped } } : {}),
      });
      settleChoices(e.load.snapshot);
    }
  });

  return store;
}

function defaultTarget(snap: Snapshot | null): string {
  if (!snap) return 'workstation';
  return snap.nodes[0]?.id ?? snap.hosts[0]?.id ?? 'workstation';
}
