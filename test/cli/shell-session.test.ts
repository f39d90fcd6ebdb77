import { describe, expect, it } from 'vitest';
import { runKnp } from '../helpers/cli';

const files = { 's.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: demo}\n' };

describe('knp shell: here-documents and interactive sessions', () => {
  it('feeds a here-document to kubectl apply -f -, moves into a Pod with exec -it and back with exit', async () => {
    const stdin = [
      'kubectl apply -f - <<EOF',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'spec:',
      '  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]',
      'EOF',
      'kubectl exec -it p -- sh',
      'hostname',
      'exit',
      'kubectl run t --image=busybox --rm -it -- sh',
      'exit',
      'kubectl get pods',
    ].join('\n');
    const r = await runKnp(['shell', 's.yaml'], { files, stdin: `${stdin}\n` });
    expect(r.stdout).toMatch(/^pod\/p created\np\n/);
    expect(r.stdout).toContain('If you don\'t see a command prompt, try pressing enter.\npod "t" deleted\n');
    expect(r.stdout).toMatch(/NAME +READY +STATUS +RESTARTS +AGE\np +1\/1 +Running/);
    expect(r.stdout).not.toMatch(/^t +/m);
    expect(r.stderr).toContain('# now on pod/default/p (exit returns)');
    expect(r.code).toBe(0);
  });
});
