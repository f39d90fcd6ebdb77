/**
 * A student at the playground's terminal: lines typed in order, here-documents included, with
 * `kubectl exec -it` / `kubectl run -it` moving into a Pod until `exit` (as the terminal does).
 */
import { buildSim, runLine, type CommandResult, type Target } from '../../src/engine/index';
import type { Sim } from '../../src/engine/sim';

export class Student {
  readonly sim: Sim;
  /** The articles type on the control-plane node (`[root@k8s-master01 ~]#`). */
  private target: Target;
  readonly home: Target;
  private readonly stack: { target: Target; onExit?: readonly string[] }[] = [];

  constructor(yaml = 'apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: seeds}\nspec: {}\n') {
    this.sim = buildSim(yaml).sim;
    const cp = this.sim.model.nodes.find((n) => n.controlPlane) ?? this.sim.model.nodes[0];
    this.home = cp ? { kind: 'node', name: cp.name } : { kind: 'workstation' };
    this.target = this.home;
  }

  get where(): Target { return this.target; }

  /** Types one line (or a line with its here-document) and returns what the terminal shows. */
  type(line: string): CommandResult {
    if ((line.trim() === 'exit') && this.stack.length) {
      const back = this.stack.pop()!;
      const r = back.onExit ? runLine(this.sim, back.target, back.onExit.join(' ')) : { stdout: '', stderr: '', exitCode: 0 };
      this.target = back.target;
      return r;
    }
    const r = runLine(this.sim, this.target, line);
    if (r.session) {
      this.stack.push({ target: this.target, ...(r.session.onExit ? { onExit: r.session.onExit } : {}) });
      this.target = r.session.target;
    }
    return r;
  }

  /** stdout of a line that must succeed. */
  out(line: string): string {
    const r = this.type(line);
    if (r.exitCode !== 0) throw new Error(`"${line}" failed (${r.exitCode}): ${r.stderr}`);
    return r.stdout;
  }
}
