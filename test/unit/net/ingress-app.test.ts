/** The network build gives ingress-nginx's controller Pods the proxy app on 80/443, nothing else. */
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { nsForRef } from '../../../src/engine/net/lookup';

const yaml = (expose: string): string => `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  ingressController: {expose: ${expose}}
  nodes: [{name: node-1, ip: 192.168.1.11}]
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {nodeName: node-1, containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
`;

describe('ingress controller sockets', () => {
  for (const expose of ['hostPort', 'NodePort']) {
    it(`${expose}: the controller Pod's 80 and 443 run ingress-nginx; a plain nginx Pod's 80 stays http`, () => {
      const { sim } = buildSim(yaml(expose));
      const ctrl = sim.model.pods.find((p) => p.meta.labels['app.kubernetes.io/name'] === 'ingress-nginx' && p.meta.labels['app.kubernetes.io/component'] === 'controller')!;
      expect(ctrl).toBeDefined();
      const ns = nsForRef(sim, `pod/${ctrl.meta.namespace}/${ctrl.meta.name}`)!;
      const owner = `pod/${ctrl.meta.namespace}/${ctrl.meta.name}`;
      const apps = ns.listeners.filter((l) => l.owner === owner && l.protocol === 'tcp' && (l.port === 80 || l.port === 443)).map((l) => l.app);
      expect(apps).toHaveLength(2);
      for (const a of apps) expect(a).toEqual({ kind: 'proxy', role: 'ingress-nginx' });
      const web = nsForRef(sim, 'pod/default/web')!;
      expect(web.listeners.find((l) => l.port === 80)?.app.kind).toBe('http');
    });
  }
});
