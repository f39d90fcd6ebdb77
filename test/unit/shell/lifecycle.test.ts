/**
 * A container whose command ends, in a Pod that restarts it (restartPolicy Always, the
 * default): CrashLoopBackOff with kubelet's back-off, `describe`'s state and BackOff event,
 * `logs` and `logs --previous`; `sleep` moves the clock they read. And nginx's access log
 * names the client tool that sent each request.
 */
import { describe, expect, it } from 'vitest';
import { crashHistory, exitCodeOf } from '../../../src/engine/control/lifecycle';
import { runLine } from '../../../src/engine/shell/run';
import { node1, sim } from './helpers';

const CLUSTER = 'apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: t}\nspec: {}\n';
const pod = (name: string, extra: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
${extra}`;

describe('kubelet back-off', () => {
  it('restarts after 10s, 20s, 40s ... at most 5 minutes apart', () => {
    expect(crashHistory(9)).toEqual({ restarts: 0, last: 0 });
    expect(crashHistory(10)).toEqual({ restarts: 1, last: 10 });
    expect(crashHistory(75)).toEqual({ restarts: 3, last: 70 });
    expect(crashHistory(310)).toEqual({ restarts: 5, last: 310 });
    expect(crashHistory(310 + 600)).toEqual({ restarts: 7, last: 910 });
  });
  it('reads the exit status from the command', () => {
    expect(exitCodeOf(['sh', '-c', 'echo hi; exit 3'])).toBe(3);
    expect(exitCodeOf(['false'])).toBe(1);
    expect(exitCodeOf(['echo', 'hi'])).toBe(0);
  });
});

describe('CrashLoopBackOff', () => {
  it('a Pod from YAML (5 minutes old) is CrashLoopBackOff, not ready, with its restarts; describe shows why', () => {
    const s = sim(CLUSTER + pod('crash', '  containers: [{name: c, image: busybox, command: [sh, -c, "echo boom; exit 1"]}]\n'));
    const get = runLine(s, node1, 'kubectl get pods').stdout;
    expect(get).toMatch(/\ncrash +0\/1 +CrashLoopBackOff +4 \(2m30s ago\) +5m\d*s?\n/);
    const d = runLine(s, node1, 'kubectl describe pod crash').stdout;
    expect(d).toMatch(/State: +Waiting\n +Reason: +CrashLoopBackOff\n +Last State: +Terminated\n +Reason: +Error\n +Exit Code: +1\n/);
    expect(d).toMatch(/Restart Count: +4\n/);
    expect(d).toMatch(/Warning +BackOff +\S+ +kubelet +Back-off restarting failed container c in pod crash_default\(/);
    expect(runLine(s, node1, 'kubectl logs crash').stdout).toBe('boom\n');
    expect(runLine(s, node1, 'kubectl logs crash --previous').stdout).toBe('boom\n');
  });

  it('a Pod made at the terminal starts at Error with 0 restarts, and sleep brings the back-off', () => {
    const s = sim(CLUSTER);
    expect(runLine(s, node1, 'kubectl run crash --image=busybox -- sh -c "echo hi; exit 2"').exitCode).toBe(0);
    expect(runLine(s, node1, 'kubectl get pod crash').stdout).toMatch(/\ncrash +0\/1 +Error +0 +0s\n/);
    const prev = runLine(s, node1, 'kubectl logs crash -p');
    expect(prev.stderr).toBe('Error from server (BadRequest): previous terminated container "crash" in pod "crash" not found\n');
    expect(prev.exitCode).toBe(1);
    expect(runLine(s, node1, 'sleep 35').exitCode).toBe(0);
    expect(runLine(s, node1, 'kubectl get pod crash').stdout).toMatch(/\ncrash +0\/1 +CrashLoopBackOff +2 \(5s ago\) +35s\n/);
    expect(runLine(s, node1, 'kubectl logs crash -p').stdout).toBe('hi\n');
  });

  it('a command that exits 0 shows Completed before its first restart; restartPolicy Never completes, OnFailure too', () => {
    const s = sim(CLUSTER + pod('ok', '  restartPolicy: OnFailure\n  containers: [{name: c, image: busybox, command: [date]}]\n')
      + pod('always', '  containers: [{name: c, image: busybox, command: [date]}]\n'));
    runLine(s, node1, 'kubectl run fresh --image=busybox -- echo hi');
    const get = runLine(s, node1, 'kubectl get pods').stdout;
    expect(get).toMatch(/\nok +0\/1 +Completed +0 /);
    expect(get).toMatch(/\nalways +0\/1 +CrashLoopBackOff +4 /);
    expect(get).toMatch(/\nfresh +0\/1 +Completed +0 +0s/);
  });

  it('servers, loops, sleeps, bare shells and images with no command keep running', () => {
    const s = sim(CLUSTER
      + pod('web', '  containers: [{name: c, image: nginx}]\n')
      + pod('loop', '  containers: [{name: c, image: busybox, command: [sh, -c, "while true; do sleep 1; done"]}]\n')
      + pod('shell', '  containers: [{name: c, image: busybox, command: [sh]}]\n')
      + pod('plain', '  containers: [{name: c, image: busybox}]\n')
      + pod('unknown', '  containers: [{name: c, image: example.com/app, args: [--serve]}]\n'));
    const get = runLine(s, node1, 'kubectl get pods').stdout;
    for (const n of ['web', 'loop', 'shell', 'plain', 'unknown']) expect(get).toMatch(new RegExp(`\\n${n} +1/1 +Running +0 `));
    expect(runLine(s, node1, 'kubectl logs web -p').exitCode).toBe(1);
  });
});

describe('nginx access log: the client tool\'s User-Agent', () => {
  it('curl, curl -A and wget each log their own agent', () => {
    const s = sim(CLUSTER + pod('web', '  containers: [{name: c, image: nginx}]\n') + pod('client', '  containers: [{name: c, image: busybox}]\n'));
    const ip = s.model.pods.find((p) => p.meta.name === 'web')!.podIP!;
    const client = { kind: 'pod' as const, namespace: 'default', name: 'client' };
    runLine(s, client, `curl -s ${ip}`);
    runLine(s, client, `curl -s -A "Mozilla/5.0 (X11)" ${ip}/a`);
    runLine(s, client, `wget -q -O- ${ip}/b`);
    const log = runLine(s, node1, 'kubectl logs web').stdout.split('\n').filter((l) => l.includes('HTTP/1.1'));
    expect(log).toHaveLength(3);
    expect(log[0]).toMatch(/"GET \/ HTTP\/1\.1" 200 \d+ "-" "curl\/8\.5\.0" "-"$/);
    expect(log[1]).toMatch(/"GET \/a HTTP\/1\.1" 200 \d+ "-" "Mozilla\/5\.0 \(X11\)" "-"$/);
    expect(log[2]).toMatch(/"GET \/b HTTP\/1\.1" 200 \d+ "-" "Wget" "-"$/);
    expect(runLine(s, client, `curl -sv -A agent/1 ${ip}`).stderr).toContain('> User-Agent: agent/1\n> Accept: */*\n');
  });
});
