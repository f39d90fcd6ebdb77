/** What the control plane says about NetworkPolicies the data plane will not honour. */
import type { ClusterModel } from '../../model/cluster';
import { NO_RANGE, type Diagnostic } from '../../scenario/diagnostics';
import { policyEnforced } from '../../policy/evaluate';
import { policyEnforcingPlugins } from '../../cni/registry';

export function policyDiagnostics(model: ClusterModel, file: string): Diagnostic[] {
  if (policyEnforced(model) || model.networkPolicies.length === 0) return [];
  const plugin = model.spec.network.plugin;
  const plugins = policyEnforcingPlugins().join(', ');
  return model.networkPolicies.map((p) => ({
    file: p.meta.origin?.file ?? file,
    ...(p.meta.origin ? p.meta.origin.locate(['kind']) : NO_RANGE),
    severity: 'warning' as const,
    code: 'policy-not-enforced',
    message: `NetworkPolicy ${p.meta.namespace}/${p.meta.name} has no effect: the ${plugin} network plugin does not enforce NetworkPolicy`,
    hint: `use a network.plugin that enforces NetworkPolicy in the Cluster spec: ${plugins}`,
    params: { policy: `${p.meta.namespace}/${p.meta.name}`, plugin, plugins },
    subject: `netpol/${p.meta.namespace}/${p.meta.name}`,
  }));
}
