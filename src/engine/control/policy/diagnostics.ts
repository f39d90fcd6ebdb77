/** What the control plane says about NetworkPolicies the data plane will not honour. */
import type { ClusterModel } from '../../model/cluster';
import { NO_RANGE, type Diagnostic } from '../../scenario/diagnostics';
import { policyEnforced } from '../../policy/evaluate';
import { cniOf, ipv6PolicyPlugins, policyEnforcingPlugins } from '../../cni/registry';

export function policyDiagnostics(model: ClusterModel, file: string): Diagnostic[] {
  if (model.networkPolicies.length === 0) return [];
  if (policyEnforced(model)) return cniOf(model.spec).ipv6Policy === false ? ipv6BlockDiagnostics(model, file) : [];
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

/** A plugin whose policy controller has no IPv6 (weave-npc): each IPv6 ipBlock it leaves out, at the block's cidr. */
function ipv6BlockDiagnostics(model: ClusterModel, file: string): Diagnostic[] {
  const plugin = model.spec.network.plugin;
  const plugins = ipv6PolicyPlugins().join(', ');
  const out: Diagnostic[] = [];
  for (const p of model.networkPolicies) {
    for (const dir of ['ingress', 'egress'] as const) {
      const peersKey = dir === 'ingress' ? 'from' : 'to';
      (p.spec[dir] ?? []).forEach((rule, i) => {
        const peers = (rule as { from?: unknown[]; to?: unknown[] })[peersKey] as { ipBlock?: { cidr: string; except?: string[] } }[] | undefined;
        (peers ?? []).forEach((peer, k) => {
          const cidr = peer.ipBlock?.cidr;
          if (!cidr || !cidr.includes(':')) return;
          const path = ['spec', dir, i, peersKey, k, 'ipBlock', 'cidr'];
          out.push({
            file: p.meta.origin?.file ?? file,
            ...(p.meta.origin ? p.meta.origin.locate(path) : NO_RANGE),
            severity: 'warning' as const,
            code: 'policy-ipv6-unsupported',
            message: `NetworkPolicy ${p.meta.namespace}/${p.meta.name}: the ipBlock ${cidr} is IPv6, but the ${plugin} network plugin has no IPv6; its policy controller leaves the block out of its IPv4 rules, so the block allows nothing`,
            hint: `use an IPv4 ipBlock, or a plugin that enforces IPv6 policy: ${plugins}`,
            params: { policy: `${p.meta.namespace}/${p.meta.name}`, cidr, plugin, plugins },
            subject: `netpol/${p.meta.namespace}/${p.meta.name}`,
          });
        });
      });
    }
  }
  return out;
}
