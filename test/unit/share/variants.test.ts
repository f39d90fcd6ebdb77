/**
 * The same YAML under another setting (the compare view): which settings a scenario offers,
 * and the text with one changed, comments and other objects kept; both sides then differ where
 * the setting acts (kube-proxy's rules, the network's routes, a policy's reachability).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim, compareSims, settingsOf, withSetting } from '../../../src/engine';

const DEFAULT = readFileSync('content/scenarios/default.yaml', 'utf8');

describe('settingsOf / withSetting', () => {
  it('offers kube-proxy mode and network for any scenario, with the current values', () => {
    const s = settingsOf(DEFAULT);
    const mode = s.find((x) => x.id === 'kubeProxyMode')!;
    expect(mode.choices).toEqual(expect.arrayContaining(['iptables', 'ipvs', 'nftables']));
    expect(mode.choices).toContain(mode.current);
    const net = s.find((x) => x.id === 'network')!;
    expect(net.choices).toEqual(expect.arrayContaining(['flannel/vxlan', 'flannel/host-gw', 'calico/bgp']));
  });

  it('writes kube-proxy mode into the Cluster document, keeping comments and the other objects', () => {
    const yaml = '# my cluster\napiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {}\n---\n# the app\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: nginx}]}\n';
    const out = withSetting(yaml, 'kubeProxyMode', 'ipvs');
    expect(out).toContain('# my cluster\n');
    expect(out).toContain('---\n# the app\napiVersion: v1\nkind: Pod\nmetadata: { name: a }');
    expect(settingsOf(out).find((x) => x.id === 'kubeProxyMode')!.current).toBe('ipvs');
    const b = buildSim(out, { seed: 1 });
    expect(b.sim.model.spec.kubeProxy.mode).toBe('ipvs');
  });

  it('network plugin/backend, externalTrafficPolicy on exposed Services, NetworkPolicies off', () => {
    const yaml = 'apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec:\n  network: {plugin: calico}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, selector: {app: a}, ports: [{port: 80}]}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n';
    const ids = settingsOf(yaml).map((x) => `${x.id}=${x.current}`);
    expect(ids).toEqual(['kubeProxyMode=iptables', 'network=calico/bgp', 'externalTrafficPolicy=Cluster', 'networkPolicies=on']);
    expect(buildSim(withSetting(yaml, 'network', 'flannel/host-gw'), { seed: 1 }).sim.model.spec.network).toMatchObject({ plugin: 'flannel', backend: 'host-gw' });
    expect(withSetting(yaml, 'externalTrafficPolicy', 'Local')).toMatch(/externalTrafficPolicy: Local/);
    const off = withSetting(yaml, 'networkPolicies', 'off');
    expect(off).not.toContain('NetworkPolicy');
    expect(off).toContain('kind: Service');
  });

  it('iptables vs ipvs on the default scenario: the rules differ, the Send is delivered in both', () => {
    const a = buildSim(DEFAULT, { seed: 1 }).sim;
    const b = buildSim(withSetting(DEFAULT, 'kubeProxyMode', 'ipvs'), { seed: 1 }).sim;
    const r = compareSims(a, b, { send: { from: 'pod/default/client', to: 'my-nginx:80', protocol: 'tcp' } });
    expect(r.changed).toBe(true);
    expect(r.sections.find((s) => s.title.endsWith('iptables-save'))!.changed).toBe(true);
    expect([r.trace!.a, r.trace!.b]).toEqual(['delivered', 'delivered']);
  });
});
