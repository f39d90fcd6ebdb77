/**
 * The UI's handle on the engine. Sends typed requests over a swappable transport, matches
 * answers by request id, and keeps the engine alive with a watchdog: a request unanswered
 * past its budget (a few seconds; see BUDGETS_MS) or a worker that crashes gets the worker
 * terminated and replaced. The new worker is rebuilt from the last loaded YAML, then the command
 * journal (the terminal lines that changed the simulation since that load) is replayed into it,
 * and listeners hear `restarted` at once and `recovered` with the rebuilt snapshot, so the UI
 * can say what happened. The request that ran away is answered `worker-died` and not replayed.
 * Results are data (`Result<T>`); nothing here throws at the caller.
 */
import type { Goal } from '../engine/goals';
import type { Step } from '../engine/lessons/schema';
import type { WalkRequest } from '../engine';
import { err, PROTOCOL_VERSION, SNAPSHOT_ANSWERS, type Answers, type Request, type RequestType, type ResponseEnvelope, type Result } from './protocol';
import { applyPatch, type SnapshotPatch } from './patch';
import { unpack } from './pack';
import type { Snapshot } from './snapshot';
import type { Transport, TransportFactory } from './transport';

/** Why the engine was replaced, as data the UI words in the learner's language. */
export type RestartCause =
  | { readonly code: 'timeout'; readonly request: RequestType; readonly seconds: number }
  | { readonly code: 'crash'; readonly message: string }
  | { readonly code: 'manual' };

export type EngineEvent =
  | { readonly kind: 'ready' }
  /** The engine was replaced; `reason` is an English one-liner for logs, `cause` the same as data. */
  | { readonly kind: 'restarted'; readonly reason: string; readonly cause: RestartCause; readonly rebuilding: boolean }
  /** The replacement has the scenario back: `load` is its answer, `replayed` the journal lines re-run. */
  | { readonly kind: 'recovered'; readonly load: Answers['load']; readonly replayed: number; readonly skipped: number };

/** One terminal line that changed the simulation: what the journal replays after a restart. */
export interface JournalEntry {
  readonly target: string;
  readonly line: string;
}

/** The watchdog's budget per request, in milliseconds: past it, the worker is replaced. */
export const BUDGETS_MS: Readonly<Record<RequestType, number>> = {
  load: 15_000, reset: 15_000, lab: 10_000, probes: 8_000, goals: 8_000, check: 8_000, exec: 5_000, trace: 5_000, 'begin-step': 5_000, stall: 5_000,
  // reach and compare build scratch simulations of their own (one or two scenarios).
  reach: 15_000, compare: 20_000,
  focus: 5_000, cost: 10_000,
};

export interface ClientOptions {
  /** One budget for every request (tests); otherwise BUDGETS_MS. */
  readonly timeoutMs?: number;
  /**
   * Where the command journal comes from. By default the client keeps its own: every exec that
   * answered `changed` since the last load or reset. A store that keeps a journal of its own
   * (share links, #14) can hand it in here instead.
   */
  readonly journal?: () => readonly JournalEntry[];
}

interface Pending {
  readonly type: RequestType;
  readonly resolve: (r: Result<unknown>) => void;
  readonly timer: ReturnType<typeof setTimeout>;
}

export class EngineClient {
  private transport: Transport;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private lastLoad: { yaml: string; seed: number; baseline?: string } | null = null;
  /** Per-key sequence numbers: an older request with the same key resolves as `superseded`. */
  private readonly latest = new Map<string, number>();
  private readonly timeoutMs: number | undefined;
  private readonly externalJournal: (() => readonly JournalEntry[]) | undefined;
  /** Lines that changed the simulation since the last load/reset (when no journal was handed in). */
  private readonly ownJournal: JournalEntry[] = [];
  /** Set while a replacement is being rebuilt, to what it is rebuilt from. */
  private recovering: false | 'full' | 'yaml' = false;
  private closed = false;
  /** The snapshot the worker's patches apply to (protocol 3): the last one it sent, whole. */
  private held: Snapshot | null = null;
  restarts = 0;

  constructor(private readonly factory: TransportFactory, opts: ClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs;
    this.externalJournal = opts.journal;
    this.transport = this.connect();
  }

