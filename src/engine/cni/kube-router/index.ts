/**
 * kube-router as one plugin (cloudnativelabs/kube-router v2.x, its kubeadm "all features"
 * DaemonSet: --run-router --run-firewall --run-service-proxy): the datapath (plugin.ts: the
 * kube-bridge, BGP-learned routes `proto 17`, IPIP tunnels across subnets), the rules its
 * routing and proxy controllers keep (hostrules.ts), its own IPVS service proxy in place of
 * kube-proxy (proxy.ts), its NetworkPolicy firewall (policy.ts) and the gobgp CLI (tools.ts).
 */
import type { ClusterModel, NodeModel } from '../../model/cluster';
import type { ClusterSpec } from '../../scenario/schema/knp';
import type * as In from '../../scenario/schema/k8s';
import { chooseBackend } from '../backend';
import type { CniPlugin, CniSystemObjects } from '../plugin';
import { kubeRouterSets, writeKubeRouterRules } from './hostrules';
import { KUBE_ROUTER_ASN, kubeRouterPlugin, type KubeRouterBackend } from './plugin';
import { installNetpol } from './policy';
import { installKubeRouterProxy } from './proxy';
import { kubeRouterTools } from './tools';

export const KUBE_ROUTER_IMAGE = 'docker.io/cloudnativelabs/kube-router:v2.11.0';
export const KUBE_ROUTER_CONDITION = '  NetworkUnavailable\tFalse\tRouteCreated\tkube-router created the routes to the other nodes\' Pod subnets';

const BACKENDS: readonly KubeRouterBackend[] = ['bgp', 'ipip'];

const backendOf = (spec: ClusterSpec): KubeRouterBackend => (spec.network.backend === 'ipip' ? 'ipip' : 'bgp');

function systemObjects(spec: ClusterSpec): CniSystemObjects {
  const overlay = backendOf(spec) === 'ipip';
  const ds: In.DaemonSetIn = {
    apiVersion: 'apps/v1', kind: 'DaemonSet',
    metadata: { name: 'kube-router', namespace: 'kube-system', labels: { 'k8s-app': 'kube-router', tier: 'node' } },
    spec: {
      selector: { matchLabels: { 'k8s-app': 'kube-router', tier: 'node' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-router', tier: 'node' } },
        spec: {
          hostNetwork: true, priorityClassName: 'system-node-critical',
          tolerations: [{ effect: 'NoSchedule', operator: 'Exists' }, { key: 'CriticalAddonsOnly', operator: 'Exists' }, { effect: 'NoExecute', operator: 'Exists' }],
          containers: [{
            name: 'kube-router', image: KUBE_ROUTER_IMAGE,
            args: ['--run-router=true', '--run-firewall=true', '--run-service-proxy=true', '--bgp-graceful-restart=true', `--enable-overlay=${overlay}`, ...(overlay ? ['--overlay-type=subnet'] : []), '--kubeconfig=/var/lib/kube-router/kubeconfig'],
          }],
        },
      },
    },
  };
  return { namespaces: [], daemonSets: [ds] };
}

function nodeAnnotations(_model: ClusterModel, _node: NodeModel): Record<string, string> {
  return {};
}

export const kubeRouter: CniPlugin = {
  id: 'kube-router',
  backends: BACKENDS,
  enforcesPolicy: true,
  conflistName: 'mynet',
  conflistFile: '10-kuberouter.conflist',
  conflist: () => ({ cniVersion: '0.3.0', name: 'mynet', plugins: [{ name: 'kubernetes', type: 'bridge', bridge: 'kube-bridge', isDefaultGateway: true, hairpinMode: true, ipam: { type: 'host-local' } }] }),
  datapath: (ctx) => kubeRouterPlugin(ctx, chooseBackend(ctx, BACKENDS, 'bgp')),
  systemObjects,
  writeHostRules: (rs, model, node) => writeKubeRouterRules(rs, model, node, true),
  ipsets: kubeRouterSets,
  // kube-router v2 is dual-stack: IPv6 policy rules go to ip6tables with inet6 ipsets.
  ipv6Policy: true,
  installPolicy: installNetpol,
  nodeFile: () => null,
  nodeAnnotations,
  networkCondition: KUBE_ROUTER_CONDITION,
  // --run-service-proxy: kube-router programs IPVS itself, kube-proxy is not deployed.
  replacesKubeProxy: () => true,
  installServiceProxy: installKubeRouterProxy,
  tools: kubeRouterTools,
};

export { KUBE_ROUTER_ASN };
