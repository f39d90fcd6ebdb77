/** `knp lab` and its planner: probe selection, name resolution, refusals (no kernel needed). */
import { describe, expect, it } from 'vitest';
import { exportLab } from '../../src/engine/lab/export';
import { parseTo, planLab } from '../../src/engine/lab/plan';
import { runKnp } from '../helpers/cli';
import { buildSim } from '../../src/engine/index';
import { portForward, simOf, twoNsVeth } from './fixtures';
import { cell6Yaml } from './grid';


describe('parseTo', () => {
  it('reads the probe destination forms', () => {
    expect(parseTo('10.0.0.2')).toEqual({ host: '10.0.0.2', protocol: 'icmp', port: 0 });
    expect(parseTo('10.0.0.2:80')).toEqual({ host: '10.0.0.2', protocol: 'tcp', port: 80 });
    expect(parseTo('http://web.default')).toEqual({ host: 'web.default', protocol: 'tcp', port: 80 });
    expect(parseTo('https://web:8443/x')).toEqual({ host: 'web', protocol: 'tcp', port: 8443 });
    expect(parseTo('udp://10.0.0.2:53')).toEqual({ host: '10.0.0.2', protocol: 'udp', port: 53 });
    expect(parseTo('tcp://10.0.0.2')).toBeNull();
    expect(parseTo('10.0.0.2', 'udp', 53)).toEqual({ host: '10.0.0.2', protocol: 'udp', port: 53 });
  });

  it('reads IPv6 addresses bare (their colons are not a port) and in brackets', () => {
    expect(parseTo('fd00:10:244:1::3')).toEqual({ host: 'fd00:10:244:1::3', protocol: 'icmp', port: 0 });
    expect(parseTo('::1')).toEqual({ host: '::1', protocol: 'icmp', port: 0 });
    expect(parseTo('[fd00::3]:8080')).toEqual({ host: 'fd00::3', protocol: 'tcp', port: 8080 });
    expect(parseTo('http://[fd00::3]/')).toEqual({ host: 'fd00::3', protocol: 'tcp', port: 80 });
    expect(parseTo('udp://[fd00::3]:53')).toEqual({ host: 'fd00::3', protocol: 'udp', port: 53 });
    expect(parseTo('tcp://[fd00::3]')).toBeNull();
    // A name with a port is still a name.
    expect(parseTo('cafe:80')).toEqual({ host: 'cafe', protocol: 'tcp', port: 80 });
  });
});

describe('planLab', () => {
  it('takes every Probe object by default and runs it from the client namespace', () => {
    const sim = simOf(twoNsVeth().net, [
      { name: 'web', from: 'host/a', to: 'http://10.0.0.2', count: 1 },
      { name: 'ping', from: 'host/a', to: '10.0.0.2', count: 1 },
    ]);
    const plan = planLab(sim);
    expect(plan.problems).toEqual([]);
    expect(plan.input.probes).toEqual([
      { name: 'web', fromNs: 'host/a', protocol: 'tcp', ip: '10.0.0.2', port: 80 },
      { name: 'ping', fromNs: 'host/a', protocol: 'icmp', ip: '10.0.0.2', port: 0 },
    ]);
  });

  it('selects probes by name and accepts ad hoc "FROM TO" probes', () => {
    const sim = simOf(twoNsVeth().net, [{ name: 'web', from: 'host/a', to: 'http://10.0.0.2', count: 1 }]);
    const plan = planLab(sim, { probes: ['host/b udp://10.0.0.1:53', 'web'] });
    expect(plan.input.probes.map((p) => `${p.name} ${p.fromNs} ${p.protocol} ${p.ip}:${p.port}`)).toEqual([
      'probe-1 host/b udp 10.0.0.1:53', 'web host/a tcp 10.0.0.2:80',
    ]);
  });

  it('reports probes it cannot export instead of guessing', () => {
    const sim = simOf(twoNsVeth().net, [{ name: 'far', from: 'host/zz', to: '10.0.0.2:80', count: 1 }]);
    expect(planLab(sim).problems).toEqual(['probe far: host/zz has no network namespace in the simulation']);
    expect(planLab(sim, { probes: ['nope'] }).problems[0]).toContain('no Probe object has this name');
    const unresolved = simOf(twoNsVeth().net, [{ name: 'dns', from: 'host/a', to: 'http://nowhere.example', count: 1 }]);
    expect(planLab(unresolved).problems).toEqual(['probe dns: the simulator cannot resolve nowhere.example']);
  });

  it('writes each ruleset for iptables-restore exactly as given', () => {
    const fx = portForward();
    const script = exportLab(planLab(simOf(fx.net, []), { iptablesSave: (ns) => fx.rules?.[ns.id] ?? null }).input).script;
    expect(script).toContain(`ip netns exec "$P-host-r" iptables-restore <<'KNP_RULES_host_r'\n${fx.rules!['host/r']}KNP_RULES_host_r\n`);
  });
});

