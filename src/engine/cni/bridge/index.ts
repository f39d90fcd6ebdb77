/** The CNI bridge plugin alone, as one plugin: the datapath only; the cloud's route table carries Pod subnets. */
import type { CniPlugin } from '../plugin';
import { bridgePlugin } from './plugin';

export const bridge: CniPlugin = {
  id: 'bridge',
  backends: ['none'],
  enforcesPolicy: false,
  conflistName: 'bridge',
  conflistFile: '10-bridge.conflist',
  conflist: (model, node) => ({ cniVersion: '0.3.1', name: 'bridge', plugins: [{ type: 'bridge', bridge: model.spec.network.bridge, isGateway: true, ipMasq: true, hairpinMode: true, ipam: { type: 'host-local', ranges: [[{ subnet: node.podCIDR }]], routes: [{ dst: '0.0.0.0/0' }] } }, { type: 'portmap', capabilities: { portMappings: true } }] }),
  datapath: (ctx) => bridgePlugin(ctx.model.spec.network.mtu),
  systemObjects: () => ({ namespaces: [], daemonSets: [] }),
  writeHostRules: () => {},
  ipsets: () => [],
  installPolicy: () => [],
  nodeFile: () => null,
  nodeAnnotations: () => ({}),
  networkCondition: '  NetworkUnavailable\tFalse\tRouteCreated\tRouteController created a route',
  ipv6: () => true,
};
