/** DNS from scenario YAML through the control plane (reconcile) to the terminal tools. */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Target } from '../../../src/engine/shell/types';
import { resolveName } from '../../../src/engine/clients/dns/resolve';
import { walk } from '../../../src/engine/stack/walk';
import { detailRecord } from '../../../src/engine/trace/types';

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

describe('DNS diagnostics', () => {
  it('an unknown Corefile plugin and a trimmed resolv.conf are warnings with positions', () => {
    const yaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        frobnicate
        kubernetes cluster.local
        forward . /etc/resolv.conf
    }
---
apiVersion: v1
kind: Pod
metadata: {name: many}
spec:
  dnsConfig: {nameservers: [1.1.1.1, 2.2.2.2, 3.3.3.3]}
  containers: [{name: c, image: busybox}]
`;
    const { diagnostics } = buildSim(yaml);
    const mine = diagnostics.filter((d) => d.code === 'corefile-note' || d.code === 'dns-config-forming');
    expect(mine.map((d) => `${d.line} ${d.code}: ${d.message}`)).toEqual([
      '5 corefile-note: coredns ConfigMap: plugin/frobnicate: not modelled by the playground; ignored',
      '16 dns-config-forming: Pod default/many: Nameserver limits were exceeded, some nameservers have been omitted, the applied nameserver line is: 10.96.0.10 1.1.1.1 2.2.2.2',
    ]);
  });
});

describe('DNS as packets', () => {
  const yaml = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: calico}
  dns: {upstream: resolver}
  externalHosts:
  - {name: resolver, ip: 203.0.113.53, ports: ["53/udp"], role: dns}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: jailed, labels: {app: jailed}}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: no-egress}
spec: {podSelector: {matchLabels: {app: jailed}}, policyTypes: [Egress]}
`;
  const { sim } = buildSim(yaml);

  it('a query is a UDP datagram to the kube-dns clusterIP, DNATed to a CoreDNS Pod', () => {
    const r = resolveName(sim, 'pod/default/client', 'web');
    expect(r.steps.map((s) => s.outcome)).toEqual(['answer']);
    expect(r.traces).toHaveLength(1);
    expect(r.traces[0]!.verdict).toBe('delivered');
    expect(r.traces[0]!.responder).toMatch(/^pod\/kube-system\/coredns-/);
    expect(r.traces[0]!.events.some((e) => e.type === 'nat')).toBe(true);
  });

  it('dig +tcp asks over a TCP connection to the same Service', () => {
    const r = resolveName(sim, 'pod/default/client', 'web.default.svc.cluster.local', 'A', { tcp: true });
    expect(r.traces[0]!.protocol).toBe('tcp');
    expect(r.addresses).toEqual([sim.model.services.find((x) => x.meta.name === 'web')!.clusterIP]);
    expect(runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'dig +tcp web.default.svc.cluster.local').stdout).toContain('(TCP)\n');
  });

  it('curl shows the DNS exchange before the TCP connection', () => {
    const t = walk(sim, { from: 'pod/default/client', to: 'http://web/' });
    expect(t.verdict).toBe('delivered');
    const firstDns = t.events.findIndex((e) => e.flow.startsWith('dns:'));
    const firstSyn = t.events.findIndex((e) => e.flow === 'syn');
    expect(firstDns).toBeGreaterThanOrEqual(0);
    expect(firstDns).toBeLessThan(firstSyn);
  });

  it('a NetworkPolicy without egress to DNS makes lookups time out', () => {
    const r = runLine(sim, { kind: 'pod', namespace: 'default', name: 'jailed' }, 'nslookup web');
    expect(r.stdout).toBe(';; connection timed out; no servers could be reached\n\n');
    expect(r.exitCode).toBe(1);
  });
});

describe('DNS transport errors', () => {
  const yaml = `apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {nodeName: node-1, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec: {nodeName: node-1, containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
`;
  const { sim } = buildSim(yaml);
  const web = sim.model.pods.find((p) => p.meta.name === 'web')!;
  const run = (l: string) => runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, l);
  it('a Pod that does not serve DNS answers ICMP port unreachable: connection refused', () => {
    expect(run(`dig @${web.podIP} kubernetes.default.svc.cluster.local`).stdout.split('\n')[0]).toBe(`;; communications error to ${web.podIP}#53: connection refused`);
    expect(run(`nslookup kubernetes ${web.podIP}`).stdout).toBe(`;; communications error to ${web.podIP}#53: connection refused\n;; no servers could be reached\n\n`);
  });
});

describe('a forwarded question crosses the network once', () => {
  const sim = buildSim(YAML).sim;

  it('CoreDNS relays it to the upstream in the same walk; resolveName walks nothing more', () => {
    const r = resolveName(sim, 'pod/default/client', 'example.com.');
    expect(r.addresses).toEqual(['93.184.216.34']);
    expect(r.answer?.forwardTo).toBe('203.0.113.53');
    expect(r.traces).toHaveLength(1);
    const toUpstream = r.traces.flatMap((t) => t.events).filter((e) => e.type === 'send' && e.packet?.ip?.dst === '203.0.113.53' && e.packet.udp?.dport === 53);
    expect(toUpstream).toHaveLength(1);
    expect(r.events).toHaveLength(1);
    expect(r.events[0]!.type).toBe('dns');
    expect(detailRecord(r.events[0])['forwardedTo']).toBe('203.0.113.53');
  });
});
