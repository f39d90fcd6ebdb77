/**
 * steps.yaml: what a lesson asks the learner to do and how the engine checks it. The format is
 * documented in docs/lessons.md; the lesson text (lesson.en.md, lesson.zh-CN.md) has one `## `
 * section per step, in the same order.
 */
import { z } from 'zod';
import { bilingualText, goal } from '../scenario/schema/challenge';

/** A predicate over one typed trace event: every field given must hold. */
export const eventPredicate = z.strictObject({
  type: z.string().optional().describe('Trace event type: nat, encap, decap, drop, netfilter, ipvs, bridge-forward, arp-request, ...'),
  machine: z.string().optional().describe('where.machine, or its last part (node-2)'),
  dev: z.string().optional(),
  chain: z.string().optional().describe('netfilter: a chain glob (KUBE-SEP-*) whose matched rule fired; nat: the rule that did it'),
  kind: z.string().optional().describe('detail.kind: DNAT, SNAT, MASQUERADE, vxlan, ipip, udp'),
  reason: z.string().optional().describe('drop: a piece of detail.reason'),
  flow: z.string().optional().describe('Only this leg (syn, response, ...); dns: legs are excluded unless named'),
});
export type EventPredicate = z.infer<typeof eventPredicate>;

const packet = z.strictObject({
  from: z.string(), to: z.string(),
  protocol: z.enum(['tcp', 'udp', 'icmp']).optional(),
  port: z.number().int().optional(),
  size: z.number().int().optional(),
  df: z.boolean().optional(),
  count: z.number().int().min(1).max(100).optional(),
});
export type LessonPacket = z.infer<typeof packet>;

export const check = z.union([
  z.strictObject({ goal }),
  z.strictObject({ ran: z.strictObject({ target: z.string().optional(), command: z.string().describe('The command line must start with these words (sudo ignored) and succeed') }) }),
  z.strictObject({ state: z.strictObject({
    target: z.string(), run: z.string().describe('A read-only command the engine runs to look at the state'),
    includes: z.string().optional(), excludes: z.string().optional(),
  }) }),
  z.strictObject({ trace: z.strictObject({
    from: z.string().optional(), to: z.string().optional(),
    verdict: z.enum(['delivered', 'refused', 'dropped', 'unreachable', 'timeout', 'nxdomain', 'error']).optional(),
    event: eventPredicate.optional(),
  }).describe('The packet the learner sent last') }),
  z.strictObject({ predict: z.strictObject({ packet }).describe('The learner picks a choice; the engine walks the packet and the chosen choice\'s event must be in its trace') }),
]);
export type Check = z.infer<typeof check>;

export const action = z.union([
  z.strictObject({ run: z.strictObject({ target: z.string(), line: z.string() }) }),
  z.strictObject({ send: packet }),
  z.strictObject({ answer: z.string() }),
  z.strictObject({ edit: z.strictObject({ find: z.string(), replace: z.string() }).describe('Replace text in the scenario YAML (the editor)') }),
]);
export type Action = z.infer<typeof action>;

export const step = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/),
  do: z.enum(['command', 'packet', 'observe', 'predict', 'edit']).describe('What the learner does: type a command, send a packet, find a step in the replay, answer a question, edit the YAML'),
  target: z.string().optional().describe('Where the terminal opens (command steps)'),
  choices: z.array(z.strictObject({
    id: z.string(),
    label: bilingualText.describe('What the button says, in both languages: {en, zh-CN}'),
    event: eventPredicate,
  })).min(2).optional(),
  check,
  solution: z.array(action).min(1).describe('What a learner does to pass: the tests replay it'),
});
export type Step = z.infer<typeof step>;

export const steps = z.strictObject({
  seeds: z.array(z.string()).min(1).describe('The curriculum sections this lesson covers'),
  steps: z.array(step).min(1),
});
export type LessonSteps = z.infer<typeof steps>;
