/**
 * The simulated command table, shared by `knp exec`, `knp shell` and the browser terminal.
 * A command reads (and may change) the live simulation and returns what the real tool prints.
 */
import type { Sim } from '../sim';
import type { Trace } from '../trace/types';

export { formatTarget, parseTarget, type Target } from '../net/target';
import type { Target } from '../net/target';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** Set when the command changed the simulation (the UI re-renders, traces differ). */
  readonly changed?: boolean;
  /**
   * The packet walks the command made (curl, ping, nc, traceroute, dig, ...), in order, so a
   * terminal can replay them like a Send. Only the walks: the output stays what the tool prints.
   */
  readonly traces?: readonly Trace[];
  /**
   * Set by interactive commands (`kubectl exec -it POD -- sh`, `kubectl run --rm -it … -- sh`):
   * the terminal (and `knp shell`) now types into `target`; `exit` returns to where it was and
   * then runs `onExit` there (e.g. `kubectl delete pod NAME` for `--rm`), printing its output.
   * `editor`: `kubectl edit` asks the UI to open this object's YAML in the editor (see kubectlApply.ts).
   */
  readonly session?: { readonly target: Target; readonly onExit?: readonly string[] };
  readonly editor?: { readonly kind: string; readonly namespace: string; readonly name: string; readonly yaml: string };
}

export interface ShellContext {
  readonly sim: Sim;
  readonly target: Target;
  /** Runs another command line in a (possibly different) target: `ip netns exec NS CMD`, `kubectl exec`. */
  run(target: Target, argv: readonly string[], stdin?: string): CommandResult;
  /** What a pipe or a here-document feeds the command (`echo x | grep x`, `kubectl apply -f - <<EOF`); undefined for a terminal. */
  readonly stdin?: string;
}

/**
 * A command that keeps running while other commands run (tcpdump, conntrack -E): the shell
 * starts it, polls it after every command for what it printed since, and stops it at `wait`,
 * `kill %N`, `fg`, or when it says it has finished (tcpdump -c N).
 */
export interface Stream {
  /** Output since the last poll; `finished` when the tool would exit by itself now. */
  poll(): { stdout: string; stderr: string; finished: boolean };
  /** Ends it (as ^C would, or its own exit): the rest of its output and its exit status. */
  stop(): CommandResult;
}

/** Starts a streaming command: what it prints at once (tcpdump's "listening on"), and the stream, or a plain result on error. */
export type StreamCommand = (ctx: ShellContext, argv: readonly string[]) => { readonly start: CommandResult; readonly stream?: Stream };

export type Command = (ctx: ShellContext, argv: readonly string[]) => CommandResult;

export const ok = (stdout: string, changed = false): CommandResult => ({ stdout, stderr: '', exitCode: 0, ...(changed ? { changed } : {}) });
export const fail = (stderr: string, exitCode = 1, stdout = ''): CommandResult => ({ stdout, stderr, exitCode });

/** The same result, carrying the walks that produced it. */
export const withTraces = (r: CommandResult, traces: readonly Trace[]): CommandResult => (traces.length ? { ...r, traces: [...(r.traces ?? []), ...traces] } : r);
