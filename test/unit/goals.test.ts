/** The goal evaluator and the Challenge kind: what passes, what fails and why, and bad challenges. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, evaluateGoal } from '../../src/engine/index';
import { runKnp } from '../helpers/cli';

const CLUSTER = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: t}
spec:
  nodes:
    - {name: node-1, ip: 192.168.1.11}
    - {name: node-2, ip: 192.168.1.12}
---
apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec: {nodeName: node-1, containers: [{name: a, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: b}}
spec: {nodeName: node-2, containers: [{name: b, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec: {selector: {app: b}, ports: [{port: 80}]}
`;

describe('goals', () => {
  const { sim } = buildSim(CLUSTER);
  it('reach: a Service answers; a port nobody listens on is denied', () => {
    const ok = evaluateGoal(sim, { reach: { from: 'pod/default/a', to: 'svc/default/b:80', expect: 'allowed' } });
    expect(ok.pass).toBe(true);
    expect(ok.code).toBe('reach-allowed');
    const no = evaluateGoal(sim, { reach: { from: 'pod/default/a', to: 'pod/default/b:81', expect: 'allowed' } });
    expect(no.pass).toBe(false);
    expect(no.en).toContain('refused');
    expect(no.zh).toContain('无法访问');
  });
  it('rule: the ClusterIP is DNATed by a KUBE-SEP chain, not by a KUBE-NODEPORTS one', () => {
    expect(evaluateGoal(sim, { rule: { from: 'pod/default/a', to: 'svc/default/b:80', matches: 'KUBE-SEP-*' } }).pass).toBe(true);
    expect(evaluateGoal(sim, { rule: { from: 'pod/default/a', to: 'svc/default/b:80', matches: 'KUBE-NODEPORTS' } }).pass).toBe(false);
  });
  it('path: across flannel.1 to node-2, in order', () => {
    expect(evaluateGoal(sim, { path: { from: 'pod/default/a', to: 'pod/default/b:80', via: ['node/node-1', 'flannel.1', 'node/node-2'] } }).pass).toBe(true);
    expect(evaluateGoal(sim, { path: { from: 'pod/default/a', to: 'pod/default/b:80', via: ['node/node-2', 'node/node-1'] } }).pass).toBe(false);
  });
  it('seenSource: Pod to Pod keeps the source', () => {
    const r = evaluateGoal(sim, { seenSource: { from: 'pod/default/a', to: 'pod/default/b:80', expect: 'preserved' } });
    expect(r.pass).toBe(true);
    expect(evaluateGoal(sim, { seenSource: { from: 'pod/default/a', to: 'pod/default/b:80', expect: 'snat' } }).pass).toBe(false);
  });
  it('seenSource over IPv6: the address is read whole, not cut at its first colon; a NodePort over IPv6 is SNATed', () => {
    const yaml = readFileSync(new URL('../../content/scenarios/dual-stack.yaml', import.meta.url), 'utf8') + `---
apiVersion: v1
kind: Service
metadata: {name: web6}
spec: {type: NodePort, ipFamilyPolicy: SingleStack, ipFamilies: [IPv6], selector: {app: web}, ports: [{port: 80, nodePort: 30080}]}
`;
    const { sim: s6 } = buildSim(yaml);
    const kept = evaluateGoal(s6, { seenSource: { from: 'pod/default/client', to: '[fd00:10:244:1::3]:80', expect: 'preserved' } });
    expect(kept.pass, kept.en).toBe(true);
    const snat = evaluateGoal(s6, { seenSource: { from: 'node/node-1', to: '[fd00:192:168:1::12]:30080', expect: 'snat' } });
    expect(snat.pass, snat.en).toBe(true);
    expect(snat.en).toContain('fd00:10:244:1::1');
  });
  it('resolve and endpoints', () => {
    const ip = sim.model.services.find((s) => s.meta.name === 'b')!.clusterIP!;
    expect(evaluateGoal(sim, { resolve: { from: 'pod/default/a', name: 'b', expect: ip } }).pass).toBe(true);
    expect(evaluateGoal(sim, { resolve: { from: 'pod/default/a', name: 'nope', expect: 'nxdomain' } }).pass).toBe(true);
    expect(evaluateGoal(sim, { endpoints: { service: 'b', count: 1 } }).pass).toBe(true);
    expect(evaluateGoal(sim, { endpoints: { service: 'default/b', count: 2 } }).pass).toBe(false);
  });
  it('unchanged: compares with the start scenario', () => {
    const start = sim.objects!;
    const edited = buildSim(CLUSTER.replace('ports: [{port: 80}]', 'ports: [{port: 8080, targetPort: 80}]')).sim;
    const r = evaluateGoal(edited, { unchanged: ['Service'] }, { start });
    expect(r.pass).toBe(false);
    expect(r.en).toContain('Service/default/b');
    expect(evaluateGoal(edited, { unchanged: ['Pod'] }, { start }).pass).toBe(true);
  });
});

const CHALLENGE = `apiVersion: knp/v1alpha1
kind: Challenge
metadata: {name: c}
spec:
  title: {en: T, zh-CN: T}
  variables:
    port: {oneOf: [8080, 9090]}
  goals:
    - reach: {from: pod/default/a, to: "pod/default/b:\${port}", expect: allowed}
  lockedKinds: [Servce]
---
`;

describe('Challenge documents', () => {
  it('a bad lockedKinds entry and an undeclared variable are located errors; grade exits 2', async () => {
    const text = CHALLENGE + CLUSTER.replace('containerPort: 80}]}]}\n---\napiVersion: v1\nkind: Service', 'containerPort: ${prot}}]}]}\n---\napiVersion: v1\nkind: Service');
    const r = await runKnp(['grade', 'c.yaml'], { files: { 'c.yaml': text } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/c\.yaml:10:\d+: error challenge-unknown-kind/);
    expect(r.stderr).toMatch(/c\.yaml:\d+:\d+: error challenge-unknown-variable: \$\{prot\}/);
  });
  it('variables are drawn from the seed: the same seed gives the same port', () => {
    const text = CHALLENGE.replace('lockedKinds: [Servce]', '') + CLUSTER;
    const port = (seed: number) => {
      const g = buildSim(text, { seed }).sim.objects!.challenge!.obj.spec.goals[0]!;
      return 'reach' in g ? g.reach.to : '';
    };
    expect(port(3)).toBe(port(3));
    const seen = new Set([1, 2, 3, 4, 5, 6, 7, 8].map(port));
    expect([...seen].sort()).toEqual(['pod/default/b:8080', 'pod/default/b:9090']);
  });
  it('a scenario without a Challenge cannot be graded', async () => {
    const r = await runKnp(['grade', 'c.yaml'], { files: { 'c.yaml': CLUSTER } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-challenge');
  });
});
