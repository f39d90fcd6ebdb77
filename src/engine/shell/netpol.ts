/**
 * `kubectl describe networkpolicy` as kubectl prints it (describe.go's describeNetworkPolicy).
 * kubectl's command lives with the control plane's kubectl; it calls describeNetworkPolicy.
 */
import type { ClusterModel } from '../model/cluster';
import type { NetworkPolicyIn } from '../scenario/schema/k8s';
import { formatSelector, selectorIsEmpty } from '../policy/selector';
import { policyTypesOf, type PolicyModel } from '../policy/evaluate';
import { CLUSTER_EPOCH_MS } from './kubectlFormat';

type Rule = NonNullable<NetworkPolicyIn['spec']['ingress']>[number];
type Peer = NonNullable<Rule['from']>[number];

/** metav1.Time as kubectl's describe prints it ("2024-05-01 09:00:00 +0000 UTC"). */
function createdOn(seconds: number): string {
  const d = new Date(CLUSTER_EPOCH_MS + seconds * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`;
}

/** kubectl's multi-line Labels/Annotations block, already padded to the 14-column header. */
function multiline(title: string, m: Readonly<Record<string, string>>): string {
  const keys = Object.keys(m).sort();
  const head = `${title}:`.padEnd(14);
  if (!keys.length) return `${head}<none>\n`;
  return keys.map((k, i) => `${i === 0 ? head : ' '.repeat(14)}${k}=${m[k]}\n`).join('');
}

function peers(list: readonly Peer[] | undefined, word: 'From' | 'To', anyText: string, indent: string): string {
  if (!list || list.length === 0) return `${indent}${word}: <any> (${anyText})\n`;
  let out = '';
  for (const p of list) {
    out += `${indent}${word}:\n`;
    const i1 = `  ${indent}`;
    if (p.podSelector && p.namespaceSelector) {
      out += `${i1}NamespaceSelector: ${formatSelector(p.namespaceSelector)}\n${i1}PodSelector: ${formatSelector(p.podSelector)}\n`;
    } else if (p.podSelector) out += `${i1}PodSelector: ${formatSelector(p.podSelector)}\n`;
    else if (p.namespaceSelector) out += `${i1}NamespaceSelector: ${formatSelector(p.namespaceSelector)}\n`;
    else if (p.ipBlock) out += `${i1}IPBlock:\n    ${indent}CIDR: ${p.ipBlock.cidr}\n    ${indent}Except: ${(p.ipBlock.except ?? []).join(', ')}\n`;
  }
  return out;
}

function rules(list: readonly Rule[] | undefined, dir: 'ingress' | 'egress'): string {
  const indent = '    ';
  if (!list || list.length === 0) return `${indent}<none> (Selected pods are isolated for ${dir} connectivity)\n`;
  return list.map((r, i) => {
    let out = '';
    if (!r.ports || r.ports.length === 0) out += `${indent}To Port: <any> (traffic allowed to all ports)\n`;
    else for (const p of r.ports) out += `${indent}To Port: ${p.port ?? '<nil>'}/${p.protocol ?? 'TCP'}\n`;
    out += dir === 'ingress'
      ? peers((r as { from?: Peer[] }).from, 'From', 'traffic not restricted by source', indent)
      : peers((r as { to?: Peer[] }).to, 'To', 'traffic not restricted by destination', indent);
    if (i !== list.length - 1) out += `${indent}----------\n`;
    return out;
  }).join('');
}

export function describePolicy(p: PolicyModel): string {
  const types = policyTypesOf(p);
  const typeList = p.spec.policyTypes && p.spec.policyTypes.length ? p.spec.policyTypes : [...(types.ingress ? ['Ingress'] : []), ...(types.egress ? ['Egress'] : [])];
  let out = `${'Name:'.padEnd(14)}${p.meta.name}\n${'Namespace:'.padEnd(14)}${p.meta.namespace}\n${'Created on:'.padEnd(14)}${createdOn(p.meta.createdAt)}\n`;
  out += multiline('Labels', p.meta.labels);
  out += multiline('Annotations', p.meta.annotations);
  out += 'Spec:\n';
  out += `  PodSelector:     ${selectorIsEmpty(p.spec.podSelector) ? '<none> (Allowing the specific traffic to all pods in this namespace)' : formatSelector(p.spec.podSelector)}\n`;
  out += types.ingress ? `  Allowing ingress traffic:\n${rules(p.spec.ingress, 'ingress')}` : '  Not affecting ingress traffic\n';
  out += types.egress ? `  Allowing egress traffic:\n${rules(p.spec.egress, 'egress')}` : '  Not affecting egress traffic\n';
  out += `  Policy Types: ${typeList.join(', ')}\n`;
  return out;
}

/**
 * `kubectl describe networkpolicy [NAME...] -n NS`: the policies, separated by a blank line, or
 * kubectl's error. `names` empty = every policy of the namespace.
 */
export function describeNetworkPolicy(model: ClusterModel, namespace: string, names: readonly string[]): { stdout: string; stderr: string; exitCode: number } {
  const inNs = model.networkPolicies.filter((p) => p.meta.namespace === namespace);
  if (!names.length) {
    if (!inNs.length) return { stdout: '', stderr: `No resources found in ${namespace} namespace.\n`, exitCode: 0 };
    return { stdout: inNs.map(describePolicy).join('\n\n'), stderr: '', exitCode: 0 };
  }
  const found: string[] = [];
  let stderr = '';
  for (const n of names) {
    const exact = inNs.find((p) => p.meta.name === n);
    // kubectl describe also accepts a name prefix.
    const matches = exact ? [exact] : inNs.filter((p) => p.meta.name.startsWith(n));
    if (!matches.length) stderr += `Error from server (NotFound): networkpolicies.networking.k8s.io "${n}" not found\n`;
    found.push(...matches.map(describePolicy));
  }
  return { stdout: found.join('\n\n'), stderr, exitCode: stderr ? 1 : 0 };
}
