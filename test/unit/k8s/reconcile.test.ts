import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';

const NGINX = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: my-nginx}
spec:
  selector: {matchLabels: {run: my-nginx}}
  replicas: 2
  template:
    metadata: {labels: {run: my-nginx}}
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: my-nginx, labels: {run: my-nginx}}
spec:
  ports: [{port: 80, targetPort: 80, protocol: TCP}]
  selector: {run: my-nginx}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox}]
`;

const model = (yaml: string, seed = 1) => buildSim(yaml, { seed }).sim.model;
const pod = (m: ReturnType<typeof model>, ns: string, prefix: string) => m.pods.filter((p) => p.meta.namespace === ns && p.meta.name.startsWith(prefix));

describe('reconcile: the default cluster', () => {
  it('has two nodes, node-1 the tainted control plane, podCIDRs in order', () => {
    const m = model('');
    expect(m.hasCluster).toBe(true);
    expect(m.nodes.map((n) => [n.name, n.ip, n.podCIDR, n.controlPlane])).toEqual([
      ['node-1', '192.168.1.11', '10.244.0.0/24', true],
      ['node-2', '192.168.1.12', '10.244.1.0/24', false],
    ]);
    expect(m.nodes[0]!.taints).toEqual([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(m.spec.network.plugin).toBe('flannel');
    expect(m.namespaces.map((n) => n.name)).toEqual(['default', 'kube-flannel', 'kube-node-lease', 'kube-public', 'kube-system']);
  });

  it('creates the system objects: kubernetes and kube-dns Services, CoreDNS, kube-proxy and flannel Pods', () => {
    const m = model('');
    const svc = (n: string) => m.services.find((s) => s.meta.name === n)!;
    expect(svc('kubernetes').clusterIP).toBe('10.96.0.1');
    expect(svc('kube-dns').clusterIP).toBe('10.96.0.10');
    expect(svc('kube-dns').ports.map((p) => `${p.name} ${p.port}/${p.protocol}`)).toEqual(['dns 53/UDP', 'dns-tcp 53/TCP', 'metrics 9153/TCP']);
    const coredns = pod(m, 'kube-system', 'coredns-');
    expect(coredns).toHaveLength(2);
    expect(coredns.every((p) => p.meta.labels['k8s-app'] === 'kube-dns' && p.system)).toBe(true);
    const proxies = pod(m, 'kube-system', 'kube-proxy-');
    expect(proxies.map((p) => [p.nodeName, p.podIP, p.hostNetwork]).sort()).toEqual([['node-1', '192.168.1.11', true], ['node-2', '192.168.1.12', true]]);
    expect(pod(m, 'kube-flannel', 'kube-flannel-ds-')).toHaveLength(2);
    const ep = m.endpoints.find((e) => e.meta.name === 'kubernetes')!;
    expect(ep.subsets[0]!.addresses[0]!.ip).toBe('192.168.1.11');
    expect(ep.subsets[0]!.ports[0]!.port).toBe(6443);
    expect(m.configMaps.find((c) => c.meta.name === 'coredns')!.data.Corefile).toContain('kubernetes cluster.local in-addr.arpa ip6.arpa');
    expect(m.upstreamDns).toEqual({ name: 'upstream-dns', ip: '198.51.100.53' });
    expect(m.externalHosts.map((h) => h.name)).toEqual(['upstream-dns']);
  });

  it('uses calico-node for calico and no CNI DaemonSet for the bridge plugin', () => {
    const calico = model('apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {network: {plugin: calico}}\n');
    expect(pod(calico, 'kube-system', 'calico-node-')).toHaveLength(2);
    const bridge = model('apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {network: {plugin: bridge}}\n');
    expect(bridge.workloads.map((w) => w.meta.name).sort()).toEqual(['coredns', 'kube-proxy']);
  });

  it('a scenario of only Hosts has no cluster', () => {
    const m = model('apiVersion: knp/v1alpha1\nkind: Host\nmetadata: {name: h1}\nspec: {ip: 10.0.0.1}\n');
    expect(m.hasCluster).toBe(false);
    expect(m.nodes).toEqual([]);
    expect(m.pods).toEqual([]);
    expect(m.hosts.map((h) => h.meta.name)).toEqual(['h1']);
  });
});

describe('reconcile: workloads, scheduling and IPAM', () => {
  it('names Deployment Pods NAME-HASH-SUFFIX with the kube alphabet, deterministic per seed', () => {
    const a = model(NGINX, 1);
    const names = pod(a, 'default', 'my-nginx-').map((p) => p.meta.name);
    expect(names).toHaveLength(2);
    for (const n of names) expect(n).toMatch(/^my-nginx-[bcdfghjklmnpqrstvwxz2456789]{6,10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const hash = a.workloads.find((w) => w.meta.name === 'my-nginx')!.podTemplateHash!;
    expect(names.every((n) => n.startsWith(`my-nginx-${hash}-`))).toBe(true);
    expect(pod(model(NGINX, 1), 'default', 'my-nginx-').map((p) => p.meta.name)).toEqual(names);
    expect(pod(model(NGINX, 2), 'default', 'my-nginx-').map((p) => p.meta.name)).not.toEqual(names);
    // The template hash depends on the template only, not on the seed.
    expect(model(NGINX, 2).workloads.find((w) => w.meta.name === 'my-nginx')!.podTemplateHash).toBe(hash);
  });

  it('keeps user Pods off the control plane and addresses them sequentially from .2 after CoreDNS', () => {
    const m = model(NGINX);
    const user = m.pods.filter((p) => p.meta.namespace === 'default');
    expect(user.every((p) => p.nodeName === 'node-2')).toBe(true);
    expect(user.map((p) => p.podIP).sort()).toEqual(['10.244.1.3', '10.244.1.4', '10.244.1.5']);
    expect(pod(m, 'kube-system', 'coredns-').map((p) => p.podIP).sort()).toEqual(['10.244.0.2', '10.244.1.2']);
  });

  it('names StatefulSet Pods by ordinal with hostname and subdomain', () => {
    const m = model(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
`);
    const ps = pod(m, 'default', 'web-');
    expect(ps.map((p) => [p.meta.name, p.hostname, p.subdomain])).toEqual([['web-0', 'web-0', 'web'], ['web-1', 'web-1', 'web'], ['web-2', 'web-2', 'web']]);
    const ep = m.endpoints.find((e) => e.meta.name === 'web')!;
    expect(ep.subsets[0]!.addresses.map((a) => a.hostname)).toEqual(['web-0', 'web-1', 'web-2']);
  });

  it('leaves a Pod Pending with the scheduler message when no node fits', () => {
    const m = model(`apiVersion: v1
kind: Pod
metadata: {name: picky}
spec:
  nodeSelector: {disk: ssd}
  containers: [{name: c, image: nginx}]
`);
    const p = m.pods.find((x) => x.meta.name === 'picky')!;
    expect(p.phase).toBe('Pending');
    expect(p.nodeName).toBeNull();
    expect(p.podIP).toBeNull();
    expect(p.pendingReason).toBe("0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.");
  });

  it('keeps the second hostPort Pod Pending when the only worker already uses the port', () => {
    const m = model(`apiVersion: apps/v1
kind: Deployment
metadata: {name: hp}
spec:
  replicas: 2
  selector: {matchLabels: {app: hp}}
  template:
    metadata: {labels: {app: hp}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 81}]}]}
`);
    const ps = pod(m, 'default', 'hp-');
    expect(ps.filter((p) => p.phase === 'Running')).toHaveLength(1);
    const pending = ps.find((p) => p.phase === 'Pending')!;
    expect(pending.pendingReason).toContain("1 node(s) didn't have free ports for the requested pod ports");
  });

  it('honours tolerations, nodeName, status.podIP and required node affinity', () => {
    const m = model(`apiVersion: v1
kind: Pod
metadata: {name: on-cp}
spec:
  tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [{matchExpressions: [{key: kubernetes.io/hostname, operator: In, values: [node-1]}]}]
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec: {nodeName: node-1, containers: [{name: c, image: nginx}]}
status: {podIP: 10.244.0.77}
`);
    const get = (n: string) => m.pods.find((p) => p.meta.name === n)!;
    expect([get('on-cp').nodeName, get('on-cp').podIP]).toEqual(['node-1', '10.244.0.3']);
    expect([get('pinned').nodeName, get('pinned').podIP]).toEqual(['node-1', '10.244.0.77']);
  });
});

