/** The Kubernetes kinds a scenario may contain, with the fields we model. */
import { z } from 'zod';
import { ignored, intOrString, labels, labelSelector, objectMeta, protocol } from './common';

const typeMeta = { apiVersion: z.string(), kind: z.string() };

export const containerPort = z.strictObject({
  name: z.string().optional(),
  containerPort: z.number().int(),
  protocol: protocol.optional(),
  hostPort: z.number().int().optional(),
  hostIP: z.string().optional(),
});

const envVar = z.strictObject({ name: z.string(), value: z.string().optional(), valueFrom: ignored() });

export const container = z.strictObject({
  name: z.string(),
  image: z.string().optional(),
  ports: z.array(containerPort).optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(envVar).optional(),
  envFrom: ignored(),
  imagePullPolicy: ignored(),
  resources: ignored(),
  volumeMounts: ignored(),
  livenessProbe: ignored(),
  readinessProbe: ignored(),
  startupProbe: ignored(),
  lifecycle: ignored(),
  securityContext: ignored(),
  workingDir: ignored(),
  stdin: ignored(),
  tty: ignored(),
  terminationMessagePath: ignored(),
  terminationMessagePolicy: ignored(),
  restartPolicy: ignored(),
});

const nodeSelectorRequirement = z.strictObject({
  key: z.string(),
  operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt']),
  values: z.array(z.string()).optional(),
});
const nodeSelectorTerm = z.strictObject({
  matchExpressions: z.array(nodeSelectorRequirement).optional(),
  matchFields: z.array(nodeSelectorRequirement).optional(),
});
const affinity = z.strictObject({
  nodeAffinity: z.strictObject({
    requiredDuringSchedulingIgnoredDuringExecution: z.strictObject({ nodeSelectorTerms: z.array(nodeSelectorTerm) }).optional(),
    preferredDuringSchedulingIgnoredDuringExecution: ignored(),
  }).optional(),
  podAffinity: ignored(),
  podAntiAffinity: ignored(),
});
const toleration = z.strictObject({
  key: z.string().optional(),
  operator: z.enum(['Exists', 'Equal']).optional(),
  value: z.string().optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
  tolerationSeconds: z.number().optional(),
});

export const podSpec = z.strictObject({
  containers: z.array(container),
  initContainers: z.array(container).optional(),
  hostNetwork: z.boolean().optional(),
  hostPID: ignored(),
  hostIPC: ignored(),
  nodeName: z.string().optional(),
  nodeSelector: labels.optional(),
  affinity: affinity.optional(),
  tolerations: z.array(toleration).optional(),
  dnsPolicy: z.enum(['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']).optional(),
  dnsConfig: z.strictObject({
    nameservers: z.array(z.string()).optional(),
    searches: z.array(z.string()).optional(),
    options: z.array(z.strictObject({ name: z.string(), value: z.string().optional() })).optional(),
  }).optional(),
  hostname: z.string().optional(),
  subdomain: z.string().optional(),
  setHostnameAsFQDN: z.boolean().optional(),
  hostAliases: z.array(z.strictObject({ ip: z.string(), hostnames: z.array(z.string()).optional() })).optional(),
  enableServiceLinks: z.boolean().optional(),
  restartPolicy: ignored(),
  volumes: ignored(),
  serviceAccountName: ignored(),
  serviceAccount: ignored(),
  automountServiceAccountToken: ignored(),
  terminationGracePeriodSeconds: ignored(),
  securityContext: ignored(),
  imagePullSecrets: ignored(),
  priorityClassName: ignored(),
  schedulerName: ignored(),
  topologySpreadConstraints: ignored(),
  shareProcessNamespace: ignored(),
  readinessGates: ignored(),
  runtimeClassName: ignored(),
});

const podCondition = z.strictObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: ignored(), message: ignored(), lastTransitionTime: ignored(), lastProbeTime: ignored(),
});
export const podStatus = z.strictObject({
  podIP: z.string().optional(),
  podIPs: ignored(),
  hostIP: ignored(),
  phase: z.enum(['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']).optional(),
  conditions: z.array(podCondition).optional(),
  containerStatuses: ignored(),
  startTime: ignored(),
  qosClass: ignored(),
});

export const pod = z.strictObject({ ...typeMeta, metadata: objectMeta, spec: podSpec, status: podStatus.optional() });

