/**
 * The everyday tools, one block each: flags, output format, errors. The default playground:
 * flannel VXLAN over node-1 and node-2, an nginx Deployment behind my-nginx, a client Pod.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runLine } from '../../../src/engine/shell/run';
import type { Target } from '../../../src/engine/shell/types';
import { client, DEFAULT_YAML, node1, node2, sim } from './helpers';

const s = sim();
const run = (line: string, t: Target = client) => runLine(s, t, line);

describe('/etc/hosts before DNS', () => {
  const aliased = sim(`${DEFAULT_YAML}
---
apiVersion: v1
kind: Pod
metadata: {name: aliased}
spec:
  hostAliases: [{ip: 10.244.0.3, hostnames: [web.local, www.web.local]}]
  containers: [{name: c, image: busybox, command: [sleep, infinity]}]
`);
  const a: Target = { kind: 'pod', namespace: 'default', name: 'aliased' };
  it('hostAliases, the Pod\'s own name and localhost resolve from the file; getent prints the line', () => {
    expect(runLine(aliased, a, 'getent hosts www.web.local').stdout).toBe('10.244.0.3      web.local www.web.local\n');
    expect(runLine(aliased, a, 'getent hosts aliased').stdout).toMatch(/^10\.244\.\d+\.\d+ +aliased\n$/);
    expect(runLine(aliased, a, 'ping -c 1 web.local').stdout).toMatch(/^PING web\.local \(10\.244\.0\.3\)/);
    expect(runLine(aliased, a, 'wget -qO- web.local').exitCode).toBe(0);
    expect(runLine(aliased, a, 'curl localhost:81').stderr).toMatch(/^curl: \(7\) Failed to connect to localhost port 81/);
  });
  it('names not in the file go to DNS: getent prints the canonical name; unknown names exit 2 silently', () => {
    expect(run('getent hosts my-nginx').stdout).toMatch(/^10\.\d+\.\d+\.\d+ +my-nginx\.default\.svc\.cluster\.local\n$/);
    expect(run('getent hosts nope')).toMatchObject({ stdout: '', exitCode: 2 });
    expect(run('getent passwdx x').stderr).toMatch(/^Unknown database: passwdx/);
  });
});

describe('wget (busybox)', () => {
  it('-qO- prints the body only; -O- adds busybox\'s progress on stderr', () => {
    const q = run('wget -qO- my-nginx');
    expect(q.stderr).toBe('');
    expect(q.stdout).toMatch(/^Hostname: my-nginx-/);
    const v = run('wget -O- http://my-nginx/');
    expect(v.stderr).toMatch(/^Connecting to my-nginx \(10\.\d+\.\d+\.\d+:80\)\nwriting to stdout\n- +100% \|\*+\| +\d+  0:00:00 ETA\nwritten to stdout\n$/);
  });
  it('--spider says the file exists; -S prints the response headers indented', () => {
    expect(run('wget --spider my-nginx').stderr).toMatch(/remote file exists\n$/);
    expect(run('wget -q -S --spider my-nginx').stderr).toMatch(/^ {2}HTTP\/1\.1 200 OK\n {2}Content-Type: /);
  });
  it('errors: bad address, refused or unreachable, bad option, no URL', () => {
    expect(run('wget -q nosuchname')).toMatchObject({ stderr: "wget: bad address 'nosuchname'\n", exitCode: 1 });
    expect(run('wget -qT 2 10.244.1.3:81').stderr).toMatch(/^wget: can't connect to remote host \(10\.244\.1\.3\): Connection refused\n$/);
    expect(run('wget -z x').stderr).toMatch(/^wget: invalid option -- 'z'\nBusyBox/);
    expect(run('wget').exitCode).toBe(1);
  });
});

describe('ss, ps, ls, nsenter', () => {
  it('ss -tlnp lists listening TCP sockets with their process; -uan and -s', () => {
    const r = run('ss -tlnp', node2);
    expect(r.stdout.split('\n')[0]).toBe('State  Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess');
    expect(r.stdout).toMatch(/LISTEN 0 +4096 +0\.0\.0\.0:10250 +0\.0\.0\.0:\* +users:\(\("kubelet",pid=\d+,fd=\d+\)\)/);
    expect(run('ss -s', node2).stdout).toMatch(/^Total: \d+\nTCP: +\d+ \(estab 0/);
    expect(run('ss -x', node2)).toMatchObject({ exitCode: 255 });
  });
  it('ps aux on a node shows init, kubelet, each Pod\'s pause and its container; in a Pod busybox\'s ps', () => {
    const r = run('ps aux', node2).stdout;
    expect(r.split('\n')[0]).toBe('USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND');
    expect(r).toMatch(/^root {11}1 .* \/sbin\/init$/m);
    expect(r).toMatch(/^65535 .* \/pause$/m);
    expect(r).toMatch(/nginx: master process nginx -g daemon off;$/m);
    expect(run('ps -ef', node2).stdout.split('\n')[0]).toBe('UID          PID    PPID  C STIME TTY          TIME CMD');
    expect(run('ps').stdout).toBe('PID   USER     TIME  COMMAND\n    1 root      0:00 sleep infinity\n    7 root      0:00 ps\n');
  });
  it('nsenter -t PID -n runs a command in that process\'s network namespace; ss and ps agree on the PID', () => {
    const pid = run("ps aux | grep 'nginx: master' | awk '{print $2}'", node2).stdout.trim();
    expect(pid).toMatch(/^\d+$/);
    expect(run(`nsenter -t ${pid} -n ip -br addr show eth0`, node2).stdout).toMatch(/^eth0@if\d+ +UP +10\.244\.1\.\d+\/24/);
    expect(run('nsenter -t 99999 -n ip a', node2)).toMatchObject({ stderr: 'nsenter: cannot open /proc/99999/ns/net: No such file or directory\n', exitCode: 1 });
    expect(run(`ls -l /proc/${pid}/ns/net`, node2).stdout).toMatch(new RegExp(`^lrwxrwxrwx 1 root root 0 Nov 30 08:05 /proc/${pid}/ns/net -> 'net:\\[\\d+\\]'\\n$`));
    expect(run('readlink /proc/1/ns/net', node2).stdout).toBe('net:[4026531840]\n');
  });
  it('ls of the seeds\' places: /var/run/netns (cni-… names), /etc/cni/net.d, /run/flannel; missing paths', () => {
    expect(run('ls /var/run/netns', node2).stdout).toMatch(/^cni-[0-9a-f-]{36}( {2}cni-[0-9a-f-]{36})*\n$/);
    expect(run('ls /etc/cni/net.d', node1).stdout).toBe('10-flannel.conflist\n');
    expect(JSON.parse(run('cat /etc/cni/net.d/10-flannel.conflist', node1).stdout).plugins[0].type).toBe('flannel');
    expect(run('ls /run/flannel', node1).stdout).toBe('subnet.env\n');
    expect(run('ls /nope', node1)).toMatchObject({ stderr: "ls: cannot access '/nope': No such file or directory\n", exitCode: 2 });
  });
});

describe('conntrack -E', () => {
  it('prints NEW then UPDATEs through the TCP states for traffic sent while it runs', () => {
    const r = run('conntrack -E -p tcp & kubectl exec client -- curl -s my-nginx >/dev/null; wait', node2);
    const lines = r.stdout.split('\n').filter((l) => l.includes('tcp'));
    expect(lines[0]).toMatch(/^ {4}\[NEW\] tcp {6}6 120 SYN_SENT src=10\.244\.1\.\d+ dst=10\.\d+\.\d+\.\d+ sport=\d+ dport=80 \[UNREPLIED\] src=/);
    expect(lines.some((l) => /^ \[UPDATE\] tcp {6}6 432000 ESTABLISHED .* \[ASSURED\]$/.test(l))).toBe(true);
    expect(r.stderr).toMatch(/conntrack v1\.4\.7 \(conntrack-tools\): \d+ flow events have been shown\.\n$/);
    expect(run('conntrack -E -p nope &', node2).stderr).toMatch(/proto `nope' not found/);
  });
});

describe('dig and traceroute details', () => {
  it('dig SRV NAME takes the type first; WHEN: is the simulation\'s date, not 1970', () => {
    const r = run('dig SRV _http._tcp.my-nginx.default.svc.cluster.local').stdout;
    expect(r).toMatch(/;_http\._tcp\.my-nginx\.default\.svc\.cluster\.local\.\s+IN\s+SRV/);
    expect(r).toMatch(/;; WHEN: Mon Nov 30 08:05:00 UTC 2026\n/);
  });
  it('traceroute -n prints addresses only', () => {
    const r = run('traceroute -n 10.244.0.3').stdout.split('\n');
    expect(r[1]).toMatch(/^ 1 {2}10\.244\.1\.1 {2}[\d.]+ ms/);
    expect(run('traceroute 10.244.0.3').stdout.split('\n')[1]).toMatch(/^ 1 {2}10\.244\.1\.1 \(10\.244\.1\.1\) {2}/);
  });
});

describe('crictl on a node', () => {
  it('pods and ps as tables; inspect and inspectp give the PID and the netns path', () => {
    expect(run('crictl pods', node2).stdout.split('\n')[0]).toMatch(/^POD ID {14}CREATED {13}STATE {15}NAME +NAMESPACE +ATTEMPT +RUNTIME$/);
    expect(run('crictl ps', node2).stdout).toMatch(/\n[0-9a-f]{13} +nginx +5 minutes ago +Running +my-nginx +0 +[0-9a-f]{13} +my-nginx-/);
    const pid = run("crictl inspect -o go-template --template '{{.info.pid}}' $(crictl ps --name my-nginx -q)", node2).stdout.trim();
    expect(run("ps aux | grep 'nginx: master' | awk '{print $2}'", node2).stdout.trim()).toBe(pid);
    const p = JSON.parse(run('crictl inspectp $(crictl pods --name client -q)', node2).stdout);
    expect(p.info.runtimeSpec.linux.namespaces.find((n: { type: string }) => n.type === 'network').path).toMatch(/^\/var\/run\/netns\/cni-/);
    expect(run('crictl inspect nope', node2).exitCode).toBe(1);
    expect(run('crictl ps').exitCode).toBe(1);
  });
});

describe('docker on a host', () => {
  const d = sim(readFileSync(new URL('./fixtures/docker.yaml', import.meta.url), 'utf8'));
  const box: Target = { kind: 'host', name: 'box' };
  const dr = (line: string) => runLine(d, box, line);
  it('ps shows containers with published ports; inspect -f reads the PID and the address', () => {
    const ps = dr('docker ps').stdout.split('\n');
    expect(ps[0]).toBe('CONTAINER ID   IMAGE     COMMAND                  CREATED         STATUS         PORTS                  NAMES');
    expect(ps[1]).toMatch(/^[0-9a-f]{12} {3}nginx {5}"nginx: master proce…" {3}5 minutes ago {3}Up 5 minutes {3}0\.0\.0\.0:8080->80\/tcp {3}web$/);
    expect(dr("docker inspect -f '{{.NetworkSettings.IPAddress}}' web").stdout).toBe('172.17.0.2\n');
    const pid = dr("docker inspect -f '{{.State.Pid}}' web").stdout.trim();
    expect(dr(`nsenter -t ${pid} -n ip -br addr show eth0`).stdout).toMatch(/172\.17\.0\.2\/16/);
    expect(dr('docker inspect nope')).toMatchObject({ stderr: 'Error: No such object: nope\n', exitCode: 1 });
  });
  it('container:NAME shares the namespace; host uses the host\'s; exec runs there', () => {
    expect(dr('docker exec side ip -br addr show eth0').stdout).toMatch(/172\.17\.0\.2\/16/);
    expect(dr('docker exec hostnet ip -br addr show docker0').stdout).toMatch(/^docker0 +UP +172\.17\.0\.1\/16/);
  });
  it('network ls/inspect; run -d builds a new container on docker0; bad network and name clash fail like dockerd', () => {
    expect(dr('docker network ls').stdout).toMatch(/^NETWORK ID {5}NAME {5}DRIVER {3}SCOPE\n[0-9a-f]{12} {3}bridge {3}bridge {3}local\n/);
    expect(JSON.parse(dr('docker network inspect bridge').stdout)[0].IPAM.Config[0].Subnet).toBe('172.17.0.0/16');
    const r = dr('docker run -d --name web2 nginx');
    expect(r.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(dr('docker exec web2 ip -br addr show eth0').stdout).toMatch(/172\.17\.0\.3\/16/);
    expect(dr('brctl show docker0').stdout.split('\n').filter((l) => /veth/.test(l)).length).toBe(2);
    expect(dr('docker run -d --name web2 nginx').exitCode).toBe(125);
    expect(dr('docker run -d --network=nope busybox').stderr).toBe('docker: Error response from daemon: network nope not found.\n');
    expect(runLine(d, { kind: 'host', name: 'box' }, 'docker rm -f web2').exitCode).toBe(0);
    expect(dr('docker ps -q').stdout.split('\n').filter(Boolean).length).toBe(3);
  });
});

describe('brctl', () => {
  it('addbr, addif, show, showmacs, delif, delbr and their errors', () => {
    const b = sim();
    const r = (l: string) => runLine(b, node1, l);
    expect(r('brctl addbr br0').exitCode).toBe(0);
    expect(r('brctl addbr br0').stderr).toBe("device br0 already exists; can't create bridge with the same name\n");
    r('ip link add d0 type dummy');
    expect(r('brctl addif br0 d0').exitCode).toBe(0);
    expect(r('brctl show br0').stdout).toMatch(/^bridge name\tbridge id\t\tSTP enabled\tinterfaces\nbr0\t\t8000\.[0-9a-f]{12}\tno\t\td0\n$/);
    expect(r('brctl showmacs cni0').stdout.split('\n')[0]).toBe('port no\tmac addr\t\tis local?\tageing timer');
    expect(r('brctl delif br0 d0').exitCode).toBe(0);
    expect(r('brctl delif br0 d0').stderr).toBe('device d0 is not a slave of br0\n');
    expect(r('brctl addif nobr d0').stderr).toBe('bridge nobr does not exist!\n');
    expect(r('brctl delbr br0').exitCode).toBe(0);
    expect(r('brctl frob').stderr).toBe('never heard of command [frob]\n');
  });
});

describe('calicoctl and birdcl', () => {
  const c = sim(readFileSync(new URL('./fixtures/calico.yaml', import.meta.url), 'utf8'));
  const r = (l: string) => runLine(c, node1, l);
  it('get nodes, ippool -o wide (IPIP Always), workloadendpoints with cali devices, node status, birdcl', () => {
    expect(r('calicoctl get nodes').stdout).toBe('NAME     \nnode-1   \nnode-2   \n');
    expect(r('calicoctl get ippool -o wide').stdout).toMatch(/^NAME +CIDR +NAT +IPIPMODE +VXLANMODE +DISABLED +DISABLEBGPEXPORT +SELECTOR +\ndefault-ipv4-ippool +10\.244\.0\.0\/16 +true +Always +Never +false +false +all\(\) +\n$/);
    expect(r('calicoctl get workloadendpoints').stdout).toMatch(/\nclient +node-2 +10\.244\.1\.\d+\/32 +cali[0-9a-f]{11} +\n/);
    expect(r('calicoctl node status').stdout).toMatch(/\| 192\.168\.1\.12 \| node-to-node mesh \| up +\| 08:00:12 \| Established \|/);
    expect(r('birdcl show protocols').stdout).toMatch(/^BIRD v0\.3\.3\+birdv1\.6\.8 ready\.\nname +proto +table +state +since +info *\n[\s\S]*Mesh_192_168_1_12 BGP +master up +08:00:12 Established/);
    // A flannel node has no calicoctl: bash says so.
    expect(runLine(s, node1, 'calicoctl get nodes')).toMatchObject({ exitCode: 127, stderr: 'bash: calicoctl: command not found\n' });
  });
});

describe('tcpdump flags and errors', () => {
  it('filters: host NAME resolves, and/or/not, src/dst port; -c stops the job; bad filters and devices fail like tcpdump', () => {
    const t = sim();
    const r = runLine(t, client, 'tcpdump -n -i eth0 host my-nginx and not arp & curl -s my-nginx >/dev/null; wait');
    const lines = r.stdout.split('\n').filter((l) => / IP /.test(l));
    expect(lines.length).toBe(8);
    expect(lines.every((l) => /10\.\d+\.\d+\.\d+\.80[ :]/.test(l))).toBe(true);
    const dns = runLine(t, client, 'tcpdump -n udp and dst port 53 or icmp & nslookup my-nginx >/dev/null; wait').stdout;
    expect(dns).toMatch(/ IP 10\.244\.1\.\d+\.\d+ > 10\.96\.0\.10\.53: \d+\+ A\? my-nginx\.default\.svc\.cluster\.local\. \(\d+\)\n/);
    expect(dns).not.toMatch(/10\.96\.0\.10\.53 >/);
    expect(runLine(t, client, 'tcpdump -i nope &').stderr).toBe('tcpdump: nope: No such device exists\n(SIOCGIFHWADDR: No such device)\n');
    expect(runLine(t, client, 'tcpdump port x &').stderr).toBe("tcpdump: unknown port 'x'\n");
    expect(runLine(t, client, 'tcpdump tcp and and &').stderr).toBe('tcpdump: syntax error\n');
    expect(runLine(t, client, 'tcpdump -Z root -k')).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/^tcpdump: invalid option -- 'k'\n/) });
    expect(runLine(t, client, 'tcpdump -r /nope.pcap').stderr).toBe('tcpdump: /nope.pcap: No such file or directory\n');
  });
  it('without -n, well-known ports print as service names', () => {
    const t = sim();
    const r = runLine(t, client, 'tcpdump -i eth0 tcp & curl -s my-nginx >/dev/null; wait').stdout;
    expect(r).toMatch(/ IP 10\.244\.1\.\d+\.\d+ > 10\.\d+\.\d+\.\d+\.http: Flags \[S\]/);
  });
});

describe('ip netns identify PID', () => {
  it('names the cni-… namespace of a Pod\'s process; an unknown PID fails', () => {
    const pid = run("crictl inspect -o go-template --template '{{.info.pid}}' $(crictl ps --name my-nginx -q)", node2).stdout.trim();
    const name = run(`ip netns identify ${pid}`, node2).stdout;
    expect(name).toMatch(/^cni-[0-9a-f-]{36}\n$/);
    expect(run('ls /var/run/netns', node2).stdout).toContain(name.trim());
    expect(run('ip netns identify 99999', node2).exitCode).toBe(1);
  });
});

describe('tcpdump on loopback', () => {
  it('sees each packet once, as libpcap does on lo', () => {
    const r = runLine(sim(), node2, 'tcpdump -i lo -n & curl -s localhost:10249/proxyMode >/dev/null; wait');
    const lines = r.stdout.split('\n').filter((l) => / IP 127\.0\.0\.1/.test(l));
    expect(lines.length).toBe(8);
    expect(lines[0]).toMatch(/ > 127\.0\.0\.1\.10249: Flags \[S\], seq \d+, win \d+, length 0$/);
  });
});
