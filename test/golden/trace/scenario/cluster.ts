/**
 * A two-node cluster scenario for the scenario-built golden traces, parameterised by the CNI
 * plugin and backend: client and web-a on node-1, web on node-2, a hostNetwork exporter on
 * node-2, and a two-container Pod whose sidecar talks to its app over localhost.
 */
export function clusterYaml(plugin: string, backend: string | null): string {
  return `apiVersion: knp/v1alpha1
kind: Cluster
metadata: {name: demo}
spec:
  network: {plugin: ${plugin}${backend ? `, backend: ${backend}` : ''}}
  nodes:
  - {name: node-1, ip: 192.168.1.11}
  - {name: node-2, ip: 192.168.1.12}
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  nodeName: node-1
  containers:
  - {name: c, image: busybox}
---
apiVersion: v1
kind: Pod
metadata: {name: web-a}
spec:
  nodeName: node-1
  containers:
  - {name: web, image: nginx, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web}
spec:
  nodeName: node-2
  containers:
  - {name: web, image: nginx, ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: exporter}
spec:
  nodeName: node-2
  hostNetwork: true
  containers:
  - {name: exporter, image: node-exporter, ports: [{containerPort: 9100}]}
---
apiVersion: v1
kind: Pod
metadata: {name: app}
spec:
  nodeName: node-1
  containers:
  - {name: app, image: nginxinc/nginx-unprivileged, ports: [{containerPort: 8080}]}
  - {name: sidecar, image: busybox}
`;
}
