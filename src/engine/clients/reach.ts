/**
 * `knp reach`: the Pod-to-Pod truth table. Each cell is a walk from the source Pod to the
 * destination Pod's IP on the port (delivered or refused = the packet reached the Pod's stack).
 * The evaluator decides instead when there is no network to walk (a bare model) or the walk
 * cannot carry the protocol (SCTP); the tests hold the two to the same answers.
 */
import type { Protocol } from '../model/cluster';
import type { Sim } from '../sim';
import { walk } from '../stack/walk';
import { clientNs } from '../stack/target';
import { reachMatrix, reachPods, type ReachMatrix } from '../policy/matrix';

export interface ReachOptions {
  readonly port?: number;
  readonly protocol?: Protocol;
  readonly namespaces?: readonly string[];
  /** 'auto' (default): the walk when there is a network and at most WALK_LIMIT Pods, else the evaluator. */
  readonly via?: 'auto' | 'walk' | 'evaluator';
}

/** Above this many Pods `auto` uses the evaluator: n² walks get slow, and the tests hold both to the same answers. */
export const WALK_LIMIT = 64;

export function reachability(sim: Sim, opts: ReachOptions = {}): ReachMatrix & { readonly decidedBy: 'walk' | 'evaluator' } {
  const port = opts.port ?? 80;
  const protocol = opts.protocol ?? 'TCP';
  const pods = reachPods(sim.model, opts.namespaces);
  const via = opts.via ?? 'auto';
  if (via !== 'evaluator' && pods.length > 0) {
    const proto = protocol.toLowerCase() as 'tcp' | 'udp' | 'sctp';
    const walkable = proto !== 'sctp' && pods.every((p) => clientNs(sim, `pod/${p.meta.namespace}/${p.meta.name}`) !== undefined);
    if (via === 'walk' || (walkable && pods.length <= WALK_LIMIT)) {
      const matrix = pods.map((s) => pods.map((d) => {
        const t = walk(sim, { from: `pod/${s.meta.namespace}/${s.meta.name}`, to: `${proto}://${d.podIP}:${port}`, protocol: proto, port });
        return t.verdict === 'delivered' || t.verdict === 'refused';
      }));
      return { port, protocol, pods: pods.map((p) => `${p.meta.namespace}/${p.meta.name}`), matrix, decidedBy: 'walk' };
    }
  }
  return { ...reachMatrix(sim.model, pods, port, protocol), decidedBy: 'evaluator' };
}
