/**
 * The control plane in one pass: scenario objects → ClusterModel, plus the diagnostics the
 * API server, the controllers and the scheduler would produce.
 * (Skeleton: the control-plane work fills this in.)
 */
import type { ClusterModel } from '../model/cluster';
import type { Diagnostic } from '../scenario/diagnostics';
import type { ScenarioObjects } from '../scenario/load';
import { clusterSpec } from '../scenario/schema/knp';
import type { Rand } from '../util/rand';

export function reconcile(objects: ScenarioObjects, _rand: Rand, _diagnostics: Diagnostic[]): ClusterModel {
  const spec = objects.cluster?.obj.spec ?? clusterSpec.parse({});
  return {
    hasCluster: true, name: objects.cluster?.obj.metadata.name ?? 'kind', spec,
    nodes: [], namespaces: [], pods: [], workloads: [], services: [], endpoints: [], endpointSlices: [],
    configMaps: [], secrets: [], ingresses: [], ingressClasses: [], networkPolicies: [], externalHosts: [],
    probes: [], hosts: [], containers: [],
  };
}
