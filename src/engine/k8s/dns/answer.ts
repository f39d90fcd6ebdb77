/**
 * CoreDNS's answer to one question, as the `kubernetes`, `hosts` and `forward` plugins of the
 * Corefile decide it. Pure: the stack delivers the query packet to a CoreDNS Pod's socket and
 * asks this function what that Pod answers. (Placeholder until the DNS work lands.)
 */
import type { Sim } from '../../sim';

export type RRType = 'A' | 'AAAA' | 'SRV' | 'PTR' | 'CNAME' | 'TXT' | 'NS' | 'SOA' | 'ANY';

export interface DnsQuestion {
  readonly name: string;
  readonly type: RRType;
}

export interface DnsRR {
  readonly name: string;
  readonly type: RRType;
  readonly ttl: number;
  /** A/AAAA: address; CNAME/PTR/NS: target name; SRV: "prio weight port target"; SOA: the SOA rdata. */
  readonly data: string;
}

export interface DnsResponse {
  readonly rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';
  readonly authoritative: boolean;
  readonly answers: readonly DnsRR[];
  readonly authority: readonly DnsRR[];
  /** The Corefile sent this question upstream (`forward . IP`): the stack walks it there and back. */
  readonly forwardTo?: string;
}

/** What CoreDNS Pod `server` (pod/NS/NAME) answers to `q`. */
export function answerDns(_sim: Sim, _server: string, _q: DnsQuestion): DnsResponse {
  return { rcode: 'SERVFAIL', authoritative: false, answers: [], authority: [] };
}
