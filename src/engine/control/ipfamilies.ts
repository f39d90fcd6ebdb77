/**
 * The API server's dual-stack defaulting and checks for a new Service (issue #18, stage 1): what
 * kube-apiserver's Service REST storage does before it allocates cluster IPs. A policy left out
 * is SingleStack, except on a headless Service without a selector (RequireDualStack); families
 * are inferred from clusterIPs, then from the cluster's primary family, and a Service asking for
 * dual-stack on a dual-stack cluster gets the other family appended. Errors carry upstream's
 * field paths and sentences, so they read as `kubectl apply` prints them.
 *
 * Pure: services.ts (stage 2: allocation of clusterIPs per family) calls it with the cluster's
 * service families (spec.serviceCIDRs, primary first).
 */
import { ipFamily } from '../addr/family';

export type IPFamily = 'IPv4' | 'IPv6';
export type IPFamilyPolicy = 'SingleStack' | 'PreferDualStack' | 'RequireDualStack';

export interface FamilyInput {
  readonly type?: string;
  readonly clusterIP?: string;
  readonly clusterIPs?: readonly string[];
  readonly ipFamilies?: readonly string[];
  readonly ipFamilyPolicy?: string;
  readonly hasSelector: boolean;
}

export interface FamilyError {
  /** Upstream's field path, e.g. ['spec', 'ipFamilyPolicy'] or ['spec', 'ipFamilies', 1]. */
  readonly path: readonly (string | number)[];
  /** Upstream's text after the field, e.g. `Invalid value: "SingleStack": must be ...`. */
  readonly detail: string;
}

export type FamilyResult =
  | { readonly ok: true; readonly ipFamilyPolicy: IPFamilyPolicy | null; readonly ipFamilies: readonly IPFamily[] }
  | { readonly ok: false; readonly errors: readonly FamilyError[] };

const fieldText = (path: readonly (string | number)[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${p}`)).join('');

/** `spec.ipFamilyPolicy: Invalid value: "SingleStack": ...`, the way kubectl prints one cause. */
export function familyErrorText(e: FamilyError): string {
  return `${fieldText(e.path)}: ${e.detail}`;
}

const famOf = (ip: string): IPFamily | null => { const f = ipFamily(ip); return f === 4 ? 'IPv4' : f === 6 ? 'IPv6' : null; };
const other = (f: IPFamily): IPFamily => (f === 'IPv4' ? 'IPv6' : 'IPv4');
const q = (v: unknown): string => JSON.stringify(v);

/** Defaults and checks ipFamilyPolicy / ipFamilies of a Service being created on a cluster whose Service ranges have `clusterFamilies` (primary first). */
export function resolveServiceFamilies(svc: FamilyInput, clusterFamilies: readonly IPFamily[]): FamilyResult {
  const errors: FamilyError[] = [];
  if (svc.type === 'ExternalName') {
    if (svc.ipFamilies && svc.ipFamilies.length) errors.push({ path: ['spec', 'ipFamilies'], detail: 'Forbidden: may not be set for ExternalName services' });
    if (svc.ipFamilyPolicy !== undefined) errors.push({ path: ['spec', 'ipFamilyPolicy'], detail: 'Forbidden: may not be set for ExternalName services' });
    return errors.length ? { ok: false, errors } : { ok: true, ipFamilyPolicy: null, ipFamilies: [] };
  }
  const headlessNoSelector = svc.clusterIP === 'None' && !svc.hasSelector;
  // Loose shape checks first (validation's ValidateServiceClusterIPsRelatedFields).
  const policyIn = svc.ipFamilyPolicy;
  if (policyIn !== undefined && !['SingleStack', 'PreferDualStack', 'RequireDualStack'].includes(policyIn)) {
    errors.push({ path: ['spec', 'ipFamilyPolicy'], detail: `Unsupported value: ${q(policyIn)}: supported values: "PreferDualStack", "RequireDualStack", "SingleStack"` });
  }
  const families: IPFamily[] = [];
  (svc.ipFamilies ?? []).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') { errors.push({ path: ['spec', 'ipFamilies', i], detail: `Unsupported value: ${q(f)}: supported values: "IPv4", "IPv6"` }); return; }
    if (families.includes(f)) { errors.push({ path: ['spec', 'ipFamilies', i], detail: `Duplicate value: ${q(f)}` }); return; }
    families.push(f);
  });
  if ((svc.ipFamilies ?? []).length > 2) errors.push({ path: ['spec', 'ipFamilies'], detail: `Invalid value: ${q(svc.ipFamilies)}: may specify no more than one IP for each IP family, i.e 2` });
  const ips = svc.clusterIPs ?? [];
  if (ips.length > 0 && (svc.clusterIP === undefined || svc.clusterIP === '')) errors.push({ path: ['spec', 'clusterIPs'], detail: 'Invalid value: ' + q(ips) + ': must be empty when `clusterIP` is not specified' });
  ips.forEach((ip, i) => {
    if (ip === 'None') return;
    const f = famOf(ip);
    if (f === null) { errors.push({ path: ['spec', 'clusterIPs', i], detail: `Invalid value: ${q(ip)}: must be a valid IP address` }); return; }
    if (i < families.length && families[i] !== f) errors.push({ path: ['spec', 'clusterIPs', i], detail: `Invalid value: ${q(ips)}: expected an ${families[i]} value as indicated by \`ipFamilies[${i}]\`` });
  });
  if (errors.length) return { ok: false, errors };

  const policy: IPFamilyPolicy = (policyIn as IPFamilyPolicy | undefined) ?? (headlessNoSelector ? 'RequireDualStack' : 'SingleStack');
  if (policy === 'SingleStack') {
    if (ips.length === 2) errors.push({ path: ['spec', 'ipFamilyPolicy'], detail: `Invalid value: ${q(policy)}: must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified` });
    if (families.length === 2) errors.push({ path: ['spec', 'ipFamilyPolicy'], detail: `Invalid value: ${q(policy)}: must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified` });
  }
  // Families follow the clusterIPs the user wrote.
  for (const [i, ip] of ips.entries()) {
    if (ip === 'None') break;
    if (i < families.length) continue;
    const f = famOf(ip)!;
    if (!clusterFamilies.includes(f)) errors.push({ path: ['spec', 'clusterIPs', i], detail: `Invalid value: ${q(ips)}: ${f} is not configured on this cluster` });
    else families.push(f);
  }
  if (errors.length) return { ok: false, errors };

  const primary = clusterFamilies[0] ?? 'IPv4';
  if (headlessNoSelector) {
    // Allowed any families, even those the cluster lacks: no address is allocated.
    if (families.length === 0) families.push(primary);
    if (families.length < 2 && policy !== 'SingleStack') families.push(other(families[0]!));
    return { ok: true, ipFamilyPolicy: policy, ipFamilies: families };
  }
  if (policy === 'RequireDualStack' && clusterFamilies.length < 2) errors.push({ path: ['spec', 'ipFamilyPolicy'], detail: `Invalid value: ${q(policy)}: this cluster is not configured for dual-stack services` });
  families.forEach((f, i) => { if (!clusterFamilies.includes(f)) errors.push({ path: ['spec', 'ipFamilies', i], detail: `Invalid value: ${q(f)}: not configured on this cluster` }); });
  if (errors.length) return { ok: false, errors };
  if (families.length === 0) families.push(primary);
  if (policy !== 'SingleStack' && families.length === 1 && clusterFamilies.length === 2) families.push(other(families[0]!));
  return { ok: true, ipFamilyPolicy: policy, ipFamilies: families };
}
