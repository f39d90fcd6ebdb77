/**
 * What the engine writes for people, as message codes with parameters. Plain data, no i18next:
 * the UI loads this catalog into i18next (src/app/i18n/features/engine.ts), the CLI renders it
 * with `renderMessage`, and both use i18next's `{{param}}` syntax. Each code lists the
 * parameters it is given; a test checks every template uses only those and exists in both
 * languages.
 *
 * Parameters are values (addresses, device names, chain names, Linux's own route text), never
 * English sentences, so a Chinese sentence carries no English words but the network's own.
 */

export type EngineLang = 'en' | 'zh-CN';
export const ENGINE_LANGS: readonly EngineLang[] = ['en', 'zh-CN'];

/**
 * A parameter is a value: a string, a number, a list (device names, tables) that each
 * language joins its own way ("filter and nat", "filter、nat"), or another message rendered in
 * the same language (a drop's reason inside "drop: …" and the story's sentence).
 */
export type MessageParam = string | number | readonly string[] | Message;
export type MessageParams = Readonly<Record<string, MessageParam>>;

/** A sentence the engine wants shown: a code from MESSAGES and its parameters. */
export interface Message {
  readonly code: MessageCode;
  readonly params: MessageParams;
}

/** A template, or for English the two plural forms chosen by the `count` parameter (i18next's `_one`/`_other`). */
type Template = string | { readonly one: string; readonly other: string };

interface Entry {
  readonly params: readonly string[];
  readonly en: Template;
  readonly 'zh-CN': Template;
}

const entry = (params: readonly string[], en: Template, zh: Template): Entry => ({ params, en, 'zh-CN': zh });

