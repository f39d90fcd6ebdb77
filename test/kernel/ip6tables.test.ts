/**
 * Kernel tier, ip6tables: kube-proxy's IPv6 restore as the simulator's `ip6tables-save` prints it
 * for a dual-stack node goes through the real `ip6tables-restore` in a namespace of our own, and
 * the kernel's `ip6tables-save` must print it back the same (header comments aside, which carry
 * a time). One known difference is normalised: `-m nfacct` is left out on both sides, as the lab
 * does, because xt_nfacct and its objects are missing on many kernels (this one among them).
 *
 * Then the IPv6 DNAT the simulator's kube-proxy writes (`--to-destination [V6]:PORT`), typed by
 * hand into a real namespace: a client's OUTPUT DNAT to a server in another namespace, and what
 * the kernel does with it (the server answers, sees the client's own address, and conntrack
 * holds the translated reply tuple). The simulator's ip6tables takes the same command and saves
 * the same nat table. (A walk through kube-proxy's IPv6 DNAT against the kernel's is the grid6
 * clusterip cells in grid.ts.)
 * Runs as root; not root is a failure, never a skip. Namespaces carry the tier's unique prefix.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine/index';
import { ip6tablesSaveOf } from '../../src/engine/lab/plan';
import { LAB_PROBE_PY, LAB_SERVER_PY } from '../../src/engine/lab/py';
import { runLine } from '../../src/engine/shell/run';
import { normaliseConntrack, requireRoot, sweep, uniquePrefix } from './harness';

const prefix = uniquePrefix();
afterAll(() => { sweep(prefix); });

const sh = (args: string[], input?: string): string => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], ...(input !== undefined ? { input } : {}) });

/** ip6tables-save text without what each run prints differently or the kernel cannot load. */
function normalise(text: string): string {
  return text.split('\n').filter((l) => !l.startsWith('#')).map((l) => l.replace(/ -m nfacct --nfacct-name +\S+/, '')).join('\n');
}

const HOST = 'apiVersion: knp/v1alpha1\nkind: Host\nmetadata: {name: h1}\nspec: {}\n';
const DUALSTACK = readFileSync(new URL('../golden/kubectl/scenarios/dualstack6.yaml', import.meta.url), 'utf8');

