/**
 * Seed 002 ("Kubernetes 服务、负载均衡和网络"): the Service walkthrough (run-my-nginx.yaml, expose,
 * environment variables after recreating the Pods), hostAliases with a Pod that runs to
 * completion, and the NetworkPolicy walkthrough (create, expose, run --rm -ti, wget --spider).
 */
import { describe, expect, it } from 'vitest';
import { CALICO, lit, Student } from './terminal';

const RUN_MY_NGINX = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 2
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      containers:
      - name: my-nginx
        image: nginx
        ports:
        - containerPort: 80
`;

describe('seed 002 §Service: connecting applications with Services', () => {
  it('apply, get pods -l -o wide, expose, get svc/ep, and the Service variables only after the Pods are recreated', () => {
    const s = new Student();
    s.write('run-my-nginx.yaml', RUN_MY_NGINX);
    expect(s.out('kubectl apply -f ./run-my-nginx.yaml')).toBe('deployment.apps/my-nginx created\n');
    const wide = s.out('kubectl get pods -l run=my-nginx -o wide');
    expect(wide.split('\n').filter((l) => /^my-nginx-\w+-\w{5} +1\/1 +Running/.test(l))).toHaveLength(2);
    expect(s.out('kubectl get pods -l run=my-nginx -o yaml | grep podIP').match(/podIP: /g)).toHaveLength(2);
    expect(s.out('kubectl expose deployment/my-nginx')).toBe('service/my-nginx exposed\n');
    expect(s.out('kubectl get svc my-nginx')).toMatch(/^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nmy-nginx +ClusterIP +10\.\d+\.\d+\.\d+ +<none> +80\/TCP +0s\n$/);
    const ips = s.sim.model.pods.filter((p) => p.meta.labels.run === 'my-nginx').map((p) => `${p.podIP}:80`).sort();
    expect(s.out('kubectl describe svc my-nginx')).toMatch(new RegExp(`\nEndpoints: +${lit(ips.join(','))}\n`));
    expect(s.out('kubectl get ep my-nginx')).toMatch(new RegExp(`my-nginx +${lit(ips.join(','))}`));
    const before = s.sim.model.pods.find((p) => p.meta.labels.run === 'my-nginx')!.meta.name;
    expect(s.out(`kubectl exec ${before} -- printenv | grep SERVICE`)).toBe('KUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nKUBERNETES_SERVICE_PORT_HTTPS=443\n');
    expect(s.out('kubectl delete pods -l run=my-nginx').match(/deleted/g)).toHaveLength(2);
    const after = s.sim.model.pods.find((p) => p.meta.labels.run === 'my-nginx')!.meta.name;
    const ip = s.sim.model.services.find((x) => x.meta.name === 'my-nginx')!.clusterIP;
    expect(s.out(`kubectl exec ${after} -- printenv | grep SERVICE`)).toBe(`KUBERNETES_SERVICE_HOST=10.96.0.1\nKUBERNETES_SERVICE_PORT=443\nKUBERNETES_SERVICE_PORT_HTTPS=443\nMY_NGINX_SERVICE_HOST=${ip}\nMY_NGINX_SERVICE_PORT=80\n`);
    expect(s.out('kubectl get services kube-dns --namespace=kube-system')).toMatch(/kube-dns +ClusterIP +10\.96\.0\.10/);
    expect(s.out('kubectl delete deployments,svc my-nginx')).toBe('deployment.apps "my-nginx" deleted\nservice "my-nginx" deleted\n');
  });
});

describe('seed 002 §hostAliases', () => {
  it('a restartPolicy: Never Pod that cats /etc/hosts is Completed and its logs are the file', () => {
    const s = new Student();
    s.out(`cat > host-aliases-pod.yaml <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: hostaliases-pod
spec:
  restartPolicy: Never
  hostAliases:
  - ip: "127.0.0.1"
    hostnames:
    - "foo.local"
    - "bar.local"
  - ip: "10.1.2.3"
    hostnames:
    - "foo.remote"
    - "bar.remote"
  containers:
  - name: cat-hosts
    image: busybox
    command:
    - cat
    args:
    - "/etc/hosts"
EOF`);
    expect(s.out('kubectl apply -f host-aliases-pod.yaml')).toBe('pod/hostaliases-pod created\n');
    const pod = s.sim.model.pods.find((p) => p.meta.name === 'hostaliases-pod')!;
    expect(s.out('kubectl get pod --output=wide')).toMatch(new RegExp(`hostaliases-pod +0/1 +Completed +0 +0s +${lit(pod.podIP!)}`));
    expect(s.out('kubectl logs hostaliases-pod')).toBe(`# Kubernetes-managed hosts file.
