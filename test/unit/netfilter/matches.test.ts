import { describe, expect, it } from 'vitest';
import { netfilterEngine } from '../../../src/engine/netfilter/engine';
import type { Hook, HookContext } from '../../../src/engine/netfilter/hook';
import { ipsetAdd, ipsetCreate, ipsetInstall } from '../../../src/engine/netfilter/ipset';
import { iptablesRestore } from '../../../src/engine/netfilter/restore';
import type { Packet } from '../../../src/engine/net/packet';
import { ctx, nodeNs, tcp, udp } from './fixtures';

/** Loads one filter rule (`-j DROP` appended) and says whether the packet is dropped at `hook`. */
function drops(rule: string, p: Packet, c: Partial<HookContext> = {}, hook: Hook = 'FORWARD', setup?: (ns: ReturnType<typeof nodeNs>) => void): boolean {
  const ns = nodeNs();
  const r = iptablesRestore(ns, `*filter\n:${hook} ACCEPT [0:0]\n-A ${hook} ${rule} -j DROP\nCOMMIT\n`);
  expect(r).toEqual({ ok: true });
  setup?.(ns);
  return netfilterEngine.runHook(ns, hook, p, ctx({ inDev: 'cni0', outDev: 'eth0', ...c }), () => {}).verdict === 'drop';
}

const web = tcp('10.244.1.2', 40000, '10.96.0.10', 80);

describe('matches', () => {
  it('-s/-d with prefixes and !', () => {
    expect(drops('-s 10.244.0.0/16', web)).toBe(true);
    expect(drops('! -s 10.244.0.0/16', web)).toBe(false);
    expect(drops('-d 10.96.0.10', web)).toBe(true);
    expect(drops('! -d 10.96.0.0/12', web)).toBe(false);
  });

  it('ports, ranges, multiport and tcp flags', () => {
    expect(drops('-p tcp --dport 1:1024', web)).toBe(true);
    expect(drops('-p tcp ! --dport 80', web)).toBe(false);
    expect(drops('-p tcp --sport 40000', web)).toBe(true);
    expect(drops('-p tcp -m multiport --dports 22,80,443', web)).toBe(true);
    expect(drops('-p udp -m multiport --dports 80', web)).toBe(false);
    expect(drops('-p tcp --syn', web)).toBe(true);
    expect(drops('-p tcp --tcp-flags SYN,ACK ACK', web)).toBe(false);
  });

  it('icmp types', () => {
    const ping: Packet = { ip: { version: 4, src: '10.244.1.2', dst: '8.8.8.8', ttl: 64, protocol: 1, id: 1, df: false, tos: 0, length: 84 }, icmp: { type: 8, code: 0, id: 7, seq: 1 } };
    expect(drops('-p icmp --icmp-type echo-request', ping)).toBe(true);
    expect(drops('-p icmp --icmp-type 0', ping)).toBe(false);
  });

  it('addrtype LOCAL uses the namespace addresses', () => {
    expect(drops('-m addrtype --dst-type LOCAL', tcp('1.2.3.4', 1, '192.168.1.10', 30080), {}, 'INPUT')).toBe(true);
    expect(drops('-m addrtype --dst-type LOCAL', web)).toBe(false);
    expect(drops('-m addrtype ! --dst-type LOCAL', web)).toBe(true);
  });

  it('conntrack --ctstate sees NEW for a first packet', () => {
    expect(drops('-m conntrack --ctstate NEW', web, {}, 'OUTPUT')).toBe(true);
    expect(drops('-m conntrack --ctstate RELATED,ESTABLISHED', web, {}, 'OUTPUT')).toBe(false);
  });

  it('physdev only for bridged packets', () => {
    expect(drops('-m physdev --physdev-in veth1 --physdev-is-bridged', web, { bridged: true, physIn: 'veth1', physOut: 'veth2' })).toBe(true);
    expect(drops('-m physdev --physdev-in veth1', web)).toBe(false);
  });

  it('-m set matches members an ipset holds', () => {
    const fill = (ns: ReturnType<typeof nodeNs>) => { ipsetCreate(ns, 'KUBE-CLUSTER-IP', 'hash:ip,port'); ipsetAdd(ns, 'KUBE-CLUSTER-IP', '10.96.0.10,tcp:80'); };
    expect(drops('-m set --match-set KUBE-CLUSTER-IP dst,dst', web, {}, 'FORWARD', fill)).toBe(true);
    expect(drops('-m set --match-set KUBE-CLUSTER-IP dst,dst', udp('10.244.1.2', 1, '10.96.0.10', 80), {}, 'FORWARD', fill)).toBe(false);
    expect(drops('-m set ! --match-set KUBE-CLUSTER-IP dst,dst', web, {}, 'FORWARD', fill)).toBe(false);
    const nets = (ns: ReturnType<typeof nodeNs>) => { ipsetCreate(ns, 'SRC', 'hash:ip,port,net'); ipsetAdd(ns, 'SRC', '10.96.0.10,tcp:80,10.244.0.0/16'); };
    expect(drops('-m set --match-set SRC dst,dst,src', web, {}, 'FORWARD', nets)).toBe(true);
  });

  it('statistic nth matches every n-th packet', () => {
    const ns = nodeNs();
    iptablesRestore(ns, '*filter\n:FORWARD ACCEPT [0:0]\n-A FORWARD -m statistic --mode nth --every 3 -j DROP\nCOMMIT\n');
    const v = Array.from({ length: 6 }, () => netfilterEngine.runHook(ns, 'FORWARD', web, ctx(), () => {}).verdict);
    expect(v.filter((x) => x === 'drop').length).toBe(2);
  });

  it('mark match with mask', () => {
    expect(drops('-m mark --mark 0x4000/0x4000', { ...web, mark: 0x4001 })).toBe(true);
    expect(drops('-m mark --mark 0x4000', { ...web, mark: 0x4001 })).toBe(false);
  });
});

describe('-m set with sets a writer installed whole', () => {
  it('matches a set kube-proxy installed (ipsetInstall), as one created with ipset create/add', () => {
    const foreign = (ns: ReturnType<typeof nodeNs>) => {
      ipsetInstall(ns, { name: 'KUBE-NODE-PORT-TCP', type: 'bitmap:port', members: ['30080'] });
    };
    expect(drops('-p tcp -m set --match-set KUBE-NODE-PORT-TCP dst', tcp('1.1.1.1', 5, '192.168.1.10', 30080), {}, 'INPUT', foreign)).toBe(true);
    expect(drops('-p tcp -m set --match-set KUBE-NODE-PORT-TCP dst', tcp('1.1.1.1', 5, '192.168.1.10', 30081), {}, 'INPUT', foreign)).toBe(false);
  });
});
