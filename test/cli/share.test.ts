/**
 * Share links: `knp share` then `knp open` gives every scenario in content/ back byte for byte;
 * a journal of terminal commands round-trips and replays to the same trace; damaged links
 * exit 2 with one line and never decode to something else.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSim, decodeFile, decodeLink, encodeFile, encodeFragment, LINK_VERSION, parseJournal, replayJournal, walk, formatJournal, type SharedState } from '../../src/engine';
import { runKnp } from '../helpers/cli';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(f) ? [p] : [];
  });
}

const files = yamlFiles('content');
const DEFAULT = readFileSync('content/scenarios/default.yaml', 'utf8');
const DROP = 'use pod/default/client\niptables -I OUTPUT -p tcp --dport 80 -j DROP\n';

describe('knp share / knp open', () => {
  it('finds the scenarios to round-trip', () => {
    expect(files).toContain('content/scenarios/default.yaml');
  });

  for (const f of files) {
    it(`${f}: share then open gives the file back byte for byte`, async () => {
      const shared = await runKnp(['share', f, '--base', 'https://example.test/play/']);
      expect(shared.code).toBe(0);
      const link = shared.stdout.trim();
      expect(link).toMatch(/^https:\/\/example\.test\/play\/#v=1&d=[A-Za-z0-9_-]+$/);
      const opened = await runKnp(['open', link, '--commands', 'j.txt']);
      expect(opened.code).toBe(0);
      expect(opened.stdout).toBe(readFileSync(f, 'utf8'));
      expect(opened.written.get('j.txt')).toBe('');
    });
  }

  it('bytes the YAML parser would normalise (CRLF, tabs, trailing spaces, no final newline, CJK) survive', async () => {
    const odd = 'nodes:\r\n  - {name: n1}   \r\n# 注释\twith tab';
    const shared = await runKnp(['share', 'odd.yaml'], { files: { 'odd.yaml': odd } });
    const opened = await runKnp(['open', shared.stdout.trim()]);
    expect(opened.stdout).toBe(odd);
  });

  it('a journal round-trips, and the DROP typed in the terminal gives the receiver the same dropped verdict', async () => {
    const shared = await runKnp(['share', 'content/scenarios/default.yaml', '--commands', 'cmds.txt'], { files: { 'cmds.txt': DROP } });
    expect(shared.code).toBe(0);
    const opened = await runKnp(['open', shared.stdout.trim(), '--commands', 'back.txt']);
    expect(opened.code).toBe(0);
    const back = opened.written.get('back.txt') as string;
    expect(back).toBe(DROP);

    const req = { from: 'pod/default/client', to: 'my-nginx:80', protocol: 'tcp' as const };
    const plain = walk(buildSim(DEFAULT, { seed: 1 }).sim, req);
    const sender = buildSim(DEFAULT, { seed: 1 }).sim;
    const results = replayJournal(sender, (parseJournal(DROP) as Extract<ReturnType<typeof parseJournal>, { ok: true }>).journal);
    expect(results.every((r) => r.exitCode === 0)).toBe(true);
    const receiver = buildSim(opened.stdout, { seed: 1 }).sim;
    const parsed = parseJournal(back);
    expect(parsed.ok).toBe(true);
    replayJournal(receiver, parsed.ok ? parsed.journal : []);
    const a = walk(sender, req);
    const b = walk(receiver, req);
    expect(plain.verdict).not.toBe('dropped');
    expect(a.verdict).toBe('dropped');
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    // The same journal through `knp shell` (the text format is what it reads).
    const sh = await runKnp(['shell', 'content/scenarios/default.yaml'], { stdin: back });
    expect(sh.code).toBe(0);
  });

  it('a corrupt, truncated or newer link exits 2 with one line and prints no YAML', async () => {
    const link = (await runKnp(['share', 'content/scenarios/default.yaml'])).stdout.trim();
    for (const bad of [link.slice(0, link.length - 7), link.replace(/d=(.{10})./, 'd=$1*'), link.replace('v=1', `v=${LINK_VERSION + 1}`), 'https://x/#v=1', 'https://x/#nothing']) {
      const r = await runKnp(['open', bad]);
      expect(r.code, bad.slice(-30)).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^knp open: (corrupt|newer-version|no-link|invalid): /);
    }
  });

  it('a .knp file carries the same content as the link', async () => {
    const shared = await runKnp(['share', 'content/scenarios/default.yaml', '--commands', 'c.txt', '--knp', 'out.knp'], { files: { 'c.txt': DROP } });
    const file = shared.written.get('out.knp') as string;
    const fromFile = await runKnp(['open', 'x.knp', '--commands', 'j.txt'], { files: { 'x.knp': file } });
    expect(fromFile.stdout).toBe(DEFAULT);
    expect(fromFile.written.get('j.txt')).toBe(DROP);
  });
});

describe('link codec', () => {
  const state: SharedState = {
    yaml: DEFAULT, journal: [{ target: 'node/node-1', line: 'ip route del 10.244.1.0/24' }],
    send: { from: 'pod/default/client', to: 'my-nginx:80', port: '80', protocol: 'tcp', count: 2 },
    playhead: 5, view: { kind: 'kernel', node: 'node-1' }, camera: { x: 10, y: -4.5, zoom: 1.25 }, lang: 'zh-CN',
  };

  it('decodes every field it encodes, and the same state gives the same link', () => {
    const frag = encodeFragment(state);
    expect(encodeFragment({ ...state })).toBe(frag);
    expect(decodeLink(`#${frag}`)).toEqual({ ok: true, state });
    expect(decodeFile(encodeFile(state))).toEqual({ ok: true, state });
  });

  it('any cut or any changed character of the data is refused, never read as another state', () => {
    const frag = encodeFragment(state);
    const start = frag.indexOf('d=') + 2;
    fc.assert(fc.property(fc.integer({ min: start, max: frag.length - 1 }), (cut) => {
      expect(decodeLink(frag.slice(0, cut)).ok).toBe(false);
    }), { numRuns: 200 });
    fc.assert(fc.property(fc.integer({ min: start, max: frag.length - 1 }), fc.constantFrom(...'AQgw09_-'), (at, c) => {
      const changed = frag.slice(0, at) + c + frag.slice(at + 1);
      const r = decodeLink(changed);
      if (r.ok) expect(r.state).toEqual(state); // only a no-op change may decode, and then to the same state
    }), { numRuns: 300 });
  });

  it('a link whose data is valid JSON of the wrong shape is "invalid", and nothing in it runs', () => {
    const r = decodeLink(`#${encodeFragment({ ...state, journal: [] }).replace(/d=.*/, '')}d=`);
    expect(r.ok).toBe(false);
    const evil = decodeFile(JSON.stringify({ knp: 1, yaml: 'a: 1', journal: [], script: 'alert(1)' }));
    expect(evil).toMatchObject({ ok: false, code: 'invalid' });
  });

  it('the old #s= links still open as YAML with an empty journal', async () => {
    const { deflateSync, strToU8 } = await import('fflate');
    const b64 = Buffer.from(deflateSync(strToU8('nodes: []\n'))).toString('base64url');
    expect(decodeLink(`#s=${b64}`)).toEqual({ ok: true, state: { yaml: 'nodes: []\n', journal: [] } });
  });

  it('the journal text format round-trips through parse and format', () => {
    const j = parseJournal(formatJournal(state.journal));
    expect(j).toMatchObject({ ok: true, journal: state.journal });
    expect(parseJournal('use nowhere/x\nls\n')).toMatchObject({ ok: false, line: 1 });
  });
});

