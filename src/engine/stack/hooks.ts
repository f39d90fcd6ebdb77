/**
 * Hooks: code the kernel runs on a packet at fixed points of the walk, and what it decides.
 *
 *                       XDP    tc ingress                                  tc egress
 *   wire / veth peer ──► ● ──►   ● ──► bridge / ip_rcv ──► ... ──► dev_queue_xmit ──► ● ──► wire
 *
 *   ip_local_out ──► [local-out] ──► ...      ip_local_deliver ──► INPUT ──► [local-in] ──► [local-deliver] ──► socket
 *   ip_forward   ──► FORWARD ──► [forward] ──► ...                 connect() ──► [sock-connect]
 *                                                                  recvmsg() ──► [sock-recvmsg]
 *
 * Two kinds of attachment:
 *   - device points (xdp, tc-ingress, tc-egress): programs a daemon attached to one device,
 *     named in `Link.progs` (data: `tc filter show` prints it) and implemented by a
 *     `DeviceProgram` registered in `sim.programs` (a CNI plugin registers its own);
 *   - IP points (local-out, local-in, local-deliver, forward): kernel modules that hook a
 *     namespace's IP layer, listed in `IP_HOOKS` (IPVS's ip_vs_in / ip_vs_out).
 * A socket program (cgroup/connect4, `NetNs.sockProgs`) may change where a connect() goes, and
 * (cgroup/recvmsg4) which address a UDP application reads a datagram as coming from.
 *
 * Every hook returns a decision (it never mutates the walk); the walker applies it and emits one
 * trace event naming the hook point and the program.
 */
import type { Packet } from '../net/packet';
import type { DevHookPoint, NetNs } from '../net/types';
import type { Sim } from '../sim';
import type { TraceEventType } from '../trace/types';
import type { Message } from '../i18n/messages';
import { ipvsInHook, ipvsOutHook } from './ipvs';

export type IpHookPoint = 'local-out' | 'local-in' | 'local-deliver' | 'forward';
export type HookPoint = DevHookPoint | IpHookPoint | 'sock-connect' | 'sock-recvmsg';

/**
 * The event a hook wants instead of the walker's generic 'hook' event (IPVS keeps its 'ipvs'
 * events). The walker adds `hook` and `program` to its detail.
 */
export interface HookEventSpec {
  readonly type: TraceEventType;
  readonly message: Message;
  readonly detail?: Readonly<Record<string, unknown>>;
}

interface DecisionBase {
  /** What the program did, one short phrase for the trace ("policy allows identity 1234"): a `hook.*` message, so it reads in both languages. */
  readonly note?: Message;
  /** Facts for the inspector (identities, map entries, backend chosen). */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** Extra events before the decision's own (e.g. IPVS's scheduling line). Replaces the generic hook event when set. */
  readonly events?: readonly HookEventSpec[];
}

/** What a hook decides (TC_ACT_OK / TC_ACT_SHOT / bpf_redirect / a rewritten skb). */
export type HookDecision =
  | (DecisionBase & { readonly verdict: 'pass' })
  /** The packet goes on rewritten (DNAT, reverse NAT, a tunnel key set). */
  | (DecisionBase & { readonly verdict: 'rewrite'; readonly packet: Packet })
  /** Dropped; `icmp` asks the stack to answer with an ICMP error (IPVS: no real server). */
  /** `reason` is a `hook.*` message: the walk writes it inside `drop.hook`, its English is the trace's text. */
  | (DecisionBase & { readonly verdict: 'drop'; readonly reason: Message; readonly icmp?: { readonly type: number; readonly code: number } })
  /**
   * bpf_redirect: the packet (rewritten when `packet` is set) leaves by `dev`'s egress, or enters
   * `dev` (`ingress`, BPF_F_INGRESS) as if received there. `dev` is in the same namespace.
   */
  | (DecisionBase & { readonly verdict: 'redirect'; readonly dev: string; readonly packet?: Packet; readonly ingress?: boolean });

