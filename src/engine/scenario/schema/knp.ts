/**
 * Our own kinds (apiVersion knp/v1alpha1): the cluster's shape, machines outside it, plain Linux
 * hosts and Docker containers, and the traffic a scenario carries. Defaults live here, so the
 * generated JSON Schema and docs/scenario-format.md show them.
 */
import { z } from 'zod';
import { ignored, labels, objectMeta } from './common';

export const KNP_API_VERSION = 'knp/v1alpha1';
const typeMeta = { apiVersion: z.literal(KNP_API_VERSION), kind: z.string() };

export const networkPlugin = z.enum(['flannel', 'calico', 'canal', 'bridge', 'kube-router', 'weave', 'aws-vpc-cni', 'cilium']);
export type NetworkPlugin = z.infer<typeof networkPlugin>;
/** Every plugin's backends (cni/<name>'s `backends`; test/unit/cni/registry.test.ts keeps the two equal). */
export const networkBackend = z.enum(['vxlan', 'udp', 'host-gw', 'bgp', 'ipip', 'none', 'fastdp', 'sleeve', 'native']);

/** One address or CIDR, or a list with one per family (the first is the primary family, as in Kubernetes). */
const oneOrPerFamily = z.union([z.string(), z.array(z.string()).min(1)]);
const asList = (v: string | readonly string[]): string[] => (typeof v === 'string' ? [v] : [...v]);
/** The IPv4 entry, which the packet walk (IPv4 only so far) uses; the first entry when there is none (sanitizeSpec replaces it). */
const ipv4Entry = (l: readonly string[]): string => l.find((x) => !x.includes(':')) ?? (l[0] as string);
const familiesOf = (l: readonly string[]): ('IPv4' | 'IPv6')[] => [...new Set(l.map((x) => (x.includes(':') ? 'IPv6' as const : 'IPv4' as const)))];

