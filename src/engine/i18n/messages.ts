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

export type MessageParams = Readonly<Record<string, string | number>>;

/** A sentence the engine wants shown: a code from MESSAGES and its parameters. */
export interface Message {
  readonly code: MessageCode;
  readonly params: MessageParams;
}

interface Entry {
  readonly params: readonly string[];
  readonly en: string;
  readonly 'zh-CN': string;
}

const entry = (params: readonly string[], en: string, zh: string): Entry => ({ params, en, 'zh-CN': zh });

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

/** Renders a message as i18next would with `{{param}}` interpolation and no escaping. */
export function renderMessage(code: MessageCode, params: MessageParams, lang: EngineLang): string {
  const e: Entry | undefined = MESSAGES[code];
  if (!e) return code;
  return e[lang].replace(PLACEHOLDER, (_, name: string) => {
    const v = params[name];
    return v === undefined ? `{{${name}}}` : String(v);
  });
}

/** `LANG=zh_CN.UTF-8` → zh-CN; anything else → en. Reads LC_ALL, LC_MESSAGES, LANG in POSIX order. */
export function langFromEnv(env: Readonly<Record<string, string | undefined>>): EngineLang {
  const v = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return /^zh/i.test(v) ? 'zh-CN' : 'en';
}

/** The catalog as one language's flat code → template map (what the UI hands i18next). */
export function catalog(lang: EngineLang): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [code, e] of Object.entries(MESSAGES) as [string, Entry][]) out[code] = e[lang];
  return out;
}
