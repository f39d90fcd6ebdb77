import type { Strings } from './en';

export const zhCN: Strings = {
  app: { title: 'Kube 网络练习场', tagline: '看清 Kubernetes 数据包的每一跳' },
  toolbar: {
    cluster: '集群', kernel: '内核', view: '视图', node: '节点', share: '分享', shared: '链接已复制',
    theme: '主题', light: '浅色', dark: '深色', language: '语言', restartEngine: '重启引擎',
    lab: 'lab.sh', labHint: '下载一个 bash 脚本，在真实的网络命名空间里重建这个场景（在 Linux 虚拟机上以 root 运行）',
    labUnsupported: '这个场景无法在真实内核上重建：',
  },
  engine: {
    starting: '正在启动引擎…', building: '正在构建…', ready: '就绪',
    restarted: '引擎已停止（{{reason}}），已按 YAML 重新启动，并重新执行了终端中改变状态的命令。',
    failure: '引擎错误：{{message}}', dismiss: '关闭',
  },
  editor: { loading: '正在加载编辑器…', problems_one: '{{count}} 个问题', problems_other: '{{count}} 个问题', noProblems: '没有问题' },
  canvas: {
    empty: '还没有可画的内容：请在 YAML 中描述节点和 Pod。', fit: '适应视图',
    underlay: '底层网络', services: 'Service', netfilter: 'netfilter', routing: '路由决策', rules: '条规则', noRules: '没有规则：全部放行',
    kernelEmpty: '这个节点还没有网络状态。', pickNode: '选择节点',
    hint: '单击：查看 · Shift+单击：设为源 · Alt+单击：设为目的',
  },
  send: {
    title: '发送数据包', from: '从', to: '到', toPlaceholder: 'IP、Service、DNS 名或 URL', port: '端口', protocol: '协议',
    count: '包数', send: '发送', probes: '运行探测', sending: '正在走查…',
  },
  player: {
    play: '播放', pause: '暂停', stepForward: '下一步', stepBack: '上一步', speed: '速度', loop: '循环', space: '空格键',
    event: '第 {{n}} / {{total}} 个事件', noTrace: '发送一个数据包或运行探测，查看它的旅程。', jump: '跳到事件',
  },
  events: { title: '事件', all: '全部', filter: '按类型筛选', empty: '没有事件', packets: '数据包' },
  inspector: {
    packet: '数据包', object: '对象', noEvent: '选择一个事件，查看数据包在这一跳的样子。', noPacket: '这个事件不携带数据包。',
    changed: '在此处改变', details: '详情', close: '关闭',
    moreRules_one: '另有 {{count}} 条规则未匹配', moreRules_other: '另有 {{count}} 条规则未匹配', allRules: '显示全部 {{count}} 条规则', fewerRules: '收起规则',
    addresses: '地址', links: '网络接口', routes: '路由', neigh: 'ARP / 邻居', fdb: 'FDB 转发表', chains: 'iptables 链',
    conntrack: '连接跟踪', ipvs: 'IPVS', listeners: '监听套接字', endpoints: '端点', ports: '端口', containers: '容器',
    none: '（无）', labels: '标签', phase: '阶段',
    samePacket: '数据包与第 {{seq}} 个事件时相同；这一步没有改变它。',
  },
  change: { dnat: 'DNAT', snat: 'SNAT', ttl: 'TTL −1', mac: 'MAC 改写', encap: '封装', decap: '解封装', sport: '源端口', dport: '目的端口' },
  verdict: { delivered: '已送达', refused: '被拒绝', dropped: '被丢弃', unreachable: '不可达', timeout: '超时', nxdomain: '域名不存在', error: '错误' },
  terminal: { title: '终端', target: '运行于', reset: '重置为 YAML', resetDone: '状态已重置为 YAML。', loading: '正在加载终端…', welcome: '命令在 {{target}} 中运行。Tab 补全，↑/↓ 翻历史。试试：{{example}}' },
  hooks: {
    PREROUTING: '从网卡进来的每个包，在路由之前：先 raw（可跳过连接跟踪），再 mangle，然后 nat——kube-proxy 在这里把 Service 地址改写成 Pod 地址（DNAT）。',
    routing: '路由决策：目的地是本机（→ INPUT）还是需要转发（→ FORWARD）。下面是它查找的路由表。',
    INPUT: '发往本机 socket 的包：mangle、filter（放行或丢弃），最后是入方向源地址转换的 nat。',
    FORWARD: '经本机转发的包，比如跨节点的 Pod 到 Pod：先 mangle，再 filter（kube-proxy 和 CNI 在这里放行或丢弃）。',
    OUTPUT: '本机进程发出的包：raw、mangle、nat（从节点访问 Service 时做 DNAT）、filter。',
    POSTROUTING: '路由之后、离开本机的每个包：先 mangle，再 nat——MASQUERADE / SNAT 在这里改写源地址。',
    emptyChain: '没有规则：由默认策略决定', counters: '包数 · 字节数：每条规则匹配过的数据包个数和字节数（iptables -L -v -n）', counterTitle: '这条规则匹配了 {{packets}} 个包、{{bytes}} 字节', open: '按钩子流水线查看', chosen: '这个数据包', unreachable: '网络不可达',
  },
  pane: { resize: '调整面板大小' },
};
