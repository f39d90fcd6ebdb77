/**
 * Rebuilds keep running Pods in place (issue #19): after `kubectl scale` (rebuildSim) or an edit
 * of the YAML applied to the running cluster (buildSim with `previous` and `keepRunning`), a Pod whose spec and node
 * did not change keeps its node, name, address and devices, as kubelet and the scheduler leave a
 * running Pod alone. Only new or changed Pods are scheduled and wired.
 */
import { describe, expect, it } from 'vitest';
import { buildSim, runArgv, type Sim } from '../../../src/engine/index';

/** Three nodes, Deployments web and api, a Service each, and a client Pod. */
function scenario(web: number, api: number, apiLabel = 'api', plugin = 'flannel'): string {
  return `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: ${plugin}}
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 192.168.1.12}
  - {name: node-3, ip: 192.168.1.13}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${web}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: ${api}
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api, tier: ${apiLabel}}}
    spec: {containers: [{name: api, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api}
spec: {selector: {app: api}, ports: [{port: 80}]}
`;
}

/**
 * Each user Pod as the network sees it: node, address, its eth0 (MAC, ifindex, the host-side
 * peer's ifindex) and the host side of its veth on the node (name, ifindex, MAC).
 */
function wiring(sim: Sim): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of sim.model.pods) {
    if (p.system || p.hostNetwork) continue;
    const podNs = [...sim.net.namespaces.values()].find((ns) => ns.owner.kind === 'pod' && ns.owner.name === p.meta.name && ns.owner.namespace === p.meta.namespace);
    const eth0 = podNs?.links.find((l) => l.name === 'eth0');
    const node = sim.net.namespaces.get(`node/${p.nodeName}`);
    const host = eth0?.peer ? node?.links.find((l) => l.ifindex === eth0.peer!.ifindex) : undefined;
    out.set(`${p.meta.namespace}/${p.meta.name}`, `${p.nodeName} ${p.podIP} eth0 ${eth0?.mac} #${eth0?.ifindex}@if${eth0?.peer?.ifindex} host ${host?.name} #${host?.ifindex} ${host?.mac}`);
  }
  return out;
}

const kubectl = (sim: Sim, ...args: string[]) => runArgv(sim, { kind: 'workstation' }, ['kubectl', ...args]);

/** Every entry of `before` is in `after`, unchanged. */
function expectKept(before: Map<string, string>, after: Map<string, string>): void {
  for (const [pod, w] of before) expect(after.get(pod), pod).toBe(w);
}