describe('IPv6 in the lab', () => {
  const yaml = cell6Yaml('flannel-vxlan', 'v6only');
  const { sim } = buildSim(yaml, { seed: 1 });
  const plan = planLab(sim);
  const script = exportLab(plan.input).script;

  it('enables IPv6 in every namespace, without DAD, router advertisements or addresses of its own', () => {
    expect(script).toContain('net.ipv6.conf.default.disable_ipv6=0');
    expect(script).toContain('net.ipv6.conf.default.accept_dad=0');
    expect(script).toContain('net.ipv6.conf.default.addr_gen_mode=1');
    expect(script).not.toContain('disable_ipv6=1');
    // An IPv4-only network keeps IPv6 off.
    expect(exportLab({ title: 't', seed: 1, net: twoNsVeth().net, probes: [] }).script).toContain('net.ipv6.conf.default.disable_ipv6=1');
  });

  it('writes the simulator\'s IPv6 addresses (link-local too), routes, neighbours, FDB and flannel-v6.1 over the IPv6 underlay', () => {
    const node = sim.net.namespaces.get('node/node-1')!;
    const v6 = node.links.find((l) => l.name === 'flannel-v6.1')!;
    expect(script).toContain(`ip -n "$P-node-node-1" link add flannel-v6.1 address ${v6.mac} type vxlan id 1 dstport 8472 local fd00:192:168:1::11 dev eth0 nolearning`);
    const ll = node.links.find((l) => l.name === 'eth0')!.addrs.find((a) => a.family === 6 && a.scope === 'link')!;
    expect(script).toContain(`ip -n "$P-node-node-1" -6 addr add ${ll.address}/64 dev eth0 nodad`);
    expect(script).toContain('ip -n "$P-node-node-1" -6 addr add fd00:192:168:1::11/64 dev eth0 nodad');
    expect(script).toContain('ip -n "$P-node-node-1" -6 route replace default via fd00:192:168:1::1 dev eth0 metric 1024');
    expect(script).toContain('ip -n "$P-node-node-1" -6 route replace fd00:10:244:1::/64 via fd00:10:244:1:: dev flannel-v6.1 metric 1024 onlink');
    const peer = sim.net.namespaces.get('node/node-2')!.links.find((l) => l.name === 'flannel-v6.1')!;
    expect(script).toContain(`ip -n "$P-node-node-1" -6 neigh replace fd00:10:244:1:: lladdr ${peer.mac} dev flannel-v6.1 nud permanent`);
    expect(script).toContain(`bridge -n "$P-node-node-1" fdb append ${peer.mac} dev flannel-v6.1 dst fd00:192:168:1::12 self permanent`);
    expect(script).not.toMatch(/addr add ::1\//);
  });

  it('restores kube-proxy\'s IPv6 rules with ip6tables-restore, without nfacct, and serves on [::] beside 0.0.0.0', () => {
    expect(script).toContain('need ip6tables-restore iptables');
    const m = /ip netns exec "\$P-node-node-1" ip6tables-restore <<'KNP_RULES6_node_node_1'\n([\s\S]*?)KNP_RULES6_node_node_1\n/.exec(script);
    expect(m?.[1]).toContain('-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP');
    expect(m?.[1]).not.toContain('nfacct');
    expect(script).toMatch(/server\.py" pod\/default\/web-1 \S+ tcp:0\.0\.0\.0:80 'tcp:\[::\]:80'/);
  });

  it('resolves a headless IPv6 Service to the Pod\'s IPv6 address and knows its owner', () => {
    const web = sim.net.namespaces.get('pod/default/web-1')!.links.find((l) => l.name === 'eth0')!.addrs.find((a) => a.family === 6 && a.scope === 'global')!.address;
    expect(plan.input.probes.find((p) => p.name === 'cross-node')).toMatchObject({ protocol: 'tcp', ip: web, port: 80 });
    expect(plan.input.probes.find((p) => p.name === 'cross-node-ping')).toMatchObject({ protocol: 'icmp', ip: web });
    expect(script).toContain(`"${web}":"pod/default/web-1"`);
  });
});

describe('knp lab', () => {
  const yaml = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n';

  it('prints a bash script that refuses to run without root and cleans up on exit', async () => {
    const r = await runKnp(['lab', 's.yaml'], { files: { 's.yaml': yaml } });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    expect(r.stdout).toContain('knp lab: run as root');
    expect(r.stdout).toContain('trap cleanup EXIT');
    expect(r.stderr).toContain('no Probe objects');
  });

  it('fails on a probe name the scenario does not have', async () => {
    const r = await runKnp(['lab', 's.yaml', '--probe', 'nope'], { files: { 's.yaml': yaml } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('knp lab: --probe "nope": no Probe object has this name');
  });

  it('needs a file', async () => {
    const r = await runKnp(['lab']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: knp lab FILE');
  });
});

describe('ipsets in the lab', () => {
  it('exports the sets a namespace has and creates the ones its rules name but the simulator lacks', async () => {
    const { ipsetRestoreText } = await import('../../src/engine/lab/ipset');
    const fx = twoNsVeth();
    const ns = fx.net.namespaces.get('host/a')!;
    const { ipsetInstall } = await import('../../src/engine/netfilter/ipset');
    ipsetInstall(ns, { name: 'KUBE-CLUSTER-IP', type: 'hash:ip,port', members: ['10.96.0.10,tcp:53'] });
    const out = ipsetRestoreText(ns, '-A POSTROUTING -m set --match-set cali40masq-ipam-pools src -j MASQUERADE\n');
    expect(out.text).toBe('create KUBE-CLUSTER-IP hash:ip,port family inet\nadd KUBE-CLUSTER-IP 10.96.0.10,tcp:53\ncreate cali40masq-ipam-pools hash:net family inet\n');
    expect(out.notes[0]).toContain('cali40masq-ipam-pools, which the simulator does not have');
    const script = exportLab({ title: 't', seed: 1, net: fx.net, probes: [] }).script;
    expect(script).toContain('need ipset ipset');
    expect(script).toContain(`ip netns exec "$P-host-a" ipset restore <<'KNP_SETS_host_a'\ncreate KUBE-CLUSTER-IP hash:ip,port family inet\n`);
  });
});
