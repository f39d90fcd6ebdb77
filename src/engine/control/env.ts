/**
 * The Service environment variables kubelet injects (pkg/kubelet/envvars): for each Service
 * with a cluster IP that existed when the Pod started, in the Pod's namespace (plus the
 * `kubernetes` Service of `default`, always):
 *
 *   MY_NGINX_SERVICE_HOST=10.0.162.149          MY_NGINX_PORT=tcp://10.0.162.149:80
 *   MY_NGINX_SERVICE_PORT=80                    MY_NGINX_PORT_80_TCP=tcp://10.0.162.149:80
 *   MY_NGINX_SERVICE_PORT_HTTP=80 (named ports) MY_NGINX_PORT_80_TCP_PROTO=tcp
 *                                               MY_NGINX_PORT_80_TCP_PORT=80
 *                                               MY_NGINX_PORT_80_TCP_ADDR=10.0.162.149
 *
 * With enableServiceLinks: false only the `kubernetes` Service's variables remain.
 */
import type { ServiceModel } from '../model/cluster';

export function envVarName(s: string): string {
  return s.replace(/-/g, '_').toUpperCase();
}

export function serviceEnv(svc: Pick<ServiceModel, 'meta' | 'clusterIP' | 'ports'>): { name: string; value: string }[] {
  const ip = svc.clusterIP;
  if (!ip || ip === 'None') return [];
  const name = envVarName(svc.meta.name);
  const out: { name: string; value: string }[] = [];
  const first = svc.ports[0];
  out.push({ name: `${name}_SERVICE_HOST`, value: ip });
  if (first) out.push({ name: `${name}_SERVICE_PORT`, value: String(first.port) });
  for (const p of svc.ports) if (p.name) out.push({ name: `${name}_SERVICE_PORT_${envVarName(p.name)}`, value: String(p.port) });
  svc.ports.forEach((p, i) => {
    const proto = p.protocol.toLowerCase();
    const url = `${proto}://${ip}:${p.port}`;
    const prefix = `${name}_PORT_${p.port}_${p.protocol.toUpperCase()}`;
    if (i === 0) out.push({ name: `${name}_PORT`, value: url });
    out.push({ name: prefix, value: url });
    out.push({ name: `${prefix}_PROTO`, value: proto });
    out.push({ name: `${prefix}_PORT`, value: String(p.port) });
    out.push({ name: `${prefix}_ADDR`, value: ip });
  });
  return out;
}

/**
 * The variables for a Pod in `namespace` created at `podOrder`. Services are taken in creation
 * order; a later one with the same variable name wins, as kubelet's map does.
 */
export function podServiceEnv(services: readonly ServiceModel[], namespace: string, podOrder: number, enableServiceLinks: boolean, cache?: EnvCache): { name: string; value: string }[] {
  const key = `${namespace}|${podOrder}|${enableServiceLinks}`;
  const hit = cache?.byPod.get(key);
  if (hit) return hit;
  // Services by namespace, in creation order (one pass over the list, kept with the cache).
  let byNs = cache?.byNamespace?.list === services ? cache.byNamespace.map : undefined;
  if (!byNs) {
    byNs = new Map();
    for (const s of services) {
      const l = byNs.get(s.meta.namespace);
      if (l) l.push(s); else byNs.set(s.meta.namespace, [s]);
    }
    for (const l of byNs.values()) l.sort((a, b) => a.meta.createdIndex - b.meta.createdIndex);
    if (cache) cache.byNamespace = { list: services, map: byNs };
  }
  const isKubernetes = (s: ServiceModel): boolean => s.meta.namespace === 'default' && s.meta.name === 'kubernetes';
  const chosen = [
    ...(enableServiceLinks ? byNs.get(namespace) ?? [] : []),
    ...(enableServiceLinks && namespace === 'default' ? [] : (byNs.get('default') ?? []).filter(isKubernetes)),
  ].filter((s) => s.meta.createdIndex < podOrder).sort((a, b) => a.meta.createdIndex - b.meta.createdIndex);
  // A later Service's variable of the same name wins, in the first one's place; the variables are the Services' own objects.
  const vars = new Map<string, { name: string; value: string }>();
  for (const s of chosen) {
    let list = cache?.bySvc.get(s);
    if (!list) { list = serviceEnv(s); cache?.bySvc.set(s, list); }
    for (const v of list) vars.set(v.name, v);
  }
  const out = [...vars.values()];
  cache?.byPod.set(key, out);
  return out;
}

/** Pods of one workload share their Service variables; so do Services across Pods. */
export interface EnvCache {
  readonly bySvc: Map<ServiceModel, { name: string; value: string }[]>;
  readonly byPod: Map<string, { name: string; value: string }[]>;
  /** The Service list last indexed by namespace. */
  byNamespace?: { list: readonly ServiceModel[]; map: Map<string, ServiceModel[]> };
}

export const newEnvCache = (): EnvCache => ({ bySvc: new Map(), byPod: new Map() });
