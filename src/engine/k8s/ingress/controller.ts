/**
 * ingress-nginx as real Pods: the objects the control plane adds when a scenario has Ingresses
 * or a Cluster spec.ingressController. Same shape as the system objects (k8s/system.ts), so
 * reconcile expands them like CoreDNS: scheduled, addressed, with endpoints.
 *
 *   expose: hostPort (default)  DaemonSet, hostPort 80/443 on every node (the seeds' layout)
 *           NodePort            Deployment + NodePort Service ingress-nginx-controller
 *           LoadBalancer        Deployment + LoadBalancer Service ingress-nginx-controller
 *           none                nothing
 */
import type { ClusterSpec } from '../../scenario/schema/knp';
import type * as In from '../../scenario/schema/k8s';
import type { SystemObjects } from '../system';

export const INGRESS_NAMESPACE = 'ingress-nginx';
export const INGRESS_CONTROLLER = 'k8s.io/ingress-nginx';
export const INGRESS_CLASS = 'nginx';
export const INGRESS_IMAGE = 'registry.k8s.io/ingress-nginx/controller:v1.10.1';
/** The label the network build uses to give these Pods the `proxy` app with role "ingress-nginx". */
export const INGRESS_LABELS = { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/component': 'controller' } as const;

export interface IngressControllerObjects extends SystemObjects {
  ingressClasses: In.IngressClassIn[];
}

/** What to add for the ingress controller; empty when none is wanted. */
export function ingressControllerObjects(spec: ClusterSpec, scenarioHasIngresses: boolean): IngressControllerObjects {
  const out: IngressControllerObjects = { namespaces: [], deployments: [], daemonSets: [], services: [], configMaps: [], ingressClasses: [] };
  const expose = spec.ingressController?.expose ?? (scenarioHasIngresses ? 'hostPort' : 'none');
  if (expose === 'none') return out;
  const labels = { ...INGRESS_LABELS };
  const meta = (name: string) => ({ name, namespace: INGRESS_NAMESPACE, labels });
  out.namespaces.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: INGRESS_NAMESPACE, labels: { 'app.kubernetes.io/name': 'ingress-nginx', 'app.kubernetes.io/instance': 'ingress-nginx' } } });
  // Marked default, as minikube's and kind's ingress add-ons do, so class-less Ingresses are served.
  out.ingressClasses.push({
    apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass',
    metadata: { name: INGRESS_CLASS, labels, annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } },
    spec: { controller: INGRESS_CONTROLLER },
  });
  const hostPort = expose === 'hostPort';
  const podSpec: In.PodSpecIn = {
    dnsPolicy: 'ClusterFirst',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    containers: [{
      name: 'controller', image: INGRESS_IMAGE,
      args: ['/nginx-ingress-controller', `--election-id=ingress-nginx-leader`, `--controller-class=${INGRESS_CONTROLLER}`, `--ingress-class=${INGRESS_CLASS}`, `--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller`],
      ports: [
        { name: 'http', containerPort: 80, protocol: 'TCP', ...(hostPort ? { hostPort: 80 } : {}) },
        { name: 'https', containerPort: 443, protocol: 'TCP', ...(hostPort ? { hostPort: 443 } : {}) },
      ],
    }],
  };
  const selector = { matchLabels: { ...INGRESS_LABELS } };
  const template = { metadata: { labels }, spec: podSpec };
  if (hostPort) {
    out.daemonSets.push({ apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('ingress-nginx-controller'), spec: { selector, template } });
    return out;
  }
  out.deployments.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('ingress-nginx-controller'), spec: { replicas: 1, selector, template } });
  out.services.push({
    apiVersion: 'v1', kind: 'Service', metadata: meta('ingress-nginx-controller'),
    spec: {
      type: expose, selector: { ...INGRESS_LABELS }, externalTrafficPolicy: 'Local',
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }, { name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' }],
    },
  });
  return out;
}
