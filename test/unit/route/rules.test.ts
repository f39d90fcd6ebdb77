/** Policy routing: `ip rule`, tables other than main, `ip route get` through the rules, and the walk honouring them. */
import { describe, expect, it } from 'vitest';
import { fibLookup } from '../../../src/engine/route/fib';
import { parseIPv4 } from '../../../src/engine/addr/ip';
import { nsForTarget } from '../../../src/engine/net/lookup';
import { client, node1, node2, sh, sim } from '../shell/helpers';

describe('ip rule', () => {
  it('shows the three default rules as iproute2 does', () => {
    const s = sim();
    expect(sh(s, node1, 'ip rule').stdout).toBe('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
    expect(nsForTarget(s, node1)!.rules).toBeUndefined();
  });

  it('adds rules in priority order with the kernel\'s default priority and prints every selector', () => {
    const s = sim();
    sh(s, node1,
      'ip rule add from 10.0.0.5 lookup 2 pref 1536',
      'ip rule add to 10.0.0.5 lookup main pref 512',
      'ip rule add fwmark 0x80/0x80 lookup main pref 1024',
      'ip rule add not from 10.1.0.0/16 to 10.2.0.0/16 iif eth0 oif lo table 100',
      'ip rule add from 10.0.0.6',
      'ip rule add iif eth9 lookup 5 pref 41',
      'ip rule add fwmark 1 blackhole pref 40');
    expect(sh(s, node1, 'ip rule show').stdout).toBe([
      '0:\tfrom all lookup local',
      '40:\tfrom all fwmark 0x1 blackhole',
      '41:\tfrom all iif eth9 [detached] lookup 5',
      '510:\tfrom 10.0.0.6 lookup main',
      '511:\tnot from 10.1.0.0/16 to 10.2.0.0/16 iif eth0 oif lo lookup 100',
      '512:\tfrom all to 10.0.0.5 lookup main',
      '1024:\tfrom all fwmark 0x80/0x80 lookup main',
      '1536:\tfrom 10.0.0.5 lookup 2',
      '32766:\tfrom all lookup main',
      '32767:\tfrom all lookup default',
      '',
    ].join('\n'));
    expect(sh(s, node1, 'ip rule list table 2').stdout).toBe('1536:\tfrom 10.0.0.5 lookup 2\n');
  });

  it('answers File exists and No such file or directory as the kernel does, and flush keeps rule 0', () => {
    const s = sim();
    sh(s, node1, 'ip rule add from 10.0.0.5 lookup 2 pref 1536');
    const dup = sh(s, node1, 'ip rule add from 10.0.0.5/32 lookup 2 pref 1536');
    expect([dup.stderr, dup.exitCode]).toEqual(['RTNETLINK answers: File exists\n', 2]);
    const gone = sh(s, node1, 'ip rule del from 10.9.9.9');
    expect([gone.stderr, gone.exitCode]).toEqual(['RTNETLINK answers: No such file or directory\n', 2]);
    expect(sh(s, node1, 'ip rule del pref 1536').exitCode).toBe(0);
    expect(nsForTarget(s, node1)!.rules).toBeUndefined();
    sh(s, node1, 'ip rule flush');
    expect(sh(s, node1, 'ip rule').stdout).toBe('0:\tfrom all lookup local\n');
    expect(sh(s, node1, 'ip route get 8.8.8.8').stderr).toBe('RTNETLINK answers: Network is unreachable\n');
  });
});

describe('ip route get through the rules', () => {
  it('chooses the table by source, mark and input device, and prints as iproute2 does', () => {
    const s = sim();
    sh(s, node1,
      'ip route add 192.168.1.1 dev eth0 scope link table 2',
      'ip route add default via 192.168.1.1 dev eth0 table 2 metric 7',
      'ip rule add from 10.0.0.5 lookup 2 pref 1536',
      'ip rule add fwmark 0x40/0x40 lookup 2 pref 1000');
    expect(sh(s, node1, 'ip route show table 2').stdout).toBe('default via 192.168.1.1 dev eth0 metric 7 \n192.168.1.1 dev eth0 scope link \n');
    expect(sh(s, node1, 'ip route get 8.8.8.8').stdout).toBe('8.8.8.8 via 192.168.1.1 dev eth0 src 192.168.1.11 uid 0 \n    cache \n');
    expect(sh(s, node1, 'ip route get 8.8.8.8 mark 0x40').stdout).toBe('8.8.8.8 via 192.168.1.1 dev eth0 table 2 src 192.168.1.11 mark 0x40 uid 0 \n    cache \n');
    expect(sh(s, node1, 'ip route get 8.8.8.8 mark 0x80').stdout).toBe('8.8.8.8 via 192.168.1.1 dev eth0 src 192.168.1.11 mark 0x80 uid 0 \n    cache \n');
    expect(sh(s, node1, 'ip route get 8.8.8.8 from 10.0.0.5 iif cni0').stdout).toBe('8.8.8.8 from 10.0.0.5 via 192.168.1.1 dev eth0 table 2 \n    cache iif cni0 \n');
    expect(sh(s, node1, 'ip route get 8.8.8.8 from 10.0.0.5 iif eth0').stdout).toBe('8.8.8.8 from 10.0.0.5 via 192.168.1.1 dev eth0 table 2 \n    cache <redirect> iif eth0 \n');
    expect(sh(s, node1, 'ip route get 8.8.8.8 from 10.0.0.5').stderr).toBe('RTNETLINK answers: Network is unreachable\n');
    expect(sh(s, node1, 'ip route show table all').stdout).toContain('default via 192.168.1.1 dev eth0 table 2 metric 7 \n');
  });

  it('a lookup whose table has no route falls through to the next rule; blackhole rules stop', () => {
    const s = sim();
    sh(s, node1, 'ip rule add to 8.8.8.8 lookup 77 pref 10');
    const ns = nsForTarget(s, node1)!;
    expect(fibLookup(ns, '8.8.8.8')?.route.table).toBe(254);
    sh(s, node1, 'ip rule add to 8.8.8.8 blackhole pref 11');
    expect(fibLookup(ns, '8.8.8.8')?.route.type).toBe('blackhole');
    expect(fibLookup(ns, '8.8.4.4', { src: parseIPv4('10.0.0.1')! })?.route.table).toBe(254);
  });

  it('the gateway of a route in another table may be reached through that table (fib_check_nh)', () => {
    const s = sim();
    expect(sh(s, node1, 'ip route add default via 10.9.9.1 dev eth0 table 3').stderr).toBe('Error: Nexthop has invalid gateway.\n');
    sh(s, node1, 'ip route add 10.9.9.1 dev eth0 scope link table 3');
    expect(sh(s, node1, 'ip route add default via 10.9.9.1 dev eth0 table 3').exitCode).toBe(0);
  });
});

describe('the walk goes through the rules', () => {
  it('a forwarded packet takes the table its rule names, and the trace says which rule', () => {
    const s = sim();
    const pod = sh(s, client, 'hostname -i').stdout.trim();
    expect(sh(s, client, 'ping -c1 -W1 203.0.113.10').stdout).toContain('1 received');
    sh(s, node2, 'ip route add blackhole default table 100', `ip rule add from ${pod} lookup 100 pref 100`);
    const r = sh(s, client, 'ping -c1 -W1 203.0.113.10');
    expect(r.stdout).toContain('0 received');
    const ev = r.traces?.[0]?.events.find((e) => e.type === 'route' && e.where.ns.startsWith('node/node-2'));
    expect(ev?.detail?.['rule']).toBe(`100: from ${pod} lookup 100`);
    expect(r.traces?.[0]?.events.some((e) => e.type === 'drop' && e.summary.includes('blackhole'))).toBe(true);
    sh(s, node2, 'ip rule del pref 100');
    expect(sh(s, client, 'ping -c1 -W1 203.0.113.10').stdout).toContain('1 received');
  });
});
