/**
 * The one journal format (share/journal.ts): what `knp shell` reads, what `knp share/open
 * --commands` write and `knp grade --commands` reads, with the first grade format still read.
 */
import { describe, expect, it } from 'vitest';
import { formatJournal, parseJournal } from '../../../src/engine';

describe('parseJournal', () => {
  it('use TARGET switches, comments and blank lines are skipped, each entry knows its line', () => {
    const r = parseJournal('# fix it\nuse node/node-1\n\nsysctl -w net.ipv4.ip_forward=1\nuse pod/default/client\ncurl -s my-nginx\n');
    expect(r).toEqual({ ok: true, journal: [
      { target: 'node/node-1', line: 'sysctl -w net.ipv4.ip_forward=1' },
      { target: 'pod/default/client', line: 'curl -s my-nginx' },
    ], lines: [4, 6] });
  });

  it('commands before any use run on the workstation', () => {
    const r = parseJournal('kubectl scale deploy/web --replicas=3\n');
    expect(r.ok && r.journal).toEqual([{ target: 'workstation', line: 'kubectl scale deploy/web --replicas=3' }]);
  });

  it('reads the first grade format: TARGET COMMAND runs one line there without switching', () => {
    const r = parseJournal('use node/node-2\nnode/node-1 ipset add KUBE-NODE-PORT-TCP 30080\niptables -L\nworkstation kubectl get pods\n');
    expect(r.ok && r.journal).toEqual([
      { target: 'node/node-1', line: 'ipset add KUBE-NODE-PORT-TCP 30080' },
      { target: 'node/node-2', line: 'iptables -L' },
      { target: 'workstation', line: 'kubectl get pods' },
    ]);
  });

  it('a here-document belongs to its command, and round-trips through formatJournal', () => {
    const text = 'use node/node-1\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\nEOF\nkubectl get ns\n';
    const r = parseJournal(text);
    expect(r.ok && r.journal).toEqual([
      { target: 'node/node-1', line: 'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\nEOF' },
      { target: 'node/node-1', line: 'kubectl get ns' },
    ]);
    expect(r.ok && r.lines).toEqual([2, 8]);
    expect(r.ok && formatJournal(r.journal)).toBe(text);
  });

  it('a bad target or an unclosed here-document is an error with its line', () => {
    expect(parseJournal('ls\nuse nowhere\n')).toEqual({ ok: false, line: 2, message: expect.stringContaining('bad target "nowhere"') });
    expect(parseJournal('use node/n1\ncat > x <<END\nhello\n')).toEqual({ ok: false, line: 2, message: expect.stringContaining('not closed') });
  });
});

describe('knp grade --commands reads the same journal', () => {
  it('a `use` journal solves a challenge as its first-format solution does; a bad line is located, exit 2', async () => {
    const { runKnp } = await import('../../helpers/cli');
    const file = 'content/challenges/br-netfilter-off.yaml';
    const yaml = (await import('node:fs')).readFileSync(file, 'utf8');
    const start = await runKnp(['grade', 'c.yaml', '--seed', '1'], { files: { 'c.yaml': yaml } });
    expect(start.code).toBe(1);
    const fixed = await runKnp(['grade', 'c.yaml', '--seed', '1', '--commands', 'j.txt'], { files: { 'c.yaml': yaml, 'j.txt': '# as knp shell reads it\nuse node/node-1\nsysctl -w net.bridge.bridge-nf-call-iptables=1\n' } });
    expect(fixed.stdout).not.toContain('FAIL');
    expect(fixed.code).toBe(0);
    const bad = await runKnp(['grade', 'c.yaml', '--commands', 'j.txt'], { files: { 'c.yaml': yaml, 'j.txt': 'use node/node-1\nuse mars\n' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('j.txt:2:1: error bad-command-line: bad target "mars" (use node/NAME, pod/NS/NAME, host/NAME or workstation)\n');
  });
});
