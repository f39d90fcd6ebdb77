/** CoreDNS on a dual-stack cluster: AAAA, dual-stack SRV, ip6.arpa PTR, IPv6 pod names; kubelet's IPv6 nameserver. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, runLine } from '../../../src/engine';
import { answerQuestion } from '../../../src/engine/agents/coredns/answer';
import { ipToReverse } from '../../../src/engine/agents/coredns/records';

const DS = readFileSync('test/golden/kubectl/scenarios/dualstack6.yaml', 'utf8');
const { sim } = buildSim(DS);
const coredns = sim.model.pods.find((p) => p.meta.name.startsWith('coredns'))!;
const ask = (name: string, type: 'A' | 'AAAA' | 'SRV' | 'PTR') => answerQuestion(sim.model, `pod/kube-system/${coredns.meta.name}`, { name, type });

describe('CoreDNS on a dual-stack cluster', () => {
  it('a dual-stack Service answers A with its IPv4 clusterIP and AAAA with its IPv6 one', () => {
    expect(ask('web.default.svc.cluster.local', 'A').answers.map((a) => [a.type, a.data])).toEqual([['A', '10.96.0.80']]);
    expect(ask('web.default.svc.cluster.local', 'AAAA').answers.map((a) => [a.type, a.data])).toEqual([['AAAA', 'fd00:10:96::80']]);
  });
  it('a SingleStack IPv6 Service has AAAA only: A is NODATA (NOERROR, SOA), not its internal IPv4 address', () => {
    const a = ask('web6.default.svc.cluster.local', 'A');
    expect([a.rcode, a.answers.length, a.authority[0]?.type]).toEqual(['NOERROR', 0, 'SOA']);
    expect(ask('web6.default.svc.cluster.local', 'AAAA').answers.map((x) => x.data)).toEqual(['fd00:10:96::86']);
  });
  it('SRV of a dual-stack ClusterIP Service: one record for the name and port, A and AAAA in the additional section', () => {
    const r = ask('_http._tcp.db.default.svc.cluster.local', 'SRV');
    expect(r.answers.map((a) => a.data)).toEqual([
      '0 25 80 10-244-0-3.db.default.svc.cluster.local.', '0 25 80 10-244-1-3.db.default.svc.cluster.local.',
      '0 25 80 fd00-10-244--3.db.default.svc.cluster.local.', '0 25 80 fd00-10-244-1--3.db.default.svc.cluster.local.',
    ]);
    expect((r.additional ?? []).map((a) => a.type)).toEqual(['A', 'A', 'AAAA', 'AAAA']);
    const svc = buildSim(DS.replace('ports: [{port: 80}]', 'ports: [{name: http, port: 80}]')).sim;
    const dns = svc.model.pods.find((p) => p.meta.name.startsWith('coredns'))!;
    const one = answerQuestion(svc.model, `pod/kube-system/${dns.meta.name}`, { name: '_http._tcp.web.default.svc.cluster.local', type: 'SRV' });
    expect(one.answers.map((a) => a.data)).toEqual(['0 50 80 web.default.svc.cluster.local.']);
    expect((one.additional ?? []).map((a) => `${a.type} ${a.data}`)).toEqual(['A 10.96.0.80', 'AAAA fd00:10:96::80']);
  });
  it('headless: AAAA lists the IPv6 endpoints; PTR answers ip6.arpa names in nibble form', () => {
    expect(ask('db.default.svc.cluster.local', 'AAAA').answers.map((a) => a.data)).toEqual(['fd00:10:244::3', 'fd00:10:244:1::3']);
    const rev = ipToReverse('fd00:10:96::80');
    expect(rev).toBe('0.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.1.0.0.0.0.d.f.ip6.arpa.');
    expect(ask(rev, 'PTR').answers.map((a) => a.data)).toEqual(['web.default.svc.cluster.local.']);
    // An unknown address falls through (the default Corefile's `fallthrough in-addr.arpa ip6.arpa`) to forward.
    const unknown = ask(ipToReverse('fd00:10:96::99'), 'PTR');
    expect([unknown.answers.length, unknown.forwardTo !== undefined]).toEqual([0, true]);
  });
  it('IPv6 pod names (":" as "-") answer AAAA', () => {
    expect(ask('fd00-10-244--3.default.pod.cluster.local', 'AAAA').answers.map((a) => a.data)).toEqual(['fd00:10:244::3']);
    expect(ask('fd00-10-244--3.default.pod.cluster.local', 'A').answers).toEqual([]);
  });
  it('dig AAAA and dig -x with an IPv6 address work in the shell', () => {
    expect(runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'dig +short AAAA web.default.svc.cluster.local').stdout).toBe('fd00:10:96::80\n');
    expect(runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'dig +short -x fd00:10:96::86').stdout).toBe('web6.default.svc.cluster.local.\n');
  });
});

describe("kubelet's resolv.conf", () => {
  it('names the kube-dns Service\'s IPv6 address when the cluster is IPv6-primary, its IPv4 one otherwise', () => {
    const v6p = DS.replace('podCIDR: [10.244.0.0/16, "fd00:10:244::/56"]', 'podCIDR: ["fd00:10:244::/56", 10.244.0.0/16]').replace('serviceCIDR: [10.96.0.0/12, "fd00:10:96::/112"]', 'serviceCIDR: ["fd00:10:96::/112", 10.96.0.0/12]');
    const six = buildSim(v6p).sim;
    expect(runLine(six, { kind: 'pod', namespace: 'default', name: 'client' }, 'cat /etc/resolv.conf').stdout).toContain('nameserver fd00:10:96::a\n');
    expect(runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'cat /etc/resolv.conf').stdout).toContain('nameserver 10.96.0.10\n');
  });
});
