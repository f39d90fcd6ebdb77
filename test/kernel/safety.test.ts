/**
 * Kernel tier: the lab script is safe to run on a teacher's machine. It refuses what the kernel
 * cannot do (naming it), refuses when not root, leaves the host's own namespace as it was,
 * and removes its namespaces when interrupted.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine/index';
import { exportLab } from '../../src/engine/lab/export';
import { planLab } from '../../src/engine/lab/plan';
import { cell6Yaml } from './grid';
import { NetBuilder, portForward, twoNsVeth } from './fixtures';
import { requireRoot, runLab, sweep, uniquePrefix } from './harness';

afterAll(() => { sweep(); });

/** The host namespace as `ip` sees it: links, addresses, routes of every table, rules. */
function hostState(): string {
  const run = (args: string[]): string => execFileSync('ip', args, { encoding: 'utf8' });
  const tables = (tool: string): string => spawnSync(tool, [], { encoding: 'utf8' }).stdout.replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, '');
  return [run(['-o', 'link', 'show']), run(['-o', 'addr', 'show']), run(['route', 'show', 'table', 'all']), run(['rule', 'show']),
    run(['-6', 'route', 'show', 'table', 'all']), run(['-6', 'rule', 'show']), tables('ip6tables-save')]
    .join('\n')
    // Counters and link-state timers move on their own.
    .replace(/\\\s+RX:.*$/gm, '');
}

describe('kernel tier: the lab is safe by construction', () => {
  it('leaves the host namespace untouched and removes every namespace it made', async () => {
    requireRoot();
    const before = hostState();
    const fx = portForward();
    const prefix = uniquePrefix();
    const run = await runLab(exportLab({ title: fx.name, seed: 1, net: fx.net, probes: fx.probes.slice(0, 1), iptablesSave: (ns) => fx.rules?.[ns.id] ?? null }).script, { prefix });
    expect(run.code, run.stderr).toBe(0);
    expect(sweep(prefix)).toEqual([]);
    expect(hostState()).toBe(before);
  });

  it('an IPv6 lab (IPv6 sysctls, addresses, routes, ip6tables-restore, VXLAN over IPv6) leaves the host namespace untouched too', async () => {
    requireRoot();
    const before = hostState();
    const { sim } = buildSim(cell6Yaml('flannel-vxlan', 'v6only'), { seed: 1 });
    const plan = planLab(sim, { probes: ['cross-node'] });
    const script = exportLab(plan.input).script;
    expect(script).toContain('ip6tables-restore');
    const prefix = uniquePrefix();
    const run = await runLab(script, { prefix, timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.answers.map((a) => a.verdict)).toEqual(['delivered']);
    expect(sweep(prefix)).toEqual([]);
    expect(hostState()).toBe(before);
  }, 150_000);

  it('cleans up when interrupted in the middle of a probe', async () => {
    requireRoot();
    const fx = portForward();
    const prefix = uniquePrefix();
    // The DROP probe waits 2 s for an answer; the run is stopped after 1 s.
    const drop = fx.probes.filter((p) => p.name === 'drop');
    const run = await runLab(exportLab({ title: fx.name, seed: 1, net: fx.net, probes: drop, iptablesSave: (ns) => fx.rules?.[ns.id] ?? null }).script, { prefix, timeoutMs: 1000 });
    expect(run.code).not.toBe(0);
    expect(sweep(prefix), 'namespaces left after SIGTERM').toEqual([]);
  });

  it('refuses a link type the kernel lacks, naming it, before creating anything', async () => {
    requireRoot();
    const b = new NetBuilder();
    const a = b.ns('node/n1');
    const tunl = b.link(a, 'tunl0', 'ipip');
    tunl.ipip = {};
    const prefix = uniquePrefix();
    const run = await runLab(exportLab({ title: 'ipip', seed: 1, net: b.build(), probes: [] }).script, { prefix });
    // This machine's kernel has no IPIP; where it has, the lab simply builds.
    const scratch = `${uniquePrefix()}-ipip`;
    const hasIpip = spawnSync('bash', ['-c', `ip netns add ${scratch} && ip -n ${scratch} link add t type ipip; r=$?; ip netns del ${scratch}; exit $r`]).status === 0;
    if (hasIpip) expect(run.code, run.stderr).toBe(0);
    else {
      expect(run.code).toBe(4);
      expect(run.stderr).toContain('this kernel lacks IPIP tunnels');
    }
    expect(sweep(prefix)).toEqual([]);
  });

  it('refuses IPVS scenarios with the reason', async () => {
    requireRoot();
    const fx = twoNsVeth();
    const prefix = uniquePrefix();
    const run = await runLab(exportLab({ title: 'ipvs', seed: 1, net: fx.net, probes: [], requires: ['ipvs'] }).script, { prefix });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/IPVS/);
    expect(sweep(prefix)).toEqual([]);
  });

  it('states plainly that flannel\'s UDP backend is not exported', async () => {
    const b = new NetBuilder();
    const n = b.ns('node/n1');
    b.link(n, 'flannel0', 'tun').tun = { owner: 'flanneld' };
    const lab = exportLab({ title: 'udp', seed: 1, net: b.build(), probes: [] });
    expect(lab.unsupported.join('\n')).toContain("flannel's UDP backend is not exported");
    expect(lab.script).toContain('exit 3');
  });

  it('refuses to run as an ordinary user', () => {
    const fx = twoNsVeth();
    const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'bash', '-s'], {
      input: exportLab({ title: fx.name, seed: 1, net: fx.net, probes: fx.probes }).script, encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('knp lab: run as root');
  });
});
