/** Walk sources through namespace aliases: docker --network container:/host, and containerd's cni- names. */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { clientNs } from '../../../src/engine/stack/target';
import { walk } from '../../../src/engine/stack/walk';

const yaml = `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  nodes:
  - {name: node-1, ip: 192.168.1.11}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-1
  containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: knp/v1alpha1
kind: Host
metadata: {name: h1}
spec: {ip: 192.168.1.50, docker: {bridgeCIDR: 172.17.0.0/16}}
---
apiVersion: knp/v1alpha1
kind: Container
metadata: {name: web}
spec: {host: h1, image: nginx, listen: [80]}
---
apiVersion: knp/v1alpha1
kind: Container
metadata: {name: sidecar}
spec: {host: h1, image: busybox, network: "container:web"}
---
apiVersion: knp/v1alpha1
kind: Container
metadata: {name: hostnet}
spec: {host: h1, image: busybox, network: host}
`;

describe('walk sources through namespace aliases', () => {
  const { sim } = buildSim(yaml);

  it('--network container:web runs in web\'s namespace; --network host in the host\'s', () => {
    expect(clientNs(sim, 'host/h1#sidecar')?.id).toBe('host/h1#web');
    expect(clientNs(sim, 'host/h1#hostnet')?.id).toBe('host/h1');
    const t = walk(sim, { from: 'host/h1#sidecar', to: 'http://127.0.0.1:80/' });
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('host/h1#web');
    const web = sim.net.namespaces.get('host/h1#web')!;
    const ip = web.links.find((l) => l.name === 'eth0')!.addrs[0]!.address;
    expect(walk(sim, { from: 'host/h1#hostnet', to: `http://${ip}/` }).verdict).toBe('delivered');
  });

  it('node/N#cni-… (the Pod sandbox as `ip netns` names it) is the Pod\'s namespace', () => {
    const pod = sim.net.namespaces.get('pod/default/web')!;
    expect(pod.netnsName).toMatch(/^cni-/);
    const ref = `node/node-1#${pod.netnsName!}`;
    expect(clientNs(sim, ref)).toBe(pod);
    const t = walk(sim, { from: ref, to: '127.0.0.1:80' });
    expect(t.verdict).toBe('delivered');
  });
});
