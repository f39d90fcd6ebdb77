/**
 * Seed 000 ("循序渐进地学习kubernetes网络"), section 7: exposing an nginx that declares no ports
 * (hostNetwork, hostPort, NodePort, LoadBalancer). The YAML is the article's; what the student
 * should see is that nginx answers where its process listens.
 */
import { describe, expect, it } from 'vitest';
import { lit, Student } from './terminal';

const DEPLOY = (spec: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 1
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
${spec}`;

describe('seed 000 §7.1 hostNetwork: true', () => {
  it('nginx listens on the node\'s port 80: netstat shows it and curl {node_ip}/index.html answers', () => {
    const s = new Student();
    s.apply(DEPLOY(`      hostNetwork: true
      containers:
        - name: nginx
          image: nginx:stable
          command: ["nginx", "-g", "daemon off;"]
`));
    const pod = s.pod('app', 'nginx');
    const node = s.nodeOf(pod);
    const netstat = s.type(`kubectl exec ${pod.meta.name} -- netstat -lpn`).stdout;
    expect(netstat).toMatch(/tcp +0 +0 0\.0\.0\.0:80 +0\.0\.0\.0:\* +LISTEN +\d+\/nginx: master/);
    expect(s.out(`curl -s ${node.ip}/index.html`)).toMatch(new RegExp(`^Hostname: ${pod.meta.name}\nRemoteAddr: `));
  });
});

describe('seed 000 §7.2 hostPort', () => {
  it('curl {pod_ip}/index.html and curl {node_ip}:81/index.html both reach nginx', () => {
    const s = new Student();
    s.apply(DEPLOY(`      containers:
        - name: nginx
          image: nginx:stable
          command: ["nginx", "-g", "daemon off;"]
          ports: 
            - containerPort: 80
              hostPort: 81
`));
    const pod = s.pod('app', 'nginx');
    const node = s.nodeOf(pod);
    expect(s.out('kubectl get pod -o wide')).toMatch(new RegExp(`${pod.meta.name} +1/1 +Running +0 +\\S+ +${lit(pod.podIP!)} +${node.name}`));
    expect(s.out(`curl -s ${pod.podIP}/index.html`)).toMatch(/^Hostname: nginx-deployment-/);
    expect(s.out(`curl -s ${node.ip}:81/index.html`)).toMatch(/^Hostname: nginx-deployment-/);
  });
});

describe('seed 000 §7.3 NodePort and §7.4 LoadBalancer', () => {
  const SVC = (type: string, selector: string) => `kind: Service
apiVersion: v1
metadata:
  name: nginx-svc
spec:
  type: ${type}
  ports:
    - port: 80
      nodePort: 30001
  selector:
    ${selector}
`;
  const NGINX = DEPLOY(`      containers:
        - name: nginx
          image: nginx:stable
          command: ["nginx", "-g", "daemon off;"]
`);

  it('as written the Service selects name: nginx, which no Pod has: a located warning, no endpoints', () => {
    const s = new Student();
    s.apply(`${NGINX}---\n${SVC('NodePort', 'name: nginx')}`);
    expect(s.out('kubectl get ep nginx-svc')).toMatch(/nginx-svc +<none>/);
  });

  it('with app: nginx (what the article\'s output shows), {pod_ip}, {cluster_ip} and {node_ip}:30001 all answer', () => {
    const s = new Student();
    s.apply(`${NGINX}---\n${SVC('NodePort', 'app: nginx')}`);
    expect(s.out('kubectl get svc -o wide')).toMatch(/nginx-svc +NodePort +\S+ +<none> +80:30001\/TCP +\S+ +app=nginx/);
    const pod = s.pod('app', 'nginx');
    const svc = s.service('nginx-svc');
    for (const url of [`${pod.podIP}/index.html`, `${svc.clusterIP}/index.html`, ...s.sim.model.nodes.map((n) => `${n.ip}:30001/index.html`)]) {
      expect(s.out(`curl -s ${url}`)).toMatch(/^Hostname: nginx-deployment-/);
    }
  });

  it('LoadBalancer: an EXTERNAL-IP column, and the NodePort still answers', () => {
    const s = new Student();
    s.apply(`${NGINX}---\n${SVC('LoadBalancer', 'app: nginx')}`);
    expect(s.out('kubectl get svc -o wide')).toMatch(/nginx-svc +LoadBalancer +\S+ +\S+ +80:30001\/TCP/);
    expect(s.out(`curl -s ${s.sim.model.nodes[0]!.ip}:30001/index.html`)).toMatch(/^Hostname: nginx-deployment-/);
  });
});

describe('seed 000 §9 Pod DNS', () => {
  it('kube get svc -n kube-system shows kube-dns; exec -it into the nginx Pod and cat /etc/resolv.conf', () => {
    const s = new Student(DEPLOY(`      containers:
        - name: nginx
          image: nginx:stable
`));
    expect(s.out('kubectl get svc -n kube-system')).toMatch(/kube-dns +ClusterIP +10\.96\.0\.10 +<none> +53\/UDP,53\/TCP,9153\/TCP/);
    const pod = s.pod('app', 'nginx').meta.name;
    s.type(`kubectl exec -it ${pod} -- /bin/sh`);
    expect(s.where).toMatchObject({ kind: 'pod', name: pod });
    expect(s.out('cat /etc/resolv.conf')).toBe('search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
    s.type('exit');
    expect(s.where).toEqual(s.home);
  });
});

describe('seed 000 §9.1 DNS records for a Pod (hostname + subdomain)', () => {
  it('with subdomain naming the Service, nslookup HOSTNAME.SUBDOMAIN.default.svc.cluster.local 10.96.0.10 gives the Pod IP and the Service name gives its ClusterIP', () => {
    const s = new Student();
    // The article's Pods carry `nodeSelector: nginx: ok`; it labelled a node off-page, so does the
    // student (a worker: the playground's control-plane node keeps its NoSchedule taint).
    expect(s.out('kubectl label node node-2 nginx=ok')).toBe('node/node-2 labeled\n');
    s.apply(DEPLOY(`      nodeSelector:
        nginx: ok
      hostname: nginx-host
      subdomain: nginx-subdomain
      containers:
        - name: nginx
          image: nginx:stable
          command: ["nginx", "-g", "daemon off;"]
`));
    s.apply(`kind: Service
apiVersion: v1
metadata:
  name: nginx-subdomain
spec:
  type: ClusterIP
  ports:
    - port: 80
      name: nginx
  selector:
    app: nginx
`);
    const pod = s.pod('app', 'nginx');
    expect(pod.nodeName).toBe('node-2');
    expect(s.out('kubectl get pod -o wide')).toMatch(new RegExp(`${pod.meta.name} +1/1 +Running +0 +\\S+ +${lit(pod.podIP!)} +node-2`));
    const svc = s.service('nginx-subdomain');
    expect(s.out('kubectl get svc -o wide')).toMatch(new RegExp(`nginx-subdomain +ClusterIP +${lit(svc.clusterIP!)} +<none> +80/TCP +\\S+ +app=nginx`));
    expect(s.out('nslookup nginx-host.nginx-subdomain.default.svc.cluster.local 10.96.0.10')).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tnginx-host.nginx-subdomain.default.svc.cluster.local\nAddress: ${pod.podIP}\n\n`);
    expect(s.out('nslookup nginx-subdomain.default.svc.cluster.local 10.96.0.10')).toBe(`Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tnginx-subdomain.default.svc.cluster.local\nAddress: ${svc.clusterIP}\n\n`);
  });

  it('without the matching Service the Pod has no such record (the subdomain must name a Service)', () => {
    const s = new Student();
    s.apply(DEPLOY(`      hostname: nginx-host
      subdomain: nginx-subdomain
      containers:
        - name: nginx
          image: nginx:stable
`));
    const r = s.type('nslookup nginx-host.nginx-subdomain.default.svc.cluster.local 10.96.0.10');
    expect(r.stdout + r.stderr).toContain("can't find nginx-host.nginx-subdomain.default.svc.cluster.local: NXDOMAIN");
  });
});

