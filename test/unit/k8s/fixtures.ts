/** Scenarios the kubectl tests share. */

/** Two nodes, a Deployment "web" with `replicas` Pods behind Service "web", and a client Pod. */
export function webScenario(replicas: number): string {
  return `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 192.168.1.12}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: busybox}]}
`;
}
