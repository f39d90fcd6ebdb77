import { describe, expect, it } from 'vitest';
import { familyErrorText, resolveServiceFamilies, type FamilyInput, type IPFamily } from '../../../src/engine/control/ipfamilies';

const V4: IPFamily[] = ['IPv4'];
const DUAL: IPFamily[] = ['IPv4', 'IPv6'];
const DUAL6: IPFamily[] = ['IPv6', 'IPv4'];
const svc = (s: Partial<FamilyInput> = {}): FamilyInput => ({ hasSelector: true, ...s });
const ok = (s: FamilyInput, c: IPFamily[]) => {
  const r = resolveServiceFamilies(s, c);
  if (!r.ok) throw new Error(r.errors.map(familyErrorText).join('; '));
  return [r.ipFamilyPolicy, r.ipFamilies];
};
const errs = (s: FamilyInput, c: IPFamily[]): string[] => {
  const r = resolveServiceFamilies(s, c);
  return r.ok ? [] : r.errors.map(familyErrorText);
};

describe('Service ipFamilyPolicy / ipFamilies defaulting', () => {
  it('defaults to SingleStack on the primary family of the cluster', () => {
    expect(ok(svc(), V4)).toEqual(['SingleStack', ['IPv4']]);
    expect(ok(svc(), DUAL)).toEqual(['SingleStack', ['IPv4']]);
    expect(ok(svc(), DUAL6)).toEqual(['SingleStack', ['IPv6']]);
  });
  it('PreferDualStack takes both families on a dual-stack cluster and stays single elsewhere', () => {
    expect(ok(svc({ ipFamilyPolicy: 'PreferDualStack' }), DUAL)).toEqual(['PreferDualStack', ['IPv4', 'IPv6']]);
    expect(ok(svc({ ipFamilyPolicy: 'PreferDualStack', ipFamilies: ['IPv6'] }), DUAL)).toEqual(['PreferDualStack', ['IPv6', 'IPv4']]);
    expect(ok(svc({ ipFamilyPolicy: 'PreferDualStack' }), V4)).toEqual(['PreferDualStack', ['IPv4']]);
  });
  it('RequireDualStack needs a dual-stack cluster', () => {
    expect(ok(svc({ ipFamilyPolicy: 'RequireDualStack' }), DUAL6)).toEqual(['RequireDualStack', ['IPv6', 'IPv4']]);
    expect(errs(svc({ ipFamilyPolicy: 'RequireDualStack' }), V4)).toEqual(['spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services']);
  });
  it('infers families from clusterIPs and refuses a family the cluster lacks', () => {
    expect(ok(svc({ clusterIP: 'fd00:10:96::a', clusterIPs: ['fd00:10:96::a'] }), DUAL)).toEqual(['SingleStack', ['IPv6']]);
    expect(errs(svc({ clusterIP: 'fd00::a', clusterIPs: ['fd00::a'] }), V4)).toEqual(['spec.clusterIPs[0]: Invalid value: ["fd00::a"]: IPv6 is not configured on this cluster']);
    expect(errs(svc({ ipFamilies: ['IPv6'] }), V4)).toEqual(['spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster']);
  });
  it('two families or two clusterIPs with SingleStack are rejected with upstream\'s words', () => {
    expect(errs(svc({ ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4', 'IPv6'] }), DUAL)).toEqual(["spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"]);
    expect(errs(svc({ ipFamilies: ['IPv4', 'IPv6'] }), DUAL)).toHaveLength(1);
    expect(errs(svc({ clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5', 'fd00:10:96::5'] }), DUAL)[0]).toContain('when multiple cluster IPs are specified');
  });
  it('shape errors: duplicates, unknown values, clusterIPs without clusterIP, mismatched family', () => {
    expect(errs(svc({ ipFamilies: ['IPv4', 'IPv4'] }), DUAL)).toEqual(['spec.ipFamilies[1]: Duplicate value: "IPv4"']);
    expect(errs(svc({ ipFamilyPolicy: 'DualStack' }), DUAL)[0]).toContain('Unsupported value: "DualStack"');
    expect(errs(svc({ clusterIPs: ['10.96.0.77'] }), DUAL)[0]).toContain('must be empty when `clusterIP` is not specified');
    expect(errs(svc({ ipFamilyPolicy: 'RequireDualStack', ipFamilies: ['IPv6', 'IPv4'], clusterIP: '10.96.0.5', clusterIPs: ['10.96.0.5'] }), DUAL)[0]).toContain('expected an IPv6 value');
    expect(errs(svc({ clusterIP: 'x', clusterIPs: ['x'] }), DUAL)[0]).toBe('spec.clusterIPs[0]: Invalid value: "x": must be a valid IP address');
  });
  it('headless without a selector defaults to RequireDualStack and may name families the cluster lacks', () => {
    expect(ok(svc({ clusterIP: 'None', hasSelector: false }), V4)).toEqual(['RequireDualStack', ['IPv4', 'IPv6']]);
    expect(ok(svc({ clusterIP: 'None', hasSelector: false }), DUAL6)).toEqual(['RequireDualStack', ['IPv6', 'IPv4']]);
    expect(ok(svc({ clusterIP: 'None', hasSelector: true }), DUAL)).toEqual(['SingleStack', ['IPv4']]);
    expect(ok(svc({ clusterIP: 'None', hasSelector: true, ipFamilyPolicy: 'PreferDualStack' }), DUAL)).toEqual(['PreferDualStack', ['IPv4', 'IPv6']]);
  });
  it('ExternalName has no families and may not set them', () => {
    expect(ok(svc({ type: 'ExternalName' }), DUAL)).toEqual([null, []]);
    expect(errs(svc({ type: 'ExternalName', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' }), DUAL)).toEqual([
      'spec.ipFamilies: Forbidden: may not be set for ExternalName services', 'spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services',
    ]);
  });
});
