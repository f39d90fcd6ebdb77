/**
 * The IPVS table kube-proxy's IPVS mode writes on a node (pkg/proxy/ipvs syncService and
 * syncEndpoint): one virtual server per ClusterIP, external IP, load-balancer VIP and NodePort
 * address, its real servers the Service's endpoints. The kernel side (scheduling, the
 * connection table) is src/engine/ipvs/.
 */
import { parseIPv4 } from '../../addr/ip';
import type { ClusterModel, NodeModel } from '../../model/cluster';
import { vsKey, zeroStats, type IpvsScheduler, type IpvsService, type IpvsState } from '../../ipvs/ipvs';
import { proxyConfig, type ProxyConfig } from './config';
import { categorizeEndpoints, type ProxyEndpoint, type ServicePortInfo, allServicePorts } from './serviceports';
import { anyCidrContains, ipFamily } from '../../addr/family';
import { servicePorts6 } from './iptables6';

function makeService(s: ServicePortInfo, address: string, port: number, endpoints: readonly ProxyEndpoint[], cfg: ProxyConfig): IpvsService {
  const scheduler = (cfg.scheduler || 'rr') as IpvsScheduler;
  return {
    protocol: s.protocol, address, port, scheduler,
    ...(s.sessionAffinityClientIP ? { persistent: s.stickyMaxAgeSeconds } : {}),
    dests: endpoints.map((e) => ({ address: e.ip, port: e.port, weight: 1, forward: 'Masq' as const, activeConn: 0, inactConn: 0, stats: zeroStats() })),
    stats: zeroStats(), servicePort: s.name, cursor: -1, cw: 0,
  };
}

/** syncEndpoint's choice: local endpoints when the policy is Local and there are some, else the cluster ones. */
function endpointsFor(s: ServicePortInfo, nodeName: string, onlyLocal: boolean): readonly ProxyEndpoint[] {
  const { cluster, local } = categorizeEndpoints(s, nodeName);
  if (onlyLocal) return local.length > 0 ? local : cluster;
  return cluster;
}

/**
 * The IPVS table kube-proxy builds on `node`. `nodeAddresses` are the node's local addresses
 * NodePorts listen on (default: its IP and extra addresses, or --nodeport-addresses' picks).
 */
export function buildIpvsState(model: ClusterModel, node: NodeModel, opts: { cfg?: ProxyConfig; nodeAddresses?: readonly string[]; ports?: readonly ServicePortInfo[] } = {}): IpvsState {
  const cfg = opts.cfg ?? proxyConfig(model);
  const ports = opts.ports ?? allServicePorts(model);
  const services = new Map<string, IpvsService>();
  const bound: string[] = [];
  const bind = (ip: string): void => { if (!bound.includes(ip)) bound.push(ip); };
  const nodeAddrs = opts.nodeAddresses ?? [node.ip, ...node.extraAddresses.map((a) => a.split('/')[0]!)];
  const npAddrs = cfg.nodePortAddresses.length === 0 ? nodeAddrs : nodeAddrs.filter((a) => cfg.nodePortAddresses.some((c) => inCidr(a, c === 'primary' ? `${node.ip}/32` : c)));
  const add = (vs: IpvsService): void => { services.set(vsKey(vs.protocol, vs.address, vs.port), vs); };

  for (const s of ports) {
    add(makeService(s, s.clusterIP, s.port.port, endpointsFor(s, node.name, s.internalPolicyLocal), cfg));
    bind(s.clusterIP);
    for (const ip of s.externalIPs) {
      add(makeService(s, ip, s.port.port, endpointsFor(s, node.name, s.externalPolicyLocal), cfg));
      if (!nodeAddrs.includes(ip)) bind(ip);
    }
    for (const ip of s.loadBalancerVIPs) {
      add(makeService(s, ip, s.port.port, endpointsFor(s, node.name, s.externalPolicyLocal), cfg));
      bind(ip);
    }
    if (s.nodePort !== 0) {
      for (const ip of npAddrs) add(makeService(s, ip, s.nodePort, endpointsFor(s, node.name, s.externalPolicyLocal), cfg));
    }
  }
  return { services, templates: new Map(), boundAddresses: bound, conns: new Map(), replies: new Map() };
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, lenS] = cidr.split('/');
  const v = parseIPv4(ip);
  const b = parseIPv4(base ?? '');
  const len = Number(lenS ?? 32);
  if (v === null || b === null) return false;
  const mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
  return ((v & mask) >>> 0) === ((b & mask) >>> 0);
}

/**
 * The IPv6 proxier's virtual servers (dual-stack and IPv6-only clusters), added to the node's
 * table beside the IPv4 ones: one per IPv6 clusterIP, external/LB address and the node's IPv6
 * addresses for NodePorts, real servers the IPv6 endpoints. `ipvsadm -Ln` prints them
 * `[fd00:10:96::a]:53`. Their addresses are not bound to kube-ipvs0 yet (that needs IPv6
 * addresses on devices, the IPv6 data path).
 */
export function addIpv6VirtualServers(state: IpvsState, model: ClusterModel, node: NodeModel, cfgIn?: ProxyConfig): void {
  const cfg = cfgIn ?? proxyConfig(model);
  const node6 = (node.ips ?? []).filter((a) => ipFamily(a) === 6);
  const np6 = cfg.nodePortAddresses.length === 0 ? node6 : node6.filter((a) => cfg.nodePortAddresses.some((c) => anyCidrContains(c, a)));
  const add = (vs: IpvsService): void => { state.services.set(vsKey(vs.protocol, vs.address, vs.port), vs); };
  for (const s of servicePorts6(model)) {
    add(makeService(s, s.clusterIP, s.port.port, endpointsFor(s, node.name, s.internalPolicyLocal), cfg));
    for (const ip of [...s.externalIPs, ...s.loadBalancerVIPs]) add(makeService(s, ip, s.port.port, endpointsFor(s, node.name, s.externalPolicyLocal), cfg));
    if (s.nodePort !== 0) for (const ip of np6) add(makeService(s, ip, s.nodePort, endpointsFor(s, node.name, s.externalPolicyLocal), cfg));
  }
}
