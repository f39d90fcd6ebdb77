import { describe, expect, it } from 'vitest';
import { newEnvCache, podServiceEnv, serviceEnv } from '../../../src/engine/control/env';
import type { ServiceModel } from '../../../src/engine/model/cluster';

/** A Service with what serviceEnv reads. */
function svc(namespace: string, name: string, createdIndex: number, ports: { port: number; name?: string }[], clusterIP = `10.96.0.${createdIndex}`): ServiceModel {
  return {
    meta: { name, namespace, uid: name, labels: {}, annotations: {}, createdIndex, createdAt: 0 },
    type: 'ClusterIP', selector: null, clusterIP, headless: clusterIP === 'None',
    ports: ports.map((p) => ({ name: p.name ?? '', protocol: 'TCP' as const, port: p.port, targetPort: p.port })),
    externalIPs: [], loadBalancerIngress: [], loadBalancerSourceRanges: [], externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster',
    sessionAffinity: 'None', sessionAffinityTimeout: 0, publishNotReadyAddresses: false,
  };
}

/** kubelet's rule written out plainly: Services created before the Pod, in creation order, into one map by variable name. */
function reference(services: readonly ServiceModel[], namespace: string, podOrder: number, links: boolean): { name: string; value: string }[] {
  const isKubernetes = (s: ServiceModel) => s.meta.namespace === 'default' && s.meta.name === 'kubernetes';
  const seen = services
    .filter((s) => s.meta.createdIndex < podOrder && ((links && s.meta.namespace === namespace) || isKubernetes(s)))
    .sort((a, b) => a.meta.createdIndex - b.meta.createdIndex);
  const vars = new Map<string, { name: string; value: string }>();
  for (const s of seen) for (const v of serviceEnv(s)) vars.set(v.name, v);
  return [...vars.values()];
}

describe('kubelet Service environment variables', () => {
  const services = [
    svc('default', 'kubernetes', 0, [{ port: 443, name: 'https' }]),
    svc('team', 'web', 3, [{ port: 80 }]),
    svc('team', 'db', 5, [{ port: 5432, name: 'pg' }, { port: 9187, name: 'metrics' }]),
    svc('team', 'headless', 6, [{ port: 80 }], 'None'),
    // Its variable FOO_SERVICE_PORT_SERVICE_HOST is also the one the Service below writes for its port "service-host".
    svc('team', 'foo-service-port', 8, [{ port: 81 }]),
    svc('team', 'foo', 9, [{ port: 82, name: 'service-host' }]),
    svc('team', 'late', 12, [{ port: 83 }]),
    svc('default', 'front', 2, [{ port: 8080 }]),
  ];

  it('gives a Pod the variables of the Services created before it, the same as one map by name', () => {
    const cache = newEnvCache();
    for (const ns of ['team', 'default', 'other']) {
      for (const links of [true, false]) {
        // Creation orders out of order too, as a rebuild's new Pods (MAX_SAFE_INTEGER) come between old ones.
        for (const order of [0, 1, 4, 7, 9, 10, Number.MAX_SAFE_INTEGER, 6, 3, 13, 2]) {
          expect(podServiceEnv(services, ns, order, links, cache), `${ns} ${order} ${links}`).toEqual(reference(services, ns, order, links));
        }
      }
    }
  });

  it('lets a later Service win a variable name in the first one\'s place', () => {
    const env = podServiceEnv(services, 'team', 10, true);
    const names = env.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    const i = names.indexOf('FOO_SERVICE_PORT_SERVICE_HOST');
    // First written by foo-service-port (its SERVICE_HOST, right after db's variables), last by foo (its port's number).
    expect(names[i - 1]).toBe('DB_PORT_9187_TCP_ADDR');
    expect(env[i]!.value).toBe('82');
    expect(names).not.toContain('HEADLESS_SERVICE_HOST');
    expect(names[0]).toBe('KUBERNETES_SERVICE_HOST');
  });

  it('shares one list between Pods that saw the same Services', () => {
    const cache = newEnvCache();
    const a = podServiceEnv(services, 'team', 10, true, cache);
    expect(podServiceEnv(services, 'team', 11, true, cache)).toBe(a);
    expect(podServiceEnv(services, 'team', 13, true, cache)).not.toBe(a);
    expect(podServiceEnv(services, 'team', 4, false, cache).map((v) => v.name)).toEqual(serviceEnv(services[0]!).map((v) => v.name));
  });
});