describe('kernel tier: ip6tables, simulator against kernel', () => {
  it('kube-proxy\'s IPv6 restore for a dual-stack node loads with the real ip6tables-restore and saves back as the simulator prints it', () => {
    requireRoot();
    const { sim } = buildSim(DUALSTACK, { seed: 1 });
    const ns = sim.net.namespaces.get('node/node-1')!;
    const simText = ip6tablesSaveOf(sim, ns);
    expect(simText).not.toBeNull();
    // What makes it IPv6: bracketed DNAT targets, ::1 and /128 host addresses.
    expect(simText).toMatch(/--to-destination \[fd00:[0-9a-f:]+\]:80\b/);
    expect(simText).toContain('! -d ::1/128');
    const name = `${prefix}-r6`;
    sh(['ip', 'netns', 'add', name]);
    try {
      sh(['ip', 'netns', 'exec', name, 'ip6tables-restore'], normalise(simText!));
      const kernel = sh(['ip', 'netns', 'exec', name, 'ip6tables-save']);
      expect(normalise(kernel)).toBe(normalise(simText!));
      // IPv4 untouched: the restore went to the IPv6 tables only.
      expect(sh(['ip', 'netns', 'exec', name, 'iptables-save'])).not.toContain('KUBE-');
    } finally {
      sh(['ip', 'netns', 'del', name]);
    }
  });

  it('a hand-written ip6tables OUTPUT DNAT to [v6]:port: the server answers, sees the client\'s address, and conntrack holds the reply tuple', async () => {
    requireRoot();
    const a = `${prefix}-d6a`;
    const b = `${prefix}-d6b`;
    const dir = mkdtempSync(join(tmpdir(), 'knp-ip6t-'));
    const made: string[] = [];
    let server: ReturnType<typeof spawn> | undefined;
    try {
      for (const n of [a, b]) {
        sh(['ip', 'netns', 'add', n]);
        made.push(n);
        sh(['ip', 'netns', 'exec', n, 'sysctl', '-qw', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
        sh(['ip', '-n', n, 'link', 'set', 'lo', 'up']);
      }
      sh(['ip', '-n', a, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', b]);
      for (const [n, addr] of [[a, 'fd00:aa::1'], [b, 'fd00:aa::2']] as const) {
        sh(['ip', '-n', n, '-6', 'addr', 'add', `${addr}/64`, 'dev', 'eth0', 'nodad']);
        sh(['ip', '-n', n, 'link', 'set', 'eth0', 'up']);
      }
      // The client routes the Service range out of eth0 (the first lookup happens before OUTPUT's DNAT).
      sh(['ip', '-n', a, '-6', 'route', 'add', 'default', 'via', 'fd00:aa::2', 'dev', 'eth0']);
      const rule = '-t nat -A OUTPUT -d fd00:10:96::99/128 -p tcp --dport 80 -j DNAT --to-destination [fd00:aa::2]:8080';
      sh(['ip', 'netns', 'exec', a, 'ip6tables', ...rule.split(' ')]);
      const kernelNat = sh(['ip', 'netns', 'exec', a, 'ip6tables-save', '-t', 'nat']);
      expect(kernelNat).toContain('-A OUTPUT -d fd00:10:96::99/128 -p tcp -m tcp --dport 80 -j DNAT --to-destination [fd00:aa::2]:8080');
      // The simulator's ip6tables takes the same command and saves the nat table as the kernel does.
      const { sim } = buildSim(HOST, { seed: 1 });
      const h1 = { kind: 'host' as const, name: 'h1' };
      expect(runLine(sim, h1, `ip6tables ${rule}`).exitCode).toBe(0);
      expect(normalise(runLine(sim, h1, 'ip6tables-save -t nat').stdout)).toBe(normalise(kernelNat));
      writeFileSync(join(dir, 'server.py'), LAB_SERVER_PY);
      writeFileSync(join(dir, 'probe.py'), LAB_PROBE_PY);
      const ready = join(dir, 'ready');
      server = spawn('ip', ['netns', 'exec', b, 'python3', join(dir, 'server.py'), 'host/b', ready, 'tcp:[::]:8080'], { stdio: 'ignore' });
      for (let i = 0; i < 200 && !existsSync(ready); i++) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(ready), 'the server in the second namespace did not start').toBe(true);
      const answer = JSON.parse(sh(['ip', 'netns', 'exec', a, 'python3', join(dir, 'probe.py'), 'dnat6', 'tcp', 'fd00:10:96::99', '80', '{}'])) as Record<string, string>;
      expect(answer.verdict).toBe('delivered');
      expect(answer.responder).toBe('host/b');
      // The server writes its peer as net.JoinHostPort does: the IPv6 address in brackets, then the port.
      expect(answer.seenSource).toMatch(/^\[fd00:aa::1\]:\d+$/);
      const ct = sh(['ip', 'netns', 'exec', a, 'conntrack', '-L', '-f', 'ipv6']).split('\n').filter((l) => l.includes('dport=80 ')).map(normaliseConntrack);
      expect(ct).toEqual(['tcp fd00:aa::1 > fd00:10:96::99:80 | reply fd00:aa::2:8080 > fd00:aa::1']);
      // Without the rule the same connection has nowhere to go: the address is nobody's.
      sh(['ip', 'netns', 'exec', a, 'ip6tables', '-t', 'nat', '-F', 'OUTPUT']);
      const none = JSON.parse(sh(['ip', 'netns', 'exec', a, 'env', 'KNP_LAB_WAIT=1', 'python3', join(dir, 'probe.py'), 'no-dnat6', 'tcp', 'fd00:10:96::99', '80', '{}'])) as Record<string, string>;
      expect(none.verdict).not.toBe('delivered');
    } finally {
      server?.kill();
      for (const n of made.reverse()) { try { sh(['ip', 'netns', 'del', n]); } catch { /* sweep() gets it */ } }
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
