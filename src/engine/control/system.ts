/**
 * The parts of a cluster a learner did not write but can see with kubectl: the `kubernetes`
 * Service, CoreDNS (Deployment, `kube-dns` Service, `coredns` ConfigMap), kube-proxy, and the
 * CNI's DaemonSet. They are written here as ordinary input objects, shaped like the manifests
 * kubeadm and the CNI projects install, so they go through the same controllers as user objects.
 */
import type { ClusterSpec } from '../scenario/schema/knp';
import { cniOf } from '../cni/registry';
import type * as In from '../scenario/schema/k8s';

/** What `kubeadm init` writes into the coredns ConfigMap (DOMAIN substituted). */
export function defaultCorefile(domain: string): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${domain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-node-lease', 'kube-public', 'kube-system'] as const;

export const IMAGES = {
  coredns: 'registry.k8s.io/coredns/coredns:v1.11.1',
  kubeProxy: 'registry.k8s.io/kube-proxy:v1.30.0',
  ingressNginx: 'registry.k8s.io/ingress-nginx/controller:v1.10.1',
} as const;

export const KUBERNETES_VERSION = 'v1.30.0';

/**
 * The control plane's static Pods, as kubeadm writes them to /etc/kubernetes/manifests on the
 * control-plane node: hostNetwork, named COMPONENT-NODENAME, mirrored into the API by kubelet.
 * kube-apiserver declares 6443 so the `kubernetes` Service's endpoint has something listening.
 */
export function staticPods(): { name: string; image: string; command: string[]; ports: { containerPort: number; name: string }[] }[] {
  return [
    { name: 'etcd', image: 'registry.k8s.io/etcd:3.5.12-0', command: ['etcd', '--listen-client-urls=https://127.0.0.1:2379'], ports: [] },
    { name: 'kube-apiserver', image: `registry.k8s.io/kube-apiserver:${KUBERNETES_VERSION}`, command: ['kube-apiserver', '--secure-port=6443'], ports: [{ containerPort: 6443, name: 'https' }] },
    { name: 'kube-controller-manager', image: `registry.k8s.io/kube-controller-manager:${KUBERNETES_VERSION}`, command: ['kube-controller-manager', '--allocate-node-cidrs=true'], ports: [] },
    { name: 'kube-scheduler', image: `registry.k8s.io/kube-scheduler:${KUBERNETES_VERSION}`, command: ['kube-scheduler'], ports: [] },
  ];
}

export interface SystemObjects {
  namespaces: In.NamespaceIn[];
  ingressClasses: In.IngressClassIn[];
  deployments: In.DeploymentIn[];
  daemonSets: In.DaemonSetIn[];
  services: In.ServiceIn[];
  configMaps: In.ConfigMapIn[];
}

const meta = (name: string, namespace: string, labels: Record<string, string> = {}) => ({ name, namespace, labels });

export const INGRESS_NAMESPACE = 'ingress-nginx';
export const INGRESS_CONTROLLER = 'ingress-nginx-controller';
export { INGRESS_LABELS } from '../model/labels';
import { INGRESS_LABELS } from '../model/labels';

/**
 * ingress-nginx, installed the way the scenario asks (spec.ingressController.expose):
 *   hostPort      a DaemonSet whose Pods publish 80/443 on every worker (the bare-metal manifest)
 *   NodePort      a Deployment behind a NodePort Service
 *   LoadBalancer  a Deployment behind a LoadBalancer Service
 * plus the `nginx` IngressClass, marked default so Ingresses without a class are served.
 */
function ingressNginx(out: SystemObjects, expose: 'hostPort' | 'NodePort' | 'LoadBalancer'): void {
  out.namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: INGRESS_NAMESPACE, labels: { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' } } });
  out.ingressClasses.push({
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name: 'nginx', labels: { ...INGRESS_LABELS }, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: 'k8s.io/ingress-nginx' },
  });
  const hostPort = expose === 'hostPort';
  const template = {
    metadata: { labels: { ...INGRESS_LABELS } },
    spec: {
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      containers: [{
        name: 'controller', image: IMAGES.ingressNginx,
        args: ['/nginx-ingress-controller', '--election-id=ingress-nginx-leader', '--controller-class=k8s.io/ingress-nginx', '--ingress-class=nginx'],
        ports: [
          { name: 'http', containerPort: 80, protocol: 'TCP' as const, ...(hostPort ? { hostPort: 80 } : {}) },
          { name: 'https', containerPort: 443, protocol: 'TCP' as const, ...(hostPort ? { hostPort: 443 } : {}) },
        ],
      }],
    },
  };
  const metadata = { name: INGRESS_CONTROLLER, namespace: INGRESS_NAMESPACE, labels: { ...INGRESS_LABELS } };
  if (hostPort) {
    out.daemonSets.push({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata, spec: { selector: { matchLabels: { ...INGRESS_LABELS } }, template } });
    return;
  }
  out.deployments.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: { replicas: 1, selector: { matchLabels: { ...INGRESS_LABELS } }, template } });
  out.services.push({
    apiVersion: 'v1', kind: 'Service', metadata,
    spec: {
      type: expose, selector: { ...INGRESS_LABELS }, externalTrafficPolicy: 'Cluster',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http', appProtocol: 'http' }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https', appProtocol: 'https' }],
    },
  });
}