  /** The journal a restart would replay. */
  journal(): readonly JournalEntry[] {
    return this.externalJournal ? this.externalJournal() : this.ownJournal;
  }

  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `baseline`: the YAML the learner started from, what lockedKinds compare with (protocol.ts). */
  load(yaml: string, seed: number, baseline?: string): Promise<Result<Answers['load']>> {
    const b = baseline !== undefined && baseline !== yaml ? { baseline } : {};
    this.lastLoad = { yaml, seed, ...b };
    this.ownJournal.length = 0;
    return this.latestOf('load', { type: 'load', yaml, seed, ...b });
  }

  async exec(target: string, line: string): Promise<Result<Answers['exec']>> {
    const r = await this.request({ type: 'exec', target, line });
    if (r.ok && r.value.result.changed) this.ownJournal.push({ target, line });
    return r;
  }

  /** Test-only: makes the worker busy for `ms` (the browser test's runaway request). */
  stall(ms: number): Promise<Result<Answers['stall']>> {
    return this.request({ type: 'stall', ms });
  }

  trace(req: WalkRequest): Promise<Result<Answers['trace']>> {
    return this.request({ type: 'trace', req });
  }

  probes(): Promise<Result<Answers['probes']>> {
    return this.request({ type: 'probes' });
  }

  /** The Challenge's goals (or the given ones) on the live simulation: pass/fail and why, in en and zh-CN. */
  goals(goals?: readonly Goal[]): Promise<Result<Answers['goals']>> {
    return this.request(goals ? { type: 'goals', goals } : { type: 'goals' });
  }

  /** A lesson step's check against what the learner did since beginStep(). */
  check(step: Step, answer?: string): Promise<Result<Answers['check']>> {
    return this.request(answer !== undefined ? { type: 'check', step, answer } : { type: 'check', step });
  }

  beginStep(): Promise<Result<Answers['begin-step']>> {
    return this.request({ type: 'begin-step' });
  }

  /**
   * The namespaces the UI shows in full (a kernel view's node, the inspected object's); the
   * answer's snapshot has them with chains, conntrack and IPVS, and so do later ones.
   */
  focus(ids: readonly string[]): Promise<Result<Answers['focus']>> {
    return this.latestOf('focus', { type: 'focus', ids: [...ids] });
  }

  /** What Services cost kube-proxy's modes for the loaded scenario (`knp cost`). */
  cost(): Promise<Result<Answers['cost']>> {
    return this.request({ type: 'cost' });
  }

  lab(): Promise<Result<Answers['lab']>> {
    return this.request({ type: 'lab' });
  }

  reach(port: number, protocol: 'TCP' | 'UDP' | 'SCTP'): Promise<Result<Answers['reach']>> {
    return this.latestOf('reach', { type: 'reach', port, protocol });
  }

  compare(req: Omit<Extract<import('./protocol').Request, { type: 'compare' }>, 'type'>): Promise<Result<Answers['compare']>> {
    return this.latestOf('compare', { type: 'compare', ...req });
  }

  reset(): Promise<Result<Answers['reset']>> {
    this.ownJournal.length = 0;
    return this.request({ type: 'reset' });
  }

  /** Kills the engine on purpose (a "stop" button for a runaway computation) and starts a fresh one. */
  restart(reason = 'restarted on request'): void {
    this.replace(reason, { code: 'manual' });
  }

  close(): void {
    this.closed = true;
    this.transport.close();
    for (const [id, p] of this.pending) { clearTimeout(p.timer); p.resolve(err('worker-died', 'the client was closed')); this.pending.delete(id); }
  }

  /** Sends a request whose answer only matters if no newer request with the same key was made. */
  private async latestOf<T extends RequestType>(key: string, req: Extract<Request, { type: T }>): Promise<Result<Answers[T]>> {
    const seq = (this.latest.get(key) ?? 0) + 1;
    this.latest.set(key, seq);
    const r = await this.request(req);
    if (this.latest.get(key) !== seq) return err('superseded', `a newer ${key} request replaced this one`);
    return r;
  }

