/**
 * End to end from scenario YAML: buildSim loads every node's rules, and `iptables-save` on a node
 * shows the chains any kubeadm cluster has (the same names, since they hash the same names).
 */
import { describe, expect, it } from 'vitest';
import { buildSim, runArgv } from '../../../src/engine/index';

const yaml = (mode: string) => `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  kubeProxy: {mode: ${mode}}
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 192.168.1.12}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: nginx, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80}]
`;

describe('rules from a scenario', () => {
  it('iptables mode: the well-known chains of kubernetes and kube-dns', () => {
    const { sim } = buildSim(yaml('iptables'));
    const out = runArgv(sim, { kind: 'node', name: 'node-2' }, ['iptables-save', '-t', 'nat']).stdout;
    for (const chain of ['KUBE-SVC-NPX46M4PTMTKRN6Y', 'KUBE-SVC-TCOU7JCQXEZGVUNU', 'KUBE-SVC-ERIFXISQEP7F7OF4', 'KUBE-SVC-JD5MR3NA4I4DYORP']) {
      expect(out).toContain(`:${chain} - [0:0]`);
    }
    expect(out).toContain('-A KUBE-NODEPORTS -p tcp -m comment --comment "default/web" -m tcp --dport');
    expect(out).toContain('-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG');
  });

  it('IPVS mode: virtual servers and kube-ipvs0 on every node', () => {
    const { sim } = buildSim(yaml('ipvs'));
    for (const node of ['node-1', 'node-2']) {
      expect(runArgv(sim, { kind: 'node', name: node }, ['ipvsadm', '-Ln']).stdout).toContain('TCP  10.96.0.1:443 rr\n');
      expect(runArgv(sim, { kind: 'node', name: node }, ['ip', 'addr', 'show', 'kube-ipvs0']).stdout).toContain('inet 10.96.0.10/32 scope global kube-ipvs0');
    }
    expect(runArgv(sim, { kind: 'node', name: 'node-1' }, ['iptables-save', '-t', 'nat']).stdout).toContain('--match-set KUBE-CLUSTER-IP dst,dst');
  });

  it('userspace mode: kube-proxy relays from the node, round-robin across connections', () => {
    const { sim } = buildSim(yaml('userspace'));
    const pod = sim.model.pods.find((p) => p.meta.name.startsWith('web-'))!;
    const svc = sim.model.services.find((s) => s.meta.name === 'web')!;
    const from = { kind: 'pod' as const, namespace: 'default', name: pod.meta.name };
    const answers = [1, 2, 3, 4].map(() => runArgv(sim, from, ['curl', '-s', `http://${svc.clusterIP}/`]).stdout);
    const hosts = answers.map((a) => /Hostname: (\S+)/.exec(a)?.[1]);
    expect(new Set(hosts).size).toBe(2);
    expect(hosts[0]).toBe(hosts[2]);
    // The backend sees the node, not the Pod, as the client.
    for (const a of answers) expect(a).not.toContain(`RemoteAddr: ${pod.podIP}:`);
  });

  it('the same seed gives the same rules', () => {
    const a = runArgv(buildSim(yaml('userspace'), { seed: 5 }).sim, { kind: 'node', name: 'node-1' }, ['iptables-save']).stdout;
    const b = runArgv(buildSim(yaml('userspace'), { seed: 5 }).sim, { kind: 'node', name: 'node-1' }, ['iptables-save']).stdout;
    expect(a).toBe(b);
    expect(a).toContain('-j REDIRECT --to-ports');
  });
});
