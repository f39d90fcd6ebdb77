import { describe, expect, it } from 'vitest';
import { buildSim } from '../../../src/engine/index';
import { runLine } from '../../../src/engine/shell/run';
import type { Sim } from '../../../src/engine/sim';

const ws = { kind: 'workstation' } as const;
const fresh = (): Sim => buildSim('apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: c}\nspec: {}\n').sim;
const sh = (sim: Sim, line: string) => runLine(sim, ws, line);

describe('kubectl create', () => {
  it('deployment: labels app=NAME, container named after the image, Pods running', () => {
    const sim = fresh();
    expect(sh(sim, 'kubectl create deployment nginx --image=nginx:1.25 --replicas=2').stdout).toBe('deployment.apps/nginx created\n');
    const pods = sim.model.pods.filter((p) => p.meta.labels.app === 'nginx');
    expect(pods).toHaveLength(2);
    expect(pods[0]!.containers[0]!.name).toBe('nginx');
    expect(pods.every((p) => p.phase === 'Running')).toBe(true);
    const again = sh(sim, 'kubectl create deployment nginx --image=nginx');
    expect(again.stderr).toBe('Error from server (AlreadyExists): error when creating "kubectl": deployments.apps "nginx" already exists\n');
    expect(again.exitCode).toBe(1);
    expect(sh(sim, 'kubectl create deployment x').stderr).toContain('required flag(s) "image" not set');
  });

  it('service clusterip / nodeport with --tcp, namespace, configmap, secret generic, ingress', () => {
    const sim = fresh();
    expect(sh(sim, 'kubectl create service nodeport web --tcp=80:8080 --node-port=30080').stdout).toBe('service/web created\n');
    const svc = sim.model.services.find((s) => s.meta.name === 'web')!;
    expect(svc.type).toBe('NodePort');
    expect(svc.ports[0]).toMatchObject({ name: '80-8080', port: 80, targetPort: 8080, nodePort: 30080 });
    expect(svc.selector).toEqual({ app: 'web' });
    expect(sh(sim, 'kubectl create service clusterip').stderr).toContain('exactly one NAME is required');
    expect(sh(sim, 'kubectl create namespace demo').stdout).toBe('namespace/demo created\n');
    expect(sh(sim, 'kubectl create configmap cfg --from-literal=a=b -n demo').stdout).toBe('configmap/cfg created\n');
    expect(sh(sim, 'kubectl get cm cfg -n demo -o jsonpath={.data.a}').stdout).toBe('b');
    expect(sh(sim, 'kubectl create secret generic s --from-literal=password=hunter2').stdout).toBe('secret/s created\n');
    expect(sh(sim, 'kubectl get secret s -o jsonpath={.data.password}').stdout).toBe('aHVudGVyMg==');
    expect(sh(sim, 'kubectl create configmap bad --from-literal=nokey').stderr).toBe('error: invalid literal source nokey, expected key=value\n');
    expect(sh(sim, 'kubectl create ingress ing --class=nginx --rule=www.example.com/*=web:80').stdout).toBe('ingress.networking.k8s.io/ing created\n');
    const ing = sim.model.ingresses.find((i) => i.meta.name === 'ing')!;
    expect(ing.spec.rules?.[0]?.http?.paths[0]).toMatchObject({ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } });
    expect(sh(sim, 'kubectl create configmap c2 -n nowhere').stderr).toBe('Error from server (NotFound): error when creating "kubectl": namespaces "nowhere" not found\n');
  });

  it('--dry-run=client -o yaml prints the object and creates nothing', () => {
    const sim = fresh();
    const r = sh(sim, 'kubectl create deployment web --image=nginx --dry-run=client -o yaml');
    expect(r.stdout).toContain('kind: Deployment');
    expect(r.stdout).toContain('image: nginx');
    expect(sim.model.workloads.some((w) => w.meta.name === 'web')).toBe(false);
  });

  it('what the API server refuses is not stored, and kubectl says why', () => {
    const sim = fresh();
    const r = sh(sim, 'kubectl create configmap Bad_Name --from-literal=a=b');
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^The ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name"/);
    expect(r.exitCode).toBe(1);
    expect(sim.objects!.configMaps).toHaveLength(0);
  });
});