describe('reconcile: Services, endpoints and env', () => {
  it('allocates a clusterIP in the serviceCIDR and computes Endpoints and EndpointSlices', () => {
    const m = model(NGINX);
    const svc = m.services.find((s) => s.meta.name === 'my-nginx')!;
    expect(svc.clusterIP).toMatch(/^10\.(9[6-9]|10[0-9]|110|111)\./);
    const ep = m.endpoints.find((e) => e.meta.name === 'my-nginx')!;
    expect(ep.subsets[0]!.addresses.map((a) => a.ip)).toEqual(['10.244.1.3', '10.244.1.4']);
    const slice = m.endpointSlices.find((s) => s.serviceName === 'my-nginx')!;
    expect(slice.meta.name).toMatch(/^my-nginx-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(slice.meta.labels['kubernetes.io/service-name']).toBe('my-nginx');
    expect(slice.endpoints.map((e) => [e.addresses[0], e.ready, e.nodeName])).toEqual([['10.244.1.3', true, 'node-2'], ['10.244.1.4', true, 'node-2']]);
  });

  it('injects Service env vars only for Services created before the Pod', () => {
    const m = model(NGINX);
    const client = m.pods.find((p) => p.meta.name === 'client')!;
    const env = Object.fromEntries(client.env.map((e) => [e.name, e.value]));
    const ip = m.services.find((s) => s.meta.name === 'my-nginx')!.clusterIP!;
    expect(env).toMatchObject({
      KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443', KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443', KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
      MY_NGINX_SERVICE_HOST: ip, MY_NGINX_SERVICE_PORT: '80', MY_NGINX_PORT: `tcp://${ip}:80`,
      MY_NGINX_PORT_80_TCP: `tcp://${ip}:80`, MY_NGINX_PORT_80_TCP_PROTO: 'tcp', MY_NGINX_PORT_80_TCP_PORT: '80', MY_NGINX_PORT_80_TCP_ADDR: ip,
    });
    // The Deployment came before the Service: its Pods only know `kubernetes`.
    const nginx = pod(m, 'default', 'my-nginx-')[0]!;
    expect(nginx.env.some((e) => e.name.startsWith('MY_NGINX'))).toBe(false);
    expect(nginx.env.some((e) => e.name === 'KUBERNETES_SERVICE_HOST')).toBe(true);
  });

  it('drops Service links with enableServiceLinks: false but keeps KUBERNETES_*', () => {
    const m = model(`${NGINX}---
apiVersion: v1
kind: Pod
metadata: {name: quiet}
spec: {enableServiceLinks: false, containers: [{name: c, image: busybox}]}
`);
    const q = m.pods.find((p) => p.meta.name === 'quiet')!;
    expect(q.env.map((e) => e.name).every((n) => n.startsWith('KUBERNETES_'))).toBe(true);
  });

  it('marks not-ready and terminating Pods in endpoints', () => {
    const m = model(`apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: x}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80, name: http}]}]}
status: {conditions: [{type: Ready, status: "False"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, labels: {app: x}, deletionTimestamp: "2024-01-01T00:00:00Z"}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80, name: http}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: x}
spec: {selector: {app: x}, ports: [{port: 80, targetPort: http}]}
`);
    const ep = m.endpoints.find((e) => e.meta.name === 'x')!;
    expect(ep.subsets[0]!.addresses).toEqual([]);
    expect(ep.subsets[0]!.notReadyAddresses.map((a) => a.ip)).toEqual(['10.244.1.3']);
    const slice = m.endpointSlices.find((s) => s.serviceName === 'x')!;
    expect(slice.endpoints.map((e) => [e.addresses[0], e.ready, e.serving, e.terminating])).toEqual([
      ['10.244.1.3', false, false, false],
      ['10.244.1.4', false, true, true],
    ]);
    expect(slice.ports).toEqual([{ name: '', port: 80, protocol: 'TCP' }]);
  });

  it('uses the Endpoints the user wrote for a Service without selector, mirrored into a slice', () => {
    const m = model(`apiVersion: v1
kind: Service
metadata: {name: my-service}
spec: {ports: [{protocol: TCP, port: 80, targetPort: 9376}]}
---
apiVersion: v1
kind: Endpoints
metadata: {name: my-service}
subsets: [{addresses: [{ip: 192.0.2.42}], ports: [{port: 9376}]}]
`);
    expect(m.endpoints.find((e) => e.meta.name === 'my-service')!.subsets[0]!.addresses[0]!.ip).toBe('192.0.2.42');
    const slice = m.endpointSlices.find((s) => s.serviceName === 'my-service')!;
    expect(slice.endpoints[0]!.addresses).toEqual(['192.0.2.42']);
    expect(slice.meta.labels['endpointslice.kubernetes.io/managed-by']).toBe('endpointslicemirroring-controller.k8s.io');
  });

  it('honours nodePort, clusterIP and allocates NodePorts in range', () => {
    const m = model(`apiVersion: v1
kind: Service
metadata: {name: a}
spec: {type: NodePort, clusterIP: 10.96.0.50, selector: {app: a}, ports: [{port: 80, nodePort: 30001}]}
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec: {type: LoadBalancer, selector: {app: b}, ports: [{port: 80}]}
status: {loadBalancer: {ingress: [{ip: 203.0.113.7}]}}
`);
    const a = m.services.find((s) => s.meta.name === 'a')!;
    expect([a.clusterIP, a.ports[0]!.nodePort]).toEqual(['10.96.0.50', 30001]);
    const b = m.services.find((s) => s.meta.name === 'b')!;
    expect(b.ports[0]!.nodePort).toBeGreaterThanOrEqual(30000);
    expect(b.ports[0]!.nodePort).toBeLessThanOrEqual(32767);
    expect(b.loadBalancerIngress).toEqual(['203.0.113.7']);
  });
});

describe('reconcile: the ingress controller', () => {
  const ING = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules: [{host: www.example.com, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
`;
  it('an Ingress brings ingress-nginx as a hostPort DaemonSet on the workers and a default IngressClass', () => {
    const m = model(ING);
    const ctrl = pod(m, 'ingress-nginx', 'ingress-nginx-controller-');
    expect(ctrl.map((p) => p.nodeName)).toEqual(['node-2']);
    expect(ctrl[0]!.containers[0]!.ports.map((p) => [p.name, p.containerPort, p.hostPort])).toEqual([['http', 80, 80], ['https', 443, 443]]);
    expect(m.ingressClasses.map((c) => [c.meta.name, c.controller, c.isDefault])).toEqual([['nginx', 'k8s.io/ingress-nginx', true]]);
  });
  it('expose: NodePort puts a Deployment behind a NodePort Service; none installs nothing', () => {
    const np = model(`apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {ingressController: {expose: NodePort}}\n`);
    const svc = np.services.find((s) => s.meta.name === 'ingress-nginx-controller')!;
    expect(svc.type).toBe('NodePort');
    expect(svc.ports.every((p) => p.nodePort !== undefined)).toBe(true);
    const none = model(`apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {ingressController: {expose: none}}\n---\n${ING}`);
    expect(none.pods.some((p) => p.meta.namespace === 'ingress-nginx')).toBe(false);
  });
  it('declaring a system namespace again is not an error', () => {
    const { diagnostics } = buildSim('apiVersion: v1\nkind: Namespace\nmetadata: {name: kube-system}\n');
    expect(diagnostics).toEqual([]);
  });
});

describe('reconcile: DaemonSets', () => {
  it('places one Pod per eligible node, honouring nodeSelector, and checks host ports', () => {
    const m = model(`apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: c}
spec:
  nodes:
  - {name: cp, ip: 192.168.1.10, controlPlane: true}
  - {name: w1, ip: 192.168.1.11, labels: {edge: "yes"}}
  - {name: w2, ip: 192.168.1.12, labels: {edge: "yes"}}
  - {name: w3, ip: 192.168.1.13}
---
apiVersion: v1
kind: Pod
metadata: {name: squatter}
spec: {nodeName: w2, containers: [{name: c, image: nginx, ports: [{containerPort: 8080, hostPort: 80}]}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: edge}
spec:
  selector: {matchLabels: {app: edge}}
  template:
    metadata: {labels: {app: edge}}
    spec:
      nodeSelector: {edge: "yes"}
      containers: [{name: c, image: nginx, ports: [{containerPort: 80, hostPort: 80}]}]
`);
    const ps = pod(m, 'default', 'edge-');
    expect(ps.map((p) => [p.nodeName ?? p.phase]).sort()).toEqual([['Pending'], ['w1']]);
    expect(ps.find((p) => p.phase === 'Pending')!.pendingReason).toMatch(/^0\/4 nodes are available: 1 node\(s\) didn't have free ports/);
  });
});
