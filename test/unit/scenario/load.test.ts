import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../../src/engine/scenario/load';

describe('loadScenario', () => {
  it('expands kind: List and keeps positions inside its items', () => {
    const { objects, diagnostics } = loadScenario('s.yaml', `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata: {name: a}
  spec: {containers: [{name: c, image: nginx}]}
- apiVersion: v1
  kind: Service
  metadata: {name: b}
  spec: {ports: [{port: 80}]}
`);
    expect(objects.pods.map((p) => p.obj.metadata.name)).toEqual(['a']);
    expect(objects.services[0]!.origin.locate(['spec', 'ports', 0, 'port']).line).toBe(11);
    expect(diagnostics.map((d) => d.code)).toEqual(['list-kind']);
  });

  it('converts extensions/v1beta1 Ingress to networking.k8s.io/v1 with a warning', () => {
    const { objects, diagnostics } = loadScenario('s.yaml', `apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - host: www.example.com
    http:
      paths:
      - {path: /, backend: {serviceName: web, servicePort: 80}}
`);
    expect(diagnostics.map((d) => d.code)).toEqual(['deprecated-apiversion']);
    const ing = objects.ingresses[0]!.obj;
    expect(ing.apiVersion).toBe('networking.k8s.io/v1');
    expect(ing.spec!.rules![0]!.http!.paths[0]).toEqual({ path: '/', pathType: 'ImplementationSpecific', backend: { service: { name: 'web', port: { number: 80 } } } });
  });

  it('a broken document does not blank the valid ones', () => {
    const { objects, diagnostics } = loadScenario('s.yaml', `apiVersion: v1
kind: Pod
metadata: {name: ok}
spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Pod
metadata: {name: bad
spec: {}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {ports: [{port: 80}]}
`);
    expect(objects.pods.map((p) => p.obj.metadata.name)).toEqual(['ok']);
    expect(objects.services.map((s) => s.obj.metadata.name)).toEqual(['web']);
    expect(diagnostics.some((d) => d.code === 'yaml-syntax' && d.severity === 'error')).toBe(true);
  });
});
