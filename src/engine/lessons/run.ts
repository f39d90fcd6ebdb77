/**
 * A lesson played headless: the same state the playground keeps (the YAML, its live Sim, the
 * commands typed, the last packet sent, the answers given), the learner's actions, and each
 * step's check evaluated by the engine. The tests replay every lesson's solution path with it;
 * the UI drives the same functions.
 */
import { buildSim } from '../index';
import { evaluateGoal, globToRegExp } from '../goals/evaluate';
import { clientOf, destinationOf } from '../goals/targets';
import type { ScenarioObjects } from '../scenario/load';
import { newSession, runLine } from '../shell/run';
import { parseTarget } from '../shell/types';
import type { Sim } from '../sim';
import { walk } from '../stack/walk';
import type { Trace, TraceEvent } from '../trace/types';
import type { Action, Check, EventPredicate, LessonPacket, Step } from './schema';

export interface LessonState {
  yaml: string;
  sim: Sim;
  readonly seed: number;
  /** The scenario as the lesson opened it (for `unchanged`). */
  readonly start: ScenarioObjects | undefined;
  readonly ran: { target: string; line: string; exitCode: number }[];
  lastTrace: Trace | null;
  readonly answers: Map<string, string>;
  /** Where the current step began in `ran`: a step counts only what was done during it. */
  stepStart: number;
}

export interface CheckResult {
  readonly pass: boolean;
  readonly en: string;
  readonly zh: string;
}

export function startLesson(yaml: string, seed = 1, file = 'scenario.yaml'): LessonState {
  const { sim } = buildSim(yaml, { seed, file });
  return { yaml, sim, seed, start: sim.objects, ran: [], lastTrace: null, answers: new Map(), stepStart: 0 };
}

export function sendPacket(sim: Sim, p: LessonPacket): Trace {
  const d = destinationOf(sim.model, p.to);
  const to = d.ok ? d.dest.to : p.to;
  const protocol = p.protocol ?? (d.ok ? d.dest.protocol : undefined);
  return walk(sim, {
    from: clientOf(sim.model, p.from), to,
    ...(protocol ? { protocol } : {}), ...(p.port !== undefined ? { port: p.port } : {}), ...(p.size !== undefined ? { size: p.size } : {}),
    ...(p.df !== undefined ? { df: p.df } : {}), ...(p.count !== undefined ? { count: p.count } : {}),
  });
}

/** A new step begins: packets sent and commands typed before it no longer count for it. */
export function beginStep(state: LessonState): void {
  state.lastTrace = null;
  state.stepStart = state.ran.length;
}

/** Applies one learner action; `stepId` names the step an answer belongs to. */
export function applyAction(state: LessonState, a: Action, stepId: string): void {
  if ('run' in a) {
    const target = parseTarget(a.run.target);
    const r = target ? runLine(state.sim, target, a.run.line) : { exitCode: 2 };
    state.ran.push({ target: a.run.target, line: a.run.line, exitCode: r.exitCode });
  } else if ('send' in a) {
    state.lastTrace = sendPacket(state.sim, a.send);
  } else if ('answer' in a) {
    state.answers.set(stepId, a.answer);
  } else {
    // An edit in the editor: the playground rebuilds the Sim from the new text.
    state.yaml = state.yaml.split(a.edit.find).join(a.edit.replace);
    state.sim = buildSim(state.yaml, { seed: state.seed, file: state.sim.file }).sim;
  }
}

const words = (line: string): string[] => line.trim().split(/\s+/).filter((w, i) => !(i === 0 && w === 'sudo'));

