/**
 * Every drop the walk writes is a `drop.*` message: the trace's English text stays what it was
 * ("drop: " + the reason), and the event, the story step and the verdict read in zh-CN too.
 * Every app's answer is an `app.*` message, and a device hook's drop reason a `hook.*` one.
 *
 * The walks: the goldens' scenarios, plus the ones no golden walks (ingress-nginx, kube-proxy's
 * userspace mode, CoreDNS forwarding to an upstream that answers and one that does not, Cilium's
 * policy drop at to-container).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { resolveName } from '../../../src/engine/clients/dns/resolve';
import { walk } from '../../../src/engine/stack/walk';
import { render, renderMessage, type Message } from '../../../src/engine/i18n/messages';
import { deriveStory } from '../../../src/engine/trace/story';
import { isEvent, type Trace } from '../../../src/engine/trace/types';
import { TRACE_CASES } from '../../golden/story/cases';
import { ingressYaml } from '../ingress/scenario';

const HAN = /[\u4e00-\u9fff]/;

const USERSPACE = readFileSync(new URL('../fidelity/userspace.yaml', import.meta.url), 'utf8');
const CILIUM = readFileSync(new URL('../../../content/scenarios/cilium.yaml', import.meta.url), 'utf8');
const dnsYaml = (resolverPorts: string): string => `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  dns: {upstream: resolver}
  externalHosts:
  - {name: resolver, ip: 203.0.113.53, ports: [${resolverPorts}], role: dns}
  - {name: example.com, ip: 93.184.216.34, ports: [80]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox}]}
`;

/** Walks no golden takes, each a scenario the proxies, CoreDNS's forwarding or a BPF program decide. */
function extraWalks(): { name: string; trace: Trace }[] {
  const out: { name: string; trace: Trace }[] = [];
  const ing = buildSim(ingressYaml()).sim;
  const laptop = (name: string, to: string, host: string): void => {
    out.push({ name: `ingress ${name}`, trace: walk(ing, { from: 'host/laptop', to, http: { headers: { Host: host } } }) });
  };
  laptop('relay', 'http://192.168.1.11/abc/x', 'a.example.com');
  laptop('no path', 'http://192.168.1.11/nothing', 'a.example.com');
  laptop('no host', 'http://192.168.1.11/', 'nobody.example.com');
  laptop('tls redirect', 'http://192.168.1.11/', 's.example.com');
  laptop('tls relay', 'https://192.168.1.11/', 's.example.com');
  const us = buildSim(USERSPACE).sim;
  for (const svc of ['mixed', 'dead']) {
    const ip = us.model.services.find((s) => s.meta.name === svc)!.clusterIP;
    out.push({ name: `userspace ${svc}`, trace: walk(us, { from: 'pod/default/client', to: `http://${ip}/` }) });
  }
  for (const [name, ports] of [['dns forward', '"53/udp"'], ['dns servfail', '']] as const) {
    const r = resolveName(buildSim(dnsYaml(ports)).sim, 'pod/default/client', 'example.com.');
    r.traces.forEach((trace, i) => out.push({ name: `${name} ${i}`, trace }));
  }
  const cil = buildSim(CILIUM, { seed: 1 }).sim;
  out.push({ name: 'cilium policy', trace: walk(cil, { from: 'pod/default/intruder', to: 'http://my-nginx/' }) });
  return out;
}

const WALKS = [...TRACE_CASES.map((c) => ({ name: c.name, trace: c.trace() })), ...extraWalks()];
const codesOf = (type: 'app' | 'drop'): string[] => WALKS.flatMap(({ trace }) => trace.events.filter((e) => e.type === type).map((e) => {
  const inner = (e.message.params[type === 'app' ? 'text' : 'reason'] as Message);
  return type === 'drop' && inner.code === 'drop.hook' ? String((inner.params['reason'] as Message).code) : String(inner.code);
}));

