/**
 * The engine side of the protocol: holds one live Sim and answers requests. Pure TypeScript
 * with no `self`, so the same host serves the Web Worker and the in-process transport.
 */
import { buildSim, challengeGoals, evaluateGoals, parseTarget, runLine, walk, type Sim, type Trace } from '../engine';
import type { ScenarioObjects } from '../engine/scenario/load';
import { checkStep, type LessonState } from '../engine/lessons/run';
import { commandNames } from '../engine/shell/registry';
import { err, PROTOCOL_VERSION, type WireAnswers as Answers, type ProbeOutcome, type Request, type RequestEnvelope, type ResponseEnvelope, type Result } from './protocol';
import { FULL_DETAIL_NAMESPACES, snapshot, type Detail } from './snapshot';
import { SnapshotDiffer } from './patch';
import { pack } from './pack';
import { proxyCost } from '../engine/agents/kubeproxy/cost';
import { labScript } from '../engine/lab/script';
import { reachability } from '../engine/clients/reach';
import { compareSims, replayJournal, type JournalEntry } from '../engine';

export class EngineHost {
  private sim: Sim | null = null;
  /**
   * What `unchanged` goals and lockedKinds compare with: the objects of the load's baseline YAML
   * (the challenge as opened), kept across the learner's edits; else of the last load.
   */
  private start: ScenarioObjects | undefined;
  private startOf: { yaml: string; seed: number } | null = null;
  /** What a lesson step's check reads: commands run, the last packet walked, where the step began. */
  private ran: { target: string; line: string; exitCode: number }[] = [];
  private lastTrace: Trace | null = null;
  private stepStart = 0;
  private source: { yaml: string; seed: number; file: string; baseline?: string } | null = null;
  private generation = 0;
  /** Commands that changed the Sim since it was built: a scratch copy replays them. */
  private changes: JournalEntry[] = [];
  /** What the UI holds (snapshots go as patches against it) and which namespaces it shows in full. */
  private readonly differ = new SnapshotDiffer();
  private focus: ReadonlySet<string> = new Set();

  handle(env: RequestEnvelope): ResponseEnvelope {
    if (!env || typeof env !== 'object' || typeof env.id !== 'number' || !env.req) {
      return { v: PROTOCOL_VERSION, id: typeof env?.id === 'number' ? env.id : -1, ...err('bad-request', 'not a request envelope') };
    }
    if (env.v !== PROTOCOL_VERSION) {
      return { v: PROTOCOL_VERSION, id: env.id, ...err('version-mismatch', `worker speaks protocol ${PROTOCOL_VERSION}, request is ${env.v}`) };
    }
    let r: Result<unknown>;
    try {
      r = this.dispatch(env.req);
    } catch (e) {
      r = err('engine-failure', e instanceof Error ? `${e.message}` : String(e));
    }
    // Repeated strings (rule texts, chain names, addresses) go once per answer (./pack.ts).
    return r.ok
      ? { v: PROTOCOL_VERSION, id: env.id, ok: true, type: env.req.type, value: pack(r.value) }
      : { v: PROTOCOL_VERSION, id: env.id, ok: false, error: r.error };
  }

