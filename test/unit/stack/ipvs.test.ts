import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runArgv } from '../../../src/engine/shell/run';
import { walk } from '../../../src/engine/stack/walk';
import { detailRecord } from '../../../src/engine/trace/types';

const yaml = (mode: string, replicas = 1): string => `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: flannel, backend: vxlan}
  kubeProxy: {mode: ${mode}}
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
${Array.from({ length: replicas }, (_, i) => `---
apiVersion: v1
kind: Pod
metadata: {name: web-${i}, labels: {app: web}}
spec:
  nodeName: node-2
  containers: [{name: web, image: nginxinc/nginx-unprivileged, ports: [{containerPort: 8080}]}]
`).join('')}---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
`;

describe('IPVS mode in the walk', () => {
  it('a ClusterIP is a local address; ip_vs_in DNATs to a real server and replies come back from the VIP', () => {
    const { sim } = buildSim(yaml('ipvs'));
    const vip = sim.model.services.find((s) => s.meta.name === 'web')!.clusterIP!;
    const t = walk(sim, { from: 'pod/default/client', to: `http://${vip}/` });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('pod/default/web-0');
    const ipvs = t.events.filter((e) => e.type === 'ipvs');
    expect(ipvs[0]!.summary).toMatch(new RegExp(`^IPVS TCP\\|${vip.replace(/\./g, '\\.')}\\|80 \\(rr, scheduled\\): ${vip.replace(/\./g, '\\.')}:80 -> 10\\.244\\.\\d+\\.\\d+:8080 Masq`));
    expect(ipvs.some((e) => detailRecord(e)['unNat'] === true)).toBe(true);
    // The client saw the answer come from the VIP: its socket received it.
    expect(t.events.some((e) => e.type === 'deliver' && detailRecord(e)['client'] === true && e.packet?.ip?.src === vip)).toBe(true);
  });

  it('round robin spreads new connections over the real servers; ipvsadm counts them', () => {
    const { sim } = buildSim(yaml('ipvs', 2));
    const vip = sim.model.services.find((s) => s.meta.name === 'web')!.clusterIP!;
    const who = [0, 1, 2, 3].map(() => walk(sim, { from: 'pod/default/client', to: `http://${vip}/` }).responder);
    expect(new Set(who)).toEqual(new Set(['pod/default/web-0', 'pod/default/web-1']));
    expect(who[0]).not.toBe(who[1]);
    const out = runArgv(sim, { kind: 'node', name: 'node-1' }, ['ipvsadm', '-Ln', '--stats']);
    if (out.exitCode === 0) expect(out.stdout).toContain(`${vip}:80`);
  });

  it('count: several connections in one trace, each with its own legs', () => {
    const { sim } = buildSim(yaml('ipvs', 2));
    const vip = sim.model.services.find((s) => s.meta.name === 'web')!.clusterIP!;
    const t = walk(sim, { from: 'pod/default/client', to: `http://${vip}/`, count: 3 });
    expect(t.verdict).toBe('delivered');
    const flows = new Set(t.events.map((e) => e.flow));
    expect(flows.has('syn')).toBe(true);
    expect(flows.has('syn#2')).toBe(true);
    expect(flows.has('response#3')).toBe(true);
    const dests = t.events.filter((e) => e.type === 'ipvs' && detailRecord(e)['reason'] === 'scheduled').map((e) => detailRecord(e)['dest']);
    expect(dests).toHaveLength(3);
    expect(dests[0]).not.toBe(dests[1]);
  });
});

const nodePortYaml = (mode: string): string => `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: flannel, backend: vxlan}
  kubeProxy: {mode: ${mode}}
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 192.168.1.12}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node-2
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Pod
metadata: {name: web-0, labels: {app: web}}
spec:
  nodeName: node-2
  containers: [{name: web, image: nginxinc/nginx-unprivileged, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
`;

describe('IPVS mode: NodePort through a node without the endpoint', () => {
  const remote = (mode: string): { addr: string | undefined; stdout: string } => {
    const { sim } = buildSim(nodePortYaml(mode));
    const out = runArgv(sim, { kind: 'pod', namespace: 'default', name: 'client' }, ['curl', '-s', 'http://192.168.1.11:30080/']);
    return { addr: /RemoteAddr: ([\d.]+):/.exec(out.stdout)?.[1], stdout: out.stdout };
  };

  it('is masqueraded by KUBE-POSTROUTING as in iptables mode: the backend sees node-1, not the client', () => {
    const { sim } = buildSim(nodePortYaml('ipvs'));
    const client = sim.model.pods.find((p) => p.meta.name === 'client')!;
    const ipvs = remote('ipvs');
    const iptables = remote('iptables');
    expect(ipvs.stdout).toContain('Hostname: web-0');
    expect(ipvs.addr).toBeDefined();
    expect(ipvs.addr).not.toBe(client.podIP);
    expect(ipvs.addr).toBe(iptables.addr);
    const t = walk(sim, { from: 'pod/default/client', to: 'http://192.168.1.11:30080/' });
    expect(t.verdict).toBe('delivered');
    const ipvsAt = t.events.findIndex((e) => e.type === 'ipvs' && detailRecord(e)['reason'] === 'scheduled');
    const masq = t.events.findIndex((e) => e.type === 'nat' && detailRecord(e)['kind'] === 'SNAT' && e.where.ns === 'node/node-1');
    expect(ipvsAt).toBeGreaterThan(-1);
    expect(masq).toBeGreaterThan(ipvsAt);
    // The backend's socket saw the masqueraded source.
    expect(t.events.some((e) => e.type === 'deliver' && e.where.ns === 'pod/default/web-0' && e.summary.includes(`from ${ipvs.addr}:`))).toBe(true);
  });
});
