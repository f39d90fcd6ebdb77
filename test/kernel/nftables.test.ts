/**
 * Kernel tier, kube-proxy's nftables mode: the transaction the simulator's writer produces for a
 * node is loaded with the real `nft -f` in a namespace of our own, and the kernel's
 * `nft list table ip kube-proxy` must equal the simulator's own listing of the same table —
 * proving the text is what nft accepts and that our model printed back what the kernel holds.
 * Set and map elements are compared as sets: the kernel lists them in hash order.
 * Runs as root; not root is a failure, never a skip.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSim } from '../../src/engine/index';
import { kubeProxyNftables } from '../../src/engine/agents/kubeproxy/nftables';
import { proxyConfig } from '../../src/engine/agents/kubeproxy/config';
import { runLine } from '../../src/engine/shell/run';
import { requireRoot, sweep, uniquePrefix } from './harness';

afterAll(() => { sweep(); });

/** The listing with each `elements = { ... }` block reduced to its sorted items. */
function normalize(text: string): string {
  return text.replace(/elements = \{([^}]*)\}/g, (_m, body: string) => `elements = { ${body.split(',').map((x) => x.trim()).filter(Boolean).sort().join(', ')} }`);
}

/** Loads node-1's transaction of `yaml` into a fresh namespace with the real nft and lists the table both ways. */
function listBoth(yaml: string, nodeName = 'node-1', family: 'ip' | 'ip6' = 'ip'): { sim: string; kernel: string } {
  const { sim } = buildSim(yaml, { seed: 1 });
  const node = sim.model.nodes.find((n) => n.name === nodeName)!;
  const text = kubeProxyNftables(sim.model, node, proxyConfig(sim.model), family);
  const simList = runLine(sim, { kind: 'node', name: node.name }, `nft list table ${family} kube-proxy`).stdout;
  const ns = uniquePrefix();
  const dir = mkdtempSync(join(tmpdir(), 'knp-nft-'));
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    const file = join(dir, 'kube-proxy.nft');
    writeFileSync(file, text);
    execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', file], { encoding: 'utf8' });
    const kernel = execFileSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', family, 'kube-proxy'], { encoding: 'utf8' });
    return { sim: normalize(simList), kernel: normalize(kernel) };
  } finally {
    execFileSync('ip', ['netns', 'del', ns]);
    rmSync(dir, { recursive: true, force: true });
  }
}

const DEFAULT_NFT = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8').replace('kubeProxy: {mode: iptables}', 'kubeProxy: {mode: nftables}');

describe('kernel tier: kube-proxy nftables mode with the real nft', () => {
  it('the real nft -f accepts the node-1 transaction and lists the table as the simulator does', () => {
    requireRoot();
    const both = listBoth(DEFAULT_NFT);
    expect(both.sim).toBe(both.kernel);
  });

  it('session affinity (dynamic affinity- sets, update @set) and --nodeport-addresses (nodeport-ips) list as the kernel lists them', () => {
    requireRoot();
    const yaml = DEFAULT_NFT
      .replace('kubeProxy: {mode: nftables}', 'kubeProxy: {mode: nftables, nodePortAddresses: [192.168.1.0/24]}')
      .replace('spec:\n  selector: {run: my-nginx}\n  ports:', 'spec:\n  selector: {run: my-nginx}\n  sessionAffinity: ClientIP\n  ports:');
    expect(yaml).toContain('sessionAffinity: ClientIP');
    const both = listBoth(yaml);
    expect(both.sim).toContain('flags dynamic,timeout');
    expect(both.sim).toContain('set nodeport-ips');
    expect(both.sim).toBe(both.kernel);
  });

  it('dual-stack: the IPv6 proxier\'s ip6 kube-proxy table (ipv6_addr maps, ::1, [ip]:port dnat, dotted endpoint chain names) loads and lists as the simulator lists it', () => {
    requireRoot();
    const yaml = readFileSync(new URL('../golden/kubectl/scenarios/dualstack6.yaml', import.meta.url), 'utf8').replace('spec:\n  podCIDR:', 'spec:\n  kubeProxy: {mode: nftables}\n  podCIDR:');
    const both = listBoth(yaml, 'node-1', 'ip6');
    expect(both.sim).toContain('table ip6 kube-proxy');
    expect(both.sim).toContain('dnat to [fd00:10:244::3]:80');
    expect(both.sim).toBe(both.kernel);
  });
});
