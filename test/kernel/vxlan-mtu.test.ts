/**
 * Kernel tier, an MTU too large under VXLAN (content/challenges/vxlan-mtu.yaml): the same two
 * nodes built in namespaces of our own and in the simulator, and the same pings on both.
 *
 *   pa ─veth─ n1 ─ vx0 (vxlan 8472, dev eth0) ─ eth0 ─┐          ┌─ eth0 (mtu 1450) ─ n2 ─veth─ pb
 *                                                    └─ sw: br0 ─┘
 *
 * What Linux does (observed on 6.x and asserted here):
 * - a vxlan device bound to a lower device cannot be given an MTU above lower - 50 (EINVAL);
 *   the default is exactly lower - 50 (1450 on 1500);
 * - the outer packet's DF is clear by default (`df unset`), so the sending node fragments an
 *   outer packet larger than its own NIC rather than refusing it;
 * - a frame longer than the receiving device's MTU is dropped there, silently: the sender gets
 *   no ICMP, its ping times out. So with the cluster set for 1500 on a link that carries 1450,
 *   small pings pass and big ones vanish;
 * - with the cluster set for 1450 (vx0 1400, Pods 1400) the Pod fragments the big ping and it
 *   arrives.
 * The simulator must give the same verdict for each (delivered = echo reply, dropped = timeout).
 * Runs as root; not root is a failure, never a skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSim, walk } from '../../src/engine/index';
import { expandVariables } from '../../src/engine/scenario/variables';
import { requireRoot, sweep, uniquePrefix } from './harness';

afterAll(() => { sweep(); });

/** One ICMP echo with a payload size and DF on or off; prints reply / timeout / frag-needed. */
const PING = `import socket, struct, sys
dst, size, df = sys.argv[1], int(sys.argv[2]), sys.argv[3] == 'do'
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
s.setsockopt(socket.IPPROTO_IP, 10, 2 if df else 0)
def csum(b):
    if len(b) % 2: b += b'\\0'
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b)); t = (t >> 16) + (t & 0xffff); t += t >> 16
    return ~t & 0xffff
body = b'x' * size
pkt = struct.pack('!BBHHH', 8, 0, csum(struct.pack('!BBHHH', 8, 0, 0, 0x4b4e, 1) + body), 0x4b4e, 1) + body
try: s.sendto(pkt, (dst, 0))
except OSError as e: print('error', e.errno); sys.exit(0)
s.settimeout(1.0)
try:
    while True:
        d, a = s.recvfrom(65535)
        if d[20] == 0: print('reply'); break
        if d[20] == 3 and d[21] == 4: print('frag-needed', struct.unpack('!H', d[26:28])[0]); break
except socket.timeout: print('timeout')
`;

