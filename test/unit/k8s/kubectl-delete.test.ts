/** `kubectl delete`: a controller's Pod comes back under a new name and address; the Service hides the change. */
import { describe, expect, it } from 'vitest';
import { buildSim, runArgv } from '../../../src/engine/index';
import { walk } from '../../../src/engine/stack/walk';
import { webScenario } from './fixtures';

const yaml = webScenario(3);

type S = ReturnType<typeof buildSim>['sim'];
const web = (sim: S) => sim.model.pods.filter((p) => p.meta.name.startsWith('web-')).map((p) => ({ name: p.meta.name, node: p.nodeName, ip: p.podIP }));
const k = (sim: S, ...a: string[]) => runArgv(sim, { kind: 'workstation' }, ['kubectl', ...a]);

describe('kubectl delete pod', () => {
  it("a Deployment's Pod is replaced under a new name with a new address; the others stay where they are", () => {
    const { sim } = buildSim(yaml);
    const before = web(sim);
    const victim = before[1]!;
    const r = k(sim, 'delete', 'pod', victim.name);
    expect(r).toMatchObject({ stdout: `pod "${victim.name}" deleted\n`, stderr: '', exitCode: 0, changed: true });
    const after = web(sim);
    expect(after).toHaveLength(3);
    expect(after.map((p) => p.name)).not.toContain(victim.name);
    for (const p of [before[0]!, before[2]!]) expect(after).toContainEqual(p);
    const fresh = after.find((p) => !before.some((b) => b.name === p.name))!;
    expect(fresh.name).toMatch(/^web-[a-z0-9]+-[a-z0-9]{5}$/);
    expect(fresh.ip).not.toBe(victim.ip);
    expect(fresh.ip).not.toBeNull();
    // The Service follows: its endpoints name the new address, and traffic reaches the new Pod.
    const ep = k(sim, 'get', 'endpoints', 'web').stdout;
    expect(ep).toContain(`${fresh.ip}:80`);
    expect(ep).not.toContain(`${victim.ip}:80`);
    const vip = sim.model.services.find((s) => s.meta.name === 'web')!.clusterIP!;
    const who = new Set(Array.from({ length: 12 }, () => walk(sim, { from: 'pod/default/client', to: `http://${vip}/` }).responder));
    expect(who).toContain(`pod/default/${fresh.name}`);
    expect(who).not.toContain(`pod/default/${victim.name}`);
    // The old address answers no more.
    expect(walk(sim, { from: 'pod/default/client', to: `http://${victim.ip}/` }).verdict).not.toBe('delivered');
  });

  it('is deterministic, and later edits keep the replacement where it runs', () => {
    const a = buildSim(yaml).sim;
    const b = buildSim(yaml).sim;
    const victim = web(a)[0]!.name;
    k(a, 'delete', 'pod', victim);
    k(b, 'delete', `pod/${victim}`);
    expect(web(b)).toEqual(web(a));
    const after = web(a);
    k(a, 'scale', 'deployment', 'web', '--replicas=4');
    for (const p of after) expect(web(a)).toContainEqual(p);
    expect(web(a)).toHaveLength(4);
  });

  it('a Pod the scenario declares is gone; deleting it again is NotFound', () => {
    const { sim } = buildSim(yaml);
    expect(k(sim, 'delete', 'pod', 'client').stdout).toBe('pod "client" deleted\n');
    expect(sim.model.pods.some((p) => p.meta.name === 'client')).toBe(false);
    expect(k(sim, 'delete', 'pod', 'client')).toMatchObject({ stderr: 'Error from server (NotFound): pods "client" not found\n', exitCode: 1 });
  });

  it('-l deletes every matching Pod and each comes back', () => {
    const { sim } = buildSim(yaml);
    const before = web(sim).map((p) => p.name);
    const r = k(sim, 'delete', 'pods', '-l', 'app=web');
    expect(r.stdout.trim().split('\n')).toEqual(before.map((n) => `pod "${n}" deleted`));
    const after = web(sim).map((p) => p.name);
    expect(after).toHaveLength(3);
    for (const n of before) expect(after).not.toContain(n);
    expect(k(sim, 'delete', 'pods', '-l', 'app=none')).toMatchObject({ stdout: '', stderr: 'No resources found in default namespace.\n', exitCode: 0 });
  });
});

describe('kubectl delete other kinds', () => {
  it('deleting the Service removes its ClusterIP rules and its DNS name; the Pods keep running', () => {
    const { sim } = buildSim(yaml);
    const vip = sim.model.services.find((s) => s.meta.name === 'web')!.clusterIP!;
    const pods = web(sim);
    expect(k(sim, 'delete', 'svc', 'web').stdout).toBe('service "web" deleted\n');
    expect(runArgv(sim, { kind: 'node', name: 'node-1' }, ['iptables-save', '-t', 'nat']).stdout).not.toContain(vip);
    expect(runArgv(sim, { kind: 'pod', namespace: 'default', name: 'client' }, ['nslookup', 'web']).stdout).toContain("** server can't find web: NXDOMAIN");
    expect(web(sim)).toEqual(pods);
  });

  it('errors like kubectl', () => {
    const { sim } = buildSim(yaml);
    expect(k(sim, 'delete', 'pod').stderr).toBe('error: resource(s) were provided, but no name was specified\n');
    expect(k(sim, 'delete', 'widget', 'x').stderr).toBe('error: the server doesn\'t have a resource type "widget"\n');
    expect(k(sim, 'delete', 'deployment', 'nope').stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    expect(k(sim, 'delete', 'pod', 'client', '--force', '--grace-period=0').stderr).toContain('Warning: Immediate deletion does not wait');
  });
});