export function eventMatches(e: TraceEvent, p: EventPredicate): boolean {
  if (p.flow !== undefined ? e.flow.replace(/#\d+$/, '') !== p.flow : e.flow.startsWith('dns')) return false;
  if (p.type !== undefined && e.type !== p.type) return false;
  if (p.machine !== undefined && e.where.machine !== p.machine && !e.where.machine.endsWith(`/${p.machine}`)) return false;
  if (p.dev !== undefined && e.where.dev !== p.dev) return false;
  if (p.kind !== undefined && kindOf(e) !== p.kind) return false;
  if (p.reason !== undefined && !(reasonOf(e) ?? '').includes(p.reason)) return false;
  if (p.chain !== undefined) {
    const re = globToRegExp(p.chain);
    if (e.type === 'netfilter') {
      if (!('matchedRule' in e.detail) || !e.detail.matchedRule || !re.test(e.detail.chain)) return false;
    } else {
      // nat events name the rule as "table/CHAIN rule N: ..."
      const chain = /^\w+\/(\S+) rule/.exec(e.type === 'nat' ? e.detail.rule ?? '' : '')?.[1];
      if (!chain || !re.test(chain)) return false;
    }
  }
  return true;
}

/** `kind` of a check: a NAT's DNAT/SNAT, a tunnel's vxlan/ipip/udp. */
function kindOf(e: TraceEvent): string | undefined {
  switch (e.type) {
    case 'nat': case 'encap': case 'decap': return e.detail.kind;
    default: return undefined;
  }
}

/** `reason` of a check: why a packet was dropped (or conntrack called it INVALID, or IPVS chose). */
function reasonOf(e: TraceEvent): string | undefined {
  switch (e.type) {
    case 'drop': return e.detail.reason;
    case 'conntrack': return e.detail.action === 'invalid' ? e.detail.reason : undefined;
    case 'ipvs': return 'reason' in e.detail ? e.detail.reason : undefined;
    default: return undefined;
  }
}

export function checkStep(state: LessonState, step: Step): CheckResult {
  return evaluateCheck(state, step.check, step);
}

function ok(pass: boolean, en: string, zh: string): CheckResult {
  return { pass, en, zh };
}

function evaluateCheck(state: LessonState, c: Check, step: Step): CheckResult {
  if ('goal' in c) {
    const r = evaluateGoal(state.sim, c.goal, state.start ? { start: state.start } : {});
    return ok(r.pass, r.en, r.zh);
  }
  if ('ran' in c) {
    const want = words(c.ran.command);
    const hit = state.ran.slice(state.stepStart).some((r) => r.exitCode === 0 && (c.ran.target === undefined || r.target === c.ran.target)
      && want.every((w, i) => words(r.line)[i] === w));
    return ok(hit, hit ? `ran ${c.ran.command}` : `run ${c.ran.command}${c.ran.target ? ` on ${c.ran.target}` : ''}`,
      hit ? `已运行 ${c.ran.command}` : `请在${c.ran.target ? ` ${c.ran.target} 上` : ''}运行 ${c.ran.command}`);
  }
  if ('state' in c) {
    const target = parseTarget(c.state.target);
    // Its own shell session: a check must not read the learner's background jobs or change their $?.
    const r = target ? runLine(state.sim, target, c.state.run, newSession()) : null;
    const out = r && r.exitCode === 0 ? r.stdout : '';
    const pass = !!r && r.exitCode === 0 && (c.state.includes === undefined || out.includes(c.state.includes))
      && (c.state.excludes === undefined || !out.includes(c.state.excludes));
    return ok(pass, pass ? `${c.state.run}: as expected` : `${c.state.run} does not show it yet`,
      pass ? `${c.state.run}：符合预期` : `${c.state.run} 还看不到预期的结果`);
  }
  if ('trace' in c) {
    const t = state.lastTrace;
    if (!t) return ok(false, 'send a packet first', '请先发送一个数据包');
    const pass = (c.trace.from === undefined || t.from === clientOf(state.sim.model, c.trace.from) || t.from === c.trace.from)
      && (c.trace.verdict === undefined || t.verdict === c.trace.verdict)
      && (c.trace.event === undefined || t.events.some((e) => eventMatches(e, c.trace.event!)));
    return ok(pass, pass ? `the trace shows it (${t.verdict})` : `not in the last trace (${t.from} -> ${t.to}: ${t.verdict})`,
      pass ? `轨迹中可以看到（${t.verdict}）` : `最近一次轨迹中没有看到（${t.from} -> ${t.to}：${t.verdict}）`);
  }
  const answer = state.answers.get(step.id);
  if (answer === undefined) return ok(false, 'choose an answer first', '请先选择一个答案');
  const choice = step.choices?.find((x) => x.id === answer);
  if (!choice) return ok(false, `no choice ${answer}`, `没有选项 ${answer}`);
  const held = predictTrace(state, c.predict.packet).events.some((e) => eventMatches(e, choice.event));
  const en = choice.label.en;
  const zh = choice.label['zh-CN'];
  return ok(held, held ? `right: ${en}` : `the replay shows otherwise than ${en}`,
    held ? `答对了：${zh}` : `回放结果与「${zh}」不符`);
}

/** The packet a prediction is about, walked now (the replay that reveals the answer). */
export function predictTrace(state: LessonState, p: LessonPacket): Trace {
  const t = sendPacket(state.sim, p);
  state.lastTrace = t;
  return t;
}
