/**
 * Our own explanations, layered over upstream's descriptions where learners stumble: what a
 * field does on the wire (which rule, which address, which port), in both UI languages. Keys
 * are schema paths: a definition of schema/k8s/kubernetes.schema.json and a property
 * ("core.v1.ServicePort.targetPort"), or deeper for our inline knp kinds
 * ("knp.Cluster.spec.podCIDR"; list items are looked through). Hover and completion show ours
 * first, then upstream's text; for our own kinds there is no upstream, so ours replaces the
 * English description generated from the zod schema.
 */
export type ExplainLang = 'en' | 'zh-CN';
export type Explanation = Readonly<Record<ExplainLang, string>>;

const protocol: Explanation = {
  en: 'TCP (default), UDP or SCTP. Rules are written per protocol: a Service on 53/UDP does not answer 53/TCP unless both ports are listed.',
  'zh-CN': 'TCP（默认）、UDP 或 SCTP。规则按协议分别生成：只写了 53/UDP 的 Service 不会响应 53/TCP，两者都要列出。',
};

const workloadSelector: Explanation = {
  en: '**Which Pods this workload owns.** Must match `template.metadata.labels` and cannot change after creation. It routes no traffic: a Service\'s `selector` decides where packets go.',
  'zh-CN': '**这个工作负载管理哪些 Pod。** 必须与 `template.metadata.labels` 相符，创建后不能修改。它与流量无关：数据包发往哪里由 Service 的 `selector` 决定。',
};

