/**
 * Pod spec validation as the API server does it (pkg/apis/core/validation): container names,
 * ports, hostPorts, hostNetwork rules. Used for bare Pods and for workload templates alike;
 * `at` is where the spec sits in the user's YAML.
 */
import { isIp } from '../addr/ip';
import type { Origin } from '../scenario/load';
import type { PodSpecIn } from '../scenario/schema/k8s';
import type { Path } from '../scenario/source';
import type { Params, Reporter } from './diag';
import { dns1123Label, portName } from './validation';

/** Returns false when the API server would reject the spec (errors were reported). */
export function validatePodSpec(spec: PodSpecIn, origin: Origin | undefined, at: Path, r: Reporter, what: string): boolean {
  let ok = true;
  const err = (path: Path, code: string, msg: string, hint?: string, params?: Params) => { ok = false; r.error(origin, [...at, ...path], code, `${what}: ${msg}`, hint, false, params && { object: what, ...params }); };
  if (spec.containers.length === 0) err(['containers'], 'no-containers', 'spec.containers: Required value', 'add at least one container with a name and an image', {});
  const names = new Set<string>();
  const hostPorts = new Map<string, string>();
  const containerPorts = new Map<string, string>();
  spec.containers.forEach((c, ci) => {
    const cp: Path = ['containers', ci];
    const bad = dns1123Label(c.name);
    if (bad) err([...cp, 'name'], 'invalid-name', `spec.containers[${ci}].name: Invalid value: "${c.name}": ${bad}`, 'use lower case letters, digits and "-"', { field: `spec.containers[${ci}].name`, value: c.name });
    if (names.has(c.name)) err([...cp, 'name'], 'duplicate-container-name', `spec.containers[${ci}].name: Duplicate value: "${c.name}"`, 'every container of a Pod needs its own name', { name: c.name });
    names.add(c.name);
    const portNames = new Set<string>();
    (c.ports ?? []).forEach((p, pi) => {
      const pp: Path = [...cp, 'ports', pi];
      const field = `spec.containers[${ci}].ports[${pi}]`;
      const proto = p.protocol ?? 'TCP';
      if (p.containerPort < 1 || p.containerPort > 65535) err([...pp, 'containerPort'], 'port-out-of-range', `${field}.containerPort: Invalid value: ${p.containerPort}: must be between 1 and 65535, inclusive`, 'ports are 1-65535', { field: `${field}.containerPort`, value: p.containerPort });
      if (p.hostPort !== undefined && (p.hostPort < 0 || p.hostPort > 65535)) err([...pp, 'hostPort'], 'port-out-of-range', `${field}.hostPort: Invalid value: ${p.hostPort}: must be between 1 and 65535, inclusive`, 'ports are 1-65535', { field: `${field}.hostPort`, value: p.hostPort });
      if (p.name !== undefined) {
        const pn = portName(p.name);
        if (pn) err([...pp, 'name'], 'invalid-port-name', `${field}.name: Invalid value: "${p.name}": ${pn}`, 'port names are at most 15 lower case letters, digits and "-"', { field: `${field}.name`, value: p.name });
        if (portNames.has(p.name)) err([...pp, 'name'], 'duplicate-port-name', `${field}.name: Duplicate value: "${p.name}"`, 'give each port of a container its own name', { field: `${field}.name`, value: p.name });
        portNames.add(p.name);
      }
      if (spec.hostNetwork && p.hostPort !== undefined && p.hostPort !== 0 && p.hostPort !== p.containerPort) {
        err([...pp, 'hostPort'], 'hostport-mismatch', `${field}.hostPort: Invalid value: ${p.hostPort}: must match \`containerPort\` when \`hostNetwork\` is true`, 'with hostNetwork the container binds the node\'s port directly; drop hostPort or make it equal to containerPort', { field: `${field}.hostPort`, hostPort: p.hostPort ?? 0, containerPort: p.containerPort });
      }
      if (p.hostIP !== undefined && !isIp(p.hostIP)) err([...pp, 'hostIP'], 'invalid-ip', `${field}.hostIP: Invalid value: "${p.hostIP}": must be a valid IP address`, undefined, { field: `${field}.hostIP`, value: p.hostIP });
      if (p.hostPort) {
        const key = `${p.hostIP ?? '0.0.0.0'}/${p.hostPort}/${proto}`;
        const prev = hostPorts.get(key);
        if (prev) err([...pp, 'hostPort'], 'hostport-conflict', `${field}.hostPort: Duplicate value: "${key}" (also used by ${prev})`, 'two containers of one Pod cannot publish the same host port', { field: `${field}.hostPort`, value: key, other: prev });
        hostPorts.set(key, field);
      }
      const ckey = `${p.containerPort}/${proto}`;
      const prevC = containerPorts.get(ckey);
      if (prevC && !prevC.startsWith(`spec.containers[${ci}]`)) {
        r.warn(origin, [...at, ...pp, 'containerPort'], 'container-port-conflict', `${what}: ${field}: port ${ckey} is also declared by ${prevC}; containers of a Pod share one network namespace, so only one of them can bind it`, 'give each container its own port', { params: { object: what, port: ckey, other: prevC } });
      }
      if (!prevC) containerPorts.set(ckey, field);
    });
  });
  for (const [i, a] of (spec.hostAliases ?? []).entries()) {
    if (!isIp(a.ip)) err(['hostAliases', i, 'ip'], 'invalid-ip', `spec.hostAliases[${i}].ip: Invalid value: "${a.ip}": must be a valid IP address`, undefined, { field: `spec.hostAliases[${i}].ip`, value: a.ip });
  }
  if (spec.hostname !== undefined) { const b = dns1123Label(spec.hostname); if (b) err(['hostname'], 'invalid-name', `spec.hostname: Invalid value: "${spec.hostname}": ${b}`, undefined, { field: 'spec.hostname', value: spec.hostname }); }
  if (spec.subdomain !== undefined) { const b = dns1123Label(spec.subdomain); if (b) err(['subdomain'], 'invalid-name', `spec.subdomain: Invalid value: "${spec.subdomain}": ${b}`, undefined, { field: 'spec.subdomain', value: spec.subdomain }); }
  // The API server's two messages (ValidatePodDNSConfig): no dnsConfig at all, or one without nameservers.
  if (spec.dnsPolicy === 'None' && !spec.dnsConfig) err(['dnsPolicy'], 'dns-config-required', 'spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None', 'add dnsConfig.nameservers, or use dnsPolicy: ClusterFirst', { field: 'spec.dnsConfig' });
  else if (spec.dnsPolicy === 'None' && !spec.dnsConfig?.nameservers?.length) err(['dnsConfig'], 'dns-config-required', 'spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None', 'add at least one address under dnsConfig.nameservers, or use dnsPolicy: ClusterFirst', { field: 'spec.dnsConfig.nameservers' });
  return ok;
}