export const clusterNode = z.strictObject({
  name: z.string().describe('Node name, e.g. node-1'),
  ip: oneOrPerFamily.describe('The node\'s address on the underlay (eth0); a dual-stack node lists one per family, e.g. [192.168.1.11, "fd00:192:168:1::11"]'),
  podCIDR: z.string().optional().describe('Pod subnet of this node; by default the next free /24 of the cluster podCIDR, in order'),
  labels: labels.optional(),
  controlPlane: z.boolean().optional().describe('Carries node-role.kubernetes.io/control-plane and its NoSchedule taint'),
  taints: z.array(z.strictObject({ key: z.string(), value: z.string().optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']) })).optional(),
  addresses: z.array(z.string()).optional().describe('Extra local addresses of the node (NodePorts and addrtype LOCAL see them)'),
  resolvConf: z.string().optional().describe('The node\'s own /etc/resolv.conf (default: nameserver = the upstream DNS host)'),
  ready: z.boolean().optional(),
}).transform((n) => ({ ...n, ip: ipv4Entry(asList(n.ip)), ips: asList(n.ip) }));
/** A node as loaded: `ip` is its IPv4 address (what the walk uses), `ips` every address as written, primary first. */
export type ClusterNodeIn = z.output<typeof clusterNode>;

export const externalHost = z.strictObject({
  name: z.string(),
  ip: z.string(),
  ports: z.array(z.union([z.number().int(), z.string()])).optional().describe('Ports it answers on like a Pod\'s app: 80, "53/udp"'),
  role: z.enum(['client', 'server', 'dns', 'loadbalancer']).optional(),
});
export type ExternalHostIn = z.infer<typeof externalHost>;

export const clusterSpec = z.strictObject({
  podCIDR: oneOrPerFamily.default('10.244.0.0/16').describe('Cluster CIDR (kube-controller-manager --cluster-cidr); dual-stack: one per family, the first is the primary family, e.g. [10.244.0.0/16, "fd00:10:244::/56"]'),
  nodeCIDRMaskSize: z.number().int().min(8).max(30).default(24),
  nodeCIDRMaskSizeIPv6: z.number().int().min(8).max(126).default(64).describe('Size of each node\'s IPv6 Pod subnet (--node-cidr-mask-size-ipv6)'),
  serviceCIDR: oneOrPerFamily.default('10.96.0.0/12').describe('Service range (kube-apiserver --service-cluster-ip-range); dual-stack: one per family, e.g. [10.96.0.0/12, "fd00:10:96::/112"]'),
  nodePortRange: z.string().default('30000-32767'),
  clusterDomain: z.string().default('cluster.local'),
  underlayCIDR: oneOrPerFamily.default('192.168.1.0/24').describe('The segment the nodes\' eth0 sit on; dual-stack: one per family'),
  gateway: z.string().optional().describe('Underlay router address; default: the first address of underlayCIDR'),
  network: z.strictObject({
    plugin: networkPlugin.default('flannel'),
    backend: networkBackend.optional().describe('flannel: vxlan | udp | host-gw; calico: bgp | ipip | vxlan; kube-router: bgp | ipip; weave: fastdp | sleeve; cilium: vxlan | native'),
    bridge: z.enum(['cni0', 'cbr0', 'docker0']).default('cni0'),
    mtu: z.number().int().min(576).max(9000).default(1500),
    encryption: z.boolean().optional().describe('weave: a password is set, so peers encrypt what they send each other (fastdp: IPsec ESP; sleeve: NaCl)'),
    instanceType: z.enum(['t3.micro', 't3.small', 't3.medium', 't3.large', 'm5.large', 'm5.xlarge', 'c5.large']).optional().describe('aws-vpc-cni: the nodes\' EC2 instance type; it fixes ENIs × IPs per ENI and so max Pods (default t3.medium: 3 × 6, 17 Pods)'),
    kubeProxyReplacement: z.boolean().optional().describe('cilium only: Services are served by Cilium\'s BPF programs (at the socket for Pods, at from-netdev for NodePorts) and kube-proxy writes no rules'),
  }).prefault({}),
  kubeProxy: z.strictObject({
    mode: z.enum(['iptables', 'ipvs', 'nftables', 'userspace', 'none']).default('iptables'),
    masqueradeAll: z.boolean().default(false),
    masqueradeBit: z.number().int().min(0).max(31).default(14),
    nodePortAddresses: z.array(z.string()).optional(),
    localhostNodePorts: z.boolean().default(true),
    localDetector: z.enum(['ClusterCIDR', 'None']).default('ClusterCIDR'),
    scheduler: z.enum(['rr', 'wrr', 'lc', 'wlc', 'sh', 'dh', 'sed', 'nq']).default('rr'),
  }).prefault({}),
  kernel: z.strictObject({
    nfacct: z.boolean().default(true).describe('nfnetlink_acct: kube-proxy adds -m nfacct counters (nfacct list shows them)'),
    randomFully: z.boolean().default(true).describe('MASQUERADE --random-fully (kube-proxy, flannel, calico)'),
    routeLocalnet: z.boolean().default(true).describe('net.ipv4.conf.all.route_localnet can be set: NodePorts answer on 127.0.0.1'),
  }).prefault({}).describe('What the nodes\' kernel offers; defaults are a current distribution kernel'),
  dns: z.strictObject({
    upstream: z.string().optional().describe('External host name that answers DNS for names outside the cluster'),
  }).optional(),
  ingressController: z.strictObject({
    expose: z.enum(['hostPort', 'NodePort', 'LoadBalancer', 'none']).default('hostPort'),
  }).optional(),
  nodes: z.array(clusterNode).optional(),
  externalHosts: z.array(externalHost).optional(),
}).transform((sp) => {
  const podCIDRs = asList(sp.podCIDR), serviceCIDRs = asList(sp.serviceCIDR), underlayCIDRs = asList(sp.underlayCIDR);
  return {
    ...sp,
    // The IPv4 entries, which everything that walks packets reads (IPv6 is not walked yet).
    podCIDR: ipv4Entry(podCIDRs), serviceCIDR: ipv4Entry(serviceCIDRs), underlayCIDR: ipv4Entry(underlayCIDRs),
    /** Every CIDR as written, primary family first (Kubernetes' view: Node.spec.podCIDRs, Service clusterIPs). */
    podCIDRs, serviceCIDRs, underlayCIDRs,
    /** The cluster's IP families in order, the first being the primary one (from podCIDR). */
    ipFamilies: familiesOf(podCIDRs),
  };
});
export type ClusterSpecIn = z.input<typeof clusterSpec>;
export type ClusterSpec = z.output<typeof clusterSpec>;

export const cluster = z.strictObject({ ...typeMeta, metadata: objectMeta, spec: clusterSpec.prefault({}) });

export const probe = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({
    from: z.string().describe('pod/NS/NAME, pod/NAME, node/NAME or host/NAME'),
    to: z.string().describe('IP, IP:PORT, or a URL: http://HOST[:PORT]/PATH, tcp://HOST:PORT, udp://HOST:PORT'),
    protocol: z.enum(['tcp', 'udp', 'icmp']).optional(),
    port: z.number().int().optional(),
    count: z.number().int().min(1).max(1000).default(1),
    expect: z.strictObject({
      verdict: z.enum(['delivered', 'refused', 'dropped', 'unreachable', 'timeout', 'nxdomain', 'error']).optional(),
      responder: z.string().optional(),
    }).optional(),
  }),
});
export type ProbeIn = z.output<typeof probe>;

/** A plain Linux machine (the seeds' first chapters), with network namespaces and links declared up front. */
export const host = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({
    ip: z.string().optional().describe('Address of eth0 on the underlay; a Host without one stands alone'),
    docker: z.strictObject({ bridgeCIDR: z.string().default('172.17.0.0/16') }).optional(),
    namespaces: z.array(z.string()).optional(),
    links: z.array(z.strictObject({
      name: z.string(),
      type: z.enum(['veth', 'bridge']),
      peer: z.string().optional(),
      namespace: z.string().optional(),
      peerNamespace: z.string().optional(),
      master: z.string().optional(),
      up: z.boolean().default(true),
    })).optional(),
    addresses: z.array(z.strictObject({ dev: z.string(), address: z.string(), namespace: z.string().optional() })).optional(),
    routes: z.array(z.strictObject({ to: z.string(), via: z.string().optional(), dev: z.string().optional(), namespace: z.string().optional() })).optional(),
  }).prefault({}),
});
export type HostIn = z.output<typeof host>;

/** A Docker container on a Host: `docker run --network MODE -p HOST:CONTAINER`. */
export const container = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({
    host: z.string(),
    image: z.string().optional(),
    network: z.string().default('bridge').describe('bridge | host | none | container:NAME'),
    ports: z.array(z.union([z.string(), z.number().int()])).optional().describe('Published ports like docker -p: "8080:80", "53:53/udp"'),
    listen: z.array(z.union([z.number().int(), z.string()])).optional().describe('Ports the app inside listens on: 80, "53/udp"'),
  }),
  status: ignored(),
});
export type ContainerIn = z.output<typeof container>;
