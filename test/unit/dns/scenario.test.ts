/** DNS from scenario YAML through the control plane (reconcile) to the terminal tools. */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Target } from '../../../src/engine/shell/types';

const YAML = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  dns: {upstream: resolver}
  externalHosts:
  - {name: resolver, ip: 203.0.113.53, ports: ["53/udp"], role: dns}
  - {name: example.com, ip: 93.184.216.34, ports: [80]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80, targetPort: http}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox}]}
`;

describe('DNS on a reconciled scenario', () => {
  const { sim } = buildSim(YAML);
  const client: Target = { kind: 'pod', namespace: 'default', name: 'client' };
  const run = (l: string) => runLine(sim, client, l);
  const webIp = sim.model.services.find((s) => s.meta.name === 'web')?.clusterIP;
  const dnsIp = sim.model.services.find((s) => s.meta.name === 'kube-dns')?.clusterIP;

  it('resolv.conf names the kube-dns clusterIP the control plane allocated', () => {
    expect(run('cat /etc/resolv.conf').stdout).toBe(`search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver ${dnsIp}\noptions ndots:5\n`);
  });

  it('a Service name resolves through the search list', () => {
    expect(run('host web').stdout).toBe(`web.default.svc.cluster.local has address ${webIp}\n`);
  });

  it('StatefulSet Pods have names under their governing headless Service', () => {
    const db0 = sim.model.pods.find((p) => p.meta.name === 'db-0')!;
    expect(run('dig +short db-0.db.default.svc.cluster.local').stdout).toBe(`${db0.podIP}\n`);
    expect(run('dig +short db.default.svc.cluster.local').stdout.trim().split('\n').sort()).toEqual(sim.model.pods.filter((p) => p.meta.name.startsWith('db-')).map((p) => p.podIP).sort());
  });

  it('outside names go to the declared upstream resolver', () => {
    expect(run('dig +short example.com').stdout).toBe('93.184.216.34\n');
    expect(runLine(sim, { kind: 'node', name: sim.model.nodes[0]!.name }, 'cat /etc/resolv.conf').stdout).toBe('nameserver 203.0.113.53\n');
  });
});
