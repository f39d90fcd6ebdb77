/**
 * What a goal result says, in both languages: a stable code plus parameters, rendered here so
 * the CLI, the tests and the UI print the same sentence.
 */
export type Lang = 'en' | 'zh-CN';
export type Params = Readonly<Record<string, string | number>>;

const TEXT: Record<string, Record<Lang, string>> = {
  'reach-allowed': { en: '{from} reached {to}: {detail}', 'zh-CN': '{from} 访问 {to} 成功：{detail}' },
  'reach-denied': { en: '{from} could not reach {to}: {detail}', 'zh-CN': '{from} 无法访问 {to}：{detail}' },
  'bad-target': { en: 'cannot send from {from} to {to}: {detail}', 'zh-CN': '无法从 {from} 发往 {to}：{detail}' },
  'resolve-answer': { en: '{from} resolved {name} to {addresses}', 'zh-CN': '{from} 把 {name} 解析为 {addresses}' },
  'resolve-nxdomain': { en: '{from} got no address for {name} ({rcode})', 'zh-CN': '{from} 解析 {name} 没有得到地址（{rcode}）' },
  'resolve-timeout': { en: 'no DNS server answered {from} for {name}', 'zh-CN': '没有 DNS 服务器回答 {from} 对 {name} 的查询' },
  'source-preserved': { en: '{responder} saw the client\'s own address {seen}', 'zh-CN': '{responder} 看到的是客户端自己的地址 {seen}' },
  'source-snat': { en: '{responder} saw {seen}, not the client\'s {client} (SNAT)', 'zh-CN': '{responder} 看到的是 {seen}，而不是客户端的 {client}（发生了 SNAT）' },
  'source-undelivered': { en: 'no answer from {to} ({detail}), so no source was seen', 'zh-CN': '{to} 没有应答（{detail}），看不到源地址' },
  'endpoints-count': { en: 'Service {service} has {count} ready endpoint(s)', 'zh-CN': 'Service {service} 有 {count} 个就绪的端点' },
  'endpoints-no-service': { en: 'there is no Service {service}', 'zh-CN': '不存在 Service {service}' },
  'path-crossed': { en: 'the request crossed {via}', 'zh-CN': '请求经过了 {via}' },
  'path-missed': { en: 'the request never crossed {missing} in that order (it went {hops})', 'zh-CN': '请求没有按顺序经过 {missing}（实际路径 {hops}）' },
  'rule-matched': { en: '{matches} matched: {rule}', 'zh-CN': '{matches} 命中：{rule}' },
  'rule-unmatched': { en: 'no rule of {matches} matched on the way ({detail})', 'zh-CN': '途中没有命中 {matches} 的规则（{detail}）' },
  'unchanged-same': { en: '{items} unchanged', 'zh-CN': '{items} 没有被改动' },
  'unchanged-edited': { en: '{items} changed: {changed}', 'zh-CN': '{items} 被改动了：{changed}' },
  'unchanged-no-start': { en: 'no start scenario to compare {items} with', 'zh-CN': '没有初始场景可用来比较 {items}' },
};

export function messageCodes(): string[] {
  return Object.keys(TEXT);
}

export function renderMessage(code: string, params: Params, lang: Lang): string {
  const t = TEXT[code]?.[lang] ?? code;
  return t.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] !== undefined ? String(params[k]) : `{${k}}`));
}
