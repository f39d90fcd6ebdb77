/** `knp trace --to [v6addr]:port` and `http://[v6addr]/`, and `knp exec … ping -6` (issue #18). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runKnp } from '../../helpers/cli';

const files = { 'd.yaml': readFileSync(new URL('../../../content/scenarios/dual-stack.yaml', import.meta.url), 'utf8') };

describe('knp with IPv6 destinations', () => {
  it('traces [v6]:port and http://[v6]/ as TCP to that address, JSON the UI can play', async () => {
    const t = await runKnp(['trace', 'd.yaml', '--from', 'pod/default/client', '--to', '[fd00:10:244:1::3]:80'], { files });
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/^trace pod\/default\/client -> \[fd00:10:244:1::3\]:80/);
    expect(t.stdout).toContain('verdict: delivered');
    const j = await runKnp(['trace', 'd.yaml', '--from', 'pod/default/client', '--to', 'http://[fd00:10:244:1::3]/', '--json'], { files });
    const trace = JSON.parse(j.stdout) as { verdict: string; responder: string; events: { type: string; packet?: { ip?: { version: number } } }[] };
    expect(trace.verdict).toBe('delivered');
    expect(trace.responder).toBe('pod/default/web');
    expect(trace.events.some((e) => e.type === 'ndisc-solicit')).toBe(true);
    expect(trace.events.filter((e) => e.packet?.ip).every((e) => e.packet!.ip!.version === 6)).toBe(true);
  });

  it('ping -6 through knp exec', async () => {
    const r = await runKnp(['exec', 'd.yaml', 'pod/default/client', '--', 'ping', '-6', '-c', '1', 'fd00:10:244:1::3'], { files });
    expect(r.stdout).toMatch(/^PING fd00:10:244:1::3\(fd00:10:244:1::3\) 56 data bytes\n64 bytes from fd00:10:244:1::3: icmp_seq=1 ttl=61 time=/);
  });
});
