/**
 * flannel as one plugin: the datapath (plugin.ts), flanneld's rules (hostrules.ts), its UDP
 * backend's user-space forwarding (flanneld.ts), its
 * DaemonSet in the kube-flannel namespace, /run/flannel/subnet.env and the annotations flanneld
 * puts on each Node.
 */
import type { ClusterModel, NodeModel } from '../../model/cluster';
import type { ClusterSpec } from '../../scenario/schema/knp';
import type * as In from '../../scenario/schema/k8s';
import { chooseBackend } from '../backend';
import type { CniPlugin, CniSystemObjects } from '../plugin';
import { flannelUserspace } from './flanneld';
import { writeFlannelRules } from './hostrules';
import { nodePodCIDR6 } from '../../net/ipv6';
import { flannelMtu, flannelPlugin, flannelSubnetEnv, type FlannelBackend } from './plugin';

export const FLANNEL_IMAGE = 'docker.io/flannel/flannel:v0.25.1';
export const FLANNEL_CONDITION = '  NetworkUnavailable\tFalse\tFlannelIsUp\tFlannel is running on this node';
const SUBNET_ENV = '/run/flannel/subnet.env';

/** /run/flannel/subnet.env for `node` with the given backend (canal runs flannel's vxlan). */
export function flannelNodeFile(model: ClusterModel, node: NodeModel, path: string, backend: FlannelBackend): string | null {
  if (path !== SUBNET_ENV) return null;
  return flannelSubnetEnv(model.spec.podCIDR, node, flannelMtu(backend, model.spec.network.mtu));
}

/** The annotations flanneld writes on a Node (flannel and canal). */
export function flannelAnnotations(model: ClusterModel, node: NodeModel): Record<string, string> {
  return { 'flannel.alpha.coreos.com/public-ip': node.ip, 'flannel.alpha.coreos.com/backend-type': model.spec.network.backend ?? 'vxlan' };
}

function systemObjects(_spec: ClusterSpec): CniSystemObjects {
  const namespace: In.NamespaceIn = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-flannel', labels: { 'k8s-app': 'flannel', 'pod-security.kubernetes.io/enforce': 'privileged' } } };
  const ds: In.DaemonSetIn = {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'kube-flannel-ds', namespace: 'kube-flannel', labels: { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' } },
    spec: {
      selector: { matchLabels: { app: 'flannel' } },
      template: {
        metadata: { labels: { app: 'flannel', tier: 'node' } },
        spec: {
          hostNetwork: true, priorityClassName: 'system-node-critical',
          tolerations: [{ operator: 'Exists', effect: 'NoSchedule' }],
          containers: [{ name: 'kube-flannel', image: FLANNEL_IMAGE, command: ['/opt/bin/flanneld'], args: ['--ip-masq', '--kube-subnet-mgr'] }],
        },
      },
    },
  };
  return { namespaces: [namespace], daemonSets: [ds] };
}

const BACKENDS: readonly FlannelBackend[] = ['vxlan', 'udp', 'host-gw'];

const backendOf = (model: ClusterModel): FlannelBackend => {
  const b = model.spec.network.backend;
  return b === 'udp' || b === 'host-gw' ? b : 'vxlan';
};

export const flannel: CniPlugin = {
  id: 'flannel',
  backends: BACKENDS,
  enforcesPolicy: false,
  conflistName: 'cbr0',
  conflistFile: '10-flannel.conflist',
  conflist: () => ({ name: 'cbr0', cniVersion: '0.3.1', plugins: [{ type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } }, { type: 'portmap', capabilities: { portMappings: true } }] }),
  datapath: (ctx) => flannelPlugin(ctx, chooseBackend(ctx, BACKENDS, 'vxlan')),
  systemObjects,
  writeHostRules: (rs, model, node) => writeFlannelRules(rs, model.spec.podCIDR, node.podCIDR, model.spec.kernel.randomFully),
  // flanneld with EnableIPv6 writes the same chains with ip6tables over the IPv6 network and lease.
  writeHostRules6: (rs, model, node) => {
    const cluster6 = (model.spec.podCIDRs ?? []).find((c) => c.includes(':'));
    const node6 = nodePodCIDR6(node);
    if (cluster6 && node6) writeFlannelRules(rs, cluster6, node6, model.spec.kernel.randomFully, 'ff00::/8');
  },
  ipsets: () => [],
  installPolicy: () => [],
  nodeFile: (model, node, path) => flannelNodeFile(model, node, path, backendOf(model)),
  nodeAnnotations: flannelAnnotations,
  networkCondition: FLANNEL_CONDITION,
  // The udp backend: flanneld reads flannel0 and tunnels in UDP 8285 (flanneld.ts).
  userspace: flannelUserspace,
};
