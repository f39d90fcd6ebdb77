/**
 * The shell's IPv6 routing and probing tools (issue #18): `ip -6 rule` with the kernel's two
 * IPv6 default rules and rules that steer fib6, `ip -6 route add/get`, `traceroute -6` /
 * `traceroute6`, `ping -6 NAME` / `ping6 NAME` resolving AAAA through the stub resolver.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Sim } from '../../../src/engine/sim';
import { walk } from '../../../src/engine/stack/walk';

const DUAL = `${readFileSync(new URL('../../../content/scenarios/dual-stack.yaml', import.meta.url), 'utf8')}
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec:
  clusterIP: None
  ipFamilyPolicy: PreferDualStack
  selector: {app: web}
  ports: [{port: 80}]
`;
function sim(): Sim {
  const { sim: s, diagnostics } = buildSim(DUAL, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return s;
}
const client = { kind: 'pod', namespace: 'default', name: 'client' } as const;
const node1 = { kind: 'node', name: 'node-1' } as const;
const WEB6 = 'fd00:10:244:1::3';

describe('ip -6 rule', () => {
  it('lists the kernel\'s two IPv6 default rules (no 32767), while ip rule keeps IPv4\'s three', () => {
    const s = sim();
    expect(runLine(s, node1, 'ip -6 rule').stdout).toBe('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n');
    expect(runLine(s, node1, 'ip rule').stdout).toBe('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
  });

  it('adds and deletes IPv6 rules (family inferred from the prefix too), refuses an IPv4 prefix and duplicates', () => {
    const s = sim();
    expect(runLine(s, node1, 'ip -6 rule add from fd00:10:244::/64 table 100').exitCode).toBe(0);
    expect(runLine(s, node1, 'ip rule add to fd00:10:244:1::3 lookup 7 pref 500').exitCode).toBe(0);
    expect(runLine(s, node1, 'ip -6 rule list').stdout).toBe('0:\tfrom all lookup local\n500:\tfrom all to fd00:10:244:1::3 lookup 7\n32765:\tfrom fd00:10:244::/64 lookup 100\n32766:\tfrom all lookup main\n');
    expect(runLine(s, node1, 'ip rule').stdout).not.toContain('fd00');
    expect(runLine(s, node1, 'ip -6 rule add to fd00:10:244:1::3 lookup 7 pref 500').stderr).toBe('RTNETLINK answers: File exists\n');
    expect(runLine(s, node1, 'ip -6 rule add from 10.0.0.1 table 5')).toMatchObject({ exitCode: 2, stderr: 'Error: Invalid source address.\n' });
    expect(runLine(s, node1, 'ip -6 rule del pref 500').exitCode).toBe(0);
    expect(runLine(s, node1, 'ip -6 rule del from fd00:10:244::/64 table 100').exitCode).toBe(0);
    expect(runLine(s, node1, 'ip -6 rule del pref 500').stderr).toBe('RTNETLINK answers: No such file or directory\n');
    expect(s.net.namespaces.get('node/node-1')!.rules6).toBeUndefined();
  });

  it('steers forwarded IPv6 by source: a rule and its table send node-1\'s Pod traffic straight to node-2', () => {
    const s = sim();
    const hops = (): string[] => runLine(s, client, `traceroute -6 -n -q 1 ${WEB6}`).stdout.split('\n').slice(1).filter(Boolean).map((l) => l.trim().split(/\s+/)[1]!);
    expect(hops()).toEqual(['fd00:10:244::1', 'fd00:192:168:1::1', 'fd00:192:168:1::12', WEB6]);
    runLine(s, node1, 'ip -6 route add fd00:10:244:1::/64 via fd00:192:168:1::12 table 100');
    runLine(s, node1, 'ip -6 rule add from fd00:10:244::/64 lookup 100 pref 100');
    expect(runLine(s, node1, `ip -6 route get ${WEB6} from fd00:10:244::3 iif cni0`).stdout).toBe(`${WEB6} from fd00:10:244::3 via fd00:192:168:1::12 dev eth0 table 100 metric 1024 iif cni0 pref medium\n`);
    expect(hops()).toEqual(['fd00:10:244::1', 'fd00:192:168:1::12', WEB6]);
    const t = walk(s, { from: 'pod/default/client', to: WEB6, protocol: 'icmp' });
    expect(t.events.some((e) => e.type === 'route' && /100:\s*from fd00:10:244::\/64 lookup 100/.test(JSON.stringify(e)))).toBe(true);
  });

  it('a blackhole rule makes ip -6 route get fail as the kernel does', () => {
    const s = sim();
    runLine(s, node1, `ip -6 rule add to ${WEB6} blackhole`);
    expect(runLine(s, node1, `ip -6 route get ${WEB6}`).stderr).toBe('RTNETLINK answers: Invalid argument\n');
  });
});

describe('ip -6 route get', () => {
  it('prints the IPv6 answer: from ::, via, dev, proto, src, metric, pref', () => {
    const s = sim();
    expect(runLine(s, node1, `ip -6 route get ${WEB6}`).stdout).toBe(`${WEB6} from :: via fd00:192:168:1::1 dev eth0 src fd00:192:168:1::11 metric 1024 pref medium\n`);
  });
});

describe('traceroute -6, traceroute6, ping6 NAME', () => {
  it('resolves AAAA with -6 (A without), prints 80-byte IPv6 probes', () => {
    const s = sim();
    const v6 = runLine(s, client, 'traceroute6 -n -q 1 web-headless').stdout;
    expect(v6.split('\n')[0]).toBe(`traceroute to web-headless (${WEB6}), 30 hops max, 80 byte packets`);
    expect(v6).toMatch(new RegExp(`^ 4  ${WEB6}  [0-9.]+ ms\\n$`, 'm'));
    const hops = (t: string): string[] => t.split('\n').map((l) => l.replace(/[0-9.]+ ms/g, 'T'));
    expect(hops(runLine(s, client, 'traceroute -6 -n -q 1 web-headless').stdout)).toEqual(hops(v6));
    expect(runLine(s, client, 'traceroute -n -q 1 web-headless').stdout.split('\n')[0]).toBe('traceroute to web-headless (10.244.1.3), 30 hops max, 60 byte packets');
  });

  it('ping -6 NAME and ping6 NAME ask DNS for AAAA and ping the IPv6 address', () => {
    const s = sim();
    const out = runLine(s, client, 'ping6 -c 1 web-headless').stdout;
    expect(out.split('\n')[0]).toBe(`PING web-headless(${WEB6}) 56 data bytes`);
    expect(out).toContain(`64 bytes from ${WEB6}: icmp_seq=1`);
    const again = runLine(s, client, 'ping -6 -c 1 web-headless').stdout;
    expect(again.split('\n').slice(0, 2).map((l) => l.replace(/time=\S+/, ''))).toEqual(out.split('\n').slice(0, 2).map((l) => l.replace(/time=\S+/, '')));
    expect(runLine(s, client, 'ping -c 1 web-headless').stdout.split('\n')[0]).toBe('PING web-headless (10.244.1.3) 56(84) bytes of data.');
  });
});
