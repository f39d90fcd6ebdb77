/**
 * Cilium as one plugin: the datapath (plugin.ts: lxc veths, cilium_host/cilium_net,
 * cilium_vxlan or native routes), its BPF programs as device and socket hooks (bpf.ts, modelled
 * not run), identities and policy maps (identity.ts), its load-balancing maps (lb.ts), the
 * iptables rules the agent still writes (hostrules.ts), its DaemonSet and `cilium-dbg` (tools.ts).
 *
 * kubeProxyReplacement: kube-proxy writes nothing (replacesKubeProxy) and the programs serve
 * Services: a Pod's connect() to a ClusterIP is translated at the socket, a NodePort at from-netdev.
 */
import type { ClusterModel, NodeModel } from '../../model/cluster';
import type { ClusterSpec } from '../../scenario/schema/knp';
import type * as In from '../../scenario/schema/k8s';
import { chooseBackend } from '../backend';
import type { CniPlugin, CniSystemObjects } from '../plugin';
import { ciliumPrograms } from './bpf';
import { CILIUM_NODE_SET, writeCiliumRules } from './hostrules';
import { ciliumDatapath, routerIp, type CiliumBackend } from './plugin';
import { ciliumTools } from './tools';

export const CILIUM_VERSION = '1.16.5';
export const CILIUM_IMAGE = `quay.io/cilium/cilium:v${CILIUM_VERSION}`;
const BACKENDS: readonly CiliumBackend[] = ['vxlan', 'native'];

export const kprOn = (spec: ClusterSpec): boolean => spec.network.kubeProxyReplacement === true;
export const backendOf = (model: ClusterModel): CiliumBackend => (model.spec.network.backend === 'native' ? 'native' : 'vxlan');

function systemObjects(_spec: ClusterSpec): CniSystemObjects {
  const ds: In.DaemonSetIn = {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'cilium', namespace: 'kube-system', labels: { 'k8s-app': 'cilium', 'app.kubernetes.io/name': 'cilium-agent', 'app.kubernetes.io/part-of': 'cilium' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'cilium' } },
      template: {
        metadata: { labels: { 'k8s-app': 'cilium', 'app.kubernetes.io/name': 'cilium-agent' } },
        spec: {
          hostNetwork: true, priorityClassName: 'system-node-critical',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists' }],
          containers: [{ name: 'cilium-agent', image: CILIUM_IMAGE, command: ['cilium-agent'], args: ['--config-dir=/tmp/cilium/config-map'] }],
        },
      },
    },
  };
  return { namespaces: [], daemonSets: [ds] };
}

export const cilium: CniPlugin = {
  id: 'cilium',
  backends: BACKENDS,
  enforcesPolicy: true,
  conflistName: 'cilium',
  conflistFile: '05-cilium.conflist',
  conflist: () => ({ cniVersion: '0.3.1', name: 'cilium', plugins: [{ type: 'cilium-cni', 'enable-debug': false, 'log-file': '/var/run/cilium/cilium-cni.log' }] }),
  datapath: (ctx) => ciliumDatapath(ctx, chooseBackend(ctx, BACKENDS, 'vxlan'), kprOn(ctx.model.spec)),
  systemObjects,
  writeHostRules: (rs, model, node) => writeCiliumRules(rs, model.spec.podCIDR, node.podCIDR),
  ipsets: (model) => [{ name: CILIUM_NODE_SET, type: 'hash:ip', members: new Set(model.nodes.flatMap((n) => [n.ip, ...n.extraAddresses])) }],
  // Policy is enforced in the programs (to-container / from-container), not in iptables.
  installPolicy: () => [],
  nodeFile: () => null,
  nodeAnnotations: (_model: ClusterModel, node: NodeModel): Record<string, string> => {
    const r = routerIp(node.podCIDR);
    return r ? { 'io.cilium.network.ipv4-cilium-host': r, 'io.cilium.network.ipv4-pod-cidr': node.podCIDR } : {};
  },
  networkCondition: '  NetworkUnavailable\tFalse\tCiliumIsUp\tCilium is running on this node',
  replacesKubeProxy: kprOn,
  programs: ciliumPrograms,
  settings: ['kubeProxyReplacement'],
  tools: ciliumTools,
};
