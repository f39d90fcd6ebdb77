import { describe, expect, it } from 'vitest';
import { runLine } from '../../../src/engine/shell/run';
import { resolveName } from '../../../src/engine/clients/dns/resolve';
import type { Target } from '../../../src/engine/shell/types';
import { dnsCluster, pod, simOf } from './fixture';

const client = pod('default', 'client', { ip: '10.244.1.9' });
const m = dnsCluster();
const sim = simOf({ ...m, pods: [...m.pods, client] });
const inPod: Target = { kind: 'pod', namespace: 'default', name: 'client' };
const run = (line: string, t: Target = inPod) => runLine(sim, t, line);

describe('resolveName: the search list step by step', () => {
  it('kubernetes.default: first attempt NXDOMAIN, second answers', () => {
    const r = resolveName(sim, 'pod/default/client', 'kubernetes.default');
    expect(r.steps.map((s) => `${s.name} ${s.outcome}`)).toEqual([
      'kubernetes.default.default.svc.cluster.local. nxdomain',
      'kubernetes.default.svc.cluster.local. answer',
    ]);
    expect(r.addresses).toEqual(['10.96.0.1']);
    expect(r.events.map((e) => e.type)).toEqual(['dns', 'dns']);
    expect(r.events[1]?.summary).toBe('A kubernetes.default.svc.cluster.local. @10.96.0.10: A 10.96.0.1');
  });

  it('an outside name walks the whole search list, then is forwarded upstream', () => {
    const r = resolveName(sim, 'pod/default/client', 'example.com');
    expect(r.steps.map((s) => s.outcome)).toEqual(['nxdomain', 'nxdomain', 'nxdomain', 'answer']);
    expect(r.answer?.forwardTo).toBe('203.0.113.53');
    expect(r.addresses).toEqual(['93.184.216.34']);
  });

  it('a trailing dot asks once', () => {
    expect(resolveName(sim, 'pod/default/client', 'example.com.').steps).toHaveLength(1);
  });
});

describe('terminal tools', () => {
  it('cat /etc/resolv.conf in a Pod and on a node', () => {
    expect(run('cat /etc/resolv.conf').stdout).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    expect(run('cat /etc/resolv.conf', { kind: 'node', name: 'node-1' }).stdout).toBe('nameserver 203.0.113.53\n');
  });

  it('nslookup through the search list', () => {
    expect(run('nslookup web').stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tweb.default.svc.cluster.local\nAddress: 10.96.100.1\n\n');
  });

  it('nslookup of a forwarded name is non-authoritative', () => {
    expect(run('nslookup example.com').stdout).toBe('Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nNon-authoritative answer:\nName:\texample.com\nAddress: 93.184.216.34\n\n');
  });

  it('nslookup NXDOMAIN exits 1', () => {
    const r = run('nslookup nosuch');
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n** server can't find nosuch: NXDOMAIN\n\n");
  });

  it('nslookup of an IP asks PTR', () => {
    expect(run('nslookup 10.96.0.1').stdout).toContain('1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local.\n');
  });

  it('dig +short does not search by default; +search does', () => {
    expect(run('dig +short web').stdout).toBe('');
    expect(run('dig +short +search web').stdout).toBe('10.96.100.1\n');
    expect(run('dig +short db.prod.svc.cluster.local').stdout).toBe('10.244.1.7\n');
    expect(run('dig +short _http._tcp.web.default.svc.cluster.local SRV').stdout).toBe('0 100 80 web.default.svc.cluster.local.\n');
  });

  it('dig prints the 9.18 layout', () => {
    const out = run('dig web.default.svc.cluster.local').stdout;
    expect(out).toContain(';; ->>HEADER<<- opcode: QUERY, status: NOERROR, id: ');
    expect(out).toContain(';; flags: qr aa rd; QUERY: 1, ANSWER: 1, AUTHORITY: 0, ADDITIONAL: 1\n');
    expect(out).toContain(';web.default.svc.cluster.local.\tIN\tA\n');
    expect(out).toContain('\n;; ANSWER SECTION:\nweb.default.svc.cluster.local. 30 IN\tA\t10.96.100.1\n');
    expect(out).toContain(';; SERVER: 10.96.0.10#53(10.96.0.10) (UDP)\n');
  });

  it('host follows the search list and names what it found', () => {
    expect(run('host web').stdout).toBe('web.default.svc.cluster.local has address 10.96.100.1\n');
    expect(run('host ext.prod').stdout).toBe('ext.prod.svc.cluster.local is an alias for example.com.\nexample.com has address 93.184.216.34\n');
    const r = run('host nosuch');
    expect(r.stdout).toBe('Host nosuch not found: 3(NXDOMAIN)\n');
    expect(r.exitCode).toBe(1);
  });

  it('the workstation has no cluster resolver', () => {
    expect(run('nslookup web', { kind: 'workstation' }).exitCode).toBe(1);
  });
});
