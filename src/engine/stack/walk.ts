/**
 * The packet walk's front door (contract used by the CLI's `knp trace`, the shell's ping/curl,
 * the UI and the kernel tier). The data-plane work implements it; see docs/trace-format.md.
 */
import type { Sim } from '../sim';
import type { Trace } from '../trace/types';

export interface WalkRequest {
  /** Where the client runs: pod/NS/NAME, pod/NAME, node/NAME, host/NAME (a "#netns" suffix narrows to a named namespace). */
  readonly from: string;
  /** An IP, IP:PORT, or a URL: http://HOST[:PORT]/PATH, https://..., tcp://HOST:PORT, udp://HOST:PORT. */
  readonly to: string;
  readonly protocol?: 'tcp' | 'udp' | 'icmp' | 'sctp';
  readonly port?: number;
  /** curl's extras: method, Host header override, other headers, --resolve pins. */
  readonly http?: { readonly method?: string; readonly headers?: Readonly<Record<string, string>>; readonly resolve?: Readonly<Record<string, string>> };
  /** ICMP echo / UDP: how many packets; TCP: connections. Default 1. */
  readonly count?: number;
  readonly ttl?: number;
  /** Don't-fragment and payload size, for MTU lessons (ping -M do -s SIZE). */
  readonly size?: number;
  readonly df?: boolean;
}

export function walk(sim: Sim, req: WalkRequest): Trace {
  return {
    from: req.from, to: req.to, protocol: req.protocol ?? 'tcp', verdict: 'error', responder: null, seenSource: null,
    reason: 'the packet walk is not built yet', events: [], path: [], replyPath: [], rulesEvaluated: 0,
  };
}
