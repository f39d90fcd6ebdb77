/**
 * The playground's state: the scenario text, what the engine answered (diagnostics, snapshot),
 * the packets being replayed and the UI's own choices (view, selection, positions, theme).
 * A factory, so tests and the app each make their own; components read it through the named
 * selectors in ./select.ts.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CommandResult, Diagnostic, JournalEntry, Trace, WalkRequest } from '../../engine';
import type { EngineClient, RestartCause } from '../../worker/client';
import type { CompareSide, ProtocolError, ReachAnswer, Result } from '../../worker/protocol';
import type { CompareResult } from '../../engine';
import type { CostReport } from '../../worker/protocol';
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

/** How a run was made, so it can be made again on an edited YAML. */
export type RunSource =
  | { readonly kind: 'send'; readonly req: WalkRequest; readonly count: number }
  | { readonly kind: 'probes' }
  | { readonly kind: 'exec'; readonly target: string; readonly line: string };

export interface PacketRun {
  readonly id: number;
  readonly label: string;
  readonly trace: Trace;
  /** The YAML the trace was walked on: once the editor holds other text, the run is stale. */
  readonly yaml: string;
  readonly source: RunSource;
}

/**
 * `kubectl edit` asked for an object (CommandResult.editor): the editor shows its YAML until it
 * is saved (applied with `kubectl apply` where the command ran) or cancelled. `n` is per request.
 */
export interface EditRequest {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly yaml: string;
  /** The terminal target `kubectl edit` ran on; the apply runs there too. */
  readonly target: string;
  readonly n: number;
}

/** A request to put the editor's cursor somewhere (the problems panel); `n` makes each one new. */
export interface Reveal { readonly line: number; readonly col: number; readonly n: number }

export interface SendForm {
  readonly from: string;
  readonly to: string;
  readonly port: string;
  readonly protocol: 'tcp' | 'udp' | 'icmp';
  readonly count: number;
}

export interface Camera {
  readonly x: number;
  readonly y: number;
  readonly zoom: number;
}

/** One saved version of the learner's work: the YAML and the journal replayed on it. */
export interface HistoryItem {
  readonly id: string;
  /** Milliseconds since the epoch (the app's clock; the engine never reads one). */
  readonly at: number;
  /** edit: the learner's own work; link/file: opened from a share link or a .knp file. */
  readonly source: 'edit' | 'link' | 'file';
  readonly yaml: string;
  readonly journal: readonly JournalEntry[];
}

/** Why saving locally does not work, shown once; the playground keeps working without it. */
export type StorageProblem = 'unavailable' | 'full' | null;

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
  /** Pod groups of a large cluster (`group/NODE/NAMESPACE`, canvas/flow.ts) drawn with their Pods. */
  readonly expanded: readonly string[];
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
  /** Bumped after every command the terminal ran (lessons and challenges re-check on it). */
  readonly execs: number;
  /** The canvas keeps the packet in view while it plays. */
  readonly cameraFollow: boolean;
  readonly reveal: Reveal | null;
  /** The object `kubectl edit` opened in the editor, until it is saved or cancelled. */
  readonly editing: EditRequest | null;
  /**
   * Terminal commands that changed the simulation since it was last built from the YAML, in
   * order. YAML + seed + journal rebuild the same state (autosave, share links, the watchdog).
   * Decided from the engine's answer (the command changed the Sim), not from the command text.
   */
  readonly journal: readonly JournalEntry[];
  /** Saved versions, newest first (see src/app/persist). */
  readonly history: readonly HistoryItem[];
  readonly storageProblem: StorageProblem;
  /** A share link or .knp file that could not be read; nothing else was changed. */
  readonly linkError: { readonly code: string; readonly message: string } | null;
  /** The canvas viewport as last left by the learner (share links carry it). */
  readonly camera: Camera | null;
  /** A viewport the canvas should move to (from a link); `n` changes per request. */
  readonly cameraGoto: (Camera & { readonly n: number }) | null;
  /** What made the runs on show: the Send form or the scenario's probes. */
  readonly runsFrom: 'send' | 'probes' | null;
}

