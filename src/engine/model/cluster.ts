/**
 * The cluster as a control plane would hold it after reconciling the scenario: every workload
 * expanded into Pods, Pods scheduled and addressed, Services allocated, endpoints computed.
 * Plain data, no behaviour: the data plane (src/engine/net) is built from this, the shell prints it.
 */
import type { ClusterSpec } from '../scenario/schema/knp';
import type { Origin } from '../scenario/load';
import type * as In from '../scenario/schema/k8s';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

export interface Meta {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Creation order; kubelet's Service env vars and `kubectl get` ordering depend on it. */
  readonly createdIndex: number;
  /** Simulated creation time (seconds since cluster start), for AGE columns. */
  readonly createdAt: number;
  readonly ownerKind?: string;
  readonly ownerName?: string;
  /** Where the user wrote it; absent for generated objects. */
  readonly origin?: Origin;
}

export interface NodeModel {
  readonly name: string;
  readonly ip: string;
  /** Extra addresses (cloud/public ips): NodePorts and addrtype LOCAL include them. */
  readonly extraAddresses: readonly string[];
  readonly podCIDR: string;
  /**
   * Kubernetes' view on a dual-stack or IPv6 cluster: every InternalIP and Node.spec.podCIDRs,
   * primary family first. Absent on an IPv4-only cluster (then they are [ip] and [podCIDR]).
   * `ip` and `podCIDR` stay the IPv4 ones, which the packet walk uses.
   */
  readonly ips?: readonly string[];
  readonly podCIDRs?: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly { key: string; value?: string; effect: string }[];
  readonly controlPlane: boolean;
  readonly ready: boolean;
  readonly resolvConf?: string;
  readonly createdIndex: number;
}

export interface ContainerPortModel {
  readonly name?: string;
  readonly containerPort: number;
  readonly protocol: Protocol;
  readonly hostPort?: number;
  readonly hostIP?: string;
}

