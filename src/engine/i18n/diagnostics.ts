/**
 * The engine's diagnostics in both languages, keyed by their stable code (docs/scenario-format.md):
 * a title per code, and a whole sentence, hint and short label written from the diagnostic's
 * `params` (the same placeholders in both languages, i18next's `{{param}}` syntax). Plain data:
 * the UI loads it into i18next (src/app/i18n/features/diagnostics.ts re-exports it), the CLI
 * renders it with `renderDiagnostic` (`knp check --lang zh-CN`). The diagnostic's own `message`
 * stays the English text (`--lang en` prints it unchanged).
 */
import type { Diagnostic } from '../scenario/diagnostics';
import type { EngineLang } from './messages';

type Row = readonly [code: string, en: string, zh: string];

/** One line each: what the code means, said without the values of one case. */
export const DIAGNOSTIC_TITLES: readonly Row[] = [
  ['yaml-syntax', 'The YAML cannot be read', 'YAML 无法解析'],
  ['yaml-duplicate-key', 'A key appears twice in one mapping', '同一个映射里出现了重复的键'],
  ['yaml-warning', 'The YAML parser warns about this text', 'YAML 解析器对这段文字给出警告'],
  ['not-an-object', 'This document is not an object', '这个文档不是一个对象'],
  ['missing-apiversion', 'apiVersion is missing', '缺少 apiVersion'],
  ['missing-kind', 'kind is missing', '缺少 kind'],
  ['unknown-apiversion', 'This apiVersion is not known', '不认识这个 apiVersion'],
  ['unknown-kind', 'This kind is not modelled; the document is ignored', '这种 kind 没有被模拟，文档被忽略'],
  ['deprecated-apiversion', 'This apiVersion is deprecated; it was converted', '这个 apiVersion 已弃用，已自动转换'],
  ['unknown-field', 'Unknown field', '未知字段'],
  ['list-kind', 'kind: List is expanded into its items', 'kind: List 被展开成其中的各个对象'],
  ['missing-field', 'A required field is missing', '缺少必填字段'],
  ['invalid-type', 'The field has the wrong type', '字段类型不对'],
  ['invalid-value', 'The field has a value that is not allowed', '字段的取值不被允许'],
  ['out-of-range', 'The value is out of range', '取值超出范围'],
  ['missing-name', 'metadata.name is missing', '缺少 metadata.name'],
  ['invalid-name', 'The name is not a valid Kubernetes name', '名称不符合 Kubernetes 的命名规则'],
  ['invalid-label', 'The label is not valid', '标签不合法'],
  ['duplicate-name', 'Two objects of this kind have the same name', '同类对象重名'],
  ['namespace-not-found', 'The namespace is not declared; the playground creates it', '命名空间没有声明，playground 会自动创建'],
  ['port-out-of-range', 'The port is outside 1–65535', '端口不在 1–65535 范围内'],
  ['invalid-port-name', 'The port name is not valid', '端口名不合法'],
  ['duplicate-port-name', 'Two ports have the same name', '两个端口同名'],
  ['duplicate-port', 'The same port is listed twice', '同一个端口写了两次'],
  ['port-name-required', 'A Service with several ports must name each one', '多端口的 Service 必须给每个端口命名'],
  ['missing-ports', 'The Service has no ports', 'Service 没有端口'],
  ['nodeport-out-of-range', 'The nodePort is outside the NodePort range', 'nodePort 不在 NodePort 范围内'],
  ['nodeport-allocated', 'Another Service already has this nodePort', '这个 nodePort 已被别的 Service 占用'],
  ['nodeport-forbidden', 'Only NodePort and LoadBalancer Services have a nodePort', '只有 NodePort 和 LoadBalancer 类型的 Service 才有 nodePort'],
  ['clusterip-invalid', 'The clusterIP is not a valid address', 'clusterIP 不是合法地址'],
  ['clusterip-out-of-range', 'The clusterIP is outside the Service CIDR', 'clusterIP 不在 Service 网段内'],
  ['clusterip-allocated', 'Another Service already has this clusterIP', '这个 clusterIP 已被别的 Service 占用'],
  ['clusterip-exhausted', 'The Service CIDR has no free address', 'Service 网段已没有空闲地址'],
  ['selector-no-match', 'The Service selector matches no Pod, so it has no endpoints', 'Service 的选择器没有匹配到 Pod，因此没有 endpoints'],
  ['target-port-not-found', 'No selected Pod has a port with this name', '被选中的 Pod 都没有这个名字的端口'],
  ['target-port-not-listening', 'Nothing listens on this targetPort in the selected Pods', '被选中的 Pod 里没有进程监听这个 targetPort'],
  ['backend-not-listening', 'Nothing listens on this Ingress backend port in the Service\'s Pods', 'Service 的 Pod 里没有进程监听这个 Ingress 后端端口'],
  ['hostport-not-listening', 'The container does not listen on the port this hostPort forwards to', '容器没有监听这个 hostPort 转发到的端口'],
  ['missing-selector', 'The workload has no selector', '工作负载缺少 selector'],
  ['empty-selector', 'The selector is empty', 'selector 是空的'],
  ['selector-mismatch', 'The selector does not match the template labels', 'selector 与模板的标签不一致'],
  ['no-containers', 'The Pod has no containers', 'Pod 里没有容器'],
  ['duplicate-container-name', 'Two containers have the same name', '两个容器同名'],
  ['hostport-mismatch', 'hostPort must equal containerPort with hostNetwork', '使用 hostNetwork 时 hostPort 必须等于 containerPort'],
  ['hostport-conflict', 'Two Pods on one node want the same hostPort', '同一节点上的两个 Pod 要用同一个 hostPort'],
  ['dns-config-required', 'dnsPolicy: None needs a dnsConfig', 'dnsPolicy: None 需要写 dnsConfig'],
  ['dns-config-forming', 'The Pod’s DNS settings are trimmed as kubelet would', 'Pod 的 DNS 配置会像 kubelet 那样被截断'],
  ['container-port-conflict', 'Two containers of one Pod declare the same port', '同一 Pod 的两个容器声明了同一个端口'],
  ['container-port-invalid', 'This is not a port', '这不是一个端口'],
  ['pod-port-conflict', 'Two listeners want the same port in one network namespace', '同一网络命名空间里有两个监听者要用同一个端口'],
  ['pod-unschedulable', 'The Pod cannot be scheduled and stays Pending', 'Pod 无法调度，一直处于 Pending'],
  ['node-not-found', 'spec.nodeName is not a node of this cluster', 'spec.nodeName 不是本集群的节点'],
  ['podip-taken', 'This Pod IP is already in use', '这个 Pod IP 已被使用'],
  ['invalid-ip', 'This is not a valid IP address', '不是合法的 IP 地址'],
  ['podip-outside-node-cidr', 'The Pod IP is outside its node’s podCIDR', 'Pod IP 不在所在节点的 podCIDR 内'],
  ['podcidr-full', 'The node’s podCIDR has no free address', '节点的 podCIDR 已没有空闲地址'],
  ['invalid-endpoint-ip', 'An endpoint address is loopback, link-local or multicast', 'endpoint 地址是回环、链路本地或组播地址'],
  ['endpoints-overwritten', 'The endpoints controller replaces these hand-written Endpoints', '手写的 Endpoints 会被 endpoints 控制器覆盖'],
  ['endpoints-no-service', 'These Endpoints have no Service of the same name', '这些 Endpoints 没有同名的 Service'],
  ['endpointslice-no-service', 'The EndpointSlice names a Service that does not exist', 'EndpointSlice 指向的 Service 不存在'],
  ['endpointslice-no-service-label', 'The EndpointSlice has no kubernetes.io/service-name label', 'EndpointSlice 缺少 kubernetes.io/service-name 标签'],
  ['statefulset-service-missing', 'The StatefulSet’s Service does not exist', 'StatefulSet 的 Service 不存在'],
  ['statefulset-service-not-headless', 'The StatefulSet’s Service is not headless', 'StatefulSet 的 Service 不是 headless'],
  ['invalid-cidr', 'This is not a valid CIDR', '不是合法的 CIDR'],
  ['cidr-overlap', 'Two address ranges overlap', '两个地址段重叠'],
  ['podcidr-overlap', 'Two nodes’ podCIDRs overlap', '两个节点的 podCIDR 重叠'],
  ['dual-stack-same-family', 'A dual-stack list holds two entries of one IP family', '双栈列表里有两个同一 IP 协议族的条目'],
  ['too-many-cidrs', 'More than two CIDRs: a cluster has at most one per IP family', 'CIDR 超过两个：集群每个 IP 协议族最多一个'],
  ['cidr-family-mismatch', 'serviceCIDR and podCIDR have different IP families', 'serviceCIDR 与 podCIDR 的 IP 协议族不一致'],
  ['underlay-family-missing', 'The underlay has no CIDR of one of the cluster’s IP families', '底层网络缺少集群某个 IP 协议族的网段'],
  ['node-ip-family-missing', 'The node has no address of one of the cluster’s IP families', '节点缺少集群某个 IP 协议族的地址'],
  ['service-ip-family-invalid', 'The Service’s ipFamilyPolicy, ipFamilies or clusterIPs do not fit the cluster', 'Service 的 ipFamilyPolicy、ipFamilies 或 clusterIPs 与集群不符'],
  ['ipv6-datapath-not-yet', 'IPv6 addresses exist in Kubernetes objects, but packets are not walked over IPv6 yet', 'Kubernetes 对象已带 IPv6 地址，但数据包还不会按 IPv6 走一遍'],
  ['podcidr-exhausted', 'The cluster CIDR has no room for another node', '集群网段已容不下更多节点'],
  ['invalid-port-range', 'The port range is not valid', '端口范围不合法'],
  ['invalid-backend', 'This backend is not one the plugin has', '这个插件没有这种 backend'],
  ['kube-proxy-replaced', 'The network plugin serves Services itself; kube-proxy settings do not apply', '这个网络插件自己实现 Service，kube-proxy 的设置不起作用'],
  ['cni-backend-invalid', 'The CNI backend does not fit the plugin', 'CNI backend 与插件不匹配'],
  ['duplicate-node-ip', 'Two nodes have the same IP', '两个节点的 IP 相同'],
  ['duplicate-ip', 'The address is used twice', '这个地址被用了两次'],
  ['invalid-port', 'The port is not valid', '端口不合法'],
  ['unknown-external-host', 'No external host has this name', '没有这个名字的外部主机'],
  ['podcidr-outside-cluster', 'The node’s podCIDR is outside the cluster CIDR', '节点的 podCIDR 不在集群网段内'],
  ['node-ip-outside-underlay', 'The node IP is outside the underlay', '节点 IP 不在底层网络网段内'],
  ['small-service-cidr', 'The Service CIDR is very small', 'Service 网段太小'],
  ['no-nodes', 'The cluster lists no nodes; two default nodes are used', '集群没有列出节点，使用默认的两个节点'],
  ['external-traffic-policy-ignored', 'externalTrafficPolicy only applies to NodePort and LoadBalancer', 'externalTrafficPolicy 只对 NodePort 和 LoadBalancer 生效'],
  ['duplicate-cluster', 'A scenario has at most one Cluster', '一个场景最多只能有一个 Cluster'],
  ['flannel-host-gw-not-l2', 'flannel host-gw needs the nodes on one L2 network', 'flannel host-gw 要求节点在同一个二层网络'],
  ['underlay-address-conflict', 'Two machines have the same underlay address', '两台机器的底层网络地址相同'],
  ['probe-unknown-source', 'The probe’s source is not a Pod, node or host', 'Probe 的源不是 Pod、节点或主机'],
  ['policy-not-enforced', 'This network plugin does not enforce NetworkPolicy', '这个网络插件不执行 NetworkPolicy'],
  ['weave-no-range', 'A node got no share of weave\'s address range', '有节点没有分到 weave 地址范围中的一段'],
  ['network-setting-not-applicable', 'This network setting belongs to another plugin and is ignored', '这个网络设置属于别的插件，会被忽略'],
  ['pod-ip-exhausted', 'The node has no free address left on its network interfaces', '节点的网卡上已经没有空闲地址'],
  ['iptables-restore-failed', 'iptables-restore rejected the rules a component wrote', 'iptables-restore 拒绝了某个组件写入的规则'],
  ['nftables-load-failed', 'nft -f rejected kube-proxy’s nftables transaction', 'nft -f 拒绝了 kube-proxy 的 nftables 事务'],
  ['challenge-unknown-kind', 'The Challenge names a kind the playground does not load', 'Challenge 里写了 playground 不加载的 kind'],
  ['challenge-unknown-variable', 'The text uses a variable the Challenge does not define', '文本里用了 Challenge 没有定义的变量'],
  ['challenge-empty-range', 'The variable’s range is empty', '变量的取值范围是空的'],
  ['challenge-setup-failed', 'A setup command of the Challenge failed', 'Challenge 的一条 setup 命令执行失败'],
  ['corefile-note', 'A note about the CoreDNS Corefile', '关于 CoreDNS Corefile 的提示'],
  ['container-host-unknown', 'The container runs on a host that does not exist', '容器所在的主机不存在'],
  ['container-network-unknown', 'The container joins a network that does not exist', '容器加入的网络不存在'],
  ['container-network-invalid', 'This network mode is not known', '不认识这种网络模式'],
  ['host-address-invalid', 'The host address is not valid', '主机地址不合法'],
  ['host-dev-unknown', 'The device does not exist on that host', '那台主机上没有这个设备'],
  ['host-link-exists', 'The device already exists', '设备已经存在'],
  ['host-master-unknown', 'The master device does not exist', 'master 设备不存在'],
  ['host-netns-unknown', 'The network namespace does not exist', '网络命名空间不存在'],
  ['host-route-invalid', 'The route is not valid', '路由不合法'],
  ['host-route-unreachable', 'The route’s gateway is not reachable', '路由的网关不可达'],
];

