/**
 * The kube-proxy settings that change the rules it writes, taken from the Cluster's `kubeProxy`
 * block (the flags --masquerade-all, --iptables-masquerade-bit, --nodeport-addresses,
 * --iptables-localhost-nodeports, --detect-local-mode, --ipvs-scheduler).
 */
import { cniOf } from '../../cni/registry';
import type { ClusterModel } from '../../model/cluster';

export interface ProxyConfig {
  readonly mode: 'iptables' | 'ipvs' | 'nftables' | 'userspace' | 'none';
  readonly masqueradeAll: boolean;
  /** "0x00004000": Go's fmt.Sprintf("%#08x", 1<<bit), exactly as kube-proxy formats it. */
  readonly masqueradeMark: string;
  /** CIDRs from --nodeport-addresses; empty = every local address (addrtype LOCAL). */
  readonly nodePortAddresses: readonly string[];
  readonly localhostNodePorts: boolean;
  /** The cluster CIDR for the ClusterCIDR local-traffic detector, or null for "None". */
  readonly clusterCIDR: string | null;
  readonly scheduler: string;
  /** iptables with --random-fully support (every iptables since 1.6.2). */
  readonly randomFully: boolean;
  /** nf_conntrack_tcp_be_liberal: when set, kube-proxy skips the INVALID drop rule. */
  readonly conntrackTCPLiberal: boolean;
  /** The kernel has nfnetlink_acct: kube-proxy creates its counters and matches them (-m nfacct). */
  readonly nfacct: boolean;
}

export function masqueradeMark(bit: number): string {
  return `0x${((1 << bit) >>> 0).toString(16).padStart(8, '0')}`;
}

export function proxyConfig(model: ClusterModel): ProxyConfig {
  const kp = model.spec.kubeProxy;
  return {
    // A plugin that serves Services itself leaves kube-proxy nothing to write.
    mode: cniOf(model.spec).replacesKubeProxy?.(model.spec) ? 'none' : kp.mode,
    masqueradeAll: kp.masqueradeAll,
    masqueradeMark: masqueradeMark(kp.masqueradeBit),
    nodePortAddresses: kp.nodePortAddresses ?? [],
    // Without route_localnet a packet to 127.0.0.1 cannot be DNATed out: kube-proxy keeps localhost NodePorts off.
    localhostNodePorts: kp.localhostNodePorts && model.spec.kernel.routeLocalnet,
    clusterCIDR: kp.localDetector === 'None' ? null : model.spec.podCIDR,
    scheduler: kp.scheduler,
    randomFully: model.spec.kernel.randomFully,
    conntrackTCPLiberal: false,
    nfacct: model.spec.kernel.nfacct,
  };
}

/** A stable key of the settings, so cached per-service blocks are dropped when one changes. */
export function configKey(c: ProxyConfig): string {
  return [c.mode, c.masqueradeAll, c.masqueradeMark, c.nodePortAddresses.join(','), c.localhostNodePorts, c.clusterCIDR, c.scheduler, c.randomFully, c.conntrackTCPLiberal, c.nfacct].join('|');
}
