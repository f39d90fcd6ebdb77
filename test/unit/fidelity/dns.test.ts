/**
 * Issue 16, DNS: CoreDNS's kubernetes plugin answers NXDOMAIN below an ExternalName Service's
 * name (no endpoints, no _port._proto pseudo-labels there); the API server's exact messages for
 * `dnsPolicy: None` without nameservers.
 */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine';
import { answerQuestion } from '../../../src/engine/agents/coredns/answer';
import { dnsCluster } from '../dns/fixture';

const SERVER = 'pod/kube-system/coredns-5d78c9869d-abcde';
const ask = (name: string, type: 'A' | 'SRV' | 'CNAME' = 'A') => answerQuestion(dnsCluster(), SERVER, { name, type });

describe('names below an ExternalName Service', () => {
  it('the Service name itself is a CNAME', () => {
    expect(ask('ext.prod.svc.cluster.local', 'CNAME').answers.map((a) => a.data)).toEqual(['example.com.']);
  });
  it('one label below (an "endpoint") and two labels below (port and protocol) are NXDOMAIN', () => {
    expect(ask('a.ext.prod.svc.cluster.local').rcode).toBe('NXDOMAIN');
    expect(ask('a.b.ext.prod.svc.cluster.local').rcode).toBe('NXDOMAIN');
    expect(ask('_http._tcp.ext.prod.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });
});

const pod = (dns: string): string => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  dnsPolicy: None
${dns}  containers: [{name: c, image: busybox}]
`;

describe('dnsPolicy: None', () => {
  it('without dnsConfig: the API server asks for dnsConfig', () => {
    const d = buildSim(pod('')).diagnostics.find((x) => x.code === 'dns-config-required');
    expect(d?.message).toBe('Pod p: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None');
  });
  it('with dnsConfig but no nameservers: the API server asks for a nameserver', () => {
    const d = buildSim(pod('  dnsConfig: {searches: [example.com]}\n')).diagnostics.find((x) => x.code === 'dns-config-required');
    expect(d?.message).toBe('Pod p: spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None');
  });
});
