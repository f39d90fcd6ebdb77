/**
 * The seeds tier's one helper: a student at the playground's terminal. Lines are typed in
 * order, here-documents included, with `kubectl exec -it` / `kubectl run -it` moving into a Pod
 * until `exit` (as the terminal does); `on` types one line somewhere else without moving; the
 * finders name what the article calls {pod_ip}, {node_ip}, {cluster_ip}.
 */
import { buildSim, runLine, type CommandResult, type Target } from '../../src/engine/index';
import type { PodModel, NodeModel, ServiceModel } from '../../src/engine/model/cluster';
import type { Sim } from '../../src/engine/sim';

/** The cluster the articles' outputs come from: a control-plane node and a worker (flannel). */
export const CLUSTER = 'apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: seeds}\nspec: {}\n';
/** The same with Calico, which enforces NetworkPolicy (002's NetworkPolicy section uses it). */
export const CALICO = 'apiVersion: knp/v1alpha1\nkind: Cluster\nmetadata: {name: seeds}\nspec:\n  network: {plugin: calico}\n';

/** A Pod in the default namespace, as a target. */
export const pod = (name: string, namespace = 'default'): Target => ({ kind: 'pod', namespace, name });
export const node = (name: string): Target => ({ kind: 'node', name });

/** `text` as a regular expression that matches it literally (IPs in expected output). */
export const lit = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class Student {
  readonly sim: Sim;
  /** The articles type on the control-plane node (`[root@k8s-master01 ~]#`). */
  private target: Target;
  readonly home: Target;
  private readonly stack: { target: Target; onExit?: readonly string[] }[] = [];

  constructor(yaml = CLUSTER, seed = 1) {
    this.sim = buildSim(yaml, { seed }).sim;
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

  /** Types a line on another machine or Pod (a second terminal), staying where we are. */
  on(where: Target, line: string): CommandResult {
    return runLine(this.sim, where, line);
  }

  /** `kubectl apply -f - <<EOF` with the article's YAML. */
  apply(yaml: string): string {
    return this.out(`kubectl apply -f - <<EOF\n${yaml.endsWith('\n') ? yaml : `${yaml}\n`}EOF`);
  }

  /** `cat > FILE <<EOF`: the article's file, written where we are. */
  write(file: string, text: string): void {
    this.out(`cat > ${file} <<EOF\n${text.endsWith('\n') ? text : `${text}\n`}EOF`);
  }

  /** The (first) Pod with this label, or this name. */
  pod(label: string, value?: string): PodModel {
    const p = this.sim.model.pods.find((x) => (value === undefined ? x.meta.name === label : x.meta.labels[label] === value));
    if (!p) throw new Error(`no Pod ${value === undefined ? label : `${label}=${value}`}`);
    return p;
  }

  pods(label: string, value: string): PodModel[] {
    return this.sim.model.pods.filter((x) => x.meta.labels[label] === value);
  }

  nodeOf(p: PodModel): NodeModel {
    return this.sim.model.nodes.find((n) => n.name === p.nodeName)!;
  }

  service(name: string, namespace = 'default'): ServiceModel {
    const s = this.sim.model.services.find((x) => x.meta.name === name && x.meta.namespace === namespace);
    if (!s) throw new Error(`no Service ${namespace}/${name}`);
    return s;
  }
}