describe('kubectl run and expose', () => {
  it('run: a Pod labelled run=NAME; --expose adds a Service; -it gives a session, --rm deletes on exit', () => {
    const sim = fresh();
    expect(sh(sim, 'kubectl run web --image=nginx --port=80 --expose').stdout).toBe('service/web created\npod/web created\n');
    expect(sim.model.services.find((s) => s.meta.name === 'web')?.selector).toEqual({ run: 'web' });
    expect(sh(sim, 'kubectl run x --image=nginx --expose').stderr).toContain('--port must be set when exposing a service');
    const r = sh(sim, 'kubectl run --generator=run-pod/v1 busybox --rm -ti --image=busybox -- /bin/sh');
    expect(r.stderr).toContain('Flag --generator has been deprecated');
    expect(r.session).toEqual({ target: { kind: 'pod', namespace: 'default', name: 'busybox', container: 'busybox' }, onExit: ['kubectl', 'delete', 'pod', 'busybox', '-n', 'default', '--now'] });
    expect(sim.model.pods.find((p) => p.meta.name === 'busybox')?.phase).toBe('Running');
    const inside = runLine(sim, r.session!.target, 'curl -s web');
    expect(inside.stdout).toBe(`Hostname: web\nRemoteAddr: ${sim.model.pods.find((p) => p.meta.name === 'busybox')!.podIP}:${inside.stdout.split(':').pop()!.trim()}\n`);
    expect(sh(sim, r.session!.onExit!.join(' ')).stdout).toBe('pod "busybox" deleted\n');
    expect(sh(sim, 'kubectl run y --image=busybox --rm -- sh').stderr).toBe('error: --rm should only be used for attached containers\n');
  });

  it('expose deployment: selector from the Deployment, port from its containers, --type, --target-port, --name', () => {
    const sim = fresh();
    sh(sim, 'kubectl create deployment web --image=nginx --port=80');
    expect(sh(sim, 'kubectl expose deployment web --type=NodePort --name=web-np --target-port=80 --port=8080').stdout).toBe('service/web-np exposed\n');
    const s = sim.model.services.find((x) => x.meta.name === 'web-np')!;
    expect(s).toMatchObject({ type: 'NodePort', selector: { app: 'web' } });
    expect(s.ports[0]).toMatchObject({ port: 8080, targetPort: 80 });
    expect(sh(sim, 'kubectl expose deploy/web').stdout).toBe('service/web exposed\n');
    expect(sh(sim, 'kubectl expose deployment nope --port=80').stderr).toBe('Error from server (NotFound): deployments.apps "nope" not found\n');
    sh(sim, 'kubectl create deployment bare --image=busybox');
    expect(sh(sim, 'kubectl expose deployment bare').stderr).toContain("couldn't find port via --port flag or introspection");
  });
});

