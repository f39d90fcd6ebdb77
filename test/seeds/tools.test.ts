/**
 * Seed walkthroughs, the everyday-tools part: the commands the articles type after their
 * objects exist, as written, with what a student should see. The objects are given as YAML
 * (creating them with kubectl create/expose/run is the control-plane part's walkthrough).
 *
 *   002 "NetworkPolicy": wget --spider --timeout=1 nginx from busybox, before and after a policy
 *   000 "hostNetwork":   sudo ps aux| grep nginx on the node
 *   003 "Docker's network model": docker network ls shows the three networks dockerd makes
 */
import { describe, expect, it } from 'vitest';
import { node, pod, Student } from './terminal';

const CLUSTER = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: seed}
spec:
  podCIDR: 10.244.0.0/16
  serviceCIDR: 10.100.0.0/16
  network: {plugin: calico, backend: ipip}
  nodes:
    - {name: node-1, ip: 192.168.1.11, controlPlane: true}
    - {name: node-2, ip: 192.168.1.12}
`;

const NGINX = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx, labels: {app: nginx}}
spec:
  selector: {matchLabels: {app: nginx}}
  template:
    metadata: {labels: {app: nginx}}
    spec:
      containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: nginx}
spec:
  selector: {app: nginx}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: busybox}
spec:
  containers: [{name: busybox, image: busybox, command: [sh]}]
---
apiVersion: v1
kind: Pod
metadata: {name: busybox-access, labels: {access: "true"}}
spec:
  containers: [{name: busybox, image: busybox, command: [sh]}]
`;

const POLICY = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: access-nginx
spec:
  podSelector:
    matchLabels:
      app: nginx
  ingress:
  - from:
    - podSelector:
        matchLabels:
          access: "true"
`;

describe('seed 002, NetworkPolicy: wget --spider --timeout=1 nginx', () => {
  it('before the policy, any Pod reaches the Service', () => {
    const s = new Student(CLUSTER + NGINX);
    const r = s.on(pod('busybox'), 'wget --spider --timeout=1 nginx');
    expect(r.stderr).toMatch(/^Connecting to nginx \(10\.100\.\d+\.\d+:80\)\n/);
    expect(r.exitCode).toBe(0);
  });
  it('with access-nginx, a Pod without access=true times out; one with it gets through', () => {
    const s = new Student(CLUSTER + NGINX + POLICY);
    const denied = s.on(pod('busybox'), 'wget --spider --timeout=1 nginx');
    expect(denied.stderr).toMatch(/^Connecting to nginx \(10\.100\.\d+\.\d+:80\)\nwget: download timed out\n$/);
    expect(denied.exitCode).toBe(1);
    const allowed = s.on(pod('busybox-access'), 'wget --spider --timeout=1 nginx');
    expect(allowed.stderr).toMatch(/^Connecting to nginx \(10\.100\.\d+\.\d+:80\)\n/);
    expect(allowed.exitCode).toBe(0);
  });
});

describe('seed 000, hostNetwork: sudo ps aux| grep nginx', () => {
  it('shows the nginx master with its command line and its workers, in the node\'s process list', () => {
    const s = new Student(`${CLUSTER}---
apiVersion: v1
kind: Pod
metadata: {name: nginx-hostnetwork}
spec:
  nodeName: node-2
  hostNetwork: true
  containers:
    - name: nginx
      image: nginx:stable
      command: ["nginx", "-g", "daemon off;"]
`);
    const out = s.on(node('node-2'), 'sudo ps aux| grep nginx').stdout.split('\n').filter(Boolean);
    expect(out[0]).toMatch(/^root +\d+ .* Ss +\d\d:\d\d +0:00 nginx: master process nginx -g daemon off;$/);
    expect(out.slice(1).every((l) => /^101 +\d+ .* S +\d\d:\d\d +0:00 nginx: worker process$/.test(l))).toBe(true);
    expect(out.length).toBeGreaterThan(1);
  });
});

describe('seed 003, Docker\'s network model: docker network ls', () => {
  it('lists bridge, host and none, which dockerd creates', () => {
    const s = new Student('apiVersion: knp/v1alpha1\nkind: Host\nmetadata: {name: box}\nspec: {ip: 192.168.1.50, docker: {}}\n');
    expect(s.where).toEqual({ kind: 'workstation' });
    const out = s.on({ kind: 'host', name: 'box' }, 'docker network ls').stdout;
    expect(out).toMatch(/^NETWORK ID {5}NAME {5}DRIVER {3}SCOPE\n[0-9a-f]{12} {3}bridge {3}bridge {3}local\n[0-9a-f]{12} {3}host {5}host {5}local\n[0-9a-f]{12} {3}none {5}null {5}local\n$/);
  });
});
