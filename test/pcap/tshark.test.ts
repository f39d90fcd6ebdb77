/**
 * The pcap writer checked by the real decoder: tshark must parse every frame of a cross-node
 * VXLAN HTTP exchange with correct checksums and show the inner headers inside VXLAN.
 * tshark is required (CI installs it): when it is missing this test fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { walk } from '../../src/engine/stack/walk';
import { tracePcap } from '../../src/engine/stack/pcap';
import { runKnp } from '../helpers/cli';
import { clusterYaml } from '../golden/trace/scenario/cluster';
import { twoNodes } from '../unit/stack/fixtures';

const TSHARK = '/usr/bin/tshark';
/** Wireshark's checksum status values: 0 bad, 1 good, 2 unverified. */
const GOOD = '1';
/** Expert info severity PI_WARN (0x00600000). */
const PI_WARN = 0x00600000;

function tshark(file: string, fields: string[], extra: string[] = []): string[][] {
  const out = execFileSync(TSHARK, ['-r', file, '-d', 'udp.port==8472,vxlan', '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE',
    ...extra, '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a', '-E', 'aggregator=,', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.trim().split('\n').map((l) => l.split('|'));
}

function write(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'knp-pcap-'));
  const f = join(dir, 'trace.pcap');
  writeFileSync(f, bytes);
  return f;
}

describe('pcap decoded by tshark', () => {
  it('decodes VXLAN with the inner Ethernet, IP and TCP headers, checksums good', () => {
    const { sim } = twoNodes('vxlan');
    const t = walk(sim, { from: 'pod/default/a-1', to: 'http://10.244.2.3/' });
    expect(t.verdict).toBe('delivered');
    const file = write(tracePcap(t, sim.now));
    const txCount = t.events.filter((e) => e.type === 'tx').length;
    const rows = tshark(file, ['frame.number', 'frame.protocols', 'vxlan.vni', 'ip.src', 'ip.dst', 'tcp.flags.str', 'ip.checksum.status', 'udp.checksum.status', 'tcp.checksum.status', 'icmp.checksum.status', '_ws.expert.severity']);
    expect(rows).toHaveLength(txCount);
    const vx = rows.filter((r) => r[1]!.includes('vxlan'));
    expect(vx.length).toBeGreaterThan(0);
    for (const r of vx) {
      expect(r[1]).toMatch(/^eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:tcp/);
      expect(r[2]).toBe('1');
      // Outer addresses are the node IPs, inner ones the Pod IPs.
      const ips = r[3]!.split(',');
      expect(ips[0]).toMatch(/^192\.168\.1\.1[12]$/);
      expect(ips[1]).toMatch(/^10\.244\.[12]\.[23]$/);
      expect(r[6]!.split(',').every((s) => s === GOOD)).toBe(true);
    }
    for (const r of rows) {
      for (const col of [6, 7, 8, 9]) expect(r[col]!.split(',').filter(Boolean).every((s) => s === GOOD)).toBe(true);
      // Expert info: chats and notes are fine (HTTP, sequence analysis), warnings and errors are not.
      for (const sev of (r[10] ?? '').split(',').filter(Boolean)) expect(Number(sev)).toBeLessThan(PI_WARN);
    }
    const http = tshark(file, ['http.response.code', 'http.request.method'], ['-Y', 'http']);
    expect(http.map((r) => r.join('|'))).toEqual(expect.arrayContaining(['|GET', '200|']));
  });

  it('decodes ARP, ICMP echo and ICMP errors', () => {
    const { sim } = twoNodes('vxlan');
    const t = walk(sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp', ttl: 1 });
    const file = write(tracePcap(t, 0));
    const rows = tshark(file, ['frame.protocols', 'icmp.type', 'icmp.checksum.status', 'arp.opcode']);
    expect(rows.some((r) => r[0]!.startsWith('eth:ethertype:arp') && r[3] === '1')).toBe(true);
    expect(rows.some((r) => r[1] === '8' && r[2] === GOOD)).toBe(true);
    // The time exceeded message quotes the echo request: the outer checksum must be good.
    expect(rows.some((r) => r[1] === '11,8' && r[2]!.startsWith(GOOD))).toBe(true);
  });

  it('decodes IPIP and flannel UDP with the inner packet', () => {
    const ipip = twoNodes('ipip');
    const a = write(tracePcap(walk(ipip.sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' })));
    const rows = tshark(a, ['frame.protocols', 'ip.src', 'ip.checksum.status', 'icmp.checksum.status']);
    expect(rows.some((r) => r[0] === 'eth:ethertype:ip:ip:icmp:data' && r[1]!.split(',').length === 2 && r[2] === `${GOOD},${GOOD}` && r[3] === GOOD)).toBe(true);
    const fl = twoNodes('udp');
    const b = write(tracePcap(walk(fl.sim, { from: 'pod/default/a-1', to: '10.244.2.3', protocol: 'icmp' })));
    // tshark has no flannel dissector: the inner IP packet is the UDP payload, decoded as IP here.
    const urows = tshark(b, ['frame.protocols', 'udp.port', 'udp.checksum.status', 'ip.dst'], ['-d', 'udp.port==8285,ip']);
    expect(urows.some((r) => r[0] === 'eth:ethertype:ip:udp:ip:icmp:data' && r[1] === '8285,8285' && r[2] === GOOD && r[3] === '192.168.1.12,10.244.2.3')).toBe(true);
  });

  it('knp trace --pcap on a scenario: VXLAN between the nodes, the Pods inside', async () => {
    const files = { 'c.yaml': clusterYaml('flannel', 'vxlan') };
    const r = await runKnp(['trace', 'c.yaml', '--from', 'pod/default/client', '--to', '10.244.1.3', '--pcap', 'out.pcap'], { files });
    expect(r.code).toBe(0);
    const bytes = r.written.get('out.pcap');
    expect(bytes).toBeInstanceOf(Uint8Array);
    const rows = tshark(write(bytes as Uint8Array), ['frame.protocols', 'vxlan.vni', 'ip.dst'], ['-Y', 'vxlan']);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r[0] === 'eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data' && r[1] === '1')).toBe(true);
    expect(rows.some((r) => r[2] === '192.168.1.12,10.244.1.3')).toBe(true);
  });
});
