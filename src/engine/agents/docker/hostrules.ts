/**
 * dockerd's iptables rules for the default bridge (libnetwork's bridge driver): the DOCKER
 * chains, the isolation stages, DOCKER-USER, and for every published port (`docker run -p
 * 8080:80`) a DNAT in nat/DOCKER, an ACCEPT in filter/DOCKER and a hairpin MASQUERADE.
 *
 *   outside ─► host:8080 ─► PREROUTING ─► DOCKER: ! -i docker0 --dport 8080 -j DNAT 172.17.0.2:80
 *   container ─► outside ─► POSTROUTING: -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
 *
 * Rules are written in the canonical form iptables-save prints them in.
 */
import { formatIPv4, formatPrefix, nthAddress, parsePrefix } from '../../addr/ip';
import type { ContainerIn } from '../../scenario/schema/knp';
import type { Ruleset } from '../../netfilter/ruleset';

export interface PublishedPort {
  readonly hostIP: string;
  readonly hostPort: number;
  readonly containerPort: number;
  readonly protocol: 'tcp' | 'udp';
}

/** Parses docker -p specs: "8080:80", "127.0.0.1:8080:80", "53:53/udp", "80" (same port). */
export function parsePublish(spec: string | number): PublishedPort | null {
  let s = String(spec);
  let protocol: 'tcp' | 'udp' = 'tcp';
  const slash = s.indexOf('/');
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (p !== 'tcp' && p !== 'udp') return null;
    protocol = p;
    s = s.slice(0, slash);
  }
  const parts = s.split(':');
  const nums = parts.slice(-2).map(Number);
  if (nums.some((n) => !Number.isInteger(n) || n < 1 || n > 65535)) return null;
  if (parts.length === 1) return { hostIP: '0.0.0.0', hostPort: nums[0]!, containerPort: nums[0]!, protocol };
  if (parts.length === 2) return { hostIP: '0.0.0.0', hostPort: nums[0]!, containerPort: nums[1]!, protocol };
  if (parts.length === 3) return { hostIP: parts[0] || '0.0.0.0', hostPort: nums[0]!, containerPort: nums[1]!, protocol };
  return null;
}

export interface DockerContainer {
  readonly name: string;
  readonly ip: string;
  readonly spec: ContainerIn['spec'];
}

/**
 * Bridge-network containers of a host with their addresses: docker's IPAM hands out .2, .3, ...
 * of the bridge subnet in start order (the gateway docker0 has .1). `lookup` may supply the
 * address the network layer actually gave a container.
 */
export function dockerContainers(containers: readonly { meta: { name: string; createdIndex: number }; spec: ContainerIn['spec'] }[], host: string, bridgeCIDR: string, lookup?: (name: string) => string | undefined): DockerContainer[] {
  const p = parsePrefix(bridgeCIDR, true);
  const out: DockerContainer[] = [];
  let next = 2;
  for (const c of [...containers].filter((c) => c.spec.host === host && c.spec.network === 'bridge').sort((a, b) => a.meta.createdIndex - b.meta.createdIndex)) {
    const ip = lookup?.(c.meta.name) ?? (p ? formatIPv4(nthAddress(p, next)) : '');
    next++;
    if (ip) out.push({ name: c.meta.name, ip, spec: c.spec });
  }
  return out;
}

export function writeDockerRules(rs: Ruleset, bridgeCIDR: string, containers: readonly DockerContainer[], bridge = 'docker0'): void {
  const subnet = parsePrefix(bridgeCIDR, true);
  const net = subnet ? formatPrefix(subnet) : bridgeCIDR;
  // dockerd turns on ip_forward and, with it, sets the FORWARD policy to DROP.
  rs.policy('filter', 'FORWARD', 'DROP');
  rs.chain('nat', 'DOCKER');
  rs.append('nat', 'PREROUTING', '-m addrtype --dst-type LOCAL -j DOCKER');
  rs.append('nat', 'OUTPUT', '! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER');
  rs.append('nat', 'POSTROUTING', `-s ${net} ! -o ${bridge} -j MASQUERADE`);
  rs.append('nat', 'DOCKER', `-i ${bridge} -j RETURN`);

  for (const c of ['DOCKER', 'DOCKER-ISOLATION-STAGE-1', 'DOCKER-ISOLATION-STAGE-2', 'DOCKER-USER']) rs.chain('filter', c);
  rs.append('filter', 'FORWARD', '-j DOCKER-USER');
  rs.append('filter', 'FORWARD', '-j DOCKER-ISOLATION-STAGE-1');
  rs.append('filter', 'FORWARD', `-o ${bridge} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
  rs.append('filter', 'FORWARD', `-o ${bridge} -j DOCKER`);
  rs.append('filter', 'FORWARD', `-i ${bridge} ! -o ${bridge} -j ACCEPT`);
  rs.append('filter', 'FORWARD', `-i ${bridge} -o ${bridge} -j ACCEPT`);
  rs.append('filter', 'DOCKER-ISOLATION-STAGE-1', `-i ${bridge} ! -o ${bridge} -j DOCKER-ISOLATION-STAGE-2`);
  rs.append('filter', 'DOCKER-ISOLATION-STAGE-1', '-j RETURN');
  rs.append('filter', 'DOCKER-ISOLATION-STAGE-2', `-o ${bridge} -j DROP`);
  rs.append('filter', 'DOCKER-ISOLATION-STAGE-2', '-j RETURN');
  rs.append('filter', 'DOCKER-USER', '-j RETURN');

  for (const c of containers) {
    for (const spec of c.spec.ports ?? []) {
      const p = parsePublish(spec);
      if (!p) continue;
      const m = `-p ${p.protocol} -m ${p.protocol}`;
      rs.append('nat', 'POSTROUTING', `-s ${c.ip}/32 -d ${c.ip}/32 ${m} --dport ${p.containerPort} -j MASQUERADE`);
      const dst = p.hostIP !== '0.0.0.0' ? `-d ${p.hostIP}/32 ` : '';
      rs.append('nat', 'DOCKER', `${dst}! -i ${bridge} ${m} --dport ${p.hostPort} -j DNAT --to-destination ${c.ip}:${p.containerPort}`);
      rs.append('filter', 'DOCKER', `-d ${c.ip}/32 ! -i ${bridge} -o ${bridge} ${m} --dport ${p.containerPort} -j ACCEPT`);
    }
  }
}
