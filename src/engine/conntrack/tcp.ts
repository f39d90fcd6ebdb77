/**
 * The TCP state machine of nf_conntrack_proto_tcp, reduced to the transitions a simulated
 * exchange produces, and the default timeouts (net.netfilter.nf_conntrack_tcp_timeout_*).
 *
 *   SYN ──► SYN_SENT ──SYN/ACK (reply)──► SYN_RECV ──ACK (orig)──► ESTABLISHED [ASSURED]
 *   ESTABLISHED ──FIN──► FIN_WAIT ──ACK (other side)──► CLOSE_WAIT ──FIN (other side)──► LAST_ACK
 *   LAST_ACK ──ACK──► TIME_WAIT          any state ──RST──► CLOSE
 */
import type { TcpFlags } from '../net/packet';
import type { CtDir, TcpState } from './types';

/** Seconds, as the kernel's defaults. */
export const TCP_TIMEOUTS: Readonly<Record<TcpState, number>> = {
  NONE: 10, SYN_SENT: 120, SYN_RECV: 60, ESTABLISHED: 432000, FIN_WAIT: 120, CLOSE_WAIT: 60,
  LAST_ACK: 30, TIME_WAIT: 120, CLOSE: 10,
};
/** nf_conntrack_tcp_timeout_unacknowledged / max_retrans are not modelled. */
export const UDP_TIMEOUT = 30;
export const UDP_STREAM_TIMEOUT = 120;
export const ICMP_TIMEOUT = 30;
export const GENERIC_TIMEOUT = 600;

export interface TcpStep {
  readonly state: TcpState;
  readonly finFrom?: CtDir;
  /** The segment does not fit the connection (the kernel marks it INVALID). */
  readonly invalid?: boolean;
}

/** The state a connection starts in from its first segment, or invalid when it cannot start one. */
export function tcpStart(flags: TcpFlags): TcpStep {
  if (flags.rst) return { state: 'NONE', invalid: true };
  if (flags.syn && !flags.ack) return { state: 'SYN_SENT' };
  // nf_conntrack_tcp_loose=1: a mid-stream segment picks the connection up as established.
  if (flags.ack && !flags.syn) return { state: 'ESTABLISHED' };
  return { state: 'NONE', invalid: true };
}

export function tcpNext(state: TcpState, dir: CtDir, flags: TcpFlags, finFrom: CtDir | undefined): TcpStep {
  const keep = (s: TcpState, f = finFrom): TcpStep => (f ? { state: s, finFrom: f } : { state: s });
  if (flags.rst) return keep('CLOSE');
  switch (state) {
    case 'SYN_SENT':
      if (dir === 'reply' && flags.syn && flags.ack) return keep('SYN_RECV');
      if (dir === 'original' && flags.syn && !flags.ack) return keep('SYN_SENT');
      return { ...keep(state), invalid: true };
    case 'SYN_RECV':
      if (dir === 'original' && flags.ack && !flags.syn) return flags.fin ? keep('FIN_WAIT', 'original') : keep('ESTABLISHED');
      if (dir === 'reply' && flags.syn && flags.ack) return keep('SYN_RECV');
      return { ...keep(state), invalid: true };
    case 'ESTABLISHED':
      if (flags.fin) return keep('FIN_WAIT', dir);
      return keep(state);
    case 'FIN_WAIT':
      if (dir !== finFrom && flags.fin) return keep('LAST_ACK');
      if (dir !== finFrom && flags.ack) return keep('CLOSE_WAIT');
      return keep(state);
    case 'CLOSE_WAIT':
      if (dir !== finFrom && flags.fin) return keep('LAST_ACK');
      return keep(state);
    case 'LAST_ACK':
      if (dir === finFrom && flags.ack) return keep('TIME_WAIT');
      return keep(state);
    case 'TIME_WAIT': case 'CLOSE':
      // A new SYN on a closed tuple reopens it (the kernel's "SYN in TIME_WAIT" reopen).
      if (dir === 'original' && flags.syn && !flags.ack) return { state: 'SYN_SENT' };
      return keep(state);
    case 'NONE':
      return tcpStart(flags);
  }
}