export const podTemplate = z.strictObject({ metadata: objectMeta.optional(), spec: podSpec });

const workloadCommon = {
  replicas: z.number().int().min(0).optional(),
  selector: labelSelector.optional(),
  template: podTemplate,
  minReadySeconds: ignored(),
  revisionHistoryLimit: ignored(),
  progressDeadlineSeconds: ignored(),
  paused: ignored(),
};
export const deployment = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({ ...workloadCommon, strategy: ignored() }),
  status: ignored(),
});
export const replicaSet = z.strictObject({ ...typeMeta, metadata: objectMeta, spec: z.strictObject(workloadCommon), status: ignored() });
export const statefulSet = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({
    ...workloadCommon,
    serviceName: z.string().optional(),
    podManagementPolicy: ignored(),
    updateStrategy: ignored(),
    volumeClaimTemplates: ignored(),
    persistentVolumeClaimRetentionPolicy: ignored(),
    ordinals: z.strictObject({ start: z.number().int().min(0).optional() }).optional(),
  }),
  status: ignored(),
});
export const daemonSet = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({ selector: labelSelector.optional(), template: podTemplate, updateStrategy: ignored(), minReadySeconds: ignored(), revisionHistoryLimit: ignored() }),
  status: ignored(),
});

export const servicePort = z.strictObject({
  name: z.string().optional(),
  protocol: protocol.optional(),
  port: z.number().int(),
  targetPort: intOrString.optional(),
  nodePort: z.number().int().optional(),
  appProtocol: z.string().optional(),
});
export const service = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName']).optional(),
    selector: labels.optional(),
    ports: z.array(servicePort).optional(),
    clusterIP: z.string().optional(),
    clusterIPs: z.array(z.string()).optional(),
    externalIPs: z.array(z.string()).optional(),
    externalName: z.string().optional(),
    loadBalancerIP: z.string().optional(),
    loadBalancerSourceRanges: z.array(z.string()).optional(),
    loadBalancerClass: ignored(),
    allocateLoadBalancerNodePorts: z.boolean().optional(),
    externalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    internalTrafficPolicy: z.enum(['Cluster', 'Local']).optional(),
    healthCheckNodePort: z.number().int().optional(),
    sessionAffinity: z.enum(['None', 'ClientIP']).optional(),
    sessionAffinityConfig: z.strictObject({
      clientIP: z.strictObject({ timeoutSeconds: z.number().int().optional() }).optional(),
    }).optional(),
    publishNotReadyAddresses: z.boolean().optional(),
    ipFamilies: z.array(z.enum(['IPv4', 'IPv6'])).optional(),
    ipFamilyPolicy: z.enum(['SingleStack', 'PreferDualStack', 'RequireDualStack']).optional(),
    trafficDistribution: ignored(),
  }).optional(),
  status: z.strictObject({
    loadBalancer: z.strictObject({
      ingress: z.array(z.strictObject({ ip: z.string().optional(), hostname: z.string().optional(), ipMode: ignored(), ports: ignored() })).optional(),
    }).optional(),
    conditions: ignored(),
  }).optional(),
});

const endpointAddress = z.strictObject({
  ip: z.string(), hostname: z.string().optional(), nodeName: z.string().optional(), targetRef: ignored(),
});
const endpointPort = z.strictObject({ name: z.string().optional(), port: z.number().int(), protocol: protocol.optional(), appProtocol: ignored() });
export const endpoints = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  subsets: z.array(z.strictObject({
    addresses: z.array(endpointAddress).optional(),
    notReadyAddresses: z.array(endpointAddress).optional(),
    ports: z.array(endpointPort).optional(),
  })).optional(),
});

export const endpointSlice = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  addressType: z.enum(['IPv4', 'IPv6', 'FQDN']),
  endpoints: z.array(z.strictObject({
    addresses: z.array(z.string()),
    conditions: z.strictObject({ ready: z.boolean().optional(), serving: z.boolean().optional(), terminating: z.boolean().optional() }).optional(),
    hostname: z.string().optional(),
    nodeName: z.string().optional(),
    zone: z.string().optional(),
    targetRef: ignored(),
    hints: ignored(),
    deprecatedTopology: ignored(),
  })).optional(),
  ports: z.array(z.strictObject({ name: z.string().optional(), port: z.number().int().optional(), protocol: protocol.optional(), appProtocol: ignored() })).optional(),
});

