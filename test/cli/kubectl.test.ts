/** kubectl through `knp exec` and `knp shell`: flags, errors and the commands around it. */
import { describe, expect, it } from 'vitest';
import { runKnp } from '../helpers/cli';

const D = 'content/scenarios/default.yaml';
const exec = (...words: string[]) => runKnp(['exec', D, '--', ...words]);

describe('kubectl via knp exec', () => {
  it('prints the pods of the default namespace with kubectl\'s wide columns', async () => {
    const r = await exec('kubectl', 'get', 'pods', '-o', 'wide');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^NAME +READY +STATUS +RESTARTS +AGE +IP +NODE +NOMINATED NODE +READINESS GATES$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual([expect.stringMatching(/^client$/), expect.stringMatching(/^my-nginx-/), expect.stringMatching(/^my-nginx-/)]);
    expect(r.stdout).toContain('10.244.0.3');
  });

  it('is deterministic per seed and changes Pod names with another seed', async () => {
    const a = await runKnp(['exec', D, '--seed', '7', '--', 'kubectl', 'get', 'pods']);
    const b = await runKnp(['exec', D, '--seed', '7', '--', 'kubectl', 'get', 'pods']);
    const c = await runKnp(['exec', D, '--seed', '8', '--', 'kubectl', 'get', 'pods']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
  });

  it('reports unknown resource types and flags like kubectl', async () => {
    expect((await exec('kubectl', 'get', 'widgets')).stderr).toBe('error: the server doesn\'t have a resource type "widgets"\n');
    const bad = await exec('kubectl', 'get', 'pods', '--bogus');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('error: unknown flag: --bogus');
    expect((await exec('kubectl', 'get', 'pods', '-o', 'xml')).stderr).toContain('unable to match a printer suitable for the output format "xml"');
  });

  it('-o json gives a List with the Pods\' IPs', async () => {
    const r = await exec('kubectl', 'get', 'pods', '-l', 'run=my-nginx', '-o', 'json');
    const list = JSON.parse(r.stdout) as { kind: string; items: { status: { podIP: string } }[] };
    expect(list.kind).toBe('List');
    expect(list.items.map((i) => i.status.podIP).sort()).toEqual(['10.244.0.3', '10.244.1.3']);
  });

  it('kubectl exec runs the command in the Pod and passes its exit status', async () => {
    expect((await exec('kubectl', 'exec', 'client', '--', 'hostname')).stdout).toBe('client\n');
    expect((await exec('kubectl', 'exec', '-n', 'default', 'client', '--', 'printenv', 'MY_NGINX_SERVICE_PORT')).stdout).toBe('80\n');
    const missing = await exec('kubectl', 'exec', 'nosuch', '--', 'env');
    expect(missing.stderr).toBe('Error from server (NotFound): pods "nosuch" not found\n');
    const fails = await exec('kubectl', 'exec', 'client', '--', 'false');
    expect([fails.code, fails.stderr]).toEqual([1, 'command terminated with exit code 1\n']);
  });

  it('kubectl inside a Pod defaults to the Pod\'s namespace', async () => {
    const r = await runKnp(['exec', D, 'pod/kube-system/coredns-6cb768b7b9-gz79j', '--', 'kubectl', 'get', 'svc']);
    expect(r.stdout).toContain('kube-dns');
  });

  it('a Host-only scenario has no API server', async () => {
    const r = await runKnp(['exec', 'h.yaml', '--', 'kubectl', 'get', 'pods'], { files: { 'h.yaml': 'apiVersion: knp/v1alpha1\nkind: Host\nmetadata: {name: h1}\nspec: {}\n' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The connection to the server localhost:8080 was refused');
  });

  it('knp shell keeps one simulation across lines and pipes kubectl into grep', async () => {
    const r = await runKnp(['shell', D], { stdin: 'kubectl get svc | grep nodeport\nuse pod/default/client\nhostname\nprintenv KUBERNETES_SERVICE_HOST\n' });
    expect(r.stdout).toBe('my-nginx-nodeport   NodePort    10.98.219.14     <none>        80:30080/TCP   5m\nclient\n10.96.0.1\n');
  });
});
