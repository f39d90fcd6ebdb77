import { describe, expect, it } from 'vitest';
import type { Payload } from '../../../src/engine/net/packet';
import { payloadBytes, payloadLength } from '../../../src/engine/stack/packets';

// payloadLength counts the bytes without building them; it must agree with what the pcap writer writes.
const payloads: Payload[] = [
  { kind: 'bytes', length: 56 },
  { kind: 'data', text: '' },
  { kind: 'data', text: 'hello\n' },
  { kind: 'data', text: 'é ü 中文 🙂 \ud800 lone surrogate' },
  { kind: 'http-request', method: 'GET', path: '/', host: 'web.default.svc.cluster.local', headers: {} },
  { kind: 'http-request', method: 'POST', path: '/x?y=ü', host: 'h', headers: { 'X-Name': '中文', Accept: 'text/html' } },
  { kind: 'http-response', status: 200, body: 'pod/default/web-0 🙂\n', headers: {} },
  { kind: 'http-response', status: 502, body: '', headers: { 'Content-Length': '0' } },
  { kind: 'dns', message: { id: 7, question: { name: '.', type: 'NS' } } },
  { kind: 'dns', message: { id: 7, question: { name: 'web.default.svc.cluster.local.', type: 'A' } } },
  { kind: 'dns', message: { id: 1, question: { name: `${'a'.repeat(70)}.ü中.example..com`, type: 'AAAA' } } },
  { kind: 'dns', message: undefined },
  {
    kind: 'dns',
    message: {
      id: 65535,
      question: { name: 'web.default.svc.cluster.local', type: 'A' },
      response: {
        rcode: 'NOERROR', authoritative: true,
        answers: [
          { name: 'web.default.svc.cluster.local', type: 'A', ttl: 30, data: '10.96.0.10' },
          { name: 'alias.example.com', type: 'CNAME', ttl: 300, data: 'web.default.svc.cluster.local.' },
          { name: '10.0.96.10.in-addr.arpa', type: 'PTR', ttl: 5, data: 'kube-dns.kube-system.svc.cluster.local' },
          { name: 'web.default.svc.cluster.local', type: 'AAAA', ttl: 30, data: 'fd00::1' },
          { name: 'web.default.svc.cluster.local', type: 'SRV', ttl: 30, data: '0 100 80 web' },
        ],
      },
    },
  },
  { kind: 'dns', message: { id: 2, question: { name: 'nope.svc', type: 'A' }, response: { rcode: 'NXDOMAIN' } } },
];

describe('payloadLength', () => {
  it('is the length of the bytes payloadBytes writes, for every kind of payload', () => {
    for (const p of payloads) expect(payloadLength(p), JSON.stringify(p)).toBe(payloadBytes(p).length);
    expect(payloadLength(undefined)).toBe(0);
  });
});
