/**
 * Calico as one plugin: the datapath (plugin.ts), Felix's NAT rules and ipsets (hostrules.ts),
 * its NetworkPolicy enforcement (policy.ts) and the calico-node DaemonSet.
 */
import type { ClusterModel } from '../../model/cluster';
import type * as In from '../../scenario/schema/k8s';
import { chooseBackend } from '../backend';
import type { CniIpSet, CniPlugin, CniSystemObjects } from '../plugin';
import { CALICO_ALL_POOLS_SET, CALICO_MASQ_SET, writeCalicoNatRules } from './hostrules';
import { calicoPlugin, type CalicoBackend } from './plugin';
import { installPolicyRulesDualStack } from './policy';
import { calicoTools } from './tools';

export const CALICO_IMAGE = 'docker.io/calico/node:v3.27.0';
export const CALICO_CONDITION = '  NetworkUnavailable\tFalse\tCalicoIsUp\tCalico is running on this node';

/** The calico-node DaemonSet (Calico and Canal install the same one). */
export function calicoSystemObjects(): CniSystemObjects {
  const ds: In.DaemonSetIn = {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'calico-node', namespace: 'kube-system', labels: { 'k8s-app': 'calico-node' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'calico-node' } },
      template: {
        metadata: { labels: { 'k8s-app': 'calico-node' } },
        spec: {
          hostNetwork: true, priorityClassName: 'system-node-critical',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }],
          containers: [{ name: 'calico-node', image: CALICO_IMAGE }],
        },
      },
    },
  };
  return { namespaces: [], daemonSets: [ds] };
}

/** Felix's IP-pool sets: the pools to masquerade from, and every pool (never masqueraded to). */
function calicoSets(model: ClusterModel): CniIpSet[] {
  const pool = (name: string): CniIpSet => ({ name, type: 'hash:net', members: new Set([model.spec.podCIDR]) });
  return [pool(CALICO_MASQ_SET), pool(CALICO_ALL_POOLS_SET)];
}

/** The device Felix masquerades host-sourced traffic out of: tunl0 (ipip, the default), vxlan.calico, none for plain BGP. */
function tunnelDevice(model: ClusterModel): string | null {
  const backend = model.spec.network.backend;
  return backend === 'vxlan' ? 'vxlan.calico' : backend === 'ipip' || backend === undefined ? 'tunl0' : null;
}

const BACKENDS: readonly CalicoBackend[] = ['bgp', 'ipip', 'vxlan'];

export const calico: CniPlugin = {
  id: 'calico',
  backends: ['bgp', 'ipip', 'vxlan', 'none'],
  enforcesPolicy: true,
  conflistName: 'k8s-pod-network',
  conflistFile: '10-calico.conflist',
  conflist: () => ({ name: 'k8s-pod-network', cniVersion: '0.3.1', plugins: [{ type: 'calico', log_level: 'info', datastore_type: 'kubernetes', mtu: 0, ipam: { type: 'calico-ipam' }, policy: { type: 'k8s' }, kubernetes: { kubeconfig: '/etc/cni/net.d/calico-kubeconfig' } }, { type: 'portmap', capabilities: { portMappings: true } }, { type: 'bandwidth', capabilities: { bandwidth: true } }] }),
  datapath: (ctx) => calicoPlugin(ctx, chooseBackend(ctx, BACKENDS, 'ipip', { none: 'bgp' })),
  systemObjects: calicoSystemObjects,
  writeHostRules: (rs, model) => writeCalicoNatRules(rs, tunnelDevice(model), model.spec.kernel.randomFully),
  ipsets: calicoSets,
  installPolicy: installPolicyRulesDualStack,
  nodeFile: () => null,
  nodeAnnotations: () => ({}),
  networkCondition: CALICO_CONDITION,
  // Every backend: IPv6 goes natively over BGP (IPIP is IPv4-only) or through vxlan-v6.calico.
  ipv6: () => true,
  ipv6Policy: true,
  tools: calicoTools((sim) => sim.model.spec.network.backend !== 'vxlan'),
};