/** Whether the cluster runs an ingress controller: asked for in the Cluster, or implied by an Ingress. */
export function ingressExpose(spec: ClusterSpec, hasIngress: boolean): 'hostPort' | 'NodePort' | 'LoadBalancer' | null {
  const e = spec.ingressController?.expose ?? (hasIngress ? 'hostPort' : 'none');
  return e === 'none' ? null : e;
}

const KUBE_PROXY_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://control-plane:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token
`;

/** The KubeProxyConfiguration kubeadm writes, with this cluster's mode and CIDR. */
function kubeProxyConfig(spec: ClusterSpec): string {
  return `apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
clientConnection:
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
clusterCIDR: ${spec.podCIDR}
conntrack:
  maxPerCore: null
  min: null
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
iptables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  scheduler: ""
  strictARP: false
kind: KubeProxyConfiguration
metricsBindAddress: ""
mode: "${spec.kubeProxy.mode}"
nodePortAddresses: null
`;
}

const FLANNEL_CNI_CONF = `{
  "name": "cbr0",
  "cniVersion": "0.3.1",
  "plugins": [
    {
      "type": "flannel",
      "delegate": {
        "hairpinMode": true,
        "isDefaultGateway": true
      }
    },
    {
      "type": "portmap",
      "capabilities": {
        "portMappings": true
      }
    }
  ]
}
`;

export function systemObjects(spec: ClusterSpec, kubeDnsIP: string, ingress: 'hostPort' | 'NodePort' | 'LoadBalancer' | null = null): SystemObjects {
  const out: SystemObjects = { namespaces: [], ingressClasses: [], deployments: [], daemonSets: [], services: [], configMaps: [] };
  out.services.push({
    apiVersion: 'v1', kind: 'Service',
    metadata: meta('kubernetes', 'default', { component: 'apiserver', provider: 'kubernetes' }),
    spec: { type: 'ClusterIP', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
  out.configMaps.push({
    apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('coredns', 'kube-system'),
    data: { Corefile: defaultCorefile(spec.clusterDomain) },
  });
  out.deployments.push({
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: meta('coredns', 'kube-system', { 'k8s-app': 'kube-dns' }),
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          priorityClassName: 'system-cluster-critical',
          dnsPolicy: 'Default',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          containers: [{
            name: 'coredns', image: IMAGES.coredns, args: ['-conf', '/etc/coredns/Corefile'],
            ports: [
              { containerPort: 53, name: 'dns', protocol: 'UDP' },
              { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
              { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
            ],
          }],
        },
      },
    },
  });
  out.services.push({
    apiVersion: 'v1', kind: 'Service',
    metadata: meta('kube-dns', 'kube-system', { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }),
    spec: {
      type: 'ClusterIP', clusterIP: kubeDnsIP, selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });
  // A plugin that serves Services itself (CniPlugin.replacesKubeProxy) is installed without kube-proxy.
  if (spec.kubeProxy.mode !== 'none' && !cniOf(spec).replacesKubeProxy?.(spec)) {
    // kubeadm's kube-proxy ConfigMap: the KubeProxyConfiguration the DaemonSet mounts (mode is what runs).
    out.configMaps.push({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-proxy', 'kube-system', { app: 'kube-proxy' }),
      data: { 'config.conf': kubeProxyConfig(spec), 'kubeconfig.conf': KUBE_PROXY_KUBECONFIG },
    });
    out.daemonSets.push({
      apiVersion: 'apps/v1', kind: 'DaemonSet',
      metadata: meta('kube-proxy', 'kube-system', { 'k8s-app': 'kube-proxy' }),
      spec: {
        selector: { matchLabels: { 'k8s-app': 'kube-proxy' } },
        template: {
          metadata: { labels: { 'k8s-app': 'kube-proxy' } },
          spec: {
            hostNetwork: true, priorityClassName: 'system-node-critical',
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ operator: 'Exists' }],
            containers: [{ name: 'kube-proxy', image: IMAGES.kubeProxy, command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'] }],
          },
        },
      },
    });
  }
  // The network plugin's own manifest: its DaemonSet (and flannel's namespace).
  const cni = cniOf(spec).systemObjects(spec);
  out.namespaces.push(...cni.namespaces);
  out.daemonSets.push(...cni.daemonSets);
  if (spec.network.plugin === 'flannel') {
    // kube-flannel.yml's ConfigMap: the CNI config flanneld installs and the network it leases subnets from.
    out.configMaps.push({
      apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('kube-flannel-cfg', 'kube-flannel', { app: 'flannel', 'k8s-app': 'flannel', tier: 'node' }),
      data: { 'cni-conf.json': FLANNEL_CNI_CONF, 'net-conf.json': `{\n  "Network": "${spec.podCIDR}",\n  "Backend": {\n    "Type": "${spec.network.backend ?? 'vxlan'}"\n  }\n}\n` },
    });
  }
  if (ingress) ingressNginx(out, ingress);
  return out;
}