export const EXPLAIN: Readonly<Record<string, Explanation>> = {
  // ── the kinds, on hovering `kind:` ─────────────────────────────────────────────────────────
  'core.v1.Service.kind': {
    en: '**Service**: a stable virtual IP and DNS name in front of a changing set of Pods. It is not a process: kube-proxy turns it into DNAT rules (or IPVS entries) on every node, and CoreDNS answers its name.',
    'zh-CN': '**Service**：在一组不断变化的 Pod 前面提供稳定的虚拟 IP 和 DNS 名字。它不是一个进程：kube-proxy 在每个节点上把它变成 DNAT 规则（或 IPVS 条目），CoreDNS 负责解析它的名字。',
  },
  'core.v1.Pod.kind': {
    en: '**Pod**: one network namespace (held by the pause container) shared by its containers: one IP, one `lo`, one `eth0` whose veth peer sits in the node\'s root namespace.',
    'zh-CN': '**Pod**：一个由其容器共享的网络命名空间（由 pause 容器持有）：一个 IP、一个 `lo`、一个 `eth0`，它的 veth 另一端在节点的根命名空间里。',
  },
  'core.v1.Endpoints.kind': {
    en: '**Endpoints**: the `ip:port` list behind a Service of the same name. Made for you from the selector; written by hand for a Service without one.',
    'zh-CN': '**Endpoints**：同名 Service 背后的 `ip:端口` 列表。有 selector 时自动生成；没有 selector 的 Service 需要手工编写。',
  },
  'discovery.v1.EndpointSlice.kind': {
    en: '**EndpointSlice**: the newer, sharded form of Endpoints that kube-proxy reads; linked to its Service by the label `kubernetes.io/service-name`.',
    'zh-CN': '**EndpointSlice**：Endpoints 较新的分片形式，kube-proxy 读取的就是它；通过标签 `kubernetes.io/service-name` 关联到 Service。',
  },
  'apps.v1.Deployment.kind': {
    en: '**Deployment**: keeps `replicas` Pods from `template` running (through a ReplicaSet). It routes nothing; put a Service in front of its Pods.',
    'zh-CN': '**Deployment**：按 `template` 保持 `replicas` 个 Pod 在运行（借助 ReplicaSet）。它不负责流量转发；要在它的 Pod 前面放一个 Service。',
  },
  'apps.v1.DaemonSet.kind': {
    en: '**DaemonSet**: one Pod on every (matching) node, as kube-proxy, CNI agents and ingress controllers often run.',
    'zh-CN': '**DaemonSet**：在每个（符合条件的）节点上运行一个 Pod，kube-proxy、CNI 代理和 Ingress 控制器常这样部署。',
  },
  'apps.v1.StatefulSet.kind': {
    en: '**StatefulSet**: Pods with stable names (`web-0`, `web-1`, …) and, through a headless Service named in `serviceName`, stable DNS names.',
    'zh-CN': '**StatefulSet**：名字固定的 Pod（`web-0`、`web-1`……），借助 `serviceName` 指定的 headless Service 还能得到固定的 DNS 名字。',
  },
  'networking.v1.Ingress.kind': {
    en: '**Ingress**: HTTP routing rules (host, path → Service). Only an Ingress controller acts on them; the object alone changes no packet.',
    'zh-CN': '**Ingress**：HTTP 路由规则（主机、路径 → Service）。只有 Ingress 控制器会执行它们；单有这个对象不会改变任何数据包。',
  },
  'networking.v1.NetworkPolicy.kind': {
    en: '**NetworkPolicy**: allow-lists for the Pods it selects. Enforced by the CNI plugin (e.g. Calico writes iptables chains); with a plugin that does not enforce them (plain flannel) they do nothing.',
    'zh-CN': '**NetworkPolicy**：为所选 Pod 设定的放行名单。由 CNI 插件执行（例如 Calico 写 iptables 链）；插件不支持时（单独的 flannel）它们不起任何作用。',
  },
  // ── the five ports ────────────────────────────────────────────────────────────────────────
  'core.v1.ServicePort.port': {
    en: '**The Service\'s own port.** Clients connect to `CLUSTER-IP:port` (or `name.namespace.svc:port`). No process listens there: kube-proxy matches the destination `clusterIP:port` in `KUBE-SERVICES` (or an IPVS virtual server) and DNATs the packet to `podIP:targetPort` of one endpoint.',
    'zh-CN': '**Service 自己的端口。** 客户端连接 `CLUSTER-IP:port`（或 `名字.命名空间.svc:port`）。这个端口上没有进程在监听：kube-proxy 在 `KUBE-SERVICES` 链（或 IPVS 虚拟服务）里匹配目的地址 `clusterIP:port`，再把包 DNAT 到某个端点的 `podIP:targetPort`。',
  },
  'core.v1.ServicePort.targetPort': {
    en: '**The Pod\'s port, where the packet ends up.** After DNAT the destination is `podIP:targetPort`, so the app in the container must listen on it. A number, or the `name` of a `containerPort` (then each Pod may use its own number). Left out, it equals `port`. A wrong targetPort makes the *Pod* refuse the connection, not the Service.',
    'zh-CN': '**Pod 上的端口，包最终到达的地方。** DNAT 之后目的地址变成 `podIP:targetPort`，所以容器里的应用必须监听它。可以写数字，也可以写某个 `containerPort` 的 `name`（这样每个 Pod 可以用各自的端口号）。不写时等于 `port`。targetPort 写错时，拒绝连接的是 *Pod*，而不是 Service。',
  },
  'core.v1.ServicePort.nodePort': {
    en: '**A port on every node.** For `type: NodePort` or `LoadBalancer`, kube-proxy accepts it on each node\'s IP (default range 30000-32767): a packet to `nodeIP:nodePort` is DNATed to `podIP:targetPort`, often a Pod on another node, and SNATed to the node\'s address on the way (unless `externalTrafficPolicy: Local`). Left out, one is allocated.',
    'zh-CN': '**每个节点上的端口。** 当 `type` 为 `NodePort` 或 `LoadBalancer` 时，kube-proxy 在每个节点的 IP 上接收它（默认范围 30000-32767）：发往 `nodeIP:nodePort` 的包被 DNAT 到 `podIP:targetPort`，这个 Pod 常在别的节点上，途中还会被 SNAT 成节点地址（除非 `externalTrafficPolicy: Local`）。不写则自动分配。',
  },
  'core.v1.ServicePort.protocol': protocol,
  'core.v1.ContainerPort.containerPort': {
    en: '**The port the app in the container listens on, written down.** Listing it opens nothing and leaving it out blocks nothing: the Pod\'s network namespace receives packets on whatever port the app listens on. It matters when a Service\'s `targetPort` names it, and for `hostPort`.',
    'zh-CN': '**容器里的应用监听的端口，只是写下来。** 写上它不会打开任何端口，不写也不会挡住任何流量：应用在 Pod 的网络命名空间里监听哪个端口，哪个端口就能收到包。它的作用在于让 Service 的 `targetPort` 按名字引用，以及配合 `hostPort`。',
  },
  'core.v1.ContainerPort.hostPort': {
    en: '**A port on the one node this Pod runs on.** The CNI portmap plugin writes a DNAT rule (`CNI-HOSTPORT-DNAT`) sending `nodeIP:hostPort` to `podIP:containerPort`. Unlike a nodePort: only that node, no load balancing, and two Pods with the same hostPort cannot share a node.',
    'zh-CN': '**Pod 所在的那一个节点上的端口。** CNI 的 portmap 插件写一条 DNAT 规则（`CNI-HOSTPORT-DNAT`），把 `nodeIP:hostPort` 转到 `podIP:containerPort`。与 nodePort 不同：只在这一个节点上有效，没有负载均衡，hostPort 相同的两个 Pod 不能在同一节点上运行。',
  },
  'core.v1.ContainerPort.name': {
    en: 'A name (at most 15 characters) a Service\'s `targetPort` can use instead of a number, so Pods of different versions may listen on different ports behind one Service.',
    'zh-CN': '端口的名字（最多 15 个字符）。Service 的 `targetPort` 可以用它代替数字，这样同一个 Service 后面不同版本的 Pod 可以监听不同的端口。',
  },
  'core.v1.ContainerPort.protocol': protocol,

  // ── Service ───────────────────────────────────────────────────────────────────────────────
  'core.v1.ServiceSpec.type': {
    en: '**How far the Service reaches.** `ClusterIP` (default): a virtual IP reachable only inside the cluster. `NodePort`: also `nodePort` on every node\'s IP. `LoadBalancer`: also an external address whose traffic arrives at the nodePorts. `ExternalName`: no IP and no proxying, only a DNS CNAME to `externalName`.',
    'zh-CN': '**Service 能被谁访问到。** `ClusterIP`（默认）：只在集群内可达的虚拟 IP。`NodePort`：另外在每个节点 IP 上开放 `nodePort`。`LoadBalancer`：再加一个外部地址，流量经由各节点的 nodePort 进入。`ExternalName`：没有 IP、不做转发，只是 DNS 中指向 `externalName` 的一条 CNAME。',
  },
  'core.v1.ServiceSpec.selector': {
    en: '**Which Pods receive the traffic.** Every ready Pod in this namespace whose labels include all these pairs becomes an endpoint (`podIP:targetPort`); kube-proxy spreads new connections over them. No selector: no endpoints are made for you; write Endpoints or an EndpointSlice yourself.',
    'zh-CN': '**哪些 Pod 接收流量。** 本命名空间中标签包含这里所有键值对、并且已就绪的 Pod 都成为端点（`podIP:targetPort`）；kube-proxy 把新连接分摊到它们上面。没有 selector 时不会自动生成端点，需要自己写 Endpoints 或 EndpointSlice。',
  },
  'core.v1.ServiceSpec.ports': {
    en: 'Each entry ties three ports together: `port` (the Service\'s, on the clusterIP), `targetPort` (the Pod\'s, after DNAT) and, for NodePort/LoadBalancer, `nodePort` (every node\'s).',
    'zh-CN': '每一项把三个端口连在一起：`port`（Service 的，在 clusterIP 上）、`targetPort`（Pod 的，DNAT 之后）以及 NodePort/LoadBalancer 类型才有的 `nodePort`（每个节点上的）。',
  },
  'core.v1.ServiceSpec.clusterIP': {
    en: '**The Service\'s virtual IP**, from the service CIDR. No interface owns it (except `kube-ipvs0` in IPVS mode) and no route leads to it: only kube-proxy\'s DNAT gives it meaning, which is why it answers on its ports but not to ping (iptables mode). `None` makes a **headless** Service: no virtual IP, no kube-proxy rules; DNS answers with the Pod IPs themselves.',
    'zh-CN': '**Service 的虚拟 IP**，来自 service CIDR。没有网卡拥有它（IPVS 模式的 `kube-ipvs0` 除外），也没有路由通向它：只有 kube-proxy 的 DNAT 让它有意义，所以（iptables 模式下）它的端口能连通，却 ping 不通。写 `None` 得到 **headless** Service：没有虚拟 IP，没有 kube-proxy 规则，DNS 直接返回各 Pod 的 IP。',
  },
  'core.v1.ServiceSpec.externalTrafficPolicy': {
    en: '**For traffic from outside: nodePort, load balancer, externalIPs.** `Cluster` (default): any node takes it and may forward to a Pod on another node, SNATing the source to its own IP, so the Pod sees the node, not the client. `Local`: only Pods on the receiving node are used, no SNAT, the client IP survives; a node with no such Pod drops the packet.',
    'zh-CN': '**针对来自集群外的流量：nodePort、负载均衡器、externalIPs。** `Cluster`（默认）：任何节点都接收，并可能转发到其他节点上的 Pod，同时把源地址 SNAT 成自己的 IP，于是 Pod 看到的是节点而不是客户端。`Local`：只用接收节点本地的 Pod，不做 SNAT，保留客户端 IP；本地没有这类 Pod 的节点会丢弃该包。',
  },
  'core.v1.ServiceSpec.internalTrafficPolicy': {
    en: 'The same choice for traffic to the clusterIP from inside the cluster. `Local`: a Pod only reaches endpoints on its own node, and gets nothing if there are none.',
    'zh-CN': '对集群内部访问 clusterIP 的流量做同样的选择。`Local`：Pod 只能到达本节点上的端点，本节点没有端点时连接失败。',
  },
  'core.v1.ServiceSpec.sessionAffinity': {
    en: '`ClientIP`: connections from one client IP keep going to the same endpoint (iptables `recent` match, or IPVS persistence) until no new connection has come from that IP for `sessionAffinityConfig.clientIP.timeoutSeconds` (default 3 hours). `None` (default): each new connection picks an endpoint at random.',
    'zh-CN': '`ClientIP`：同一客户端 IP 的连接一直发往同一个端点（iptables 的 `recent` 匹配，或 IPVS 的持久连接），直到该 IP 在 `sessionAffinityConfig.clientIP.timeoutSeconds`（默认 3 小时）内再没有发起新连接。`None`（默认）：每个新连接随机挑选端点。',
  },
  'core.v1.ServiceSpec.externalIPs': {
    en: 'Extra destination addresses kube-proxy treats like the clusterIP: a packet for `externalIP:port` that reaches a node is DNATed to an endpoint. Kubernetes neither assigns nor routes these addresses; bringing the packets to a node is up to you.',
    'zh-CN': 'kube-proxy 像对待 clusterIP 一样对待的额外目的地址：目的为 `externalIP:port` 的包一旦到达某个节点，就被 DNAT 到端点。Kubernetes 既不分配也不路由这些地址，如何把包送到节点由你负责。',
  },
  'core.v1.ServiceSpec.externalName': {
    en: 'Only for `type: ExternalName`: cluster DNS answers the Service\'s name with a CNAME to this hostname. No clusterIP, no kube-proxy rules, ports play no part: the client resolves the name and connects wherever it points.',
    'zh-CN': '仅用于 `type: ExternalName`：集群 DNS 对这个 Service 名字回答一条指向该主机名的 CNAME。没有 clusterIP，没有 kube-proxy 规则，端口也不起作用：客户端解析名字后直接连向它指向的地方。',
  },

  'core.v1.ServicePort.name': {
    en: 'Required once a Service has more than one port. Endpoints and EndpointSlices are matched to Service ports by this name, and DNS publishes it as an SRV record: `_name._tcp.SERVICE.NS.svc.cluster.local`.',
    'zh-CN': 'Service 有多个端口时必须填写。Endpoints 和 EndpointSlice 按这个名字与 Service 端口对应，DNS 也以 SRV 记录发布它：`_名字._tcp.服务.命名空间.svc.cluster.local`。',
  },
  'core.v1.ServiceSpec.loadBalancerSourceRanges': {
    en: 'Client CIDRs allowed in through the load balancer. kube-proxy also writes a firewall chain (`KUBE-FW-…`) on every node that drops other sources sent to the load balancer\'s IP.',
    'zh-CN': '允许经负载均衡器进入的客户端网段。kube-proxy 还会在每个节点写一条防火墙链（`KUBE-FW-…`），丢弃发往负载均衡器 IP 的其他来源。',
  },
  'core.v1.ServiceSpec.publishNotReadyAddresses': {
    en: 'Publishes Pods that are not ready yet too (in DNS and as endpoints). Headless Services of StatefulSets use it so that members find each other while they start.',
    'zh-CN': '连尚未就绪的 Pod 也一起发布（写进 DNS 和端点）。StatefulSet 的 headless Service 常用它，让成员在启动过程中就能互相找到。',
  },
  'core.v1.EndpointSubset.addresses': {
    en: 'The backends, written by hand for a Service without a selector: kube-proxy DNATs to each `ip` with each port of this subset. Nothing checks they are Pods; loopback and link-local addresses are refused.',
    'zh-CN': '后端地址，给没有 selector 的 Service 手工填写：kube-proxy 把流量 DNAT 到这里每个 `ip` 与本子集每个端口的组合。不会检查它们是不是 Pod；环回地址和链路本地地址不被接受。',
  },
  'core.v1.EndpointPort.name': {
    en: 'Must equal the `name` of the Service port it serves (both empty for a single unnamed port); otherwise the Service has no endpoint on that port.',
    'zh-CN': '必须与它所服务的 Service 端口的 `name` 相同（只有一个未命名端口时两边都留空）；否则该 Service 端口没有端点。',
  },
  'discovery.v1.EndpointSlice.endpoints': {
    en: 'Each endpoint\'s addresses and `conditions.ready`; kube-proxy only sends to ready ones. A slice belongs to its Service through the label `kubernetes.io/service-name`.',
    'zh-CN': '每个端点的地址和 `conditions.ready`；kube-proxy 只把流量发给就绪的端点。EndpointSlice 通过标签 `kubernetes.io/service-name` 归属于它的 Service。',
  },
  // ── Pod ───────────────────────────────────────────────────────────────────────────────────
  'core.v1.PodSpec.hostNetwork': {
    en: '**Run in the node\'s own network namespace.** No veth and no Pod IP of its own: the Pod\'s IP is the node\'s IP and its ports are the node\'s ports (two such Pods cannot both listen on 80 on one node). With `dnsPolicy: ClusterFirst` it falls back to the node\'s resolv.conf; use `ClusterFirstWithHostNet` for cluster DNS.',
    'zh-CN': '**直接使用节点自己的网络命名空间。** 没有 veth，也没有自己的 Pod IP：Pod 的 IP 就是节点的 IP，端口也和节点共用（同一节点上两个这样的 Pod 不能都监听 80）。此时 `dnsPolicy: ClusterFirst` 会退回使用节点的 resolv.conf，要用集群 DNS 请写 `ClusterFirstWithHostNet`。',
  },
  'core.v1.PodSpec.dnsPolicy': {
    en: '**How kubelet writes the Pod\'s /etc/resolv.conf.** `ClusterFirst` (default): nameserver = the cluster DNS Service\'s IP, search `NS.svc.cluster.local svc.cluster.local cluster.local`, `options ndots:5`. `Default`: the node\'s own resolv.conf (despite its name, not the default). `ClusterFirstWithHostNet`: ClusterFirst for `hostNetwork` Pods. `None`: only what `dnsConfig` says.',
    'zh-CN': '**kubelet 如何生成 Pod 的 /etc/resolv.conf。** `ClusterFirst`（默认）：nameserver 是集群 DNS Service 的 IP，search 为 `命名空间.svc.cluster.local svc.cluster.local cluster.local`，并带 `options ndots:5`。`Default`：沿用节点的 resolv.conf（虽然叫 Default，却不是默认值）。`ClusterFirstWithHostNet`：给 `hostNetwork` Pod 用的 ClusterFirst。`None`：完全按 `dnsConfig` 生成。',
  },
  'core.v1.PodSpec.nodeName': {
    en: 'Skips the scheduler: the kubelet of that node runs the Pod directly, even if the Pod does not tolerate the node\'s NoSchedule taints.',
    'zh-CN': '跳过调度器：由该节点的 kubelet 直接运行这个 Pod，即使 Pod 不容忍该节点的 NoSchedule 污点。',
  },
  'core.v1.PodSpec.dnsConfig': {
    en: 'Extra `nameservers`, `searches` and `options` merged into the Pod\'s resolv.conf; with `dnsPolicy: None` they are all of it.',
    'zh-CN': '额外的 `nameservers`、`searches` 和 `options`，合并进 Pod 的 resolv.conf；`dnsPolicy: None` 时 resolv.conf 只由它们组成。',
  },
  'core.v1.PodSpec.subdomain': {
    en: 'With a headless Service of this name in the namespace, the Pod gets its own DNS name: `HOSTNAME.SUBDOMAIN.NS.svc.cluster.local`.',
    'zh-CN': '如果命名空间里有同名的 headless Service，Pod 就得到自己的 DNS 名字：`主机名.子域.命名空间.svc.cluster.local`。',
  },
  'meta.v1.ObjectMeta.labels': {
    en: 'Key/value tags. Selectors pick Pods by them: a Service\'s `selector`, a workload\'s `selector`, a NetworkPolicy\'s `podSelector`. A Service whose selector matches no Pod\'s labels has no endpoints, and connections to it are refused.',
    'zh-CN': '键值对形式的标签。各种选择器靠它挑选 Pod：Service 的 `selector`、工作负载的 `selector`、NetworkPolicy 的 `podSelector`。如果 Service 的 selector 匹配不到任何 Pod 的标签，它就没有端点，连接会被拒绝。',
  },
  'meta.v1.LabelSelector.matchLabels': {
    en: 'Every pair must be present on the object (AND). A selector with neither `matchLabels` nor `matchExpressions` (`{}`) matches everything.',
    'zh-CN': '对象必须具备这里的每一个键值对（“与”关系）。既没有 `matchLabels` 也没有 `matchExpressions` 的选择器（`{}`）匹配所有对象。',
  },
  'apps.v1.DeploymentSpec.selector': workloadSelector,
  'apps.v1.ReplicaSetSpec.selector': workloadSelector,
  'apps.v1.StatefulSetSpec.selector': workloadSelector,
  'apps.v1.DaemonSetSpec.selector': workloadSelector,

  // ── Ingress ───────────────────────────────────────────────────────────────────────────────
  'networking.v1.IngressSpec.rules': {
    en: '**HTTP routing, carried out by the Ingress controller** (e.g. ingress-nginx, itself Pods behind a Service): it matches the request\'s `Host` header against `host` and the URL path against `paths`, then opens a new connection of its own to a Pod of the backend Service. The Ingress object opens no port and writes no iptables rule.',
    'zh-CN': '**HTTP 路由规则，由 Ingress 控制器执行**（例如 ingress-nginx，它自己也是某个 Service 后面的 Pod）：用请求的 `Host` 头匹配 `host`，用 URL 路径匹配 `paths`，然后自己向后端 Service 的某个 Pod 发起一条新连接。Ingress 对象本身不开放端口，也不写 iptables 规则。',
  },
  'networking.v1.HTTPIngressPath.pathType': {
    en: '`Exact`: `/foo` matches only `/foo`. `Prefix`: whole path segments split on `/`: `/foo` matches `/foo` and `/foo/bar`, not `/foobar`. `ImplementationSpecific`: up to the controller (ingress-nginx treats it as a prefix). When several paths match, the longest wins.',
    'zh-CN': '`Exact`：`/foo` 只匹配 `/foo`。`Prefix`：按 `/` 分隔的完整路径段匹配：`/foo` 匹配 `/foo` 和 `/foo/bar`，不匹配 `/foobar`。`ImplementationSpecific`：由控制器决定（ingress-nginx 按前缀处理）。多个路径都匹配时，最长的胜出。',
  },

  'networking.v1.IngressRule.host': {
    en: 'Matched against the request\'s `Host` header (port ignored). Left out, the rule matches every host. `*.example.com` covers exactly one label: `a.example.com`, not `a.b.example.com` nor `example.com`.',
    'zh-CN': '与请求的 `Host` 头比对（忽略端口）。不写则匹配所有主机。`*.example.com` 恰好匹配一级：`a.example.com` 可以，`a.b.example.com` 和 `example.com` 都不行。',
  },
  'networking.v1.IngressServiceBackend.port': {
    en: 'The Service\'s `port` (not its targetPort), by `number` or `name`. ingress-nginx then reads the endpoints itself and connects straight to `podIP:targetPort`, bypassing the clusterIP.',
    'zh-CN': 'Service 的 `port`（不是 targetPort），用 `number` 或 `name` 指定。随后 ingress-nginx 自己读取端点，直接连接 `podIP:targetPort`，不经过 clusterIP。',
  },
  // ── NetworkPolicy ─────────────────────────────────────────────────────────────────────────
  'networking.v1.NetworkPolicySpec.podSelector': {
    en: '**The Pods in this namespace the policy applies to.** `{}` (empty) selects every Pod in the namespace. Once any policy of type Ingress selects a Pod, it accepts only what some policy allows; a Pod no policy selects accepts everything.',
    'zh-CN': '**本策略作用于本命名空间的哪些 Pod。** `{}`（空）选中命名空间里的所有 Pod。Pod 一旦被任何一条 Ingress 类型的策略选中，就只接受某条策略明确放行的流量；没有被任何策略选中的 Pod 则全部放行。',
  },
  'networking.v1.NetworkPolicySpec.ingress': {
    en: '**Allow rules for incoming traffic**; policies only allow, there is no deny rule. Missing or `[]`: nothing may come in, the selected Pods are isolated. One rule `- {}` lets everything in. Inside a rule, `from` and `ports` must both match; separate rules are ORed. Replies to allowed connections always pass (conntrack).',
    'zh-CN': '**入站流量的放行规则**；策略只能放行，没有拒绝规则。不写或写 `[]`：什么都进不来，被选中的 Pod 被隔离。写一条 `- {}` 则放行全部。同一条规则里 `from` 和 `ports` 必须同时满足；多条规则之间是“或”。已放行连接的回包总能通过（conntrack）。',
  },
  'networking.v1.NetworkPolicySpec.egress': {
    en: '**Allow rules for outgoing traffic**, used when `policyTypes` includes `Egress`. `[]` blocks every outgoing connection of the selected Pods, DNS lookups included: allow UDP and TCP 53 to the DNS Pods if names must still resolve.',
    'zh-CN': '**出站流量的放行规则**，在 `policyTypes` 包含 `Egress` 时生效。写 `[]` 会挡住被选中 Pod 的所有出站连接，DNS 查询也不例外：如果还需要解析域名，要放行到 DNS Pod 的 UDP 和 TCP 53 端口。',
  },
  'networking.v1.NetworkPolicySpec.policyTypes': {
    en: 'Which directions the policy isolates. Left out: `Ingress` always, plus `Egress` when the policy has an `egress` section. Listing `Egress` with no `egress` rules blocks all outgoing traffic of the selected Pods.',
    'zh-CN': '策略隔离哪些方向。不写时：总是包含 `Ingress`，有 `egress` 段时再加上 `Egress`。列出 `Egress` 却不写 `egress` 规则，会挡住被选中 Pod 的全部出站流量。',
  },
  'networking.v1.NetworkPolicyPeer.podSelector': {
    en: 'Peer Pods, by label. Alone: Pods in the policy\'s own namespace. With `namespaceSelector` in the same list item: Pods with these labels in those namespaces (AND). As separate items (each with its own `-`): either one (OR). `{}` means all Pods.',
    'zh-CN': '按标签选出的对端 Pod。单独使用时：策略所在命名空间里的 Pod。与 `namespaceSelector` 写在同一个列表项里：那些命名空间中带这些标签的 Pod（“与”）。分成两个列表项（各自有 `-`）：满足任意一个即可（“或”）。`{}` 表示所有 Pod。',
  },
  'networking.v1.NetworkPolicyPeer.namespaceSelector': {
    en: 'Namespaces whose Pods are peers, chosen by the namespace\'s own labels (e.g. `kubernetes.io/metadata.name: prod`). `{}` means every namespace. See `podSelector` for how the two combine.',
    'zh-CN': '按命名空间自身的标签（例如 `kubernetes.io/metadata.name: prod`）选出对端所在的命名空间。`{}` 表示所有命名空间。两者如何组合见 `podSelector`。',
  },
  'networking.v1.NetworkPolicyPeer.ipBlock': {
    en: 'Peers by address: a CIDR with `except` holes, meant for traffic from outside the cluster. The address checked is the source as the packet arrives at the Pod, after any SNAT: through a nodePort with `externalTrafficPolicy: Cluster` that is the node\'s IP, not the client\'s.',
    'zh-CN': '按地址选出对端：一个 CIDR，可用 `except` 挖掉一部分，主要用于集群外的流量。检查的是包到达 Pod 时的源地址，也就是经过 SNAT 之后的地址：经由 `externalTrafficPolicy: Cluster` 的 nodePort 进来时，看到的是节点的 IP 而不是客户端的。',
  },

  // ── our kinds ─────────────────────────────────────────────────────────────────────────────
  'knp.Cluster.kind': {
    en: '**Cluster** (the playground\'s own kind): the machines and plumbing a real cluster gets from its installer: nodes and their underlay, Pod and Service ranges, the CNI plugin and kube-proxy\'s mode.',
    'zh-CN': '**Cluster**（练习场自己的类型）：真实集群由安装工具准备好的那些东西：节点及底层网络、Pod 与 Service 网段、CNI 插件和 kube-proxy 模式。',
  },
  'knp.Probe.kind': {
    en: '**Probe** (the playground\'s own kind): a request to send when the probes run, from a Pod, node or host to an address, name or URL; its trace shows every hop.',
    'zh-CN': '**Probe**（练习场自己的类型）：运行探测时发出的一个请求，从 Pod、节点或主机发往某个地址、名字或 URL；它的轨迹展示每一跳。',
  },
  'knp.Host.kind': {
    en: '**Host** (the playground\'s own kind): a plain Linux machine with namespaces, links and routes you describe, for learning the kernel pieces without Kubernetes.',
    'zh-CN': '**Host**（练习场自己的类型）：一台普通的 Linux 机器，命名空间、网卡和路由都由你描述，用来在没有 Kubernetes 的情况下学习内核的各个部件。',
  },
  'knp.Container.kind': {
    en: '**Container** (the playground\'s own kind): a Docker container on a host, with Docker\'s bridge, NAT and published ports.',
    'zh-CN': '**Container**（练习场自己的类型）：主机上的一个 Docker 容器，带有 Docker 的网桥、NAT 和发布端口。',
  },
  'knp.Cluster.spec.podCIDR': {
    en: 'The cluster-wide Pod network (kube-controller-manager `--cluster-cidr`). Each node gets a slice of it; the CNI plugin routes the slices between nodes. Dual-stack: a list with one CIDR per family, the first being the primary family.',
    'zh-CN': '整个集群的 Pod 网段（kube-controller-manager 的 `--cluster-cidr`）。每个节点分得其中一段；由 CNI 插件负责节点之间这些网段的路由。双栈时写成列表，每个协议族一个，第一个是主协议族。',
  },
  'knp.Cluster.spec.serviceCIDR': {
    en: 'Where clusterIPs come from (`--service-cluster-ip-range`). No route leads into it: only kube-proxy\'s rules on each node give these addresses meaning. Dual-stack: one range per family, of the same families as `podCIDR`.',
    'zh-CN': 'clusterIP 的来源网段（`--service-cluster-ip-range`）。没有路由通向这个网段：只有各节点上 kube-proxy 的规则赋予这些地址意义。双栈时每个协议族一个网段，协议族与 `podCIDR` 一致。',
  },
  'knp.Cluster.spec.underlayCIDR': {
    en: 'The network the nodes\' `eth0` sit on: the "real" network that overlay traffic (VXLAN, IPIP) travels across.',
    'zh-CN': '各节点 `eth0` 所在的网络：覆盖网络（VXLAN、IPIP）的流量真正经过的那张网。',
  },
  'knp.Cluster.spec.gateway': {
    en: 'The underlay router; default: the first address of `underlayCIDR`. Nodes send traffic for the outside world to it.',
    'zh-CN': '底层网络的路由器；默认是 `underlayCIDR` 的第一个地址。节点把发往外部的流量交给它。',
  },
  'knp.Cluster.spec.network.backend': {
    en: 'How Pod traffic crosses between nodes. flannel: `vxlan` (wrap in UDP 8472), `udp` (flanneld in userspace), `host-gw` (plain routes; nodes must share a segment). calico: `bgp` (routes), `ipip` (IP in IP), `vxlan`. kube-router: `bgp` (routes learned from the other nodes; only nodes on one subnet), `ipip` (a tunnel to each node in another subnet). weave: `fastdp` (kernel VXLAN on UDP 6784 through the `datapath` device), `sleeve` (the weave router carries frames in UDP 6783 from user space). cilium: `vxlan` (cilium_vxlan, UDP 8472), `native` (plain routes to each node).',
    'zh-CN': 'Pod 流量如何跨节点。flannel：`vxlan`（封装进 UDP 8472）、`udp`（由用户态的 flanneld 转发）、`host-gw`（直接用路由；节点须在同一网段）。calico：`bgp`（路由）、`ipip`（IP 套 IP）、`vxlan`。kube-router：`bgp`（从其他节点学到的路由；只适用于同一网段的节点）、`ipip`（为每个不在本网段的节点建一条隧道）。weave：`fastdp`（经 `datapath` 设备由内核做 VXLAN 封装，UDP 6784）、`sleeve`（weave 路由进程在用户态用 UDP 6783 转发二层帧）。cilium：`vxlan`（cilium_vxlan，UDP 8472）、`native`（直接用到各节点的路由）。',
  },
  'knp.Cluster.spec.network.encryption': {
    en: 'weave only: a password is set, so peers encrypt what they send each other. With `fastdp` the wire shows IPsec ESP instead of VXLAN; with `sleeve` the UDP payload is sealed (NaCl).',
    'zh-CN': '仅对 weave 有效：设置了密码，节点之间互发的流量会被加密。`fastdp` 时线路上看到的是 IPsec ESP 而不是 VXLAN；`sleeve` 时 UDP 载荷被密封（NaCl）。',
  },
  'knp.Cluster.spec.network.instanceType': {
    en: 'aws-vpc-cni only: the EC2 instance type of the nodes. It fixes how many ENIs a node has and how many addresses each ENI holds, so it caps the Pods a node can run: ENIs × (IPs per ENI − 1) + 2.',
    'zh-CN': '仅用于 aws-vpc-cni：节点的 EC2 实例类型。它决定节点能挂几块 ENI、每块 ENI 能带几个地址，从而限定节点最多能跑多少 Pod：ENI 数 ×（每块 ENI 的 IP 数 − 1）+ 2。',
  },
  'knp.Cluster.spec.network.kubeProxyReplacement': {
    en: 'Cilium only. `true`: kube-proxy writes no rules and Cilium\'s BPF programs serve Services: a Pod\'s connection to a clusterIP is sent to a backend when it connects (the packets never carry the clusterIP), a nodePort is translated on the node\'s eth0.',
    'zh-CN': '仅用于 Cilium。`true`：kube-proxy 不写任何规则，由 Cilium 的 BPF 程序提供 Service：Pod 连接 clusterIP 时在 connect() 那一刻就换成某个后端（包里从不出现 clusterIP），nodePort 在节点的 eth0 上完成转换。',
  },
  'knp.Cluster.spec.dns.upstream': {
    en: 'The external host that answers names outside the cluster (CoreDNS forwards to it).',
    'zh-CN': '为集群外域名作答的外部主机（CoreDNS 把查询转发给它）。',
  },
  'knp.Cluster.spec.nodes.name': { en: 'Node name, e.g. `node-1`.', 'zh-CN': '节点名，例如 `node-1`。' },
  'knp.Cluster.spec.nodes.ip': { en: 'The node\'s address on the underlay (`eth0`): the source of tunnel packets and where nodePorts answer.', 'zh-CN': '节点在底层网络上的地址（`eth0`）：隧道包的源地址，也是 nodePort 应答的地址。' },
  'knp.Cluster.spec.nodes.podCIDR': {
    en: 'This node\'s Pod subnet; by default the next free /24 of the cluster `podCIDR`, in order. The bridge (`cni0`) takes its first address.',
    'zh-CN': '本节点的 Pod 子网；默认按顺序取集群 `podCIDR` 中下一个空闲的 /24。网桥（`cni0`）使用其中第一个地址。',
  },
  'knp.Cluster.spec.nodes.controlPlane': {
    en: 'Gives the node the `node-role.kubernetes.io/control-plane` label and its NoSchedule taint: Pods land there only if they tolerate it.',
    'zh-CN': '给节点加上 `node-role.kubernetes.io/control-plane` 标签和 NoSchedule 污点：只有容忍它的 Pod 才会调度上来。',
  },
  'knp.Cluster.spec.nodes.addresses': {
    en: 'Extra local addresses of the node. NodePorts and `addrtype LOCAL` matches see them too.',
    'zh-CN': '节点额外的本地地址。nodePort 和 `addrtype LOCAL` 匹配也会把它们算在内。',
  },
  'knp.Cluster.spec.nodes.resolvConf': {
    en: 'The node\'s own /etc/resolv.conf (default: nameserver = the upstream DNS host). Pods with `dnsPolicy: Default` copy it.',
    'zh-CN': '节点自己的 /etc/resolv.conf（默认 nameserver 为上游 DNS 主机）。`dnsPolicy: Default` 的 Pod 会照抄它。',
  },
  'knp.Cluster.spec.externalHosts.ports': {
    en: 'Ports it answers on, like a Pod\'s app: `80`, `"53/udp"`.',
    'zh-CN': '它应答的端口，和 Pod 里的应用一样：`80`、`"53/udp"`。',
  },
  'knp.Probe.spec.from': {
    en: 'Where the client runs: `pod/NS/NAME`, `pod/NAME`, `node/NAME` or `host/NAME`. The packet starts in that network namespace.',
    'zh-CN': '客户端在哪里运行：`pod/命名空间/名字`、`pod/名字`、`node/名字` 或 `host/名字`。包从这个网络命名空间出发。',
  },
  'knp.Probe.spec.to': {
    en: 'The destination: an IP, `IP:PORT`, or a URL (`http://HOST[:PORT]/PATH`, `tcp://HOST:PORT`, `udp://HOST:PORT`). A name is resolved through the client\'s resolv.conf first.',
    'zh-CN': '目的地：IP、`IP:端口`，或 URL（`http://主机[:端口]/路径`、`tcp://主机:端口`、`udp://主机:端口`）。名字会先按客户端的 resolv.conf 解析。',
  },
  'knp.Host.spec.ip': {
    en: 'Address of the host\'s `eth0` on the underlay; a Host without one stands alone.',
    'zh-CN': '主机 `eth0` 在底层网络上的地址；没有地址的 Host 独立存在，不接入底层网络。',
  },
  'knp.Container.spec.network': {
    en: 'Docker network mode: `bridge` (veth on docker0, NAT for published ports), `host` (the host\'s own namespace), `none`, or `container:NAME` (share another container\'s namespace, as a Pod\'s containers share the pause container\'s).',
    'zh-CN': 'Docker 网络模式：`bridge`（docker0 上的 veth，发布端口靠 NAT）、`host`（使用主机自己的命名空间）、`none`，或 `container:名字`（共用另一个容器的命名空间，就像 Pod 里的容器共用 pause 容器的那样）。',
  },
  'knp.Container.spec.ports': {
    en: 'Published ports, like `docker -p`: `"8080:80"`, `"53:53/udp"`. Docker writes a DNAT rule in its DOCKER chain for each.',
    'zh-CN': '发布的端口，和 `docker -p` 一样：`"8080:80"`、`"53:53/udp"`。Docker 为每个端口在 DOCKER 链里写一条 DNAT 规则。',
  },
  'knp.Container.spec.listen': {
    en: 'Ports the app inside listens on: `80`, `"53/udp"`.',
    'zh-CN': '容器内应用监听的端口：`80`、`"53/udp"`。',
  },
  // ── Challenge: exercises that grade themselves (docs/lessons.md) ──────────────────────────
  'knp.Challenge.kind': {
    en: '**Challenge** (the playground\'s own kind): an exercise that grades itself. Its goals are checked by the engine against the cluster the rest of this file builds, live as you edit; `knp grade FILE` prints the same verdicts.',
    'zh-CN': '**Challenge**（练习场自己的类型）：能自动评分的练习。引擎会根据本文件其余部分搭建的集群检查它的目标，编辑时实时更新；`knp grade FILE` 输出同样的结果。',
  },
  'knp.Challenge.spec.goals': {
    en: 'Facts that must all hold: `reach` (from, to, expect allowed|denied), `resolve` (from, name, expect IP|any|nxdomain), `seenSource` (preserved|snat), `endpoints` (service, count), `path` (via machines or devices, in order), `rule` (a chain glob like KUBE-SEP-* or a NetworkPolicy name), `unchanged` (kinds or objects).',
    'zh-CN': '必须全部成立的事实：`reach`（from、to、expect allowed|denied）、`resolve`（from、name、expect IP|any|nxdomain）、`seenSource`（preserved|snat）、`endpoints`（service、count）、`path`（按顺序经过的机器或设备）、`rule`（链名通配如 KUBE-SEP-*，或 NetworkPolicy 名字）、`unchanged`（类型或对象）。',
  },
  'knp.Challenge.spec.hints': {
    en: 'Hints in both languages, shown one at a time when the learner asks.',
    'zh-CN': '中英文提示，学习者请求时逐条显示。',
  },
  'knp.Challenge.spec.variables': {
    en: 'Values drawn from the seed (`oneOf: [...]` or `range: [min, max]`) and written wherever `${NAME}` appears in this file, so neighbours get different names, addresses or ports.',
    'zh-CN': '由种子抽取的值（`oneOf: [...]` 或 `range: [最小, 最大]`），写入本文件中所有 `${NAME}` 处，让相邻同学拿到不同的名字、地址或端口。',
  },
  'knp.Challenge.spec.lockedKinds': {
    en: 'Kinds the learner must not edit (Deployment, Cluster, ...); graded as an `unchanged` goal against the start scenario.',
    'zh-CN': '学习者不能修改的类型（Deployment、Cluster……）；评分时作为对照初始场景的 `unchanged` 目标。',
  },
  'knp.Challenge.spec.setup': {
    en: 'Commands run right after the cluster is built (`target`, `run`), to break what the learner must mend: a deleted rule, a sysctl turned off.',
    'zh-CN': '集群搭建完成后立即运行的命令（`target`、`run`），用来制造需要学习者修复的故障：删掉的规则、关闭的 sysctl。',
  },
};

