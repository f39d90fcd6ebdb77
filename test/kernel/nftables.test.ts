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

describe('kernel tier: kube-proxy nftables mode with the real nft', () => {
  it('the real nft -f accepts the node-1 transaction and lists the table as the simulator does', () => {
    requireRoot();
    const yaml = readFileSync(new URL('../../content/scenarios/default.yaml', import.meta.url), 'utf8').replace('kubeProxy: {mode: iptables}', 'kubeProxy: {mode: nftables}');
    const { sim } = buildSim(yaml, { seed: 1 });
    const node = sim.model.nodes[0]!;
    const text = kubeProxyNftables(sim.model, node, proxyConfig(sim.model));
    const simList = runLine(sim, { kind: 'node', name: node.name }, 'nft list table ip kube-proxy').stdout;
    const ns = uniquePrefix();
    const dir = mkdtempSync(join(tmpdir(), 'knp-nft-'));
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      const file = join(dir, 'kube-proxy.nft');
      writeFileSync(file, text);
      execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', file], { encoding: 'utf8' });
      const kernel = execFileSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'ip', 'kube-proxy'], { encoding: 'utf8' });
      expect(normalize(simList)).toBe(normalize(kernel));
    } finally {
      execFileSync('ip', ['netns', 'del', ns]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
