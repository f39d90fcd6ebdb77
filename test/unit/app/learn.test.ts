/**
 * The learning store over the real engine (in-process transport): a lesson's steps advance only
 * when the engine's check passes after what the learner did, a prediction reveals its trace,
 * and a challenge's goals are re-evaluated after each edit.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAppStore } from '../../../src/app/store';
import { createLearnStore, stepSpot } from '../../../src/app/learn/store';
import { challengeNames, lessonIds, scenarioNames } from '../../../src/app/learn/content';
import { expandVariables } from '../../../src/engine/scenario/variables';
import { EngineClient } from '../../../src/worker/client';
import { inProcessTransport } from '../../../src/worker/in-process';
import type { Step } from '../../../src/engine/lessons/schema';

const clients: EngineClient[] = [];
function setup() {
  const client = new EngineClient(inProcessTransport);
  clients.push(client);
  const app = createAppStore(client, { yaml: 'apiVersion: knp/v1alpha1\nkind: Cluster\n', debounceMs: 5 });
  const learn = createLearnStore(client, app, { debounceMs: 5 });
  return { app, learn };
}
afterEach(() => { for (const c of clients.splice(0)) c.close(); });

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('learn store', () => {
  it('bundles every lesson, challenge and scenario folder of content/', () => {
    expect(lessonIds.length).toBeGreaterThanOrEqual(21);
    expect(lessonIds[0]).toBe('01-network-namespaces');
    expect(challengeNames.length).toBeGreaterThanOrEqual(12);
    expect(challengeNames.some((n) => n.includes('solution'))).toBe(false);
    expect(scenarioNames).toContain('default');
  });

  it('lesson 02: a step is done only after the learner\'s commands make its check pass', async () => {
    const { app, learn } = setup();
    await learn.getState().openLesson('02-veth-pair');
    const lesson = learn.getState().lesson!;
    expect(learn.getState().panel).toBe('lesson');
    expect(app.getState().yaml).toBe(lesson.scenario);
    expect(app.getState().terminalTarget).toBe('host/h1');
    // One command of three: the pair exists but veth2 is not in net2 yet.
    await app.getState().exec('sudo ip link add name veth1 type veth peer name veth2');
    await learn.getState().recheck();
    expect(learn.getState().stepIdx).toBe(0);
    expect(learn.getState().lastCheck?.pass).toBe(false);
    await app.getState().exec('sudo ip link set veth1 netns net1');
    await app.getState().exec('sudo ip link set veth2 netns net2');
    await until(() => learn.getState().stepIdx === 1, 'step 1 done');
    expect(learn.getState().progress['02-veth-pair']).toEqual(['make-pair']);
    for (const line of ['sudo ip netns exec net1 ip link set veth1 up', 'sudo ip netns exec net2 ip link set veth2 up',
      'sudo ip netns exec net1 ip addr add 20.1.1.1/24 dev veth1', 'sudo ip netns exec net2 ip addr add 20.1.1.2/24 dev veth2']) await app.getState().exec(line);
    await until(() => learn.getState().stepIdx === 2, 'step 2 done');
    // "Show me where" fills the packet form from the step; the learner still sends it.
    learn.getState().next();
    expect(learn.getState().attention?.spot).toBe('send-packet');
    expect(app.getState().send.from).toBe('host/h1#net1');
    await app.getState().sendPacket();
    await until(() => learn.getState().stepIdx === 3, 'lesson finished');
    expect(learn.getState().progress['02-veth-pair']).toEqual(['make-pair', 'address-and-up', 'ping']);
  });

  it('a prediction: the wrong answer is not accepted, the trace that decides is shown, the right one advances', async () => {
    const { app, learn } = setup();
    await learn.getState().openLesson('19-networkpolicy');
    const steps = learn.getState().lesson!.steps.steps;
    const at = steps.findIndex((s) => s.do === 'predict');
    expect(at).toBeGreaterThan(0);
    // Do the steps before it the way the lesson's solution does (edits to the YAML).
    for (const s of steps.slice(0, at)) {
      for (const a of s.solution) if ('edit' in a) app.getState().setYaml(app.getState().yaml.replace(a.edit.find, a.edit.replace));
      await until(() => learn.getState().stepIdx > steps.indexOf(s), `step ${s.id}`);
    }
    const step = steps[at]!;
    const right = step.solution.find((a) => 'answer' in a) as { answer: string };
    const wrong = step.choices!.find((c) => c.id !== right.answer)!;
    await learn.getState().answer(wrong.id);
    expect(learn.getState().stepIdx).toBe(at);
    expect(learn.getState().lastCheck?.pass).toBe(false);
    expect(app.getState().runs).toHaveLength(1);
    await learn.getState().answer(right.answer);
    expect(learn.getState().stepIdx).toBe(at + 1);
  });

  it('a challenge: goals fail on the start, pass after the fix, and it is marked solved', async () => {
    const { app, learn } = setup();
    await learn.getState().openChallenge('selector-typo');
    const ch = learn.getState().challenge!;
    expect(ch.yaml).not.toContain('${');
    expect(ch.hints.length).toBeGreaterThan(1);
    await until(() => !!learn.getState().goals && !learn.getState().checking, 'goals evaluated');
    expect(learn.getState().goals!.length).toBeGreaterThan(0);
    expect(learn.getState().goals!.some((g) => !g.pass)).toBe(true);
    learn.getState().showHint();
    expect(learn.getState().hintsShown).toBe(1);
    const solution = readFileSync(new URL('../../../content/challenges/selector-typo.solution.yaml', import.meta.url), 'utf8');
    app.getState().setYaml(expandVariables('x.yaml', solution, app.getState().seed).text);
    await until(() => !!learn.getState().goals?.every((g) => g.pass), 'goals pass');
    expect(learn.getState().solved).toContain('selector-typo');
  });

  it('"next step" points at the place each kind of step is done', () => {
    const base = { id: 'x', check: { ran: { command: 'ip' } } } as const;
    expect(stepSpot({ ...base, do: 'command', solution: [{ run: { target: 'node/node-1', line: 'ip a' } }] } as Step)).toBe('terminal');
    expect(stepSpot({ ...base, do: 'edit', solution: [{ edit: { find: 'a', replace: 'b' } }] } as Step)).toBe('editor');
    expect(stepSpot({ ...base, do: 'predict', solution: [{ answer: 'a' }] } as Step)).toBe('lesson-choices');
    expect(stepSpot({ ...base, do: 'observe', solution: [{ send: { from: 'a', to: 'b' } }] } as Step)).toBe('send-packet');
  });
});
