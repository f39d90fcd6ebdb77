/**
 * The one goal evaluator: lessons, challenges, `knp grade`, the UI and the tests all ask it.
 * A goal is checked against the live simulation (its state after whatever commands and edits
 * the learner made) by walking real packets and reading typed trace events, never text on a
 * screen. Each result says pass or fail and why, as a message code with parameters
 * (messages.ts renders it in English and Chinese).
 */
import type { ClusterModel } from '../model/cluster';
import { resolveName } from '../clients/dns/resolve';
import type { Goal } from '../scenario/schema/challenge';
import type { ScenarioObjects } from '../scenario/load';
import type { Sim } from '../sim';
import { walk } from '../stack/walk';
import type { Trace, TraceEvent } from '../trace/types';
import { renderMessage, type Params } from './messages';
import { clientOf, destinationOf, splitRef } from './targets';
import { changedObjects } from './unchanged';

export type GoalKind = 'reach' | 'resolve' | 'seenSource' | 'endpoints' | 'path' | 'rule' | 'unchanged';

export interface GoalResult {
  readonly kind: GoalKind;
  readonly goal: Goal;
  readonly pass: boolean;
  /** Stable message code (messages.ts) and its parameters. */
  readonly code: string;
  readonly params: Params;
  readonly en: string;
  readonly zh: string;
  /** The packet walk the goal made, for the UI to replay. */
  readonly trace?: Trace;
}

export interface GoalContext {
  /** The scenario as the learner started it: what `unchanged` compares with. */
  readonly start?: ScenarioObjects;
}

export function goalKind(goal: Goal): GoalKind {
  return Object.keys(goal)[0] as GoalKind;
}

function result(goal: Goal, pass: boolean, code: string, params: Params, trace?: Trace): GoalResult {
  return {
    kind: goalKind(goal), goal, pass, code, params,
    en: renderMessage(code, params, 'en'), zh: renderMessage(code, params, 'zh-CN'),
    ...(trace ? { trace } : {}),
  };
}

export function evaluateGoals(sim: Sim, goals: readonly Goal[], ctx: GoalContext = {}): GoalResult[] {
  return goals.map((g) => evaluateGoal(sim, g, ctx));
}

export function evaluateGoal(sim: Sim, goal: Goal, ctx: GoalContext = {}): GoalResult {
  if ('reach' in goal) {
    const g = goal.reach;
    const sent = send(sim, g.from, g.to, g.protocol, g.size, g.df);
    if (!sent.ok) return result(goal, false, 'bad-target', { from: g.from, to: g.to, detail: sent.why });
    const { trace } = sent;
    const status = httpStatus(trace);
    const allowed = trace.verdict === 'delivered' && (status === undefined || status < 400);
    const detail = trace.verdict === 'delivered'
      ? `${status !== undefined ? `HTTP ${status} ` : ''}from ${trace.responder ?? '?'}`
      : `${trace.verdict}${trace.reason ? `: ${trace.reason}` : ''}`;
    return result(goal, allowed === (g.expect === 'allowed'), allowed ? 'reach-allowed' : 'reach-denied', { from: g.from, to: g.to, detail }, trace);
  }
  if ('resolve' in goal) {
    const g = goal.resolve;
    const res = resolveName(sim, clientOf(sim.model, g.from), g.name, 'A');
    const answered = res.steps.some((s) => s.response);
    const addresses = res.addresses;
    const pass = g.expect === 'nxdomain' ? answered && addresses.length === 0
      : g.expect === 'any' ? addresses.length > 0
      : addresses.includes(g.expect);
    if (addresses.length) return result(goal, pass, 'resolve-answer', { from: g.from, name: g.name, addresses: addresses.join(', ') });
    if (!answered) return result(goal, pass, 'resolve-timeout', { from: g.from, name: g.name });
    return result(goal, pass, 'resolve-nxdomain', { from: g.from, name: g.name, rcode: res.answer?.rcode ?? 'NXDOMAIN' });
  }
  if ('seenSource' in goal) {
    const g = goal.seenSource;
    const sent = send(sim, g.from, g.to, g.protocol);
    if (!sent.ok) return result(goal, false, 'bad-target', { from: g.from, to: g.to, detail: sent.why });
    const { trace } = sent;
    if (trace.verdict !== 'delivered' || !trace.seenSource) {
      return result(goal, false, 'source-undelivered', { to: g.to, detail: `${trace.verdict}${trace.reason ? `: ${trace.reason}` : ''}` }, trace);
    }
    const client = clientAddress(trace) ?? '?';
    // addr:port, the address IPv4 or IPv6 (bracketed or not): everything before the last colon.
    const seen = trace.seenSource.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
    const preserved = seen === client;
    return result(goal, preserved === (g.expect === 'preserved'), preserved ? 'source-preserved' : 'source-snat',
      { responder: trace.responder ?? '?', seen, client }, trace);
  }
  if ('endpoints' in goal) {
    const g = goal.endpoints;
    const { ns, name } = splitRef(g.service);
    const service = `${ns}/${name}`;
    if (!sim.model.services.some((s) => s.meta.namespace === ns && s.meta.name === name)) {
      return result(goal, false, 'endpoints-no-service', { service });
    }
    const count = readyEndpoints(sim.model, ns, name);
    return result(goal, count === g.count, 'endpoints-count', { service, count });
  }
  if ('path' in goal) {
    const g = goal.path;
    const sent = send(sim, g.from, g.to, g.protocol);
    if (!sent.ok) return result(goal, false, 'bad-target', { from: g.from, to: g.to, detail: sent.why });
    const events = firstLeg(sent.trace.events);
    let i = 0;
    for (const e of events) if (i < g.via.length && atPlace(e, g.via[i]!)) i++;
    const hops = sent.trace.path.map((h) => h.machine).join(' -> ') || sent.trace.verdict;
    return i === g.via.length
      ? result(goal, true, 'path-crossed', { via: g.via.join(' -> ') }, sent.trace)
      : result(goal, false, 'path-missed', { missing: g.via.slice(i).join(' -> '), hops }, sent.trace);
  }
  if ('rule' in goal) {
    const g = goal.rule;
    const sent = send(sim, g.from, g.to, g.protocol);
    if (!sent.ok) return result(goal, false, 'bad-target', { from: g.from, to: g.to, detail: sent.why });
    const hit = matchedRule(sent.trace.events, g.matches);
    const detail = `${sent.trace.verdict}, ${sent.trace.rulesEvaluated} rules evaluated`;
    return hit
      ? result(goal, true, 'rule-matched', { matches: g.matches, rule: hit }, sent.trace)
      : result(goal, false, 'rule-unmatched', { matches: g.matches, detail }, sent.trace);
  }
  const items = goal.unchanged.join(', ');
  if (!ctx.start) return result(goal, true, 'unchanged-no-start', { items });
  const changed = changedObjects(ctx.start, sim.objects, goal.unchanged);
  return changed.length
    ? result(goal, false, 'unchanged-edited', { items, changed: changed.join(', ') })
    : result(goal, true, 'unchanged-same', { items });
}

