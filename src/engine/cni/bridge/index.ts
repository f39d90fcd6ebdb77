/** The CNI bridge plugin alone, as one plugin: the datapath only; the cloud's route table carries Pod subnets. */
import type { CniPlugin } from '../plugin';
import { bridgePlugin } from './plugin';

export const bridge: CniPlugin = {
  id: 'bridge',
  backends: ['none'],
  enforcesPolicy: false,
  conflistName: 'bridge',
  datapath: (ctx) => bridgePlugin(ctx.model.spec.network.mtu),
  systemObjects: () => ({ namespaces: [], daemonSets: [] }),
  writeHostRules: () => {},
  ipsets: () => [],
  installPolicy: () => [],
  nodeFile: () => null,
  nodeAnnotations: () => ({}),
  networkCondition: '  NetworkUnavailable\tFalse\tRouteCreated\tRouteController created a route',
};
