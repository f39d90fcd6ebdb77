import { describe, expect, it } from 'vitest';
import { runArgv, runLine } from '../../../src/engine/shell/run';
import type { Target } from '../../../src/engine/shell/types';
import { twoNodes, vethPair } from './fixtures';

const net1: Target = { kind: 'host', name: 'h1', netns: 'net1' };
const a1: Target = { kind: 'pod', namespace: 'default', name: 'a-1' };

describe('ping', () => {
  it('prints three echo replies from 20.1.1.2 like iputils (the seed\'s first chapter)', () => {
    const { sim } = vethPair();
    const r = runArgv(sim, net1, ['ping', '-c', '3', '20.1.1.2']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('PING 20.1.1.2 (20.1.1.2) 56(84) bytes of data.');
    for (let i = 1; i <= 3; i++) expect(lines[i]).toMatch(new RegExp(`^64 bytes from 20\\.1\\.1\\.2: icmp_seq=${i} ttl=64 time=0\\.0\\d\\d ms$`));
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe('--- 20.1.1.2 ping statistics ---');
    expect(lines[6]).toMatch(/^3 packets transmitted, 3 received, 0% packet loss, time 20\d\dms$/);
    expect(lines[7]).toMatch(/^rtt min\/avg\/max\/mdev = 0\.\d{3}\/0\.\d{3}\/0\.\d{3}\/0\.\d{3} ms$/);
  });

  it('shows the TTL decremented by each router across nodes', () => {
    const { sim } = twoNodes('vxlan');
    const r = runArgv(sim, a1, ['ping', '-c', '1', '10.244.2.3']);
    expect(r.stdout).toMatch(/64 bytes from 10\.244\.2\.3: icmp_seq=1 ttl=62 /);
  });

  it('reports a missing route like iputils', () => {
    const { b, sim } = vethPair();
    b.get('host/h1#net1').routes = b.get('host/h1#net1').routes.filter((r) => r.table !== 254);
    const r = runArgv(sim, net1, ['ping', '-c', '1', '20.1.1.2']);
    expect(r.stderr).toBe('ping: connect: Network is unreachable\n');
    expect(r.exitCode).toBe(2);
  });

  it('prints ICMP errors from routers: TTL exceeded and frag needed', () => {
    const ttl = runArgv(twoNodes('vxlan').sim, a1, ['ping', '-c', '1', '-t', '1', '10.244.2.3']);
    expect(ttl.stdout).toContain('From 10.244.1.1 icmp_seq=1 Time to live exceeded');
    expect(ttl.stdout).toContain('1 packets transmitted, 0 received, +1 errors, 100% packet loss');
    const mtu = runArgv(twoNodes('vxlan', { podMtu: 1500 }).sim, a1, ['ping', '-c', '1', '-M', 'do', '-s', '1472', '10.244.2.3']);
    expect(mtu.stdout).toContain('From 10.244.1.1 icmp_seq=1 Frag needed and DF set (mtu = 1450)');
  });

  it('refuses locally when the packet exceeds the device MTU with DF', () => {
    const r = runArgv(twoNodes('vxlan').sim, a1, ['ping', '-c', '2', '-M', 'do', '-s', '1500', '10.244.2.3']);
    expect(r.stderr).toBe('ping: local error: message too long, mtu=1450\nping: local error: message too long, mtu=1450\n');
    expect(r.stdout).toContain('2 packets transmitted, 0 received, +2 errors, 100% packet loss');
  });

  it('says Destination Host Unreachable when ARP gets no answer', () => {
    const r = runArgv(vethPair().sim, net1, ['ping', '-c', '1', '20.1.1.9']);
    expect(r.stdout).toContain('From 20.1.1.1 icmp_seq=1 Destination Host Unreachable');
    expect(r.exitCode).toBe(1);
  });
});

describe('curl', () => {
  it('gets the Pod name and the client address it saw', () => {
    const r = runArgv(twoNodes('vxlan').sim, a1, ['curl', '-s', 'http://10.244.2.3/']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^Hostname: b-2\nRemoteAddr: 10\.244\.1\.2:\d+\n$/);
  });

  it('prints the verbose exchange and -w fields', () => {
    const r = runArgv(twoNodes('host-gw').sim, a1, ['curl', '-v', '-o', '/dev/null', '-w', '%{http_code} %{remote_ip}\\n', 'http://10.244.2.2:80/x']);
    expect(r.stdout).toBe('200 10.244.2.2\n');
    expect(r.stderr).toContain('*   Trying 10.244.2.2:80...');
    expect(r.stderr).toContain('> GET /x HTTP/1.1');
    expect(r.stderr).toContain('< HTTP/1.1 200 OK');
  });

  it('fails with code 7 on a closed port and 6 on an unknown name', () => {
    const sim = twoNodes('vxlan').sim;
    const r = runArgv(sim, a1, ['curl', 'http://10.244.1.3:81/']);
    expect(r.exitCode).toBe(7);
    expect(r.stderr).toBe("curl: (7) Failed to connect to 10.244.1.3 port 81 after 0 ms: Couldn't connect to server\n");
    expect(runArgv(sim, a1, ['curl', 'http://nowhere/']).exitCode).toBe(6);
  });

  it('honours --resolve and the Host header', () => {
    const r = runArgv(twoNodes('vxlan').sim, a1, ['curl', '-s', '--resolve', 'web.example:80:10.244.1.3', 'http://web.example/']);
    expect(r.stdout).toContain('Hostname: b-1');
  });
});

describe('nc and traceroute', () => {
  it('nc -zv reports success and refusal like OpenBSD nc', () => {
    const sim = twoNodes('vxlan').sim;
    expect(runArgv(sim, a1, ['nc', '-zv', '10.244.2.3', '80']).stderr).toBe('Connection to 10.244.2.3 80 port [tcp/http] succeeded!\n');
    expect(runArgv(sim, a1, ['nc', '-zv', '10.244.2.3', '81']).stderr).toBe('nc: connect to 10.244.2.3 port 81 (tcp) failed: Connection refused\n');
  });

  it('traceroute lists each router and the destination', () => {
    const r = runLine(twoNodes('vxlan').sim, a1, 'traceroute 10.244.2.3');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('traceroute to 10.244.2.3 (10.244.2.3), 30 hops max, 60 byte packets');
    expect(lines[1]).toMatch(/^ 1  10\.244\.1\.1 \(10\.244\.1\.1\)  /);
    expect(lines[2]).toMatch(/^ 2  10\.244\.2\.0 \(10\.244\.2\.0\)  /);
    expect(lines[3]).toMatch(/^ 3  10\.244\.2\.3 \(10\.244\.2\.3\)  /);
    expect(lines).toHaveLength(5);
  });
});

describe('on a scenario with DNS and a Service', () => {
  const yaml = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: flannel, backend: vxlan}
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 192.168.1.12}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node-1
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  nodeName: node-2
  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;
  const client: Target = { kind: 'pod', namespace: 'default', name: 'client' };

  it('curl resolves the Service name through CoreDNS and reaches the Pod behind it (bundled -sS flags)', async () => {
    const { buildSim } = await import('../../../src/engine/index');
    const { sim } = buildSim(yaml);
    const r = runArgv(sim, client, ['curl', '-sS', 'http://web/']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Hostname: web\nRemoteAddr: 10\.244\.\d+\.\d+:\d+\n$/);
    const w = runArgv(sim, client, ['curl', '-so', '/dev/null', '-w', '%{http_code}', 'http://web.default.svc.cluster.local/']);
    expect(w.stdout).toBe('200');
  });

  it('unknown names fail like the real tools', async () => {
    const { buildSim } = await import('../../../src/engine/index');
    const { sim } = buildSim(yaml);
    expect(runArgv(sim, client, ['curl', 'http://nosuch/']).stderr).toBe('curl: (6) Could not resolve host: nosuch\n');
    expect(runArgv(sim, client, ['ping', '-c', '1', 'nosuch']).stderr).toBe('ping: nosuch: Name or service not known\n');
  });
});

describe('traceroute -I and ping -i', () => {
  it('traceroute -I uses ICMP echo and ends with the echo reply', () => {
    const r = runLine(twoNodes('host-gw').sim, a1, 'traceroute -I -q 1 10.244.2.3');
    const lines = r.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^ 1  10\.244\.1\.1 \(10\.244\.1\.1\)  \d+\.\d{3} ms$/);
    expect(lines[2]).toMatch(/^ 2  192\.168\.1\.12 \(192\.168\.1\.12\)/);
    expect(lines[3]).toMatch(/^ 3  10\.244\.2\.3 \(10\.244\.2\.3\)/);
    expect(lines).toHaveLength(4);
  });

  it('ping -i 0.2 spaces the probes 200 ms apart', () => {
    const r = runArgv(vethPair().sim, net1, ['ping', '-c', '3', '-i', '0.2', '20.1.1.2']);
    expect(r.stdout).toMatch(/3 packets transmitted, 3 received, 0% packet loss, time 400ms/);
  });
});
