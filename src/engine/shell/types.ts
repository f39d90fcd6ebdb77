/**
 * The simulated command table, shared by `knp exec`, `knp shell` and the browser terminal.
 * A command reads (and may change) the live simulation and returns what the real tool prints.
 */
import type { Sim } from '../sim';

export { formatTarget, parseTarget, type Target } from '../net/target';
import type { Target } from '../net/target';

export interface CommandResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
  /** Set when the command changed the simulation (the UI re-renders, traces differ). */
  readonly changed?: boolean;
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
  /** What a here-document (`<<EOF … EOF`) feeds the command: `kubectl apply -f -`, `cat > FILE`. */
  readonly stdin?: string;
  /** Runs another command line in a (possibly different) target: `ip netns exec NS CMD`, `kubectl exec`. */
  run(target: Target, argv: readonly string[]): CommandResult;
}

export type Command = (ctx: ShellContext, argv: readonly string[]) => CommandResult;

export const ok = (stdout: string, changed = false): CommandResult => ({ stdout, stderr: '', exitCode: 0, ...(changed ? { changed } : {}) });
export const fail = (stderr: string, exitCode = 1, stdout = ''): CommandResult => ({ stdout, stderr, exitCode });