export interface AppActions {
  setYaml(yaml: string): void;
  /** Replaces the scenario (a lesson, a challenge, a gallery entry) and builds it now. */
  openScenario(yaml: string): Promise<void>;
  /** Shows a trace the engine walked elsewhere (a prediction's reveal) as the replayed run. */
  showTrace(label: string, trace: Trace, source: RunSource): void;
  loadNow(): Promise<void>;
  exec(line: string): Promise<CommandResult>;
  resetToYaml(): Promise<void>;
  sendPacket(): Promise<void>;
  /** Makes the followed run again on the current YAML (after an edit made it stale). */
  resend(): Promise<void>;
  setCameraFollow(on: boolean): void;
  /** Moves the editor's cursor to a line and column (and focuses the editor). */
  revealAt(line: number, col: number): void;
  /**
   * Applies the edited object (`kubectl apply -f -` with the text, journaled like any terminal
   * command) and closes the edit; on failure the edit stays open and the error comes back.
   */
  saveEdit(text: string): Promise<CommandResult>;
  cancelEdit(): void;
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
  /** Expands a collapsed group (of Pods or Services), or collapses an expanded one. */
  toggleGroup(id: string): void;
  /** Expands the groups in `open` and collapses those in `close`, in one update (zooming in or out). */
  setGroups(open: readonly string[], close: readonly string[]): void;
  move(id: string, pos: { x: number; y: number }): void;
  setTerminalTarget(t: string): void;
  setTheme(t: 'light' | 'dark'): void;
  setLang(l: Lang): void;
  dismissNotice(): void;
  restartEngine(): void;
  /** Pod-to-Pod reachability of the current state on one port (null when the engine failed). */
  reach(port: number, protocol: 'TCP' | 'UDP' | 'SCTP'): Promise<ReachAnswer | null>;
  /** What Services cost kube-proxy's modes for the loaded scenario (null: no cluster, or the engine failed). */
  cost(): Promise<CostReport | null>;
  /** Compares two configurations; with `withSend`, the Send form's packet is traced in both. */
  compare(a: CompareSide, b: CompareSide, withSend: boolean): Promise<CompareResult | null>;
  /** Rebuilds from this YAML and replays the journal in order (restore, share links). */
  restore(yaml: string, journal: readonly JournalEntry[]): Promise<void>;
  setHistory(items: readonly HistoryItem[]): void;
  setStorageProblem(p: StorageProblem): void;
  setLinkError(e: { code: string; message: string } | null): void;
  setCamera(c: Camera): void;
  gotoCamera(c: Camera): void;
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
  /** The YAML as last opened (a scenario, lesson or challenge): the worker's baseline for lockedKinds. */
  let baseline: string | null = null;
  const debounceMs = opts.debounceMs ?? 250;

