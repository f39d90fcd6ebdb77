/**
 * The one protocol between the UI and the engine worker. Every message carries the protocol
 * version and a request id; the worker answers each request exactly once, and failures come
 * back as data (an error code and a message), never as exceptions crossing the boundary.
 *
 *   UI ──Request{v,id,type,...}──► worker
 *   UI ◄──Response{v,id,ok,...}─── worker     (plus one unsolicited {type:'ready'} at start)
 */
import type { CommandResult, CompareResult, Diagnostic, GoalResult, JournalEntry, Trace, WalkRequest } from '../engine';
import type { Goal } from '../engine/goals';
import type { CheckResult } from '../engine/lessons/run';
import type { Step } from '../engine/lessons/schema';
import type { CostReport } from '../engine/agents/kubeproxy/cost';
export type { CostMode, CostPoint, CostReport, ModeCost } from '../engine/agents/kubeproxy/cost';
import type { SnapshotPatch } from './patch';
import type { Snapshot } from './snapshot';

/**
 * Bump when a message changes shape; a worker from another build answers `version-mismatch`.
 * 2: `exec` answers with the packet walks the command made (`traces`).
 * 3: snapshots travel as patches (./patch.ts) against the last one sent; namespaces outside the
 *    UI's focus come as outlines (`partial`) in a large cluster; `focus` and `cost` requests.
 * 4: both families on a cluster with IPv6: `ips`/`podCIDRs` on nodes, `ips` on Pods, `clusterIPs`
 *    on Services, the cluster's CIDR lists, and a namespace's `routes6`/`neigh6` (`routes` and
 *    `neigh` are IPv4 only). Absent on an IPv4-only cluster, whose snapshots are unchanged.
 * 5: a snapshot patch is a nested delta (./patch.ts): only the fields that changed, arrays as
 *    edit scripts against the array held; a whole snapshot is `{ base: 0, whole }`.
 */
export const PROTOCOL_VERSION = 5;

export type Request =
  /**
   * Builds the Sim from YAML. `baseline` is the YAML the learner started from (a challenge or
   * lesson as it was opened): `unchanged` goals and a Challenge's lockedKinds compare with its
   * objects, so editing the YAML does not move what they compare with. Omitted: this load's own
   * objects are the baseline.
   */
  | { readonly type: 'load'; readonly yaml: string; readonly seed: number; readonly file?: string; readonly baseline?: string }
  | { readonly type: 'exec'; readonly target: string; readonly line: string }
  | { readonly type: 'trace'; readonly req: WalkRequest }
  | { readonly type: 'probes' }
  /** The `knp lab` script for the loaded scenario: rebuild it in real namespaces on a Linux VM. */
  | { readonly type: 'lab' }
  /**
   * Pod-to-Pod reachability on one port (what `knp reach` prints), computed on a scratch copy
   * of the current state (YAML + the commands that changed it), so the live Sim's conntrack and
   * counters are untouched.
   */
  | { readonly type: 'reach'; readonly port: number; readonly protocol: 'TCP' | 'UDP' | 'SCTP' }
  /** Two configurations (YAML + journal each), built fresh with the loaded seed, compared (`knp diff`). */
  | { readonly type: 'compare'; readonly a: CompareSide; readonly b: CompareSide; readonly send?: WalkRequest; readonly port?: number }
  /**
   * Evaluate goals on the live Sim (after the learner's commands): the given ones, or the
   * loaded file's Challenge goals and lockedKinds. `unchanged` compares with the last load.
   * Goal walks leave conntrack and neighbour entries behind, as real probes would.
   */
  | { readonly type: 'goals'; readonly goals?: readonly Goal[] }
  /**
   * A lesson step's check (docs/lessons.md) against what the learner did since `begin-step`:
   * the commands sent with exec, the last trace walked, the YAML loaded, and `answer` for a
   * prediction (whose packet is walked to reveal the answer).
   */
  | { readonly type: 'check'; readonly step: Step; readonly answer?: string }
  /** The learner moves to a new step: earlier commands and packets no longer count. */
  | { readonly type: 'begin-step' }
  | { readonly type: 'reset' }
  /**
   * The namespaces the UI shows in full (a node's kernel view, the inspected object's): they
   * come with chains, conntrack and IPVS in this answer's snapshot and every later one; the
   * others may come as outlines (`NsSnap.partial`). Replaces the previous focus.
   */
  | { readonly type: 'focus'; readonly ids: readonly string[] }
  /** What Services cost kube-proxy's modes for the loaded scenario (`knp cost`); null without a cluster. */
  | { readonly type: 'cost' }
  /**
   * Test-only hook: the worker spins for `ms` without answering, the way a runaway request
   * would. The browser test sends it to prove the watchdog (client.ts) cancels and recovers.
   */
  | { readonly type: 'stall'; readonly ms: number };

