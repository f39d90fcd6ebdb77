/**
 * Cilium's paths as golden traces (cluster from ./scenario/cluster.ts plus a Service): Pod to Pod
 * across vxlan and native routing, on one node, and to a ClusterIP with and without
 * kubeProxyReplacement. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/trace/cilium.test.ts
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import type { Sim } from '../../../src/engine/sim';
import { walk, type WalkRequest } from '../../../src/engine/stack/walk';
import { formatTrace } from '../../../src/engine/trace/format';
import { deriveStory } from '../../../src/engine/trace/story';
import type { Trace } from '../../../src/engine/trace/types';
import { clusterYaml } from './scenario/cluster';

const DIR = new URL('./', import.meta.url);

const SERVICE = `---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 8080, targetPort: 80}]
`;

function ciliumYaml(backend: 'vxlan' | 'native', kpr: boolean): string {
  const base = clusterYaml('cilium', backend).replace('network: {plugin: cilium, backend: ' + backend + '}', `network: {plugin: cilium, backend: ${backend}${kpr ? ', kubeProxyReplacement: true' : ''}}`);
  // The node-2 web Pod is the Service's only backend, so the ClusterIP path crosses the tunnel.
  return base.replace('metadata: {name: web}\nspec:\n  nodeName: node-2', 'metadata: {name: web, labels: {app: web}}\nspec:\n  nodeName: node-2') + SERVICE;
}

function build(yaml: string): Sim {
  const { sim, diagnostics } = buildSim(yaml, { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

function golden(name: string, t: Trace): string {
  const text = formatTrace(t);
  const file = new URL(`cilium-${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden cilium-${name}.txt: run UPDATE_GOLDEN=1`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
  return text;
}

const podIP = (sim: Sim, name: string): string => sim.model.pods.find((p) => p.meta.name === name)!.podIP!;
const clusterIP = (sim: Sim): string => sim.model.services.find((s) => s.meta.name === 'web')!.clusterIP!;
const hooks = (t: Trace): string[] => t.events.filter((e) => e.type === 'hook').map((e) => `${String(e.detail?.['hook'])} ${String(e.detail?.['section'])}`);

describe('cilium golden traces', () => {
  it('cross-node Pod to Pod over the vxlan tunnel: from-container sets the tunnel key, from-overlay and to-container deliver', () => {
    const sim = build(ciliumYaml('vxlan', false));
    const t = walk(sim, { from: 'pod/default/client', to: podIP(sim, 'web'), protocol: 'icmp' });
    golden('cross-node-vxlan', t);
    expect(t.verdict).toBe('delivered');
    const h = hooks(t);
    expect(h).toEqual(expect.arrayContaining(['tc-ingress from-container', 'tc-egress to-overlay', 'tc-ingress from-overlay', 'tc-egress to-container', 'tc-ingress from-netdev']));
    // The VNI carries the client's security identity.
    const encap = t.events.find((e) => e.type === 'encap')!;
    const client = t.events.find((e) => e.type === 'hook' && e.detail?.['section'] === 'from-container' && e.detail['tunnelEndpoint'])!;
    expect(encap.detail?.['vni']).toBe(client.detail?.['identity']);
  });

  it('cross-node Pod to Pod over native routing: no tunnel, the node routes straight to the peer', () => {
    const sim = build(ciliumYaml('native', false));
    const t = walk(sim, { from: 'pod/default/client', to: podIP(sim, 'web'), protocol: 'icmp' });
    golden('cross-node-native', t);
    expect(t.verdict).toBe('delivered');
    expect(t.events.some((e) => e.type === 'encap')).toBe(false);
    expect(hooks(t)).toEqual(expect.arrayContaining(['tc-ingress from-container', 'tc-egress from-host', 'tc-egress to-container']));
  });

  it('same-node Pod to Pod: from-container redirects straight into the other lxc', () => {
    const sim = build(ciliumYaml('vxlan', false));
    const t = walk(sim, { from: 'pod/default/client', to: podIP(sim, 'web-a'), protocol: 'icmp' });
    golden('same-node', t);
    expect(t.responder).toBe('pod/default/web-a');
    expect(t.events.some((e) => e.type === 'forward')).toBe(false);
  });

  it('Pod to ClusterIP with kubeProxyReplacement: translated at connect(), so the SYN on the wire already carries the backend', () => {
    const sim = build(ciliumYaml('vxlan', true));
    const vip = clusterIP(sim);
    const t = walk(sim, { from: 'pod/default/client', to: `http://${vip}:8080/` });
    golden('clusterip-kpr', t);
    expect(t.verdict).toBe('delivered');
    expect(t.responder).toBe('pod/default/web');
    const sock = t.events.find((e) => e.type === 'hook' && e.detail?.['hook'] === 'sock-connect')!;
    expect(sock.detail).toMatchObject({ from: `${vip}:8080`, to: `${podIP(sim, 'web')}:80` });
    expect(t.events.filter((e) => e.packet?.ip?.dst === vip)).toEqual([]);
    expect(t.events.some((e) => e.type === 'netfilter' && /KUBE-SERVICES/.test(e.summary))).toBe(false);
    // The story's first handshake step says so, naming the program.
    const steps = deriveStory(t);
    expect(steps.find((s) => s.message.code === 'story.sockLb')?.message.params).toMatchObject({ before: `${vip}:8080`, after: `${podIP(sim, 'web')}:80`, program: 'cilium cil_sock4_connect' });
  });

  it('Pod to ClusterIP without kubeProxyReplacement: kube-proxy\'s iptables DNAT as usual', () => {
    const sim = build(ciliumYaml('vxlan', false));
    const t = walk(sim, { from: 'pod/default/client', to: `http://${clusterIP(sim)}:8080/` });
    golden('clusterip-kube-proxy', t);
    expect(t.verdict).toBe('delivered');
    expect(t.events.some((e) => e.type === 'hook' && e.detail?.['hook'] === 'sock-connect')).toBe(false);
    expect(t.events.some((e) => e.type === 'nat' || (e.type === 'netfilter' && /KUBE-SVC/.test(e.summary)))).toBe(true);
  });
});