  const store = createStore<AppState & AppActions>()((set, get) => {
    const fail = (e: ProtocolError): void => {
      if (e.code === 'superseded') return;
      if (e.code === 'worker-died') return; // the restart notice already says it
      set({ notice: { kind: 'failure', message: `${e.code}: ${e.message}` } });
    };
    const take = <T,>(r: Result<T>): T | null => (r.ok ? r.value : (fail(r.error), null));

    const showRuns = (runs: PacketRun[], primary = 0): void => {
      const first = runs[primary]?.trace;
      const cursor = !first ? -1 : get().storyView ? Math.max(0, cursorOfStep(first, 0)) : 0;
      set({ runs, primary, cursor, playing: runs.some((r) => r.trace.events.length > 1) });
    };
    /** Waits for an edit still being debounced, so a walk runs on the text on screen. */
    const settled = async (): Promise<void> => {
      if (timer) { clearTimeout(timer); timer = null; await get().loadNow(); }
    };
    const walkRuns = async (req: WalkRequest, count: number, label: string): Promise<PacketRun[]> => {
      const runs: PacketRun[] = [];
      const yaml = get().yaml;
      // Several packets are separate walks: each one may pick another endpoint. The canvas
      // redraws once, with the state after the last one (counters, conntrack).
      let snapshot: Snapshot | null = null;
      for (let i = 0; i < Math.max(1, Math.min(count, 50)); i++) {
        const v = take(await client.trace(req));
        if (!v) break;
        snapshot = v.snapshot;
        runs.push({ id: ++runIds, label: `${label}${count > 1 ? ` #${i + 1}` : ''}`, trace: v.trace, yaml, source: { kind: 'send', req, count } });
      }
      if (snapshot) set({ snapshot });
      return runs;
    };
    const execRuns = (target: string, line: string, traces: readonly Trace[], yaml: string): PacketRun[] =>
      traces.map((trace, i) => ({ id: ++runIds, label: `${line}${traces.length > 1 ? ` #${i + 1}` : ''}`, trace, yaml, source: { kind: 'exec', target, line } }));

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
      expanded: [],
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
      execs: 0,
      cameraFollow: true,
      reveal: null,
      editing: null,
      journal: [],
      history: [],
      storageProblem: null,
      linkError: null,
      camera: null,
      cameraGoto: null,
      runsFrom: null,

      setYaml(yaml) {
        // An edit makes the replay stale (select.stale): it stops where it is.
        set(get().playing && get().runs.length ? { yaml, playing: false } : { yaml });
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => { timer = null; void get().loadNow(); }, debounceMs);
      },

      async openScenario(yaml) {
        if (timer) { clearTimeout(timer); timer = null; }
        // A new scenario: the packet form's ends are chosen afresh from it (settleChoices).
        set({ yaml, runs: [], cursor: -1, playing: false, selected: null, send: { ...get().send, from: '', to: '', port: '' } });
        // What the learner starts from: lockedKinds and `unchanged` goals compare with it while they edit.
        baseline = yaml;
        await get().loadNow();
      },

      showTrace(label, trace, source) {
        showRuns([{ id: ++runIds, label, trace, yaml: get().yaml, source }]);
      },

      async loadNow() {
        // A rebuild from the YAML starts without the terminal's changes.
        await build(get().yaml, []);
      },

      async restore(yaml, journal) {
        if (timer) { clearTimeout(timer); timer = null; }
        set({ yaml, runs: [], cursor: -1, playing: false });
        baseline = yaml;
        await build(yaml, journal);
      },

      async exec(line) {
        const target = get().terminalTarget || defaultTarget(get().snapshot);
        await settled();
        const yaml = get().yaml;
        const r = await client.exec(target, line);
        if (!r.ok) return { stdout: '', stderr: `knp: ${r.error.message}\n`, exitCode: 125 };
        // The engine answers with a snapshot exactly when the command changed the simulation.
        if (r.value.snapshot) set({ snapshot: r.value.snapshot, journal: [...get().journal, { target, line }] });
        set({ execs: get().execs + 1 });
        const ed = r.value.result.editor;
        if (ed) set({ editing: { ...ed, target, n: (get().editing?.n ?? 0) + 1 } });
        // curl, ping, nc, dig, traceroute: their walks replay on the canvas like a Send. The last
        // walk is the one to follow (traceroute's full path, the query that was answered).
        const traces = r.value.traces ?? [];
        if (traces.length) showRuns(execRuns(target, line.trim(), traces, yaml), traces.length - 1);
        return r.value.result;
      },

      async resetToYaml() {
        const v = take(await client.reset());
        if (!v) return;
        set({ diagnostics: v.diagnostics, snapshot: v.snapshot, runs: [], cursor: -1, playing: false, resets: get().resets + 1, journal: [] });
      },

      async sendPacket() {
        const f = get().send;
        if (!f.from || !f.to) return;
        set({ sending: true });
        await settled();
        const port = Number(f.port);
        const req: WalkRequest = { from: f.from, to: f.to, protocol: f.protocol, ...(f.port && Number.isFinite(port) ? { port } : {}) };
        const runs = await walkRuns(req, f.count, `${f.from} → ${f.to}`);
        set({ sending: false, runsFrom: 'send' });
        showRuns(runs);
      },

      async resend() {
        const run = get().runs[get().primary];
        if (!run) return;
        const src = run.source;
        if (src.kind === 'probes') { await get().runProbes(); return; }
        set({ sending: true, playing: false });
        await settled();
        if (src.kind === 'send') {
          const runs = await walkRuns(src.req, src.count, `${src.req.from} → ${src.req.to}`);
          set({ sending: false });
          showRuns(runs);
          return;
        }
        const yaml = get().yaml;
        const r = await client.exec(src.target, src.line);
        set({ sending: false });
        if (!r.ok) { fail(r.error); return; }
        if (r.value.snapshot) set({ snapshot: r.value.snapshot });
        const traces = r.value.traces ?? [];
        showRuns(execRuns(src.target, src.line, traces, yaml), Math.max(0, traces.length - 1));
      },

      async runProbes() {
        set({ sending: true });
        await settled();
        const yaml = get().yaml;
        const v = take(await client.probes());
        set({ sending: false });
        if (!v) return;
        set({ snapshot: v.snapshot, runsFrom: 'probes' });
        showRuns(v.outcomes.map((o) => ({ id: ++runIds, label: o.name, trace: o.trace, yaml, source: { kind: 'probes' } })));
      },

      async reach(port, protocol) {
        const r = await client.reach(port, protocol);
        if (!r.ok && r.error.code === 'superseded') return null;
        return take(r);
      },

      async cost() {
        const r = take(await client.cost());
        return r?.report ?? null;
      },

      async compare(a, b, withSend) {
        const f = get().send;
        const port = Number(f.port);
        const send: WalkRequest | undefined = withSend && f.from && f.to ? { from: f.from, to: f.to, protocol: f.protocol, ...(f.port && Number.isFinite(port) ? { port } : {}) } : undefined;
        const r = await client.compare({ a, b, ...(send ? { send } : {}) });
        if (!r.ok && r.error.code === 'superseded') return null;
        return take(r);
      },

      async labScript() {
        return take(await client.lab());
      },

      setSend(patch) { set({ send: { ...get().send, ...patch } }); },
      play() {
        const s = get();
        const run = s.runs[s.primary];
        // A trace of an older YAML is never replayed as if current: send it again first.
        if (!run || run.yaml !== s.yaml) return;
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
        if (s.runs[s.primary] && s.runs[s.primary]!.yaml !== s.yaml) { set({ playing: false }); return; }
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
      setCameraFollow(cameraFollow) { set({ cameraFollow }); },
      revealAt(line, col) { set({ reveal: { line, col, n: (get().reveal?.n ?? 0) + 1 } }); },

      async saveEdit(text) {
        const ed = get().editing;
        if (!ed) return { stdout: '', stderr: '', exitCode: 0 };
        // A delimiter the text does not contain, so the here-document holds all of it.
        let tag = 'KNP_EDIT';
        while (text.split('\n').some((l) => l.trim() === tag)) tag += '_';
        const line = `kubectl apply -f - <<${tag}\n${text.replace(/\n?$/, '\n')}${tag}`;
        await settled();
        const r = await client.exec(ed.target, line);
        if (!r.ok) return { stdout: '', stderr: `knp: ${r.error.message}\n`, exitCode: 125 };
        if (r.value.snapshot) set({ snapshot: r.value.snapshot, journal: [...get().journal, { target: ed.target, line }] });
        set({ execs: get().execs + 1 });
        if (r.value.result.exitCode === 0) set({ editing: null });
        return r.value.result;
      },

      cancelEdit() { set({ editing: null }); },
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
      toggleGroup(id) {
        const e = get().expanded;
        set({ expanded: e.includes(id) ? e.filter((x) => x !== id) : [...e, id] });
      },
      setGroups(open, close) {
        const e = get().expanded;
        const shut = new Set(close);
        const next = [...e.filter((x) => !shut.has(x)), ...open.filter((x) => !e.includes(x) && !shut.has(x))];
        if (next.length !== e.length || next.some((x, i) => x !== e[i])) set({ expanded: next });
      },
      move(id, pos) { set({ positions: { ...get().positions, [id]: pos } }); },
      setTerminalTarget(t) { set({ terminalTarget: t }); },
      setTheme(theme) { set({ theme }); },
      setLang(lang) { set({ lang }); },
      dismissNotice() { set({ notice: null }); },
      restartEngine() { client.restart('restarted on request'); },
      setHistory(history) { set({ history }); },
      setStorageProblem(storageProblem) { set({ storageProblem }); },
      setLinkError(linkError) { set({ linkError }); },
      setCamera(camera) { set({ camera }); },
      gotoCamera(c) { set({ cameraGoto: { ...c, n: (get().cameraGoto?.n ?? 0) + 1 }, camera: c }); },
    };
  });

  // What the UI shows in full: a kernel view's node, the inspected object's namespace. In a large
  // cluster the worker sends other namespaces as outlines (NsSnap.partial); ask for these.
  let focusSent = '';
  let focusPending = false;
  const wantFocus = (): void => {
    const s = store.getState();
    const ids = focusOf(s.snapshot, s.view, s.selected);
    const key = ids.join('\n');
    const partial = ids.some((id) => s.snapshot?.namespaces.find((n) => n.id === id)?.partial);
    if (focusPending || (key === focusSent && !partial)) return;
    focusSent = key;
    focusPending = true;
    void client.focus(ids).then((r) => {
      focusPending = false;
      if (r.ok) store.setState({ snapshot: r.value.snapshot });
      wantFocus();
    });
  };
  store.subscribe((s, prev) => {
    if (s.snapshot && (s.snapshot !== prev.snapshot || s.view !== prev.view || s.selected !== prev.selected)) wantFocus();
  });

  /** Builds the Sim from the YAML, then replays the journal on it in order. */
  async function build(yaml: string, journal: readonly JournalEntry[]): Promise<void> {
    // Marks for bench/ui.ts: from here to "knp:graph" (the canvas showing the result).
    globalThis.performance?.mark?.('knp:load');
    store.setState({ status: 'building' });
    const r = await client.load(yaml, store.getState().seed, baseline ?? undefined);
    if (!r.ok && r.error.code === 'superseded') return;
    if (!r.ok) {
      store.setState({ status: 'ready' });
      if (r.error.code !== 'worker-died') store.setState({ notice: { kind: 'failure', message: `${r.error.code}: ${r.error.message}` } });
      return;
    }
    const v = r.value;
    let snap = v.snapshot;
    for (const j of journal) {
      const e = await client.exec(j.target, j.line);
      if (e.ok && e.value.snapshot) snap = e.value.snapshot;
    }
    store.setState({ status: 'ready', diagnostics: v.diagnostics, snapshot: snap, commands: v.commands, journal });
    settleChoices(snap);
  }

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

/** The namespaces a view and a selection show in full: the kernel view's node, the selected object's. */
export function focusOf(snap: Snapshot | null, view: View, selected: string | null): string[] {
  if (!snap) return [];
  const out = new Set<string>();
  if (view.kind === 'kernel') out.add(`node/${view.node}`);
  if (selected) {
    // pod/NS/NAME, node/NAME, host/NAME; node/NAME/DEV; node/NAME/netfilter[/HOOK].
    const nf = /^(.*)\/netfilter(?:\/[A-Za-z]+)?$/.exec(selected);
    const cands = nf ? [nf[1]!] : [selected, selected.slice(0, selected.lastIndexOf('/'))];
    const ids = new Set(snap.namespaces.map((n) => n.id));
    const hit = cands.find((c) => ids.has(c));
    if (hit) out.add(hit);
  }
  return [...out].sort();
}

function defaultTarget(snap: Snapshot | null): string {
  if (!snap) return 'workstation';
  return snap.nodes[0]?.id ?? snap.hosts[0]?.id ?? 'workstation';
}