describe('kubectl apply, delete -f, edit', () => {
  const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels: {app: p}\nspec:\n  containers:\n  - name: c\n    image: nginx\n';
  it('apply -f - reads a here-document; applying again is unchanged, a change is configured', () => {
    const sim = fresh();
    expect(sh(sim, `kubectl apply -f - <<EOF\n${POD}EOF`).stdout).toBe('pod/p created\n');
    expect(sh(sim, `kubectl apply -f - <<EOF\n${POD}EOF`).stdout).toBe('pod/p unchanged\n');
    expect(sh(sim, `kubectl apply -f - <<EOF\n${POD.replace('app: p', 'app: q')}EOF`).stdout).toBe('pod/p configured\n');
    expect(sim.model.pods.find((p) => p.meta.name === 'p')?.meta.labels).toEqual({ app: 'q' });
  });

  it('apply -f FILE written with cat > FILE; delete -f removes what it names; bad YAML is a located error', () => {
    const sim = fresh();
    expect(sh(sim, `cat > p.yaml <<EOF\n${POD}EOF`).stdout).toBe('');
    expect(sh(sim, 'cat ./p.yaml').stdout).toBe(POD);
    expect(sh(sim, 'kubectl apply -f ./p.yaml').stdout).toBe('pod/p created\n');
    expect(sh(sim, 'kubectl delete -f p.yaml').stdout).toBe('pod "p" deleted\n');
    expect(sim.model.pods.some((p) => p.meta.name === 'p')).toBe(false);
    expect(sh(sim, 'kubectl apply -f missing.yaml').stderr).toBe('error: the path "missing.yaml" does not exist\n');
    const bad = sh(sim, 'kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers: 3\nEOF');
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/^error: error validating "STDIN": .*\(line 5, column \d+\)/);
    expect(sh(sim, 'kubectl apply -f https://example.com/x.yaml').stderr).toContain('no network in the playground');
  });

  it('the namespace of -n and of the document must agree', () => {
    const sim = fresh();
    sh(sim, 'kubectl create namespace a');
    const r = sh(sim, `kubectl apply -n a -f - <<EOF\n${POD.replace('  name: p', '  name: p\n  namespace: b')}EOF`);
    expect(r.stderr).toBe('error: the namespace from the provided object "b" does not match the namespace "a". You must pass \'--namespace=b\' to perform this operation.\n');
    expect(sh(sim, `kubectl apply -n a -f - <<EOF\n${POD}EOF`).stdout).toBe('pod/p created\n');
    expect(sim.model.pods.find((p) => p.meta.name === 'p')?.meta.namespace).toBe('a');
  });

  it('edit hands the object to the editor', () => {
    const sim = fresh();
    const r = sh(sim, 'kubectl edit svc kubernetes');
    expect(r.stdout).toBe('Edit cancelled, no changes made.\n');
    expect(r.editor).toMatchObject({ kind: 'Service', namespace: 'default', name: 'kubernetes' });
    expect(r.editor!.yaml).toContain('name: kubernetes');
    expect(sh(sim, 'kubectl edit svc nope').stderr).toBe('Error from server (NotFound): services "nope" not found\n');
  });
});

describe('kubectl flags anywhere, exec -it, logs', () => {
  it('-n before the verb; -A', () => {
    const sim = fresh();
    expect(sh(sim, 'kubectl -n kube-system get cm kube-proxy -o name').stdout).toBe('configmap/kube-proxy\n');
    expect(sh(sim, 'kubectl --namespace kube-flannel get configmap').stdout).toContain('kube-flannel-cfg');
    expect(sh(sim, 'kubectl get cm -A').stdout).toMatch(/kube-system +coredns/);
  });

  it('exec -it POD -- sh opens a session in the Pod; exec without -it runs the command', () => {
    const sim = fresh();
    sh(sim, 'kubectl run web --image=nginx');
    expect(sh(sim, 'kubectl exec -it web -- sh').session).toEqual({ target: { kind: 'pod', namespace: 'default', name: 'web', container: 'web' } });
    const plain = sh(sim, 'kubectl exec web -- hostname');
    expect(plain.session).toBeUndefined();
    expect(plain.stdout).toBe('web\n');
  });

  it('logs: nginx access lines for requests that reached it; a Completed Pod shows what it printed; kube-proxy its proxier', () => {
    const sim = fresh();
    sh(sim, 'kubectl run web --image=nginx --port=80 --expose');
    sh(sim, 'kubectl run client --image=busybox -- sleep 3600');
    const before = sh(sim, 'kubectl logs web').stdout;
    expect(before).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up');
    expect(before).not.toContain('GET /');
    runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'curl -s web/index.html');
    const client = sim.model.pods.find((p) => p.meta.name === 'client')!.podIP;
    expect(sh(sim, 'kubectl logs web --tail=1').stdout).toMatch(new RegExp(`^${client!.replace(/\./g, '\\.')} - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d \\+0000\\] "GET /index.html HTTP/1.1" 200 \\d+ "-" "[^"]*" "-"\\n$`));
    sh(sim, 'kubectl run once --image=busybox --restart=Never -- echo hello world');
    expect(sh(sim, 'kubectl get pod once').stdout).toMatch(/once +0\/1 +Completed/);
    expect(sh(sim, 'kubectl logs once').stdout).toBe('hello world\n');
    expect(sh(sim, 'kubectl logs nope').stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    const kp = sim.model.pods.find((p) => p.meta.labels['k8s-app'] === 'kube-proxy')!.meta.name;
    expect(sh(sim, `kubectl logs -n kube-system ${kp}`).stdout).toMatch(/iptables/i);
  });

  it('CoreDNS logs queries when the Corefile has `log`', () => {
    const y = `apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        log
        errors
        kubernetes cluster.local in-addr.arpa ip6.arpa {
           pods insecure
           fallthrough in-addr.arpa ip6.arpa
        }
        forward . /etc/resolv.conf
        cache 30
    }
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
`;
    const { sim } = buildSim(y);
    runLine(sim, { kind: 'pod', namespace: 'default', name: 'client' }, 'nslookup kubernetes.default.svc.cluster.local');
    const all = sim.model.pods.filter((p) => p.meta.labels['k8s-app'] === 'kube-dns').map((p) => sh(sim, `kubectl logs -n kube-system ${p.meta.name}`).stdout).join('');
    expect(all).toMatch(/\[INFO\] 10\.244\.\d+\.\d+:\d+ - \d+ "A IN kubernetes\.default\.svc\.cluster\.local\. udp \d+ false 512" NOERROR qr,aa,rd \d+ [\d.]+s/);
  });
});