describe('rebuilds keep running Pods in place', () => {
  it('the wiring read here names every Pod\'s node, address and both ends of its veth', () => {
    const w = wiring(buildSim(scenario(2, 2)).sim);
    expect(w.size).toBe(5);
    for (const line of w.values()) expect(line).toMatch(/^node-\d 10\.244\.\d+\.\d+ eth0 [0-9a-f:]{17} #\d+@if\d+ host \S+ #\d+ [0-9a-f:]{17}$/);
  });

  it('kubectl scale up by one: every existing Pod keeps its node, address and veth; only the new one is added', () => {
    const { sim } = buildSim(scenario(3, 3));
    const before = wiring(sim);
    expect(kubectl(sim, 'scale', 'deployment', 'web', '--replicas=4').exitCode).toBe(0);
    const after = wiring(sim);
    expect(after.size).toBe(before.size + 1);
    expectKept(before, after);
    // Rule installation may leave the other nodes' Pod wiring alone: only the new Pod's node changed.
    const added = [...after.keys()].find((k) => !before.has(k))!;
    expect([...sim.changedNodes!]).toEqual([after.get(added)!.split(' ')[0]]);
  });

  it('an edit of the YAML built with the previous Sim keeps every existing Pod; the new replica lands where a cold build puts it here', () => {
    const { sim } = buildSim(scenario(3, 3));
    const before = wiring(sim);
    const next = buildSim(scenario(3, 4), { previous: sim, keepRunning: true }).sim;
    const after = wiring(next);
    expect(after.size).toBe(before.size + 1);
    expectKept(before, after);
    // api is the last workload scheduled in a cold build, so a cold scheduler sees the same
    // running Pods before the fourth replica and agrees on every node and address. (Scale web
    // instead, and a cold build schedules web's new Pod before api's, which may then spread
    // otherwise: a fresh cluster may differ from a running one, as in Kubernetes.)
    const cold = wiring(buildSim(scenario(3, 4)).sim);
    const place = (w: Map<string, string>) => [...w].map(([k, v]) => `${k} ${v.split(' ').slice(0, 2).join(' ')}`).sort();
    expect(place(after)).toEqual(place(cold));
  });

  it('scale down removes exactly the newest replicas, as the ReplicaSet controller picks them; the rest keep their wiring', () => {
    const { sim } = buildSim(scenario(2, 2));
    const web = () => sim.model.pods.filter((p) => p.meta.labels['app'] === 'web');
    expect(kubectl(sim, 'scale', 'deployment', 'web', '--replicas=3').exitCode).toBe(0);
    const newestOf = () => { const t = Math.max(...web().map((x) => x.meta.createdAt)); return web().filter((p) => p.meta.createdAt === t).map((p) => p.meta.name); };
    const third = newestOf();
    expect(third).toHaveLength(1);
    sim.now += 60_000; // a minute later
    expect(kubectl(sim, 'scale', 'deployment', 'web', '--replicas=5').exitCode).toBe(0);
    const five = web().map((p) => p.meta.name);
    const newest = newestOf();
    expect(newest).toHaveLength(2);
    expect(newest).not.toContain(third[0]);
    const before = wiring(sim);
    expect(kubectl(sim, 'scale', 'deployment', 'web', '--replicas=3').exitCode).toBe(0);
    const left = web().map((p) => p.meta.name);
    expect(left.sort()).toEqual(five.filter((n) => !newest.includes(n)).sort());
    expect(left).toContain(third[0]);
    const after = wiring(sim);
    expect(after.size).toBe(before.size - 2);
    for (const [pod, w] of after) expect(before.get(pod), pod).toBe(w);
  });

  it.each(['flannel', 'calico', 'canal', 'bridge', 'cilium'])('%s: editing one Deployment\'s template label replaces its Pods and leaves every other Pod untouched', (plugin) => {
    const { sim, diagnostics } = buildSim(scenario(3, 3, 'api', plugin));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const before = wiring(sim);
    for (const line of before.values()) expect(line).toMatch(/ host \S+ #\d+ [0-9a-f:]{17}$/);
    const next = buildSim(scenario(3, 3, 'backend', plugin), { previous: sim, keepRunning: true }).sim;
    const after = wiring(next);
    const apiBefore = [...before.keys()].filter((k) => k.startsWith('default/api-'));
    const apiAfter = [...after.keys()].filter((k) => k.startsWith('default/api-'));
    expect(apiAfter).toHaveLength(3);
    // New template, new pod-template-hash: new Pods under new names.
    for (const k of apiAfter) expect(apiBefore).not.toContain(k);
    for (const [pod, w] of before) if (!pod.startsWith('default/api-')) expect(after.get(pod), pod).toBe(w);
    expect(next.model.pods.filter((p) => p.meta.labels['tier'] === 'backend')).toHaveLength(3);
    const nodesOf = (w: Map<string, string>, keys: string[]) => keys.map((k) => w.get(k)!.split(' ')[0]!);
    expect([...next.changedNodes!].sort()).toEqual([...new Set([...nodesOf(before, apiBefore), ...nodesOf(after, apiAfter)])].sort());
    expect(buildSim(scenario(3, 3, 'backend', plugin)).sim.changedNodes).toBeUndefined();
  });

  it('a bare Pod whose spec changed is scheduled afresh: nodeName edited moves it', () => {
    const yaml = scenario(1, 1).replace('spec: {containers: [{name: c, image: busybox}]}', 'spec: {nodeName: node-1, containers: [{name: c, image: busybox}]}');
    const { sim } = buildSim(yaml);
    const client = (s: Sim) => s.model.pods.find((p) => p.meta.name === 'client')!;
    expect(client(sim).nodeName).toBe('node-1');
    const next = buildSim(yaml.replace('nodeName: node-1', 'nodeName: node-3'), { previous: sim, keepRunning: true }).sim;
    expect(client(next).nodeName).toBe('node-3');
    expect(client(next).podIP!.startsWith('10.244.2.')).toBe(true);
  });

  it('another cluster starts cold: a changed Cluster document forgets the previous placements', () => {
    const { sim } = buildSim(scenario(3, 3));
    const other = scenario(3, 4).replace('name: demo', 'name: other');
    expect(wiring(buildSim(other, { previous: sim, keepRunning: true }).sim)).toEqual(wiring(buildSim(other).sim));
  });
});
