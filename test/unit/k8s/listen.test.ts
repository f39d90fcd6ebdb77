import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { commandPorts, containerListens, imageKey, parseListenSpec } from '../../../src/engine/model/listen';
import { runLine } from '../../../src/engine/shell/run';

const pod = (annotations: Record<string, string> = {}) => ({ meta: { annotations } });
const ports = (image: string, extra: { command?: string[]; args?: string[]; ports?: { containerPort: number; protocol?: 'TCP' | 'UDP' }[] } = {}, ann: Record<string, string> = {}) =>
  containerListens(pod(ann), { name: 'c', image, ...extra }, 0).map((l) => `${l.port}/${l.protocol}:${l.source}`);

describe('where a container listens', () => {
  it('reads the image name without registry, tag or digest', () => {
    expect(imageKey('docker.io/library/nginx:1.25@sha256:abc')).toBe('nginx');
    expect(imageKey('registry.k8s.io/coredns/coredns:v1.11.1')).toBe('coredns');
    expect(imageKey('traefik/whoami')).toBe('whoami');
  });

  it('well-known images listen where their process does, whatever containerPort says', () => {
    expect(ports('nginx:stable')).toEqual(['80/TCP:image']);
    expect(ports('nginx', { ports: [{ containerPort: 8080 }] })).toEqual(['80/TCP:image']);
    expect(ports('redis:7')).toEqual(['6379/TCP:image']);
    expect(ports('coredns/coredns')).toEqual(['53/UDP:image', '53/TCP:image', '9153/TCP:image']);
    expect(ports('busybox')).toEqual([]);
    expect(ports('registry.k8s.io/pause:3.9')).toEqual([]);
  });

  it('an unknown image listens on its declared containerPorts', () => {
    expect(ports('example.com/shop:1', { ports: [{ containerPort: 9000 }, { containerPort: 53, protocol: 'UDP' }] })).toEqual(['9000/TCP:containerPort', '53/UDP:containerPort']);
  });

  it('a command that replaces the server listens nowhere; one that still runs it keeps the image ports', () => {
    expect(ports('nginx', { command: ['sleep', '3600'] })).toEqual([]);
    expect(ports('nginx:stable', { command: ['nginx', '-g', 'daemon off;'] })).toEqual(['80/TCP:image']);
  });

  it('reads ports the command states plainly', () => {
    expect(commandPorts(['python', '-m', 'http.server', '8080'])?.[0]?.port).toBe(8080);
    expect(commandPorts(['python3', '-m', 'http.server'])?.[0]?.port).toBe(8000);
    expect(commandPorts(['nc', '-l', '-p', '9000'])?.[0]).toMatchObject({ port: 9000, protocol: 'TCP' });
    expect(commandPorts(['nc', '-ulp', '5353'])?.[0]).toMatchObject({ port: 5353, protocol: 'UDP' });
    expect(commandPorts(['sh', '-c', 'busybox httpd -f -p 8081'])?.[0]?.port).toBe(8081);
    expect(commandPorts(['/app', '--port=7000'])?.[0]?.port).toBe(7000);
    expect(commandPorts(['/http-echo', '-listen=:5679'])?.[0]?.port).toBe(5679);
    expect(commandPorts(['sleep', '3600'])).toBeNull();
    expect(ports('busybox', { command: ['nc', '-lk', '-p', '8080'] })).toEqual(['8080/TCP:command']);
  });

  it('the knp.io/listen annotation adds ports, for the first container or a named one', () => {
    expect(ports('busybox', {}, { 'knp.io/listen': '8080/tcp,53/udp' })).toEqual(['8080/TCP:annotation', '53/UDP:annotation']);
    expect(ports('busybox', {}, { 'knp.io/listen.other': '8080' })).toEqual([]);
    expect(ports('busybox', {}, { 'knp.io/listen.c': '8080' })).toEqual(['8080/TCP:annotation']);
    expect(parseListenSpec('80/tcp, 53/UDP')).toEqual([{ port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }]);
    expect(typeof parseListenSpec('http')).toBe('string');
  });
});

const NGINX_NO_PORTS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx-deployment, labels: {app: nginx}}
spec:
  replicas: 1
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers:
        - name: nginx
          image: nginx:stable
          command: ["nginx", "-g", "daemon off;"]
---
kind: Service
apiVersion: v1
metadata: {name: nginx-svc}
spec:
  type: NodePort
  ports:
    - port: 80
      nodePort: 30001
  selector: {app: nginx}
`;

describe('listening in the built cluster', () => {
  it('an nginx without ports: answers behind a NodePort', () => {
    const { sim, diagnostics } = buildSim(NGINX_NO_PORTS);
    expect(diagnostics.filter((d) => d.severity !== 'info').map((d) => d.code)).toEqual([]);
    const node = sim.model.nodes[0]!;
    const r = runLine(sim, { kind: 'node', name: node.name }, `curl -s ${node.ip}:30001`);
    expect(r.stdout).toMatch(/^Hostname: nginx-deployment-/);
  });

  it('a targetPort where nothing listens is a located warning with the fix', () => {
    const { diagnostics } = buildSim(NGINX_NO_PORTS.replace('nodePort: 30001', 'nodePort: 30001\n      targetPort: 8080'));
    const d = diagnostics.find((x) => x.code === 'target-port-not-listening');
    expect(d).toBeDefined();
    expect(d!.line).toBe(NGINX_NO_PORTS.split('\n').findIndex((l) => l.includes('nodePort: 30001')) + 2);
    expect(d!.message).toContain('listens on 80/TCP');
    expect(d!.hint).toContain('knp.io/listen');
  });

  it('a hostPort forwarding to a port nothing listens on is a warning at its containerPort', () => {
    const y = NGINX_NO_PORTS.replace('command: ["nginx", "-g", "daemon off;"]', 'ports: [{containerPort: 8080, hostPort: 81}]').split('---')[0]!;
    const { diagnostics } = buildSim(y);
    const d = diagnostics.find((x) => x.code === 'hostport-not-listening');
    expect(d?.message).toContain('hostPort 81 forwards to 8080/TCP');
    expect(d?.line).toBe(y.split('\n').findIndex((l) => l.includes('hostPort: 81')) + 1);
  });

  it('an Ingress backend whose Pods do not listen is a warning at the backend', () => {
    const y = `${NGINX_NO_PORTS.replace('nodePort: 30001', 'targetPort: 8080')}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: www.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: nginx-svc, port: {number: 80}}}}
`;
    const codes = buildSim(y).diagnostics.map((d) => d.code);
    expect(codes).toContain('backend-not-listening');
  });
});
