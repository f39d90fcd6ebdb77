/** Strings of the cost view: what Services cost kube-proxy's modes (`knp cost`), now and as a curve. */
import { bilingual } from './index';

export const cost = bilingual(
  {
    cost: {
      button: 'Cost',
      buttonHint: 'What Services cost kube-proxy: iptables, IPVS and nftables, now and up to 10,000 Services',
      title: 'What Services cost kube-proxy',
      close: 'Close',
      loading: 'Counting the rules…',
      none: 'No cluster in this scenario: kube-proxy has nothing to program.',
      scenario: 'This scenario: {{services}} Services ({{ports}} ports, {{endpoints}} endpoints per port on average). kube-proxy runs in {{mode}} mode.',
      figure: 'Figure',
      mode: { iptables: 'iptables', ipvs: 'IPVS', nftables: 'nftables' },
      running: 'in use',
      metric: {
        newConnection: 'Rules a new connection checks',
        newConnectionWorst: 'Rules a new connection checks (worst case)',
        serviceChange: 'Rules rewritten by one Service change',
        rules: 'Rules and entries loaded',
        bytes: 'Size of the rule text',
      },
      explain: {
        newConnection: 'The first packet of a connection to a ClusterIP: iptables reads KUBE-SERVICES rule by rule until its Service; IPVS and nftables look the address up in a hash or a map.',
        newConnectionWorst: 'The Service whose rule comes last in KUBE-SERVICES: every rule before it is read.',
        serviceChange: 'When one Service\'s endpoints change, iptables mode writes its top-level chains again in full; IPVS and nftables touch that Service\'s entries only.',
        rules: 'What the mode holds in the kernel: rules, plus set and map elements and IPVS servers where it has them.',
        bytes: 'The text handed to the kernel (iptables-restore, nft -f, ipvsadm and ipset): a measure of the memory the rules hold.',
      },
      chart: 'Curve from 10 to 10,000 Services shaped like this scenario (both axes logarithmic)',
      xAxis: 'Services',
      here: 'this scenario',
      kib: '{{n}} KiB',
    },
  },
  {
    cost: {
      button: '开销',
      buttonHint: 'Service 给 kube-proxy 带来的开销：iptables、IPVS 与 nftables，当前规模以及直到 10,000 个 Service',
      title: 'Service 给 kube-proxy 带来的开销',
      close: '关闭',
      loading: '正在统计规则…',
      none: '这个场景里没有集群，kube-proxy 无规则可写。',
      scenario: '当前场景：{{services}} 个 Service（{{ports}} 个端口，平均每个端口 {{endpoints}} 个后端）。kube-proxy 以 {{mode}} 模式运行。',
      figure: '指标',
      mode: { iptables: 'iptables', ipvs: 'IPVS', nftables: 'nftables' },
      running: '正在使用',
      metric: {
        newConnection: '新连接要检查的规则数',
        newConnectionWorst: '新连接要检查的规则数（最坏情况）',
        serviceChange: '一个 Service 变化时重写的规则数',
        rules: '加载的规则与条目',
        bytes: '规则文本大小',
      },
      explain: {
        newConnection: '发往 ClusterIP 的连接的第一个包：iptables 在 KUBE-SERVICES 里逐条比对，直到命中它的 Service；IPVS 和 nftables 则在哈希表或映射里直接查地址。',
        newConnectionWorst: '规则排在 KUBE-SERVICES 最后的那个 Service：它前面的每一条规则都要读一遍。',
        serviceChange: '某个 Service 的后端变化时，iptables 模式要把顶层链整个重写；IPVS 和 nftables 只改这个 Service 自己的条目。',
        rules: '该模式在内核里保存的内容：规则，以及（若有）集合与映射元素、IPVS 服务器条目。',
        bytes: '交给内核的文本（iptables-restore、nft -f、ipvsadm 与 ipset）的大小，可用来衡量规则占用的内存。',
      },
      chart: '按当前场景的形态，从 10 到 10,000 个 Service 的曲线（两条坐标轴均为对数刻度）',
      xAxis: 'Service 数',
      here: '当前场景',
      kib: '{{n}} KiB',
    },
  },
);
