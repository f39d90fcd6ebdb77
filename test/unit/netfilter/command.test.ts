import { describe, expect, it } from 'vitest';
import { netfilterEngine } from '../../../src/engine/netfilter/engine';
import { runLine } from '../../../src/engine/shell/run';
import type { Sim } from '../../../src/engine/sim';
import { createRand } from '../../../src/engine/util/rand';
import { ctx, nodeNs, tcp } from './fixtures';

function sim(): Sim {
  const ns = nodeNs('node/n1');
  return {
    file: 't.yaml', seed: 1, model: { pods: [] } as unknown as Sim['model'], net: { namespaces: new Map([[ns.id, ns]]), generation: 0 },
    diagnostics: [], rand: createRand(1), netfilter: netfilterEngine, apps: new Map(), now: 0,
  };
}

const node = { kind: 'node', name: 'n1' } as const;
const sh = (s: Sim, line: string) => runLine(s, node, line);

describe('iptables command', () => {
  it('lists empty built-in chains like iptables -L -n', () => {
    const s = sim();
    const r = sh(s, 'iptables -L -n');
    expect(r.stdout).toBe([
      'Chain INPUT (policy ACCEPT)',
      'target     prot opt source               destination         ',
      '',
      'Chain FORWARD (policy ACCEPT)',
      'target     prot opt source               destination         ',
      '',
      'Chain OUTPUT (policy ACCEPT)',
      'target     prot opt source               destination         ',
      '',
    ].join('\n'));
    expect(s.net.generation).toBe(0);
  });

  it('appends, lists with line numbers and counters, and bumps the generation', () => {
    const s = sim();
    const r = sh(s, 'iptables -A INPUT -s 10.0.0.0/8 -p tcp --dport 22 -m comment --comment "ssh from lan" -j ACCEPT');
    expect(r).toMatchObject({ exitCode: 0, changed: true });
    expect(s.net.generation).toBe(1);
    expect(sh(s, 'iptables -S INPUT').stdout).toBe('-P INPUT ACCEPT\n-A INPUT -s 10.0.0.0/8 -p tcp -m tcp --dport 22 -m comment --comment "ssh from lan" -j ACCEPT\n');
    const l = sh(s, 'iptables -L INPUT -n -v -x --line-numbers').stdout.split('\n');
    expect(l[0]).toBe('Chain INPUT (policy ACCEPT 0 packets, 0 bytes)');
    expect(l[1]).toBe('num      pkts      bytes target     prot opt in     out     source               destination         ');
    expect(l[2]).toBe('1           0        0 ACCEPT     tcp  --  *      *       10.0.0.0/8           0.0.0.0/0            tcp dpt:22 /* ssh from lan */');
  });

  it('prints the errors iptables prints', () => {
    const s = sim();
    expect(sh(s, 'iptables -A NOPE -j ACCEPT')).toMatchObject({ exitCode: 1, stderr: 'iptables: No chain/target/match by that name.\n' });
    expect(sh(s, 'iptables -A INPUT -j FOO').stderr).toBe("iptables v1.8.9 (nf_tables): Couldn't load target `FOO':No such file or directory\n\nTry `iptables -h' or 'iptables --help' for more information.\n");
    expect(sh(s, 'iptables -D INPUT -p udp -j DROP')).toMatchObject({ exitCode: 1, stderr: 'iptables: Bad rule (does a matching rule exist in that chain?).\n' });
    expect(sh(s, 'iptables -D INPUT 3').stderr).toBe('iptables: Index of deletion too big.\n');
    expect(sh(s, 'iptables -A INPUT --dport 80 -j ACCEPT').stderr).toBe('iptables v1.8.9 (nf_tables): unknown option "--dport"\nTry `iptables -h\' or \'iptables --help\' for more information.\n');
    expect(sh(s, 'iptables -t bogus -L').exitCode).toBe(3);
    expect(sh(s, 'iptables -N KUBE-X').exitCode).toBe(0);
    expect(sh(s, 'iptables -N KUBE-X').stderr).toBe('iptables: Chain already exists.\n');
    sh(s, 'iptables -A INPUT -j KUBE-X');
    expect(sh(s, 'iptables -X KUBE-X').stderr).toBe('iptables: Too many links.\n');
    expect(sh(s, 'iptables -A KUBE-X -j INPUT').exitCode).not.toBe(0);
    sh(s, 'iptables -N KUBE-Y');
    sh(s, 'iptables -A KUBE-X -j KUBE-Y');
    expect(sh(s, 'iptables -A KUBE-Y -j KUBE-X').stderr).toBe('iptables: Too many levels of symbolic links.\n');
    expect(sh(s, 'iptables -P KUBE-X DROP').stderr).toBe('iptables: Bad built-in chain name.\n');
  });

  it('-C checks, -I inserts at a position, -R replaces, -E renames and updates jumps', () => {
    const s = sim();
    sh(s, 'iptables -A FORWARD -j ACCEPT');
    sh(s, 'iptables -I FORWARD 1 -p icmp -j DROP');
    expect(sh(s, 'iptables -C FORWARD -p icmp -j DROP').exitCode).toBe(0);
    expect(sh(s, 'iptables -C FORWARD -p udp -j DROP').exitCode).toBe(1);
    sh(s, 'iptables -R FORWARD 2 -o eth0 -j ACCEPT');
    sh(s, 'iptables -N OLD && iptables -A FORWARD -j OLD && iptables -E OLD NEW');
    expect(sh(s, 'iptables -S FORWARD').stdout).toBe('-P FORWARD ACCEPT\n-A FORWARD -p icmp -j DROP\n-A FORWARD -o eth0 -j ACCEPT\n-A FORWARD -j NEW\n');
    expect(sh(s, 'iptables -L -n').stdout).toContain('Chain NEW (1 references)');
  });

  it('iptables -I FORWARD 1 ... -j DROP stops the next packet and -D restores it', () => {
    const s = sim();
    const ns = s.net.namespaces.get('node/n1')!;
    const p = tcp('10.244.1.2', 40000, '10.244.2.3', 80);
    const fwd = () => netfilterEngine.runHook(ns, 'FORWARD', p, ctx({ inDev: 'cni0', outDev: 'flannel.1' }), () => {}).verdict;
    expect(fwd()).toBe('accept');
    expect(sh(s, 'iptables -I FORWARD 1 -s 10.244.1.2 -j DROP').exitCode).toBe(0);
    expect(fwd()).toBe('drop');
    expect(sh(s, 'iptables -L FORWARD -n -v').stdout).toContain('    1    60 DROP       all  --  *      *       10.244.1.2           0.0.0.0/0           ');
    expect(sh(s, 'iptables -D FORWARD -s 10.244.1.2 -j DROP').exitCode).toBe(0);
    expect(fwd()).toBe('accept');
  });

  it('-F flushes, -Z zeroes, -P sets the policy, -X deletes an empty unreferenced chain', () => {
    const s = sim();
    sh(s, 'iptables -N T && iptables -A T -j RETURN && iptables -P FORWARD DROP');
    expect(sh(s, 'iptables -X T').stderr).toBe('iptables: Directory not empty.\n');
    sh(s, 'iptables -F T');
    expect(sh(s, 'iptables -X T').exitCode).toBe(0);
    expect(sh(s, 'iptables -S').stdout).toBe('-P INPUT ACCEPT\n-P FORWARD DROP\n-P OUTPUT ACCEPT\n');
  });

  it('iptables-save prints the tables in use', () => {
    const s = sim();
    expect(sh(s, 'iptables-save').stdout).toBe('');
    sh(s, 'iptables -t nat -A POSTROUTING -s 10.244.0.0/16 ! -o cni0 -j MASQUERADE');
    expect(sh(s, 'iptables-save').stdout).toBe([
      '# Generated by iptables-save v1.8.9 (nf_tables)', '*nat', ':PREROUTING ACCEPT [0:0]', ':INPUT ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', ':POSTROUTING ACCEPT [0:0]',
      '-A POSTROUTING -s 10.244.0.0/16 ! -o cni0 -j MASQUERADE', 'COMMIT', '# Completed', '',
    ].join('\n'));
    expect(sh(s, 'iptables-save -t filter').stdout).toContain('*filter');
  });
});

