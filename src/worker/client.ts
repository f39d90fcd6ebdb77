/**
 * The UI's handle on the engine. Sends typed requests over a swappable transport, matches
 * answers by request id, and keeps the engine alive: a worker that crashes or stops answering
 * is replaced, the last scenario is loaded into the new one, and listeners hear about it so
 * the UI can say so. Results are data (`Result<T>`); nothing here throws at the caller.
 */
import type { Goal } from '../engine/goals';
import type { Step } from '../engine/lessons/schema';
import type { WalkRequest } from '../engine';
import { err, PROTOCOL_VERSION, type Answers, type Request, type RequestType, type ResponseEnvelope, type Result } from './protocol';
import type { Transport, TransportFactory } from './transport';

export type EngineEvent =
  | { readonly kind: 'ready' }
  | { readonly kind: 'restarted'; readonly reason: string };

export interface ClientOptions {
  /** A request unanswered for this long means the engine hung: it is restarted. */
  readonly timeoutMs?: number;
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
  private lastLoad: { yaml: string; seed: number } | null = null;
  /** Per-key sequence numbers: an older request with the same key resolves as `superseded`. */
  private readonly latest = new Map<string, number>();
  private readonly timeoutMs: number;
  private closed = false;
  restarts = 0;

  constructor(private readonly factory: TransportFactory, opts: ClientOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 20_000;
    this.transport = this.connect();
  }

  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  load(yaml: string, seed: number): Promise<Result<Answers['load']>> {
    this.lastLoad = { yaml, seed };
    return this.latestOf('load', { type: 'load', yaml, seed });
  }

  exec(target: string, line: string): Promise<Result<Answers['exec']>> {
    return this.request({ type: 'exec', target, line });
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
    return this.request({ type: 'reset' });
  }

  /** Kills the engine on purpose (a "stop" button for a runaway computation) and starts a fresh one. */
  restart(reason = 'restarted on request'): void {
    this.replace(reason);
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
      const timer = setTimeout(() => this.replace(`the engine did not answer "${req.type}" within ${this.timeoutMs / 1000} s`), this.timeoutMs);
      this.pending.set(id, { type: req.type, resolve: resolve as (r: Result<unknown>) => void, timer });
      this.transport.post({ v: PROTOCOL_VERSION, id, req });
    });
  }

  private connect(): Transport {
    const t = this.factory();
    t.listen((m) => { if (t === this.transport) this.receive(m); }, (reason) => { if (t === this.transport) this.replace(reason); });
    return t;
  }

  private receive(m: ResponseEnvelope): void {
    if (m.id === 0) { this.emit({ kind: 'ready' }); return; }
    const p = this.pending.get(m.id);
    if (!p) return; // an answer for a request failed by a restart
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (m.v !== PROTOCOL_VERSION) { p.resolve(err('version-mismatch', `engine speaks protocol ${m.v}, UI speaks ${PROTOCOL_VERSION}`)); return; }
    p.resolve(m.ok ? { ok: true, value: m.value } : { ok: false, error: m.error });
  }

  private replace(reason: string): void {
    if (this.closed) return;
    this.transport.close();
    this.restarts++;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.resolve(err('worker-died', `the engine stopped (${reason}); it has been restarted`));
      this.pending.delete(id);
    }
    this.transport = this.connect();
    // The new engine starts empty: give it the scenario back before anything else is asked.
    if (this.lastLoad) void this.request({ type: 'load', yaml: this.lastLoad.yaml, seed: this.lastLoad.seed });
    this.emit({ kind: 'restarted', reason });
  }

  private emit(e: EngineEvent): void {
    for (const l of this.listeners) l(e);
  }
}