describe('drop reasons are coded', () => {
  const traces = WALKS;

  it('every drop in a walk of the goldens\' scenarios carries a drop.* message whose English is the reason', () => {
    let drops = 0;
    for (const { name, trace } of traces) {
      for (const e of trace.events.filter(isEvent('drop'))) {
        drops++;
        const m = e.detail.reasonMessage;
        expect(m?.code, `${name} #${e.seq}: uncoded drop "${e.detail.reason}"`).toMatch(/^drop\./);
        expect(render(m!, 'en')).toBe(e.detail.reason);
        expect(e.summary).toBe(`drop: ${e.detail.reason}`);
        const zh = render(e.message, 'zh-CN');
        expect(zh, `${name} #${e.seq}`).toMatch(HAN);
        expect(zh).not.toMatch(/\{\{/);
      }
    }
    expect(drops).toBeGreaterThan(5);
  });

  it('a story step that ends in a drop, and a dropped verdict, say why in zh-CN', () => {
    let checked = 0;
    for (const { trace } of traces) {
      for (const s of deriveStory(trace).filter((x) => x.message.code === 'story.drop')) {
        const reason = s.message.params['reason'];
        expect(String((reason as { code?: string }).code).startsWith('drop.')).toBe(true);
        const zh = renderMessage(s.message.code, s.message.params, 'zh-CN');
        expect(zh).toMatch(HAN);
        expect(zh).not.toMatch(/\{\{/);
        checked++;
      }
      if (trace.verdict === 'dropped' && trace.reasonMessage) {
        expect(render(trace.reasonMessage, 'en')).toBe(`dropped: ${trace.reason}`);
        const r = trace.reasonMessage.params['reason'];
        expect(String((r as { code?: string }).code).startsWith('drop.'), trace.reason).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('app answers', () => {
  it('every app says what it did as an app.* message: English as the trace prints it, zh-CN a Chinese sentence', () => {
    let coded = 0;
    for (const { name, trace } of WALKS) {
      for (const e of trace.events.filter(isEvent('app'))) {
        const text = e.message.params['text'] as Message | string;
        expect(typeof text === 'object' ? text.code : text, `${name} #${e.seq}: uncoded app answer "${e.summary}"`).toMatch(/^app\./);
        expect(render(e.message, 'en')).toBe(e.summary);
        const zh = render(text as Message, 'zh-CN');
        expect(zh, `${name} #${e.seq}`).toMatch(HAN);
        expect(zh).not.toMatch(/\{\{/);
        expect(zh, `${name} #${e.seq}: zh-CN is the English`).not.toBe(e.summary);
        coded++;
      }
    }
    expect(coded).toBeGreaterThan(10);
  });

  it('the walks reach the proxies\' and CoreDNS\'s answers, so the check above sees them', () => {
    const codes = new Set(codesOf('app'));
    for (const c of ['app.ingressRelay', 'app.ingressRelays', 'app.ingress404', 'app.ingressRedirect', 'app.userspacePick', 'app.userspaceRetry',
      'app.userspaceRelays', 'app.userspaceAllFailed', 'app.dnsForward', 'app.dnsRelayed', 'app.dnsServfail']) expect([...codes], c).toContain(c);
  });
});

describe('device hooks', () => {
  it('a program\'s drop reason is a hook.* message inside drop.hook, in zh-CN too', () => {
    let hooks = 0;
    for (const { name, trace } of WALKS) {
      for (const e of trace.events.filter(isEvent('drop'))) {
        const m = e.detail.reasonMessage!;
        if (m.code !== 'drop.hook') continue;
        const inner = m.params['reason'] as Message | string;
        expect(typeof inner === 'object' ? inner.code : inner, `${name} #${e.seq}: uncoded hook drop "${e.detail.reason}"`).toMatch(/^hook\./);
        expect(render(inner as Message, 'zh-CN')).toMatch(HAN);
        hooks++;
      }
      // The hook event names the reason as its note: coded too, so it reads in zh-CN.
      for (const e of trace.events.filter(isEvent('hook'))) {
        if (e.detail.verdict !== 'drop') continue;
        expect(render(e.message, 'zh-CN'), `${name} #${e.seq}`).not.toContain('Policy denied');
      }
    }
    expect(hooks).toBeGreaterThan(0);
    expect(codesOf('drop')).toContain('hook.ciliumDenyIngress');
  });

  it('every note a program writes (pass, redirect, rewrite, socket LB) is a hook.* message: English as the trace prints it, zh-CN Chinese', () => {
    let notes = 0;
    for (const { name, trace } of WALKS) {
      for (const e of trace.events.filter(isEvent('hook'))) {
        const note = e.message.params['note'] as Message | string | undefined;
        if (note === undefined) continue;
        expect(typeof note === 'object' ? note.code : note, `${name} #${e.seq}: uncoded hook note "${e.detail.note}"`).toMatch(/^hook\./);
        expect(render(note as Message, 'en'), `${name} #${e.seq}`).toBe(e.detail.note);
        const zh = render(note as Message, 'zh-CN');
        expect(zh, `${name} #${e.seq}`).toMatch(HAN);
        expect(zh).not.toMatch(/\{\{/);
        notes++;
      }
    }
    // The Cilium walks reach its programs' notes (to-container, from-container, the socket LB...).
    expect(notes).toBeGreaterThan(10);
  });
});