describe('knp diff', () => {
  const ipvs = DEFAULT.replace('kubeProxy: {mode: iptables}', 'kubeProxy: {mode: ipvs}');

  it('the same file twice: every section the same, exit 0', async () => {
    const r = await runKnp(['diff', 'content/scenarios/default.yaml', 'content/scenarios/default.yaml', '--from', 'pod/default/client', '--to', 'my-nginx:80']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(/^[-+] /m);
    expect(r.stdout).toMatch(/== node\/node-1: ip route \(same\)/);
    expect(r.stdout).toMatch(/== reachability TCP\/80 \(same\)/);
  });

  it('iptables vs IPVS: iptables-save differs, routes do not; exit 1', async () => {
    expect(ipvs).not.toBe(DEFAULT);
    const r = await runKnp(['diff', 'a.yaml', 'b.yaml'], { files: { 'a.yaml': DEFAULT, 'b.yaml': ipvs } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/== node\/node-1: ip route \(same\)/);
    expect(r.stdout).toMatch(/^- :KUBE-SERVICES -$/m);
    expect(r.stdout).toMatch(/^\+ .*KUBE-IPVS-FILTER/m);
  });

  it('flannel vxlan vs host-gw: the Pod routes change from flannel.1 to the other node, the rules do not', async () => {
    const hostgw = DEFAULT.replace('backend: vxlan', 'backend: host-gw');
    expect(hostgw).not.toBe(DEFAULT);
    const r = await runKnp(['diff', 'a.yaml', 'b.yaml', '--from', 'pod/default/client', '--to', 'my-nginx:80'], { files: { 'a.yaml': DEFAULT, 'b.yaml': hostgw } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^- 10\.244\.1\.0\/24 via 10\.244\.1\.0 dev flannel\.1 onlink\s*$/m);
    expect(r.stdout).toMatch(/^\+ 10\.244\.1\.0\/24 via 192\.168\.1\.12 dev eth0\s*$/m);
    expect(r.stdout).toMatch(/== node\/node-1: iptables-save \(same\)/);
    expect(r.stdout).toMatch(/verdict: delivered -> delivered/);
  });

  it('bad arguments exit 2', async () => {
    expect((await runKnp(['diff', 'content/scenarios/default.yaml'])).code).toBe(2);
    expect((await runKnp(['diff', 'content/scenarios/default.yaml', 'content/scenarios/default.yaml', '--from', 'x'])).code).toBe(2);
  });
});
