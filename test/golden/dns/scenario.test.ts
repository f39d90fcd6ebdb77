/**
 * DNS tools on a reconciled scenario, every query walked as packets (kube-dns DNAT, CoreDNS,
 * the upstream resolver host). Regenerate: UPDATE_GOLDEN=1 npx vitest run test/golden/dns
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Target } from '../../../src/engine/shell/types';

const YAML = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: flannel}
  dns: {upstream: resolver}
  nodes:
  - {name: node-1, ip: 192.168.1.11, resolvConf: "nameserver 203.0.113.53\\nsearch corp.example\\n"}
  - {name: node-2, ip: 192.168.1.12}
  externalHosts:
  - {name: resolver, ip: 203.0.113.53, ports: ["53/udp"], role: dns}
  - {name: www.example.com, ip: 93.184.216.34, ports: [80]}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres, ports: [{name: pg, containerPort: 5432}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {clusterIP: None, selector: {app: db}, ports: [{name: pg, port: 5432}]}
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: shop}
spec: {type: ExternalName, externalName: www.example.com}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop}
spec: {nodeName: node-1, containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: custom, namespace: shop}
spec:
  nodeName: node-1
  dnsPolicy: None
  dnsConfig: {nameservers: [203.0.113.53], searches: [corp.example], options: [{name: ndots, value: "2"}, {name: edns0}]}
  containers: [{name: c, image: busybox}]
`;

const client: Target = { kind: 'pod', namespace: 'shop', name: 'client' };
const cases: Record<string, [Target, string[]]> = {
  'scenario-resolv': [client, ['cat /etc/resolv.conf']],
  'scenario-showsearch': [client, ['dig +showsearch kubernetes.default']],
  'scenario-statefulset': [client, ['dig +short db.shop.svc.cluster.local', 'host db-1.db', 'dig +short _pg._tcp.db.shop.svc.cluster.local SRV']],
  'scenario-externalname': [client, ['nslookup legacy', 'dig +search www.example.com']],
  'scenario-dnspolicy-none': [{ kind: 'pod', namespace: 'shop', name: 'custom' }, ['cat /etc/resolv.conf', 'host www.example.com', 'host kubernetes.default']],
  'scenario-node': [{ kind: 'node', name: 'node-1' }, ['cat /etc/resolv.conf', 'host www.example.com', 'host kubernetes.default.svc.cluster.local']],
};

describe('dns tools on a scenario (walked)', () => {
  const { sim } = buildSim(YAML);
  for (const [name, [target, lines]] of Object.entries(cases)) {
    it(name, () => {
      const out = lines.map((l) => { const r = runLine(sim, target, l); return `$ ${l}\n${r.stdout}${r.stderr}[exit ${r.exitCode}]\n`; }).join('\n');
      const file = new URL(`./${name}.txt`, import.meta.url);
      if (process.env['UPDATE_GOLDEN'] || !existsSync(file)) writeFileSync(file, out);
      expect(out).toBe(readFileSync(file, 'utf8'));
    });
  }
});
