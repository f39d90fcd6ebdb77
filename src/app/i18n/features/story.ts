/**
 * The story view's strings, and the engine's message catalog (src/engine/i18n/messages.ts)
 * under `msg.`: a step's sentence is `t('msg.' + code, params)`, the same templates the CLI
 * renders with `--lang`.
 */
import { catalog, type EngineLang } from '../../../engine/i18n/messages';
import { bilingual, type Bilingual, type Tree } from './index';

export const storyStrings = bilingual({
  story: {
    title: 'Story', toggle: 'Story view', toggleTitle: 'Story: one step per device; off: every event',
    step: 'Step {{n}} of {{total}}', jump: 'Jump to step', events_one: '{{count}} event', events_other: '{{count}} events',
    leg: { request: 'request', reply: 'reply' },
    phase: { dns: 'DNS', handshake: 'handshake', ping: 'ping', request: 'request', response: 'response', teardown: 'teardown' },
    badge: { dnat: 'DNAT', snat: 'SNAT', 'reverse-nat': 'reverse NAT', ttl: 'TTL −1', mac: 'MAC rewrite', encap: 'encapsulated', decap: 'decapsulated' },
    in: 'In: as it arrived', out: 'Out: as it left', sent: 'As sent', delivered: 'As delivered', nothing: 'No packet at this step.',
    expand: 'Show the events of this step', collapse: 'Hide the events',
  },
}, {
  story: {
    title: '故事', toggle: '故事视图', toggleTitle: '故事：每台设备一步；关闭后显示全部事件',
    step: '第 {{n}} 步，共 {{total}} 步', jump: '跳到某一步', events_one: '{{count}} 个事件', events_other: '{{count}} 个事件',
    leg: { request: '去程', reply: '回程' },
    phase: { dns: 'DNS 解析', handshake: '握手', ping: 'ping', request: '请求', response: '响应', teardown: '断开' },
    badge: { dnat: 'DNAT', snat: 'SNAT', 'reverse-nat': '反向 NAT', ttl: 'TTL −1', mac: 'MAC 改写', encap: '已封装', decap: '已解封装' },
    in: '进：到达时', out: '出：离开时', sent: '发出时', delivered: '交付时', nothing: '这一步没有数据包。',
    expand: '展开这一步的事件', collapse: '收起事件',
  },
});

/** "story.dnat" → { story: { dnat: … } }: i18next reads dotted keys as paths. */
function nest(flat: Record<string, string>): Tree {
  const root: Record<string, Tree | string> = {};
  for (const [code, text] of Object.entries(flat)) {
    const parts = code.split('.');
    let cur = root;
    for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, Tree | string>;
    cur[parts[parts.length - 1]!] = text;
  }
  return root;
}

const msg = (lang: EngineLang): Tree => ({ msg: nest(catalog(lang)) });
export const engineMessages: Bilingual = { en: msg('en'), 'zh-CN': msg('zh-CN') };
