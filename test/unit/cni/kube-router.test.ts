/**
 * kube-router as a plugin: what a learner sees on a node (routes proto 17, kube-bridge,
 * kube-dummy-if, IPVS without kube-proxy, its firewall chains, gobgp) and what `knp check` says
 * about settings that do not apply to it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Sim } from '../../../src/engine/sim';
import { walk } from '../../../src/engine/stack/walk';
import { tunnelName } from '../../../src/engine/cni/kube-router/plugin';

const SCENARIO = readFileSync(new URL('../../../content/scenarios/kube-router.yaml', import.meta.url), 'utf8');
const node1 = { kind: 'node', name: 'node-1' } as const;
const node2 = { kind: 'node', name: 'node-2' } as const;

function build(yaml = SCENARIO): Sim {
  const { sim, diagnostics } = buildSim(yaml, { seed: 1, file: 'kr.yaml' });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

const podIP = (sim: Sim, pred: (name: string, node: string) => boolean): string => sim.model.pods.find((p) => pred(p.meta.name, p.nodeName ?? ''))!.podIP!;

describe('kube-router datapath', () => {
  it('installs each peer\'s Pod subnet as gobgp does: via the peer, proto 17', () => {
    const sim = build();
    const out = runLine(sim, node1, 'ip route').stdout;
    expect(out).toContain('10.244.1.0/24 via 192.168.1.12 dev eth0 proto 17 \n');
    expect(out).toContain('10.244.0.0/24 dev kube-bridge proto kernel scope link src 10.244.0.1');
    expect(runLine(sim, node1, 'ip route show proto 17').stdout.trim().split('\n')).toHaveLength(1);
  });

  it('bgp backend: a peer in another subnet gets no route (the underlay router knows no Pod subnet)', () => {
    const sim = build(SCENARIO.replace('ip: 192.168.1.12', 'ip: 192.168.2.12'));
    expect(runLine(sim, node1, 'ip route show proto 17').stdout).toBe('');
    const t = walk(sim, { from: 'pod/default/client', to: podIP(sim, (n, node) => n.startsWith('my-nginx') && node === 'node-1'), protocol: 'icmp' });
    expect(t.verdict).not.toBe('delivered');
  });

  it('ipip backend: one tun-<sha256> tunnel per peer in another subnet, peers on the same subnet stay direct', () => {
    const yaml = SCENARIO.replace('backend: bgp', 'backend: ipip').replace('ip: 192.168.1.12', 'ip: 192.168.2.12');
    const sim = build(yaml);
    const name = tunnelName('192.168.2.12');
    expect(name).toMatch(/^tun-[0-9a-f]{11}$/);
    expect(runLine(sim, node1, `ip -d link show ${name}`).stdout).toContain('ipip any remote 192.168.2.12 local 192.168.1.11');
    expect(runLine(sim, node1, 'ip route show proto 17').stdout).toMatch(new RegExp(`^10\\.244\\.1\\.0/24 dev ${name} (proto 17 )?scope link src 192\\.168\\.1\\.11 \n$`));
  });
});

describe('kube-router service proxy', () => {
  it('replaces kube-proxy: no kube-proxy DaemonSet, no KUBE-SERVICES, IPVS on kube-dummy-if', () => {
    const sim = build();
    const ds = runLine(sim, node1, 'kubectl get ds -n kube-system').stdout;
    expect(ds).toContain('kube-router');
    expect(ds).not.toContain('kube-proxy');
    expect(runLine(sim, node1, 'iptables-save -t nat').stdout).not.toContain('KUBE-SERVICES');
    const vip = sim.model.services.find((s) => s.meta.name === 'my-nginx')!.clusterIP;
    expect(runLine(sim, node1, 'ip addr show kube-dummy-if').stdout).toContain(`inet ${vip}/32 scope link kube-dummy-if`);
    expect(runLine(sim, node1, 'ipvsadm -Ln').stdout).toContain(`TCP  ${vip}:80 rr`);
    expect(runLine(sim, node1, 'ipset list kube-router-svip-prt').stdout).toContain(`${vip},tcp:80`);
    expect(runLine(sim, node1, 'iptables -S INPUT').stdout).toContain('-m set --match-set kube-router-svip dst -j KUBE-ROUTER-SERVICES');
  });

  it('rejects traffic to a Service IP on a port no Service has (KUBE-ROUTER-SERVICES)', () => {
    const sim = build();
    const vip = sim.model.services.find((s) => s.meta.name === 'my-nginx')!.clusterIP;
    const t = walk(sim, { from: 'pod/default/client', to: `http://${vip}:8080/` });
    expect(t.verdict).not.toBe('delivered');
    expect(t.events.some((e) => e.type === 'netfilter' && /KUBE-ROUTER-SERVICES/.test(e.summary) && /REJECT/.test(e.summary))).toBe(true);
  });
});

describe('kube-router firewall', () => {
  it('lets app=client reach nginx on 80 and rejects a Pod the policy does not name', () => {
    const yaml = `${SCENARIO}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: stranger, labels: {app: stranger}}\nspec:\n  nodeName: node-2\n  containers: [{name: c, image: busybox}]\n`;
    const sim = build(yaml);
    const nginx = podIP(sim, (n, node) => n.startsWith('my-nginx') && node === 'node-1');
    expect(walk(sim, { from: 'pod/default/client', to: `http://${nginx}/` }).verdict).toBe('delivered');
    const denied = walk(sim, { from: 'pod/default/stranger', to: `http://${nginx}/` });
    expect(denied.verdict).not.toBe('delivered');
    expect(denied.events.some((e) => e.type === 'netfilter' && /KUBE-POD-FW-/.test(e.summary) && /REJECT/.test(e.summary))).toBe(true);
    const rules = runLine(sim, node1, 'iptables-save -t filter').stdout;
    expect(rules).toMatch(/-A KUBE-ROUTER-FORWARD -d [\d.]+\/32 .*-j KUBE-POD-FW-[A-Z2-7]{16}/);
    expect(rules).toMatch(/-A KUBE-NWPLCY-[A-Z2-7]{16} .*-m set --match-set KUBE-SRC-[A-Z2-7]{16} src .*--dport 80 -j MARK --set-xmark 0x10000\/0x10000/);
  });
});

describe('kube-router firewall behind its IPVS proxy, one node', () => {
  // Client, Service backend and the Pod the policy shuts out all on node-1: IPVS takes the
  // packet at LOCAL_IN, DNATs it and sends it out through LOCAL_OUT, so OUTPUT's
  // KUBE-ROUTER-OUTPUT -d POD -j KUBE-POD-FW-… is the only chain that sees it (it is routed,
  // not forwarded: FORWARD never does).
  const solo = `${SCENARIO}
---
apiVersion: v1
kind: Pod
metadata: {name: solo, labels: {app: solo}}
spec:
  nodeName: node-1
  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: solo}
spec:
  selector: {app: solo}
  ports: [{port: 80, targetPort: 80, protocol: TCP}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: solo-from-client}
spec:
  podSelector: {matchLabels: {app: solo}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: client}}}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: stranger, labels: {app: stranger}}
spec:
  nodeName: node-1
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: friend, labels: {app: client}}
spec:
  nodeName: node-1
  containers: [{name: c, image: busybox}]
`;

  it('a Pod the policy does not name is rejected in OUTPUT when it comes by the ClusterIP', () => {
    const sim = build(solo);
    const vip = sim.model.services.find((s) => s.meta.name === 'solo')!.clusterIP;
    const denied = walk(sim, { from: 'pod/default/stranger', to: `http://${vip}/` });
    expect(denied.events.some((e) => e.type === 'ipvs')).toBe(true);
    expect(denied.verdict).not.toBe('delivered');
    const reject = denied.events.find((e) => e.type === 'netfilter' && /KUBE-POD-FW-/.test(e.summary) && /REJECT/.test(e.summary));
    expect((reject?.detail as { hook?: string } | undefined)?.hook).toBe('OUTPUT');
  });

  it('the Pod it names still gets through, once, with OUTPUT seen after IPVS', () => {
    const sim = build(solo);
    const vip = sim.model.services.find((s) => s.meta.name === 'solo')!.clusterIP;
    const ok = walk(sim, { from: 'pod/default/friend', to: `http://${vip}/` });
    expect(ok.verdict).toBe('delivered');
    expect(ok.responder).toBe('pod/default/solo');
    const ipvsAt = ok.events.findIndex((e) => e.type === 'ipvs');
    expect(ipvsAt).toBeGreaterThan(0);
    expect(ok.events.slice(ipvsAt).some((e) => e.type === 'netfilter' && /KUBE-ROUTER-OUTPUT/.test(e.summary))).toBe(true);
    // The connection keeps its one conntrack entry: OUTPUT does not start a second one for the DNATed packet.
    expect(runLine(sim, node1, 'conntrack -L').stdout.split('\n').filter((l) => l.includes(`dst=${vip}`))).toHaveLength(1);
  });
});

describe('gobgp', () => {
  it('shows the iBGP full mesh and the RIB', () => {
    const sim = build();
    const n = runLine(sim, node1, 'gobgp neighbor');
    expect(n.exitCode).toBe(0);
    expect(n.stdout).toMatch(/^Peer\s+AS\s+Up\/Down\s+State/);
    expect(n.stdout).toMatch(/192\.168\.1\.12\s+64512\s+\d\d:\d\d:\d\d\s+Establ/);
    const rib = runLine(sim, node2, 'gobgp global rib').stdout;
    expect(rib).toMatch(/\*> 10\.244\.0\.0\/24\s+192\.168\.1\.11/);
    expect(rib).toMatch(/\*> 10\.244\.1\.0\/24\s+0\.0\.0\.0/);
    expect(runLine(sim, node1, 'gobgp bogus').exitCode).toBe(1);
  });

  it('is not there on a flannel node', () => {
    const { sim } = buildSim(SCENARIO.replace('plugin: kube-router, backend: bgp', 'plugin: flannel'), { seed: 1 });
    expect(runLine(sim, node1, 'gobgp neighbor')).toMatchObject({ exitCode: 127, stderr: 'bash: gobgp: command not found\n' });
  });

  it('writes its conflist with the kube-bridge', () => {
    const sim = build();
    const c = runLine(sim, node1, 'cat /etc/cni/net.d/10-kuberouter.conflist');
    expect(c.exitCode).toBe(0);
    expect(c.stdout).toContain('"bridge": "kube-bridge"');
  });
});

describe('knp check on kube-router', () => {
  const at = (yaml: string) => buildSim(yaml, { file: 'c.yaml' }).diagnostics.map((d) => `${d.line}:${d.col} ${d.severity} ${d.code}`);

  it('a backend kube-router lacks is an error on that field', () => {
    expect(at(SCENARIO.replace('backend: bgp', 'backend: vxlan'))).toContain('12:43 error invalid-backend');
  });

  it('a kube-proxy mode is a warning: kube-router runs without kube-proxy', () => {
    const yaml = SCENARIO.replace('  nodes:\n', '  kubeProxy: {mode: ipvs}\n  nodes:\n');
    const d = buildSim(yaml, { file: 'c.yaml' }).diagnostics.find((x) => x.code === 'kube-proxy-replaced')!;
    expect(d).toMatchObject({ severity: 'warning', line: 13, col: 21 });
    expect(d.hint).toContain('remove spec.kubeProxy');
    expect(at(SCENARIO)).not.toContain(expect.stringContaining('kube-proxy-replaced'));
  });
});