/**
 * A whole sentence, hint and canvas label per code, written from the diagnostic's `params`.
 *
 * NEW CODES NEED A SENTENCE HERE (en and zh-CN, the same {{placeholders}}), and their call site
 * must pass the params it names: test/unit/app/diagnostics.test.ts fails for any code in
 * DIAGNOSTIC_TITLES without one, and for any emitted diagnostic whose params leave a blank.
 */
export type DiagnosticSentence = { message: string; hint: string; short: string };

/** `short` is the label drawn on the canvas next to the object. */
export const DIAGNOSTIC_SENTENCES: readonly (readonly [code: string, en: DiagnosticSentence, zh: DiagnosticSentence])[] = [
  ['selector-no-match',
    { message: 'Service {{service}}: selector {{selector}} matches no Pod in namespace {{namespace}}, so it has no endpoints', hint: 'make the selector equal to the Pods’ labels (spec.template.metadata.labels of the Deployment)', short: 'No endpoints: the selector matches no Pod' },
    { message: 'Service {{service}}：选择器 {{selector}} 在命名空间 {{namespace}} 里没有匹配到任何 Pod，所以没有 endpoints', hint: '让选择器和 Pod 的标签一致（Deployment 的 spec.template.metadata.labels）', short: '没有 endpoints：选择器没匹配到 Pod' }],
  ['target-port-not-found',
    { message: 'Service {{service}}: targetPort "{{targetPort}}" names a port ({{protocol}}) that none of the {{pods}} selected Pod(s) declares', hint: 'give the container port the same name, or use a number', short: 'No Pod has a port named "{{targetPort}}"' },
    { message: 'Service {{service}}：targetPort "{{targetPort}}"（{{protocol}}）这个端口名，被选中的 {{pods}} 个 Pod 都没有声明', hint: '给容器端口起同样的名字，或者直接写端口号', short: '没有 Pod 有名为 "{{targetPort}}" 的端口' }],
  ['target-port-not-listening',
    { message: 'Service {{service}}: nothing listens on targetPort {{targetPort}}/{{protocol}} in the {{pods}} selected Pod(s), so connections to it are refused', hint: 'set targetPort to a containerPort the Pods declare, or declare the port the app listens on', short: 'Nothing listens on {{targetPort}}/{{protocol}}' },
    { message: 'Service {{service}}：被选中的 {{pods}} 个 Pod 里没有进程监听 targetPort {{targetPort}}/{{protocol}}，连接会被拒绝', hint: '把 targetPort 改成 Pod 声明的 containerPort，或者声明应用实际监听的端口', short: '没有进程监听 {{targetPort}}/{{protocol}}' }],
  ['network-setting-not-applicable',
    { message: 'spec.network.{{setting}} applies only to the {{owners}} plugin; {{plugin}} ignores it', hint: 'remove {{setting}}, or switch network.plugin to {{owners}}', short: '{{setting}} does nothing with {{plugin}}' },
    { message: 'spec.network.{{setting}} 只对 {{owners}} 插件有效，{{plugin}} 会忽略它', hint: '删掉 {{setting}}，或者把 network.plugin 换成 {{owners}}', short: '{{setting}} 对 {{plugin}} 不起作用' }],
  ['policy-not-enforced',
    { message: 'NetworkPolicy {{policy}} has no effect: the {{plugin}} network plugin does not enforce NetworkPolicy', hint: 'use network.plugin: calico or canal in the Cluster spec', short: 'NetworkPolicy {{policy}} not enforced by {{plugin}}' },
    { message: 'NetworkPolicy {{policy}} 不会生效：{{plugin}} 网络插件不执行 NetworkPolicy', hint: '在 Cluster 的 spec 里使用 network.plugin: calico 或 canal', short: '{{plugin}} 不执行 NetworkPolicy {{policy}}' }],
  // Loading a document (scenario/load.ts).
  ['not-an-object',
    { message: 'This document is not a mapping with apiVersion, kind and metadata', hint: 'start the document with "apiVersion: v1" and "kind: ..."', short: 'Not an object' },
    { message: '这个文档不是包含 apiVersion、kind 和 metadata 的映射', hint: '文档以 "apiVersion: v1" 和 "kind: ..." 开头', short: '不是对象' }],
  ['list-kind',
    { message: 'kind: List is expanded into its items', hint: 'nothing to fix', short: 'List expanded' },
    { message: 'kind: List 会被展开成其中的各个对象', hint: '无需修改', short: 'List 已展开' }],
  ['missing-apiversion',
    { message: 'apiVersion is missing or not a string', hint: 'add e.g. "apiVersion: v1" (Pod, Service), "apps/v1" (Deployment) or "knp/v1alpha1" (Cluster)', short: 'No apiVersion' },
    { message: '缺少 apiVersion，或者它不是字符串', hint: '加上例如 "apiVersion: v1"（Pod、Service）、"apps/v1"（Deployment）或 "knp/v1alpha1"（Cluster）', short: '缺少 apiVersion' }],
  ['missing-kind',
    { message: 'kind is missing or not a string', hint: 'add e.g. "kind: Pod"', short: 'No kind' },
    { message: '缺少 kind，或者它不是字符串', hint: '加上例如 "kind: Pod"', short: '缺少 kind' }],
  ['unknown-apiversion',
    { message: '{{kind}} is not served at apiVersion {{apiVersion}}', hint: 'use apiVersion: {{known}}', short: '{{kind}} is not served at {{apiVersion}}' },
    { message: 'apiVersion {{apiVersion}} 下没有 {{kind}} 这种资源', hint: '改用 apiVersion: {{known}}', short: '{{apiVersion}} 下没有 {{kind}}' }],
  ['unknown-kind',
    { message: 'kind {{kind}} ({{apiVersion}}) is not modelled by the playground; this document is ignored', hint: 'the rest of the scenario still loads', short: '{{kind}} is not modelled' },
    { message: 'playground 没有模拟 {{kind}}（{{apiVersion}}）这种资源，这个文档被忽略', hint: '场景的其余部分照常加载', short: '{{kind}} 未被模拟' }],
  ['deprecated-apiversion',
    { message: '{{apiVersion}} {{kind}} is deprecated and no longer served by current clusters; it was converted to {{now}}', hint: 'write apiVersion: {{now}}', short: '{{apiVersion}} is deprecated' },
    { message: '{{apiVersion}} 的 {{kind}} 已弃用，现在的集群不再提供；已自动转换为 {{now}}', hint: '改写成 apiVersion: {{now}}', short: '{{apiVersion}} 已弃用' }],
  ['unknown-field',
    { message: 'unknown field "{{field}}" in {{kind}}', hint: 'check the spelling against the Kubernetes API; the field is ignored', short: 'Unknown field {{field}}' },
    { message: '{{kind}} 里没有 "{{field}}" 这个字段', hint: '对照 Kubernetes API 检查拼写；这个字段会被忽略', short: '未知字段 {{field}}' }],
  ['missing-field',
    { message: '{{kind}}: required field "{{field}}" is missing', hint: 'add the field; it is required', short: '{{field}} is missing' },
    { message: '{{kind}}：缺少必填字段 "{{field}}"', hint: '加上这个字段，它是必填的', short: '缺少 {{field}}' }],
  ['invalid-type',
    { message: '{{kind}}: "{{field}}" has the wrong type', hint: 'quote strings that look like numbers, write numbers without quotes, start list items with "- "', short: '{{field}}: wrong type' },
    { message: '{{kind}}：字段 "{{field}}" 的类型不对', hint: '看起来像数字的字符串要加引号，数字不要加引号，列表的每一项以 "- " 开头', short: '{{field}} 类型不对' }],
  ['invalid-value',
    { message: '{{kind}}: "{{field}}" has a value that is not allowed', hint: 'use one of the values the field allows (they are case-sensitive)', short: '{{field}}: value not allowed' },
    { message: '{{kind}}：字段 "{{field}}" 的取值不被允许', hint: '改用这个字段允许的取值（区分大小写）', short: '{{field}} 取值不允许' }],
  ['out-of-range',
    { message: '{{kind}}: "{{field}}" is out of range', hint: 'use a value inside the allowed range', short: '{{field}} out of range' },
    { message: '{{kind}}：字段 "{{field}}" 的取值超出范围', hint: '改用允许范围内的值', short: '{{field}} 超出范围' }],
  ['duplicate-cluster',
    { message: 'a scenario has at most one Cluster; this one is ignored', hint: 'merge the two Cluster documents', short: 'Second Cluster ignored' },
    { message: '一个场景最多只能有一个 Cluster，这一个被忽略', hint: '把两个 Cluster 文档合并成一个', short: '多余的 Cluster 被忽略' }],
  // A writer's rules that did not load (agents/restoreFailures.ts, issue #16).
  ['iptables-restore-failed',
    { message: '{{machine}}: {{writer}}\'s rules did not load: {{error}}: {{text}}. iptables-restore is all or nothing per table, so the {{tables}} table(s) miss every rule of this load', hint: 'the same error is in `kubectl logs -n kube-system` of the node\'s kube-proxy Pod, and every packet entering {{machine}} says so in its trace', short: '{{writer}}\'s rules did not load on {{machine}}' },
    { message: '{{machine}}：{{writer}} 写入的规则没有加载：{{error}}：{{text}}。iptables-restore 按表整体生效或整体失败，所以 {{tables}} 表缺少这次加载的全部规则', hint: '同样的错误也在该节点 kube-proxy Pod 的 `kubectl logs -n kube-system` 里；进入 {{machine}} 的每个数据包在 trace 里都会提示这一点', short: '{{writer}} 的规则没能在 {{machine}} 上加载' }],
  ['nftables-load-failed',
    { message: '{{machine}}: {{writer}}\'s nftables transaction did not load: line {{line}}: {{error}}: {{text}}. nft -f applies all of a transaction or none of it, so the ip kube-proxy table has none of this sync\'s rules', hint: 'the same error is in `kubectl logs -n kube-system` of the node\'s kube-proxy Pod, and every packet entering {{machine}} says so in its trace', short: '{{writer}}\'s nftables rules did not load on {{machine}}' },
    { message: '{{machine}}：{{writer}} 的 nftables 事务没有加载：第 {{line}} 行：{{error}}：{{text}}。nft -f 对一个事务要么全部生效要么全部不生效，所以 ip kube-proxy 表里没有这次同步的任何规则', hint: '同样的错误也在该节点 kube-proxy Pod 的 `kubectl logs -n kube-system` 里；进入 {{machine}} 的每个数据包在 trace 里都会提示这一点', short: '{{writer}} 的 nftables 规则没能在 {{machine}} 上加载' }],
];