/** One line per value, shown beside each value when completing it and under "Allowed Values". */
export const EXPLAIN_VALUES: Readonly<Record<string, Readonly<Record<string, Explanation>>>> = {
  'core.v1.ServiceSpec.type': {
    ClusterIP: { en: 'Virtual IP inside the cluster only (default).', 'zh-CN': '只在集群内可达的虚拟 IP（默认）。' },
    NodePort: { en: 'ClusterIP, plus `nodePort` on every node\'s IP.', 'zh-CN': 'ClusterIP，再加上每个节点 IP 上的 `nodePort`。' },
    LoadBalancer: { en: 'NodePort, plus an external address that forwards to it.', 'zh-CN': 'NodePort，再加一个转发到它的外部地址。' },
    ExternalName: { en: 'Only a DNS CNAME to `externalName`; no IP, no proxying.', 'zh-CN': '只是一条指向 `externalName` 的 DNS CNAME；没有 IP，不做转发。' },
  },
  'core.v1.ServiceSpec.externalTrafficPolicy': {
    Cluster: { en: 'Any node forwards to any endpoint; the source is SNATed to the node (default).', 'zh-CN': '任何节点都转发到任意端点；源地址被 SNAT 成节点地址（默认）。' },
    Local: { en: 'Only endpoints on the receiving node; the client IP is kept.', 'zh-CN': '只用接收节点上的端点；保留客户端 IP。' },
  },
  'core.v1.ServiceSpec.internalTrafficPolicy': {
    Cluster: { en: 'Any endpoint in the cluster (default).', 'zh-CN': '集群中任意端点（默认）。' },
    Local: { en: 'Only endpoints on the client\'s own node.', 'zh-CN': '只用客户端所在节点上的端点。' },
  },
  'core.v1.ServiceSpec.sessionAffinity': {
    None: { en: 'Each new connection picks an endpoint (default).', 'zh-CN': '每个新连接各自挑选端点（默认）。' },
    ClientIP: { en: 'One client IP sticks to one endpoint.', 'zh-CN': '同一客户端 IP 固定到同一端点。' },
  },
  'core.v1.PodSpec.dnsPolicy': {
    ClusterFirst: { en: 'Cluster DNS, with the namespace search list (default).', 'zh-CN': '使用集群 DNS 和命名空间搜索列表（默认）。' },
    ClusterFirstWithHostNet: { en: 'Cluster DNS for a `hostNetwork` Pod.', 'zh-CN': '让 `hostNetwork` Pod 使用集群 DNS。' },
    Default: { en: 'The node\'s own resolv.conf.', 'zh-CN': '沿用节点的 resolv.conf。' },
    None: { en: 'Only what `dnsConfig` says.', 'zh-CN': '完全按 `dnsConfig` 生成。' },
  },
  'networking.v1.HTTPIngressPath.pathType': {
    Exact: { en: 'The path and nothing else.', 'zh-CN': '只匹配这个路径本身。' },
    Prefix: { en: 'The path and everything below it, by whole `/` segments.', 'zh-CN': '这个路径及其下的一切，按完整的 `/` 段匹配。' },
    ImplementationSpecific: { en: 'Whatever the controller does (ingress-nginx: a prefix).', 'zh-CN': '由控制器决定（ingress-nginx 按前缀）。' },
  },
  'core.v1.ServicePort.protocol': {
    TCP: { en: 'Default.', 'zh-CN': '默认。' },
    UDP: { en: 'DNS, for one: kube-dns serves 53/UDP and 53/TCP as two ports.', 'zh-CN': '例如 DNS：kube-dns 把 53/UDP 和 53/TCP 写成两个端口。' },
    SCTP: { en: 'Rarely used; needs kernel support on the nodes.', 'zh-CN': '很少用；需要节点内核支持。' },
  },
};

