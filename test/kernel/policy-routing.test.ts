/**
 * Kernel tier, policy routing: the same `ip` commands typed into the simulator's shell (on a
 * plain Host) and into a real network namespace, and the answers compared line by line: `ip
 * rule` (default priorities, every selector, File exists / No such file), `ip route show table
 * N`, and `ip route get` through the rules with from, iif and mark. Runs as root; not root is a
 * failure, never a skip. Namespaces carry the tier's unique prefix and are always removed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine/index';
import { runLine } from '../../src/engine/shell/run';
import { requireRoot, sweep, uniquePrefix } from './harness';

const prefix = uniquePrefix();
afterAll(() => { sweep(prefix); });

const YAML = `apiVersion: knp/v1alpha1
kind: Host
metadata: {name: h1}
spec: {}
`;

/** Set-up and probing commands, in order; every one runs on both sides and both answers are kept. */
const COMMANDS = [
  'ip link add eth1 type veth peer name eth2',
  'ip link set eth1 up',
  'ip link set eth2 up',
  'ip addr add 10.0.0.20/24 dev eth1',
  'ip addr add 10.0.1.20/24 dev eth2',
  'sysctl -qw net.ipv4.ip_forward=1',
  'ip route add 10.0.0.1 dev eth2 scope link table 2',
  'ip route add default via 10.0.0.1 dev eth2 table 2',
  'ip route add default via 10.0.0.9 dev eth2 table 3',
  'ip route add default via 10.0.0.1 dev eth1',
  'ip rule',
  'ip rule add from 10.0.0.5 lookup 2 pref 1536',
  'ip rule add to 10.0.0.5 lookup main pref 512',
  'ip rule add fwmark 0x80/0x80 lookup main pref 1024',
  'ip rule add fwmark 0x40/0x40 lookup 2 pref 1000',
  'ip rule add not from 10.1.0.0/16 to 10.2.0.0/16 iif eth1 oif lo table 100',
  'ip rule add from 10.0.0.6',
  'ip rule add iif eth9 lookup 5 pref 41',
  'ip rule add from 10.0.0.5 lookup 2 pref 1536',
  'ip rule',
  'ip rule list table 2',
  'ip route show table 2',
  'ip route get 8.8.8.8',
  'ip route get 8.8.8.8 mark 0x80',
  'ip route get 8.8.8.8 mark 0x40',
  'ip route get 8.8.8.8 from 10.0.0.5 iif eth1',
  'ip route get 8.8.8.8 from 10.0.0.5 iif eth1 mark 0x80',
  'ip route get 8.8.8.8 from 10.0.0.20',
  'ip route get 8.8.8.8 from 10.0.0.5',
  'ip route get 10.0.0.5 from 10.0.0.5 iif eth1',
  'ip rule del from 10.9.9.9',
  'ip rule del pref 1000',
  'ip route get 8.8.8.8 mark 0x40',
  'ip rule add to 8.8.8.8 blackhole pref 10',
  'ip route get 8.8.8.8',
  'ip rule flush',
  'ip rule',
  'ip route get 8.8.8.8',
];

function kernel(ns: string, cmd: string): string {
  const argv = cmd.split(' ');
  const r = argv[0] === 'sysctl'
    ? spawnSync('ip', ['netns', 'exec', ns, ...argv], { encoding: 'utf8' })
    : spawnSync('ip', ['-n', ns, ...argv.slice(1)], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}[exit ${r.status}]`;
}

describe('kernel tier: policy routing, simulator against kernel', () => {
  it('ip rule, ip route show table N and ip route get answer as the kernel does', () => {
    requireRoot();
    const ns = `${prefix}-pr`;
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      const { sim } = buildSim(YAML, { seed: 1 });
      const target = { kind: 'host' as const, name: 'h1' };
      const differ: string[] = [];
      for (const cmd of COMMANDS) {
        const r = runLine(sim, target, cmd);
        const simText = `${r.stdout}${r.stderr}[exit ${r.exitCode}]`;
        const kText = kernel(ns, cmd);
        if (simText !== kText) differ.push(`$ ${cmd}\n--- simulator\n${simText}\n--- kernel\n${kText}`);
      }
      console.info(`kernel tier: policy routing, ${COMMANDS.length - differ.length}/${COMMANDS.length} commands answered the same`);
      expect(differ.join('\n\n')).toBe('');
    } finally {
      execFileSync('ip', ['netns', 'del', ns]);
    }
  });
});
