/**
 * Strings of the packet's headers (inspect/layers.ts): field names of Ethernet, ARP, IPv4,
 * IPv6, TCP, UDP, ICMP and ICMPv6, and the names of numbered values (ICMP types and codes, ARP
 * ops); and the object inspector's IPv6 sections (`ip -6 route`, `ip -6 neigh`).
 */
import { bilingual } from './index';

export const packet = bilingual(
  {
    packetField: {
      inner: '(inner)',
      src: 'src', dst: 'dst', type: 'type', op: 'op',
      senderMac: 'sender MAC', senderIp: 'sender IP', targetMac: 'target MAC', targetIp: 'target IP',
      ttl: 'ttl', protocol: 'protocol', id: 'id', length: 'length', df: 'DF',
      version: 'version', trafficClass: 'traffic class', flowLabel: 'flow label', payloadLength: 'payload length', nextHeader: 'next header', hopLimit: 'hop limit',
      sport: 'sport', dport: 'dport', flags: 'flags', seq: 'seq', ack: 'ack',
      code: 'code', mtu: 'mtu', target: 'target address', naFlags: 'flags (R router, S solicited)',
      sourceLladdr: 'source link-layer address', targetLladdr: 'target link-layer address',
      vni: 'VNI', fwmark: 'fwmark',
      payload: { 'http-request': 'HTTP request', 'http-response': 'HTTP response', dns: 'DNS', data: 'data', bytes: 'bytes' },
    },
    packetValue: {
      arp: { request: 'request ({{n}})', reply: 'reply ({{n}})' },
      df: { set: 'set', clear: 'clear' },
      icmp4: { echoReply: 'echo reply ({{n}})', destUnreach: 'destination unreachable ({{n}})', echoRequest: 'echo request ({{n}})', timeExceeded: 'time exceeded ({{n}})' },
      icmp6: {
        destUnreach: 'destination unreachable ({{n}})', packetTooBig: 'packet too big ({{n}})', timeExceeded: 'time exceeded ({{n}})', paramProblem: 'parameter problem ({{n}})',
        echoRequest: 'echo request ({{n}})', echoReply: 'echo reply ({{n}})', routerSolicitation: 'router solicitation ({{n}})', routerAdvertisement: 'router advertisement ({{n}})',
        neighbourSolicitation: 'neighbor solicitation ({{n}})', neighbourAdvertisement: 'neighbor advertisement ({{n}})',
      },
      icmp6code: {
        noRoute: 'no route to destination ({{n}})', adminProhibited: 'administratively prohibited ({{n}})', addressUnreachable: 'address unreachable ({{n}})',
        portUnreachable: 'port unreachable ({{n}})', hopLimit: 'hop limit exceeded in transit ({{n}})', reassembly: 'reassembly time exceeded ({{n}})',
      },
    },
    inspector6: {
      routes6: 'IPv6 routes (ip -6 route)', neigh6: 'NDP / IPv6 neighbours (ip -6 neigh)', routes4: 'IPv4 routes (ip route)', neigh4: 'ARP / IPv4 neighbours (ip neigh)',
      addresses: 'addresses', podCIDRs: 'podCIDRs', clusterIPs: 'clusterIPs',
    },
  },
  {
    packetField: {
      inner: '（内层）',
      src: '源', dst: '目的', type: '类型', op: '操作',
      senderMac: '发送方 MAC', senderIp: '发送方 IP', targetMac: '目标 MAC', targetIp: '目标 IP',
      ttl: 'TTL', protocol: '协议', id: '标识', length: '总长度', df: 'DF（不分片）',
      version: '版本', trafficClass: '流量类别', flowLabel: '流标签', payloadLength: '载荷长度', nextHeader: '下一个首部', hopLimit: '跳数限制',
      sport: '源端口', dport: '目的端口', flags: '标志', seq: '序号', ack: '确认号',
      code: '代码', mtu: 'MTU', target: '目标地址', naFlags: '标志（R 路由器，S 应答请求）',
      sourceLladdr: '源链路层地址', targetLladdr: '目标链路层地址',
      vni: 'VNI', fwmark: 'fwmark（防火墙标记）',
      payload: { 'http-request': 'HTTP 请求', 'http-response': 'HTTP 响应', dns: 'DNS', data: '数据', bytes: '字节' },
    },
    packetValue: {
      arp: { request: '请求（{{n}}）', reply: '应答（{{n}}）' },
      df: { set: '置位', clear: '未置位' },
      icmp4: { echoReply: '回显应答 echo reply（{{n}}）', destUnreach: '目的不可达（{{n}}）', echoRequest: '回显请求 echo request（{{n}}）', timeExceeded: '超时（{{n}}）' },
      icmp6: {
        destUnreach: '目的不可达（{{n}}）', packetTooBig: '数据包过大 packet too big（{{n}}）', timeExceeded: '超时（{{n}}）', paramProblem: '参数问题（{{n}}）',
        echoRequest: '回显请求 echo request（{{n}}）', echoReply: '回显应答 echo reply（{{n}}）', routerSolicitation: '路由器请求（{{n}}）', routerAdvertisement: '路由器通告（{{n}}）',
        neighbourSolicitation: '邻居请求 NS（{{n}}）', neighbourAdvertisement: '邻居通告 NA（{{n}}）',
      },
      icmp6code: {
        noRoute: '没有到目的地的路由（{{n}}）', adminProhibited: '被管理策略禁止（{{n}}）', addressUnreachable: '地址不可达（{{n}}）',
        portUnreachable: '端口不可达（{{n}}）', hopLimit: '传输中跳数限制耗尽（{{n}}）', reassembly: '分片重组超时（{{n}}）',
      },
    },
    inspector6: {
      routes6: 'IPv6 路由（ip -6 route）', neigh6: 'NDP / IPv6 邻居（ip -6 neigh）', routes4: 'IPv4 路由（ip route）', neigh4: 'ARP / IPv4 邻居（ip neigh）',
      addresses: '地址', podCIDRs: 'podCIDRs', clusterIPs: 'clusterIPs',
    },
  },
);