127.0.0.1\tlocalhost
::1\tlocalhost ip6-localhost ip6-loopback
fe00::0\tip6-localnet
fe00::0\tip6-mcastprefix
fe00::1\tip6-allnodes
fe00::2\tip6-allrouters
${pod.podIP}\thostaliases-pod

# Entries added by HostAliases.
127.0.0.1\tfoo.local\tbar.local
10.1.2.3\tfoo.remote\tbar.remote
`);
  });
});

describe('seed 002 §Network Policies - Default', () => {
  // The four policies as the article gives them, each applied alone to a namespace where busybox
  // asks nginx (through its ClusterIP, so DNS is not what an egress rule blocks).
  const DENY_INGRESS = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n';
  const ALLOW_INGRESS = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-all\nspec:\n  podSelector: {}\n  ingress:\n  - {}\n  policyTypes:\n  - Ingress\n';
  const EGRESS_AS_WRITTEN = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-all\nspec:\n  podSelector: {}\n  egress:\n  - {}\n  policyTypes:\n  - Egress\n';
  const DENY_BOTH = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - Egress\n';

  function setUp(): { s: Student; ask: () => number } {
    const s = new Student(CALICO);
    s.out('kubectl create deployment nginx --image=nginx');
    s.out('kubectl expose deployment nginx --port=80');
    s.out('kubectl run busybox --image=busybox -- sleep 3600');
    const ip = s.service('nginx').clusterIP!;
    return { s, ask: () => s.on({ kind: 'pod', namespace: 'default', name: 'busybox' }, `wget --spider --timeout=1 ${ip}`).exitCode };
  }

  it('with no policy everything is allowed; default-deny (Ingress) stops it; allow-all (Ingress) lets it in again', () => {
    const { s, ask } = setUp();
    expect(ask()).toBe(0);
    expect(s.apply(DENY_INGRESS)).toBe('networkpolicy.networking.k8s.io/default-deny created\n');
    expect(ask()).toBe(1);
    s.out('kubectl delete networkpolicy default-deny');
    expect(ask()).toBe(0);
    s.apply(DENY_INGRESS);
    s.apply(ALLOW_INGRESS);
    // Policies add up: allow-all's empty rule admits everything default-deny selected.
    expect(ask()).toBe(0);
  });

  it('differs (a typo in the article): its "deny all egress" YAML has `egress: [{}]`, which allows every egress, so busybox still connects', () => {
    const { s, ask } = setUp();
    s.apply(EGRESS_AS_WRITTEN);
    expect(ask()).toBe(0);
  });

  it('default-deny with Ingress and Egress stops busybox\'s request on its way out', () => {
    const { s, ask } = setUp();
    s.apply(DENY_BOTH);
    expect(ask()).toBe(1);
  });
});

describe('seed 002 §NetworkPolicy walkthrough', () => {
  /** `wget --spider --timeout=1 nginx`, as the article types it in busybox. */
  const spider = (s: Student) => s.type('wget --spider --timeout=1 nginx');

  it('create, expose, get svc,pod; busybox reaches nginx; after the policy only access=true does; --rm deletes busybox', () => {
    const s = new Student(CALICO);
    expect(s.out('kubectl create deployment nginx --image=nginx')).toBe('deployment.apps/nginx created\n');
    expect(s.out('kubectl expose deployment nginx --port=80')).toBe('service/nginx exposed\n');
    expect(s.out('kubectl get svc,pod')).toMatch(/service\/nginx +ClusterIP[\s\S]*pod\/nginx-\w+-\w{5} +1\/1 +Running/);
    const run = s.type('kubectl run --generator=run-pod/v1 busybox --rm -ti --image=busybox -- /bin/sh');
    expect(run.stdout).toContain('If you don\'t see a command prompt, try pressing enter.');
    expect(s.where).toMatchObject({ kind: 'pod', name: 'busybox' });
    const open = spider(s);
    expect(open.stderr).toMatch(/^Connecting to nginx \(10\.\d+\.\d+\.\d+:80\)\n/);
    expect(open.exitCode).toBe(0);
    expect(s.type('exit').stdout).toBe('pod "busybox" deleted\n');
    expect(s.sim.model.pods.some((p) => p.meta.name === 'busybox')).toBe(false);

    s.out(`cat > network-policy.yaml <<EOF
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: access-nginx
spec:
  podSelector:
    matchLabels:
      app: nginx
  ingress:
  - from:
    - podSelector:
        matchLabels:
          access: "true"
