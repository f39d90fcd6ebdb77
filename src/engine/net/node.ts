/**
 * A cluster node's root namespace before any CNI plugin touches it: lo, eth0 on the underlay with
 * the node IP (and any extra addresses), the default route via the underlay router, the sysctls
 * kubeadm's preflight insists on, and the node's own daemons' sockets.
 */
import type { NodeModel } from '../model/cluster';
import type { BuildCtx } from './context';
import { nodeNsId } from './ids';
import { IP6_RT_PRIO_USER, hasIPv6, nodeIPv6, underlay6, v6Addr } from './ipv6';
import { addAddr, addRoute, createNs, loopbackUp, v4Addr } from './mutate';
import { RT_TABLE_MAIN } from '../route/fib';
import type { NetNs } from './types';
import { attachMachine, type Underlay } from './underlay';

export function buildNodeRoot(ctx: BuildCtx, u: Underlay, node: NodeModel): NetNs {
  const id = nodeNsId(node.name);
  const ns = createNs(ctx.net, id, { kind: 'node', name: node.name }, id);
  loopbackUp(ns);
  const eth0 = attachMachine(ctx, u, ns, node.name, node.ip);
  for (const extra of node.extraAddresses) addAddr(ns, eth0, v4Addr(extra, 32));
  // A dual-stack or IPv6 node: its IPv6 InternalIP on the same NIC, default route via the router's IPv6 address.
  const ip6 = hasIPv6(ctx.model) ? nodeIPv6(node) : undefined;
  const u6 = ip6 ? underlay6(ctx.model) : undefined;
  if (ip6 && u6) {
    addAddr(ns, eth0, v6Addr(ip6, u6.prefixLen));
    addRoute(ns, { family: 6, table: RT_TABLE_MAIN, type: 'unicast', dst: 'default', via: u6.gateway, dev: 'eth0', proto: 'boot', scope: 'global', metric: IP6_RT_PRIO_USER });
  }
  // kubeadm's preflight requires both; br_netfilter is loaded so the bridge key exists.
  Object.assign(ns.sysctl, {
    'net.ipv4.ip_forward': '1',
    'net.ipv4.conf.all.forwarding': '1',
    'net.bridge.bridge-nf-call-iptables': '1',
    'net.bridge.bridge-nf-call-ip6tables': '1',
    'net.bridge.bridge-nf-call-arptables': '1',
    'net.ipv4.conf.all.route_localnet': '1',
    'net.netfilter.nf_conntrack_max': '131072',
  });
  const owner = `node/${node.name}`;
  ns.listeners.push(
    { protocol: 'tcp', address: '0.0.0.0', port: 22, owner, app: { kind: 'sshd' } },
    { protocol: 'tcp', address: '0.0.0.0', port: 10250, owner, app: { kind: 'http', name: 'kubelet' } },
  );
  if (ctx.model.spec.kubeProxy.mode !== 'none') {
    ns.listeners.push(
      { protocol: 'tcp', address: '127.0.0.1', port: 10249, owner, app: { kind: 'http', name: 'kube-proxy' } },
      { protocol: 'tcp', address: '0.0.0.0', port: 10256, owner, app: { kind: 'http', name: 'kube-proxy' } },
    );
  }
  if (node.controlPlane) {
    ns.listeners.push(
      { protocol: 'tcp', address: '0.0.0.0', port: 6443, owner, app: { kind: 'http', name: 'kube-apiserver' } },
      { protocol: 'tcp', address: '127.0.0.1', port: 2379, owner, app: { kind: 'http', name: 'etcd' } },
    );
  }
  return ns;
}
