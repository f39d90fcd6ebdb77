/**
 * IPv6 golden texts (issue #18, stage 2a) on content/scenarios/dual-stack.yaml and
 * ipv6-only.yaml (the bridge plugin): Pod→Pod across nodes by IPv6 as traces, `ping -6` and the
 * node's `ip -6` views after it; calico-dual-stack.yaml: `ping -6` and `traceroute -6` across
 * nodes, node-1's `ip -6 route` and `calicoctl node status`. Regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/ipv6
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Sim } from '../../../src/engine/sim';
import { walk } from '../../../src/engine/stack/walk';
import { formatTrace } from '../../../src/engine/trace/format';

const DIR = new URL('./', import.meta.url);
const scenario = (name: string): string => readFileSync(new URL(`../../../content/scenarios/${name}.yaml`, import.meta.url), 'utf8');

function expectGolden(name: string, text: string): void {
  const file = new URL(`${name}.txt`, DIR);
  if (process.env['UPDATE_GOLDEN']) writeFileSync(file, text);
  expect(existsSync(file), `missing golden ${name}.txt: run UPDATE_GOLDEN=1 npx vitest run test/golden/ipv6`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

function build(name: string): Sim {
  const { sim, diagnostics } = buildSim(scenario(name), { seed: 1 });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return sim;
}

const web6 = (s: Sim): string => s.model.pods.find((p) => p.meta.name === 'web')!.podIPs!.find((a) => a.includes(':'))!;
const client = { kind: 'pod', namespace: 'default', name: 'client' } as const;

describe('IPv6 golden texts', () => {
  it('dual-stack: ping -6 from a Pod on node-1 to a Pod on node-2 (NDP at every hop, hop limit 64 → 61)', () => {
    const s = build('dual-stack');
    const text = formatTrace(walk(s, { from: 'pod/default/client', to: web6(s), protocol: 'icmp' }));
    expect(text).toContain('verdict: delivered');
    expect(text).toContain('ndisc-solicit');
    expectGolden('dual-stack-cross-node-ping6', text);
  });

  it('IPv6-only: HTTP to http://[web]/ across nodes, the server answering the IPv6 source', () => {
    const s = build('ipv6-only');
    const text = formatTrace(walk(s, { from: 'pod/default/client', to: `http://[${web6(s)}]/` }));
    expect(text).toContain('responder: pod/default/web');
    expectGolden('ipv6-only-cross-node-http', text);
  });

  it('ping -6 in the shell, then the node\'s ip -6 addr, route and neigh', () => {
    const s = build('dual-stack');
    const node = { kind: 'node', name: 'node-1' } as const;
    const out = [
      `$ ping -6 -c 2 ${web6(s)}`, runLine(s, client, `ping -6 -c 2 ${web6(s)}`).stdout,
      '$ ip -6 addr   (node-1)', runLine(s, node, 'ip -6 addr').stdout,
      '$ ip -6 route   (node-1)', runLine(s, node, 'ip -6 route').stdout,
      '$ ip -6 neigh   (node-1)', runLine(s, node, 'ip -6 neigh').stdout,
      '$ ip neigh   (client: both families)', runLine(s, client, 'ip neigh').stdout,
    ].join('\n');
    expect(out).toContain('2 received');
    expectGolden('dual-stack-shell', out);
  });

  it('calico dual-stack: ping -6 and traceroute -6 from web (node-2) to client (node-1), node-1\'s ip -6 route and BGP peers', () => {
    const s = build('calico-dual-stack');
    const web = { kind: 'pod', namespace: 'default', name: 'web' } as const;
    const node = { kind: 'node', name: 'node-1' } as const;
    const c6 = s.model.pods.find((p) => p.meta.name === 'client')!.podIPs!.find((a) => a.includes(':'))!;
    const out = [
      `$ ping -6 -c 2 ${c6}   (web)`, runLine(s, web, `ping -6 -c 2 ${c6}`).stdout,
      `$ traceroute -6 -n ${c6}   (web)`, runLine(s, web, `traceroute -6 -n ${c6}`).stdout,
      '$ ip -6 route   (node-1)', runLine(s, node, 'ip -6 route').stdout,
      '$ calicoctl node status   (node-1)', runLine(s, node, 'calicoctl node status').stdout,
    ].join('\n');
    expect(out).toContain('2 received');
    expectGolden('calico-dual-stack-shell', out);
  });
});