EOF`);
    expect(s.out('kubectl apply -f network-policy.yaml')).toBe('networkpolicy.networking.k8s.io/access-nginx created\n');
    s.type('kubectl run --generator=run-pod/v1 busybox --rm -ti --image=busybox -- /bin/sh');
    const denied = spider(s);
    expect(denied.stderr).toMatch(/\nwget: download timed out\n$/);
    expect(denied.exitCode).toBe(1);
    s.type('exit');
    s.type('kubectl run --generator=run-pod/v1 busybox --rm -ti --labels="access=true" --image=busybox -- /bin/sh');
    expect(s.sim.model.pods.find((p) => p.meta.name === 'busybox')?.meta.labels).toEqual({ access: 'true' });
    expect(spider(s).exitCode).toBe(0);
    s.type('exit');
  });
});

describe('seed 002 §DNS: kubectl run curl -i --tty', () => {
  it('a shell in busyboxplus, nslookup my-nginx, curl my-nginx:80, exit; the Pod stays (differs: run makes a Pod, not a Deployment)', () => {
    const s = new Student();
    s.write('run-my-nginx.yaml', RUN_MY_NGINX);
    s.out('kubectl apply -f ./run-my-nginx.yaml');
    s.out('kubectl expose deployment/my-nginx');
    const ip = s.service('my-nginx').clusterIP!;
    expect(s.out('kubectl get services kube-dns --namespace=kube-system')).toMatch(/^NAME +TYPE +CLUSTER-IP +EXTERNAL-IP +PORT\(S\) +AGE\nkube-dns +ClusterIP +10\.96\.0\.10 +<none> +53\/UDP,53\/TCP,9153\/TCP +\d+d\n$/);
    // Differs: kubectl since 1.18 prints this line, not "Waiting for pod ... Hit enter for command prompt".
    expect(s.out('kubectl run curl --image=radial/busyboxplus:curl -i --tty')).toBe('If you don\'t see a command prompt, try pressing enter.\n');
    expect(s.where).toMatchObject({ kind: 'pod', name: 'curl' });
    // Differs: our nslookup prints the current busybox layout (Server/Address#53, Name/Address),
    // the article's is busybox 1.2x's "Address 1:" form; the answer is the same ClusterIP.
    expect(s.out('nslookup my-nginx')).toMatch(new RegExp(`^Server:\\s+10\\.96\\.0\\.10\\nAddress:\\s+10\\.96\\.0\\.10#53\\n\\nName:\\s+my-nginx\\.default\\.svc\\.cluster\\.local\\nAddress: ${lit(ip)}\\n`));
    expect(s.out('curl my-nginx:80')).toMatch(/^Hostname: my-nginx-\w+-\w{5}\nRemoteAddr: /);
    expect(s.type('exit').stdout).toBe('Session ended, resume using \'kubectl attach curl -c curl -i -t\' command when the pod is running\n');
    expect(s.where).toEqual(s.home);
    // Differs: `kubectl run` has made a bare Pod since 1.18, so the article's clean-up finds no
    // Deployment; `kubectl delete pod curl` is what removes it.
    const del = s.type('kubectl delete deployment curl');
    expect(del.stderr).toBe('Error from server (NotFound): deployments.apps "curl" not found\n');
    expect(s.out('kubectl delete pod curl')).toBe('pod "curl" deleted\n');
  });
});