describe('the control plane as a learner finds it', () => {
  it('a Pod recreated after its Service exists gets the Service variables and a fresh AGE', () => {
    const sim = fresh();
    sh(sim, 'kubectl create deployment my-nginx --image=nginx --port=80');
    sim.now = 600_000;
    sh(sim, 'kubectl expose deployment my-nginx');
    const first = sim.model.pods.find((p) => p.meta.labels.app === 'my-nginx')!.meta.name;
    expect(sh(sim, `kubectl exec ${first} -- printenv`).stdout).not.toContain('MY_NGINX_SERVICE_HOST');
    expect(sh(sim, `kubectl get pod ${first}`).stdout).toMatch(/ 10m\n$/);
    sh(sim, `kubectl delete pod ${first}`);
    const second = sim.model.pods.find((p) => p.meta.labels.app === 'my-nginx')!.meta.name;
    expect(second).not.toBe(first);
    const ip = sim.model.services.find((s) => s.meta.name === 'my-nginx')!.clusterIP;
    expect(sh(sim, `kubectl exec ${second} -- printenv`).stdout).toContain(`MY_NGINX_SERVICE_HOST=${ip}\n`);
    expect(sh(sim, `kubectl get pod ${second}`).stdout).toMatch(/ 0s\n$/);
  });

  it('kube-proxy, flannel and coredns ConfigMaps; flannel node annotations; /proxyMode on 10249', () => {
    const sim = fresh();
    expect(sh(sim, 'kubectl get cm -n kube-system kube-proxy -o yaml').stdout).toContain('mode: "iptables"');
    expect(sh(sim, 'kubectl get cm -n kube-flannel kube-flannel-cfg -o yaml').stdout).toContain('"Type": "vxlan"');
    expect(sh(sim, 'kubectl get cm -n kube-system coredns -o yaml').stdout).toContain('Corefile');
    const n = sim.model.nodes[0]!;
    const mac = sim.net.namespaces.get(`node/${n.name}`)!.links.find((l) => l.name === 'flannel.1')!.mac;
    const y = sh(sim, `kubectl get node ${n.name} -o yaml`).stdout;
    expect(y).toContain(`flannel.alpha.coreos.com/public-ip: ${n.ip}`);
    expect(y).toContain(`flannel.alpha.coreos.com/backend-data: '{"VNI":1,"VtepMAC":"${mac}"}'`);
    expect(runLine(sim, { kind: 'node', name: n.name }, 'curl -s localhost:10249/proxyMode').stdout).toBe('iptables');
  });
});