type Schema = Record<string, unknown>;

const UPSTREAM: Explanation = { en: 'Kubernetes API:', 'zh-CN': 'Kubernetes API 原文：' };

/** Our words, then upstream's, as Markdown for monaco-yaml's hover and completion. */
export function explainText(e: Explanation, upstream: string | undefined, lang: ExplainLang): string {
  return upstream ? `${e[lang]}\n\n---\n\n*${UPSTREAM[lang]}* ${upstream}` : e[lang];
}

/**
 * A copy of `schema` with our explanations layered on. Definitions live under `definitions`;
 * properties are followed through inline objects and arrays, never through $ref (a referenced
 * type has its own key). Both `description` and `markdownDescription` carry the text:
 * monaco-yaml reads `description` for int-or-string (anyOf) fields.
 */
export function explainSchema(schema: Schema, lang: ExplainLang): Schema {
  const out = structuredClone(schema);
  const defs = (out.definitions ?? {}) as Record<string, Schema>;
  for (const [name, def] of Object.entries(defs)) visit(def, name, lang, !name.startsWith('knp.'));
  return out;
}

/** `upstream`: the schema's own descriptions are Kubernetes' words, kept after ours. */
function visit(s: Schema, path: string, lang: ExplainLang, upstream: boolean): void {
  const props = s.properties as Record<string, Schema> | undefined;
  if (props) {
    for (const [key, p] of Object.entries(props)) {
      const here = `${path}.${key}`;
      const e = EXPLAIN[here] ?? EXPLAIN[here.replace('.v1beta1.', '.v1.')];
      if (e) {
        const text = explainText(e, upstream ? (p.description as string | undefined) : undefined, lang);
        p.description = text;
        p.markdownDescription = text;
      }
      const values = EXPLAIN_VALUES[here] ?? EXPLAIN_VALUES[here.replace('.v1beta1.', '.v1.')];
      if (values && Array.isArray(p.enum)) p.markdownEnumDescriptions = p.enum.map((v) => values[String(v)]?.[lang] ?? '');
      visit(p, here, lang, upstream);
    }
  }
  const items = s.items as Schema | undefined;
  if (items && typeof items === 'object' && !Array.isArray(items)) visit(items, path, lang, upstream);
}