export const MESSAGES = {
  // ── story: one sentence per step (src/engine/trace/story.ts) ───────────────────────────────
  'story.send': entry(['who', 'what', 'dst', 'dev', 'route'],
    '{{who}} sends {{what}} to {{dst}} out of {{dev}} (route: {{route}})',
    '{{who}} 发出 {{what}}，目的地 {{dst}}，按路由（{{route}}）从 {{dev}} 送出'),
  'story.sendLocal': entry(['who', 'what', 'dst'],
    '{{who}} sends {{what}} to {{dst}}',
    '{{who}} 发出 {{what}}，目的地 {{dst}}'),
  'story.route': entry(['who', 'dst', 'dev', 'route'],
    '{{who}} routes {{dst}} to {{dev}} ({{route}})',
    '{{who}} 查路由表，把发往 {{dst}} 的包交给 {{dev}}（{{route}}）'),
  'story.bridge': entry(['who', 'bridge', 'port'],
    '{{who}}: bridge {{bridge}} forwards the frame to {{port}} (FDB hit)',
    '{{who}}：网桥 {{bridge}} 查 FDB 表，把帧转发到 {{port}}'),
  'story.enter': entry(['who', 'dev'],
    'The packet enters {{who}} through {{dev}}',
    '数据包从 {{dev}} 进入 {{who}}'),
  'story.sockLb': entry(['who', 'before', 'after', 'program'],
    '{{who}} connects to {{before}}, but {{program}} at connect() sends the socket to {{after}}: the packets carry the backend address from the first one on',
    '{{who}} 连接 {{before}}，但 {{program}} 在 connect() 时就把套接字改连到 {{after}}：从第一个包起，包里就是后端地址'),
  'story.dnat': entry(['who', 'chain', 'before', 'after'],
    '{{who}}: {{chain}} rewrites the destination {{before}} to {{after}} (DNAT)',
    '{{who}}：{{chain}} 把目的地址 {{before}} 改写为 {{after}}（DNAT）'),
  'story.snat': entry(['who', 'chain', 'before', 'after'],
    '{{who}}: {{chain}} rewrites the source {{before}} to {{after}} (SNAT)',
    '{{who}}：{{chain}} 把源地址 {{before}} 改写为 {{after}}（SNAT）'),
  'story.ctDnat': entry(['who', 'before', 'after'],
    '{{who}}: conntrack applies this connection\'s DNAT again, {{before}} to {{after}}',
    '{{who}}：conntrack 按该连接已记下的 DNAT，再次把 {{before}} 改写为 {{after}}'),
  'story.ctSnat': entry(['who', 'before', 'after'],
    '{{who}}: conntrack applies this connection\'s SNAT again, {{before}} to {{after}}',
    '{{who}}：conntrack 按该连接已记下的 SNAT，再次把 {{before}} 改写为 {{after}}'),
  'story.reverseDnat': entry(['who', 'before', 'after'],
    '{{who}}: conntrack puts back the address the client connected to, source {{before}} back to {{after}} (reverse NAT)',
    '{{who}}：conntrack 在回包上换回客户端原本访问的地址，源地址 {{before}} 还原为 {{after}}（反向 NAT）'),
  'story.reverseSnat': entry(['who', 'before', 'after'],
    '{{who}}: conntrack undoes the SNAT on the reply, destination {{before}} back to {{after}} (reverse NAT)',
    '{{who}}：conntrack 在回包上撤销 SNAT，目的地址 {{before}} 还原为 {{after}}（反向 NAT）'),
  'story.reverseBoth': entry(['who', 'srcBefore', 'srcAfter', 'dstBefore', 'dstAfter'],
    '{{who}}: conntrack undoes both NATs on the reply, source {{srcBefore}} back to {{srcAfter}} and destination {{dstBefore}} back to {{dstAfter}} (reverse NAT)',
    '{{who}}：conntrack 在回包上撤销两次 NAT，源地址 {{srcBefore}} 还原为 {{srcAfter}}，目的地址 {{dstBefore}} 还原为 {{dstAfter}}（反向 NAT）'),
  'story.encap': entry(['who', 'kind', 'dev', 'remote'],
    '{{who}} wraps the packet in {{kind}} on {{dev}} and sends it to {{remote}}',
    '{{who}} 在 {{dev}} 上把数据包封装进 {{kind}}，发往 {{remote}}'),
  'story.decap': entry(['who', 'kind', 'dev'],
    '{{who}} unwraps the {{kind}} packet on {{dev}}',
    '{{who}} 在 {{dev}} 上解开 {{kind}} 封装'),
  'story.userspace': entry(['who', 'process'],
    '{{who}}: the packet goes through the user-space process {{process}}',
    '{{who}}：数据包经过用户态进程 {{process}}'),
  'story.deliver': entry(['who', 'listener', 'src'],
    '{{who}} accepts it on {{listener}} (it sees the source {{src}})',
    '{{who}} 在 {{listener}} 上收下它（看到的源地址是 {{src}}）'),
  'story.received': entry(['who', 'what'],
    '{{who}} receives {{what}}',
    '{{who}} 收到 {{what}}'),
  'story.app': entry(['who', 'app'],
    '{{who}}: the {{app}} application answers',
    '{{who}}：应用 {{app}} 给出应答'),
  'story.drop': entry(['who', 'reason'],
    '{{who}} drops the packet: {{reason}}',
    '{{who}} 丢弃了数据包：{{reason}}'),
  'story.icmpError': entry(['who', 'type', 'code'],
    '{{who}} answers with an ICMP error (type {{type}}, code {{code}})',
    '{{who}} 回了一个 ICMP 差错报文（type {{type}}，code {{code}}）'),
  'story.resolve': entry(['who', 'tries', 'name', 'answer'],
    '{{who}}\'s resolver asked {{tries}} name(s) from its search list; {{name}} is {{answer}}',
    '{{who}} 的解析器按搜索域依次查询了 {{tries}} 个名字；{{name}} 的地址是 {{answer}}'),
  'story.resolveFailed': entry(['who', 'tries', 'rcode'],
    '{{who}}\'s resolver asked {{tries}} name(s) from its search list; none resolved ({{rcode}})',
    '{{who}} 的解析器按搜索域依次查询了 {{tries}} 个名字，都没有解析成功（{{rcode}}）'),
  'story.sameWay': entry(['what', 'like', 'n', 'hops'],
    '{{what}} takes the same {{n}} hops as the {{like}} leg: {{hops}}',
    '{{what}} 走与 {{like}} 相同的 {{n}} 跳：{{hops}}'),

  // ── trace events: one line each (TraceEvent.message; `summary` is its English rendering) ──
  // The English templates are the trace's text form: goldens print them, so change them only
  // with UPDATE_GOLDEN=1 and a read diff. `pkt` is a packet as tcpdump-like text (the network's own words).
  'event.send': entry(['pkt'], '{{pkt}}', '发出：{{pkt}}'),
  'event.sendRst': entry(['pkt'], 'RST {{pkt}}', '发出 RST：{{pkt}}'),
  'event.sendClose': entry(['pkt'], 'close: {{pkt}}', '关闭连接：{{pkt}}'),
  'event.route': entry(['dst', 'route'], 'route {{dst}}: {{route}}', '查路由 {{dst}}：{{route}}'),
  'event.routeNone': entry(['dst'], 'route {{dst}}: Network is unreachable', '查路由 {{dst}}：没有路由，网络不可达'),
  'event.routeRule': entry(['dst', 'route', 'rule'], 'route {{dst}}: {{route}} (rule {{rule}})', '查路由 {{dst}}：{{route}}（策略规则 {{rule}}）'),
  'event.tx': entry(['dev', 'pkt'], 'tx {{dev}}: {{pkt}}', '{{dev}} 发送：{{pkt}}'),
  'event.rx': entry(['dev', 'pkt'], 'rx {{dev}}: {{pkt}}', '{{dev}} 接收：{{pkt}}'),
  'event.veth': entry(['fromNs', 'fromDev', 'toNs', 'toDev'], '{{fromNs}} {{fromDev}} -> {{toNs}} {{toDev}}', '穿过 veth：{{fromNs}} {{fromDev}} → {{toNs}} {{toDev}}'),
  'event.forward': entry(['in', 'out', 'ttl', 'ttlAfter'], 'forward {{in}} -> {{out}}: ttl {{ttl}} -> {{ttlAfter}}', '转发 {{in}} → {{out}}：TTL {{ttl}} → {{ttlAfter}}'),
  'event.neigh': entry(['ip', 'dev', 'mac', 'state'], 'neigh {{ip}} dev {{dev}} lladdr {{mac}} {{state}}', '邻居表：{{ip}}（{{dev}}）的 MAC 是 {{mac}}，状态 {{state}}'),
  'event.neighLearned': entry(['ip', 'dev', 'mac'], 'neigh {{ip}} dev {{dev}} lladdr {{mac}} REACHABLE (learned from ARP reply)', '邻居表：从 ARP 应答学到 {{ip}}（{{dev}}）的 MAC 是 {{mac}}，状态 REACHABLE'),
  'event.arp.request': entry(['ip', 'spa', 'dev'], 'ARP who-has {{ip}} tell {{spa}} on {{dev}}', 'ARP 在 {{dev}} 上广播询问：谁是 {{ip}}？请告诉 {{spa}}'),
  'event.arp.reply': entry(['ip', 'mac'], 'ARP {{ip}} is-at {{mac}}', 'ARP 应答：{{ip}} 的 MAC 是 {{mac}}'),
  'event.ndisc.solicit': entry(['ip', 'src', 'group', 'dev'], 'NDP neighbor solicitation on {{dev}}: who has {{ip}}? tell {{src}} (to {{group}})', 'NDP 邻居请求：在 {{dev}} 上向组播组 {{group}} 询问谁是 {{ip}}，请告诉 {{src}}'),
  'event.ndisc.advert': entry(['ip', 'mac'], 'NDP neighbor advertisement: {{ip}} is at {{mac}}', 'NDP 邻居通告：{{ip}} 的 MAC 是 {{mac}}'),
  'event.neighLearnedNd': entry(['ip', 'dev', 'mac'], 'neigh {{ip}} dev {{dev}} lladdr {{mac}} REACHABLE (learned from neighbor advertisement)', '邻居表：从 NDP 邻居通告学到 {{ip}}（{{dev}}）的 MAC 是 {{mac}}，状态 REACHABLE'),
  'event.arp.proxyReply': entry(['ip', 'mac'], 'ARP {{ip}} is-at {{mac}} (proxy_arp)', 'ARP 应答：{{ip}} 的 MAC 是 {{mac}}（proxy_arp 代答）'),
  'event.icmpError': entry(['pkt'], '{{pkt}}', '生成 ICMP 差错报文：{{pkt}}'),
  'event.drop': entry(['reason'], 'drop: {{reason}}', '丢弃：{{reason}}'),
  // bridge
  'event.bridge.aged': entry(['mac', 'dev'], 'fdb entry {{mac}} dev {{dev}} aged out', 'FDB 表项 {{mac}}（{{dev}}）已老化删除'),
  'event.bridge.learn': entry(['bridge', 'mac', 'port'], '{{bridge}} learned {{mac}} on {{port}}', '{{bridge}} 在 {{port}} 上学到 {{mac}}'),
  'event.bridge.local': entry(['bridge', 'mac'], '{{bridge}}: {{mac}} is the bridge itself, up to IP', '{{bridge}}：{{mac}} 就是网桥自己，交给 IP 层'),
  'event.bridge.forward': entry(['bridge', 'mac', 'port'], '{{bridge}}: fdb {{mac}} -> {{port}}', '{{bridge}}：FDB 表中 {{mac}} 在 {{port}}，转发过去'),
  'event.bridge.flood': entry(['bridge', 'why', 'ports'], '{{bridge}}: {{why}}, flood to {{ports}}', '{{bridge}}：{{why}}，泛洪到 {{ports}}'),
  'event.bridge.floodUp': entry(['bridge', 'why', 'ports'], '{{bridge}}: {{why}}, flood to {{ports}} and up to the bridge', '{{bridge}}：{{why}}，泛洪到 {{ports}}，并交给网桥自己'),
  'event.bridge.floodNone': entry(['bridge', 'why'], '{{bridge}}: {{why}}, flood to no port', '{{bridge}}：{{why}}，没有可泛洪的端口'),
  'event.bridge.floodNoneUp': entry(['bridge', 'why'], '{{bridge}}: {{why}}, flood to no port and up to the bridge', '{{bridge}}：{{why}}，没有可泛洪的端口，只交给网桥自己'),
  // tunnels
  'event.vxlan.encap': entry(['vni', 'mac', 'vtep', 'pkt'], 'VXLAN encap vni {{vni}}: fdb {{mac}} dst {{vtep}} -> {{pkt}}', 'VXLAN 封装（VNI {{vni}}）：FDB 中 {{mac}} 的对端是 {{vtep}} → {{pkt}}'),
  'event.fragment': entry(['length', 'mtu', 'dev', 'fragments', 'first'], 'ip_fragment: {{length}} bytes > mtu {{mtu}} of {{dev}}: {{fragments}} fragments, the first {{first}} bytes', 'ip_fragment：{{length}} 字节超过 {{dev}} 的 MTU {{mtu}}：分成 {{fragments}} 个分片，第一个 {{first}} 字节'),
  'event.vxlan.encapKey': entry(['vni', 'vtep', 'pkt'], 'VXLAN encap vni {{vni}} (tunnel key, external): dst {{vtep}} -> {{pkt}}', 'VXLAN 封装（VNI {{vni}}，由隧道键决定，external 设备）：对端 {{vtep}} → {{pkt}}'),
  'event.psock.capture': entry(['owner', 'dev'], '{{owner}} captures the frame on {{dev}} (packet socket): kernel -> user space', '{{owner}} 在 {{dev}} 上抓取这一帧（packet socket）：内核 → 用户态'),
  'event.psock.wrap': entry(['owner', 'port', 'peer'], '{{owner}} wraps the frame in UDP {{port}} to {{peer}}: user space -> kernel', '{{owner}} 把这一帧封进发往 {{peer}} 的 UDP {{port}}：用户态 → 内核'),
  'event.psock.wrapSealed': entry(['owner', 'port', 'peer', 'seal'], '{{owner}} wraps the frame in UDP {{port}} to {{peer}}, payload sealed with {{seal}}: user space -> kernel', '{{owner}} 把这一帧封进发往 {{peer}} 的 UDP {{port}}，载荷用 {{seal}} 密封：用户态 → 内核'),
  'event.psock.receive': entry(['owner', 'port', 'peer'], '{{owner}} receives UDP {{port}} from {{peer}}: kernel -> user space', '{{owner}} 收到来自 {{peer}} 的 UDP {{port}}：内核 → 用户态'),
  'event.psock.receiveSealed': entry(['owner', 'port', 'peer', 'seal'], '{{owner}} receives UDP {{port}} from {{peer}} and opens the {{seal}} seal: kernel -> user space', '{{owner}} 收到来自 {{peer}} 的 UDP {{port}} 并打开 {{seal}} 密封：内核 → 用户态'),
  'event.psock.inject': entry(['owner', 'dev'], '{{owner}} injects the frame into {{dev}}: user space -> kernel', '{{owner}} 把这一帧写回 {{dev}}：用户态 → 内核'),
  'event.xfrm.encrypt': entry(['src', 'dst', 'dport', 'owner', 'pkt'], 'IPsec: xfrm policy {{src}} -> {{dst}} udp dport {{dport}} ({{owner}}) encrypts it: {{pkt}}', 'IPsec：xfrm 策略 {{src}} → {{dst}} udp 目的端口 {{dport}}（{{owner}}）把它加密：{{pkt}}'),
  'event.xfrm.decrypt': entry(['spi', 'owner', 'peer', 'pkt'], 'IPsec: xfrm state spi {{spi}} ({{owner}}) decrypts ESP from {{peer}}: {{pkt}}', 'IPsec：xfrm 状态 spi {{spi}}（{{owner}}）解密来自 {{peer}} 的 ESP：{{pkt}}'),
  'event.hook.plain': entry(['point', 'program', 'what'], '{{point}}: {{program}}: {{what}}', '{{point}}：程序 {{program}}：{{what}}'),
  'event.hook.note': entry(['point', 'program', 'note', 'what'], '{{point}}: {{program}}: {{note}} -> {{what}}', '{{point}}：程序 {{program}}：{{note}} → {{what}}'),
  'event.hook.sock': entry(['point', 'program', 'what'], '{{point}}: {{program}}: {{what}}', '{{point}}：程序 {{program}}：{{what}}'),
  'event.hook.sockNote': entry(['point', 'program', 'note', 'what'], '{{point}}: {{program}}: {{note}}: {{what}}', '{{point}}：程序 {{program}}：{{note}}：{{what}}'),
  'event.vxlan.decap': entry(['vni', 'dev', 'pkt'], 'VXLAN decap vni {{vni}} on {{dev}}: {{pkt}}', '{{dev}} 解开 VXLAN 封装（VNI {{vni}}）：{{pkt}}'),
  'event.ipip.encap': entry(['pkt'], 'IPIP encap -> {{pkt}}', 'IPIP 封装 → {{pkt}}'),
  'event.ipip.decap': entry(['dev', 'pkt'], 'IPIP decap on {{dev}}: {{pkt}}', '{{dev}} 解开 IPIP 封装：{{pkt}}'),
  'event.tun.read': entry(['process', 'dev'], '{{process}} reads the packet from /dev/net/tun ({{dev}}): kernel -> user space', '{{process}} 从 /dev/net/tun（{{dev}}）读出数据包：内核 → 用户态'),
  'event.flannel.encap': entry(['port', 'peer', 'node'], 'flanneld wraps it in UDP {{port}} to {{peer}} (lease of {{node}}): user space -> kernel', 'flanneld 把它封装进 UDP {{port}}，发往 {{peer}}（{{node}} 的租约）：用户态 → 内核'),
  'event.flannel.receive': entry(['port', 'src'], 'flanneld receives UDP {{port}} from {{src}}: kernel -> user space', 'flanneld 收到来自 {{src}} 的 UDP {{port}}：内核 → 用户态'),
  'event.flannel.decap': entry(['dev'], 'flanneld writes the inner packet to /dev/net/tun ({{dev}}): user space -> kernel', 'flanneld 把内层数据包写入 /dev/net/tun（{{dev}}）：用户态 → 内核'),
  // IPVS
  'event.ipvs.connection': entry(['service', 'dest'], 'IPVS {{service}}: connection entry -> {{dest}}', 'IPVS {{service}}：命中已有连接表项 → {{dest}}'),
  'event.ipvs.noDest': entry(['service'], 'IPVS {{service}}: no destination available', 'IPVS {{service}}：没有可用的真实服务器'),
  'event.ipvs.schedule': entry(['service', 'scheduler', 'reason', 'vip', 'dest', 'forward', 'pkt'], 'IPVS {{service}} ({{scheduler}}, {{reason}}): {{vip}} -> {{dest}} {{forward}}: {{pkt}}', 'IPVS {{service}}（{{scheduler}}，{{reason}}）：{{vip}} → {{dest}}，转发方式 {{forward}}：{{pkt}}'),
  'event.ipvs.reply': entry(['service', 'rip', 'vip'], 'IPVS {{service}}: reply from {{rip}} leaves as {{vip}}', 'IPVS {{service}}：{{rip}} 的回包以 {{vip}} 的身份发出'),
  // sockets
  'event.deliver.client': entry(['protocol', 'port', 'pkt'], 'deliver to the client socket ({{protocol}} {{port}}): {{pkt}}', '交给客户端套接字（{{protocol}} {{port}}）：{{pkt}}'),
  'event.deliver.echo': entry(['owner'], 'echo request reaches {{owner}}: the kernel answers', 'echo 请求到达 {{owner}}：由内核应答'),
  'event.deliver.icmpError': entry(['pkt'], 'ICMP error delivered to the kernel (no waiting socket): {{pkt}}', 'ICMP 差错报文交给内核（没有等待的套接字）：{{pkt}}'),
  'event.deliver.udp': entry(['owner', 'addr', 'port', 'app', 'src'], 'deliver to {{owner}} udp {{addr}}:{{port}} ({{app}}) from {{src}}', '交给 {{owner}} 的 UDP {{addr}}:{{port}}（{{app}}），来自 {{src}}'),
  'event.tcp.rst': entry(['src'], 'RST closes the connection from {{src}}', '来自 {{src}} 的 RST 关闭了连接'),
  'event.tcp.syn': entry(['owner', 'addr', 'port', 'src'], 'SYN to listening socket {{owner}} tcp {{addr}}:{{port}} from {{src}}: SYN_RECV', '来自 {{src}} 的 SYN 到达 {{owner}} 的监听套接字 tcp {{addr}}:{{port}}：SYN_RECV'),
  'event.tcp.data': entry(['owner', 'port', 'app', 'src'], 'data to {{owner}} tcp {{port}} ({{app}}) from {{src}}', '来自 {{src}} 的数据交给 {{owner}} 的 tcp {{port}}（{{app}}）'),
  'event.tcp.timeWait': entry(['src'], 'FIN from {{src}} after ours: TIME_WAIT', '我方 FIN 之后收到 {{src}} 的 FIN：TIME_WAIT'),
  'event.tcp.lastAck': entry(['src', 'owner'], 'FIN from {{src}}: {{owner}} closes too: LAST_ACK', '收到 {{src}} 的 FIN：{{owner}} 也关闭：LAST_ACK'),
  'event.tcp.closed': entry(['src'], 'ACK of our FIN from {{src}}: connection CLOSED', '{{src}} 确认了我方的 FIN：连接 CLOSED'),
  'event.tcp.established': entry(['src'], 'ACK from {{src}}: connection ESTABLISHED', '收到 {{src}} 的 ACK：连接 ESTABLISHED'),
  'event.app': entry(['text'], '{{text}}', '应用：{{text}}'),
  // the resolver's search-list attempts (clients/dns/resolve.ts)
  'event.dns.answer': entry(['qtype', 'name', 'server', 'answers'], '{{qtype}} {{name}} @{{server}}: {{answers}}', '向 {{server}} 查询 {{name}} 的 {{qtype}} 记录：{{answers}}'),
  'event.dns.rcode': entry(['qtype', 'name', 'server', 'rcode'], '{{qtype}} {{name}} @{{server}}: {{rcode}}', '向 {{server}} 查询 {{name}} 的 {{qtype}} 记录：{{rcode}}'),
  'event.dns.nodata': entry(['qtype', 'name', 'server'], '{{qtype}} {{name}} @{{server}}: NOERROR, no records', '向 {{server}} 查询 {{name}} 的 {{qtype}} 记录：NOERROR，没有记录'),
  'event.dns.noReply': entry(['qtype', 'name', 'server'], '{{qtype}} {{name}} @{{server}}: no reply', '向 {{server}} 查询 {{name}} 的 {{qtype}} 记录：没有应答'),
  'event.dns.noReplyWhy': entry(['qtype', 'name', 'server', 'reason'], '{{qtype}} {{name}} @{{server}}: no reply ({{reason}})', '向 {{server}} 查询 {{name}} 的 {{qtype}} 记录：没有应答（{{reason}}）'),
  'event.dns.unreachable': entry(['qtype', 'name', 'server'], '{{qtype}} {{name}} @{{server}}: unreachable', '向 {{server}} 查询 {{name}} 的 {{qtype}} 记录：不可达'),
  'event.dns.unreachableWhy': entry(['qtype', 'name', 'server', 'reason'], '{{qtype}} {{name}} @{{server}}: unreachable ({{reason}})', '向 {{server}} 查询 {{name}} 的 {{qtype}} 记录：不可达（{{reason}}）'),
  // netfilter (netfilter/engine.ts, traverse.ts, nft/eval.ts); `where` is "TABLE CHAIN" ("nft ip kube-proxy CHAIN" for nf_tables)
  'event.nf.matched': entry(['where', 'index', 'verdict', 'lookups', 'count'],
    { one: '{{where}}: rule {{index}} matched → {{verdict}}{{lookups}} ({{count}} rule evaluated)', other: '{{where}}: rule {{index}} matched → {{verdict}}{{lookups}} ({{count}} rules evaluated)' },
    '{{where}}：第 {{index}} 条规则命中 → {{verdict}}{{lookups}}（检查了 {{count}} 条规则）'),
  'event.nf.matchedMore': entry(['where', 'index', 'verdict', 'lookups', 'count'],
    { one: '{{where}} (continued): rule {{index}} matched → {{verdict}}{{lookups}} ({{count}} rule evaluated)', other: '{{where}} (continued): rule {{index}} matched → {{verdict}}{{lookups}} ({{count}} rules evaluated)' },
    '{{where}}（续）：第 {{index}} 条规则命中 → {{verdict}}{{lookups}}（检查了 {{count}} 条规则）'),
  'event.nf.end': entry(['where', 'verdict', 'lookups', 'count'],
    { one: '{{where}}: {{verdict}}{{lookups}} ({{count}} rule evaluated)', other: '{{where}}: {{verdict}}{{lookups}} ({{count}} rules evaluated)' },
    '{{where}}：{{verdict}}{{lookups}}（检查了 {{count}} 条规则）'),
  'event.nf.endMore': entry(['where', 'verdict', 'lookups', 'count'],
    { one: '{{where}} (continued): {{verdict}}{{lookups}} ({{count}} rule evaluated)', other: '{{where}} (continued): {{verdict}}{{lookups}} ({{count}} rules evaluated)' },
    '{{where}}（续）：{{verdict}}{{lookups}}（检查了 {{count}} 条规则）'),
  'event.nf.policy': entry(['table', 'chain', 'policy'], '{{table}} {{chain}}: policy {{policy}}', '{{table}} {{chain}}：没有规则做出决定，执行链的默认策略 {{policy}}'),
  'event.nf.log': entry(['line'], 'LOG {{line}}', 'LOG 写入内核日志：{{line}}'),
  'event.nf.restoreFailed': entry(['hook', 'writer', 'machine', 'error', 'tables', 'count'],
    { one: '{{hook}}: iptables-restore by {{writer}} failed on {{machine}} ({{error}}); the {{tables}} table was not loaded', other: '{{hook}}: iptables-restore by {{writer}} failed on {{machine}} ({{error}}); the {{tables}} tables were not loaded' },
    '{{hook}}：{{writer}} 在 {{machine}} 上执行 iptables-restore 失败（{{error}}），{{count}} 个表（{{tables}}）没有加载，数据包不会经过其中的规则'),
  'event.nf.nftLoadFailed': entry(['hook', 'writer', 'machine', 'line', 'error'],
    "{{hook}}: nft -f by {{writer}} failed on {{machine}} (line {{line}}: {{error}}); the ip kube-proxy table holds none of that transaction's rules",
    '{{hook}}：{{writer}} 在 {{machine}} 上执行 nft -f 失败（第 {{line}} 行：{{error}}），这次事务的规则一条也没有进入 ip kube-proxy 表'),
  'event.nat': entry(['kind', 'manip', 'before', 'after'], '{{kind}} {{manip}} {{before}} → {{after}}', '{{kind}}：{{manip}} {{before}} 改写为 {{after}}'),
  'event.ct.invalid': entry(['reason'], 'conntrack: INVALID ({{reason}})', 'conntrack：无效的数据包 INVALID（{{reason}}）'),
  'event.ct.new': entry(['entry'], 'conntrack: new entry {{entry}}', 'conntrack：新建表项 {{entry}}'),
  'event.ct.match': entry(['state', 'dir', 'entry'], 'conntrack: {{state}} {{dir}} packet of {{entry}}', 'conntrack：属于表项 {{entry}} 的 {{dir}} 方向数据包，状态 {{state}}'),
  'event.ct.confirm': entry(['entry'], 'conntrack: confirmed {{entry}}', 'conntrack：确认表项 {{entry}}'),
  'event.ct.unNat': entry(['kind', 'manip', 'before', 'after'], 'conntrack: reply {{kind}} {{manip}} {{before}} → {{after}}', 'conntrack：回包 {{kind}}，{{manip}} {{before}} 还原为 {{after}}'),

  // ── drop reasons (Walker.drop; `event.drop` and `story.drop` carry one as their `reason`) ──
  // The English templates are the reason text goldens print after "drop: "; keep them byte-identical.
  'drop.netfilter': entry(['hook', 'reason'], '{{hook}}: {{reason}}', '{{hook}}：{{reason}}（被 netfilter 丢弃）'),
  'drop.netfilterReject': entry(['hook', 'reason', 'reply'], '{{hook}}: {{reason}} (REJECT --reject-with {{reply}})', '{{hook}}：{{reason}}（REJECT，回复 {{reply}}）'),
  'drop.hook': entry(['reason'], '{{reason}}', '挂载的程序丢弃了它：{{reason}}'),
  'drop.redirectMissing': entry(['dev'], 'redirect to missing device {{dev}}', '重定向到不存在的设备 {{dev}}'),
  'drop.linkDown': entry(['dev'], '{{dev}} is down', '{{dev}} 处于 down 状态'),
  'drop.blackhole': entry(['dst'], 'blackhole route {{dst}}', '命中黑洞路由 {{dst}}'),
  'drop.routeType': entry(['type', 'dst'], '{{type}} route {{dst}}', '命中 {{type}} 类型的路由 {{dst}}'),
  'drop.routeMissingDev': entry(['dev'], 'route names missing device {{dev}}', '路由指向不存在的设备 {{dev}}'),
  'drop.msgSize': entry(['length', 'mtu', 'dev'], 'message too long: {{length}} bytes > mtu {{mtu}} of {{dev}} with DF set', '报文过长：{{length}} 字节超过 {{dev}} 的 MTU {{mtu}}，且设置了 DF'),
  'drop.fragNeeded': entry(['length', 'mtu', 'dev'], '{{length}} bytes > mtu {{mtu}} of {{dev}} and DF set', '{{length}} 字节超过 {{dev}} 的 MTU {{mtu}}，又设置了 DF，不能分片'),
  'drop.neighUnresolved': entry(['ip', 'dev'], 'neighbour {{ip}} on {{dev}} unresolved (no ARP reply)', '{{dev}} 上的邻居 {{ip}} 解析不到 MAC（没有 ARP 应答）'),
  'drop.dummy': entry(['dev'], '{{dev}} is a dummy device: it discards what it sends', '{{dev}} 是 dummy 设备：发出去的东西都被丢掉'),
  'drop.noCarrier': entry(['dev'], '{{dev}} has no carrier (nothing plugged in)', '{{dev}} 没有载波（另一端什么也没接）'),
  'drop.peerGone': entry(['dev'], '{{dev}}: peer is gone', '{{dev}}：对端设备已不存在'),
  'drop.peerDown': entry(['dev', 'peer'], '{{dev}}: NO-CARRIER (peer {{peer}} is down)', '{{dev}}：NO-CARRIER（对端 {{peer}} 处于 down 状态）'),
  'drop.rxTooLong': entry(['length', 'mtu', 'dev'], '{{length}} bytes > mtu {{mtu}} of {{dev}}: the frame is too long for the receiving device (dropped, no ICMP)', '{{length}} 字节超过 {{dev}} 的 MTU {{mtu}}：接收设备收不下这么长的帧（直接丢弃，不回 ICMP）'),
  'drop.notForUs': entry(['mac', 'dev', 'devMac'], 'frame for {{mac}} is not for {{dev}} ({{devMac}})', '发往 {{mac}} 的帧不是给 {{dev}}（{{devMac}}）的'),
  'drop.ethertype': entry(['type'], 'ethertype 0x{{type}} not handled', '不处理 ethertype 0x{{type}}'),
  'drop.notIp': entry([], 'not an IP packet', '不是 IP 数据包'),
  'drop.ipv6Disabled': entry(['dev'], 'IPv6 is disabled on {{dev}} (net.ipv6.conf.all.disable_ipv6=1)', '{{dev}} 上关闭了 IPv6（net.ipv6.conf.all.disable_ipv6=1）'),
  'drop.unsolicitedNa': entry(['target'], 'unsolicited neighbor advertisement for {{target}} ignored', '忽略 {{target}} 的非请求邻居通告'),
  'drop.nsNotOurs': entry(['target', 'dev'], 'neighbor solicitation for {{target}}: not an address of {{dev}}', '对 {{target}} 的邻居请求：这不是 {{dev}} 的地址'),
  'drop.multicast6': entry(['dst'], 'multicast {{dst}}: no group joined here', '组播 {{dst}}：这里没有加入该组'),
  'drop.notForwarding6': entry(['dst', 'value'], '{{dst}} is not local and net.ipv6.conf.all.forwarding={{value}}', '{{dst}} 不是本机地址，而 net.ipv6.conf.all.forwarding={{value}}，不转发'),
  'drop.linkLocal6': entry(['ip'], 'link-local {{ip}} is never forwarded', '链路本地地址 {{ip}} 永远不会被转发'),
  'drop.hopLimit': entry(['ttl'], 'hop limit exceeded in transit (hlim {{ttl}})', '转发途中跳数限制耗尽（hlim {{ttl}}）'),
  'drop.notForwarding': entry(['dst', 'value'], '{{dst}} is not local and net.ipv4.ip_forward={{value}}', '{{dst}} 不是本机地址，而 net.ipv4.ip_forward={{value}}，不转发'),
  'drop.noRoute': entry(['dst'], 'no route to {{dst}}', '没有到 {{dst}} 的路由'),
  'drop.ttl': entry(['ttl'], 'TTL expired in transit (ttl {{ttl}})', '转发途中 TTL 耗尽（ttl {{ttl}}）'),
  'drop.unsolicitedArp': entry(['ip'], 'unsolicited ARP reply from {{ip}} ignored (arp_accept=0)', '忽略来自 {{ip}} 的非请求 ARP 应答（arp_accept=0）'),
  'drop.arpNotOurs': entry(['ip', 'ns'], 'ARP who-has {{ip}}: not an address of {{ns}}', 'ARP 询问 {{ip}}：这不是 {{ns}} 的地址'),
  'drop.icmpNoRoute': entry(['ip'], 'cannot send ICMP error: no route back to {{ip}}', '发不出 ICMP 差错报文：没有回到 {{ip}} 的路由'),
  'drop.ipvsNoRoute': entry(['dst'], 'IPVS: no route to {{dst}}', 'IPVS：没有到 {{dst}} 的路由'),
  'drop.noEthernet': entry([], 'no Ethernet header on a bridge port', '网桥端口上的帧没有以太网头'),
  'drop.bridgeHairpin': entry(['bridge', 'mac', 'port'], '{{bridge}}: {{mac}} is on the ingress port {{port}}', '{{bridge}}：{{mac}} 就在入端口 {{port}} 上，不从原端口发回'),
  'drop.fdbMissingPort': entry(['port'], 'fdb names missing port {{port}}', 'FDB 表项指向不存在的端口 {{port}}'),
  'drop.bridgeMtu': entry(['length', 'mtu', 'port'], '{{length}} bytes > mtu {{mtu}} of bridge port {{port}}: a bridge does not fragment (dropped, no ICMP)', '{{length}} 字节超过网桥端口 {{port}} 的 MTU {{mtu}}：网桥不做分片（直接丢弃，不回 ICMP）'),
  'drop.ipipNoDevice': entry([], 'IPIP packet but no ipip device is up (protocol unreachable)', '收到 IPIP 包，但没有处于 up 状态的 ipip 设备（协议不可达）'),
  'drop.noProtocol': entry(['protocol'], 'no handler for IP protocol {{protocol}}', '没有处理 IP 协议 {{protocol}} 的模块'),
  'drop.echoReplyNoPing': entry([], 'echo reply with no waiting ping', '收到 echo 应答，但没有 ping 在等它'),
  'drop.udpNoListener': entry(['dst', 'port'], 'nothing listens on udp {{dst}}:{{port}}', '没有进程监听 udp {{dst}}:{{port}}'),
  'drop.tcpNoListener': entry(['dst', 'port'], 'nothing listens on tcp {{dst}}:{{port}}', '没有进程监听 tcp {{dst}}:{{port}}'),
  'drop.tcpNoConnection': entry(['src', 'dst', 'port'], 'no connection {{src}} -> {{dst}}:{{port}}', '没有 {{src}} → {{dst}}:{{port}} 的连接'),
  'drop.vxlanNoSettings': entry(['dev'], '{{dev}} has no vxlan settings', '{{dev}} 没有 vxlan 配置'),
  'drop.vxlanNoFdb': entry(['dev', 'mac'], '{{dev}}: no FDB entry for {{mac}} (bridge fdb show dev {{dev}})', '{{dev}}：FDB 里没有 {{mac}} 的表项（bridge fdb show dev {{dev}}）'),
  'drop.vtepNoRoute': entry(['dev', 'vtep'], '{{dev}}: no route to VTEP {{vtep}}', '{{dev}}：没有到 VTEP {{vtep}} 的路由'),
  'drop.peerNoMac': entry(['owner', 'mac'], '{{owner}}: no peer for {{mac}}', '{{owner}}：找不到 {{mac}} 所在的对端'),
  'drop.ownerNoRoute': entry(['owner', 'dst'], '{{owner}}: no route to {{dst}}', '{{owner}}：没有到 {{dst}} 的路由'),
  'drop.espNoState': entry(['spi'], 'ESP spi {{spi}}: no xfrm state for it (ip xfrm state)', 'ESP spi {{spi}}：没有对应的 xfrm 状态（ip xfrm state）'),
  'drop.ipipNoRemote': entry(['dev'], '{{dev}}: no remote endpoint (route needs \'via NODE-IP onlink\')', '{{dev}}：没有远端地址（路由要写 \'via NODE-IP onlink\'）'),
  'drop.tunNotForwarded': entry(['owner'], '{{owner}} does not forward TUN packets', '{{owner}} 不转发 TUN 设备上的数据包'),
  'drop.noLease': entry(['owner', 'dst'], '{{owner}}: no subnet lease covers {{dst}}', '{{owner}}：没有哪个子网租约包含 {{dst}}'),
  'drop.framesNotForwarded': entry(['owner'], '{{owner}} does not forward captured frames', '{{owner}} 不转发抓取到的帧'),

  // ── what an app did (AppAnswer.message, the `text` of event.app; English = the trace's text) ──
  'app.http200': entry(['owner', 'method', 'path', 'client'], 'http {{owner}}: {{method}} {{path}} from {{client}} -> 200 OK', 'http {{owner}}：收到来自 {{client}} 的 {{method}} {{path}}，回复 200 OK'),
  'app.httpNotHttp': entry([], 'http: 400 Bad Request (not HTTP)', 'http：收到的不是 HTTP，回复 400 Bad Request'),
  'app.httpNoRequest': entry([], 'http: connection open, no request', 'http：连接已建立，还没有请求'),
  'app.echo': entry(['owner', 'protocol', 'client'], 'echo {{owner}}: {{protocol}} echo back to {{client}}', 'echo {{owner}}：用 {{protocol}} 把数据原样发回 {{client}}'),
  'app.echoNothing': entry([], 'echo: nothing to echo', 'echo：没有可回显的数据'),
  'app.dnsAnswer': entry(['owner', 'name', 'qtype', 'rcode', 'answers'], 'dns {{owner}}: {{name}} {{qtype}} -> {{rcode}} {{answers}}', 'dns {{owner}}：查询 {{name}} 的 {{qtype}} 记录 → {{rcode}}，答案 {{answers}}'),
  'app.dnsRcode': entry(['owner', 'name', 'qtype', 'rcode'], 'dns {{owner}}: {{name}} {{qtype}} -> {{rcode}}', 'dns {{owner}}：查询 {{name}} 的 {{qtype}} 记录 → {{rcode}}'),

  'app.sshdBanner': entry([], 'sshd: banner', 'sshd：发回版本横幅'),
  'app.dnsNotQuery': entry([], 'dns: not a DNS query, ignored', 'dns：收到的不是 DNS 查询，不予理会'),
  'app.dnsNoServer': entry([], 'dns: no DNS server registered on this simulation', 'dns：这个模拟里没有登记任何 DNS 服务器'),
  'app.dnsForward': entry(['owner', 'name', 'qtype', 'upstream'], 'dns {{owner}}: {{name}} {{qtype}} forwarded to {{upstream}}', 'dns {{owner}}：把 {{name}} 的 {{qtype}} 查询转发给上游 {{upstream}}'),
  'app.dnsRelayed': entry(['upstream'], 'dns: answer from {{upstream}} relayed', 'dns：把 {{upstream}} 的应答转回给客户端'),
  'app.dnsServfail': entry(['upstream'], 'dns: {{upstream}} did not answer: SERVFAIL', 'dns：上游 {{upstream}} 没有应答，回复 SERVFAIL'),
  'app.proxyNoHandler': entry(['role'], 'proxy {{role}}: no handler registered', '代理 {{role}}：没有登记处理它的程序'),
  'app.notTunnelled': entry(['app'], '{{app}}: not a tunnelled packet', '{{app}}：这不是隧道封装的数据包，不予理会'),
  'app.relayUpstream': entry(['via'], '{{via}}: relays the upstream answer', '{{via}}：把上游的应答转回给客户端'),
  'app.relay502': entry(['via', 'verdict'], '{{via}}: upstream {{verdict}}: 502 Bad Gateway', '{{via}}：上游{{verdict}}，回复 502 Bad Gateway'),
  'app.relayNothing': entry(['via', 'verdict'], '{{via}}: upstream {{verdict}}, nothing to relay', '{{via}}：上游{{verdict}}，没有可转回的内容'),
  // what became of a relayed connection upstream (a Verdict): English is the verdict itself
  'app.upstream.delivered': entry([], 'delivered', '已送达'),
  'app.upstream.refused': entry([], 'refused', '拒绝了连接'),
  'app.upstream.dropped': entry([], 'dropped', '的包被丢弃'),
  'app.upstream.unreachable': entry([], 'unreachable', '不可达'),
  'app.upstream.timeout': entry([], 'timeout', '超时无应答'),
  'app.upstream.nxdomain': entry([], 'nxdomain', '回答名字不存在（NXDOMAIN）'),
  'app.upstream.error': entry([], 'error', '出错'),
  // ingress-nginx (agents/ingress/proxy.ts)
  'app.ingressNoRequest': entry(['owner'], 'ingress-nginx {{owner}}: connection open, no request', 'ingress-nginx {{owner}}：连接已建立，还没有请求'),
  'app.ingressNotHttp': entry(['owner'], 'ingress-nginx {{owner}}: not HTTP', 'ingress-nginx {{owner}}：收到的不是 HTTP，回复 400'),
  'app.ingressRedirect': entry(['owner', 'host', 'secret', 'location'], 'ingress-nginx {{owner}}: {{host}} has TLS ({{secret}}): 308 to {{location}}', 'ingress-nginx {{owner}}：{{host}} 配置了 TLS（证书 {{secret}}），回复 308 重定向到 {{location}}'),
  'app.ingressRedirectNoSecret': entry(['owner', 'host', 'location'], 'ingress-nginx {{owner}}: {{host}} has TLS (no secret): 308 to {{location}}', 'ingress-nginx {{owner}}：{{host}} 配置了 TLS（没有指定证书），回复 308 重定向到 {{location}}'),
  'app.ingress404': entry(['owner', 'method', 'host', 'path', 'reason'], 'ingress-nginx {{owner}}: {{method}} {{host}}{{path}}: {{reason}}: 404', 'ingress-nginx {{owner}}：{{method}} {{host}}{{path}}：{{reason}}，回复 404'),
  'app.ingress.noClass': entry(['class'], 'no Ingress is served by {{class}}', '没有哪个 Ingress 归 {{class}} 控制器管'),
  'app.ingress.noPathHost': entry(['host', 'path'], 'no path of host {{host}} matches {{path}}', '主机 {{host}} 下没有路径匹配 {{path}}'),
  'app.ingress.noPathAny': entry(['path'], 'no path of any host matches {{path}}', '不限主机的规则里没有路径匹配 {{path}}'),
  'app.ingress.noHost': entry(['host'], 'no rule matches host {{host}}', '没有规则匹配主机 {{host}}'),
  'app.ingress.ruleHost': entry(['host', 'path', 'type'], 'host {{host}} path {{path}} ({{type}})', '主机 {{host}}、路径 {{path}}（{{type}} 匹配）'),
  'app.ingress.ruleAny': entry(['path', 'type'], 'any host path {{path}} ({{type}})', '任意主机、路径 {{path}}（{{type}} 匹配）'),
  'app.ingress.ruleDefault': entry([], 'defaultBackend', '默认后端 defaultBackend'),
  'app.ingress503NoService': entry(['owner', 'rule', 'ingress', 'service', 'port'], 'ingress-nginx {{owner}}: {{rule}} of {{ingress}} names service {{service}}:{{port}}, which does not exist: 503', 'ingress-nginx {{owner}}：{{ingress}} 的规则（{{rule}}）所指的 Service {{service}}:{{port}} 不存在，回复 503'),
  'app.ingress503NoEndpoints': entry(['owner', 'service', 'port'], 'ingress-nginx {{owner}}: {{service}}:{{port}} has no ready endpoints: 503', 'ingress-nginx {{owner}}：{{service}}:{{port}} 没有就绪的端点，回复 503'),
  'app.ingressRelay': entry(['owner', 'tls', 'method', 'host', 'path', 'rule', 'ingress', 'service', 'port', 'endpoint', 'client'],
    'ingress-nginx {{owner}}: {{tls}}{{method}} {{host}}{{path}} matches {{rule}} of {{ingress}} -> {{service}}:{{port}} -> endpoint {{endpoint}} (X-Forwarded-For: {{client}})',
    'ingress-nginx {{owner}}：{{tls}}{{method}} {{host}}{{path}} 匹配 {{ingress}} 的规则（{{rule}}），转给 {{service}}:{{port}}，由控制器自己新建连接到端点 {{endpoint}}（X-Forwarded-For: {{client}}）'),
  'app.ingressTls': entry(['secret'], 'TLS terminated with {{secret}}; ', 'TLS 在这里终结，使用证书 {{secret}}；'),
  'app.ingressTlsMissing': entry(['secret'], 'TLS terminated with {{secret}} (missing: default fake certificate); ', 'TLS 在这里终结，证书 {{secret}} 不存在，改用默认的伪证书；'),
  'app.ingressTlsFake': entry([], 'TLS terminated with the default fake certificate; ', 'TLS 在这里终结，使用默认的伪证书；'),
  'app.ingressRelays': entry(['owner', 'endpoint'], "ingress-nginx {{owner}}: relays {{endpoint}}'s answer", 'ingress-nginx {{owner}}：把 {{endpoint}} 的应答转回给客户端'),
  'app.ingress502': entry(['owner', 'endpoint', 'verdict'], 'ingress-nginx {{owner}}: upstream {{endpoint}} {{verdict}}: 502', 'ingress-nginx {{owner}}：上游 {{endpoint}} {{verdict}}，回复 502'),
  // kube-proxy's userspace mode (agents/kubeproxy/userspace.ts)
  'app.userspaceNoPortal': entry(['port'], 'kube-proxy (userspace): nothing proxied on port {{port}}', 'kube-proxy（userspace）：端口 {{port}} 上没有代理任何 Service'),
  'app.userspaceNoEndpoints': entry(['service'], 'kube-proxy (userspace) {{service}}: no endpoints, connection closed', 'kube-proxy（userspace）{{service}}：没有端点，关闭连接'),
  'app.userspaceAllFailed': entry(['service'], "kube-proxy (userspace) {{service}}: every endpoint failed, closing the client's connection", 'kube-proxy（userspace）{{service}}：所有端点都失败了，关闭客户端的连接'),
  'app.userspacePick': entry(['service', 'backend'], 'kube-proxy (userspace) {{service}}: round-robin picks {{backend}}, opening a new connection from the node', 'kube-proxy（userspace）{{service}}：轮询选中 {{backend}}，从节点上新建一个连接过去'),
  'app.userspaceRetry': entry(['service', 'backend'], 'kube-proxy (userspace) {{service}}: retries with {{backend}}, opening a new connection from the node', 'kube-proxy（userspace）{{service}}：改试 {{backend}}，从节点上新建一个连接过去'),
  'app.userspaceRelays': entry(['backend'], 'kube-proxy (userspace): relays the answer of {{backend}}', 'kube-proxy（userspace）：把 {{backend}} 的应答转回给客户端'),
  'app.userspaceSilent': entry(['backend'], 'kube-proxy (userspace): {{backend}} answered nothing', 'kube-proxy（userspace）：{{backend}} 什么也没有回答'),

  // ── why a device hook dropped a packet (the `reason` of drop.hook; stack/hooks.ts HookDecision) ──
  'hook.ciliumDenyEgress': entry(['endpoint', 'identity', 'peer', 'what'], 'Policy denied (egress): endpoint {{endpoint}} identity {{identity}} -> identity {{peer}} {{what}} (cilium from-container)', '策略拒绝（出向）：端点 {{endpoint}}（身份 {{identity}}）发往身份 {{peer}} 的 {{what}} 不被允许（cilium from-container）'),
  'hook.ciliumDenyIngress': entry(['identity', 'endpoint', 'endpointIdentity', 'what'], 'Policy denied (ingress): identity {{identity}} -> endpoint {{endpoint}} identity {{endpointIdentity}} {{what}} (cilium to-container)', '策略拒绝（入向）：身份 {{identity}} 发往端点 {{endpoint}}（身份 {{endpointIdentity}}）的 {{what}} 不被允许（cilium to-container）'),
  'hook.ciliumNoBackends': entry(['port', 'service'], 'NodePort {{port}}: service {{service}} has no backends (cilium from-netdev)', 'NodePort {{port}}：Service {{service}} 没有后端（cilium from-netdev）'),
  'hook.cil.tunnel': entry(['dst', 'node', 'nodeIp', 'vni'], 'ipcache: {{dst}} is behind node {{node}} ({{nodeIp}}); tunnel key vni {{vni}} = source identity', 'ipcache：{{dst}} 在节点 {{node}}（{{nodeIp}}）后面；隧道键 vni {{vni}} 即源身份'),
  'hook.cil.noEndpointDev': entry([], 'no endpoint for this device', '这个设备不属于任何端点'),
  'hook.cil.arp': entry(['ip', 'mac'], 'ARP {{ip}} answered in BPF with {{mac}}', 'BPF 程序直接应答 ARP {{ip}}，给出 {{mac}}'),
  'hook.cil.notIpv4': entry([], 'not IPv4', '不是 IPv4'),
  'hook.cil.npLocalReply': entry(['from', 'to'], 'NodePort reply: reverse NAT {{from}} -> {{to}}; to the host stack', 'NodePort 回包：反向 NAT {{from}} -> {{to}}，交给主机协议栈'),
  'hook.cil.hostNatReply': entry([], "reply of a connection the host's conntrack translated; to the host stack for the reverse NAT", '这是主机 conntrack 做过地址转换的连接的回包，交给主机协议栈做反向 NAT'),
  'hook.cil.egressLocal': entry(['endpoint', 'identity', 'dst', 'dstIdentity'], 'endpoint {{endpoint}} (identity {{identity}}) -> local endpoint {{dst}} (identity {{dstIdentity}}): egress policy allows', '端点 {{endpoint}}（身份 {{identity}}）-> 本机端点 {{dst}}（身份 {{dstIdentity}}）：出向策略允许'),
  'hook.cil.icmpService': entry(['dst', 'service'], '{{dst}} is service {{service}}, but ICMP is no service protocol (lb4_extract_tuple: DROP_UNSUPP_SERVICE_PROTO): no service lookup; to the host stack as addressed', '{{dst}} 是 Service {{service}} 的地址，但 ICMP 不是 Service 协议（lb4_extract_tuple: DROP_UNSUPP_SERVICE_PROTO）：不查 Service，按原目的地址交给主机协议栈'),
  'hook.cil.egressHost': entry(['endpoint', 'identity', 'dst', 'dstIdentity'], 'endpoint {{endpoint}} (identity {{identity}}) -> {{dst}} (identity {{dstIdentity}}): egress policy allows; to the host stack', '端点 {{endpoint}}（身份 {{identity}}）-> {{dst}}（身份 {{dstIdentity}}）：出向策略允许，交给主机协议栈'),
  'hook.cil.ct': entry(['identity'], 'tracked connection (CT) from identity {{identity}}', '来自身份 {{identity}} 的已跟踪连接（CT）'),
  'hook.cil.ingressAllows': entry(['identity', 'endpoint', 'endpointIdentity', 'what'], 'identity {{identity}} -> endpoint {{endpoint}} (identity {{endpointIdentity}}) {{what}}: ingress policy allows', '身份 {{identity}} -> 端点 {{endpoint}}（身份 {{endpointIdentity}}）{{what}}：入向策略允许'),
  'hook.cil.ingressAllowsBy': entry(['identity', 'endpoint', 'endpointIdentity', 'what', 'by'], 'identity {{identity}} -> endpoint {{endpoint}} (identity {{endpointIdentity}}) {{what}}: ingress policy allows ({{by}})', '身份 {{identity}} -> 端点 {{endpoint}}（身份 {{endpointIdentity}}）{{what}}：入向策略允许（{{by}}）'),
  'hook.cil.fromHost': entry(['endpoint', 'identity'], 'from the host stack to local endpoint {{endpoint}} (identity {{identity}})', '从主机协议栈发往本机端点 {{endpoint}}（身份 {{identity}}）'),
  'hook.cil.notHere': entry(['dst'], '{{dst}} is no endpoint here', '{{dst}} 不是本机的端点'),
  'hook.cil.fromVni': entry(['identity', 'endpoint'], 'source identity {{identity}} from the VNI; to local endpoint {{endpoint}}', '源身份 {{identity}} 取自 VNI，发往本机端点 {{endpoint}}'),
  'hook.cil.notHereHost': entry(['dst'], '{{dst}} is no endpoint here; to the host stack', '{{dst}} 不是本机的端点，交给主机协议栈'),
  'hook.cil.noNodePortHere': entry([], 'no NodePort here; to the host stack', '这里没有 NodePort，交给主机协议栈'),
  'hook.cil.notNodeAddress': entry([], 'not for a node address; to the host stack', '目的不是节点地址，交给主机协议栈'),
  'hook.cil.noNodePort': entry(['port', 'proto'], 'no NodePort {{port}}/{{proto}}; to the host stack', '没有 NodePort {{port}}/{{proto}}，交给主机协议栈'),
  'hook.cil.nodePort': entry(['dst', 'port', 'service', 'backend', 'bport'], 'NodePort {{dst}}:{{port}} ({{service}}) -> backend {{backend}}:{{bport}}', 'NodePort {{dst}}:{{port}}（{{service}}）-> 后端 {{backend}}:{{bport}}'),
  'hook.cil.withSnat': entry(['base', 'ip'], '{{base}}, SNAT to {{ip}} (backend on another node)', '{{base}}，SNAT 成 {{ip}}（后端在别的节点上）'),
  'hook.cil.withAffinityHit': entry(['base'], '{{base}} (affinity map: same backend as before)', '{{base}}（亲和性表：沿用之前的后端）'),
  'hook.cil.withAffinityNew': entry(['base', 'timeout'], '{{base}} (affinity map: new entry for {{timeout}}s)', '{{base}}（亲和性表：新建条目，保留 {{timeout}} 秒）'),
  'hook.cil.npReverse': entry(['from', 'front', 'client'], 'NodePort reply: reverse NAT {{from}} -> {{front}}, to {{client}}', 'NodePort 回包：反向 NAT {{from}} -> {{front}}，发往 {{client}}'),
  'hook.cil.sockConnect': entry(['service'], 'service {{service}} translated at connect()', 'Service {{service}} 在 connect() 时完成地址转换'),
  'hook.cil.sockRecvmsg': entry(['service'], 'reverse NAT of service {{service}} (socket rev-NAT map)', 'Service {{service}} 的反向 NAT（socket 的 rev-NAT 表）'),
  'hook.cil.toHost': entry([], 'to the host stack', '交给主机协议栈'),
  'hook.cil.toNetdev': entry([], 'out to the network', '发往网络'),
  'hook.cil.toOverlay': entry([], 'into the tunnel', '进入隧道'),
  'hook.shot': entry(['program', 'action'], '{{program}}: {{action}}', '程序 {{program}} 返回 {{action}}，把包丢弃'),
  'hook.ipvsNoDest': entry(['service'], 'IPVS {{service}}: no destination available', 'IPVS {{service}}：没有可用的真实服务器'),

  // ── verdicts (Trace.reasonMessage, set where the walk decides the verdict) ─────────────────
  'verdict.icmp.ttl': entry(['from'], 'time to live exceeded (ICMP from {{from}})', 'TTL 耗尽（ICMP 来自 {{from}}）'),
  'verdict.icmp.port': entry(['from'], 'port unreachable (ICMP from {{from}})', '端口不可达（ICMP 来自 {{from}}）'),
  'verdict.icmp.fragNeeded': entry(['mtu', 'from'], 'fragmentation needed and DF set, mtu {{mtu}} (ICMP from {{from}})', '需要分片但设置了 DF，MTU {{mtu}}（ICMP 来自 {{from}}）'),
  'verdict.icmp.prohibited': entry(['from'], 'administratively prohibited (ICMP from {{from}})', '被管理策略禁止（ICMP 来自 {{from}}）'),
  'verdict.icmp.netUnreachable': entry(['from'], 'network unreachable (ICMP from {{from}})', '网络不可达（ICMP 来自 {{from}}）'),
  'verdict.icmp.hostUnreachable': entry(['from'], 'host unreachable (ICMP from {{from}})', '主机不可达（ICMP 来自 {{from}}）'),
  'verdict.icmp.unreachable': entry(['code', 'from'], 'destination unreachable, code {{code}} (ICMP from {{from}})', '目的不可达，code {{code}}（ICMP 来自 {{from}}）'),
  'verdict.icmp.unexpected': entry(['type', 'from'], 'unexpected ICMP type {{type}} from {{from}}', '收到意外的 ICMP type {{type}}，来自 {{from}}'),
  'verdict.dropped': entry(['reason'], 'dropped: {{reason}}', '被丢弃：{{reason}}'),
  'verdict.noAnswer': entry(['what'], 'no answer to the {{what}}', '{{what}} 没有得到回应'),
  'verdict.netUnreachable': entry(['reason'], 'connect: Network is unreachable ({{reason}})', 'connect：网络不可达（{{reason}}）'),
  'verdict.noRouteToHost': entry(['reason'], 'No route to host ({{reason}})', '没有到主机的路由（{{reason}}）'),
  'verdict.msgSize': entry(['mtu'], 'local error: message too long, mtu={{mtu}}', '本地错误：报文过长，mtu={{mtu}}'),
  'verdict.notPermitted': entry(['reason'], 'Operation not permitted ({{reason}})', '操作不被允许（{{reason}}）'),
  'verdict.refused': entry(['from'], 'connection refused (RST from {{from}})', '连接被拒绝（RST 来自 {{from}}）'),
  'verdict.reset': entry([], 'connection reset by peer', '连接被对端重置'),
  'verdict.noResponse': entry([], 'the server accepted the request but sent no response', '服务器接受了请求，但没有返回响应'),
  'verdict.emptyReply': entry(['from'], 'connection closed by {{from}} without a response (empty reply from server)', '连接被 {{from}} 关闭，没有返回响应（服务器返回空响应）'),
  'verdict.unexpectedSynAnswer': entry(['what'], 'unexpected answer to SYN: {{what}}', 'SYN 收到意外的回应：{{what}}'),
  'verdict.connection': entry(['n', 'reason'], 'connection {{n}}: {{reason}}', '第 {{n}} 个连接：{{reason}}'),
  'verdict.other': entry(['reason'], '{{reason}}', '{{reason}}'),

  // ── cost: what Services cost each kube-proxy mode (`knp cost`, agents/kubeproxy/cost.ts) ────
  'cost.title': entry(['file'], 'What Services cost kube-proxy\'s modes: {{file}}', 'kube-proxy 各模式为 Service 付出的代价：{{file}}'),
  'cost.summary': entry(['services', 'ports', 'endpoints', 'mode'],
    '{{services}} Services ({{ports}} Service ports, {{endpoints}} endpoints per port); this cluster runs kube-proxy in {{mode}} mode',
    '{{services}} 个 Service（{{ports}} 个 Service 端口，每个端口平均 {{endpoints}} 个 endpoint）；本集群的 kube-proxy 运行在 {{mode}} 模式'),
  'cost.now': entry(['services'], 'This scenario ({{services}} Services)', '本场景（{{services}} 个 Service）'),
  'cost.col.mode': entry([], 'mode', '模式'),
  'cost.col.rules': entry([], 'rules', '规则数'),
  'cost.col.newConn': entry([], 'new connection: rules checked (mean / worst)', '新连接要检查的规则（平均 / 最坏）'),
  'cost.col.change': entry([], 'rewritten when one Service changes', '一个 Service 变化时重写'),
  'cost.col.bytes': entry([], 'rule text', '规则文本大小'),
  'cost.col.services': entry([], 'Services', 'Service 数'),
  'cost.curve.newConn': entry([], 'Rules a new connection is checked against (mean), as Services grow', '随着 Service 增多，新连接平均要检查的规则数'),
  'cost.curve.change': entry([], 'Rules or entries written again when one Service changes', '一个 Service 变化时要重写的规则或表项'),
  'cost.curve.bytes': entry([], 'Size of the rule text the kernel is handed', '交给内核的规则文本大小'),
  'cost.note.iptables': entry([], 'iptables checks a new connection against KUBE-SERVICES rule by rule, so its cost grows with every Service; kube-proxy also rewrites KUBE-SERVICES in full on every change.',
    'iptables 模式下，新连接要在 KUBE-SERVICES 里逐条比对规则，Service 越多代价越大；而且每次变化 kube-proxy 都要整条重写 KUBE-SERVICES。'),
  'cost.note.hash': entry([], 'IPVS (an ipset and its virtual-server table) and nftables (a verdict map) find the Service with one hash lookup: their cost per connection stays flat.',
    'IPVS（ipset 加虚拟服务器表）和 nftables（verdict map）用一次哈希查找就找到 Service：每个连接的代价基本不变。'),
  'cost.note.large': entry(['endpoints'], 'Past {{endpoints}} endpoints kube-proxy leaves out its per-endpoint comments, so the iptables text grows more slowly from there.',
    '端点超过 {{endpoints}} 个后，kube-proxy 不再为每个端点写注释，所以此后 iptables 规则文本增长变慢。'),
  'cost.note.method': entry(['lo', 'hi'], 'Counted on the rules the simulator writes for this scenario; the curve runs through generated clusters of {{lo}} and {{hi}} Services shaped like it (every count grows in a straight line with the Services).',
    '数字来自模拟器为本场景写出的规则；曲线经过按本场景形状生成的 {{lo}} 个和 {{hi}} 个 Service 的集群（每项计数都随 Service 数线性增长）。'),
} as const satisfies Record<string, Entry>;