describe('conntrack command', () => {
  it('lists, counts and deletes entries in conntrack-tools format', () => {
    const s = sim();
    const ns = s.net.namespaces.get('node/n1')!;
    sh(s, 'iptables -t nat -A OUTPUT -d 10.96.0.10/32 -p tcp --dport 53 -j DNAT --to-destination 10.244.2.3:53');
    for (const hook of ['OUTPUT', 'POSTROUTING'] as const) {
      let p = tcp('192.168.1.10', 40000, '10.96.0.10', 53);
      const v = netfilterEngine.runHook(ns, hook, p, ctx({ outDev: 'eth0' }), () => {});
      p = v.packet;
    }
    const l = sh(s, 'conntrack -L');
    expect(l.stdout).toBe('tcp      6 119 SYN_SENT src=192.168.1.10 dst=10.96.0.10 sport=40000 dport=53 [UNREPLIED] src=10.244.2.3 dst=192.168.1.10 sport=53 dport=40000 mark=0 use=1\n');
    expect(l.stderr).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been shown.\n');
    expect(sh(s, 'conntrack -C').stdout).toBe('1\n');
    expect(sh(s, 'conntrack -L -p udp').stdout).toBe('');
    expect(sh(s, 'conntrack -D -d 10.96.0.99')).toMatchObject({ exitCode: 1, stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n' });
    const d = sh(s, 'conntrack -D -p tcp -d 10.96.0.10');
    expect(d).toMatchObject({ exitCode: 0, changed: true, stderr: 'conntrack v1.4.7 (conntrack-tools): 1 flow entries have been deleted.\n' });
    expect(sh(s, 'conntrack -C').stdout).toBe('0\n');
  });
});

describe('iptables option bundling', () => {
  it('accepts -nvL, -tnat and -w like getopt does', () => {
    const s = sim();
    expect(sh(s, 'iptables -w -tnat -A PREROUTING -p udp -j ACCEPT').exitCode).toBe(0);
    expect(sh(s, 'iptables -t nat -nvL PREROUTING').stdout).toContain('Chain PREROUTING (policy ACCEPT 0 packets, 0 bytes)');
    expect(sh(s, 'iptables -t nat -S PREROUTING').stdout).toBe('-P PREROUTING ACCEPT\n-A PREROUTING -p udp -j ACCEPT\n');
  });
});

describe('iptables -L columns', () => {
  it('abbreviates big counters unless -x, and says anywhere without -n', async () => {
    const { iptablesRestore } = await import('../../../src/engine/netfilter/restore');
    const s = sim();
    iptablesRestore(s.net.namespaces.get('node/n1')!, '*filter\n:INPUT ACCEPT [0:0]\n[2000:123456] -A INPUT -s 10.0.0.0/8 -j ACCEPT\nCOMMIT\n', { counters: true });
    expect(sh(s, 'iptables -L INPUT -v -n').stdout.split('\n')[2]).toBe(' 2000  123K ACCEPT     all  --  *      *       10.0.0.0/8           0.0.0.0/0           ');
    expect(sh(s, 'iptables -L INPUT -v -n -x').stdout.split('\n')[2]).toBe('    2000   123456 ACCEPT     all  --  *      *       10.0.0.0/8           0.0.0.0/0           ');
    expect(sh(s, 'iptables -L INPUT').stdout.split('\n')[2]).toBe('ACCEPT     all  --  10.0.0.0/8           anywhere            ');
  });
});

describe('iptables -m set', () => {
  it('refuses a set that does not exist and accepts one created with the ipset API', async () => {
    const { ipsetCreate } = await import('../../../src/engine/netfilter/ipset');
    const s = sim();
    expect(sh(s, 'iptables -A INPUT -m set --match-set BLOCK src -j DROP').stderr).toBe("iptables v1.8.9 (nf_tables): Set BLOCK doesn't exist.\n\nTry `iptables -h' or 'iptables --help' for more information.\n");
    ipsetCreate(s.net.namespaces.get('node/n1')!, 'BLOCK', 'hash:ip');
    expect(sh(s, 'iptables -A INPUT -m set --match-set BLOCK src -j DROP').exitCode).toBe(0);
    expect(sh(s, 'iptables -S INPUT').stdout).toBe('-P INPUT ACCEPT\n-A INPUT -m set --match-set BLOCK src -j DROP\n');
  });
});
