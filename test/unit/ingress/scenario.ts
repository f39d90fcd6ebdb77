/**
 * The Ingress scenario the ingress tests and the story benchmark (bench/story.ts) walk: a
 * laptop outside, ingress-nginx exposed on the nodes (hostPort or a NodePort Service), two web
 * Pods behind Service web, rules for a.example.com/abc and s.example.com (TLS).
 */
export const ingressYaml = (expose: 'hostPort' | 'NodePort' = 'hostPort'): string => `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  ingressController: {expose: ${expose}}
  nodes: [{name: node-1, ip: 192.168.1.11}, {name: node-2, ip: 192.168.1.12}]
  externalHosts:
  - {name: laptop, ip: 203.0.113.10, role: client}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginxinc/nginx-unprivileged, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Secret
metadata: {name: s-tls}
type: kubernetes.io/tls
data: {tls.crt: Y3J0, tls.key: a2V5}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  tls: [{hosts: [s.example.com], secretName: s-tls}]
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /abc, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
  - host: s.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
`;
