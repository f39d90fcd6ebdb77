/**
 * tcpdump goldens: a capture running in the background while traffic is sent, on the default
 * playground (two flannel VXLAN nodes, an nginx Service, a client Pod). Each file is the
 * terminal transcript; regenerate with UPDATE_GOLDEN=1 npx vitest run test/golden/tcpdump.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import { formatTarget, type Target } from '../../../src/engine/shell/types';

const yaml = readFileSync(new URL('../../../content/scenarios/default.yaml', import.meta.url), 'utf8');
const client: Target = { kind: 'pod', namespace: 'default', name: 'client' };
const node1: Target = { kind: 'node', name: 'node-1' };
const node2: Target = { kind: 'node', name: 'node-2' };

function transcript(steps: readonly [Target, string][]): string {
  const sim = buildSim(yaml, { seed: 1 }).sim;
  return steps.map(([t, line]) => {
    const r = runLine(sim, t, line);
    return `$ ${formatTarget(t)}: ${line}\n${r.stdout}${r.stderr}${r.exitCode ? `[exit ${r.exitCode}]\n` : ''}`;
  }).join('\n');
}

function expectGolden(name: string, text: string): void {
  const path = new URL(`./${name}.txt`, import.meta.url);
  if (process.env.UPDATE_GOLDEN || !existsSync(path)) writeFileSync(path, text);
  expect(text).toBe(readFileSync(path, 'utf8'));
}

describe('tcpdump goldens', () => {
  it('the seeds\' capture: tcpdump -i any -n port 80 & curl; wait (TCP handshake, HTTP, FIN, relative sequence numbers)', () => {
    expectGolden('any-port-80', transcript([[client, 'tcpdump -i any -n port 80 & curl -s my-nginx >/dev/null; wait']]));
  });

  it('DNS then the connection on eth0, stopping itself after -c 4', () => {
    expectGolden('count-dns', transcript([[client, 'tcpdump -n -c 4 & curl -s my-nginx >/dev/null']]));
  });

  it('-e shows the Ethernet header of DNS on the Pod\'s eth0', () => {
    expectGolden('ether-dns', transcript([[client, 'tcpdump -i eth0 -e -n udp port 53 & nslookup my-nginx >/dev/null; wait']]));
  });

  it('flannel VXLAN on the node\'s eth0: the outer UDP 8472 (OTV) line and the inner packet, ARP first', () => {
    expectGolden('vxlan-eth0', transcript([[node1, 'tcpdump -ni eth0 & ping -c 1 10.244.1.4 >/dev/null; wait']]));
  });

  it('-v on flannel.1: the IP header line and the indented ICMP', () => {
    expectGolden('verbose-flannel', transcript([[node2, 'tcpdump -i flannel.1 -n -v icmp & ping -c 1 10.244.0.3 >/dev/null; wait']]));
  });

  it('-w then -r: the saved capture reads back with a filter', () => {
    expectGolden('write-read', transcript([
      [client, 'tcpdump -i eth0 -w /tmp/web.pcap & curl -s my-nginx >/dev/null; wait'],
      [client, 'tcpdump -n -r /tmp/web.pcap tcp and dst port 80'],
    ]));
  });
});