  private dispatch(req: Request): Result<Answers[keyof Answers]> {
    switch (req.type) {
      case 'load':
        this.source = { yaml: req.yaml, seed: req.seed, file: req.file ?? 'scenario.yaml', ...(req.baseline !== undefined ? { baseline: req.baseline } : {}) };
        return { ok: true, value: this.build() };
      case 'reset':
        if (!this.source) return err('not-loaded', 'load a scenario first');
        return { ok: true, value: this.build() };
      case 'exec': {
        const sim = this.sim;
        if (!sim) return err('not-loaded', 'load a scenario first');
        const target = parseTarget(req.target);
        if (!target) return { ok: true, value: { result: { stdout: '', stderr: `knp: unknown target "${req.target}" (use node/NAME, pod/NS/NAME, host/NAME or workstation)\n`, exitCode: 2 }, traces: [] } };
        const { traces = [], ...result } = runLine(sim, target, req.line);
        if (result.changed) this.changes.push({ target: req.target, line: req.line });
        this.ran.push({ target: req.target, line: req.line, exitCode: result.exitCode });
        // A walk typed in the terminal is the last trace, as a Send's would be.
        if (traces.length) this.lastTrace = traces[traces.length - 1]!;
        return { ok: true, value: result.changed ? { result, traces, snapshot: this.snap() } : { result, traces } };
      }
      case 'trace': {
        const sim = this.sim;
        if (!sim) return err('not-loaded', 'load a scenario first');
        const trace = walk(sim, req.req);
        this.lastTrace = trace;
        return { ok: true, value: { trace, snapshot: this.snap() } };
      }
      case 'probes': {
        const sim = this.sim;
        if (!sim) return err('not-loaded', 'load a scenario first');
        const outcomes: ProbeOutcome[] = sim.model.probes.map((p) => {
          const trace: Trace = walk(sim, { from: p.from, to: p.to, ...(p.protocol ? { protocol: p.protocol } : {}), ...(p.port ? { port: p.port } : {}), count: p.count });
          const e = p.expect;
          const passed = e ? (e.verdict === undefined || e.verdict === trace.verdict) && (e.responder === undefined || e.responder === trace.responder) : null;
          return { name: p.name, trace, passed };
        });
        return { ok: true, value: { outcomes, snapshot: this.snap() } };
      }
      case 'reach': {
        if (!this.sim || !this.source) return err('not-loaded', 'load a scenario first');
        const scratch = buildSim(this.source.yaml, { seed: this.source.seed, file: this.source.file }).sim;
        replayJournal(scratch, this.changes);
        const r = reachability(scratch, { port: req.port, protocol: req.protocol });
        const ipOf = new Map(scratch.model.pods.map((p) => [`${p.meta.namespace}/${p.meta.name}`, p.podIP ?? '']));
        return { ok: true, value: { port: r.port, protocol: req.protocol, pods: r.pods, ips: r.pods.map((p) => ipOf.get(p) ?? ''), matrix: r.matrix, decidedBy: r.decidedBy } };
      }
      case 'compare': {
        const seed = this.source?.seed ?? 1;
        const side = (x: { yaml: string; journal: readonly JournalEntry[] }, file: string) => {
          const sim = buildSim(x.yaml, { seed, file }).sim;
          replayJournal(sim, x.journal);
          return sim;
        };
        const value = compareSims(side(req.a, 'a.yaml'), side(req.b, 'b.yaml'), { ...(req.port ? { port: req.port } : {}), ...(req.send ? { send: req.send } : {}) });
        return { ok: true, value };
      }
      case 'begin-step':
        this.stepStart = this.ran.length;
        this.lastTrace = null;
        return { ok: true, value: null };
      case 'check': {
        const sim = this.sim;
        if (!sim || !this.source) return err('not-loaded', 'load a scenario first');
        const state: LessonState = {
          yaml: this.source.yaml, sim, seed: this.source.seed, start: this.start, ran: this.ran, lastTrace: this.lastTrace,
          answers: new Map(req.answer !== undefined ? [[req.step.id, req.answer]] : []), stepStart: this.stepStart,
        };
        const result = checkStep(state, req.step);
        // A prediction walks its packet: that trace is the replay that reveals the answer.
        const revealed = 'predict' in req.step.check && state.lastTrace !== this.lastTrace ? state.lastTrace : null;
        return { ok: true, value: { result, trace: revealed } };
      }
      case 'goals': {
        const sim = this.sim;
        if (!sim) return err('not-loaded', 'load a scenario first');
        const goals = req.goals ?? (sim.objects ? challengeGoals(sim.objects) : []);
        const results = evaluateGoals(sim, goals, this.start ? { start: this.start } : {}).map(({ trace: _t, ...r }) => r);
        return { ok: true, value: { results, snapshot: this.snap() } };
      }
      case 'focus': {
        if (!this.sim) return err('not-loaded', 'load a scenario first');
        this.focus = new Set(Array.isArray(req.ids) ? req.ids.filter((x) => typeof x === 'string') : []);
        return { ok: true, value: { snapshot: this.snap() } };
      }
      case 'cost': {
        if (!this.sim) return err('not-loaded', 'load a scenario first');
        return { ok: true, value: { report: proxyCost(this.sim.model) } };
      }
      case 'stall': {
        // Busy on purpose (test-only): nothing else runs on this thread until it ends. Capped
        // so a stray message cannot wedge a worker that has no watchdog.
        const until = performance.now() + Math.min(Math.max(0, Number(req.ms) || 0), 60_000);
        while (performance.now() < until) { /* spin */ }
        return { ok: true, value: null };
      }
      case 'lab': {
        const sim = this.sim;
        if (!sim) return err('not-loaded', 'load a scenario first');
        const { script, problems } = labScript(sim);
        return { ok: true, value: { script, problems } };
      }
    }
  }

  private build(): Answers['load'] {
    const src = this.source!;
    // The previous Sim lends its parsed chains and kube-proxy blocks: an edit costs what it changed.
    const { sim, diagnostics } = buildSim(src.yaml, { seed: src.seed, file: src.file, ...(this.sim ? { previous: this.sim } : {}) });
    this.sim = sim;
    this.changes = [];
    const base = src.baseline ?? src.yaml;
    if (base === src.yaml) {
      this.start = sim.objects;
      this.startOf = { yaml: base, seed: src.seed };
    } else if (this.startOf?.yaml !== base || this.startOf.seed !== src.seed) {
      // The baseline is built once per challenge opened (and again after a worker restart).
      this.start = buildSim(base, { seed: src.seed, file: src.file }).sim.objects;
      this.startOf = { yaml: base, seed: src.seed };
    }
    this.lastTrace = null;
    return { diagnostics, snapshot: this.snap(), commands: commandNames() };
  }

  /** The next snapshot, as a patch against the last one sent. */
  private snap() {
    const sim = this.sim!;
    // A small scenario goes in full, as it always did; a large one sends the focus in full.
    const detail: Detail = sim.net.namespaces.size <= FULL_DETAIL_NAMESPACES ? 'all' : this.focus;
    return this.differ.diff(snapshot(sim, ++this.generation, detail));
  }
}