type Sent = { ok: true; trace: Trace } | { ok: false; why: string };

function send(sim: Sim, from: string, to: string, protocol?: 'tcp' | 'udp' | 'icmp', size?: number, df?: boolean): Sent {
  const d = destinationOf(sim.model, to);
  if (!d.ok) return { ok: false, why: d.why };
  const proto = protocol ?? d.dest.protocol;
  const trace = walk(sim, {
    from: clientOf(sim.model, from), to: d.dest.to,
    ...(proto ? { protocol: proto } : {}), ...(size !== undefined ? { size } : {}), ...(df !== undefined ? { df } : {}),
  });
  if (trace.verdict === 'error' && trace.events.length === 0) return { ok: false, why: trace.reason ?? 'bad request' };
  return { ok: true, trace };
}

const REPLY_FLOWS = new Set(['echo-reply', 'response', 'syn-ack', 'fin-ack', 'rst', 'icmp-error']);

function baseFlow(flow: string): string {
  return flow.replace(/^relay:/, '').replace(/#\d+$/, '');
}

/** The events of the request's own legs: not the resolver's work before it, not the answers. */
export function requestEvents(events: readonly TraceEvent[]): TraceEvent[] {
  return events.filter((e) => !e.flow.startsWith('dns:') && e.flow !== 'dns' && !REPLY_FLOWS.has(baseFlow(e.flow)));
}

/** The first packet's own leg (syn, echo-request, request), and a relaying proxy's onward leg of it. */
export function firstLeg(events: readonly TraceEvent[]): TraceEvent[] {
  const first = events.find((e) => e.type === 'send' && !e.flow.startsWith('dns'))?.flow;
  if (!first) return [];
  return events.filter((e) => e.flow === first || e.flow === `relay:${first}`);
}

/** A place in a `via` list: a machine (node/node-1), a device (flannel.1), or MACHINE DEV. */
function atPlace(e: TraceEvent, place: string): boolean {
  const [machine, dev] = place.includes(' ') ? place.split(/\s+/, 2) as [string, string] : [place, undefined];
  if (dev !== undefined) return e.where.machine === machine && e.where.dev === dev;
  return e.where.machine === place || e.where.dev === place || e.where.machine.endsWith(`/${place}`);
}

export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
}

/** The text of the first rule that matched in a chain named like `pattern`, or in a policy of that name. */
export function matchedRule(events: readonly TraceEvent[], pattern: string): string | null {
  const chainRe = globToRegExp(pattern);
  const policy = pattern.toLowerCase();
  for (const e of events) {
    if (e.flow.startsWith('dns:') || e.type !== 'netfilter') continue;
    const d = e.detail;
    const text = 'matchedRule' in d ? d.matchedRule?.text : undefined;
    if (!text || !('chain' in d)) continue;
    if (chainRe.test(d.chain)) return text;
    const lower = text.toLowerCase();
    if (!pattern.includes('*') && (lower.includes(`policy ${policy}`) || lower.includes(`/${policy} `) || lower.includes(`/${policy}"`))) return text;
  }
  return null;
}

/** The client's own address: the source of the first packet it sent for the request. */
function clientAddress(trace: Trace): string | undefined {
  const first = trace.events.find((e) => e.type === 'send' && !e.flow.startsWith('dns') && e.packet?.ip);
  return first?.packet?.ip?.src;
}

/** The HTTP status the client got, when it spoke HTTP (a raw TCP probe to a web server gets a 400 that means nothing). */
function httpStatus(trace: Trace): number | undefined {
  if (!/^https?:\/\//.test(trace.to)) return undefined;
  let status: number | undefined;
  for (const e of trace.events) {
    if (e.type !== 'deliver' || e.flow.startsWith('dns') || e.flow.startsWith('relay:')) continue;
    const p = e.packet?.payload;
    if (p?.kind === 'http-response') status = p.status;
  }
  return status;
}

export function readyEndpoints(model: ClusterModel, ns: string, name: string): number {
  const ep = model.endpoints.find((e) => e.meta.namespace === ns && e.meta.name === name);
  const ips = new Set<string>();
  for (const s of ep?.subsets ?? []) for (const a of s.addresses) ips.add(a.ip);
  return ips.size;
}
