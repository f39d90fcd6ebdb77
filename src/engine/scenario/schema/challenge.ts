/**
 * Goals and the Challenge kind (apiVersion knp/v1alpha1). A goal is a fact about the simulated
 * cluster that the engine checks (src/engine/goals/evaluate.ts); lessons' steps, challenges,
 * `knp grade` and the UI share this one shape. Contract: docs/lessons.md.
 */
import { z } from 'zod';
import { objectMeta } from './common';

const typeMeta = { apiVersion: z.literal('knp/v1alpha1'), kind: z.string() };

const from = z.string().describe('The client: pod/NS/NAME, node/NAME or host/NAME[#NETNS]');
const to = z.string().describe('svc/NS/NAME:PORT, pod/NS/NAME:PORT, IP, IP:PORT or a URL (http://HOST[:PORT]/PATH)');
const protocol = z.enum(['tcp', 'udp', 'icmp']).optional().describe('Default: from the destination (a bare IP is ICMP echo, a Service port its own protocol)');

export const goal = z.union([
  z.strictObject({
    reach: z.strictObject({
      from, to, protocol,
      size: z.number().int().min(0).max(65000).optional().describe('Payload bytes (ping -s); with df, tests the path MTU'),
      df: z.boolean().optional().describe('Set don\'t-fragment (ping -M do)'),
      expect: z.enum(['allowed', 'denied']).describe('allowed: an answer came back (HTTP below 400); denied: anything else'),
    }),
  }),
  z.strictObject({
    resolve: z.strictObject({
      from, name: z.string().describe('The name as the client types it (search list and ndots apply)'),
      expect: z.string().describe('An IPv4 address among the answers, "any" for any answer, or "nxdomain"'),
    }),
  }),
  z.strictObject({
    seenSource: z.strictObject({ from, to, protocol, expect: z.enum(['preserved', 'snat']).describe('preserved: the server saw the client\'s own address') }),
  }),
  z.strictObject({
    endpoints: z.strictObject({
      service: z.string().describe('NS/NAME or NAME (namespace default)'),
      count: z.number().int().min(0).describe('Ready endpoint addresses the Service must have'),
    }),
  }),
  z.strictObject({
    path: z.strictObject({ from, to, protocol, via: z.array(z.string()).min(1).describe('Machines (node/node-2) or devices (flannel.1) the request must cross, in order') }),
  }),
  z.strictObject({
    rule: z.strictObject({ from, to, protocol, matches: z.string().describe('A chain glob (KUBE-SEP-*) or a NetworkPolicy name whose rule must match') }),
  }),
  z.strictObject({
    unchanged: z.array(z.string()).min(1).describe('Kinds (Service) or objects (Service/NS/NAME) that must stay as the start scenario has them'),
  }),
]);
export type Goal = z.infer<typeof goal>;

/** en and zh-CN text; everything a learner reads exists in both. */
export const bilingualText = z.strictObject({ en: z.string(), 'zh-CN': z.string() });
export type BilingualText = z.infer<typeof bilingualText>;

export const challengeVariable = z.union([
  z.strictObject({ oneOf: z.array(z.union([z.string(), z.number()])).min(1).describe('One of these, drawn from the seed') }),
  z.strictObject({ range: z.tuple([z.number().int(), z.number().int()]).describe('A whole number in [min, max], drawn from the seed') }),
]);

export const challenge = z.strictObject({
  ...typeMeta,
  metadata: objectMeta,
  spec: z.strictObject({
    title: bilingualText,
    description: bilingualText.optional(),
    goals: z.array(goal).min(1).describe('Every goal must hold for the challenge to pass'),
    hints: z.array(bilingualText).optional().describe('Shown one at a time, on request'),
    variables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), challengeVariable).optional()
      .describe('Drawn from the seed and written wherever ${NAME} appears in the file, so neighbours\' answers differ'),
    lockedKinds: z.array(z.string()).optional().describe('Kinds the learner may not edit (graded as an unchanged goal)'),
    setup: z.array(z.strictObject({ target: z.string(), run: z.string() })).optional()
      .describe('Commands run after the cluster is built, to break what the learner must mend'),
  }),
});
export type ChallengeIn = z.output<typeof challenge>;