export const namespace = z.strictObject({ ...typeMeta, metadata: objectMeta, spec: ignored(), status: ignored() });
export const configMap = z.strictObject({ ...typeMeta, metadata: objectMeta, data: z.record(z.string(), z.string()).optional(), binaryData: ignored(), immutable: ignored() });
export const secret = z.strictObject({
  ...typeMeta, metadata: objectMeta, type: z.string().optional(),
  data: z.record(z.string(), z.string()).optional(), stringData: z.record(z.string(), z.string()).optional(), immutable: ignored(),
});

const backendV1 = z.strictObject({
  service: z.strictObject({ name: z.string(), port: z.strictObject({ name: z.string().optional(), number: z.number().int().optional() }) }).optional(),
  resource: ignored(),
});
const httpPathV1 = z.strictObject({
  path: z.string().optional(),
  pathType: z.enum(['Exact', 'Prefix', 'ImplementationSpecific']),
  backend: backendV1,
});
export const ingressV1 = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({
    ingressClassName: z.string().optional(),
    defaultBackend: backendV1.optional(),
    tls: z.array(z.strictObject({ hosts: z.array(z.string()).optional(), secretName: z.string().optional() })).optional(),
    rules: z.array(z.strictObject({
      host: z.string().optional(),
      http: z.strictObject({ paths: z.array(httpPathV1) }).optional(),
    })).optional(),
  }).optional(),
  status: ignored(),
});
/** extensions/v1beta1 and networking.k8s.io/v1beta1: serviceName/servicePort, `backend`. */
const backendV1beta1 = z.strictObject({ serviceName: z.string(), servicePort: intOrString, resource: ignored() });
export const ingressV1beta1 = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({
    ingressClassName: z.string().optional(),
    backend: backendV1beta1.optional(),
    tls: z.array(z.strictObject({ hosts: z.array(z.string()).optional(), secretName: z.string().optional() })).optional(),
    rules: z.array(z.strictObject({
      host: z.string().optional(),
      http: z.strictObject({
        paths: z.array(z.strictObject({ path: z.string().optional(), pathType: z.enum(['Exact', 'Prefix', 'ImplementationSpecific']).optional(), backend: backendV1beta1 })),
      }).optional(),
    })).optional(),
  }).optional(),
  status: ignored(),
});
export const ingressClass = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({ controller: z.string().optional(), parameters: ignored() }).optional(),
});

const npPort = z.strictObject({ protocol: protocol.optional(), port: intOrString.optional(), endPort: z.number().int().optional() });
const npPeer = z.strictObject({
  podSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
  ipBlock: z.strictObject({ cidr: z.string(), except: z.array(z.string()).optional() }).optional(),
});
export const networkPolicy = z.strictObject({
  ...typeMeta, metadata: objectMeta,
  spec: z.strictObject({
    podSelector: labelSelector,
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])).optional(),
    ingress: z.array(z.strictObject({ from: z.array(npPeer).optional(), ports: z.array(npPort).optional() })).optional(),
    egress: z.array(z.strictObject({ to: z.array(npPeer).optional(), ports: z.array(npPort).optional() })).optional(),
  }),
});

export type PodIn = z.infer<typeof pod>;
export type PodSpecIn = z.infer<typeof podSpec>;
export type ContainerIn = z.infer<typeof container>;
export type DeploymentIn = z.infer<typeof deployment>;
export type ReplicaSetIn = z.infer<typeof replicaSet>;
export type StatefulSetIn = z.infer<typeof statefulSet>;
export type DaemonSetIn = z.infer<typeof daemonSet>;
export type ServiceIn = z.infer<typeof service>;
export type EndpointsIn = z.infer<typeof endpoints>;
export type EndpointSliceIn = z.infer<typeof endpointSlice>;
export type NamespaceIn = z.infer<typeof namespace>;
export type ConfigMapIn = z.infer<typeof configMap>;
export type SecretIn = z.infer<typeof secret>;
export type IngressIn = z.infer<typeof ingressV1>;
export type IngressV1beta1In = z.infer<typeof ingressV1beta1>;
export type IngressClassIn = z.infer<typeof ingressClass>;
export type NetworkPolicyIn = z.infer<typeof networkPolicy>;
