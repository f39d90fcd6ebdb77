/**
 * The JSON Schema the editor completes and documents against. It is deliberately loose (the
 * engine's diagnostics are the real validation) and carries our own explanations where
 * learners stumble, above all the five kinds of "port". When the generated schema of our kinds
 * (schema/knp.schema.json) exists it is merged in.
 */
type Schema = Record<string, unknown>;

const generated = import.meta.glob('/schema/*.schema.json', { eager: true, import: 'default' }) as Record<string, Schema>;

export const PORT_DOCS = {
  port: 'Service port: the port clients use with the Service\'s ClusterIP or DNS name (CLUSTER-IP:port). kube-proxy matches it in KUBE-SERVICES and DNATs the packet to a Pod\'s targetPort. Not opened anywhere by itself.',
  targetPort: 'Where the Service sends the packet after DNAT: the Pod\'s port, as a number or as the name of a containerPort. Defaults to the same value as port. The app in the Pod must listen there.',
  nodePort: 'Opened by kube-proxy on every node\'s addresses (default range 30000-32767) for type NodePort and LoadBalancer: NODE-IP:nodePort is DNATed to a Pod\'s targetPort, often on another node (and SNATed, unless externalTrafficPolicy: Local).',
  hostPort: 'Maps a port on the one node where this Pod runs to the containerPort, with a DNAT rule written by the CNI portmap plugin. Not a Service: no load balancing, and two Pods with the same hostPort cannot share a node.',
  containerPort: 'The port the container\'s app listens on, written down for people and for Services that refer to it by name. Informational: listing it opens nothing, and leaving it out blocks nothing.',
  protocol: 'TCP (default), UDP or SCTP. A Service port and its targetPort use the same protocol.',
};

const str = (description: string): Schema => ({ type: 'string', description });
const portNum = (description: string): Schema => ({ type: 'integer', minimum: 1, maximum: 65535, description });

const containerPort: Schema = {
  type: 'object',
  properties: {
    containerPort: portNum(PORT_DOCS.containerPort),
    hostPort: portNum(PORT_DOCS.hostPort),
    hostIP: str('Node address the hostPort binds to (default: all).'),
    name: str('A name a Service\'s targetPort can refer to (IANA_SVC_NAME, at most 15 characters).'),
    protocol: { enum: ['TCP', 'UDP', 'SCTP'], description: PORT_DOCS.protocol },
  },
  required: ['containerPort'],
};

const container: Schema = {
  type: 'object',
  properties: {
    name: str('Container name, unique within the Pod.'),
    image: str('Image; the playground infers the app from well-known images (nginx, httpd, busybox, coredns…).'),
    ports: { type: 'array', items: containerPort, description: 'Ports this container listens on (informational).' },
    command: { type: 'array', items: { type: 'string' } },
    args: { type: 'array', items: { type: 'string' } },
  },
};

const podSpec: Schema = {
  type: 'object',
  properties: {
    containers: { type: 'array', items: container },
    nodeName: str('Pins the Pod to a node, bypassing the scheduler.'),
    hostNetwork: { type: 'boolean', description: 'Run in the node\'s own network namespace: no veth, the Pod\'s IP is the node\'s IP.' },
    dnsPolicy: { enum: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'], description: 'How /etc/resolv.conf is written. ClusterFirst points at the cluster DNS Service with the search list NS.svc.cluster.local svc.cluster.local cluster.local.' },
    nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

const servicePort: Schema = {
  type: 'object',
  properties: {
    name: str('Required when a Service has more than one port.'),
    port: portNum(PORT_DOCS.port),
    targetPort: { type: ['integer', 'string'], description: PORT_DOCS.targetPort },
    nodePort: { type: 'integer', minimum: 1, maximum: 65535, description: PORT_DOCS.nodePort },
    protocol: { enum: ['TCP', 'UDP', 'SCTP'], description: PORT_DOCS.protocol },
  },
  required: ['port'],
};

const metadata: Schema = {
  type: 'object',
  properties: {
    name: str('Object name.'),
    namespace: str('Namespace (default: "default").'),
    labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels: Services and workloads select Pods by them.' },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

export function scenarioSchema(): Schema {
  const base: Schema = {
    type: 'object',
    properties: {
      apiVersion: { enum: ['v1', 'apps/v1', 'networking.k8s.io/v1', 'discovery.k8s.io/v1', 'knp/v1alpha1'], description: 'API group/version of the object. Our own kinds (Cluster, Probe, Host, Container) use knp/v1alpha1.' },
      kind: {
        enum: ['Cluster', 'Probe', 'Host', 'Container', 'Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Service', 'Endpoints', 'EndpointSlice', 'ConfigMap', 'Secret', 'Namespace', 'Ingress', 'IngressClass', 'NetworkPolicy'],
        description: 'The kind of object.',
      },
      metadata,
      spec: {
        type: 'object',
        description: 'The object\'s desired state.',
        properties: {
          // Service
          type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'], description: 'ClusterIP: a virtual IP inside the cluster. NodePort: also a port on every node. LoadBalancer: also an external address that forwards to the NodePorts.' },
          selector: { type: 'object', description: 'Service: labels of the Pods that become its endpoints. Workloads: which Pods they own (matchLabels).' },
          ports: { type: 'array', items: servicePort, description: 'Service ports: port (the Service\'s), targetPort (the Pod\'s), nodePort (every node\'s).' },
          clusterIP: str('The Service\'s virtual IP, from the service CIDR; "None" makes a headless Service (DNS returns the Pod IPs).'),
          externalTrafficPolicy: { enum: ['Cluster', 'Local'], description: 'Local keeps the client\'s source IP (no SNAT) but only nodes with a ready endpoint answer.' },
          sessionAffinity: { enum: ['None', 'ClientIP'], description: 'ClientIP sends one client to the same endpoint (iptables "recent" match / IPVS persistence).' },
          // Workloads and Pods
          replicas: { type: 'integer', minimum: 0, description: 'How many Pods the workload keeps running.' },
          template: { type: 'object', properties: { metadata, spec: podSpec } },
          ...(podSpec['properties'] as Schema),
          // Cluster
          podCIDR: str('Cluster-wide Pod network; each node gets a slice (--cluster-cidr).'),
          serviceCIDR: str('Range ClusterIPs come from (--service-cluster-ip-range). Never routed: only kube-proxy\'s rules give it meaning.'),
          network: { type: 'object', description: 'CNI plugin (flannel, calico, canal, bridge), backend (vxlan, udp, host-gw, ipip, bgp) and the bridge name.' },
          kubeProxy: { type: 'object', description: 'kube-proxy mode: iptables (DNAT rules), ipvs (kernel load balancer on kube-ipvs0), userspace, or none.' },
          nodes: { type: 'array', description: 'The cluster\'s nodes: name and underlay IP (eth0).' },
          // Probe
          from: str('Where the client runs: pod/NS/NAME, node/NAME or host/NAME.'),
          to: str('IP, IP:PORT, or a URL such as http://web.default.svc.cluster.local/.'),
        },
      },
    },
  };
  const extra = Object.values(generated);
  return extra.length ? { anyOf: [...extra, base] } : base;
}
