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
 *
 * The Services a Pod sees are a prefix (in creation order) of its namespace's candidates, so
 * the variables of every Service are laid end to end once per namespace and a Pod's list is a
 * slice of that: Pods that saw the same Services share one list. Only once a variable name
 * repeats (two Services whose names map to the same variable) is the list merged name by name.
 */
export function podServiceEnv(services: readonly ServiceModel[], namespace: string, podOrder: number, enableServiceLinks: boolean, cache: EnvCache = newEnvCache()): { name: string; value: string }[] {
  if (cache.byNamespace?.list !== services) {
    // Services by namespace, in creation order (one pass over the list, kept with the cache).
    const map = new Map<string, ServiceModel[]>();
    for (const s of services) {
      const l = map.get(s.meta.namespace);
      if (l) l.push(s); else map.set(s.meta.namespace, [s]);
    }
    for (const l of map.values()) l.sort((a, b) => a.meta.createdIndex - b.meta.createdIndex);
    cache.byNamespace = { list: services, map };
    cache.candidates.clear();
  }
  const byNs = cache.byNamespace.map;
  const candKey = `${namespace}|${enableServiceLinks}`;
  let c = cache.candidates.get(candKey);
  if (!c) {
    const isKubernetes = (s: ServiceModel): boolean => s.meta.namespace === 'default' && s.meta.name === 'kubernetes';
    const svcs = [
      ...(enableServiceLinks ? byNs.get(namespace) ?? [] : []),
      ...(enableServiceLinks && namespace === 'default' ? [] : (byNs.get('default') ?? []).filter(isKubernetes)),
    ].sort((a, b) => a.meta.createdIndex - b.meta.createdIndex);
    const flat: { name: string; value: string }[] = [];
    const offsets: number[] = [];
    const firstAt = new Map<string, number>();
    let firstRepeat = Infinity;
    for (const s of svcs) {
      offsets.push(flat.length);
      for (const v of serviceEnv(s)) {
        if (firstRepeat === Infinity && firstAt.has(v.name)) firstRepeat = flat.length;
        firstAt.set(v.name, flat.length);
        flat.push(v);
      }
    }
    offsets.push(flat.length);
    c = { svcs, flat, offsets, firstRepeat, byCount: new Map() };
    cache.candidates.set(candKey, c);
  }
  // The Services created before the Pod: a prefix of the candidates (binary search on creation order).
  let lo = 0, hi = c.svcs.length;
  while (lo < hi) { const mid = (lo + hi) >>> 1; if (c.svcs[mid]!.meta.createdIndex < podOrder) lo = mid + 1; else hi = mid; }
  const hit = c.byCount.get(lo);
  if (hit) return hit;
  const end = c.offsets[lo]!;
  let out: { name: string; value: string }[];
  if (end <= c.firstRepeat) out = c.flat.slice(0, end);
  else {
    // A later Service's variable of the same name wins, in the first one's place.
    const vars = new Map<string, { name: string; value: string }>();
    for (let i = 0; i < end; i++) vars.set(c.flat[i]!.name, c.flat[i]!);
    out = [...vars.values()];
  }
  c.byCount.set(lo, out);
  return out;
}

/** Pods that saw the same Services share their variables (the objects are each Service's own). */
export interface EnvCache {
  /** The Service list last indexed by namespace. */
  byNamespace?: { list: readonly ServiceModel[]; map: Map<string, ServiceModel[]> };
  /**
   * Per namespace and enableServiceLinks: the candidate Services in creation order, their
   * variables end to end (`offsets[i]`: where Service i's start), the first position whose name
   * came earlier, and the list for each number of Services seen.
   */
  readonly candidates: Map<string, { svcs: ServiceModel[]; flat: { name: string; value: string }[]; offsets: number[]; firstRepeat: number; byCount: Map<number, { name: string; value: string }[]> }>;
}

export const newEnvCache = (): EnvCache => ({ candidates: new Map() });