const sh = (args: string[]): string => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** Builds the two nodes for a cluster MTU (the link to node-2 carries 1450), runs fn, removes it all. */
function withLab<T>(clusterMtu: number, fn: (ns: (n: string) => string, errors: string[]) => T): T {
  const p = uniquePrefix();
  const ns = (n: string) => `${p}-${n}`;
  const made: string[] = [];
  const errors: string[] = [];
  const ip = (...a: string[]) => sh(['ip', ...a]);
  try {
    for (const n of ['sw', 'n1', 'n2', 'pa', 'pb']) { ip('netns', 'add', ns(n)); made.push(ns(n)); }
    ip('-n', ns('sw'), 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', ns('sw'), 'link', 'set', 'br0', 'up');
    const pod = clusterMtu - 50;
    for (const [n, port, addr, podNet, peer] of [['n1', 'p1', '192.168.77.1', '10.99.0', '10.99.1'], ['n2', 'p2', '192.168.77.2', '10.99.1', '10.99.0']] as const) {
      ip('link', 'add', 'eth0', 'netns', ns(n), 'mtu', String(clusterMtu), 'type', 'veth', 'peer', 'name', port, 'netns', ns('sw'), 'mtu', '1500');
      ip('-n', ns('sw'), 'link', 'set', port, 'master', 'br0', 'up');
      ip('-n', ns(n), 'addr', 'add', `${addr}/24`, 'dev', 'eth0');
      ip('-n', ns(n), 'link', 'set', 'eth0', 'up');
      const remote = addr.endsWith('.1') ? '192.168.77.2' : '192.168.77.1';
      ip('-n', ns(n), 'link', 'add', 'vx0', 'type', 'vxlan', 'id', '1', 'local', addr, 'remote', remote, 'dstport', '8472', 'dev', 'eth0');
      ip('-n', ns(n), 'link', 'set', 'vx0', 'up');
      ip('-n', ns(n), 'addr', 'add', `${podNet}.0/32`, 'dev', 'vx0');
      ip('-n', ns(n), 'route', 'add', `${peer}.0/24`, 'via', `${peer}.0`, 'dev', 'vx0', 'onlink');
      const podNs = n === 'n1' ? ns('pa') : ns('pb');
      ip('link', 'add', 'eth0', 'netns', podNs, 'mtu', String(pod), 'type', 'veth', 'peer', 'name', 'veth0', 'netns', ns(n), 'mtu', String(pod));
      ip('-n', podNs, 'addr', 'add', `${podNet}.2/24`, 'dev', 'eth0');
      ip('-n', podNs, 'link', 'set', 'eth0', 'up');
      ip('-n', podNs, 'route', 'add', 'default', 'via', `${podNet}.1`);
      ip('-n', ns(n), 'addr', 'add', `${podNet}.1/24`, 'dev', 'veth0');
      ip('-n', ns(n), 'link', 'set', 'veth0', 'up');
      sh(['ip', 'netns', 'exec', ns(n), 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    }
    // A vxlan device with a lower device refuses an MTU the lower device cannot carry.
    try { ip('-n', ns('n1'), 'link', 'set', 'vx0', 'mtu', String(clusterMtu)); } catch (e) { errors.push(String((e as { stderr?: string }).stderr ?? e)); }
    // The link to node-2 carries 1450, whatever the cluster assumed (the challenge's setup).
    ip('-n', ns('n2'), 'link', 'set', 'eth0', 'mtu', '1450');
    return fn(ns, errors);
  } finally {
    for (const n of made.reverse()) { try { sh(['ip', 'netns', 'del', n]); } catch { /* sweep() gets it */ } }
  }
}

function kernelPing(ns: (n: string) => string, script: string, size: number, df: boolean): string {
  return sh(['ip', 'netns', 'exec', ns('pa'), 'python3', script, '10.99.1.2', String(size), df ? 'do' : 'dont']).trim();
}

const read = (f: string) => readFileSync(new URL(`../../content/challenges/${f}`, import.meta.url), 'utf8');

function simPing(file: string, size: number, df: boolean): string {
  const yaml = expandVariables(file, read(file), 1).text;
  const { sim } = buildSim(yaml, { seed: 1, file });
  const pod = sim.model.pods.find((p) => p.spec.nodeName === 'node-2')!;
  const t = walk(sim, { from: 'pod/default/client', to: pod.podIP!, protocol: 'icmp', size, df });
  // delivered = echo reply; a silent drop = the kernel's timeout; a local EMSGSIZE = errno 90.
  return t.verdict === 'delivered' ? 'reply' : t.verdict === 'dropped' ? 'timeout' : t.verdict === 'error' && /too long|EMSGSIZE/i.test(JSON.stringify(t)) ? 'error 90' : `${t.verdict}`;
}

describe('kernel tier: VXLAN under a link that carries less than the cluster assumes', () => {
  it('big pings vanish silently at node-2 with the cluster set for 1500 and arrive with it set for 1450, on both kernels', () => {
    requireRoot();
    const dir = mkdtempSync(join(tmpdir(), 'knp-mtu-'));
    const script = join(dir, 'ping.py');
    writeFileSync(script, PING);
    try {
      const cases = [[56, false], [1400, false], [1372, true], [1400, true]] as const;
      const broken = withLab(1500, (ns, errors) => {
        expect(sh(['ip', '-n', ns('n1'), '-d', 'link', 'show', 'vx0'])).toMatch(/mtu 1450 /);
        expect(errors.join('')).toMatch(/Invalid argument/);
        return cases.map(([size, df]) => kernelPing(ns, script, size, df));
      });
      const fixed = withLab(1450, (ns) => cases.map(([size, df]) => kernelPing(ns, script, size, df)));
      // The kernel's answers, as observed: small passes; 1428-byte packets (1478 outer) vanish,
      // with or without DF; 1400 bytes (1450 outer) just fit. After the fix the Pod fragments
      // the big ping, and refuses it with DF (EMSGSIZE: its own MTU is 1400).
      expect(broken).toEqual(['reply', 'timeout', 'reply', 'timeout']);
      expect(fixed).toEqual(['reply', 'reply', 'reply', 'error 90']);
      // The simulator, on the challenge's start and reference solution.
      expect(cases.map(([size, df]) => simPing('vxlan-mtu.yaml', size, df))).toEqual(broken);
      expect(cases.map(([size, df]) => simPing('vxlan-mtu.solution.yaml', size, df))).toEqual(fixed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
