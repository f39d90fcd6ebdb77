/**
 * Builds every machine's network from the control-plane model: nodes, Pods, the CNI plugin's
 * devices and routes, the underlay, external hosts, plain Hosts and Docker containers.
 * (Skeleton: the data-plane work fills this in.)
 */
import type { ClusterModel } from '../model/cluster';
import type { Diagnostic } from '../scenario/diagnostics';
import type { Rand } from '../util/rand';
import type { Network } from './types';

export function buildNetwork(_model: ClusterModel, _rand: Rand, _diagnostics: Diagnostic[]): Network {
  return { namespaces: new Map(), generation: 0 };
}