  private request<T extends RequestType>(req: Extract<Request, { type: T }>): Promise<Result<Answers[T]>> {
    if (this.closed) return Promise.resolve(err('worker-died', 'the client was closed'));
    const id = this.nextId++;
    return new Promise((resolve) => {
      const budget = this.timeoutMs ?? BUDGETS_MS[req.type];
      const timer = setTimeout(() => this.replace(`the engine did not answer "${req.type}" within ${budget / 1000} s`, { code: 'timeout', request: req.type, seconds: budget / 1000 }), budget);
      this.pending.set(id, { type: req.type, resolve: resolve as (r: Result<unknown>) => void, timer });
      this.transport.post({ v: PROTOCOL_VERSION, id, req });
    });
  }

  private connect(): Transport {
    const t = this.factory();
    t.listen((m) => { if (t === this.transport) this.receive(m); }, (reason) => { if (t === this.transport) this.replace(reason, { code: 'crash', message: reason }); });
    return t;
  }

  private receive(m: ResponseEnvelope): void {
    if (m.id === 0) { this.emit({ kind: 'ready' }); return; }
    const p = this.pending.get(m.id);
    if (!p) return; // an answer for a request failed by a restart
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.v !== PROTOCOL_VERSION) { p.resolve(err('version-mismatch', `engine speaks protocol ${m.v}, UI speaks ${PROTOCOL_VERSION}`)); return; }
    if (!m.ok) { p.resolve({ ok: false, error: m.error }); return; }
    let value: unknown;
    try {
      value = unpack(m.value);
    } catch (e) {
      p.resolve(err('engine-failure', e instanceof Error ? e.message : String(e)));
      return;
    }
    const patch = SNAPSHOT_ANSWERS.has(m.type as RequestType) ? (value as { snapshot?: SnapshotPatch }).snapshot : undefined;
    if (patch) {
      // Patches apply in the order the worker made them, which is the order they arrive in.
      try {
        this.held = applyPatch(this.held, patch);
      } catch (e) {
        p.resolve(err('engine-failure', e instanceof Error ? e.message : String(e)));
        this.replace('a snapshot from the engine did not fit the one held', { code: 'crash', message: 'snapshot patch mismatch' });
        return;
      }
      value = { ...(value as object), snapshot: this.held };
    }
    p.resolve({ ok: true, value });
  }

  private replace(reason: string, cause: RestartCause): void {
    if (this.closed) return;
    this.transport.close();
    this.held = null;
    this.restarts++;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(err('worker-died', `the engine stopped (${reason}); it has been restarted`));
      this.pending.delete(id);
    }
    this.transport = this.connect();
    // What to rebuild: the YAML and the journal; after a failure during that, a journal line
    // may be the culprit, so the YAML alone; after a failure during that too, or when building
    // the YAML is what ran away, nothing (the engine waits, empty, for the next load).
    const yamlRanAway = cause.code === 'timeout' && (cause.request === 'load' || cause.request === 'reset');
    const plan = yamlRanAway ? 'none' : !this.recovering ? 'full' : this.recovering === 'full' ? 'yaml' : 'none';
    this.recovering = false;
    this.emit({ kind: 'restarted', reason, cause, rebuilding: this.lastLoad !== null && plan !== 'none' });
    if (this.lastLoad && plan !== 'none') void this.recover(this.lastLoad, plan);
  }

  /** The new engine starts empty: the scenario first, then the journal, before anything else is asked. */
  private async recover(src: { yaml: string; seed: number; baseline?: string }, plan: 'full' | 'yaml'): Promise<void> {
    this.recovering = plan;
    const gen = this.restarts;
    const journal = plan === 'full' ? [...this.journal()] : [];
    try {
      const loaded = await this.request({ type: 'load', yaml: src.yaml, seed: src.seed, ...(src.baseline !== undefined ? { baseline: src.baseline } : {}) });
      if (!loaded.ok || gen !== this.restarts) return;
      let load = loaded.value;
      let replayed = 0;
      let skipped = 0;
      for (const j of journal) {
        const r = await this.request({ type: 'exec', target: j.target, line: j.line });
        if (gen !== this.restarts) return;
        if (!r.ok) { skipped++; continue; }
        replayed++;
        if (r.value.snapshot) load = { ...load, snapshot: r.value.snapshot };
      }
      this.emit({ kind: 'recovered', load, replayed, skipped });
    } finally {
      if (gen === this.restarts) this.recovering = false;
    }
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}