export interface HookEnv {
  readonly sim: Sim;
  readonly ns: NetNs;
  /** The device the hook runs on (device points) or the packet's in/out device (IP points). */
  readonly dev: string | undefined;
  readonly point: HookPoint;
  readonly nowMs: number;
}

/** A program a daemon attaches to devices; registered in `sim.programs` under `name`. */
export interface DeviceProgram {
  /** "cilium/from-container": the registry key `Link.progs` names. */
  readonly name: string;
  /** The section as the loader names it ("from-container"), printed in the trace. */
  readonly section: string;
  /** The object file it comes from ("bpf_lxc.o"), as `tc filter show` prints it. */
  readonly object: string;
  /** Whose it is ("cilium"), for the trace and the inspector. */
  readonly owner: string;
  run(env: HookEnv, pkt: Packet): HookDecision;
}

/** A connect() as a socket program sees it (cgroup/connect4). */
export interface SockConnect {
  readonly protocol: 'tcp' | 'udp';
  readonly dst: string;
  readonly dport: number;
}

/** A received UDP datagram as a recvmsg program sees it (cgroup/recvmsg4): the address it came from. */
export interface SockRecvmsg {
  readonly protocol: 'udp';
  readonly src: string;
  readonly sport: number;
}

/** A socket program: null leaves the connect alone; otherwise where the socket really connects. */
export interface SockProgram {
  readonly name: string;
  readonly section: string;
  readonly object: string;
  readonly owner: string;
  connect(env: HookEnv, c: SockConnect): (DecisionBase & { readonly dst: string; readonly dport: number }) | null;
  /**
   * Optional (cgroup/recvmsg4): the address the application reads a datagram as coming from
   * (recvfrom's msg_name), or null to leave it. The packet itself is not changed: this is the
   * reverse of a translation `connect` made at the socket, so no packet ever carried it.
   */
  recvmsg?(env: HookEnv, m: SockRecvmsg): (DecisionBase & { readonly src: string; readonly sport: number }) | null;
}

/** The programs a Sim knows, by name (filled at build by the running CNI plugin). */
export interface ProgramRegistry {
  readonly device: ReadonlyMap<string, DeviceProgram>;
  readonly sock: ReadonlyMap<string, SockProgram>;
}

export const NO_PROGRAMS: ProgramRegistry = { device: new Map(), sock: new Map() };

/** A kernel module's hook on a namespace's IP layer. */
export interface IpHook {
  /** "ip_vs_in": printed in the event's detail. */
  readonly name: string;
  /** Cheap test first: most namespaces have no IPVS table. */
  applies(ns: NetNs): boolean;
  run(env: HookEnv, pkt: Packet): HookDecision;
}

/**
 * The IP-layer hooks in priority order, as the kernel registers them (nf_hook_ops): IPVS's
 * ip_vs_in at LOCAL_OUT and inside LOCAL_IN, ip_vs_out at FORWARD and before local delivery.
 */
export const IP_HOOKS: Readonly<Record<IpHookPoint, readonly IpHook[]>> = {
  'local-out': [ipvsInHook],
  'local-in': [ipvsInHook],
  'local-deliver': [ipvsOutHook],
  forward: [ipvsOutHook],
};

/** The human name of a hook point in a trace line. */
export function hookPointText(point: HookPoint): string {
  switch (point) {
    case 'xdp': return 'XDP';
    case 'tc-ingress': return 'tc ingress';
    case 'tc-egress': return 'tc egress';
    case 'sock-connect': return 'cgroup/connect4';
    case 'sock-recvmsg': return 'cgroup/recvmsg4';
    case 'local-out': return 'LOCAL_OUT';
    case 'local-in': return 'LOCAL_IN';
    case 'local-deliver': return 'LOCAL_IN (deliver)';
    case 'forward': return 'FORWARD';
  }
}