export type RequestType = Request['type'];

export interface RequestEnvelope {
  readonly v: number;
  readonly id: number;
  readonly req: Request;
}

export interface LoadResult {
  readonly diagnostics: readonly Diagnostic[];
  readonly snapshot: Snapshot;
  /** Command names the terminal completes. */
  readonly commands: readonly string[];
}

export interface ExecResult {
  /** What the command printed; its walks are in `traces`, not repeated here. */
  readonly result: CommandResult;
  /** The packet walks the command made (curl, ping, nc, dig, traceroute), for the canvas to replay. */
  readonly traces: readonly Trace[];
  /** Present when the command changed the simulation. */
  readonly snapshot?: Snapshot;
}

export interface ProbeOutcome {
  readonly name: string;
  readonly trace: Trace;
  /** null when the probe states no expectation. */
  readonly passed: boolean | null;
}

/** What each request answers with. */
export interface Answers {
  load: LoadResult;
  exec: ExecResult;
  trace: { readonly trace: Trace; readonly snapshot: Snapshot };
  probes: { readonly outcomes: readonly ProbeOutcome[]; readonly snapshot: Snapshot };
  reset: LoadResult;
  lab: { readonly script: string | null; readonly problems: readonly string[] };
  reach: ReachAnswer;
  compare: CompareResult;
  /** One result per goal (its walk's trace left out; send the packet to replay it). */
  check: { readonly result: CheckResult; readonly trace: Trace | null };
  'begin-step': null;
  goals: { readonly results: readonly Omit<GoalResult, 'trace'>[]; readonly snapshot: Snapshot };
  stall: null;
  focus: { readonly snapshot: Snapshot };
  cost: { readonly report: CostReport | null };
}

/** Answers that carry a snapshot: on the wire it is a patch (./patch.ts), which the client applies. */
export const SNAPSHOT_ANSWERS: ReadonlySet<RequestType> = new Set(['load', 'reset', 'exec', 'trace', 'probes', 'goals', 'focus']);

/** What the worker posts: each answer with its snapshot as a patch. */
export type WireAnswers = { [K in keyof Answers]: Answers[K] extends { readonly snapshot: Snapshot }
  ? Omit<Answers[K], 'snapshot'> & { readonly snapshot: SnapshotPatch }
  : Answers[K] extends { readonly snapshot?: Snapshot } ? Omit<Answers[K], 'snapshot'> & { readonly snapshot?: SnapshotPatch } : Answers[K] };

export interface CompareSide {
  readonly yaml: string;
  readonly journal: readonly JournalEntry[];
}

export interface ReachAnswer {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  /** "NS/NAME", rows and columns in this order. */
  readonly pods: readonly string[];
  /** Each Pod's IP, in the order of `pods` (a cell's packet goes to it). */
  readonly ips: readonly string[];
  /** matrix[from][to]: the packet reached the destination Pod. */
  readonly matrix: readonly (readonly boolean[])[];
  readonly decidedBy: 'walk' | 'evaluator';
}

export type ErrorCode =
  | 'version-mismatch'   // the worker was built from another protocol version
  | 'not-loaded'         // exec/trace/probes before any load
  | 'bad-request'        // the message is malformed
  | 'engine-failure'     // the engine threw (a bug: user input never makes it throw)
  | 'worker-died'        // the worker crashed or hung; it has been restarted
  | 'superseded';        // a newer request of the same kind made this one stale

export interface ProtocolError {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ProtocolError };

export type ResponseEnvelope =
  | { readonly v: number; readonly id: number; readonly ok: true; readonly type: RequestType; readonly value: unknown }
  | { readonly v: number; readonly id: number; readonly ok: false; readonly error: ProtocolError }
  /** Sent once when the worker has started. */
  | { readonly v: number; readonly id: 0; readonly ok: true; readonly type: 'ready'; readonly value: null };

export const err = (code: ErrorCode, message: string): { ok: false; error: ProtocolError } => ({ ok: false, error: { code, message } });
