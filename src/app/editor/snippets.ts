/**
 * Whole documents offered by completion in an empty document (after `---`): the objects a
 * networking lesson starts from, each with one line saying what it sets up. Placeholders
 * (`${1:web}`) are Monaco snippet tab stops. test/editor-schema.test.ts checks every body
 * against the schema and the engine.
 */
import type { ExplainLang, Explanation } from './explain';

export interface Snippet {
  readonly label: Explanation;
  readonly description: Explanation;
  /**
   * The document as data; monaco-yaml writes it out with the editor's indentation. A string
   * starting with "^" is inserted as written (`'^{}'` keeps an empty selector, which would
   * otherwise vanish).
   */
  readonly body: Readonly<Record<string, unknown>>;
}

const meta = (name: string) => ({ name: `\${1:${name}}` });
const APP = '${2:web}';

export const SNIPPETS: readonly Snippet[] = [
  {
    label: { en: 'Service (ClusterIP)', 'zh-CN': 'Service（ClusterIP）' },
    description: { en: 'A virtual IP in front of the Pods labelled app: web: port 80 on the Service, 8080 in the Pods.', 'zh-CN': '给带 app: web 标签的 Pod 加一个虚拟 IP：Service 上是 80 端口，Pod 里是 8080。' },
    body: { apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec: { selector: { app: APP }, ports: [{ port: 80, targetPort: 8080 }] } },
  },
  {
    label: { en: 'Service (NodePort)', 'zh-CN': 'Service（NodePort）' },
    description: { en: 'Also reachable as NODE-IP:30080 on every node.', 'zh-CN': '另外还能在每个节点上通过 节点IP:30080 访问。' },
    body: { apiVersion: 'v1', kind: 'Service', metadata: meta('web-nodeport'), spec: { type: 'NodePort', selector: { app: APP }, ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } },
  },
  {
    label: { en: 'Service (headless)', 'zh-CN': 'Service（headless）' },
    description: { en: 'No virtual IP: DNS answers with the Pod IPs.', 'zh-CN': '没有虚拟 IP：DNS 直接返回各 Pod 的 IP。' },
    body: { apiVersion: 'v1', kind: 'Service', metadata: meta('web-headless'), spec: { clusterIP: 'None', selector: { app: APP }, ports: [{ port: 8080 }] } },
  },
  {
    label: { en: 'Deployment', 'zh-CN': 'Deployment' },
    description: { en: 'Two Pods labelled app: web, each listening on 8080.', 'zh-CN': '两个带 app: web 标签的 Pod，各自监听 8080。' },
    body: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'),
      spec: {
        replicas: 2, selector: { matchLabels: { app: APP } },
        template: { metadata: { labels: { app: APP } }, spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 8080 }] }] } },
      },
    },
  },
  {
    label: { en: 'Pod (client)', 'zh-CN': 'Pod（客户端）' },
    description: { en: 'A busybox Pod to send traffic from.', 'zh-CN': '一个用来发起流量的 busybox Pod。' },
    body: { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta('client'), labels: { app: 'client' } }, spec: { containers: [{ name: 'client', image: 'busybox:1.36', command: ['sleep', 'infinity'] }] } },
  },
  {
    label: { en: 'NetworkPolicy: deny all ingress', 'zh-CN': 'NetworkPolicy：拒绝所有入站' },
    description: { en: 'Selects every Pod in the namespace and allows nothing in.', 'zh-CN': '选中命名空间里的所有 Pod，不放行任何入站流量。' },
    body: { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('deny-all-ingress'), spec: { podSelector: '^{}', policyTypes: ['Ingress'] } },
  },
  {
    label: { en: 'NetworkPolicy: allow from a label', 'zh-CN': 'NetworkPolicy：按标签放行' },
    description: { en: 'Pods labelled app: web accept port 8080 only from Pods labelled app: client.', 'zh-CN': '带 app: web 的 Pod 只接受来自 app: client 的 Pod 访问 8080 端口。' },
    body: {
      apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('web-from-client'),
      spec: { podSelector: { matchLabels: { app: APP } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }], ports: [{ protocol: 'TCP', port: 8080 }] }] },
    },
  },
  {
    label: { en: 'Ingress', 'zh-CN': 'Ingress' },
    description: { en: 'HTTP for web.example.com, every path, to the Service web on port 80.', 'zh-CN': '把 web.example.com 的所有路径转给 Service web 的 80 端口。' },
    body: {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('web'),
      spec: { rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: APP, port: { number: 80 } } } }] } }] },
    },
  },
  {
    label: { en: 'Probe (knp)', 'zh-CN': 'Probe（knp）' },
    description: { en: 'Sends one HTTP request from the client Pod when the probes run.', 'zh-CN': '运行探测时，从 client Pod 发出一个 HTTP 请求。' },
    body: { apiVersion: 'knp/v1alpha1', kind: 'Probe', metadata: meta('client-to-web'), spec: { from: 'pod/default/client', to: 'http://${2:web}.default.svc.cluster.local/' } },
  },
];

/** The snippets as monaco-yaml reads them (`defaultSnippets` on the root schema). */
export function defaultSnippets(lang: ExplainLang): Record<string, unknown>[] {
  return SNIPPETS.map((s) => ({ label: s.label[lang], markdownDescription: s.description[lang], body: s.body }));
}