export interface ContainerModel {
  readonly name: string;
  readonly image: string;
  readonly ports: readonly ContainerPortModel[];
  readonly env: readonly { name: string; value: string }[];
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

export interface PodModel {
  readonly meta: Meta;
  readonly spec: In.PodSpecIn;
  readonly containers: readonly ContainerModel[];
  readonly nodeName: string | null;
  readonly hostNetwork: boolean;
  readonly phase: PodPhase;
  /**
   * A container whose command ends while the Pod restarts it (control/lifecycle.ts): the Pod
   * is Running but not ready; RESTARTS and CrashLoopBackOff follow from its age.
   */
  readonly crashLoop?: { readonly container: string; readonly exitCode: number };
  /** Why the scheduler left it Pending (e.g. "0/2 nodes are available: ..."). */
  readonly pendingReason?: string;
  readonly podIP: string | null;
  /** Set on a cluster with an IPv6 family: status.podIPs, one per family in the node's podCIDRs order. `podIP` stays the IPv4 one the walk uses. */
  readonly podIPs?: readonly string[];
  readonly hostIP: string | null;
  readonly ready: boolean;
  /** Terminating pods still exist as endpoints (serving, terminating). */
  readonly terminating: boolean;
  readonly hostname: string;
  readonly subdomain?: string;
  /** Environment kubelet injects: the user's env plus Service variables (when enableServiceLinks). */
  readonly env: readonly { name: string; value: string }[];
  /** Only the Service variables kubelet adds (a subset of env), for `env` in other containers. */
  readonly serviceEnv?: readonly { name: string; value: string }[];
  readonly dnsPolicy: 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';
  /** True for kube-system Pods the playground adds (CoreDNS, kube-proxy, CNI). */
  readonly system: boolean;
  /** Same as meta.createdIndex: the Pod sees Services with a smaller index. */
  readonly createdIndex?: number;
}

export interface ServicePortModel {
  readonly name: string;
  readonly protocol: Protocol;
  readonly port: number;
  /** A number, or a name resolved per endpoint Pod. */
  readonly targetPort: number | string;
  readonly nodePort?: number;
  readonly appProtocol?: string;
}

export type ServiceType = 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';

export interface ServiceModel {
  readonly meta: Meta;
  readonly type: ServiceType;
  /** null = no selector (user-managed endpoints). */
  readonly selector: Readonly<Record<string, string>> | null;
  /** "None" for headless; null for ExternalName. */
  readonly clusterIP: string | null;
  readonly headless: boolean;
  readonly ports: readonly ServicePortModel[];
  readonly externalIPs: readonly string[];
  readonly externalName?: string;
  readonly loadBalancerIngress: readonly string[];
  readonly loadBalancerSourceRanges: readonly string[];
  readonly externalTrafficPolicy: 'Cluster' | 'Local';
  readonly internalTrafficPolicy: 'Cluster' | 'Local';
  readonly healthCheckNodePort?: number;
  readonly sessionAffinity: 'None' | 'ClientIP';
  readonly sessionAffinityTimeout: number;
  readonly publishNotReadyAddresses: boolean;
  /**
   * Set on a cluster with an IPv6 family (absent: SingleStack, [IPv4], [clusterIP]): the API
   * server's ipFamilyPolicy (null for ExternalName), ipFamilies and clusterIPs in that order.
   * `clusterIP` stays the IPv4 address the walk uses until the IPv6 data path exists.
   */
  readonly ipFamilies?: readonly ('IPv4' | 'IPv6')[];
  readonly ipFamilyPolicy?: 'SingleStack' | 'PreferDualStack' | 'RequireDualStack' | null;
  readonly clusterIPs?: readonly string[];
}

export interface EndpointModel {
  readonly addresses: readonly string[];
  readonly ready: boolean;
  readonly serving: boolean;
  readonly terminating: boolean;
  readonly hostname?: string;
  readonly nodeName?: string;
  readonly zone?: string;
  /** pod/NS/NAME when the endpoint is a Pod. */
  readonly targetRef?: string;
}

export interface EndpointSliceModel {
  readonly meta: Meta;
  readonly serviceName: string;
  readonly addressType: 'IPv4' | 'IPv6' | 'FQDN';
  readonly endpoints: readonly EndpointModel[];
  readonly ports: readonly { name: string; port: number; protocol: Protocol; appProtocol?: string }[];
  /** true when written by the user rather than by the EndpointSlice controller. */
  readonly managedByUser: boolean;
}

export interface EndpointsModel {
  readonly meta: Meta;
  readonly subsets: readonly {
    addresses: readonly { ip: string; hostname?: string; nodeName?: string; targetRef?: string }[];
    notReadyAddresses: readonly { ip: string; hostname?: string; nodeName?: string; targetRef?: string }[];
    ports: readonly { name: string; port: number; protocol: Protocol }[];
  }[];
}

export interface WorkloadModel {
  readonly meta: Meta;
  readonly kind: 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet';
  readonly replicas: number;
  readonly selector: In.DeploymentIn['spec']['selector'];
  /** Pod names it owns, in creation order. */
  readonly pods: readonly string[];
  /** Deployment: the ReplicaSet it created (NAME-<pod-template-hash>). */
  readonly replicaSetName?: string;
  readonly podTemplateHash?: string;
  readonly serviceName?: string;
}

export interface ExternalHostModel {
  readonly name: string;
  readonly ip: string;
  readonly ports: readonly { port: number; protocol: Protocol }[];
  /** `loadbalancer`: forwards LoadBalancer Services' EXTERNAL-IPs to the nodes' NodePorts (k8s/hostrules/cloudlb.ts). */
  readonly role?: 'client' | 'server' | 'dns' | 'loadbalancer';
  /** Added by the control plane (the built-in cloud load balancer), not written in the scenario. */
  readonly builtIn?: boolean;
}

export interface ProbeModel {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly protocol?: 'tcp' | 'udp' | 'icmp';
  readonly port?: number;
  readonly count: number;
  readonly expect?: { verdict?: string; responder?: string };
  readonly origin?: Origin;
}

/** Everything the control plane knows. Lists are sorted deterministically (namespace, name). */
export interface ClusterModel {
  /** False for scenarios made only of Hosts and Containers: no Kubernetes at all. */
  readonly hasCluster: boolean;
  readonly name: string;
  readonly spec: ClusterSpec;
  /** Simulated seconds since cluster start at sim.now = 0 (AGE = ageBase + now/1000 - createdAt). */
  readonly ageBase?: number;
  /** The DNS server outside the cluster (nodes' resolv.conf, CoreDNS `forward .`). */
  readonly upstreamDns?: { readonly name: string; readonly ip: string } | null;
  /** Where kube-apiserver listens (the `kubernetes` Service's endpoint). */
  readonly apiServer?: { readonly ip: string; readonly port: number; readonly node: string } | null;
  readonly nodes: readonly NodeModel[];
  readonly namespaces: readonly Meta[];
  readonly pods: readonly PodModel[];
  readonly workloads: readonly WorkloadModel[];
  readonly services: readonly ServiceModel[];
  readonly endpoints: readonly EndpointsModel[];
  readonly endpointSlices: readonly EndpointSliceModel[];
  readonly configMaps: readonly { meta: Meta; data: Readonly<Record<string, string>> }[];
  readonly secrets: readonly { meta: Meta; type: string; data: Readonly<Record<string, string>> }[];
  readonly ingresses: readonly { meta: Meta; spec: NonNullable<In.IngressIn['spec']> }[];
  readonly ingressClasses: readonly { meta: Meta; controller: string; isDefault: boolean }[];
  readonly networkPolicies: readonly { meta: Meta; spec: In.NetworkPolicyIn['spec'] }[];
  readonly externalHosts: readonly ExternalHostModel[];
  readonly probes: readonly ProbeModel[];
  readonly hosts: readonly { meta: Meta; spec: import('../scenario/schema/knp').HostIn['spec'] }[];
  readonly containers: readonly { meta: Meta; spec: import('../scenario/schema/knp').ContainerIn['spec'] }[];
}