describe('seed 002 §Securing the Service (https)', () => {
  // The article's Secret, shortened (the data is opaque to the playground: it is stored, counted and mounted).
  const SECRET = `apiVersion: "v1"
kind: "Secret"
metadata:
  name: "nginxsecret"
  namespace: "default"
data:
  nginx.crt: "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURIekNDQWdlZ0F3SUJBZ0lKQUp5M3lQK0pzMlpJTUEwR0NTcUdTSWIzRFFFQkJRVUFNQ1l4RVRBUEJnTlYK"
  nginx.key: "LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUV2UUlCQURBTkJna3Foa2lHOXcwQkFRRUZBQVNDQktjd2dnU2pBZ0VBQW9JQkFRQ2RhaURFZlZsZHdkbFIK"
`;
  const SECURE_APP = `apiVersion: v1
kind: Service
metadata:
  name: my-nginx
  labels:
    run: my-nginx
spec:
  type: NodePort
  ports:
  - port: 80
    targetPort: 80
    protocol: TCP
    name: http
  - port: 443
    protocol: TCP
    name: https
  selector:
    run: my-nginx
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx
spec:
  selector:
    matchLabels:
      run: my-nginx
  replicas: 1
  template:
    metadata:
      labels:
        run: my-nginx
    spec:
      volumes:
      - name: secret-volume
        secret:
          secretName: nginxsecret
      containers:
      - name: nginxhttps
        image: bprashanth/nginxhttps:1.0
        ports:
        - containerPort: 443
        - containerPort: 80
        volumeMounts:
        - mountPath: /etc/nginx/ssl
          name: secret-volume
`;
  const CURLPOD = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: curl-deployment
spec:
  selector:
    matchLabels:
      app: curlpod
  replicas: 1
  template:
    metadata:
      labels:
        app: curlpod
    spec:
      volumes:
      - name: secret-volume
        secret:
          secretName: nginxsecret
      containers:
      - name: curlpod
        command:
        - sh
        - -c
        - while true; do sleep 1; done
        image: radial/busyboxplus:curl
        volumeMounts:
        - mountPath: /etc/nginx/ssl
          name: secret-volume
`;

  it('secret, the https app on 80 and 443, curl -k to the Pod, curl --cacert from curlpod, the NodePort (differs: no openssl, no TLS)', () => {
    const s = new Student();
    s.write('run-my-nginx.yaml', RUN_MY_NGINX);
    s.out('kubectl apply -f ./run-my-nginx.yaml');
    s.out('kubectl expose deployment/my-nginx');
    // Differs: the key pair cannot be made here; the Secret is pasted as the article shows it.
    const openssl = s.type('openssl req -x509 -nodes -days 365 -newkey rsa:2048 -keyout /d/tmp/nginx.key -out /d/tmp/nginx.crt -subj "/CN=my-nginx/O=my-nginx"');
    expect(openssl).toMatchObject({ stderr: 'bash: openssl: command not found\n', exitCode: 127 });
    s.write('nginxsecrets.yaml', SECRET);
    expect(s.out('kubectl apply -f nginxsecrets.yaml')).toBe('secret/nginxsecret created\n');
    expect(s.out('kubectl get secrets')).toMatch(/\nnginxsecret +Opaque +2 +\d+s\n/);
    s.write('nginx-secure-app.yaml', SECURE_APP);
    expect(s.out('kubectl delete deployments,svc my-nginx')).toBe('deployment.apps "my-nginx" deleted\nservice "my-nginx" deleted\n');
    expect(s.out('kubectl create -f ./nginx-secure-app.yaml')).toBe('service/my-nginx created\ndeployment.apps/my-nginx created\n');
    const podIp = s.pod('run', 'my-nginx').podIP!;
    expect(s.out('kubectl get pods -o yaml | grep -i podip')).toContain(`    podIP: ${podIp}\n`);
    // Differs: no TLS is modelled; -k is accepted and the container's echo answers on 443 over plain HTTP.
    expect(s.out(`curl -k https://${podIp}`)).toMatch(/^Hostname: my-nginx-\w+-\w{5}\n/);
    s.write('curlpod.yaml', CURLPOD);
    expect(s.out('kubectl apply -f ./curlpod.yaml')).toBe('deployment.apps/curl-deployment created\n');
    expect(s.out('kubectl get pods -l app=curlpod')).toMatch(/\ncurl-deployment-\w+-\w{5} +1\/1 +Running +0 +\d+s\n$/);
    const curlpod = s.pod('app', 'curlpod').meta.name;
    expect(s.out(`kubectl exec ${curlpod} -- curl https://my-nginx --cacert /etc/nginx/ssl/nginx.crt`)).toMatch(/^Hostname: my-nginx-/);
    const yaml = s.out('kubectl get svc my-nginx -o yaml | grep nodePort -C 5');
    const https = /- name: https\n\s+nodePort: (\d+)\n\s+port: 443\n/.exec(yaml);
    expect(https).not.toBeNull();
    expect(s.out(`curl https://${s.sim.model.nodes[0]!.ip}:${https![1]} -k`)).toMatch(/^Hostname: my-nginx-/);
  });
});