describe('seed 000 §7.5 Ingress and Ingress Controller', () => {
  // The article's Ingress, as written (extensions/v1beta1, serviceName/servicePort, the class as
  // an annotation). It assumes a myapp-svc exists; the student makes one first.
  const INGRESS = `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: ingress-myapp
  namespace: default
  annotations: 
    kubernetes.io/ingress.class: "nginx"
spec:
  rules:
  - host: www.tchua.top 
    http:
      paths:
      - path: /
        backend:
          serviceName: myapp-svc
          servicePort: 80
`;

  it('requests for www.tchua.top reach myapp-svc through the controller; the old apiVersion is read (differs: a 1.22+ API server refuses it)', () => {
    const s = new Student();
    expect(s.out('kubectl create deployment myapp --image=nginx')).toBe('deployment.apps/myapp created\n');
    expect(s.out('kubectl expose deployment myapp --port=80 --name=myapp-svc')).toBe('service/myapp-svc exposed\n');
    // Documented difference: the playground converts extensions/v1beta1 (docs/scenario-format.md).
    expect(s.apply(INGRESS)).toBe('ingress.networking.k8s.io/ingress-myapp created\n');
    expect(s.out('kubectl get ingress')).toMatch(/^NAME +CLASS +HOSTS +ADDRESS +PORTS +AGE\ningress-myapp +nginx +www\.tchua\.top +\S* *80 +\d+s\n$/);
    // The controller the article says must exist alongside: ingress-nginx, and its IngressClass.
    expect(s.out('kubectl get ingressclass')).toMatch(/\nnginx +k8s\.io\/ingress-nginx +<none> +/);
    const controller = s.sim.model.pods.find((p) => p.meta.namespace === 'ingress-nginx' && p.phase === 'Running')!;
    expect(controller).toBeDefined();
    const app = s.pod('app', 'myapp');
    const ip = s.nodeOf(controller).ip;
    // Through the controller (hostPort 80 on the node it runs on), by Host header as a browser would.
    expect(s.out(`curl -s -H "Host: www.tchua.top" ${ip}/`)).toMatch(new RegExp(`^Hostname: ${app.meta.name}\\nRemoteAddr: ${lit(controller.podIP!)}:\\d+\\n$`));
    expect(s.out(`curl -s --resolve www.tchua.top:80:${ip} http://www.tchua.top/`)).toMatch(new RegExp(`^Hostname: ${app.meta.name}\\nRemoteAddr: ${lit(controller.podIP!)}:`));
    // A host no rule names gets the controller's default backend (404), not myapp.
    expect(s.out(`curl -s -o /dev/null -w "%{http_code}" -H "Host: other.example" ${ip}/`)).toBe('404');
    // myapp's nginx logged the proxied request, with the client's User-Agent.
    expect(s.out('kubectl logs deploy/myapp | grep "GET / "')).toMatch(/"GET \/ HTTP\/1\.1" 200 \d+ "-" "curl\/8\.5\.0"/);
  });
});
