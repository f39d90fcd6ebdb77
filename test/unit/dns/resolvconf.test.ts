import { describe, expect, it } from 'vitest';
import { podResolvConf, nodeResolvConf } from '../../../src/engine/agents/kubelet/resolvconf';
import { candidates } from '../../../src/engine/clients/dns/search';
import { dnsCluster, pod } from './fixture';

const m = dnsCluster();
const conf = (o: Parameters<typeof pod>[2]) => podResolvConf(m, pod('team-a', 'p', { ip: '10.244.1.50', ...o }));

describe('resolv.conf as kubelet writes it', () => {
  it('ClusterFirst: kube-dns clusterIP, the three cluster search domains, ndots:5', () => {
    expect(conf({}).text).toBe('search team-a.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('ClusterFirst appends the node\'s search domains', () => {
    const nodes = m.nodes.map((n) => ({ ...n, resolvConf: 'nameserver 10.0.0.2\nsearch corp.example lab.example\noptions timeout:2\n' }));
    expect(podResolvConf({ ...m, nodes }, pod('team-a', 'p', {})).text)
      .toBe('search team-a.svc.cluster.local svc.cluster.local cluster.local corp.example lab.example\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('the nameserver is whatever clusterIP the kube-dns Service has', () => {
    const services = m.services.map((s) => (s.meta.name === 'kube-dns' ? { ...s, clusterIP: '10.96.0.53' } : s));
    expect(podResolvConf({ ...m, services }, pod('x', 'p', {})).conf.nameservers).toEqual(['10.96.0.53']);
  });

  it('Default: the node\'s file', () => {
    expect(conf({ dnsPolicy: 'Default' }).text).toBe('nameserver 203.0.113.53\n');
  });

  it('ClusterFirst on a hostNetwork Pod falls back to Default; ClusterFirstWithHostNet does not', () => {
    expect(conf({ hostNetwork: true }).text).toBe('nameserver 203.0.113.53\n');
    expect(conf({ hostNetwork: true }).effectivePolicy).toBe('Default');
    expect(conf({ hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet' }).text)
      .toBe('search team-a.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  });

  it('None: only dnsConfig', () => {
    const r = conf({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.2.3.4'], searches: ['ns1.svc.cluster-domain.example', 'my.dns.search.suffix'], options: [{ name: 'ndots', value: '2' }, { name: 'edns0' }] } });
    expect(r.text).toBe('search ns1.svc.cluster-domain.example my.dns.search.suffix\nnameserver 1.2.3.4\noptions ndots:2 edns0\n');
  });

  it('dnsConfig merges into ClusterFirst: appended, duplicates dropped, options overridden by name', () => {
    const r = conf({ dnsConfig: { nameservers: ['10.96.0.10', '1.1.1.1'], searches: ['cluster.local', 'extra.example'], options: [{ name: 'ndots', value: '2' }, { name: 'single-request-reopen' }] } });
    expect(r.text).toBe('search team-a.svc.cluster.local svc.cluster.local cluster.local extra.example\nnameserver 10.96.0.10\nnameserver 1.1.1.1\noptions ndots:2 single-request-reopen\n');
  });

  it('more than 3 nameservers are trimmed with kubelet\'s message', () => {
    const r = conf({ dnsConfig: { nameservers: ['1.1.1.1', '2.2.2.2', '3.3.3.3'] } });
    expect(r.conf.nameservers).toEqual(['10.96.0.10', '1.1.1.1', '2.2.2.2']);
    expect(r.messages).toEqual(['Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 2.2.2.2']);
  });

  it('more than 32 search domains are trimmed with kubelet\'s message', () => {
    const many = Array.from({ length: 40 }, (_, i) => `d${i}.example`);
    const r = conf({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: many } });
    expect(r.conf.searches).toHaveLength(32);
    expect(r.messages[0]).toMatch(/^Search Line limits were exceeded, some search paths have been omitted, the applied search line is: d0\.example d1\.example/);
  });

  it('the node file defaults to the upstream resolver host', () => {
    expect(nodeResolvConf(m, 'node-1')).toBe('nameserver 203.0.113.53\n');
  });
});

describe('search list and ndots', () => {
  const rc = { searches: ['default.svc.cluster.local', 'svc.cluster.local', 'cluster.local'], options: [{ name: 'ndots', value: '5' }] };
  it('fewer dots than ndots: search domains first, then the name itself', () => {
    expect(candidates('kubernetes.default', rc)).toEqual([
      'kubernetes.default.default.svc.cluster.local.', 'kubernetes.default.svc.cluster.local.', 'kubernetes.default.cluster.local.', 'kubernetes.default.',
    ]);
  });
  it('ndots or more dots: the name itself first', () => {
    expect(candidates('a.b.c.d.e.f', rc)[0]).toBe('a.b.c.d.e.f.');
    expect(candidates('a.b.c.d.e.f', rc)).toHaveLength(4);
  });
  it('a trailing dot bypasses the search list', () => {
    expect(candidates('example.com.', rc)).toEqual(['example.com.']);
  });
  it('ndots:1 (glibc default): a name with a dot goes as-is first', () => {
    expect(candidates('example.com', { searches: ['corp.example'], options: [] })).toEqual(['example.com.', 'example.com.corp.example.']);
    expect(candidates('db', { searches: ['corp.example'], options: [] })).toEqual(['db.corp.example.', 'db.']);
  });
});
