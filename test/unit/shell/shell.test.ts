/** The shell itself: lists, $?, pipes into the text tools, loops, variables, jobs, bash's errors. */
import { describe, expect, it } from 'vitest';
import { runLine } from '../../../src/engine/shell/run';
import { client, node2, sim } from './helpers';

const s = sim();
const run = (line: string, t = client) => runLine(s, t, line);
const out = (line: string, t = client): string => { const r = run(line, t); return r.stdout; };

describe('lists and exit status', () => {
  it('$? is the last status, on the same line and on the next one', () => {
    expect(out('false; echo $?')).toBe('1\n');
    expect(out('true; echo $?')).toBe('0\n');
    run('nosuchcmd');
    expect(out('echo $?')).toBe('127\n');
  });
  it('&& and || chain left to right as bash does', () => {
    expect(out('true && echo yes || echo no')).toBe('yes\n');
    expect(out('false && echo yes || echo no')).toBe('no\n');
    expect(out('false || false || echo third')).toBe('third\n');
    expect(run('true && false').exitCode).toBe(1);
  });
  it('unknown commands answer as bash does, exit 127', () => {
    const r = run('foo --bar');
    expect(r).toMatchObject({ stdout: '', stderr: 'bash: foo: command not found\n', exitCode: 127 });
    expect(run('/usr/bin/nope').stderr).toBe('bash: /usr/bin/nope: No such file or directory\n');
  });
  it('syntax errors are bash\'s, exit 2', () => {
    expect(run('echo "open')).toMatchObject({ stderr: 'bash: unexpected EOF while looking for matching `"\'\n', exitCode: 2 });
    expect(run('echo a |')).toMatchObject({ stderr: "bash: syntax error near unexpected token `newline'\n", exitCode: 2 });
    expect(run('; ls')).toMatchObject({ exitCode: 2 });
  });
});

describe('words and variables', () => {
  it('expands $VAR, ${VAR}, the Pod\'s environment, and keeps single quotes literal', () => {
    expect(out('X=5; echo "x=$X ${X}" \'$X\'')).toBe('x=5 5 $X\n');
    expect(out('echo $HOSTNAME')).toBe('client\n');
    expect(out('echo $MY_NGINX_SERVICE_HOST')).toMatch(/^10\.\d+\.\d+\.\d+\n$/);
    expect(out('echo [$UNSET]')).toBe('[]\n');
  });
  it('$(command) substitutes, split into words when unquoted', () => {
    expect(out('echo "$(echo a b)" $(seq 1 3)')).toBe('a b 1 2 3\n');
  });
  it('for loops run the body for each word', () => {
    expect(out('for i in 1 2 3; do echo n$i; done')).toBe('n1\nn2\nn3\n');
    expect(out('for i in $(seq 2); do echo $i; done | wc -l')).toBe('2\n');
    expect(run('for i in 1; echo x; done').exitCode).toBe(2);
  });
  it('redirects to /dev/null drop a stream; 2>&1 merges stderr into stdout', () => {
    expect(run('nosuch 2>/dev/null')).toMatchObject({ stdout: '', stderr: '', exitCode: 127 });
    expect(run('nosuch 2>&1 | grep -c found')).toMatchObject({ stdout: '1\n', exitCode: 0 });
    expect(run('echo hi >/dev/null').stdout).toBe('');
  });
  it('sh -c runs a line', () => {
    expect(out("sh -c 'echo a && echo b'")).toBe('a\nb\n');
  });
});

describe('text tools read pipes and files', () => {
  it('grep -i -v -E -c and context -A/-B/-C with -- between groups', () => {
    expect(out('cat /etc/resolv.conf | grep -i NAMESERVER')).toBe('nameserver 10.96.0.10\n');
    expect(out('grep -c . /etc/resolv.conf')).toBe('3\n');
    expect(out('seq 1 10 | grep -E "^(2|7)$" -A1')).toBe('2\n3\n--\n7\n8\n');
    expect(out('seq 1 10 | grep -B1 5')).toBe('4\n5\n');
    expect(out('seq 1 10 | grep -C1 -v "[0-8]"')).toBe('8\n9\n10\n');
    expect(run('seq 3 | grep x').exitCode).toBe(1);
    expect(run('grep x /nope').stderr).toBe('grep: /nope: No such file or directory\n');
  });
  it('head, tail, wc -l, sort, uniq, cut, awk', () => {
    expect(out('seq 1 5 | head -n 2')).toBe('1\n2\n');
    expect(out('seq 1 5 | tail -2')).toBe('4\n5\n');
    expect(out('seq 1 5 | wc -l')).toBe('5\n');
    expect(out('seq 1 10 | sort -rn | head -1')).toBe('10\n');
    expect(out('echo a:b:c | cut -d: -f2,3')).toBe('b:c\n');
    expect(out("echo 'x  y z' | awk '{print $2, $NF}'")).toBe('y z\n');
    expect(out("seq 3 | awk 'NR==2'")).toBe('2\n');
    expect(out("echo a-b | awk -F- '{print $1\"+\"$2}'")).toBe('a+b\n');
    expect(run("seq 3 | awk '{x++}'").exitCode).toBe(2);
  });
  it('a pipe into a command that reads stdin: cat, grep with no file', () => {
    expect(out('echo hi | cat')).toBe('hi\n');
  });
});

describe('background jobs', () => {
  it('& prints [N] PID; a non-streaming command runs at once; wait with no jobs returns 0', () => {
    const r = run('echo bg & wait');
    expect(r.stdout).toMatch(/^\[1\] \d+\nbg\n$/);
    expect(r.exitCode).toBe(0);
  });
  it('a capture keeps running across lines until wait, and jobs lists it', () => {
    const t = node2;
    expect(run('tcpdump -ni eth0 icmp &', t).stdout).toMatch(/^\[1\] \d+\n$/);
    expect(out('jobs', t)).toMatch(/^\[1\]\+  Running +tcpdump -ni eth0 icmp &\n$/);
    const r = run('wait', t);
    expect(r.stderr).toContain('0 packets captured');
    expect(out('jobs', t)).toBe('');
  });
  it('kill %N ends a job; a missing job is an error', () => {
    run('tcpdump -ni eth0 &', node2);
    expect(out('kill %1', node2)).toMatch(/\[1\]\+  Terminated +tcpdump -ni eth0\n/);
    expect(run('kill %1', node2).stderr).toBe('bash: kill: %1: no such job\n');
  });
  it('capture lines never flow into the next command\'s pipe', () => {
    const r = run('tcpdump -i any -n port 80 & curl -s my-nginx | wc -l; wait');
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => / IP /.test(l)).length).toBe(8);
    expect(lines).toContain('2');
  });
});

describe('small commands and nested shells', () => {
  it('sh -c through kubectl exec and docker-style argv; timeout runs its command', () => {
    expect(runLine(s, node2, "kubectl exec client -- sh -c 'echo $HOSTNAME | tr a-z A-Z'").stdout).toBe('CLIENT\n');
    expect(out('timeout 5 echo hi')).toBe('hi\n');
  });
  it('echo -e and -n, printf, date from the simulation clock, sleep', () => {
    expect(out('echo -e "a\\tb"')).toBe('a\tb\n');
    expect(out('echo -n x')).toBe('x');
    expect(out('printf "%s=%d\\n" a 1 b 2')).toBe('a=1\nb=2\n');
    expect(out('date')).toBe('Mon Nov 30 08:05:00 UTC 2026\n');
    expect(run('sleep').exitCode).toBe(1);
    expect(run('sleep 1').exitCode).toBe(0);
  });
});
