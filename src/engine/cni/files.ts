/**
 * Files the network plugin writes on a machine (flannel's /run/flannel/subnet.env, read by its
 * CNI binary), as `cat` shows them.
 */
import type { Sim } from '../sim';
import type { Target } from '../shell/types';
import { cniOf } from './registry';

export function netFile(sim: Sim, target: Target, path: string): string | null {
  if (target.kind !== 'node') return null;
  const node = sim.model.nodes.find((n) => n.name === target.name);
  if (!node) return null;
  return cniOf(sim.model.spec).nodeFile(sim.model, node, path);
}