export type MessageCode = keyof typeof MESSAGES;

export function message(code: MessageCode, params: MessageParams = {}): Message {
  return { code, params };
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The parameters a template names, in order of appearance. */
export function templateParams(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!);
}

/** The template a language uses for these parameters (English picks its plural form by `count`). */
function templateFor(e: Entry, lang: EngineLang, params: MessageParams): string {
  const t = e[lang];
  if (typeof t === 'string') return t;
  return params['count'] === 1 ? t.one : t.other;
}

/** A list parameter as the language writes a list. */
export function joinList(items: readonly string[], lang: EngineLang): string {
  return items.join(lang === 'zh-CN' ? '、' : ' and ');
}

/** The parameters with lists joined for `lang`: what the UI hands i18next (which would write "a,b"). */
export function paramsFor(params: MessageParams, lang: EngineLang): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) out[k] = paramText(v, lang);
  return out;
}

/** Renders a message as i18next would with `{{param}}` interpolation and no escaping. */
export function renderMessage(code: MessageCode, params: MessageParams, lang: EngineLang): string {
  const e: Entry | undefined = MESSAGES[code];
  if (!e) return code;
  const parts = compiled(templateFor(e, lang, params));
  // parts alternate: literal text, a parameter's name, literal text, ...
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 2) {
    const name = parts[i]!;
    const v = params[name];
    out += (v === undefined ? `{{${name}}}` : String(paramText(v, lang))) + parts[i + 1]!;
  }
  return out;
}

