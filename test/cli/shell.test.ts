import { describe, expect, it } from 'vitest';
import { runKnp } from '../helpers/cli';

const files = { 's.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n' };

describe('knp shell and exec', () => {
  it('runs lines from stdin against one simulation, honouring pipes and &&', async () => {
    const r = await runKnp(['shell', 's.yaml'], { files, stdin: 'echo one two\necho a && echo b\necho x | grep y\nnosuchcmd\n' });
    expect(r.stdout).toBe('one two\na\nb\n');
    expect(r.stderr).toContain('bash: nosuchcmd: command not found');
    expect(r.code).toBe(127);
  });

  it('exec needs a command after --', async () => {
    const r = await runKnp(['exec', 's.yaml'], { files });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('usage: knp exec');
  });

  it('reports a missing file without a stack trace', async () => {
    const r = await runKnp(['check', 'missing.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('knp: cannot read missing.yaml: no such file\n');
  });

  it('rejects a bad seed', async () => {
    const r = await runKnp(['check', 's.yaml', '--seed', 'x'], { files });
    expect(r.code).toBe(2);
  });
});
