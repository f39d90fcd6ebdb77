/**
 * The simulated command table, shared by `knp exec`, `knp shell` and the browser terminal.
 * A command reads (and may change) the live simulation and returns what the real tool prints.
 */
import type { Sim } from '../sim';

/** Where a command runs. `netns` narrows a node or host to one of its named namespaces (ip netns exec). */
export type Target =
  | { readonly kind: 'workstation' }
  | { readonly kind: 'node'; readonly name: string; readonly netns?: string }
  | { readonly kind: 'pod'; readonly namespace: string; readonly name: string; readonly container?: string }
  | { readonly kind: 'host'; readonly name: string; readonly netns?: string };

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

export function formatTarget(t: Target): string {
  switch (t.kind) {
    case 'workstation': return 'workstation';
    case 'node': return `node/${t.name}${t.netns ? ` (netns ${t.netns})` : ''}`;
    case 'pod': return `pod/${t.namespace}/${t.name}`;
    case 'host': return `host/${t.name}${t.netns ? ` (netns ${t.netns})` : ''}`;
  }
}

/** Parses node/NAME, pod/NS/NAME, pod/NAME (namespace default), host/NAME. */
export function parseTarget(s: string): Target | null {
  const parts = s.split('/');
  if (parts[0] === 'node' && parts.length === 2 && parts[1]) return { kind: 'node', name: parts[1] };
  if (parts[0] === 'host' && parts.length === 2 && parts[1]) return { kind: 'host', name: parts[1] };
  if (parts[0] === 'pod' && parts.length === 2 && parts[1]) return { kind: 'pod', namespace: 'default', name: parts[1] };
  if (parts[0] === 'pod' && parts.length === 3 && parts[1] && parts[2]) return { kind: 'pod', namespace: parts[1], name: parts[2] };
  if (s === 'workstation') return { kind: 'workstation' };
  return null;
}