/**
 * A template split once at its placeholders (a trace renders a summary per event, thousands per
 * walk): [text, name, text, name, ..., text].
 */
const COMPILED = new Map<string, readonly string[]>();
function compiled(template: string): readonly string[] {
  let parts = COMPILED.get(template);
  if (!parts) {
    const out: string[] = [];
    let at = 0;
    for (const m of template.matchAll(PLACEHOLDER)) {
      out.push(template.slice(at, m.index), m[1]!);
      at = m.index! + m[0].length;
    }
    out.push(template.slice(at));
    parts = out;
    COMPILED.set(template, parts);
  }
  return parts;
}

function isMessage(v: MessageParam): v is Message {
  return typeof v === 'object' && !Array.isArray(v) && 'code' in v;
}

/** One parameter as `lang` writes it: lists joined, nested messages rendered. */
function paramText(v: MessageParam, lang: EngineLang): string | number {
  if (typeof v === 'string' || typeof v === 'number') return v;
  if (isMessage(v)) return renderMessage(v.code, v.params, lang);
  return joinList(v as readonly string[], lang);
}

/** `renderMessage` for a Message value. */
export function render(m: Message, lang: EngineLang): string {
  return renderMessage(m.code, m.params, lang);
}

/** Every template of an entry in one language (both plural forms), for tests. */
export function templatesOf(code: MessageCode, lang: EngineLang): string[] {
  const t = (MESSAGES[code] as Entry)[lang];
  return typeof t === 'string' ? [t] : [t.one, t.other];
}

/** `LANG=zh_CN.UTF-8` → zh-CN; anything else → en. Reads LC_ALL, LC_MESSAGES, LANG in POSIX order. */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): EngineLang {
  const v = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return /^zh/i.test(v) ? 'zh-CN' : 'en';
}

/**
 * The catalog as one language's flat code → template map (what the UI hands i18next). A plural
 * entry becomes `code_one` and `code_other` in both languages (Chinese has one form: the same).
 */
export function catalog(lang: EngineLang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [code, e] of Object.entries(MESSAGES) as [string, Entry][]) {
    const t = e[lang];
    if (typeof t === 'string' && typeof e.en === 'string') out[code] = t;
    else {
      out[`${code}_one`] = typeof t === 'string' ? t : t.one;
      out[`${code}_other`] = typeof t === 'string' ? t : t.other;
    }
  }
  return out;
}
