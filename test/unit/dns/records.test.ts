import { describe, expect, it } from 'vitest';
import { answerQuestion, type DnsResponse } from '../../../src/engine/agents/coredns/answer';
import { dnsCluster, meta } from './fixture';

const SERVER = 'pod/kube-system/coredns-5d78c9869d-abcde';
const ask = (name: string, type: Parameters<typeof answerQuestion>[2]['type'] = 'A', m = dnsCluster()): DnsResponse => answerQuestion(m, SERVER, { name, type });
const data = (r: DnsResponse): string[] => r.answers.map((a) => `${a.type} ${a.data}`);

describe('Service records', () => {
  it('a ClusterIP Service answers its clusterIP, authoritatively, with the Corefile ttl', () => {
    const r = ask('web.default.svc.cluster.local');
    expect(r.rcode).toBe('NOERROR');
    expect(r.authoritative).toBe(true);
    expect(r.answers).toEqual([{ name: 'web.default.svc.cluster.local.', type: 'A', ttl: 30, data: '10.96.100.1' }]);
  });

  it('is case-insensitive and accepts the trailing dot', () => {
    expect(data(ask('WEB.Default.svc.cluster.local.'))).toEqual(['A 10.96.100.1']);
  });

  it('a headless Service answers its ready endpoints only', () => {
    expect(data(ask('db.prod.svc.cluster.local'))).toEqual(['A 10.244.1.7']);
  });

  it('publishNotReadyAddresses publishes not-ready endpoints too', () => {
    const m = dnsCluster();
    const services = m.services.map((s) => (s.meta.name === 'db' ? { ...s, publishNotReadyAddresses: true } : s));
    expect(data(ask('db.prod.svc.cluster.local', 'A', { ...m, services }))).toEqual(['A 10.244.1.7', 'A 10.244.2.8']);
  });

  it('a headless Service without ready endpoints is NXDOMAIN', () => {
    expect(ask('empty.prod.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('SRV for a named port of a ClusterIP Service points at the Service name', () => {
    const r = ask('_http._tcp.web.default.svc.cluster.local', 'SRV');
    expect(data(r)).toEqual(['SRV 0 100 80 web.default.svc.cluster.local.']);
    expect(r.additional).toEqual([{ name: 'web.default.svc.cluster.local.', type: 'A', ttl: 30, data: '10.96.100.1' }]);
  });

  it('SRV on the Service name lists every port, weights shared', () => {
    expect(data(ask('web.default.svc.cluster.local', 'SRV'))).toEqual(['SRV 0 50 80 web.default.svc.cluster.local.', 'SRV 0 50 9090 web.default.svc.cluster.local.']);
  });

  it('SRV of a headless Service names each endpoint by its hostname', () => {
    expect(data(ask('_pg._tcp.db.prod.svc.cluster.local', 'SRV'))).toEqual(['SRV 0 100 5432 db-0.db.prod.svc.cluster.local.']);
  });

  it('an unknown port name or protocol is NXDOMAIN', () => {
    expect(ask('_nope._tcp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
    expect(ask('_http._udp.web.default.svc.cluster.local', 'SRV').rcode).toBe('NXDOMAIN');
  });

  it('HOSTNAME.SUBDOMAIN names a StatefulSet Pod through its governing Service', () => {
    expect(data(ask('db-0.db.prod.svc.cluster.local'))).toEqual(['A 10.244.1.7']);
    // db-1 is not ready: not published.
    expect(ask('db-1.db.prod.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('an endpoint without a hostname is named by its dashed IP (or Pod name with endpoint_pod_names)', () => {
    expect(data(ask('10-244-2-9.plain.prod.svc.cluster.local'))).toEqual(['A 10.244.2.9']);
    const corefile = '.:53 {\n kubernetes cluster.local {\n  endpoint_pod_names\n }\n}\n';
    const m = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: corefile } }] });
    expect(data(ask('plain.plain.prod.svc.cluster.local', 'A', m))).toEqual(['A 10.244.2.9']);
  });

  it('ExternalName is a CNAME, followed upstream; an IP-looking externalName stays a name', () => {
    expect(data(ask('ext.prod.svc.cluster.local'))).toEqual(['CNAME example.com.', 'A 93.184.216.34']);
    expect(data(ask('ext.prod.svc.cluster.local', 'CNAME'))).toEqual(['CNAME example.com.']);
    expect(data(ask('extip.prod.svc.cluster.local'))).toEqual(['CNAME 1.2.3.4.']);
  });

  it('a name that exists with another type is NOERROR with the SOA in authority', () => {
    const r = ask('web.default.svc.cluster.local', 'AAAA');
    expect(r.rcode).toBe('NOERROR');
    expect(r.answers).toEqual([]);
    expect(r.authority).toEqual([{ name: 'cluster.local.', type: 'SOA', ttl: 30, data: 'ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 30' }]);
  });

  it('unknown Service, unknown namespace: NXDOMAIN with the SOA', () => {
    const r = ask('nope.default.svc.cluster.local');
    expect(r.rcode).toBe('NXDOMAIN');
    expect(r.authority[0]?.type).toBe('SOA');
    expect(ask('web.nowhere.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('an existing namespace name is NOERROR-empty; a missing one is NXDOMAIN', () => {
    expect(ask('prod.svc.cluster.local').rcode).toBe('NOERROR');
    expect(ask('nowhere.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('wildcard queries are NXDOMAIN, as CoreDNS answers them since 1.9 (coredns/coredns#5019 removed them)', () => {
    for (const q of ['*.default.svc.cluster.local', 'web.*.svc.cluster.local', 'any.default.svc.cluster.local', '_http._tcp.*.default.svc.cluster.local']) expect(ask(q, q.startsWith('_') ? 'SRV' : 'A').rcode, q).toBe('NXDOMAIN');
    // The same names spelled out still answer: the check above is about the wildcard, not the Service.
    expect(ask('web.default.svc.cluster.local').rcode).toBe('NOERROR');
  });

  it('names in the zone that are neither svc nor pod are NXDOMAIN', () => {
    expect(ask('web.default.cluster.local').rcode).toBe('NXDOMAIN');
    expect(ask('kubernetes.default.default.svc.cluster.local').rcode).toBe('NXDOMAIN');
  });

  it('the zone apex: SOA and NS, ns.dns.DOMAIN is the kube-dns address', () => {
    expect(data(ask('cluster.local', 'SOA'))).toEqual(['SOA ns.dns.cluster.local. hostmaster.cluster.local. 1700000000 7200 1800 86400 30']);
    expect(data(ask('cluster.local', 'NS'))).toEqual(['NS ns.dns.cluster.local.']);
    expect(data(ask('ns.dns.cluster.local'))).toEqual(['A 10.96.0.10']);
  });
});

describe('Pod records', () => {
  it('pods insecure (kubeadm default) answers any dashed address in an existing namespace', () => {
    expect(data(ask('10-244-1-5.default.pod.cluster.local'))).toEqual(['A 10.244.1.5']);
    expect(data(ask('1-2-3-4.default.pod.cluster.local'))).toEqual(['A 1.2.3.4']);
    expect(ask('1-2-3-4.nowhere.pod.cluster.local').rcode).toBe('NXDOMAIN');
    expect(ask('not-an-ip.default.pod.cluster.local').rcode).toBe('NXDOMAIN');
  });

  const withPods = (mode: string) => dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: `.:53 {\n kubernetes cluster.local {\n  pods ${mode}\n }\n}\n` } }] });

  it('pods verified needs a Pod with that IP in that namespace', () => {
    expect(data(ask('10-244-1-5.default.pod.cluster.local', 'A', withPods('verified')))).toEqual(['A 10.244.1.5']);
    expect(ask('10-244-1-5.prod.pod.cluster.local', 'A', withPods('verified')).rcode).toBe('NXDOMAIN');
  });

  it('pods disabled answers NXDOMAIN', () => {
    expect(ask('10-244-1-5.default.pod.cluster.local', 'A', withPods('disabled')).rcode).toBe('NXDOMAIN');
  });
});

describe('PTR', () => {
  it('a Service IP points at the Service name', () => {
    expect(data(ask('1.100.96.10.in-addr.arpa', 'PTR'))).toEqual(['PTR web.default.svc.cluster.local.']);
  });
  it('an endpoint address points at ENDPOINT.SVC.NS.svc.DOMAIN', () => {
    expect(data(ask('7.1.244.10.in-addr.arpa', 'PTR'))).toEqual(['PTR db-0.db.prod.svc.cluster.local.']);
    expect(data(ask('5.1.244.10.in-addr.arpa', 'PTR'))).toEqual(['PTR 10-244-1-5.web.default.svc.cluster.local.']);
  });
  it('an unknown address falls through to forward (kubeadm: fallthrough in-addr.arpa ip6.arpa)', () => {
    expect(ask('9.9.9.10.in-addr.arpa', 'PTR').forwardTo).toBe('203.0.113.53');
  });
});

describe('Corefile', () => {
  it('names outside the zones are forwarded to the node\'s nameserver', () => {
    const r = ask('example.com');
    expect(r.forwardTo).toBe('203.0.113.53');
    expect(r.answers).toEqual([]);
  });

  it('forward . IP sends elsewhere; a node resolvConf changes /etc/resolv.conf forwarding', () => {
    const m1 = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: '.:53 {\n kubernetes cluster.local\n forward . 8.8.8.8 1.1.1.1\n}\n' } }] });
    expect(ask('example.com', 'A', m1).forwardTo).toBe('8.8.8.8');
    const m2 = dnsCluster();
    const nodes = m2.nodes.map((n) => ({ ...n, resolvConf: 'nameserver 10.0.0.2\nsearch corp.example\n' }));
    expect(ask('example.com', 'A', { ...m2, nodes }).forwardTo).toBe('10.0.0.2');
  });

  it('ttl and zones from the kubernetes plugin', () => {
    const m = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: '.:53 {\n kubernetes cluster.local {\n  ttl 7\n }\n forward . /etc/resolv.conf\n}\n' } }] });
    expect(ask('web.default.svc.cluster.local', 'A', m).answers[0]?.ttl).toBe(7);
    // in-addr.arpa is not a zone of this kubernetes plugin: reverse names go to forward.
    expect(ask('1.100.96.10.in-addr.arpa', 'PTR', m).forwardTo).toBe('203.0.113.53');
  });

  it('namespaces restricts which namespaces are exposed', () => {
    const m = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: '.:53 {\n kubernetes cluster.local {\n  namespaces default\n }\n}\n' } }] });
    expect(ask('web.default.svc.cluster.local', 'A', m).rcode).toBe('NOERROR');
    expect(ask('db.prod.svc.cluster.local', 'A', m).rcode).toBe('NXDOMAIN');
  });

  it('fallthrough sends unknown cluster names on to forward', () => {
    const m = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: '.:53 {\n kubernetes cluster.local {\n  fallthrough\n }\n forward . 8.8.8.8\n}\n' } }] });
    expect(ask('nope.default.svc.cluster.local', 'A', m).forwardTo).toBe('8.8.8.8');
  });

  it('hosts inline entries answer before kubernetes; fallthrough continues', () => {
    const cf = '.:53 {\n hosts {\n  10.1.2.3 legacy.corp web.default.svc.cluster.local\n  fallthrough\n }\n kubernetes cluster.local\n forward . 8.8.8.8\n}\n';
    const m = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: cf } }] });
    expect(data(ask('legacy.corp', 'A', m))).toEqual(['A 10.1.2.3']);
    expect(data(ask('web.default.svc.cluster.local', 'A', m))).toEqual(['A 10.1.2.3']);
    expect(data(ask('db.prod.svc.cluster.local', 'A', m))).toEqual(['A 10.244.1.7']);
  });

  it('a server block per zone: the longest zone wins; no block at all is REFUSED', () => {
    const cf = 'corp.example:53 {\n hosts {\n  10.9.9.9 db.corp.example\n }\n}\ncluster.local:53 {\n kubernetes cluster.local\n}\n';
    const m = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: cf } }] });
    expect(data(ask('db.corp.example', 'A', m))).toEqual(['A 10.9.9.9']);
    expect(ask('other.corp.example', 'A', m).rcode).toBe('SERVFAIL');
    expect(ask('example.com', 'A', m).rcode).toBe('REFUSED');
  });

  it('an unknown plugin is a note, never a throw', () => {
    const m = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: '.:53 {\n frobnicate hard\n kubernetes cluster.local\n}\n' } }] });
    const r = ask('web.default.svc.cluster.local', 'A', m);
    expect(data(r)).toEqual(['A 10.96.100.1']);
    expect(r.notes).toEqual(['plugin/frobnicate: not modelled by the playground; ignored']);
  });

  it('garbage Corefile text does not throw', () => {
    const m = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: '}}{{ kubernetes\n"unterminated' } }] });
    expect(() => ask('web.default.svc.cluster.local', 'A', m)).not.toThrow();
  });
});

describe('hosts plugin', () => {
  const cf = '.:53 {\n hosts {\n  10.1.2.3 legacy.corp\n }\n kubernetes cluster.local in-addr.arpa\n forward . 8.8.8.8\n}\n';
  const m = dnsCluster({ configMaps: [{ meta: meta('kube-system', 'coredns'), data: { Corefile: cf } }] });
  it('without fallthrough a name it does not list is SERVFAIL (it has no SOA for an NXDOMAIN)', () => {
    expect(ask('example.com', 'A', m).rcode).toBe('SERVFAIL');
    expect(ask('legacy.corp', 'AAAA', m).rcode).toBe('NOERROR');
  });
  it('reverse lookups it cannot answer always go on to the next plugin', () => {
    expect(data(ask('3.2.1.10.in-addr.arpa', 'PTR', m))).toEqual(['PTR legacy.corp.']);
    expect(data(ask('1.100.96.10.in-addr.arpa', 'PTR', m))).toEqual(['PTR web.default.svc.cluster.local.']);
  });
});
