/**
 * Weave Net: the IPAM ring, the `weave` tools, what `knp check` says about settings that do not
 * apply, weave-npc's chains, and the devices a node shows. On content/scenarios/weave.yaml.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePrefix, formatPrefix } from '../../../src/engine/addr/ip';
import { weaveRing } from '../../../src/engine/cni/weave/ipam';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import { walk } from '../../../src/engine/stack/walk';
import type { Target } from '../../../src/engine/net/target';

const YAML = readFileSync(new URL('../../../content/scenarios/weave.yaml', import.meta.url), 'utf8');
const node1: Target = { kind: 'node', name: 'node-1' };
const node2: Target = { kind: 'node', name: 'node-2' };
const client: Target = { kind: 'pod', namespace: 'default', name: 'client' };
const build = (yaml = YAML) => buildSim(yaml, { seed: 1 });

const cluster = (network: string, extra = '') => `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: c}
spec:
  network: ${network}
${extra}`;

describe('weave IPAM: the range split among the peers, CIDR-aligned', () => {
  const range = parsePrefix('10.32.0.0/12')!;
  const split = (n: number) => [...weaveRing(range, Array.from({ length: n }, (_, i) => `node-${i + 1}`)).values()].map(formatPrefix);
  it('halves for two peers, then halves of halves', () => {
    expect(split(1)).toEqual(['10.32.0.0/12']);
    expect(split(2)).toEqual(['10.32.0.0/13', '10.40.0.0/13']);
    expect(split(3)).toEqual(['10.32.0.0/13', '10.40.0.0/14', '10.44.0.0/14']);
    expect(split(4)).toEqual(['10.32.0.0/14', '10.36.0.0/14', '10.40.0.0/14', '10.44.0.0/14']);
  });
  it('Pods get addresses from their node\'s share after the weave bridge\'s, with the whole range\'s prefix', () => {
    const { sim } = build();
    const ip = (n: string) => sim.model.pods.find((p) => p.meta.name === n)!.podIP!;
    expect(ip('client')).toMatch(/^10\.40\.0\.\d+$/);
    expect(ip('db')).toMatch(/^10\.32\.0\.\d+$/);
    expect(runLine(sim, node1, 'ip -4 addr show weave').stdout).toContain('inet 10.32.0.1/12 brd 10.47.255.255 scope global weave');
    expect(runLine(sim, node2, 'ip -4 addr show weave').stdout).toContain('inet 10.40.0.0/12 brd 10.47.255.255 scope global weave');
    expect(runLine(sim, client, 'ip route').stdout).toBe(`default via 10.40.0.0 dev eth0 \n10.32.0.0/12 dev eth0 proto kernel scope link src ${ip('client')} \n`);
  });
});

describe('the devices of a fastdp node', () => {
  const { sim } = build();
  it('weave and datapath joined by vethwe-bridge/vethwe-datapath, vxlan-6784 a port of datapath', () => {
    const links = runLine(sim, node1, 'ip -o link').stdout;
    expect(links).toMatch(/vethwe-datapath@vethwe-bridge: .* master datapath /);
    expect(links).toMatch(/vethwe-bridge@vethwe-datapath: .* master weave /);
    expect(links).toMatch(/vxlan-6784: .* master datapath /);
    expect(runLine(sim, node1, 'ip -d link show vxlan-6784').stdout).toContain('vxlan external id 0 srcport 0 0 dstport 6784 nolearning');
    expect(runLine(sim, node1, 'ip -d link show datapath').stdout).toContain('openvswitch');
  });
  it('sleeve has vethwe-pcap instead of datapath', () => {
    const s = build(YAML.replace('backend: fastdp', 'backend: sleeve')).sim;
    const links = runLine(s, node1, 'ip -o link').stdout;
    expect(links).toMatch(/vethwe-pcap@vethwe-bridge/);
    expect(links).not.toContain('datapath');
  });
});

describe('weave status', () => {
  it('status: the router and IPAM on this peer; encryption follows the password', () => {
    const { sim } = build();
    const out = runLine(sim, node1, 'weave status').stdout;
    expect(out).toMatch(/ +Name: [0-9a-f]{2}(:[0-9a-f]{2}){5}\(node-1\)\n/);
    expect(out).toContain('     Encryption: disabled\n');
    expect(out).toContain('          Peers: 2 (with 2 established connections)\n');
    expect(out).toContain('          Range: 10.32.0.0/12\n');
    const enc = build(YAML.replace('backend: fastdp', 'backend: fastdp, encryption: true')).sim;
    expect(runLine(enc, node1, 'weave --local status').stdout).toContain('     Encryption: enabled\n');
  });
  it('peers: a full mesh, the first-listed peer dials; connections name the datapath kind', () => {
    const { sim } = build();
    const peers = runLine(sim, node1, 'weave status peers').stdout.split('\n');
    expect(peers[0]).toMatch(/\(node-1\)$/);
    expect(peers[1]).toMatch(/^ {3}-> 192\.168\.1\.12:6783 +[0-9a-f:]+\(node-2\) +established$/);
    expect(peers[3]).toMatch(/^ {3}<- 192\.168\.1\.11:\d+ +[0-9a-f:]+\(node-1\) +established$/);
    expect(runLine(sim, node1, 'weave status connections').stdout).toMatch(/^-> 192\.168\.1\.12:6783 +established fastdp [0-9a-f:]+\(node-2\) mtu=1376\n$/);
    const sleeve = build(YAML.replace('backend: fastdp', 'backend: sleeve, encryption: true')).sim;
    expect(runLine(sleeve, node2, 'weave status connections').stdout).toMatch(/^<- 192\.168\.1\.11:\d+ +established encrypted sleeve /);
  });
  it('ipam: each peer\'s share of the ring', () => {
    const out = runLine(build().sim, node1, 'weave status ipam').stdout;
    expect(out).toMatch(/\(node-1\) +524288 IPs \(50\.0% of total\) \(\d+ active\)\n/);
    expect(out).toMatch(/\(node-2\) +524288 IPs \(50\.0% of total\)\n/);
  });
  it('only the weave container has the script; other plugins\' nodes do not have it at all', () => {
    const { sim } = build();
    expect(runLine(sim, client, 'weave status').exitCode).toBe(1);
    expect(runLine(sim, node1, 'weave frobnicate').exitCode).toBe(1);
    const flannel = buildSim(cluster('{plugin: flannel}'), { seed: 1 }).sim;
    const r = runLine(flannel, node1, 'weave status');
    expect(r.exitCode).toBe(127);
    expect(r.stderr).toContain('command not found');
  });
});

describe('knp check on settings that do not apply', () => {
  const codes = (yaml: string) => buildSim(yaml, { seed: 1 }).diagnostics.map((d) => `${d.severity} ${d.code}`);
  it('encryption on a plugin without it is a warning; on weave it is fine', () => {
    expect(codes(cluster('{plugin: flannel, encryption: true}'))).toContain('warning network-setting-not-applicable');
    expect(codes(cluster('{plugin: calico, encryption: true}'))).toContain('warning network-setting-not-applicable');
    expect(codes(cluster('{plugin: weave, encryption: true}'))).not.toContain('warning network-setting-not-applicable');
  });
  it('weave has fastdp and sleeve; a flannel backend is an error', () => {
    expect(codes(cluster('{plugin: weave, backend: sleeve}')).filter((c) => c.startsWith('error'))).toEqual([]);
    expect(codes(cluster('{plugin: weave, backend: vxlan}'))).toContain('error invalid-backend');
    expect(codes(cluster('{plugin: flannel, backend: fastdp}'))).toContain('error invalid-backend');
  });
  it('weave enforces NetworkPolicy, so the scenario has no policy-not-enforced warning', () => {
    expect(codes(YAML)).not.toContain('warning policy-not-enforced');
  });
});

describe('weave-npc and the WEAVE chain', () => {
  const { sim } = build();
  it('FORWARD sends the bridge\'s traffic through weave-npc before kube-proxy\'s chains', () => {
    const save = runLine(sim, node1, 'iptables-save -t filter').stdout;
    const fwd = save.split('\n').filter((l) => l.startsWith('-A FORWARD'));
    expect(fwd.slice(0, 5)).toEqual([
      // iptables-save escapes the quotes inside a comment, as it does on a real weave node.
      '-A FORWARD -i weave -m comment --comment "NOTE: this must go before \\\'-j KUBE-FORWARD\\\'" -j WEAVE-NPC-EGRESS',
      '-A FORWARD -o weave -m comment --comment "NOTE: this must go before \\\'-j KUBE-FORWARD\\\'" -j WEAVE-NPC',
      '-A FORWARD -o weave -j DROP',
      '-A FORWARD -i weave ! -o weave -j ACCEPT',
      '-A FORWARD -o weave -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
    ]);
    expect(save).toMatch(/-A WEAVE-NPC-INGRESS -p tcp -m tcp --dport 6379 -m set --match-set weave-[A-Za-z0-9]{25} src -m set --match-set weave-[A-Za-z0-9]{25} dst -m comment --comment "namespace: default, selector: role=backend -> pods: namespace: default, selector: app=db \(ingress\)" -j ACCEPT/);
    expect(save).toMatch(/-A WEAVE-NPC-DEFAULT -m set --match-set weave-\S+ dst -m comment --comment "DefaultAllow ingress isolation for namespace: default" -j ACCEPT/);
  });
  it('the db Pod is out of its namespace\'s default-allow set, the client is in it', () => {
    const save = runLine(sim, node1, 'iptables-save -t filter').stdout;
    const set = /-A WEAVE-NPC-DEFAULT -m set --match-set (\S+) dst -m comment --comment "DefaultAllow ingress isolation for namespace: default"/.exec(save)![1]!;
    const block = runLine(sim, node1, `ipset list ${set}`).stdout;
    expect(block).toContain(`Name: ${set}\n`);
    const ip = (n: string) => sim.model.pods.find((p) => p.meta.name === n)!.podIP!;
    expect(block).toContain(ip('client'));
    expect(block).not.toContain(`${ip('db')}\n`);
  });
  it('nat WEAVE masquerades what leaves the range and what enters it from outside', () => {
    const nat = runLine(sim, node1, 'iptables-save -t nat').stdout;
    expect(nat).toContain('-A POSTROUTING -m comment --comment weave-net -j WEAVE');
    expect(nat).toContain('-A WEAVE ! -s 10.32.0.0/12 -d 10.32.0.0/12 -j MASQUERADE');
    expect(nat).toContain('-A WEAVE -s 10.32.0.0/12 ! -d 10.32.0.0/12 -j MASQUERADE');
  });
});

describe('the host path: a Pod reaches its node through the weave bridge, not the datapath', () => {
  it('the gateway ARP is answered with the weave bridge\'s MAC; datapath hands nothing up to the node', () => {
    const { sim } = build();
    const svc = sim.model.services.find((s) => s.meta.name === 'my-nginx')!.clusterIP!;
    const trace = walk(sim, { from: 'pod/default/client', to: `http://${svc}/` });
    expect(trace.verdict).toBe('delivered');
    const weaveMac = /link\/ether (\S+)/.exec(runLine(sim, node2, 'ip link show weave').stdout)![1]!;
    const datapathMac = /link\/ether (\S+)/.exec(runLine(sim, node2, 'ip link show datapath').stdout)![1]!;
    expect(weaveMac).not.toBe(datapathMac);
    const gw = runLine(sim, client, 'ip neigh').stdout;
    expect(gw).toContain(`10.40.0.0 dev eth0 lladdr ${weaveMac}`);
    const onDatapath = trace.events.filter((e) => e.where.dev === 'datapath');
    expect(onDatapath.length).toBeGreaterThan(0);
    expect(onDatapath.filter((e) => e.type === 'bridge-local' || e.type === 'arp-reply' || e.type === 'conntrack' || e.type === 'netfilter')).toEqual([]);
    // DNAT once on node-2's weave bridge, then routed straight back out of it: no second pass through the datapath.
    expect(trace.events.some((e) => e.type === 'forward' && e.where.machine === 'node/node-2' && e.summary.startsWith('forward weave -> weave'))).toBe(true);
    expect(trace.events.some((e) => e.type === 'forward' && e.summary.includes('datapath'))).toBe(false);
  });
});
