/**
 * Trace events in the page's language: the short name of each event type (the canvas's packet
 * label, "UDP 交付") and, through `useMessageText`, an event's line from its message code.
 * Records keyed by TraceEventType, so a new event type does not compile until it is named here.
 */
import type { TraceEventType } from '../../../engine/trace/types';
import { bilingual } from './index';

const EN: Record<TraceEventType, string> = {
  send: 'send', route: 'route', 'arp-request': 'ARP request', 'arp-reply': 'ARP reply', 'ndisc-solicit': 'neighbor solicitation', 'ndisc-advert': 'neighbor advertisement', neigh: 'neigh', tx: 'tx', rx: 'rx',
  veth: 'veth', 'bridge-forward': 'bridge forward', 'bridge-flood': 'bridge flood', 'bridge-learn': 'bridge learn',
  'bridge-local': 'bridge local', forward: 'forward', encap: 'encap', decap: 'decap', userspace: 'user space',
  netfilter: 'netfilter', nat: 'NAT', conntrack: 'conntrack', ipvs: 'IPVS', hook: 'hook', fragment: 'fragment', policy: 'policy', deliver: 'deliver', app: 'app',
  dns: 'DNS', 'icmp-error': 'ICMP error', drop: 'drop',
};

const ZH: Record<TraceEventType, string> = {
  send: '发送', route: '查路由', 'arp-request': 'ARP 请求', 'arp-reply': 'ARP 应答', 'ndisc-solicit': 'NDP 邻居请求', 'ndisc-advert': 'NDP 邻居通告', neigh: '邻居表', tx: '发出', rx: '收到',
  veth: '穿过 veth', 'bridge-forward': '网桥转发', 'bridge-flood': '网桥泛洪', 'bridge-learn': '网桥学习',
  'bridge-local': '交给网桥', forward: '转发', encap: '封装', decap: '解封装', userspace: '用户态',
  netfilter: 'netfilter 规则', nat: 'NAT', conntrack: 'conntrack', ipvs: 'IPVS', hook: '挂载程序', fragment: '分片', policy: '网络策略', deliver: '交付', app: '应用',
  dns: 'DNS 解析', 'icmp-error': 'ICMP 差错', drop: '丢弃',
};

export const traceStrings = bilingual({ eventType: EN }, { eventType: ZH });
