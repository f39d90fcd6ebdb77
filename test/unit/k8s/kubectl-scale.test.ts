/** `kubectl scale`: the workload changes, the control plane and the nodes catch up deterministically. */
import { describe, expect, it } from 'vitest';
import { buildSim, runArgv } from '../../../src/engine/index';
import { walk } from '../../../src/engine/stack/walk';
import { webScenario } from './fixtures';

const yaml = webScenario(2);

const web = (sim: ReturnType<typeof buildSim>['sim']) => sim.model.pods.filter((p) => p.meta.name.startsWith('web-')).map((p) => `${p.meta.name} ${p.podIP}`);

describe('kubectl scale', () => {
  it('adds Pods with endpoints and rules; the first Pods keep their names and addresses', () => {
    const { sim } = buildSim(yaml);
    const before = web(sim);
    expect(before).toHaveLength(2);
    const k = (...a: string[]) => runArgv(sim, { kind: 'workstation' }, ['kubectl', ...a]);
    const r = k('scale', 'deployment', 'web', '--replicas=3');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('deployment.apps/web scaled\n');
    const after = web(sim);
    expect(after).toHaveLength(3);
    for (const p of before) expect(after).toContain(p);
    const ep = k('get', 'endpoints', 'web').stdout;
    expect(ep.split('\n')[1]).toMatch(/^web +(\d+\.\d+\.\d+\.\d+:80,){2}\d+\.\d+\.\d+\.\d+:80 /);
    const vip = sim.model.services.find((s) => s.meta.name === 'web')!.clusterIP!;
    const who = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9].map(() => walk(sim, { from: 'pod/default/client', to: `http://${vip}/` }).responder));
    expect(who.size).toBe(3);
    // Same edits, same seed: the same cluster.
    const again = buildSim(yaml).sim;
    runArgv(again, { kind: 'workstation' }, ['kubectl', 'scale', 'deploy/web', '--replicas', '3']);
    expect(web(again)).toEqual(after);
    k('scale', 'deployment/web', '--replicas=1');
    expect(web(sim)).toEqual([before[0]]);
  });

  it('errors like kubectl', () => {
    const { sim } = buildSim(yaml);
    const k = (...a: string[]) => runArgv(sim, { kind: 'workstation' }, ['kubectl', ...a]);
    expect(k('scale', 'deployment', 'nope', '--replicas=2').stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(k('scale', 'deployment', 'web').stderr).toBe('error: required flag(s) "replicas" not set\n');
    expect(k('scale', 'deployment', 'web', '--replicas=x').exitCode).toBe(1);
  });
});

describe('kubectl label', () => {
  it('a declared Pod labelled app=web joins the Service; removing the label takes it out', () => {
    const { sim } = buildSim(yaml);
    const k = (...a: string[]) => runArgv(sim, { kind: 'workstation' }, ['kubectl', ...a]);
    const client = () => sim.model.pods.find((p) => p.meta.name === 'client')!;
    const eps = () => k('get', 'endpoints', 'web').stdout.split('\n')[1]!;
    expect(eps()).not.toContain(`${client().podIP}:80`);
    expect(k('label', 'pod', 'client', 'app=web').stdout).toBe('pod/client labeled\n');
    expect(client().meta.labels['app']).toBe('web');
    expect(eps()).toContain(`${client().podIP}:80`);
    expect(k('get', 'pods', '--show-labels').stdout).toMatch(/client .* app=web\n/);
    expect(k('label', 'pod/client', 'app=db').stderr).toBe("error: 'app' already has a value (web), and --overwrite is false\n");
    expect(k('label', 'pod', 'client', 'app-').stdout).toBe('pod/client labeled\n');
    expect(client().meta.labels['app']).toBeUndefined();
    expect(eps()).not.toContain(`${client().podIP}:80`);
    expect(k('label', 'pod', 'nope', 'a=b').stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    const made = sim.model.pods.find((p) => p.meta.name.startsWith('web-'))!.meta.name;
    expect(k('label', 'pod', made, 'a=b').exitCode).toBe(1);
  });
});

describe('kubectl label node', () => {
  it('labels a node of the Cluster (the default two when it lists none): a Pending nodeSelector Pod is scheduled there', () => {
    const sel = `${yaml}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: picky}\nspec:\n  nodeSelector: {disk: ssd}\n  containers: [{name: c, image: nginx}]\n`;
    const { sim } = buildSim(sel);
    const k = (...a: string[]) => runArgv(sim, { kind: 'workstation' }, ['kubectl', ...a]);
    const picky = () => sim.model.pods.find((p) => p.meta.name === 'picky')!;
    expect(picky().nodeName).toBeNull();
    expect(k('label', 'nodes', 'node-2', 'disk=ssd').stdout).toBe('node/node-2 labeled\n');
    expect(picky().nodeName).toBe('node-2');
    expect(k('get', 'nodes', '--show-labels').stdout).toMatch(/node-2 .*disk=ssd/);
    expect(k('label', 'node/node-2', 'disk=hdd').stderr).toBe("error: 'disk' already has a value (ssd), and --overwrite is false\n");
    expect(k('label', 'node', 'node-2', 'disk=ssd').stdout).toBe('node/node-2 not labeled\n');
    expect(k('label', 'no', 'node-9', 'a=b').stderr).toBe('Error from server (NotFound): nodes "node-9" not found\n');
  });
});

describe('what the kernels learned survives a kubectl rebuild', () => {
  it('neighbour entries, learned FDB entries and conntrack entries stay; a deleted Pod takes its own with it', () => {
    const { sim } = buildSim(yaml);
    const [a, b] = sim.model.pods.filter((p) => p.meta.name.startsWith('web-'));
    const vip = sim.model.services.find((s) => s.meta.name === 'web')!.clusterIP!;
    const node = `node/${sim.model.pods.find((p) => p.meta.name === 'client')!.nodeName}`;
    walk(sim, { from: 'pod/default/client', to: `http://${a!.podIP}/` });
    walk(sim, { from: 'pod/default/client', to: `http://${vip}/` });
    const tracked = runArgv(sim, { kind: 'node', name: node.slice(5) }, ['conntrack', '-L']).stdout;
    expect(tracked).toContain(`dst=${vip}`);
    runArgv(sim, { kind: 'workstation' }, ['kubectl', 'scale', 'deployment', 'web', '--replicas=3']);
    // The connection tracker still knows the Service connection.
    expect(runArgv(sim, { kind: 'node', name: node.slice(5) }, ['conntrack', '-L']).stdout).toContain(`dst=${vip}`);
    // The client still knows its gateway's MAC: no ARP before the next packet.
    const again = walk(sim, { from: 'pod/default/client', to: `http://${a!.podIP}/` });
    expect(again.verdict).toBe('delivered');
    expect(again.events.filter((e) => e.type === 'arp-request' && e.where.ns === 'pod/default/client')).toHaveLength(0);
    // Deleting b: whoever had learned b's MAC forgets it.
    walk(sim, { from: 'pod/default/client', to: `http://${b!.podIP}/` });
    runArgv(sim, { kind: 'workstation' }, ['kubectl', 'delete', 'pod', b!.meta.name]);
    for (const ns of sim.net.namespaces.values()) expect(ns.neigh.some((n) => n.ip === b!.podIP && n.mac !== undefined && ns.id !== `pod/default/${b!.meta.name}`)).toBe(false);
  });
});