const SENTENCE_BY_CODE = new Map(DIAGNOSTIC_SENTENCES.map(([code, en, zh]) => [code, { en, 'zh-CN': zh }]));
const TITLE_BY_CODE = new Map(DIAGNOSTIC_TITLES.map(([code, en, zh]) => [code, { en, 'zh-CN': zh }]));

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** `{{param}}` interpolation as i18next does it (no escaping); an absent param stays visible. */
export function fillTemplate(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(PLACEHOLDER, (_, k: string) => (params[k] === undefined ? `{{${k}}}` : String(params[k])));
}

/** The template a sentence needs filled, for tests. */
export function sentenceParams(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

export interface RenderedDiagnostic { readonly message: string; readonly hint: string | null }

/**
 * A diagnostic in one language: English is the engine's own message and hint; zh-CN is the
 * code's sentence filled from its params, else (a diagnostic without params) its title with the
 * English message as the detail. Never a blank.
 */
export function renderDiagnostic(d: Diagnostic, lang: EngineLang): RenderedDiagnostic {
  if (lang === 'en') return { message: d.message, hint: d.hint ?? null };
  const s = SENTENCE_BY_CODE.get(d.code)?.[lang];
  if (s && d.params) return { message: fillTemplate(s.message, d.params), hint: fillTemplate(s.hint, d.params) };
  const title = TITLE_BY_CODE.get(d.code)?.[lang];
  return { message: title ? `${title}：${d.message}` : d.message, hint: d.hint ?? null };
}
